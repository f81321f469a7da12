//! CC207 access-mode-duplicate: The same access mode listed twice.

use super::access_modes::{remove_item, ItemFinding};
use super::Claim;
use crate::diagnostic::Applicability;
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
    /// Removing the repeat is safe: a list with the mode once means exactly the same.
    pub CC207 {
        name: "access-mode-duplicate",
        severity: Warning,
        fix: Safe,
        summary: "The same access mode listed twice",
    }
}

/// CC207: item `i` of the access modes `seq` (at `ip`) repeats mode `s`, first listed as item
/// `first`: the finding, with the fix that removes the repeat.
pub(super) fn repeated_mode(
    obj: &Object,
    c: &Claim,
    seq: &Node,
    (i, ip): (usize, &str),
    s: &str,
    first: usize,
) -> ItemFinding {
    let message = format!(
        "{} lists access mode `{s}` twice (first as item {first}): the repeat has no effect",
        c.label()
    );
    let fix_ = remove_item(obj.text, seq, i).and_then(|edit| {
        crate::fix::make(
            &CC207,
            Applicability::Safe,
            format!("Remove the repeated `{s}`"),
            vec![edit],
            vec![PatchOp::Remove { path: obj.ptr(ip) }],
        )
    });
    ItemFinding {
        rule: &CC207,
        pointer: ip.to_string(),
        message,
        fix: fix_,
        shifts: true,
    }
}
