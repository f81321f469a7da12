//! CC007 invalid-quantity: A resource quantity that the API server cannot parse.

use crate::diagnostic::Applicability;
use crate::fix;
use crate::model::quantity;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks every resource quantity (`resources.requests`, `resources.limits`, `emptyDir.sizeLimit`, `overhead`) against the Kubernetes quantity syntax: a number with an optional binary (`Ki`, `Mi`, `Gi`, …), decimal (`k`, `M`, `G`, …) or exponent (`e3`) suffix.
    ///
    /// ## Why is this bad?
    /// A quantity that does not parse makes the whole object undecodable: the API server answers `quantities must match the regular expression` and stores nothing. Common slips are `1GB`, `1gi`, `10 Gi` and `5e-1Gi`.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: 1GB
    /// ```
    /// Write `1G` (10^9 bytes) or, more likely meant, `1Gi` (2^30 bytes).
    ///
    /// ## Fix safety
    /// The suggested spelling is unsafe: `1GB` becomes `1G`, which keeps the decimal meaning, but the author may have meant `1Gi`.
    pub CC007 {
        name: "invalid-quantity",
        severity: Error,
        fix: Unsafe,
        summary: "A resource quantity that the API server cannot parse",
    }
}

pub(super) fn check_quantity(ctx: &mut Ctx, obj: &Object, node: &Node, ptr: &str, s: &str) {
    let Err(err) = quantity::Quantity::parse(s) else {
        return;
    };
    let why = match err {
        quantity::QuantityError::Empty => "it is empty".to_string(),
        quantity::QuantityError::Syntax(m) => m,
    };
    let mut message = format!(
        "`{s}` is not a valid quantity ({why}); the API server cannot decode the {}",
        if obj.kind.is_empty() {
            "object"
        } else {
            obj.kind
        }
    );
    let mut fix_ = None;
    if let Some(sugg) = quantity::suggest_fix(s) {
        let binary = sugg.ends_with('i');
        message.push_str(&format!("; did you mean `{sugg}`?"));
        if !binary && s.to_ascii_uppercase().ends_with('B') {
            message.push_str(&format!(
                " (`{sugg}` is decimal, 10^n bytes; `{}i` would be binary)",
                sugg
            ));
        }
        if let Some(edit) = fix::replace_string(obj.text, node, &sugg) {
            fix_ = crate::fix::make(
                &CC007,
                Applicability::Unsafe,
                format!("Write `{sugg}`"),
                vec![edit],
                vec![PatchOp::Replace {
                    path: obj.ptr(ptr),
                    value: serde_json::Value::String(sugg.clone()),
                }],
            );
        }
    }
    ctx.report(obj, &CC007, ptr, message, fix_);
}
