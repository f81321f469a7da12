//! The walk over a claim spec's access modes: each entry looked at once, the findings of
//! CC205 (missing), CC206 (invalid), CC207 (repeated) and CC208 (ReadWriteOncePod combined)
//! built by their rules' files, and the fixes of one list reconciled (a fix that adds or
//! removes an item moves the later ones).

use super::access_mode_duplicate::{remove_repeats, repeated_mode};
use super::access_mode_invalid::{invalid_mode, split_fix};
use super::access_modes_missing::report_missing;
use super::read_write_once_pod_exclusive::report_combined;
use super::{Claim, ACCESS_MODES, RWOP};
use crate::diagnostic::{Fix, TextEdit};
use crate::fix;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Span, Style, Value};
use std::collections::BTreeMap;

/// Removes items `indices` (ascending, at least one item staying) of a sequence: each with the
/// whole line it takes (block) or with a separator (flow). Items over several lines stay; the
/// others' edits do not overlap. Nothing is removed from a list holding an alias's copy (its
/// span is the anchor's, elsewhere). Returns the removed items' indices and their edits.
pub(super) fn remove_items(
    text: &str,
    seq: &Node,
    indices: &[usize],
) -> (Vec<usize>, Vec<TextEdit>) {
    let (mut removed, mut edits) = (Vec::new(), Vec::new());
    let Some(items) = seq.as_seq() else {
        return (removed, edits);
    };
    if seq.copied || items.iter().any(|item| item.copied) {
        return (removed, edits);
    }
    for &i in indices {
        let Some(item) = items.get(i) else {
            continue;
        };
        let span = match seq.style {
            // the item's span; its separator is added below
            Style::Flow => item.span,
            Style::Block => {
                let start = fix::line_start(text, item.span.start);
                let single = text
                    .get(item.span.start..item.span.end)
                    .is_some_and(|t| !t.contains('\n'));
                if !single || text.get(start..item.span.start).map(str::trim) != Some("-") {
                    continue;
                }
                let last = item.span.end.saturating_sub(1).max(item.span.start);
                Span::new(start, fix::line_end(text, last))
            }
            _ => continue,
        };
        removed.push(i);
        edits.push(TextEdit::delete(span));
    }
    if removed.len() >= items.len() {
        return (Vec::new(), Vec::new());
    }
    if seq.style == Style::Flow {
        let n = removed.len();
        for (k, (&i, e)) in removed.iter().zip(edits.iter_mut()).enumerate() {
            if n - k < items.len() - i {
                // an item after this one stays: delete up to the next item
                e.span.end = items.get(i + 1).map_or(e.span.end, |next| next.span.start);
            } else if let Some(prev) = i.checked_sub(1).and_then(|p| items.get(p)) {
                // every later item goes too: delete from the previous item's end (which stays,
                // or whose own deletion ends there)
                e.span.start = prev.span.end;
            }
        }
    }
    (removed, edits)
}

/// One access-mode finding and its fix, before the fixes of one list are reconciled.
pub(super) struct ItemFinding {
    pub(super) rule: &'static RuleMeta,
    pub(super) pointer: String,
    pub(super) message: String,
    pub(super) fix: Option<Fix>,
    /// The fix adds or removes list items, moving the indices of later items.
    pub(super) shifts: bool,
}

pub(super) fn check_access_modes(ctx: &mut Ctx, obj: &Object, c: &Claim) {
    let ptr = c.ptr("/accessModes");
    let node = c.spec.and_then(|s| s.get("accessModes"));
    let items = match node.map(|n| &n.value) {
        None | Some(Value::Null) => None,
        Some(Value::Seq(items)) => Some(items.as_slice()),
        Some(_) => return, // CC004
    };
    let Some(items) = items.filter(|i| !i.is_empty()) else {
        report_missing(ctx, obj, c, node, &ptr);
        return;
    };
    let seq = node.unwrap_or(&items[0]);
    let mut findings: Vec<ItemFinding> = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rwop = false;
    let mut others: Vec<&str> = Vec::new();
    // the items CC206 splits and CC207 removes, each rule's first finding (in `findings`)
    let (mut splits, mut first_split) = (Vec::new(), None);
    let (mut repeats, mut first_repeat) = (Vec::new(), None);
    for (i, item) in items.iter().enumerate() {
        let s = match &item.value {
            Value::Str(s) => s.as_str(),
            Value::Null => "",
            _ => continue, // CC004
        };
        // the item's pointer, built only for a finding
        let ip = || format!("{ptr}/{i}");
        if !ACCESS_MODES.contains(&s) {
            let f = invalid_mode(obj, c, (item, &ip()), s);
            if f.shifts {
                first_split.get_or_insert(findings.len());
                splits.push((i, item));
            }
            findings.push(f);
            continue;
        }
        if s == RWOP {
            rwop = true;
        } else if !others.contains(&s) {
            others.push(s);
        }
        match seen.get(s) {
            Some(&first) => {
                first_repeat.get_or_insert(findings.len());
                repeats.push(i);
                findings.push(repeated_mode(c, &ip(), s, first));
            }
            None => {
                seen.insert(s, i);
            }
        }
    }
    if rwop && !others.is_empty() {
        report_combined(ctx, obj, c, (seq, items, &ptr), &others);
    }
    // The fixes that add or remove items come one per rule and list, on the rule's first
    // finding: one fix splits every item, one removes every repeat (their patches work from the
    // last item back, so each pointer holds when its operation runs).
    if let Some(f) = first_split.and_then(|k| findings.get_mut(k)) {
        f.fix = split_fix(obj, seq, &ptr, &splits);
    }
    if let Some(f) = first_repeat.and_then(|k| findings.get_mut(k)) {
        f.fix = remove_repeats(obj, seq, &ptr, &repeats);
    }
    // Fixes of one round are applied together and their patches in order: after a fix that
    // adds or removes items, the pointers of later items are stale. Keep later fixes for the
    // next round.
    let mut shifted = false;
    for f in findings {
        let fix_ = if shifted { None } else { f.fix };
        if f.shifts && fix_.is_some() {
            shifted = true;
        }
        ctx.report(obj, f.rule, &f.pointer, f.message, fix_);
    }
}
