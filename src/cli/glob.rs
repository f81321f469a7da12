//! Glob patterns in file arguments (`manifests/**/*.yaml`), expanded through the host's
//! directory listing, so that every host (and a quoted pattern on any shell) names the same
//! files: `*` and `?` within one path segment, `[abc]`, `[a-z]`, `[!a]`, and `**` for any
//! number of directories. Hidden entries match only a segment that starts with `.`;
//! `**` does not descend into hidden directories or through symbolic links.

use super::host::Host;

/// Whether an argument is a pattern rather than a file name.
pub fn is_glob(arg: &str) -> bool {
    arg.contains(['*', '?', '['])
}

#[derive(Debug)]
enum Token {
    Star,
    Any,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Literal(char),
}

fn tokens(segment: &str) -> Vec<Token> {
    let chars: Vec<char> = segment.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '*' => out.push(Token::Star),
            '?' => out.push(Token::Any),
            '[' => {
                let close = chars
                    .iter()
                    .skip(i + 2)
                    .position(|&c| c == ']')
                    .map(|p| p + i + 2);
                match close {
                    None => out.push(Token::Literal('[')),
                    Some(end) => {
                        let mut body = chars.get(i + 1..end).unwrap_or(&[]);
                        let negated = matches!(body.first(), Some('!' | '^'));
                        if negated {
                            body = body.get(1..).unwrap_or(&[]);
                        }
                        let mut ranges = Vec::new();
                        let mut j = 0;
                        while let Some(&a) = body.get(j) {
                            match (body.get(j + 1), body.get(j + 2)) {
                                (Some('-'), Some(&b)) => {
                                    ranges.push((a, b));
                                    j += 3;
                                }
                                _ => {
                                    ranges.push((a, a));
                                    j += 1;
                                }
                            }
                        }
                        out.push(Token::Class { negated, ranges });
                        i = end;
                    }
                }
            }
            c => out.push(Token::Literal(c)),
        }
        i += 1;
    }
    out
}

fn one(token: &Token, c: char) -> bool {
    match token {
        Token::Star | Token::Any => true,
        Token::Literal(l) => *l == c,
        Token::Class { negated, ranges } => {
            ranges.iter().any(|&(a, b)| a <= c && c <= b) != *negated
        }
    }
}

/// Whether `name` matches one pattern segment (linear: backtracks only to the last `*`).
fn matches(pattern: &[Token], name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match (pattern.get(p), name.get(n)) {
            (Some(Token::Star), _) => {
                star = Some((p, n));
                p += 1;
            }
            (Some(t), Some(&c)) if one(t, c) => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .unwrap_or(&[])
        .iter()
        .all(|t| matches!(t, Token::Star))
}

/// The files a pattern names, sorted and without duplicates.
pub fn expand(host: &mut dyn Host, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let parts: Vec<&str> = pattern
        .split('/')
        .enumerate()
        .filter(|(i, s)| !s.is_empty() || *i == 0)
        .map(|(_, s)| s)
        .collect();
    let mut out = Vec::new();
    if absolute {
        walk(host, &parts, "/".to_string(), 1, &mut out);
    } else {
        walk(host, &parts, String::new(), 0, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn child(dir: &str, name: &str) -> String {
    match dir {
        "" => name.to_string(),
        "/" => format!("/{name}"),
        d => format!("{d}/{name}"),
    }
}

fn walk(host: &mut dyn Host, parts: &[&str], dir: String, idx: usize, out: &mut Vec<String>) {
    let Some(&part) = parts.get(idx) else {
        out.push(dir);
        return;
    };
    let last = idx + 1 == parts.len();
    if part == "**" {
        walk(host, parts, dir.clone(), idx + 1, out);
        for e in host.list_dir(&dir) {
            if e.is_dir && !e.name.starts_with('.') {
                walk(host, parts, child(&dir, &e.name), idx, out);
            }
        }
        return;
    }
    if !is_glob(part) {
        let next = child(&dir, part);
        if !last {
            walk(host, parts, next, idx + 1, out);
        } else if host.exists(&next) {
            out.push(next);
        }
        return;
    }
    let pattern = tokens(part);
    for e in host.list_dir(&dir) {
        if (e.name.starts_with('.') && !part.starts_with('.')) || !matches(&pattern, &e.name) {
            continue;
        }
        if last {
            if !e.is_dir {
                out.push(child(&dir, &e.name));
            }
        } else if e.is_dir {
            walk(host, parts, child(&dir, &e.name), idx + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> bool {
        matches(&tokens(p), n)
    }

    #[test]
    fn segments() {
        assert!(m("*.yaml", "a.yaml") && m("*.yaml", ".yaml") && !m("*.yaml", "a.yml"));
        assert!(m("a?c", "abc") && !m("a?c", "ac"));
        assert!(m("CC00[1]", "CC001") && !m("CC00[1]", "CC002"));
        assert!(m("x[a-c]", "xb") && !m("x[!a-c]", "xb") && m("x[!a-c]", "xd"));
        assert!(m("*a*b*", "zzazzbzz") && !m("*a*b*", "zzbzza"));
        assert!(m("[", "[") && m("a[", "a["));
        // linear on a hostile pattern
        let long = "a".repeat(5000);
        assert!(!m("*a*a*a*a*a*a*a*b", &long));
    }
}
