//! CC212 non-canonical-quantity: A claim quantity that the API server stores in another form.

use super::Written;
use crate::diagnostic::{Applicability, TextEdit};
use crate::fix;
use crate::model::quantity::Quantity;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::Value;

crate::declare_rule! {
    /// ## What it does
    /// Predicts how the API server stores each quantity of a claim spec (`resources.requests`, `resources.limits`) and reports those written differently: `1024Mi` is stored as `1Gi`, `1.5Gi` as `1536Mi`, ` 1Gi` as `1Gi`, a YAML number `1073741824` as the string `"1073741824"`. Forms the API server keeps as written (`1e9`, `+2Gi`, `1.Gi`) are left alone. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind.
    ///
    /// ## Why is this bad?
    /// The stored object differs from the manifest. Tools that compare the two as JSON (GitOps controllers, drift detectors, `diff` of an export) report a change that is not one, on every sync. It also hides what the cluster will show you.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: 1024Mi   # stored as 1Gi
    /// ```
    ///
    /// ## Fix safety
    /// Writing the stored form is safe: it is the same value, as the API server itself writes it (numbers become quoted strings). When the stored form would read back as a different value (an upstream quirk with very large quantities such as `1000000E`, stored as `1`), no fix is offered.
    pub CC212 {
        name: "non-canonical-quantity",
        severity: Hint,
        fix: Safe,
        summary: "A claim quantity that the API server stores in another form",
    }
}

/// CC212: the form the API server stores differs from what is written. Returns whether the
/// stored form keeps the value.
pub(super) fn check_canonical(
    ctx: &mut Ctx,
    obj: &Object,
    w: &Written,
    q: &Quantity,
    ptr: &dyn Fn() -> String,
) -> bool {
    let stored = q.canonical();
    let is_number = matches!(w.node.value, Value::Int(_) | Value::Float(_));
    if !is_number && stored == w.text {
        return true;
    }
    let same_value = Quantity::parse(&stored)
        .map(|b| b.cmp_value(q) == std::cmp::Ordering::Equal)
        .unwrap_or(false);
    let shown = w.text.as_str();
    let binary = binary_form(q)
        .filter(|b| *b != stored)
        .map(|b| format!(" (the same size as `{b}`)"))
        .unwrap_or_default();
    let mut message = if is_number && stored == shown {
        format!(
            "`{shown}`{binary} is written as a number, but the API server stores quantities as strings: the stored object has `\"{stored}\"`, which tools comparing manifest and cluster as JSON report as a difference"
        )
    } else if is_number {
        format!(
            "`{shown}` is written as a number; the API server stores it as the string `\"{stored}\"`, so the stored object differs from the manifest (GitOps tools may show drift)"
        )
    } else if stored.trim() == shown.trim() {
        format!(
            "`{shown:?}` has surrounding spaces; the API server stores `{stored}`, so the stored object differs from the manifest (GitOps tools may show drift)"
        )
    } else {
        format!(
            "`{shown}` is stored by the API server as `{stored}`: the stored object differs from the manifest (GitOps tools may show drift)"
        )
    };
    if !same_value {
        message = format!(
            "`{shown}` is stored by the API server as `{stored}`, which reads back as a different value (an upstream quirk with very large quantities): write the size so that it stays as written, e.g. with a smaller unit"
        );
    }
    // Storage is counted in whole bytes; the API server warns about fractions.
    let fractional = q.milli_value().is_some_and(|m| m % 1000 != 0);
    if fractional {
        message.push_str(&format!(
            "; it is also not a whole number of bytes (the API server warns: fractional byte value \"{stored}\" is invalid, must be an integer), so choose a size in whole bytes instead"
        ));
    }
    let fix_ = if same_value && !fractional && !w.node.copied {
        let edit = if is_number {
            Some(TextEdit::replace(w.node.span, fix::json_string(&stored)))
        } else {
            fix::replace_string(obj.text, w.node, &stored)
        };
        edit.and_then(|edit| {
            crate::fix::make(
                &CC212,
                Applicability::Safe,
                format!("Write `{stored}` as the API server stores it"),
                vec![edit],
                vec![PatchOp::Replace {
                    path: obj.ptr(&ptr()),
                    value: serde_json::Value::String(stored.clone()),
                }],
            )
        })
    } else {
        None
    };
    ctx.report(obj, &CC212, &ptr(), message, fix_);
    same_value
}

/// A whole number of bytes written with the largest binary suffix that divides it (`2Gi`).
pub(super) fn binary_form(q: &Quantity) -> Option<String> {
    let (mantissa, exponent) = q.to_decimal_parts();
    if mantissa <= 0 || exponent < 0 {
        return None;
    }
    let mut n = mantissa.checked_mul(10i128.checked_pow(u32::try_from(exponent).ok()?)?)?;
    let mut k = 0;
    while n % 1024 == 0 && k < 6 {
        n /= 1024;
        k += 1;
    }
    let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].get(k)?;
    (k > 0).then(|| format!("{n}{suffix}"))
}
