//! Claim templates on update: reports CC502 (a template changed; they are immutable).

use super::{
    compare, diff, dotted, field, int_at, migration, quantity_of, show, stored_template,
    template_name_of, what_changed, Change, CC502,
};
use crate::model::names;
use crate::rule::{Bundle, Ctx, Object};
use serde_json::Value as J;
use std::cmp::Ordering;

pub(super) fn check_claim_templates<'s>(
    ctx: &mut Ctx,
    new: &Object,
    old: &Object,
    new_spec: &'s Option<J>,
    old_spec: &'s Option<J>,
    bundle: &Bundle,
) {
    let list = |s: &'s Option<J>| -> &'s [J] {
        field(s, "volumeClaimTemplates")
            .and_then(J::as_array)
            .map_or(&[], Vec::as_slice)
    };
    let (olds, news) = (list(old_spec), list(new_spec));
    let sts = old.name.or(new.name).unwrap_or("NAME");
    let start = int_at(old_spec, &["ordinals", "start"]).unwrap_or(0);
    let replicas = int_at(old_spec, &["replicas"]).unwrap_or(1);
    let last = names::largest_ordinal(start, replicas);
    let claims = |tpl: &str| {
        if last > start {
            format!(
                "`{}` … `{}`",
                names::claim_name(tpl, sts, start),
                names::claim_name(tpl, sts, last)
            )
        } else {
            format!("`{}`", names::claim_name(tpl, sts, start))
        }
    };
    let rejected = "but the claim templates of an existing StatefulSet cannot change: the API server rejects the whole update";
    if news.is_empty() && !olds.is_empty() {
        let gone: Vec<String> = olds
            .iter()
            .filter_map(|t| template_name_of(Some(t)))
            .map(|n| format!("`{n}`"))
            .collect();
        ctx.report(
            new,
            &CC502,
            "/spec/volumeClaimTemplates",
            format!(
                "the claim templates ({}) are removed, {rejected}. To drop them, {}; the existing claims stay until you delete them",
                gone.join(", "),
                migration(sts)
            ),
            None,
        );
        return;
    }
    for i in 0..olds.len().max(news.len()) {
        let ptr = format!("/spec/volumeClaimTemplates/{i}");
        let (o, n) = (olds.get(i), news.get(i));
        let (on, nn) = (template_name_of(o), template_name_of(n));
        match (o, n) {
            (None, Some(_)) => {
                let name = nn.unwrap_or("<unnamed>");
                ctx.report(
                    new,
                    &CC502,
                    &ptr,
                    format!("claim template `{name}` is added, {rejected}. To add it, {}; the controller then creates the claims `{name}-{sts}-<ordinal>` as it re-creates the pods with the new pod template", migration(sts)),
                    None,
                );
            }
            (Some(_), None) => {
                let name = on.unwrap_or("<unnamed>");
                ctx.report(
                    new,
                    &CC502,
                    &ptr,
                    format!("claim template `{name}` (template {i} of the live StatefulSet) is removed, {rejected}. To drop it, {}; the claims {} stay until you delete them", migration(sts), claims(name)),
                    None,
                );
            }
            (Some(_), Some(_)) if on != nn => {
                ctx.report(
                    new,
                    &CC502,
                    &ptr,
                    format!(
                        "claim template {i} is `{}` in the live StatefulSet and `{}` here, {rejected}. Templates are compared by position: to rename, add or reorder templates, {}",
                        on.unwrap_or("<unnamed>"),
                        nn.unwrap_or("<unnamed>"),
                        migration(sts)
                    ),
                    None,
                );
            }
            (Some(o), Some(n)) => {
                let (so, sn) = (stored_template(o), stored_template(n));
                let mut changes = Vec::new();
                diff(so.as_ref(), sn.as_ref(), &ptr, &mut changes);
                let name = nn.unwrap_or("<unnamed>");
                for c in changes {
                    let inner = c.ptr.get(ptr.len()..).unwrap_or("");
                    let message = if inner == "/spec/resources/requests/storage" {
                        storage_message(&c, name, &claims(name), sts, n, bundle)
                    } else {
                        format!(
                            "claim template `{name}`: {}, {rejected}. Claims already created would keep their old settings in any case; to use the new template for claims created from now on, {}",
                            what_changed(&c, &dotted(inner)),
                            migration(sts)
                        )
                    };
                    ctx.report(new, &CC502, &c.ptr, message, None);
                }
            }
            (None, None) => {}
        }
    }
}

/// CC502's message for a changed storage request: how to resize for real.
pub(super) fn storage_message(
    c: &Change,
    name: &str,
    claims: &str,
    sts: &str,
    tpl: &J,
    bundle: &Bundle,
) -> String {
    let (o, n) = (
        c.old.as_ref().and_then(quantity_of),
        c.new.as_ref().and_then(quantity_of),
    );
    let grows = matches!((&o, &n), (Some(o), Some(n)) if compare(n, o) == Ordering::Greater);
    let rejected = "but the claim templates of an existing StatefulSet cannot change: the API server rejects the whole update";
    if !grows {
        return format!(
            "claim template `{name}`: {}, {rejected}. Volumes cannot shrink either; keep the live size",
            what_changed(c, "spec.resources.requests.storage")
        );
    }
    let size = match &c.new {
        Some(J::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let class = tpl
        .get("spec")
        .and_then(|s| s.get("storageClassName"))
        .and_then(J::as_str);
    let class_note = match class.and_then(|c| storage_class(bundle, c)) {
        Some((cname, false)) => format!(" (StorageClass `{cname}` in this input lacks `allowVolumeExpansion: true`: set it first, if its driver can expand volumes)"),
        Some((_, true)) => String::new(),
        None => " (their StorageClass must allow volume expansion)".to_string(),
    };
    format!(
        "claim template `{name}` asks for {} instead of {}, {rejected}; the claims already created would keep their size anyway. To grow the volumes: resize each existing claim, {claims}, with `kubectl patch pvc CLAIM -p '{{\"spec\":{{\"resources\":{{\"requests\":{{\"storage\":\"{size}\"}}}}}}}}'`{class_note}; then {}, so that new replicas get {size} too",
        show(&c.new),
        show(&c.old),
        migration(sts)
    )
}

/// A StorageClass of the input by name, and whether it allows volume expansion.
pub(super) fn storage_class<'b>(bundle: &'b Bundle, name: &'b str) -> Option<(&'b str, bool)> {
    bundle.named("StorageClass", name).map(|o| {
        let allowed = o.node.get("allowVolumeExpansion").map(|v| &v.value)
            == Some(&crate::source::Value::Bool(true));
        (o.name.unwrap_or(name), allowed)
    })
}
