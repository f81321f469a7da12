//! The walk over a claim spec's access modes: each entry looked at once, the findings of
//! CC205 (missing), CC206 (invalid), CC207 (repeated) and CC208 (ReadWriteOncePod combined)
//! built by their rules' files, and the fixes of one list reconciled (a fix that adds or
//! removes an item moves the later ones).

use super::access_mode_duplicate::repeated_mode;
use super::access_mode_invalid::invalid_mode;
use super::access_modes_missing::report_missing;
use super::read_write_once_pod_exclusive::report_combined;
use super::{Claim, ACCESS_MODES, RWOP};
use crate::diagnostic::{Fix, TextEdit};
use crate::fix;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Span, Style, Value};
use std::collections::BTreeMap;

/// Removes item `index` of a sequence with the whole line it takes (block) or with its
/// separator (flow). `None` when that cannot be done cleanly.
pub(super) fn remove_item(text: &str, seq: &Node, index: usize) -> Option<TextEdit> {
    if seq.copied {
        return None;
    }
    let items = seq.as_seq()?;
    let item = items.get(index)?;
    if item.copied || items.len() < 2 {
        return None;
    }
    match seq.style {
        Style::Flow => {
            if let Some(next) = items.get(index + 1) {
                Some(TextEdit::delete(Span::new(
                    item.span.start,
                    next.span.start,
                )))
            } else {
                let prev = items.get(index.checked_sub(1)?)?;
                Some(TextEdit::delete(Span::new(prev.span.end, item.span.end)))
            }
        }
        Style::Block => {
            let start = fix::line_start(text, item.span.start);
            let before = text.get(start..item.span.start)?;
            if before.trim() != "-" || text.get(item.span.start..item.span.end)?.contains('\n') {
                return None;
            }
            let end = fix::line_end(text, item.span.end.saturating_sub(1).max(item.span.start));
            Some(TextEdit::delete(Span::new(start, end)))
        }
        _ => None,
    }
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
    for (i, item) in items.iter().enumerate() {
        let s = match &item.value {
            Value::Str(s) => s.as_str(),
            Value::Null => "",
            _ => continue, // CC004
        };
        // the item's pointer, built only for a finding
        let ip = || format!("{ptr}/{i}");
        if !ACCESS_MODES.contains(&s) {
            findings.push(invalid_mode(obj, c, seq, (i, item, &ip()), s));
            continue;
        }
        if s == RWOP {
            rwop = true;
        } else if !others.contains(&s) {
            others.push(s);
        }
        match seen.get(s) {
            Some(&first) => findings.push(repeated_mode(obj, c, seq, (i, &ip()), s, first)),
            None => {
                seen.insert(s, i);
            }
        }
    }
    if rwop && !others.is_empty() {
        report_combined(ctx, obj, c, (seq, items, &ptr), &others);
    }
    // Fixes of one round are applied together and their patches in order: after a fix that
    // adds or removes an item, the pointers of later items are stale. Keep later fixes for
    // the next round.
    let mut shifted = false;
    for f in findings {
        let fix_ = if shifted { None } else { f.fix };
        if f.shifts && fix_.is_some() {
            shifted = true;
        }
        ctx.report(obj, f.rule, &f.pointer, f.message, fix_);
    }
}
