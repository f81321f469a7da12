//! The fast reader (src/source/fast.rs) against saphyr-parser (the reference): on every input
//! of the repository and on mutations and JSON renderings of them, both give exactly the same
//! documents, trees, spans, styles and issues — through `parse_stream` (fast where it can,
//! saphyr-parser for the documents it gives up on) and through the fast reader alone wherever
//! it reads the whole text.

use std::path::Path;

use claimcheck::source::{parse_stream, parse_stream_fast, parse_stream_reference, Limits};

/// Every text input under tests/: YAML and JSON files, and the texts of JSON-lines cases.
fn inputs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
                continue;
            }
            let name = p.display().to_string();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            match ext {
                "yaml" | "yml" | "json" => out.push((name, text)),
                "jsonl" => {
                    for (n, line) in text.lines().enumerate() {
                        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                            continue;
                        };
                        for field in ["yaml", "oldYaml", "text", "input"] {
                            if let Some(s) = v.get(field).and_then(|s| s.as_str()) {
                                out.push((format!("{name}:{}:{field}", n + 1), s.to_string()));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    walk(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .as_path(),
        &mut out,
    );
    walk(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .as_path(),
        &mut out,
    );
    out
}

/// Where two renderings part, with some context.
fn diff(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(300);
    let cut = |s: &str| {
        let mut f = from.min(s.len());
        while !s.is_char_boundary(f) {
            f -= 1;
        }
        let mut t = (at + 300).min(s.len());
        while !s.is_char_boundary(t) {
            t += 1;
        }
        s[f..t].to_string()
    };
    format!("\n  saphyr: …{}…\n  fast:   …{}…", cut(a), cut(b))
}

/// Compares both readers on `text`; returns whether the fast reader read all of it.
fn check(name: &str, text: &str) -> bool {
    let limits = Limits::default();
    let want = format!("{:?}", parse_stream_reference(text, &limits));
    let got = format!("{:?}", parse_stream(text, &limits));
    assert!(
        want == got,
        "{name}: parse_stream differs from saphyr-parser on {text:?}{}",
        diff(&want, &got)
    );
    match parse_stream_fast(text, &limits) {
        Some(fast) => {
            let fast = format!("{fast:?}");
            assert!(
                want == fast,
                "{name}: the fast reader differs from saphyr-parser on {text:?}{}",
                diff(&want, &fast)
            );
            true
        }
        None => false,
    }
}

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    ": ",
    "- ",
    "#",
    " #",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "!t ",
    "|\n",
    ">\n",
    "? ",
    "\t",
    "\r\n",
    "\r",
    "é",
    "\\",
    "\\u00e9",
    "\\x",
    "~",
    "<<: ",
    ":",
    "\n",
    "  ",
    " ",
    "yes",
    "0x1F",
    "1e3",
    "-",
    "--- ",
    "%YAML 1.2\n",
    "''",
    "\"\"",
    "{}",
    "[]",
    "\u{2028}",
    "\u{feff}",
    "a: b: c",
    "\n  - x",
    "\n- ",
    "!!str ",
    "null",
    "\"a\":",
    "01",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut s = String::with_capacity(text.len() + 16);
    match rng.below(7) {
        0 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            for (n, l) in lines.iter().enumerate() {
                if n != i {
                    s.push_str(l);
                }
            }
        }
        1 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            for (n, l) in lines.iter().enumerate() {
                s.push_str(l);
                if n == i {
                    s.push_str(l);
                }
            }
        }
        2 if !lines.is_empty() => {
            // indent or dedent one line
            let i = rng.below(lines.len());
            for (n, l) in lines.iter().enumerate() {
                if n == i {
                    if rng.below(2) == 0 {
                        s.push(' ');
                        s.push_str(l);
                    } else {
                        s.push_str(l.strip_prefix(' ').unwrap_or(l));
                    }
                } else {
                    s.push_str(l);
                }
            }
        }
        3 => {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            s.push_str(&text[..at]);
        }
        4 => {
            // remove a few bytes
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut to = (at + 1 + rng.below(3)).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            s.push_str(&text[..at]);
            s.push_str(&text[to..]);
        }
        _ => {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            s.push_str(&text[..at]);
            s.push_str(TOKENS[rng.below(TOKENS.len())]);
            s.push_str(&text[at..]);
        }
    }
    s
}

#[test]
fn the_fast_reader_reads_like_saphyr_parser() {
    let inputs = inputs();
    assert!(inputs.len() > 1_000, "only {} inputs", inputs.len());
    let mut read_fast = 0;
    // READER_MUTANTS=N READER_SEED=S for longer runs than CI's
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let rounds = env("READER_MUTANTS", 6);
    let mut rng = Rng(env("READER_SEED", 0x9e37_79b9_7f4a_7c15) | 1);
    let mut mutants = 0;
    let mut mutants_fast = 0;
    for (name, text) in &inputs {
        if check(name, text) {
            read_fast += 1;
        }
        // the same documents as JSON, on one line (the webhook's form) and indented
        let limits = Limits::default();
        for doc in parse_stream_reference(text, &limits).documents {
            let v = doc.root.to_json();
            for json in [
                serde_json::to_string(&v).unwrap_or_default(),
                serde_json::to_string_pretty(&v).unwrap_or_default(),
            ] {
                assert!(
                    check(&format!("{name} as JSON"), &json),
                    "{name}: JSON not read fast: {json}"
                );
            }
        }
        for _ in 0..rounds {
            let mut m = mutate(text, &mut rng);
            for _ in 0..rng.below(3) {
                m = mutate(&m, &mut rng);
            }
            mutants += 1;
            if check(&format!("{name} (mutated)"), &m) {
                mutants_fast += 1;
            }
        }
    }
    eprintln!(
        "{read_fast} of {} inputs read by the fast reader alone; {mutants_fast} of {mutants} mutants",
        inputs.len()
    );
    // most inputs are inside what the fast reader reads (else this test compares little)
    assert!(
        read_fast * 10 > inputs.len() * 8,
        "{read_fast} of {}",
        inputs.len()
    );
}

/// Every corner found while building the fast reader (each was a difference once, or is
/// one the fast reader must give up on).
#[test]
fn corners() {
    let cases = [
        "",
        "# only a comment\n",
        "---\n",
        "--- \n---\n",
        "a: 1\n---\n",
        "a: 1\n---\n# c\n",
        "a:\n# c\nb:\n",
        "l:\n- a\n-\n- # c\n  x\n",
        "l:\n  - a\n  -\n",
        "- - x\n  - y\n-   - z\n",
        "a: b # c\n",
        "a  : 1\n",
        "\"q\" : 1\n",
        "'it''s': 'a''b'\n",
        "a: \"x\\ty\\u00e9\\/\"\n",
        "{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{}}",
        "{\n  \"a\": [\n    1,\n    -2.5e3\n  ]\n}\n",
        "[1, 2]: x\n",
        "a: [1, 2\n",
        "a: {b: c}\n",
        "a: [b, c]  # keep\n",
        "on: yes\nno: off\n",
        "a: b\n  c\n",
        "a:\n  b\n",
        "a: 1\n b: 2\n",
        "- a\n - b\n",
        "key: value:\n",
        "a: 'x\n  y'\n",
        "a: |\n  x\n---\nb: 1\n",
        "b: 1\n---\na: |\n  x\n---\nc: 2\n",
        "a: 1\n...\n---\nb: 2\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "{\"a\": 1, \"a\": 2}",
        "x\n",
        "\"x\"\n",
        "- x\ny: 1\n",
        "a:\n- b\nc: d\n",
        "a: -1\nb: -\n",
        "a:#b\n",
        "a: b#c\n",
        "é: ü\n",
        "a: \"\\ud83d\\ude00\"\n",
        "{a: 1}\n",
        "{a:1}\n",
        "[a, b, ]\n",
        "---\na: 1\n--- # c\nb: 2\n",
        "  a: 1\n  b: 2\n",
        "  a: 1\nb: 2\n",
        "a:\n  - b: 1\n    c: 2\n  - d\n",
        "---x\n",
        "a: ---\n",
        "[\n---\n]\n",
        "\n\n\na: 1\n\n\n",
        "a: 1   \n",
        "a: 'x'y\n",
        "a: \"x\"#c\n",
        "{\"a\": {\"b\": 1,      }\n}\n",
        "{\"a\": {\"b\": 1,   \n }\n}\n",
        "{a: [1,   ],\n b: {c: d, }, }\n",
        "a: |\n  x\n\n  y\n\nb: >-\n  p\n  q\n\n  r\nc: 1\n",
        "- >+\n  a\n  b\n\n\n- |\n  c\n  # d\n  e\n-",
        "m:\n  a: |\n    x\n\n  b: 1\n",
        "a: |-\n  x\n   \n    \n  y\n---\n",
        "a: |\n  z",
        "a: |+\n  z",
        "#\tc\na: 1\n",
        "name : x\n",
        "value: :5000\n",
    ];
    for text in cases {
        check("corner", text);
    }
    // the whole fast path on texts it must read
    for text in [
        "a: 1\n",
        "{\"a\": 1}",
        "- x\n",
        "a:\n- b\n",
        "---\na: 1\n---\nb: 2\n",
    ] {
        assert!(check("fast", text), "not read fast: {text:?}");
    }
}
