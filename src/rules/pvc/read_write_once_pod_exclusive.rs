//! CC208 read-write-once-pod-exclusive: ReadWriteOncePod combined with another access mode.

use super::{Claim, RWOP};
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Span, Style};

crate::declare_rule! {
    /// ## What it does
    /// Reports `accessModes` lists that hold `ReadWriteOncePod` together with another supported mode. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// `ReadWriteOncePod` promises that a single pod uses the volume; any other mode contradicts that. Validation forbids the combination (`may not use ReadWriteOncePod with other access modes`): a standalone claim is rejected, and a claim template's claims cannot be created.
    ///
    /// ## Example
    /// ```yaml
    /// accessModes: [ReadWriteOncePod, ReadWriteOnce]
    /// ```
    ///
    /// ## Fix safety
    /// Keeping only `ReadWriteOncePod` is unsafe: it is the strictest mode and the one that was written deliberately, but you may have wanted the other modes instead.
    pub CC208 {
        name: "read-write-once-pod-exclusive",
        severity: Error,
        fix: Unsafe,
        summary: "ReadWriteOncePod combined with another access mode",
    }
}

/// CC208: the access modes `seq` (at `ptr`) hold `ReadWriteOncePod` and `others`.
pub(super) fn report_combined(
    ctx: &mut Ctx,
    obj: &Object,
    c: &Claim,
    (seq, items, ptr): (&Node, &[Node], &str),
    others: &[&str],
) {
    let list = others
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!(
        "{} combines `ReadWriteOncePod` with {list}: `ReadWriteOncePod` (one pod only) must be the only access mode. {}.",
        c.label(), c.consequence
    );
    let fix_ = keep_rwop_fix(obj, seq, items, ptr);
    ctx.report(obj, &CC208, ptr, message, fix_);
}

/// Keeps only `ReadWriteOncePod` in the list.
pub(super) fn keep_rwop_fix(obj: &Object, seq: &Node, items: &[Node], ptr: &str) -> Option<Fix> {
    let text = obj.text;
    if seq.copied || items.iter().any(|n| n.copied) {
        return None;
    }
    let keep = items.iter().position(|n| n.as_str() == Some(RWOP))?;
    let edits = match seq.style {
        Style::Flow => {
            let kept = text.get(items.get(keep)?.span.start..items.get(keep)?.span.end)?;
            vec![TextEdit::replace(seq.span, format!("[{kept}]"))]
        }
        Style::Block => {
            let mut edits = Vec::new();
            for k in (0..items.len()).filter(|k| *k != keep) {
                // line removals, computed on the original text
                let item = items.get(k)?;
                let start = fix::line_start(text, item.span.start);
                let before = text.get(start..item.span.start)?;
                if before.trim() != "-" || text.get(item.span.start..item.span.end)?.contains('\n')
                {
                    return None;
                }
                let end = fix::line_end(text, item.span.end.saturating_sub(1).max(item.span.start));
                edits.push(TextEdit::delete(Span::new(start, end)));
            }
            edits
        }
        _ => return None,
    };
    crate::fix::make(
        &CC208,
        Applicability::Unsafe,
        "Keep only `ReadWriteOncePod`",
        edits,
        vec![PatchOp::Replace {
            path: obj.ptr(ptr),
            value: serde_json::json!([RWOP]),
        }],
    )
}
