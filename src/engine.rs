//! The pipeline: parse every input, find the objects, run the rules, apply fixes.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::patch::PatchOp;
use crate::registry::RuleMeta;
use crate::source::{escape_pointer_segment, parse_stream, Limits, LineIndex, Node, ParsedStream};

/// A Kubernetes minor version, e.g. 1.32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubeVersion {
    /// The version whose API types claimcheck is built with (k8s-openapi's feature).
    pub const LATEST: KubeVersion = KubeVersion {
        major: 1,
        minor: 37,
    };
    pub const OLDEST: KubeVersion = KubeVersion {
        major: 1,
        minor: 28,
    };

    pub fn new(major: u32, minor: u32) -> Self {
        KubeVersion { major, minor }
    }

    /// Parses `1.32`, `v1.32` or `1.32.10`, within the supported range.
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let t = s.trim().trim_start_matches('v');
        let mut parts = t.split('.');
        let major = parts.next().and_then(|p| p.parse::<u32>().ok());
        let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
        let patch_ok = parts.next().is_none_or(|p| p.parse::<u32>().is_ok());
        match (major, minor) {
            (Some(major), Some(minor)) if patch_ok && parts.next().is_none() => {
                let v = KubeVersion { major, minor };
                if v < Self::OLDEST || v > Self::LATEST {
                    Err(format!(
                        "Kubernetes version {s} is outside the supported range {} to {}",
                        Self::OLDEST,
                        Self::LATEST
                    ))
                } else {
                    Ok(v)
                }
            }
            _ => Err(format!(
                "invalid Kubernetes version `{s}`: expected MAJOR.MINOR such as 1.32"
            )),
        }
    }

    /// From 1.34 the API server validates a StatefulSet's pod and claim templates itself.
    pub fn validates_templates_at_submit(self) -> bool {
        self >= KubeVersion::new(1, 34)
    }
}

impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Per-rule settings: disabled rules and severity overrides.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub disabled: HashSet<&'static str>,
    pub severity: HashMap<&'static str, Severity>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub kubernetes_version: KubeVersion,
    pub unsafe_fixes: bool,
    pub limits: Limits,
    pub rules: RuleSettings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kubernetes_version: KubeVersion::LATEST,
            unsafe_fixes: false,
            limits: Limits::default(),
            rules: RuleSettings::default(),
        }
    }
}

/// One Kubernetes object found in a document (a document, or an item of a `kind: List`).
#[derive(Debug)]
pub struct Object<'a> {
    pub file: usize,
    pub document: usize,
    /// Pointer of the object inside its document: "" or "/items/3".
    pub base: String,
    pub node: &'a Node,
    pub doc_root: &'a Node,
    pub text: &'a str,
    pub api_version: &'a str,
    pub kind: &'a str,
    pub name: Option<&'a str>,
    pub namespace: Option<&'a str>,
    /// Codes listed in the `claimcheck.io/ignore` annotation.
    pub ignored: Vec<String>,
}

/// The annotation that silences rules for one object.
pub const IGNORE_ANNOTATION: &str = "claimcheck.io/ignore";

impl Object<'_> {
    /// The document pointer of an object-relative pointer.
    pub fn ptr(&self, rel: &str) -> String {
        format!("{}{}", self.base, rel)
    }
    pub fn is(&self, api_group_version: &str, kind: &str) -> bool {
        self.kind == kind && self.api_version == api_group_version
    }
    pub fn is_statefulset(&self) -> bool {
        self.kind == "StatefulSet" && self.api_version == "apps/v1"
    }
    pub fn is_pvc(&self) -> bool {
        self.kind == "PersistentVolumeClaim" && self.api_version == "v1"
    }
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind, self.name.unwrap_or("<unnamed>"))
    }
}

/// All objects of one run: the documents of the inputs, linted together.
pub struct Bundle<'a> {
    pub objects: Vec<Object<'a>>,
}

impl<'a> Bundle<'a> {
    pub fn of_kind<'b>(&'b self, kind: &'b str) -> impl Iterator<Item = &'b Object<'a>> + 'b {
        self.objects.iter().filter(move |o| o.kind == kind)
    }
}

/// Collects diagnostics for rules.
pub struct Ctx<'o> {
    pub options: &'o Options,
    pub(crate) out: Vec<(usize, Diagnostic)>,
}

impl Ctx<'_> {
    /// Whether a rule is on (callers may skip work for disabled rules).
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        !self.options.rules.disabled.contains(rule.code)
    }

    /// Reports a finding about `obj` at the object-relative pointer `rel`.
    pub fn report(
        &mut self,
        obj: &Object,
        rule: &'static RuleMeta,
        rel: &str,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        if !self.enabled(rule) || obj.ignored.iter().any(|c| c == rule.code) {
            return;
        }
        let pointer = obj.ptr(rel);
        let span = obj.doc_root.locate(&pointer);
        let fix = fix.map(|f| crate::fix::name_dropped_comments(obj.text, f));
        debug_assert!(
            fix.as_ref()
                .is_none_or(|f| fix_allowed(rule, f.applicability)),
            "{} offered a fix kind it does not declare",
            rule.code
        );
        self.push_at(
            obj.file,
            rule,
            obj.document,
            pointer,
            span,
            message.into(),
            fix,
            Some(obj.label()),
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_at(
        &mut self,
        file: usize,
        rule: &'static RuleMeta,
        document: usize,
        pointer: String,
        span: crate::source::Span,
        message: String,
        fix: Option<Fix>,
        object: Option<String>,
    ) {
        if !self.enabled(rule) {
            return;
        }
        let severity = self
            .options
            .rules
            .severity
            .get(rule.code)
            .copied()
            .unwrap_or(rule.severity);
        self.out.push((
            file,
            Diagnostic {
                code: rule.code,
                name: rule.name,
                severity,
                message,
                document,
                pointer,
                span,
                fix,
                object,
                pre_existing: false,
            },
        ));
    }
}

fn fix_allowed(rule: &RuleMeta, a: Applicability) -> bool {
    use crate::registry::FixAvailability as F;
    match rule.fix {
        F::None => a == Applicability::DisplayOnly,
        F::Safe => a != Applicability::Unsafe,
        F::Unsafe => a != Applicability::Safe,
        F::Sometimes => true,
    }
}

/// One input: a name to report and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// The findings of one input, sorted by position.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
    pub line_index: LineIndex,
}

fn objects_of<'a>(file: usize, text: &'a str, stream: &'a ParsedStream) -> Vec<Object<'a>> {
    let mut out = Vec::new();
    for doc in &stream.documents {
        let root = &doc.root;
        if root.as_map().is_none() {
            continue;
        }
        let kind = root.str_at(&["kind"]).unwrap_or("");
        let items = root.get("items").and_then(Node::as_seq);
        if kind.ends_with("List") && items.is_some() {
            for (i, item) in items.unwrap_or(&[]).iter().enumerate() {
                if item.as_map().is_some() {
                    out.push(object(
                        file,
                        doc.index,
                        format!("/items/{i}"),
                        item,
                        root,
                        text,
                    ));
                }
            }
        } else {
            out.push(object(file, doc.index, String::new(), root, root, text));
        }
    }
    out
}

fn object<'a>(
    file: usize,
    document: usize,
    base: String,
    node: &'a Node,
    doc_root: &'a Node,
    text: &'a str,
) -> Object<'a> {
    let ignored = node
        .str_at(&["metadata", "annotations", IGNORE_ANNOTATION])
        .map(|s| {
            s.split(',')
                .map(|c| c.trim().to_ascii_uppercase())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Object {
        file,
        document,
        base,
        node,
        doc_root,
        text,
        api_version: node.str_at(&["apiVersion"]).unwrap_or(""),
        kind: node.str_at(&["kind"]).unwrap_or(""),
        name: node.str_at(&["metadata", "name"]),
        namespace: node.str_at(&["metadata", "namespace"]),
        ignored,
    }
}

/// Lints several inputs together: their documents form one bundle for cross-object rules.
pub fn lint(files: &[SourceFile], options: &Options) -> Vec<FileReport> {
    lint_update(files, &[], options)
}

/// Pairs each new object with its previous version: same kind and name, or, when the name
/// changed, the only object of that kind on both sides.
fn previous<'o, 'a>(new: &Object, old: &'o [Object<'a>]) -> Option<&'o Object<'a>> {
    let same_kind = |o: &&Object| o.kind == new.kind && o.api_version == new.api_version;
    old.iter()
        .filter(same_kind)
        .find(|o| o.name == new.name && o.namespace == new.namespace)
        .or_else(|| {
            let mut it = old.iter().filter(same_kind);
            match (it.next(), it.next()) {
                (Some(o), None) => Some(o),
                _ => None,
            }
        })
}

/// Lints `files` as updates of the objects in `old_files` (the live versions): the update
/// rules compare each object with its previous version.
pub fn lint_update(
    files: &[SourceFile],
    old_files: &[SourceFile],
    options: &Options,
) -> Vec<FileReport> {
    crate::model::suggest::start_run();
    let old_streams: Vec<ParsedStream> = old_files
        .iter()
        .map(|f| parse_stream(&f.text, &options.limits))
        .collect();
    let old_objects: Vec<Object> = old_files
        .iter()
        .zip(&old_streams)
        .enumerate()
        .flat_map(|(i, (f, s))| objects_of(usize::MAX - i, &f.text, s))
        .collect();
    let streams: Vec<ParsedStream> = files
        .iter()
        .map(|f| parse_stream(&f.text, &options.limits))
        .collect();
    let mut ctx = Ctx {
        options,
        out: Vec::new(),
    };
    let mut objects = Vec::new();
    for (i, (f, s)) in files.iter().zip(&streams).enumerate() {
        crate::rules::input::check_stream(&mut ctx, i, &f.text, s);
        objects.extend(objects_of(i, &f.text, s));
    }
    let bundle = Bundle { objects };
    for obj in &bundle.objects {
        crate::rules::check_object(&mut ctx, obj, &bundle);
    }
    crate::rules::check_bundle(&mut ctx, &bundle);
    if !old_objects.is_empty() {
        let pairs: Vec<Option<&Object>> = bundle
            .objects
            .iter()
            .map(|obj| previous(obj, &old_objects))
            .collect();
        for (obj, old) in bundle.objects.iter().zip(&pairs) {
            if let Some(old) = old {
                crate::rules::updates::check(&mut ctx, obj, old, &bundle);
            }
        }
        // Ratcheting: what the live objects already had is reported, never denies.
        let old_reports = lint(old_files, options);
        crate::ratchet::apply(
            &mut ctx.out,
            &bundle.objects,
            &pairs,
            &old_objects,
            &old_reports,
            options.kubernetes_version,
        );
    }

    let mut by_file: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
    for (file, d) in ctx.out {
        by_file.entry(file).or_default().push(d);
    }
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut diagnostics = by_file.remove(&i).unwrap_or_default();
            diagnostics.sort_by(|a, b| {
                (a.span.start, a.span.end, a.code, &a.pointer).cmp(&(
                    b.span.start,
                    b.span.end,
                    b.code,
                    &b.pointer,
                ))
            });
            diagnostics.dedup_by(|a, b| {
                a.code == b.code && a.pointer == b.pointer && a.message == b.message
            });
            FileReport {
                path: f.path.clone(),
                diagnostics,
                line_index: LineIndex::new(&f.text),
            }
        })
        .collect()
}

/// Lints one text.
pub fn lint_text(path: &str, text: &str, options: &Options) -> FileReport {
    let files = [SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }];
    lint(&files, options).pop().unwrap_or_else(|| FileReport {
        path: path.to_string(),
        diagnostics: Vec::new(),
        line_index: LineIndex::new(text),
    })
}

/// A fix that was applied.
#[derive(Debug, Clone)]
pub struct AppliedFix {
    pub code: &'static str,
    pub title: String,
    pub document: usize,
    pub applicability: Applicability,
    pub patch: Vec<PatchOp>,
}

/// The outcome of fixing one text.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    pub output: String,
    pub applied: Vec<AppliedFix>,
    /// Findings left after the fixes.
    pub remaining: FileReport,
    /// JSON Patch per document index, in the order the fixes were applied.
    pub patches: BTreeMap<usize, Vec<PatchOp>>,
}

fn applicable(d: &Diagnostic, options: &Options) -> bool {
    match &d.fix {
        Some(f) => match f.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => options.unsafe_fixes,
            Applicability::DisplayOnly => false,
        },
        None => false,
    }
}

/// Applies the fixes of one text until nothing more changes (at most 10 rounds).
pub fn fix_text(path: &str, text: &str, options: &Options) -> FixOutcome {
    fix_update(path, text, &[], options)
}

/// Lints one text as an update of the objects in `old_files` (none: a plain lint).
fn lint_one(path: &str, text: &str, old_files: &[SourceFile], options: &Options) -> FileReport {
    if old_files.is_empty() {
        return lint_text(path, text, options);
    }
    let files = [SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }];
    lint_update(&files, old_files, options)
        .pop()
        .unwrap_or_else(|| FileReport {
            path: path.to_string(),
            diagnostics: Vec::new(),
            line_index: LineIndex::new(text),
        })
}

/// [`fix_text`] for an update of the objects in `old_files` (the live versions): findings are
/// ratcheted as in [`lint_update`], and no fix changes a field that an update cannot change.
pub fn fix_update(
    path: &str,
    text: &str,
    old_files: &[SourceFile],
    options: &Options,
) -> FixOutcome {
    let mut current = text.to_string();
    let mut applied = Vec::new();
    let mut patches: BTreeMap<usize, Vec<PatchOp>> = BTreeMap::new();
    let parse_errors = |t: &str| {
        parse_stream(t, &options.limits)
            .issues
            .iter()
            .filter(|i| !matches!(i.kind, crate::source::ParseIssueKind::DuplicateKey { .. }))
            .count()
    };
    let errors_before = parse_errors(text);
    let mut seen_texts: HashSet<u64> = HashSet::new();
    seen_texts.insert(text_hash(text));
    for _round in 0..10 {
        let report = lint_one(path, &current, old_files, options);
        let mut chosen: Vec<&Diagnostic> = Vec::new();
        let mut taken: Vec<crate::source::Span> = Vec::new();
        for d in report.diagnostics.iter().filter(|d| applicable(d, options)) {
            let Some(fix) = &d.fix else { continue };
            if fix.edits.is_empty() {
                continue;
            }
            let clash = fix.edits.iter().any(|e| {
                taken.iter().any(|t| {
                    e.span.start < t.end.max(t.start + 1)
                        && t.start < e.span.end.max(e.span.start + 1)
                })
            });
            if clash {
                continue;
            }
            taken.extend(fix.edits.iter().map(|e| e.span));
            chosen.push(d);
        }
        if chosen.is_empty() {
            break;
        }
        let mut next = apply_edits(&current, &chosen);
        let sound = |next: &str, chosen: &[&Diagnostic]| {
            parse_errors(next) <= errors_before
                && patches_agree(&current, next, chosen, &options.limits)
        };
        if !sound(&next, &chosen) && chosen.len() > 1 {
            // Fixes that are sound alone can clash together (one renames a key that another
            // adds): take them one at a time.
            chosen.truncate(1);
            next = apply_edits(&current, &chosen);
        }
        if !sound(&next, &chosen) {
            // A fix that breaks the YAML, or whose text edit does something else than its
            // JSON Patch, is a bug; keep the last good text.
            break;
        }
        if !seen_texts.insert(text_hash(&next)) {
            // back to a text seen before: the fixes go round in circles
            break;
        }
        for d in chosen {
            if let Some(f) = &d.fix {
                patches
                    .entry(d.document)
                    .or_default()
                    .extend(f.patch.iter().cloned());
                applied.push(AppliedFix {
                    code: d.code,
                    title: f.title.clone(),
                    document: d.document,
                    applicability: f.applicability,
                    patch: f.patch.clone(),
                });
            }
        }
        if next == current {
            break;
        }
        current = next;
    }
    let remaining = lint_one(path, &current, old_files, options);
    FixOutcome {
        output: current,
        applied,
        remaining,
        patches,
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Whether the JSON Patch of the chosen fixes, applied to the documents of `before`, gives
/// the documents of `after` (the text with their edits). Only checked where the comparison
/// means something: both texts read without errors and without repeated keys (which JSON
/// cannot hold).
fn patches_agree(before: &str, after: &str, chosen: &[&Diagnostic], limits: &Limits) -> bool {
    let old = parse_stream(before, limits);
    if !old.issues.is_empty() {
        return true;
    }
    let new = parse_stream(after, limits);
    if !new.issues.is_empty() {
        // the text read cleanly before the fixes (a repeated key, say, is new)
        return false;
    }
    if old.documents.len() != new.documents.len() {
        return false;
    }
    let mut docs: BTreeMap<usize, serde_json::Value> = old
        .documents
        .iter()
        .map(|d| (d.index, d.root.to_json()))
        .collect();
    for d in chosen {
        let Some(f) = &d.fix else { continue };
        let Some(doc) = docs.get_mut(&d.document) else {
            return false;
        };
        if crate::patch::apply(doc, &f.patch).is_err() {
            return false;
        }
    }
    new.documents
        .iter()
        .all(|d| docs.get(&d.index) == Some(&d.root.to_json()))
}

/// The text with the edits of the chosen fixes (which do not overlap) applied.
fn apply_edits(current: &str, chosen: &[&Diagnostic]) -> String {
    let mut edits: Vec<&crate::diagnostic::TextEdit> = chosen
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter())
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut next = String::with_capacity(current.len() + 64);
    let mut pos = 0;
    for e in &edits {
        let (s, t) = (
            e.span.start.min(current.len()),
            e.span.end.min(current.len()),
        );
        if s < pos {
            continue;
        }
        next.push_str(current.get(pos..s).unwrap_or(""));
        next.push_str(&e.replacement);
        pos = t;
    }
    next.push_str(current.get(pos..).unwrap_or(""));
    next
}

/// `/a/b` + `c` → `/a/b/c`, escaping the segment.
pub fn join(pointer: &str, seg: &str) -> String {
    format!("{pointer}/{}", escape_pointer_segment(seg))
}
