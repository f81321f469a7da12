//! Hostile inputs at the engine's caps: the behaviour that keeps their cost bounded (hashed
//! keys, alias budgets in bytes, bounded did-you-mean, capped name lists, lookups by name).
//! These tests assert what the engine answers and that its output stays proportionate; the
//! timings are a benchmark (`cargo bench --bench hostile`, `scripts/hostile-bench.sh`).

#[path = "support/hostile_inputs.rs"]
mod hostile_inputs;

use claimcheck::engine::{fix_text, lint_text, lint_update, Options, SourceFile};
use claimcheck::rule::MAX_FINDINGS_PER_RULE;
use claimcheck::Diagnostic;
use hostile_inputs as h;

fn lint(text: &str) -> Vec<Diagnostic> {
    lint_text("h.yaml", text, &Options::default()).diagnostics
}

fn count(ds: &[Diagnostic], code: &str) -> usize {
    ds.iter().filter(|d| d.code == code).count()
}

/// Total size of the messages: they must grow no faster than the input.
fn message_bytes(ds: &[Diagnostic]) -> usize {
    ds.iter().map(|d| d.message.len()).sum()
}

#[test]
fn a_mapping_with_200k_keys_reads_and_lints() {
    let text = h::wide_labels(200_000);
    assert!(text.len() < 3 * 1024 * 1024);
    let ds = lint(&text);
    assert!(ds.is_empty(), "{:?}", ds.first());
    let json = h::wide_labels_json(200_000);
    assert!(lint(&json).is_empty());
}

/// The finding that stands for the findings of `code` past the cap.
fn unlisted<'a>(ds: &'a [Diagnostic], code: &str) -> Option<&'a Diagnostic> {
    ds.iter()
        .find(|d| d.code == code && d.message.contains("findings in this input are not listed"))
}

#[test]
fn every_duplicate_key_is_found_in_a_wide_mapping() {
    let ds = lint(&h::duplicate_keys(50_000));
    // 1,000 listed, then one finding for the 49,000 others
    assert_eq!(count(&ds, "CC002"), MAX_FINDINGS_PER_RULE + 1);
    let rest = unlisted(&ds, "CC002").map(|d| d.message.as_str());
    assert!(
        rest.is_some_and(|m| m.starts_with("49,000 more CC002 findings")),
        "{rest:?}"
    );
}

#[test]
fn many_unknown_fields_are_each_reported_once() {
    let ds = lint(&h::unknown_fields(900));
    assert_eq!(count(&ds, "CC003"), 900, "{:?}", ds.first());
    assert!(unlisted(&ds, "CC003").is_none());
}

#[test]
fn findings_past_the_cap_are_counted_in_one_finding() {
    let n = 20_000;
    let ds = lint(&h::unknown_fields(n));
    assert_eq!(MAX_FINDINGS_PER_RULE, 1_000);
    assert_eq!(count(&ds, "CC003"), MAX_FINDINGS_PER_RULE + 1);
    // the listed ones are distinct fields
    let pointers: std::collections::HashSet<&str> = ds
        .iter()
        .filter(|d| d.code == "CC003")
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(pointers.len(), MAX_FINDINGS_PER_RULE + 1);
    let Some(rest) = unlisted(&ds, "CC003") else {
        panic!("no summary finding: {:?}", ds.last())
    };
    // it stands at the first field not listed, with that finding's message, as an error
    assert!(
        rest.message
            .starts_with("19,000 more CC003 findings in this input are not listed (at most 1,000"),
        "{}",
        rest.message
    );
    assert!(
        rest.message.contains("unknown field `k"),
        "{}",
        rest.message
    );
    assert_eq!(rest.severity, claimcheck::Severity::Error);
    assert!(rest.fix.is_none());
    // the other rules are not affected by this one's cap
    let other = lint(&format!(
        "{}  storageClassName: Fast_SSD\n",
        h::unknown_fields(n)
    ));
    assert!(count(&other, "CC003") == MAX_FINDINGS_PER_RULE + 1);
    assert!(other.iter().any(|d| d.code != "CC003"), "{:?}", other.len());
    // an update that keeps the same faults is not denied: the summary is pre-existing too
    let text = h::unknown_fields(n);
    let file = |t: &str| SourceFile {
        path: "h.yaml".into(),
        text: t.to_string(),
    };
    let reports = lint_update(&[file(&text)], &[file(&text)], &Options::default());
    let errors: Vec<_> = reports[0]
        .diagnostics
        .iter()
        .filter(|d| d.severity == claimcheck::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{:?}", errors.first());
    assert!(reports[0]
        .diagnostics
        .iter()
        .any(|d| d.pre_existing && d.message.contains("findings in this input are not listed")));
}

#[test]
fn the_cap_is_per_input() {
    // two inputs of 600 unknown fields each: every one listed
    let file = |t: String| SourceFile {
        path: "h.yaml".into(),
        text: t,
    };
    let reports = claimcheck::engine::lint(
        &[file(h::unknown_fields(600)), file(h::unknown_fields(600))],
        &Options::default(),
    );
    for r in &reports {
        assert_eq!(count(&r.diagnostics, "CC003"), 600);
    }
}

#[test]
fn long_names_get_no_edit_distance_suggestion() {
    let text = h::long_names(100_000);
    let ds = lint(&text);
    let cc401 = ds.iter().find(|d| d.code == "CC401");
    let Some(cc401) = cc401 else {
        panic!(
            "no CC401: {:?}",
            ds.iter().map(|d| d.code).collect::<Vec<_>>()
        )
    };
    assert!(!cc401.message.contains("did you mean"));
    // the other object's name is shortened in the message
    assert!(
        cc401.message.len() < 100_000 + 1_000,
        "{}",
        cc401.message.len()
    );
    for code in ["CC404", "CC408"] {
        assert!(
            count(&ds, code) == 1,
            "{code}: {:?}",
            ds.iter().map(|d| d.code).collect::<Vec<_>>()
        );
    }
}

#[test]
fn cross_references_are_reported_with_capped_lists() {
    let n = 2_000;
    let ds = lint(&h::cross_references(n));
    // one per StatefulSet up to the cap, then one finding for the rest
    for code in ["CC401", "CC404", "CC408"] {
        assert_eq!(count(&ds, code), MAX_FINDINGS_PER_RULE + 1, "{code}");
        let rest = unlisted(&ds, code).map(|d| d.message.as_str());
        assert!(
            rest.is_some_and(|m| m.starts_with("1,000 more")),
            "{rest:?}"
        );
    }
    let first = ds
        .iter()
        .find(|d| d.code == "CC401")
        .map(|d| d.message.as_str());
    assert!(
        first.is_some_and(|m| m.contains("and 1,990 more")),
        "{first:?}"
    );
    // messages stay short: linear, not quadratic, in the number of objects
    assert!(message_bytes(&ds) < 3 * n * 1_000, "{}", message_bytes(&ds));
    // the first references still get their suggestion before the run's budget is spent
    let suggested = ds
        .iter()
        .filter(|d| d.message.contains("did you mean"))
        .count();
    assert!(
        suggested > 0 && suggested < 3 * MAX_FINDINGS_PER_RULE,
        "{suggested}"
    );
}

#[test]
fn a_large_scalar_aliased_many_times_fails_fast() {
    let ds = lint(&h::alias_bomb(1024 * 1024, 5_000));
    assert_eq!(ds.len(), 1, "{:?}", ds);
    assert_eq!(ds[0].code, "CC001");
    assert!(ds[0].message.contains("bytes"), "{}", ds[0].message);
}

#[test]
fn deep_nesting_names_the_limit() {
    let ds = lint(&h::deep_nesting(100_000));
    assert_eq!(ds.len(), 1);
    assert!(ds[0].message.contains("128 levels"), "{}", ds[0].message);
}

#[test]
fn many_documents_are_each_linted() {
    let ds = lint(&h::many_documents(5_000));
    assert!(ds.is_empty(), "{:?}", ds.first());
}

#[test]
fn many_fixes_apply_and_keep_their_comments() {
    let text = h::fixable_documents(5_000);
    let out = fix_text(
        "h.yaml",
        &text,
        &Options {
            unsafe_fixes: true,
            ..Options::default()
        },
    );
    assert_eq!(out.applied.len(), 5_000);
    assert!(out.output.len() < 2 * text.len());
    assert_eq!(out.output.matches("# mode").count(), 5_000);
    assert!(out.remaining.diagnostics.is_empty());
}

#[test]
fn lone_carriage_returns_end_lines() {
    let text = "apiVersion: v1\rkind: PersistentVolumeClaim\rmetadata:\r  name: data\rspec:\r  resources:\r    requests:\r      storage: 1Gi\r";
    let report = lint_text("cr.yaml", text, &Options::default());
    let d = report.diagnostics.iter().find(|d| d.code == "CC205");
    let Some(d) = d else {
        panic!("{:?}", report.diagnostics)
    };
    let pos = report.line_index.position(
        text,
        d.span.start,
        claimcheck::source::PositionEncoding::Utf8,
    );
    assert_eq!(pos.line, 5, "{d:?}");
}

#[test]
fn one_claim_shared_by_thousands_of_workloads_stays_proportionate() {
    // 1,500 Deployments (RollingUpdate, 2 replicas) and 1,500 Pods mount one ReadWriteOnce
    // claim, with readOnly settings that disagree: the claim rules look at a bounded number of
    // users per claim (claimcheck::model::claim_usage::MAX_USES) and list at most five others
    let n = 1_500;
    let mut text = String::from("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n");
    for i in 0..n {
        text.push_str(&format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: d{i}}}}}\n  template:\n    metadata: {{labels: {{app: d{i}}}}}\n    spec:\n      containers: [{{name: c, image: i, volumeMounts: [{{name: v, mountPath: /v}}]}}]\n      volumes: [{{name: v, persistentVolumeClaim: {{claimName: shared, readOnly: true}}}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  containers: [{{name: c, image: i, volumeMounts: [{{name: v, mountPath: /v}}]}}]\n  volumes: [{{name: v, persistentVolumeClaim: {{claimName: shared}}}}]\n"));
    }
    let ds = lint(&text);
    let max = claimcheck::model::claim_usage::MAX_USES;
    assert_eq!(count(&ds, "CC406"), max);
    assert!(count(&ds, "CC410") <= max);
    // the writable mounts of read-only volumes are per pod spec: every one is reported, up to
    // the cap on findings (then one finding counts the rest)
    assert_eq!(count(&ds, "CC411"), MAX_FINDINGS_PER_RULE + 1);
    assert!(unlisted(&ds, "CC411").is_some_and(|d| d.message.starts_with("500 more CC411")));
    assert!(
        message_bytes(&ds) < text.len() * 2,
        "{}",
        message_bytes(&ds)
    );
}

fn lint_update_text(old: &str, new: &str) -> Vec<Diagnostic> {
    use claimcheck::engine::{lint_update, SourceFile};
    let file = |path: &str, text: &str| SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    };
    lint_update(
        &[file("new.yaml", new)],
        &[file("old.yaml", old)],
        &Options::default(),
    )
    .pop()
    .map(|r| r.diagnostics)
    .unwrap_or_default()
}

#[test]
fn thousands_of_claims_are_each_paired_with_their_live_version() {
    // each claim grows and its own StorageClass (found by name) forbids it: the pairing of new
    // and live objects and the class lookup go through hash indexes, and each finding names
    // the right class
    let n = 3_000;
    let (old, new) = h::claims_update(n);
    let ds = lint_update_text(&old, &new);
    let cc505: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "CC505").collect();
    assert_eq!(cc505.len(), n);
    for (i, d) in cc505.iter().enumerate().step_by(397) {
        assert!(
            d.message.contains(&format!("claim `c{i}` grows"))
                && d.message.contains(&format!("StorageClass `class-{i}`")),
            "{}",
            d.message
        );
    }
    assert!(message_bytes(&ds) < new.len() * 2, "{}", message_bytes(&ds));
}

#[test]
fn thousands_of_workload_updates_are_each_compared_once() {
    let n = 1_000;
    let (old, new) = h::workloads_update(n);
    let ds = lint_update_text(&old, &new);
    // a grown claim template per StatefulSet, a changed selector per Deployment
    assert_eq!(count(&ds, "CC502"), n);
    assert_eq!(count(&ds, "CC506"), n);
    let last = ds
        .iter()
        .rfind(|d| d.code == "CC502")
        .map(|d| d.message.as_str());
    assert!(
        last.is_some_and(|m| m.contains(&format!("StorageClass `class-{}`", n - 1))),
        "{last:?}"
    );
    assert!(message_bytes(&ds) < new.len() * 4, "{}", message_bytes(&ds));
}

#[test]
fn a_reordered_update_of_huge_lists_keeps_every_fault_pre_existing() {
    // 20,000 env entries, mounts and volumes, every list rotated by one: list items are matched
    // by their merge key, so no fault of the live object turns into a new one
    let n = 20_000;
    let (old, new) = h::statefulset_update(n);
    let ds = lint_update_text(&old, &new);
    let fresh: Vec<&Diagnostic> = ds
        .iter()
        .filter(|d| !d.code.starts_with("CC5") && !d.pre_existing)
        .collect();
    assert!(fresh.is_empty(), "{:?}", fresh.first());
    assert!(ds.iter().filter(|d| d.pre_existing).count() >= 2 * n);
}

#[test]
fn many_services_of_one_name_in_other_namespaces_are_looked_up_by_namespace() {
    // n Services `gov` in n namespaces, n StatefulSets in yet another one: none sees a Service
    let n = 2_000;
    let text = h::services_in_namespaces(n);
    let ds = lint(&text);
    assert_eq!(count(&ds, "CC401"), n);
    assert!(
        message_bytes(&ds) < text.len() * 2,
        "{}",
        message_bytes(&ds)
    );
}

#[test]
fn unused_claims_named_like_many_mounts_are_explained_once_each() {
    // one StatefulSet mounts n names that are no pod volume; n standalone claims of those names
    let n = 20_000;
    let text = h::unused_claims_named_like_mounts(n);
    let ds = lint(&text);
    let cc407: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "CC407").collect();
    assert_eq!(cc407.len(), n);
    assert!(cc407
        .iter()
        .all(|d| d.message.contains("StatefulSet `web` mounts `m")));
}

#[test]
fn pinned_claims_find_their_volumes_by_name() {
    let n = 5_000;
    let ds = lint(&h::pinned_claims(n));
    let cc409: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "CC409").collect();
    assert_eq!(cc409.len(), n);
    // the volume was found: the message says it has no class
    assert!(cc409
        .iter()
        .all(|d| d.message.contains("which has no class")));
}

#[test]
fn a_wide_service_selector_is_compared_key_by_key() {
    let n = 50_000;
    let text = h::wide_service_selector(n);
    let ds = lint(&text);
    let cc403: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "CC403").collect();
    assert_eq!(cc403.len(), 1);
    // ten keys listed, the others counted
    assert_eq!(cc403[0].message.matches("(the pods have `k").count(), 10);
    assert!(
        cc403[0].message.contains("and 49,990 more keys"),
        "{}",
        cc403[0].message
    );
    // the same Service governing 2,000 more StatefulSets: one short message each
    let mut text = text;
    for i in 0..2_000 {
        text.push_str(&format!("---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: t{i}}}\nspec:\n  serviceName: gov\n  selector: {{matchLabels: {{k0: a}}}}\n  template:\n    metadata: {{labels: {{k0: a, k1: a}}}}\n    spec: {{containers: [{{name: c, image: i}}]}}\n"));
    }
    let ds = lint(&text);
    let cc403: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "CC403").collect();
    assert_eq!(cc403.len(), 2_001);
    assert!(cc403[1]
        .message
        .contains("`k2: a` (the pods have no `k2` label)"));
    assert!(cc403[1].message.contains("and 49,988 more keys"));
    assert!(
        message_bytes(&ds) < text.len() * 2,
        "{}",
        message_bytes(&ds)
    );
}

#[test]
fn workloads_at_the_caps_stay_proportionate() {
    // thousands of Deployments each naming a missing claim (next to near-miss claims)
    let n = 2_000;
    let text = h::deployments_missing_claims(n);
    let ds = lint(&text);
    assert_eq!(count(&ds, "CC408"), n);
    assert_eq!(count(&ds, "CC407"), n);
    assert!(
        message_bytes(&ds) < text.len() * 3,
        "{}",
        message_bytes(&ds)
    );
    // Deployments with 20 claim volumes each and 20 mounts of volumes they lack
    let n = 500;
    let text = h::deployments_many_volumes(n);
    let ds = lint(&text);
    assert_eq!(count(&ds, "CC301"), 20 * n);
    assert!(
        message_bytes(&ds) < text.len() * 10,
        "{}",
        message_bytes(&ds)
    );
    // one Pod with 100,000 claim volumes, all but 1,000 of them to missing claims
    let n = 100_000;
    let text = h::pod_many_volumes(n);
    let ds = lint(&text);
    assert_eq!(count(&ds, "CC408"), n - 1_000);
    assert!(
        message_bytes(&ds) < text.len() * 3,
        "{}",
        message_bytes(&ds)
    );
    // an ephemeral volume's claim template with 100,000 labels, every tenth invalid
    let text = h::ephemeral_labels(100_000);
    let ds = lint(&text);
    assert_eq!(count(&ds, "CC310"), 10_000);
    // a 100,000-character claimName next to a claim that differs in its last character
    let text = h::long_claim_name(100_000);
    let ds = lint(&text);
    assert_eq!(count(&ds, "CC408"), 2);
    assert!(ds.iter().all(|d| !d.message.contains("did you mean")));
    assert!(
        message_bytes(&ds) < text.len() * 2,
        "{}",
        message_bytes(&ds)
    );
}

#[test]
fn hashed_lookups_keep_the_first_object_a_reference_can_see() {
    // a StatefulSet in `a` sees the first Service `gov` in `a` or in no namespace: here the
    // second one (no namespace, not headless: CC402 on it), not the one in `b` or the later one
    // in `a`
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s, namespace: a}\nspec:\n  serviceName: gov\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: c, image: i}]}\n";
    let svc = |ns: &str, headless: bool| {
        format!(
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: gov{ns}}}\nspec: {{{}selector: {{app: x}}}}\n",
            if headless { "clusterIP: None, " } else { "" }
        )
    };
    let text = format!(
        "{sts}{}{}{}",
        svc(", namespace: b", false),
        svc("", false),
        svc(", namespace: a", true)
    );
    let ds = lint(&text);
    let cc402: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "CC402").collect();
    assert_eq!(cc402.len(), 1, "{ds:?}");
    assert_eq!(cc402[0].document, 2);
    // an unused claim in `a` is explained by the first StatefulSet it can see that mentions
    // its name: the one without a namespace, which mounts it (not the one in `b`, nor the
    // later one in `a`, which have a claim template of that name)
    let set = |ns: &str, template: bool| {
        let extra = if template {
            "  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]\n"
        } else {
            ""
        };
        format!("---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: s{ns}}}\nspec:\n  serviceName: gov\n  selector: {{matchLabels: {{app: x}}}}\n  template:\n    metadata: {{labels: {{app: x}}}}\n    spec: {{containers: [{{name: c, image: i, volumeMounts: [{{name: data, mountPath: /d}}]}}]}}\n{extra}")
    };
    let text = format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: data, namespace: a}}\nspec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n{}{}{}",
        set("1, namespace: b", true),
        set("2", false),
        set("3, namespace: a", true)
    );
    let ds = lint(&text);
    let cc407 = ds
        .iter()
        .find(|d| d.code == "CC407")
        .map(|d| d.message.as_str());
    assert!(
        cc407.is_some_and(|m| m.contains("StatefulSet `s2` mounts `data`")),
        "{cc407:?}"
    );
}
