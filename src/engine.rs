//! The pipeline: parse every input, find the objects, have the registry run the rules, apply
//! fixes.
//!
//! DESIGN: the engine knows no rule and no rule family. It turns texts into [`Object`]s and a
//! [`Bundle`], hands them to [`crate::registry`] phase by phase (stream, object, bundle,
//! update), ratchets the findings of an update, then sorts them. Fixing is lint → pick
//! non-overlapping fixes → apply the text edits ([`crate::fix::apply_edits`]) → check them
//! against their JSON Patch → lint again.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Applicability, Diagnostic};
use crate::patch::PatchOp;
use crate::registry;
use crate::source::{parse_stream, LineIndex, Node, ParsedStream};

pub use crate::options::{KubeVersion, Options, RuleSettings};
pub use crate::rule::{join, Bundle, Ctx, Object, IGNORE_ANNOTATION};

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
        let items = if kind.ends_with("List") {
            root.get("items").and_then(Node::as_seq)
        } else {
            None
        };
        if let Some(items) = items {
            for (i, item) in items.iter().enumerate() {
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
    // `metadata` looked up once for the name, the namespace and the annotation
    let meta = node.get("metadata");
    let ignored = meta
        .and_then(|m| m.str_at(&["annotations", IGNORE_ANNOTATION]))
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
        name: meta.and_then(|m| m.str_at(&["name"])),
        namespace: meta.and_then(|m| m.str_at(&["namespace"])),
        ignored,
    }
}

/// Lints several inputs together: their documents form one bundle for cross-object rules.
pub fn lint(files: &[SourceFile], options: &Options) -> Vec<FileReport> {
    lint_update(files, &[], options)
}

/// The live objects, indexed for [`previous`] so that pairing stays linear in the number of
/// objects: by (apiVersion, kind, namespace, name), the first of each; and per (apiVersion,
/// kind), how many there are and the first.
struct OldObjects<'o, 'a> {
    by_name: HashMap<ObjectKey<'a>, &'o Object<'a>>,
    by_kind: HashMap<(&'a str, &'a str), (usize, &'o Object<'a>)>,
}

type ObjectKey<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>);

impl<'o, 'a> OldObjects<'o, 'a> {
    fn of(old: &'o [Object<'a>]) -> Self {
        let mut by_name = HashMap::new();
        let mut by_kind: HashMap<(&'a str, &'a str), (usize, &'o Object<'a>)> = HashMap::new();
        for o in old {
            by_name
                .entry((o.api_version, o.kind, o.namespace, o.name))
                .or_insert(o);
            by_kind.entry((o.api_version, o.kind)).or_insert((0, o)).0 += 1;
        }
        OldObjects { by_name, by_kind }
    }

    /// Pairs a new object with its previous version: same kind and name, or, when the name
    /// changed, the only object of that kind on both sides.
    fn previous(&self, new: &Object<'a>) -> Option<&'o Object<'a>> {
        self.by_name
            .get(&(new.api_version, new.kind, new.namespace, new.name))
            .copied()
            .or_else(|| match self.by_kind.get(&(new.api_version, new.kind)) {
                Some((1, o)) => Some(*o),
                _ => None,
            })
    }
}

/// Lints `files` as updates of the objects in `old_files` (the live versions): the update
/// rules compare each object with its previous version.
pub fn lint_update(
    files: &[SourceFile],
    old_files: &[SourceFile],
    options: &Options,
) -> Vec<FileReport> {
    run(files, old_files, options, Ctx::new(options))
}

/// [`lint_update`] with the context to report to: capped for a report, or keeping every
/// fixable finding for a round of fixing ([`Ctx::for_fixing`]).
fn run(
    files: &[SourceFile],
    old_files: &[SourceFile],
    options: &Options,
    ctx: Ctx,
) -> Vec<FileReport> {
    let streams: Vec<ParsedStream> = files
        .iter()
        .map(|f| parse_stream(&f.text, &options.limits))
        .collect();
    run_parsed(files, &streams, old_files, options, ctx)
}

/// [`run`] on texts already parsed (`streams[i]` is `files[i]`'s): the live objects of an
/// update are parsed once, for the update rules and for their own findings.
fn run_parsed(
    files: &[SourceFile],
    streams: &[ParsedStream],
    old_files: &[SourceFile],
    options: &Options,
    ctx: Ctx,
) -> Vec<FileReport> {
    let findings = findings_of(files, streams, old_files, options, ctx, false, None);
    reports(files, findings)
}

/// The findings of `files` (by file index), ratcheted against `old_files` when there are
/// any. `reference`: an update is linted with every finding built in full, the plain way
/// that the default (details only for the findings a capped report shows) must agree with.
fn findings_of(
    files: &[SourceFile],
    streams: &[ParsedStream],
    old_files: &[SourceFile],
    options: &Options,
    ctx: Ctx,
    reference: bool,
    only: Option<&[&'static str]>,
) -> Vec<(usize, Diagnostic)> {
    crate::model::suggest::start_run();
    // An update is linted in full (old and new alike) so that the ratchet compares every
    // fault; the cap applies to the ratcheted findings (`cap_findings`). Findings that the
    // capped report cannot show keep only what the ratchet and the cap look at.
    let updating = !old_files.is_empty();
    let (mut ctx, cap_after) = if updating && !ctx.is_uncapped() {
        if ctx.is_fixing() {
            (Ctx::for_fixing_update(options), false)
        } else if reference {
            (Ctx::uncapped(options), true)
        } else {
            (Ctx::for_update(options), true)
        }
    } else {
        (ctx, false)
    };
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
    let mut objects = Vec::new();
    for (i, (f, s)) in files.iter().zip(streams).enumerate() {
        registry::check_stream(&mut ctx, i, &f.text, s);
        objects.extend(objects_of(i, &f.text, s));
    }
    let bundle = Bundle::new(objects);
    // the live objects of an update: only what the ratchet looks up
    for obj in &bundle.objects {
        registry::check_object(&mut ctx, obj, &bundle, only);
    }
    registry::check_bundle(&mut ctx, &bundle);
    if !old_objects.is_empty() {
        let old_index = OldObjects::of(&old_objects);
        let pairs: Vec<Option<&Object>> = bundle
            .objects
            .iter()
            .map(|obj| old_index.previous(obj))
            .collect();
        for (obj, old) in bundle.objects.iter().zip(&pairs) {
            if let Some(old) = old {
                registry::check_update(&mut ctx, obj, old, &bundle);
            }
        }
        if ctx.is_fixing() {
            // a round of fixing reads only the fixes it applies: of the ratchet, only the
            // fixes an update cannot apply matter (the live objects' findings do not)
            crate::ratchet::strip_immutable_fixes(ctx.findings_mut(), &bundle.objects, &pairs);
            return ctx.into_findings();
        }
        // Ratcheting: what the live objects already had is reported, never denies (only the
        // places of their findings are compared). The live objects are linted only when a
        // finding could be theirs (the update rules' findings are about the change itself),
        // without the checks that cannot find any of those findings' rules
        // (`registry::check_object`; the reference: with every check).
        let mut codes: Vec<&'static str> = Vec::new();
        for (_, d) in ctx.findings_mut().iter() {
            if !crate::ratchet::is_update_rule(d.code) && !codes.contains(&d.code) {
                codes.push(d.code);
            }
        }
        let old_findings = if codes.is_empty() {
            Vec::new()
        } else {
            findings_of(
                old_files,
                &old_streams,
                &[],
                options,
                Ctx::keys_only(options),
                false,
                (!reference).then_some(codes.as_slice()),
            )
        };
        crate::ratchet::apply(
            ctx.findings_mut(),
            &bundle.objects,
            &pairs,
            &old_objects,
            &old_findings,
            options.kubernetes_version,
            (cap_after && !reference).then_some(crate::rule::MAX_FINDINGS_PER_RULE + 1),
        );
    }
    if cap_after {
        crate::rule::cap_findings(ctx.into_findings())
    } else {
        ctx.into_findings()
    }
}

/// Lints `files` as updates of `old_files` with every finding of the update built in full
/// before the cap: the straightforward way, slower on large updates, that [`lint_update`]
/// must agree with (a test compares them).
#[doc(hidden)]
pub fn lint_update_reference(
    files: &[SourceFile],
    old_files: &[SourceFile],
    options: &Options,
) -> Vec<FileReport> {
    let streams: Vec<ParsedStream> = files
        .iter()
        .map(|f| parse_stream(&f.text, &options.limits))
        .collect();
    let findings = findings_of(
        files,
        &streams,
        old_files,
        options,
        Ctx::new(options),
        true,
        None,
    );
    reports(files, findings)
}

/// The findings of one round of fixing `text` as an update of `old_files` (none: a create),
/// and, to compare with, the findings of a full uncapped lint that carry a fix the round
/// applies: a round builds only those (see [`Ctx::for_fixing`]), the only ones it applies; a
/// test holds them equal.
#[doc(hidden)]
pub fn fixing_round_reference(
    text: &str,
    old_files: &[SourceFile],
    options: &Options,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let stream = parse_stream(text, &options.limits);
    // (on an update, the ratchet may take a fix away afterwards: such findings are left)
    let round = lint_one("in.yaml", text, &stream, old_files, options, true)
        .diagnostics
        .into_iter()
        .filter(|d| applicable(d, options))
        .collect();
    let files = [SourceFile {
        path: "in.yaml".into(),
        text: text.to_string(),
    }];
    let full = run_parsed(
        &files,
        std::slice::from_ref(&stream),
        old_files,
        options,
        Ctx::uncapped(options),
    );
    let reference = full
        .into_iter()
        .flat_map(|r| r.diagnostics)
        .filter(|d| applicable(d, options))
        .collect();
    (round, reference)
}

/// The findings by file, sorted by position, a finding reported twice shown once.
fn reports(files: &[SourceFile], findings: Vec<(usize, Diagnostic)>) -> Vec<FileReport> {
    let mut by_file: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
    for (file, d) in findings {
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
            // the same finding reported twice (same document, pointer and message) is shown
            // once; identical findings in different documents are different findings
            diagnostics.dedup_by(|a, b| {
                a.code == b.code
                    && a.document == b.document
                    && a.pointer == b.pointer
                    && a.message == b.message
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

/// Lints one text, already read into `stream`, as an update of the objects in `old_files`
/// (none: a plain lint); for a round of fixing (`fixing`), every fixable finding is kept past
/// the cap on findings.
fn lint_one(
    path: &str,
    text: &str,
    stream: &ParsedStream,
    old_files: &[SourceFile],
    options: &Options,
    fixing: bool,
) -> FileReport {
    let files = [SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }];
    let ctx = if fixing {
        Ctx::for_fixing(options)
    } else {
        Ctx::new(options)
    };
    run_parsed(
        &files,
        std::slice::from_ref(stream),
        old_files,
        options,
        ctx,
    )
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
    let (rounds, stream) = rounds(path, text, old_files, options);
    let remaining = lint_one(path, &rounds.output, &stream, old_files, options, false);
    FixOutcome {
        output: rounds.output,
        applied: rounds.applied,
        remaining,
        patches: rounds.patches,
    }
}

/// What the rounds of fixing give: [`FixOutcome`] without the findings left (no lint of the
/// result), which is all an admission review's JSON Patch needs.
#[derive(Debug, Clone)]
pub struct FixRounds {
    pub output: String,
    pub applied: Vec<AppliedFix>,
    /// JSON Patch per document index, in the order the fixes were applied.
    pub patches: BTreeMap<usize, Vec<PatchOp>>,
}

/// The fixes [`fix_update`] applies, without its last lint (the findings left).
pub fn fix_update_rounds(
    path: &str,
    text: &str,
    old_files: &[SourceFile],
    options: &Options,
) -> FixRounds {
    rounds(path, text, old_files, options).0
}

/// Texts up to this size get several tries when a round's fixes fail together ([`rounds`]).
const MANY_TRIES_UP_TO: usize = 256 * 1024;

/// The rounds of fixing, with the reading of the text they end with. Each text is read once:
/// the reading that checks a round's result (its errors, its documents for
/// [`patches_agree`]) is the one the next round lints.
fn rounds(
    path: &str,
    text: &str,
    old_files: &[SourceFile],
    options: &Options,
) -> (FixRounds, ParsedStream) {
    let mut current = text.to_string();
    let mut stream = parse_stream(text, &options.limits);
    let mut applied = Vec::new();
    let mut patches: BTreeMap<usize, Vec<PatchOp>> = BTreeMap::new();
    let errors_before = stream.errors().count();
    let mut seen_texts: HashSet<u64> = HashSet::new();
    seen_texts.insert(text_hash(text));
    for _round in 0..10 {
        let report = lint_one(path, &current, &stream, old_files, options, true);
        let mut chosen: Vec<&Diagnostic> = Vec::new();
        let mut taken: Vec<crate::source::Span> = Vec::new();
        let mut written = crate::patch::WrittenPlaces::default();
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
            if clash || !written.claim(d.document, &fix.patch) {
                continue;
            }
            taken.extend(fix.edits.iter().map(|e| e.span));
            chosen.push(d);
        }
        if chosen.is_empty() {
            break;
        }
        let mut next = apply_edits(&current, &chosen);
        let mut next_stream = parse_stream(&next, &options.limits);
        let sound = |next: &ParsedStream, chosen: &[&Diagnostic]| {
            next.errors().count() <= errors_before && patches_agree(&stream, next, chosen)
        };
        let mut ok = sound(&next_stream, &chosen);
        if !ok && chosen.len() > 1 {
            // Fixes that are sound alone can clash together (one renames a key that another
            // adds), and one faulty fix must not hold back the rest: add them one at a time,
            // keeping each that leaves the text sound. Each try reads the whole text again,
            // so a large text gets one try (the first fix alone), a small one up to eight;
            // the fixes not tried come back next round.
            let tries = if current.len() > MANY_TRIES_UP_TO {
                1
            } else {
                8
            };
            let candidates = std::mem::take(&mut chosen);
            for d in candidates.into_iter().take(tries) {
                chosen.push(d);
                let t = apply_edits(&current, &chosen);
                let s = parse_stream(&t, &options.limits);
                if sound(&s, &chosen) {
                    (next, next_stream, ok) = (t, s, true);
                } else {
                    chosen.pop();
                }
            }
        }
        if !ok {
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
        stream = next_stream;
    }
    (
        FixRounds {
            output: current,
            applied,
            patches,
        },
        stream,
    )
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Whether the JSON Patch of the chosen fixes, applied to the documents of `old` (the text
/// before the fixes, as read), gives the documents of `new` (the text with their edits). Only
/// checked where the comparison means something: both texts read without errors and without
/// repeated keys (which JSON cannot hold). Answers as `patches_agree_by_copy` does without
/// copying whole documents: a document no fix touches is compared node to node, and one a fix
/// touches is copied only below the deepest node holding every place its operations name.
fn patches_agree(old: &ParsedStream, new: &ParsedStream, chosen: &[&Diagnostic]) -> bool {
    if !old.issues.is_empty() {
        return true;
    }
    if !new.issues.is_empty() {
        // the text read cleanly before the fixes (a repeated key, say, is new)
        return false;
    }
    let index = |d: &crate::source::ParsedDocument| d.index;
    if !old
        .documents
        .iter()
        .map(index)
        .eq(new.documents.iter().map(index))
        || !chosen
            .iter()
            .all(|d| old.documents.iter().any(|o| o.index == d.document))
    {
        // (as [`patches_agree_by_copy`] finds: a document without its counterpart)
        return false;
    }
    // the operations on each document, in the order they apply
    let mut ops: BTreeMap<usize, Vec<&PatchOp>> = BTreeMap::new();
    for d in chosen {
        if let Some(f) = &d.fix {
            ops.entry(d.document).or_default().extend(&f.patch);
        }
    }
    old.documents
        .iter()
        .zip(&new.documents)
        .all(|(o, n)| match ops.get(&o.index) {
            None => nodes_match(&o.root, &n.root),
            Some(ops) => patched_matches(&o.root, &n.root, ops),
        })
}

/// [`patches_agree`] the plain way: every document of `old` copied as JSON, patched, and
/// compared with its new version (the reference the tests compare it with).
#[cfg(test)]
fn patches_agree_by_copy(old: &ParsedStream, new: &ParsedStream, chosen: &[&Diagnostic]) -> bool {
    if !old.issues.is_empty() {
        return true;
    }
    if !new.issues.is_empty() {
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
        .all(|d| docs.get(&d.index).is_some_and(|v| json_matches(&d.root, v)))
}

/// Whether `ops` applied to `old.to_json()` give `new.to_json()`. The operations only change
/// what lies below the deepest container holding every place they name (their paths' and
/// sources' parents): above it the two documents are compared node to node, and only that
/// container is copied and patched. Anything unusual (the path missing, keys in another
/// order) is left to the plain way, on the whole document.
fn patched_matches(old: &Node, new: &Node, ops: &[&PatchOp]) -> bool {
    scoped_patch_matches(old, new, ops).unwrap_or_else(|| {
        let mut doc = old.to_json();
        apply_ops(&mut doc, ops) && json_matches(new, &doc)
    })
}

/// Applies `ops` to `doc` in order; false when one of them fails.
fn apply_ops(doc: &mut serde_json::Value, ops: &[&PatchOp]) -> bool {
    ops.iter()
        .all(|op| crate::patch::apply(doc, std::slice::from_ref(*op)).is_ok())
}

/// [`patched_matches`] below the common container; None where it cannot say.
fn scoped_patch_matches(old: &Node, new: &Node, ops: &[&PatchOp]) -> Option<bool> {
    use crate::source::Value as N;
    // the common prefix, in (escaped) segments, of the parents of every place named
    let mut scope: Option<Vec<&str>> = None;
    for op in ops {
        let places: [Option<&String>; 2] = match op {
            PatchOp::Add { path, .. }
            | PatchOp::Remove { path }
            | PatchOp::Replace { path, .. }
            | PatchOp::Test { path, .. } => [Some(path), None],
            PatchOp::Move { from, path } | PatchOp::Copy { from, path } => [Some(path), Some(from)],
        };
        for p in places.into_iter().flatten() {
            let parent: Vec<&str> = match p.strip_prefix('/') {
                Some(rest) => {
                    let mut segs: Vec<&str> = rest.split('/').collect();
                    segs.pop();
                    segs
                }
                None => Vec::new(),
            };
            scope = Some(match scope {
                None => parent,
                Some(s) => {
                    let common = s.iter().zip(&parent).take_while(|(a, b)| a == b).count();
                    parent[..common].to_vec()
                }
            });
        }
    }
    let scope = scope.unwrap_or_default();
    let (mut o, mut n) = (old, new);
    // the containers above the scope, by key or index
    let mut spine: Vec<(Option<String>, usize)> = Vec::with_capacity(scope.len());
    for seg in &scope {
        match (&o.value, &n.value) {
            (N::Map(oe), N::Map(ne)) => {
                let key = crate::source::unescape_pointer_segment(seg);
                if oe.len() != ne.len() {
                    return None;
                }
                for (a, b) in oe.iter().zip(ne) {
                    if a.key != b.key || (a.key != key && !nodes_match(&a.value, &b.value)) {
                        return None;
                    }
                }
                (o, n) = (o.get(&key)?, n.get(&key)?);
                spine.push((Some(key), 0));
            }
            (N::Seq(oi), N::Seq(ni)) => {
                let i: usize = seg.parse().ok().filter(|i: &usize| i.to_string() == *seg)?;
                if oi.len() != ni.len() {
                    return None;
                }
                for (j, (a, b)) in oi.iter().zip(ni).enumerate() {
                    if j != i && !nodes_match(a, b) {
                        return None;
                    }
                }
                (o, n) = (oi.get(i)?, ni.get(i)?);
                spine.push((None, i));
            }
            _ => return None,
        }
    }
    // a copy of the scope alone, at its place (the operations reach nothing else), patched
    let mut doc = o.to_json();
    for (key, i) in spine.into_iter().rev() {
        doc = match key {
            Some(k) => {
                // (insert, not collect: no sort code for one member)
                let mut m = serde_json::Map::new();
                m.insert(k, doc);
                serde_json::Value::Object(m)
            }
            None => {
                let mut items = vec![serde_json::Value::Null; i];
                items.push(doc);
                serde_json::Value::Array(items)
            }
        };
    }
    let patched = apply_ops(&mut doc, ops);
    let at: String = scope.iter().flat_map(|s| ["/", s]).collect();
    Some(patched && doc.pointer(&at).is_some_and(|v| json_matches(n, v)))
}

/// Whether `a.to_json() == b.to_json()`, without building either copy: mappings whose keys
/// come in the same order are compared entry by entry (an entry that a later one with the
/// same key hides does not count), others through their copies.
fn nodes_match(a: &Node, b: &Node) -> bool {
    use crate::source::Value as N;
    match (&a.value, &b.value) {
        (N::Str(s), N::Str(t)) => s == t,
        (N::Seq(x), N::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| nodes_match(p, q))
        }
        (N::Map(x), N::Map(y))
            if x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.key == q.key) =>
        {
            // the same keys in the same order: each key's last entry is at the same place
            x.iter().zip(y).all(|(p, q)| {
                nodes_match(&p.value, &q.value)
                    || !a.entry(&p.key).is_some_and(|e| std::ptr::eq(e, p))
            })
        }
        (N::Map(_), N::Map(_)) => a.to_json() == b.to_json(),
        (N::Str(_) | N::Seq(_) | N::Map(_), _) | (_, N::Str(_) | N::Seq(_) | N::Map(_)) => false,
        _ => a.to_json() == b.to_json(),
    }
}

/// Whether `node.to_json() == *value`, without building that copy: a mapping is compared key
/// by key through its index (each key's last entry, as `to_json` keeps it), a sequence item by
/// item; a mapping with repeated keys is compared through the copy.
fn json_matches(node: &Node, value: &serde_json::Value) -> bool {
    use crate::source::Value as N;
    use serde_json::Value as J;
    match (&node.value, value) {
        (N::Str(s), J::String(t)) => s == t,
        (N::Seq(items), J::Array(values)) => {
            items.len() == values.len() && items.iter().zip(values).all(|(n, v)| json_matches(n, v))
        }
        (N::Map(entries), J::Object(map)) if entries.len() == map.len() => {
            // every key of `map` has an entry and there are as many entries as keys: the
            // keys are distinct and the same
            map.iter()
                .all(|(k, v)| node.entry(k).is_some_and(|e| json_matches(&e.value, v)))
        }
        (N::Str(_) | N::Seq(_), _) => false,
        _ => node.to_json() == *value,
    }
}

/// The text with the edits of the chosen fixes (which do not overlap) applied.
fn apply_edits(current: &str, chosen: &[&Diagnostic]) -> String {
    let edits: Vec<&crate::diagnostic::TextEdit> = chosen
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter())
        .collect();
    crate::fix::apply_edits(current, &edits).0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of the corpus, the examples and the rule fixtures.
    fn fixture_texts() -> Vec<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    walk(&p, out);
                } else if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push(t);
                }
            }
        }
        let mut texts = Vec::new();
        for dir in ["tests/corpus", "examples", "tests/fixtures"] {
            walk(std::path::Path::new(dir), &mut texts);
        }
        texts
    }

    /// `patches_agree` answers as `patches_agree_by_copy` on the fixes of every fixture: each
    /// fix alone, every fix of a text together (as a round picks them), and each fix's text
    /// edits checked against another fix's patch, or against its own patch with one operation
    /// dropped or its target moved.
    #[test]
    fn patches_agree_answers_as_the_copy_does() {
        let options = Options {
            unsafe_fixes: true,
            ..Options::default()
        };
        let (mut agree, mut disagree) = (0, 0);
        let mut check =
            |old: &ParsedStream, text: &str, edits_of: &[&Diagnostic], claimed: &[&Diagnostic]| {
                let next = apply_edits(text, edits_of);
                let new = parse_stream(&next, &options.limits);
                let want = patches_agree_by_copy(old, &new, claimed);
                assert_eq!(patches_agree(old, &new, claimed), want, "{text}\n{next}");
                if want {
                    agree += 1;
                } else {
                    disagree += 1;
                }
            };
        for text in fixture_texts() {
            let stream = parse_stream(&text, &options.limits);
            let files = [SourceFile {
                path: "in.yaml".into(),
                text: text.clone(),
            }];
            let report = run_parsed(
                &files,
                std::slice::from_ref(&stream),
                &[],
                &options,
                Ctx::uncapped(&options),
            );
            let fixed: Vec<&Diagnostic> = report
                .iter()
                .flat_map(|r| &r.diagnostics)
                .filter(|d| applicable(d, &options))
                .filter(|d| d.fix.as_ref().is_some_and(|f| !f.edits.is_empty()))
                .collect();
            let mut together: Vec<&Diagnostic> = Vec::new();
            let mut taken: Vec<crate::source::Span> = Vec::new();
            for (i, d) in fixed.iter().enumerate() {
                check(&stream, &text, &[d], &[d]);
                if let Some(other) = fixed.get(i + 1) {
                    check(&stream, &text, &[d], &[other]);
                }
                let Some(f) = &d.fix else { continue };
                let mut changed = (*d).clone();
                if let Some(g) = changed.fix.as_mut() {
                    g.patch.pop();
                }
                check(&stream, &text, &[d], &[&changed]);
                let mut moved = (*d).clone();
                if let Some(g) = moved.fix.as_mut() {
                    for op in &mut g.patch {
                        if let PatchOp::Add { path, .. } | PatchOp::Replace { path, .. } = op {
                            path.push('x');
                        }
                    }
                }
                check(&stream, &text, &[d], &[&moved]);
                let clash = f.edits.iter().any(|e| {
                    taken.iter().any(|t| {
                        e.span.start < t.end.max(t.start + 1)
                            && t.start < e.span.end.max(e.span.start + 1)
                    })
                });
                if !clash {
                    taken.extend(f.edits.iter().map(|e| e.span));
                    together.push(d);
                }
            }
            if together.len() > 1 {
                check(&stream, &text, &together, &together);
            }
        }
        assert!(agree > 150 && disagree > 200, "{agree} {disagree}");
    }

    /// `nodes_match` answers as comparing `to_json()`, on every document of the fixtures
    /// against itself and against edits of it read back as nodes.
    #[test]
    fn nodes_match_compares_as_to_json_does() {
        use serde_json::Value as J;
        let mut texts = fixture_texts();
        texts.push("a: 1\nb: 2\na: 3\n".into());
        texts.push("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n".into());
        texts.push("[1, 1.5, -2, true, null, '1', 1e400, .nan, 1.0]".into());
        let (mut same, mut differ) = (0, 0);
        for t in &texts {
            let stream = parse_stream(t, &crate::source::Limits::default());
            for d in &stream.documents {
                let own = d.root.to_json();
                let mut variants = vec![own.clone()];
                if let J::Object(m) = &own {
                    let mut reversed: serde_json::Map<String, J> = serde_json::Map::new();
                    for (k, v) in m.iter().rev() {
                        reversed.insert(k.clone(), v.clone());
                    }
                    variants.push(J::Object(reversed));
                    for (k, _) in m.iter().take(6) {
                        let mut dropped = m.clone();
                        dropped.remove(k);
                        variants.push(J::Object(dropped));
                        let mut changed = m.clone();
                        changed.insert(k.clone(), J::from(1));
                        variants.push(J::Object(changed));
                    }
                }
                for v in &variants {
                    let text = serde_json::to_string(v).unwrap_or_default();
                    let other = parse_stream(&text, &crate::source::Limits::default());
                    for o in &other.documents {
                        let expected = d.root.to_json() == o.root.to_json();
                        assert_eq!(nodes_match(&d.root, &o.root), expected, "{t}\n{text}");
                        assert_eq!(nodes_match(&o.root, &d.root), expected, "{t}\n{text}");
                        if expected {
                            same += 1;
                        } else {
                            differ += 1;
                        }
                    }
                }
                // against the other documents of the same text
                for o in &stream.documents {
                    let expected = d.root.to_json() == o.root.to_json();
                    assert_eq!(nodes_match(&d.root, &o.root), expected, "{t}");
                }
            }
        }
        assert!(same > 100 && differ > 1000, "{same} {differ}");
    }

    /// What [`registry::check_object`] may skip for the live objects of an update (the schema
    /// checks) never draws on the run's "did you mean" budget: on every corpus file and rule
    /// fixture, the budget left after all checks equals the budget left after only those that
    /// always run (so skipping it changes no other finding).
    #[test]
    fn skippable_families_draw_nothing_from_the_suggestion_budget() {
        use crate::model::suggest::{budget_left, start_run, RUN_BUDGET};
        let mut paths: Vec<std::path::PathBuf> = Vec::new();
        let mut dirs = vec![
            std::path::PathBuf::from("tests/corpus"),
            std::path::PathBuf::from("tests/fixtures"),
        ];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
                {
                    paths.push(p);
                }
            }
        }
        paths.sort();
        let options = Options::default();
        let (mut drawn, mut objects_seen) = (0, 0);
        for p in &paths {
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            let stream = parse_stream(&text, &options.limits);
            let bundle = Bundle::new(objects_of(0, &text, &stream));
            let mut left = Vec::new();
            for all in [true, false] {
                start_run();
                let mut ctx = Ctx::keys_only(&options);
                for obj in &bundle.objects {
                    let only: Option<&[&str]> = if all { None } else { Some(&[]) };
                    registry::check_object(&mut ctx, obj, &bundle, only);
                }
                left.push(budget_left());
            }
            assert_eq!(left[0], left[1], "{}", p.display());
            objects_seen += bundle.objects.len();
            if left[0] < RUN_BUDGET {
                drawn += 1;
            }
        }
        assert!(objects_seen > 300 && drawn >= 10, "{objects_seen} {drawn}");
    }

    /// `json_matches` answers as comparing `to_json()`: on every document of the corpus and
    /// the conformance cases, against its own JSON and against edits of it (a scalar changed,
    /// a key dropped or added, an item dropped, a number of another kind), and on mappings
    /// with repeated and merged keys.
    #[test]
    fn json_matches_compares_as_to_json_does() {
        use serde_json::{json, Value as J};
        let mut texts: Vec<String> = Vec::new();
        for dir in ["tests/corpus", "examples"] {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort();
            for f in files {
                if let Ok(t) = std::fs::read_to_string(&f) {
                    texts.push(t);
                }
            }
        }
        texts.push("a: 1\nb: 2\na: 3\n".into());
        texts.push("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n".into());
        texts.push("{k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10, k11: 11, k12: 12, k13: 13, k14: 14, k15: 15, k16: 16, k3: x}".into());
        texts.push("[1, 1.5, -2, true, null, '1', 1e400, .nan]".into());
        fn edits(v: &J, out: &mut Vec<J>, depth: usize) {
            if depth > 3 {
                return;
            }
            match v {
                J::Object(m) => {
                    for (k, x) in m.iter().take(4) {
                        let mut dropped = m.clone();
                        dropped.remove(k);
                        out.push(J::Object(dropped));
                        let mut sub = Vec::new();
                        edits(x, &mut sub, depth + 1);
                        for e in sub.into_iter().take(6) {
                            let mut changed = m.clone();
                            changed.insert(k.clone(), e);
                            out.push(J::Object(changed));
                        }
                    }
                    let mut added = m.clone();
                    added.insert("added".into(), json!(1));
                    out.push(J::Object(added));
                }
                J::Array(items) => {
                    if let Some((_, rest)) = items.split_first() {
                        out.push(J::Array(rest.to_vec()));
                    }
                    for (i, x) in items.iter().enumerate().take(3) {
                        let mut sub = Vec::new();
                        edits(x, &mut sub, depth + 1);
                        for e in sub.into_iter().take(4) {
                            let mut changed = items.clone();
                            changed[i] = e;
                            out.push(J::Array(changed));
                        }
                    }
                }
                J::String(s) => {
                    out.push(json!(format!("{s}x")));
                    out.push(json!(s.chars().rev().collect::<String>()));
                    out.push(json!(null));
                }
                J::Number(n) => {
                    out.push(json!(n.as_f64().unwrap_or(0.0)));
                    out.push(json!(n.to_string()));
                }
                J::Bool(b) => out.push(json!(!b)),
                J::Null => out.push(json!(0)),
            }
        }
        let (mut same, mut differ) = (0, 0);
        for t in &texts {
            let stream = parse_stream(t, &crate::source::Limits::default());
            for d in &stream.documents {
                let own = d.root.to_json();
                let mut candidates = vec![own.clone(), json!({}), json!([]), json!(null)];
                edits(&own, &mut candidates, 0);
                for c in &candidates {
                    let expected = d.root.to_json() == *c;
                    assert_eq!(json_matches(&d.root, c), expected, "{t}\n{c}");
                    if expected {
                        same += 1;
                    } else {
                        differ += 1;
                    }
                }
            }
        }
        assert!(same > 50 && differ > 1000, "{same} {differ}");
    }
}
