//! Which documents of an input are Kubernetes objects. Git hooks (pre-commit, lefthook) hand
//! claimcheck every YAML and JSON file of a repository — CI workflows, `Chart.yaml`,
//! `values.yaml`, `package.json` — and with `--skip-non-kubernetes` the findings in documents
//! that are not objects for the API server are dropped instead of failing the commit.

use std::collections::BTreeSet;

use crate::engine::FileReport;
use crate::source::{parse_stream, Limits};

/// API groups of files that tools read and the API server never sees.
const CLIENT_SIDE_GROUPS: &[&str] = &["kustomize.config.k8s.io/"];

/// The indices of the documents of `text` that are not Kubernetes objects: not a mapping with a
/// string `kind`, or a kustomize file (`Kustomization`, `Component`).
pub fn non_kubernetes_documents(text: &str, limits: &Limits) -> BTreeSet<usize> {
    parse_stream(text, limits)
        .documents
        .iter()
        .filter(|d| {
            let kind = d.root.as_map().and(d.root.str_at(&["kind"]));
            let api = d.root.str_at(&["apiVersion"]).unwrap_or("");
            kind.is_none() || CLIENT_SIDE_GROUPS.iter().any(|g| api.starts_with(g))
        })
        .map(|d| d.index)
        .collect()
}

/// Drops the findings in documents of `text` that are not Kubernetes objects. Reading errors
/// (CC001) stay: a document that cannot be read cannot be told apart.
pub fn skip_non_kubernetes(report: &mut FileReport, text: &str, limits: &Limits) {
    let skip = non_kubernetes_documents(text, limits);
    if !skip.is_empty() {
        report
            .diagnostics
            .retain(|d| d.code == "CC001" || !skip.contains(&d.document));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_objects_from_other_files() {
        let l = Limits::default();
        let text = "name: ci\non: push\n---\napiVersion: v2\nname: chart\n---\nkind: StatefulSet\n---\n- a\n---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n---\napiVersion: v1\nkind: List\nitems: []\n";
        let skip: Vec<usize> = non_kubernetes_documents(text, &l).into_iter().collect();
        assert_eq!(skip, vec![0, 1, 3, 4]);
        assert!(non_kubernetes_documents("{\"kind\": \"PersistentVolumeClaim\"}", &l).is_empty());
        assert_eq!(
            non_kubernetes_documents("{\"name\": \"app\", \"private\": true}", &l).len(),
            1
        );
    }
}
