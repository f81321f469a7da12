//! Kubernetes name validation, with the API server's messages
//! (`k8s.io/apimachinery/pkg/util/validation`), the names the StatefulSet
//! controller derives (pods and claims), and "did you mean" helpers.
//!
//! Lengths are counted in bytes, as upstream does (Go `len`). The patterns are
//! anchored at both ends of the whole string (Go regexp `^...$`), so a trailing
//! newline is invalid.

/// Longest DNS-1123 label (`DNS1123LabelMaxLength`).
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// Longest DNS-1123 subdomain (`DNS1123SubdomainMaxLength`).
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// Longest name part of a qualified name (`qualifiedNameMaxLength`).
pub const QUALIFIED_NAME_MAX_LENGTH: usize = 63;
/// Longest label value (`LabelValueMaxLength`).
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// Go's `strings.ToLower` as far as name validation can tell: ASCII letters lowered, and the
/// two characters whose simple lower-case form is ASCII (`İ` → `i`, the Kelvin sign → `k`), as
/// Go maps them (Rust's `to_lowercase` turns `İ` into `i` and a combining dot, which a name
/// rejects, where the API server accepts it). Every other character is kept: it is outside
/// the name alphabet either way.
pub fn go_lower(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{130}' => 'i',
            '\u{212a}' => 'k',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Upstream `MaxLenError`.
pub fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} characters")
}

/// Upstream `EmptyError`.
pub fn empty_error() -> String {
    "must be non-empty".to_string()
}

/// Upstream `RegexError`, including its spacing (`'a',  or 'b', `).
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(e);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(fmt);
    out.push_str("')");
    out
}

fn is_label_char(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'
}

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
fn matches_label(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_lower_alnum(f) && is_lower_alnum(l) && b.iter().all(|&c| is_label_char(c))
        }
        _ => false,
    }
}

/// `^label(\.label)*$`
fn matches_subdomain(s: &str) -> bool {
    s.split('.').all(matches_label)
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`
fn matches_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_alnum(f)
                && is_alnum(l)
                && b.iter()
                    .all(|&c| is_alnum(c) || c == b'-' || c == b'_' || c == b'.')
        }
        _ => false,
    }
}

/// `IsDNS1123Label`: problems with `s` as a DNS-1123 label (empty = valid).
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_LABEL_MAX_LENGTH));
    }
    if !matches_label(s) {
        if matches_subdomain(s) {
            // A valid subdomain but not a label: the only difference is dots.
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`: problems with `s` as a DNS-1123 subdomain (max 253).
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !matches_subdomain(s) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsQualifiedName`: label and annotation keys, an optional DNS subdomain
/// prefix and `/`, then a name part of at most 63 characters.
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push(format!("prefix part {}", empty_error()));
            } else {
                errs.extend(
                    dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    QUALIFIED_NAME_ERR_MSG,
                    QUALIFIED_NAME_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {}", empty_error()));
    } else if name.len() > QUALIFIED_NAME_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_error(QUALIFIED_NAME_MAX_LENGTH)
        ));
    }
    if !matches_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// Whether [`qualified_name`] finds nothing wrong with `s`, without building its messages.
pub fn is_qualified_name(s: &str) -> bool {
    let (prefix, name) = match s.split_once('/') {
        None => (None, s),
        Some((_, name)) if name.contains('/') => return false,
        Some((prefix, name)) => (Some(prefix), name),
    };
    let prefix_ok = prefix.is_none_or(|p| {
        !p.is_empty() && p.len() <= DNS1123_SUBDOMAIN_MAX_LENGTH && matches_subdomain(p)
    });
    prefix_ok && name.len() <= QUALIFIED_NAME_MAX_LENGTH && matches_qualified_name_part(name)
}

/// Whether [`label_value`] finds nothing wrong with `s`, without building its messages.
pub fn is_label_value(s: &str) -> bool {
    s.len() <= LABEL_VALUE_MAX_LENGTH && (s.is_empty() || matches_qualified_name_part(s))
}

/// `IsValidLabelValue`: empty is valid; otherwise at most 63 characters of
/// `[-A-Za-z0-9_.]` starting and ending with an alphanumeric character.
pub fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_error(LABEL_VALUE_MAX_LENGTH));
    }
    if !(s.is_empty() || matches_qualified_name_part(s)) {
        errs.push(regex_error(
            LABEL_VALUE_ERR_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// How the API server validates a StatefulSet's `metadata.name` (Kubernetes
/// 1.32: `ValidateStatefulSetName` is `NameIsDNSLabel`, so DNS-1123 label
/// rules, confirmed by the conformance data: `Web`, `web.v1`, 64 characters).
pub fn statefulset_name(s: &str) -> Vec<String> {
    dns1123_label(s)
}

/// How the API server validates a PersistentVolumeClaim's `metadata.name`
/// (`NameIsDNSSubdomain`), also what the StatefulSet controller's claims need.
pub fn persistent_volume_claim_name(s: &str) -> Vec<String> {
    dns1123_subdomain(s)
}

/// The name of the StatefulSet's pod with this ordinal: `<sts>-<ordinal>`.
pub fn pod_name(sts: &str, ordinal: i64) -> String {
    format!("{sts}-{ordinal}")
}

/// The name of the claim the controller creates from a claim template for a pod:
/// `<template>-<sts>-<ordinal>`.
pub fn claim_name(template: &str, sts: &str, ordinal: i64) -> String {
    format!("{template}-{}", pod_name(sts, ordinal))
}

/// The largest ordinal the controller uses: `start + max(replicas, 1) - 1`
/// (with 0 replicas the start ordinal is still the one to check). Saturates
/// instead of overflowing.
pub fn largest_ordinal(start: i64, replicas: i64) -> i64 {
    start.saturating_add(replicas.max(1) - 1)
}

/// Levenshtein distance between two strings, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// All candidates close to `wanted`, best first: those equal ignoring ASCII case
/// first, then by edit distance (ties keep the candidates' order). A candidate
/// qualifies when it equals `wanted` ignoring case or is within edit distance
/// `max(1, len/3)` (len in characters of `wanted`). Bounded in cost: see
/// [`crate::model::suggest`].
pub fn suggestions<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    super::suggest::suggestions(wanted, candidates)
}

/// The best "did you mean" candidate for `wanted` (see [`suggestions`]).
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    super::suggest::did_you_mean(wanted, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    const NAME_PART_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    #[test]
    fn labels() {
        assert_eq!(dns1123_label("Web"), vec![LABEL_MSG.to_string()]);
        assert_eq!(
            dns1123_label("web.v1"),
            vec!["must not contain dots".to_string()]
        );
        assert_eq!(
            dns1123_label(&"w".repeat(64)),
            vec!["must be no more than 63 characters".to_string()]
        );
        assert!(dns1123_label(&"w".repeat(63)).is_empty());
        assert_eq!(dns1123_label("-www"), vec![LABEL_MSG.to_string()]);
        assert_eq!(dns1123_label("www_data"), vec![LABEL_MSG.to_string()]);
        assert_eq!(dns1123_label(""), vec![LABEL_MSG.to_string()]);
        assert_eq!(dns1123_label("www-"), vec![LABEL_MSG.to_string()]);
        assert_eq!(dns1123_label("web\n"), vec![LABEL_MSG.to_string()]);
        assert!(dns1123_label("web-0").is_empty());
        assert!(dns1123_label("0").is_empty());
        let long_dotted = format!("{}.v1", "w".repeat(70));
        assert_eq!(
            dns1123_label(&long_dotted),
            vec![
                "must be no more than 63 characters".to_string(),
                "must not contain dots".to_string()
            ]
        );
        assert_eq!(statefulset_name("Web"), dns1123_label("Web"));
        assert_eq!(
            statefulset_name("web.v1"),
            vec!["must not contain dots".to_string()]
        );
    }

    #[test]
    fn subdomains() {
        assert!(dns1123_subdomain("data.v1").is_empty());
        assert_eq!(
            dns1123_subdomain("Fast_SSD"),
            vec![SUBDOMAIN_MSG.to_string()]
        );
        assert_eq!(
            dns1123_subdomain(&"w".repeat(254)),
            vec!["must be no more than 253 characters".to_string()]
        );
        assert!(dns1123_subdomain(&"w".repeat(253)).is_empty());
        assert_eq!(dns1123_subdomain("a..b"), vec![SUBDOMAIN_MSG.to_string()]);
        assert_eq!(dns1123_subdomain(".a"), vec![SUBDOMAIN_MSG.to_string()]);
        assert_eq!(dns1123_subdomain(""), vec![SUBDOMAIN_MSG.to_string()]);
        assert_eq!(
            persistent_volume_claim_name("-web-0"),
            vec![SUBDOMAIN_MSG.to_string()]
        );
    }

    #[test]
    fn qualified_names() {
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
        assert!(qualified_name("app").is_empty());
        assert!(qualified_name("My_Name.x").is_empty());
        assert_eq!(qualified_name("bad key"), vec![NAME_PART_MSG.to_string()]);
        assert_eq!(
            qualified_name("/name"),
            vec!["prefix part must be non-empty".to_string()]
        );
        assert_eq!(
            qualified_name("Example.com/name"),
            vec![format!("prefix part {SUBDOMAIN_MSG}")]
        );
        assert_eq!(
            qualified_name("example.com/"),
            vec![
                "name part must be non-empty".to_string(),
                NAME_PART_MSG.to_string()
            ]
        );
        assert_eq!(
            qualified_name(&"a".repeat(64)),
            vec!["name part must be no more than 63 characters".to_string()]
        );
        let three = qualified_name("a/b/c");
        assert_eq!(three.len(), 1);
        assert!(three[0].starts_with("a qualified name must consist of"));
        assert!(three[0].ends_with(
            "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ));
    }

    #[test]
    fn label_values() {
        assert_eq!(label_value("nginx web"), vec![LABEL_VALUE_MSG.to_string()]);
        assert!(label_value("").is_empty());
        assert!(label_value("nginx").is_empty());
        assert!(label_value("My_value.1").is_empty());
        assert_eq!(
            label_value(&"a".repeat(64)),
            vec!["must be no more than 63 characters".to_string()]
        );
        assert!(label_value(&"a".repeat(63)).is_empty());
        assert_eq!(label_value("-a"), vec![LABEL_VALUE_MSG.to_string()]);
    }

    #[test]
    fn derived_names() {
        assert_eq!(pod_name("web", 0), "web-0");
        assert_eq!(claim_name("www", "web", 2), "www-web-2");
        assert_eq!(largest_ordinal(0, 3), 2);
        assert_eq!(largest_ordinal(5, 3), 7);
        assert_eq!(largest_ordinal(5, 0), 5);
        assert_eq!(largest_ordinal(0, -1), 0);
        assert_eq!(largest_ordinal(i64::MAX, i64::MAX), i64::MAX);
        assert_eq!(largest_ordinal(i64::MIN, i64::MIN), i64::MIN);
        // A 61-character StatefulSet name gives a 63-character pod name.
        let sts = "w".repeat(61);
        assert!(dns1123_label(&pod_name(&sts, 0)).is_empty());
        assert!(!dns1123_label(&pod_name(&"w".repeat(62), 0)).is_empty());
        assert!(!label_value(&pod_name(&"w".repeat(63), 0)).is_empty());
    }

    #[test]
    fn the_validity_checks_agree_with_the_messages_at_the_edges() {
        let long = |n: usize| "a".repeat(n);
        let cases = [
            String::new(),
            "a".into(),
            "MyName".into(),
            "my.name".into(),
            "my_name".into(),
            "-a".into(),
            "a-".into(),
            "a/b".into(),
            "example.com/MyName".into(),
            "Example.com/x".into(),
            "/x".into(),
            "a/".into(),
            "a//b".into(),
            "a/b/c".into(),
            "k 0".into(),
            "v v".into(),
            long(63),
            long(64),
            format!("{}/x", long(253)),
            format!("{}/x", long(254)),
            format!("a/{}", long(63)),
            format!("a/{}", long(64)),
            "a.-b/c".into(),
            "é".into(),
        ];
        for s in &cases {
            assert_eq!(is_qualified_name(s), qualified_name(s).is_empty(), "{s:?}");
            assert_eq!(is_label_value(s), label_value(s).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("acessModes", "accessModes"), 1);
        assert_eq!(edit_distance("é", "e"), 1);
        assert_eq!(
            did_you_mean("mountpath", ["mountPath", "name", "readOnly"]),
            Some("mountPath")
        );
        assert_eq!(
            did_you_mean(
                "acessModes",
                ["resources", "accessModes", "storageClassName", "volumeMode"]
            ),
            Some("accessModes")
        );
        assert_eq!(
            did_you_mean("nginx-config", ["nginx-conf", "cache"]),
            Some("nginx-conf")
        );
        assert_eq!(did_you_mean("zzz", ["www"]), None);
        assert_eq!(did_you_mean("WWW", ["www", "wwx"]), Some("www"));
        assert_eq!(did_you_mean("x", ["y", "x"]), Some("x"));
        assert_eq!(did_you_mean("data", std::iter::empty()), None);
        assert_eq!(
            suggestions("replica", ["replicas", "Replica", "selector"]),
            vec!["Replica", "replicas"]
        );
    }

    proptest! {
        #[test]
        fn valid_labels_are_valid(s in "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?") {
            prop_assert!(dns1123_label(&s).is_empty());
            prop_assert!(dns1123_subdomain(&s).is_empty());
            prop_assert!(label_value(&s).is_empty());
            prop_assert!(qualified_name(&s).is_empty());
        }

        #[test]
        fn arbitrary_names_never_panic(s in ".{0,300}") {
            let label = dns1123_label(&s);
            let sub = dns1123_subdomain(&s);
            if label.is_empty() {
                prop_assert!(sub.is_empty());
                prop_assert!(s.len() <= 63 && !s.contains('.'));
            }
            if s.len() > 63 {
                prop_assert!(label.contains(&"must be no more than 63 characters".to_string()));
            }
            let _ = qualified_name(&s);
            let _ = label_value(&s);
        }

        #[test]
        fn subdomains_from_labels(parts in proptest::collection::vec("[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?", 1..5)) {
            let s = parts.join(".");
            prop_assert!(dns1123_subdomain(&s).is_empty());
            if parts.len() > 1 {
                prop_assert_eq!(dns1123_label(&s), vec!["must not contain dots".to_string()]);
            }
        }

        #[test]
        fn edit_distance_is_a_metric(a in ".{0,12}", b in ".{0,12}", c in ".{0,12}") {
            let ab = edit_distance(&a, &b);
            prop_assert_eq!(ab, edit_distance(&b, &a));
            prop_assert_eq!(edit_distance(&a, &a), 0);
            prop_assert!(ab <= edit_distance(&a, &c) + edit_distance(&c, &b));
            let (la, lb) = (a.chars().count(), b.chars().count());
            prop_assert!(ab >= la.abs_diff(lb));
            prop_assert!(ab <= la.max(lb));
            prop_assert_eq!(ab == 0, a == b);
        }

        #[test]
        fn the_validity_checks_agree_with_the_messages(s in "[a-zA-Z0-9./_ -]{0,70}|[a-z./]{60,300}") {
            prop_assert_eq!(is_qualified_name(&s), qualified_name(&s).is_empty(), "{}", s);
            prop_assert_eq!(is_label_value(&s), label_value(&s).is_empty(), "{}", s);
        }

        #[test]
        fn did_you_mean_is_within_limit(w in "[a-zA-Z-]{1,12}", cands in proptest::collection::vec("[a-zA-Z-]{1,12}", 0..6)) {
            if let Some(best) = did_you_mean(&w, cands.iter().map(String::as_str)) {
                let limit = (w.chars().count() / 3).max(1);
                prop_assert!(best.eq_ignore_ascii_case(&w) || edit_distance(&w, best) <= limit);
            }
        }
    }
}
