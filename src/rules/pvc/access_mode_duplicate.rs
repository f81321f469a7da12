//! CC207 access-mode-duplicate: The same access mode listed twice.

use super::access_modes::{remove_items, ItemFinding};
use super::Claim;
use crate::diagnostic::{Applicability, Fix};
use crate::patch::PatchOp;
use crate::rule::Object;
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Finds an access mode that appears more than once in `accessModes`. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind.
    ///
    /// ## Why is this bad?
    /// The API server accepts it and the repeat means nothing. It often hides a mistake: the author meant a different second mode, or a merge of two manifests went wrong.
    ///
    /// ## Example
    /// ```yaml
    /// accessModes: [ReadWriteOnce, ReadWriteOnce]
    /// ```
    ///
    /// ## Fix safety
    /// Removing the repeat is safe: a list with the mode once means exactly the same. One fix removes every repeat of a list.
    pub CC207 {
        name: "access-mode-duplicate",
        severity: Warning,
        fix: Safe,
        summary: "The same access mode listed twice",
    }
}

/// CC207: the item at `ip` repeats mode `s`, first listed as item `first`: the finding (its
/// fix, for every repeat of the list, is [`remove_repeats`]).
pub(super) fn repeated_mode(c: &Claim, ip: &str, s: &str, first: usize) -> ItemFinding {
    ItemFinding {
        rule: &CC207,
        pointer: ip.to_string(),
        message: format!(
            "{} lists access mode `{s}` twice (first as item {first}): the repeat has no effect",
            c.label()
        ),
        fix: None,
        shifts: true,
    }
}

/// CC207's fix: remove every repeat (`repeats`: item indices, ascending) of the access modes
/// `seq` at `ptr`, so that a list with many repeats is fixed in one round.
pub(super) fn remove_repeats(
    obj: &Object,
    seq: &Node,
    ptr: &str,
    repeats: &[usize],
) -> Option<Fix> {
    let (removed, edits) = remove_items(obj.text, seq, repeats);
    let title = match removed.as_slice() {
        [] => return None,
        [i] => {
            let mode = seq.as_seq().and_then(|items| items.get(*i)?.as_str());
            format!("Remove the repeated `{}`", mode.unwrap_or_default())
        }
        more => format!("Remove the {} repeated access modes", more.len()),
    };
    // from the last item back: each index holds when its removal runs
    let mut patch = Vec::with_capacity(removed.len());
    for i in removed.into_iter().rev() {
        patch.push(PatchOp::Remove {
            path: obj.ptr(&format!("{ptr}/{i}")),
        });
    }
    crate::fix::make(&CC207, Applicability::Safe, title, edits, patch)
}
