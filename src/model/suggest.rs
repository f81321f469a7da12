//! "Did you mean" with a bounded cost, and lists of names capped for messages.
//!
//! Edit distance is quadratic in the lengths of the strings it compares, and a rule that
//! suggests one object's name for another's reference runs once per reference against every
//! candidate. Unbounded, a 100,000-character `serviceName` or 5,000 StatefulSets against 5,000
//! Services cost seconds to minutes. Here:
//!
//! - names longer than [`MAX_NAME_CHARS`] (Kubernetes names are at most 253) are only
//!   compared ignoring case, never by edit distance;
//! - at most [`MAX_CANDIDATES`] candidates are looked at per question;
//! - cheap lower bounds (length difference, then the characters one string has and the other
//!   lacks) rule most candidates out before any distance is computed;
//! - the distance itself is banded: only cells within the allowed distance of the diagonal
//!   are filled, and it stops as soon as a row exceeds the allowance;
//! - every candidate looked at and every distance cell counts against a budget per run
//!   ([`start_run`], called by the engine for each lint); once it is spent, no more
//!   suggestions are made in that run.

use std::cell::Cell;

/// Longer names (in characters) get no edit-distance suggestions.
pub const MAX_NAME_CHARS: usize = 253;

/// Candidates considered per question, in the order given.
pub const MAX_CANDIDATES: usize = 1_000;

/// Work one run may spend on suggestions, in edit-distance cells (a candidate looked at costs
/// about its length); a few milliseconds natively.
pub const RUN_BUDGET: usize = 4_000_000;

thread_local! {
    static BUDGET: Cell<usize> = const { Cell::new(RUN_BUDGET) };
}

/// Starts a new run: the whole budget is available again.
pub fn start_run() {
    BUDGET.with(|b| b.set(RUN_BUDGET));
}

/// Cells left in this run's budget.
pub fn budget_left() -> usize {
    BUDGET.with(Cell::get)
}

fn take(cells: usize) -> bool {
    BUDGET.with(|b| {
        let left = b.get();
        if cells > left {
            b.set(0);
            false
        } else {
            b.set(left - cells);
            true
        }
    })
}

/// The largest edit distance at which `wanted` (of `len` characters) still gets a suggestion.
pub fn allowance(len: usize) -> usize {
    (len / 3).max(1)
}

/// The best suggestion for `wanted` among `candidates`: one equal ignoring ASCII case first,
/// else the closest within edit distance [`allowance`] (ties keep the candidates' order).
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggestions(wanted, candidates).into_iter().next()
}

/// Every suggestion for `wanted`, best first (see [`did_you_mean`]).
pub fn suggestions<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    if budget_left() == 0 {
        return Vec::new();
    }
    let w: Vec<char> = wanted.chars().take(MAX_NAME_CHARS + 1).collect();
    let comparable = w.len() <= MAX_NAME_CHARS;
    let limit = allowance(w.len());
    // (a name too long to compare has no counts: they are only taken for a comparison)
    let w_bag = if comparable {
        Bag::of(wanted.chars())
    } else {
        Bag([0; 64])
    };
    let mut found: Vec<(bool, usize, usize, &'a str)> = Vec::new();
    // buffers reused from candidate to candidate
    let mut c: Vec<char> = Vec::new();
    let mut rows = Rows::default();
    for (index, cand) in candidates.into_iter().take(MAX_CANDIDATES).enumerate() {
        // looking at a candidate costs about its length
        if !take(8 + cand.len().min(4 * MAX_NAME_CHARS)) {
            break;
        }
        if cand.len() == wanted.len() && cand.eq_ignore_ascii_case(wanted) {
            found.push((false, 0, index, cand));
            continue;
        }
        // byte length bounds the character count: at least len/4, at most len
        if !comparable || cand.len() / 4 > MAX_NAME_CHARS {
            continue;
        }
        // the characters are only collected for a distance: most candidates are ruled out
        // before it by their number and their counts
        let chars = cand.chars().count();
        if chars > MAX_NAME_CHARS || chars.abs_diff(w.len()) > limit {
            continue;
        }
        if !take(chars + 64) || w_bag.lower_bound(&Bag::of(cand.chars())) > limit {
            continue;
        }
        c.clear();
        c.extend(cand.chars());
        if let Some(d) = banded_distance_in(&mut rows, &w, &c, limit) {
            found.push((true, d, index, cand));
        }
    }
    // the keys are distinct (each candidate has its own index): no stable sort needed
    found.sort_unstable_by_key(|&(not_ci, d, index, _)| (not_ci, d, index));
    found.into_iter().map(|(_, _, _, c)| c).collect()
}

/// Character counts of a short string: ASCII letters and digits each, everything else in one
/// bucket per (code point mod 27).
struct Bag([u16; 64]);

impl Bag {
    fn of(s: std::str::Chars) -> Bag {
        let mut b = [0u16; 64];
        for ch in s {
            let i = match ch {
                'a'..='z' => ch as usize - 'a' as usize,
                'A'..='Z' => 26 + (ch as usize - 'A' as usize) % 10,
                '0'..='9' => 36 + (ch as usize - '0' as usize) % 10,
                '-' => 63,
                _ => 46 + (ch as usize) % 17,
            };
            b[i] = b[i].saturating_add(1);
        }
        Bag(b)
    }

    /// A lower bound of the edit distance: every edit changes at most one character on each
    /// side, so the distance is at least the larger of the two one-sided surpluses.
    fn lower_bound(&self, other: &Bag) -> usize {
        // (without branches: the compiler sums all 64 at once; at most 64 × 65,535 each)
        let (mut more, mut less) = (0u32, 0u32);
        for (a, b) in self.0.iter().zip(other.0.iter()) {
            more += u32::from(a.saturating_sub(*b));
            less += u32::from(b.saturating_sub(*a));
        }
        more.max(less) as usize
    }
}

/// Levenshtein distance between `a` and `b` when it is at most `limit`, else `None`. Fills
/// only the band of `2 * limit + 1` cells around the diagonal, charged to the run's budget
/// (`None` too when the budget is spent).
#[cfg(test)]
fn banded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    banded_distance_in(&mut Rows::default(), a, b, limit)
}

/// The two rows [`banded_distance_in`] fills, kept from one call to the next.
#[derive(Default)]
struct Rows {
    prev: Vec<usize>,
    cur: Vec<usize>,
}

/// [`banded_distance`] with its rows in `rows`.
fn banded_distance_in(rows: &mut Rows, a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = 2 * limit + 1;
    if !take(a.len().saturating_mul(width).max(1)) {
        return None;
    }
    const FAR: usize = usize::MAX / 2;
    let n = b.len();
    let Rows { prev, cur } = rows;
    prev.clear();
    prev.extend((0..=n).map(|j| if j <= limit { j } else { FAR }));
    cur.clear();
    cur.resize(n + 1, FAR);
    for (i, &ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(limit);
        let hi = (row + limit).min(n);
        // cells left of the band hold stale values from two rows ago; right of it, never written
        if lo == 0 {
            cur[0] = row;
        } else {
            cur[lo - 1] = FAR;
        }
        let mut best = if lo == 0 { row } else { FAR };
        for j in lo.max(1)..=hi {
            let cost = usize::from(ca != b[j - 1]);
            let v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = v;
            best = best.min(v);
        }
        if best > limit {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let d = prev[n];
    (d <= limit).then_some(d)
}

/// At most `max` names for a message, each in backticks, the rest summarised:
/// "`a`, `b`, `c` and 1,998 more".
pub fn listed(names: &[&str], max: usize) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(max)
        .map(|n| format!("`{}`", clip(n, 80)))
        .collect();
    let mut s = shown.join(", ");
    if names.len() > max {
        s.push_str(&format!(" and {} more", thousands(names.len() - max)));
    }
    s
}

/// A name shortened for a message: at most `max` characters, with "…" when cut.
pub fn clip(name: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &name[..at]).into(),
        None => name.into(),
    }
}

/// 1998 → "1,998".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn full_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn suggests_like_before() {
        start_run();
        assert_eq!(did_you_mean("ngix", ["nginx", "web"]), Some("nginx"));
        assert_eq!(did_you_mean("WEB", ["nginx", "web"]), Some("web"));
        assert_eq!(did_you_mean("zzz", ["nginx", "web"]), None);
        assert_eq!(
            suggestions("replica", ["replicas", "Replica", "selector"]),
            vec!["Replica", "replicas"]
        );
    }

    #[test]
    fn long_names_are_compared_by_case_only() {
        start_run();
        let a = "a".repeat(100_000);
        let mut b = "a".repeat(99_999);
        b.push('b');
        let before = budget_left();
        assert_eq!(did_you_mean(&a, [b.as_str()]), None);
        assert!(before - budget_left() < 2_000, "no distance computed");
        let upper = a.to_uppercase();
        assert_eq!(did_you_mean(&a, [upper.as_str()]), Some(upper.as_str()));
    }

    #[test]
    fn candidates_and_the_budget_are_capped() {
        start_run();
        let names: Vec<String> = (0..5_000).map(|i| format!("svc-{i:06}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        // the exact-but-for-case match past the candidate cap is not seen
        assert_eq!(did_you_mean("SVC-004999", refs.iter().copied()), None);
        assert_eq!(
            did_you_mean("SVC-000999", refs.iter().copied()),
            Some("svc-000999")
        );
        for i in 0..100_000 {
            let _ = did_you_mean(&format!("gov-{i:06}"), refs.iter().copied());
            if budget_left() == 0 {
                break;
            }
        }
        assert_eq!(budget_left(), 0, "the budget runs out");
        assert_eq!(did_you_mean("svc-00000x", refs.iter().copied()), None);
        start_run();
        assert_eq!(
            did_you_mean("svc-00000x", refs.iter().copied()),
            Some("svc-000000")
        );
    }

    #[test]
    fn lists_are_capped() {
        let names = ["a", "b", "c", "d"];
        assert_eq!(listed(&names, 10), "`a`, `b`, `c`, `d`");
        assert_eq!(listed(&names, 2), "`a`, `b` and 2 more");
        assert_eq!(thousands(1998), "1,998");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("abc", 3), "abc");
    }

    proptest! {
        #[test]
        fn banded_distance_agrees_with_the_full_one(a in "[a-c-]{0,12}", b in "[a-c-]{0,12}", limit in 1usize..6) {
            start_run();
            let av: Vec<char> = a.chars().collect();
            let bv: Vec<char> = b.chars().collect();
            let full = full_distance(&a, &b);
            let banded = banded_distance(&av, &bv, limit);
            prop_assert_eq!(banded, (full <= limit).then_some(full));
            prop_assert!(Bag::of(a.chars()).lower_bound(&Bag::of(b.chars())) <= full);
        }
    }
}
