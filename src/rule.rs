//! What a rule sees: its own metadata ([`RuleMeta`]), the objects of the input ([`Object`],
//! [`Bundle`]) and the context it reports to ([`Ctx`]).
//!
//! DESIGN: this module is the floor of the rule layer. Rules import it, the fix builders
//! ([`crate::fix`]) and the shared analysis ([`crate::model`]); they never import the engine,
//! the registry or each other. The registry owns the list of rules and runs every phase; the
//! engine only parses, finds objects, calls the registry and applies fixes.

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::model::suggest::thousands;
use crate::options::Options;
use crate::source::{push_pointer_segment, Node};

/// Which fixes a rule may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
    /// Safe in some cases, unsafe in others.
    Sometimes,
}

/// Everything claimcheck publishes about a rule. Codes and names never change.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / Fix safety.
    pub docs: &'static str,
}

impl RuleMeta {
    /// Whether the rule declares fixes of this applicability.
    pub fn allows(&self, a: Applicability) -> bool {
        match self.fix {
            FixAvailability::None => a == Applicability::DisplayOnly,
            FixAvailability::Safe => a != Applicability::Unsafe,
            FixAvailability::Unsafe => a != Applicability::Safe,
            FixAvailability::Sometimes => true,
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
        let mut p = String::with_capacity(self.base.len() + rel.len());
        p.push_str(&self.base);
        p.push_str(rel);
        p
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
    /// The workload kind of the object, when it is one (a served `apiVersion` of a kind with a
    /// pod template or pod spec).
    pub fn workload(&self) -> Option<crate::model::workload::WorkloadKind> {
        crate::model::workload::WorkloadKind::of(self.api_version, self.kind)
    }
    /// The object's pod spec, when it is a workload that has one.
    pub fn pod_spec(&self) -> Option<crate::model::workload::PodSpecView<'_>> {
        self.workload()
            .and_then(|k| crate::model::workload::PodSpecView::of(self.node, k))
    }
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind, self.name.unwrap_or("<unnamed>"))
    }
}

/// All objects of one run: the documents of the inputs, linted together.
pub struct Bundle<'a> {
    pub objects: Vec<Object<'a>>,
    /// Objects by name, built on first use (see [`Bundle::named`]).
    named: std::cell::OnceCell<NameIndex<'a>>,
}

/// (kind, name) and (apiVersion, kind, name) → the index of the first such object.
type NameIndex<'a> = (
    std::collections::HashMap<(&'a str, &'a str), usize>,
    std::collections::HashMap<(&'a str, &'a str, &'a str), usize>,
);

impl<'a> Bundle<'a> {
    pub fn new(objects: Vec<Object<'a>>) -> Self {
        Bundle {
            objects,
            named: std::cell::OnceCell::new(),
        }
    }

    /// The first object of `kind` named `name` (of any `apiVersion` and namespace), found
    /// through a hash map: a lookup per reference keeps cross-object checks linear.
    pub fn named(&self, kind: &str, name: &str) -> Option<&Object<'a>> {
        self.name_index()
            .0
            .get(&(kind, name))
            .and_then(|&i| self.objects.get(i))
    }

    /// The first object of `api_version` and `kind` named `name` (of any namespace).
    pub fn named_at(&self, api_version: &str, kind: &str, name: &str) -> Option<&Object<'a>> {
        self.name_index()
            .1
            .get(&(api_version, kind, name))
            .and_then(|&i| self.objects.get(i))
    }

    fn name_index(&self) -> &NameIndex<'a> {
        self.named.get_or_init(|| {
            // sized once for every object (growing rehashes every key)
            let n = self.objects.len();
            let mut index: NameIndex<'a> = (
                std::collections::HashMap::with_capacity(n),
                std::collections::HashMap::with_capacity(n),
            );
            for (i, o) in self.objects.iter().enumerate() {
                if let Some(n) = o.name {
                    index.0.entry((o.kind, n)).or_insert(i);
                    index.1.entry((o.api_version, o.kind, n)).or_insert(i);
                }
            }
            index
        })
    }

    pub fn of_kind<'b>(&'b self, kind: &'b str) -> impl Iterator<Item = &'b Object<'a>> + 'b {
        self.objects.iter().filter(move |o| o.kind == kind)
    }
}

/// Collects diagnostics for rules.
pub struct Ctx<'o> {
    pub options: &'o Options,
    out: Vec<(usize, Diagnostic)>,
    /// Findings reported so far per (file, rule code), for the cap (see [`Tallies`]).
    tallies: Tallies,
    /// Per (file, rule code) over the cap: the first finding not listed, how many were not
    /// listed, and the worst severity among them.
    unlisted: Vec<Unlisted>,
    /// A round of fixing: only the findings whose fix the round may apply are kept, past the
    /// cap too, and rules are told that nothing else is wanted (see [`Ctx::for_fixing`]).
    fixes_only: bool,
    /// How many findings of one rule are listed per input ([`MAX_FINDINGS_PER_RULE`], or no
    /// limit for [`Ctx::uncapped`]).
    cap: usize,
    /// Only what identifies each finding is kept (see [`Ctx::keys_only`]).
    keys_only: bool,
    /// Per (file, rule code), the findings past this many keep only what identifies them
    /// (see [`Ctx::for_update`]); no limit otherwise.
    details_cap: usize,
}

/// How many findings of one rule are listed for one input; past it, one finding says how many
/// more there are (see [`Ctx::report_as`]). Keeps the cost and the size of the answer to a
/// hostile input (250,000 unknown fields, say) proportionate, without changing the report's
/// shape.
pub const MAX_FINDINGS_PER_RULE: usize = 1000;

/// The finding that stands for `count` findings of one rule past the cap: the first of them,
/// quoted, with the worst severity among them and no fix.
fn summary(mut first: Diagnostic, count: usize, severity: Severity) -> Diagnostic {
    first.message = format!(
        "{} more {} findings in this input are not listed (at most {} are listed per rule and input); the first of them: {}",
        thousands(count),
        first.code,
        thousands(MAX_FINDINGS_PER_RULE),
        first.message
    );
    first.severity = severity;
    first.fix = None;
    first
}

/// Caps findings listed in full (an update's, after the ratchet): per file and rule, the first
/// [`MAX_FINDINGS_PER_RULE`] in report order are kept and the rest become one finding that
/// counts them, with the worst severity among them, pre-existing only when all of them were.
pub fn cap_findings(findings: Vec<(usize, Diagnostic)>) -> Vec<(usize, Diagnostic)> {
    use std::collections::HashMap;
    // (file, code) → (how many, its place in `unlisted` once past the cap): one lookup each
    let mut counts: HashMap<(usize, &'static str), (usize, usize)> = HashMap::new();
    // (file, first unlisted, how many, worst severity, all pre-existing), in order
    let mut unlisted: Vec<(usize, Diagnostic, usize, Severity, bool)> = Vec::new();
    let mut out = Vec::with_capacity(findings.len().min(MAX_FINDINGS_PER_RULE * 8));
    for (file, d) in findings {
        let (n, at) = counts.entry((file, d.code)).or_insert((0, usize::MAX));
        *n += 1;
        if *n <= MAX_FINDINGS_PER_RULE {
            out.push((file, d));
            continue;
        }
        match unlisted.get_mut(*at) {
            Some((_, _, count, severity, pre)) => {
                *count += 1;
                *severity = (*severity).max(d.severity);
                *pre &= d.pre_existing;
            }
            None => {
                *at = unlisted.len();
                let (severity, pre) = (d.severity, d.pre_existing);
                unlisted.push((file, d, 1, severity, pre));
            }
        }
    }
    for (file, first, count, severity, pre) in unlisted {
        let mut d = summary(first, count, severity);
        d.pre_existing = pre;
        out.push((file, d));
    }
    out
}

struct Unlisted {
    file: usize,
    first: Diagnostic,
    count: usize,
    severity: Severity,
}

/// What [`Ctx`] counts per (file, rule code).
#[derive(Clone, Copy)]
struct Tally {
    file: usize,
    code: &'static str,
    /// Findings reported so far.
    reported: usize,
    /// Its place in [`Ctx::unlisted`], once past the cap.
    unlisted: Option<usize>,
}

/// The tallies of one context: hashed by (file, rule code), with the last one looked up
/// remembered, since a rule that reports many findings reports them one after the other (a
/// finding past the cap then costs two comparisons, not two hashed lookups).
#[derive(Default)]
struct Tallies {
    all: Vec<Tally>,
    at: std::collections::HashMap<(usize, &'static str), usize>,
    last: std::cell::Cell<usize>,
}

impl Tallies {
    /// The index of the tally of (file, code), if there is one.
    fn find(&self, file: usize, code: &'static str) -> Option<usize> {
        let last = self.last.get();
        if let Some(t) = self.all.get(last) {
            // (the same code is mostly the same static string: compared by address first)
            if t.file == file && (std::ptr::eq(t.code, code) || t.code == code) {
                return Some(last);
            }
        }
        let i = self.at.get(&(file, code)).copied()?;
        self.last.set(i);
        Some(i)
    }

    fn get(&self, file: usize, code: &'static str) -> Option<&Tally> {
        self.find(file, code).and_then(|i| self.all.get(i))
    }

    /// The tally of (file, code), made when it has none.
    fn entry(&mut self, file: usize, code: &'static str) -> &mut Tally {
        let i = match self.find(file, code) {
            Some(i) => i,
            None => {
                let i = self.all.len();
                self.all.push(Tally {
                    file,
                    code,
                    reported: 0,
                    unlisted: None,
                });
                self.at.insert((file, code), i);
                self.last.set(i);
                i
            }
        };
        &mut self.all[i]
    }
}

/// Fixes dropped because their rule does not declare their kind (see [`Ctx::report_as`]).
/// A registry test runs every fixture and requires this to stay at zero.
static UNDECLARED_FIXES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many fixes were dropped in this process because their rule did not declare them.
pub fn undeclared_fixes() -> usize {
    UNDECLARED_FIXES.load(std::sync::atomic::Ordering::Relaxed)
}

impl<'o> Ctx<'o> {
    pub fn new(options: &'o Options) -> Self {
        Ctx {
            options,
            out: Vec::new(),
            tallies: Tallies::default(),
            unlisted: Vec::new(),
            fixes_only: false,
            cap: MAX_FINDINGS_PER_RULE,
            keys_only: false,
            details_cap: usize::MAX,
        }
    }

    /// An uncapped context for the new objects of an update, to be capped by [`cap_findings`]
    /// after the ratchet: every finding is kept (the ratchet compares them all, and the
    /// count of those not listed is reported), but past the first
    /// [`MAX_FINDINGS_PER_RULE`] + 1 per input and rule — the listed ones and the one a summary
    /// quotes — only what identifies a finding and its severity are kept, as with
    /// [`Ctx::keys_only`]. What the capped report shows is the same as with
    /// [`Ctx::uncapped`].
    pub(crate) fn for_update(options: &'o Options) -> Self {
        Ctx {
            details_cap: MAX_FINDINGS_PER_RULE + 1,
            ..Ctx::uncapped(options)
        }
    }

    /// An uncapped context that keeps only what identifies each finding — its rule, document
    /// and pointer — with no message, fix, range or object label: the findings of the live
    /// objects of an update, which the ratchet only looks up by place. Rules that ask
    /// [`Ctx::wants_details`] build nothing more. (A rule still makes its "did you mean"
    /// suggestions: they draw on the run's budget, which decides what later rules find.)
    pub(crate) fn keys_only(options: &'o Options) -> Self {
        Ctx {
            keys_only: true,
            ..Ctx::uncapped(options)
        }
    }

    /// A context that lists every finding. An update is linted this way, the live objects and
    /// the new ones alike, so that the ratchet compares every fault with every fault (a capped
    /// list names different faults when a list was reordered); [`cap_findings`] caps the
    /// ratcheted result.
    pub fn uncapped(options: &'o Options) -> Self {
        Ctx {
            cap: usize::MAX,
            ..Ctx::new(options)
        }
    }

    /// A context for a round of fixing, which applies fixes and reads nothing else: only the
    /// findings that carry a fix the round may apply ([`Ctx::applies`]) are kept, every one
    /// of them (no cap), and a finding without one is neither built nor counted. Rules learn
    /// it through [`Ctx::wants_details`] (false for a rule with no such fix) and
    /// [`Ctx::wants_details_if`]. (The report shown after fixing is a lint of its own.)
    pub fn for_fixing(options: &'o Options) -> Self {
        Ctx {
            fixes_only: true,
            ..Ctx::new(options)
        }
    }

    /// [`Ctx::for_fixing`] for an update: uncapped, as an update's findings are before the
    /// ratchet (which only takes fixes away).
    pub(crate) fn for_fixing_update(options: &'o Options) -> Self {
        Ctx {
            fixes_only: true,
            ..Ctx::uncapped(options)
        }
    }

    /// Whether a round of fixing applies a fix of this applicability.
    pub fn applies(&self, a: Applicability) -> bool {
        match a {
            Applicability::Safe => true,
            Applicability::Unsafe => self.options.unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
    }

    /// Whether any finding of `rules` is wanted: false only in a round of fixing when none of
    /// them may offer a fix it applies. A family of rules may then skip its checks, unless
    /// they ask for "did you mean" suggestions (these draw on the run's budget, which decides
    /// what later rules suggest: see [`crate::model::suggest`]).
    pub fn wants_any(&self, rules: &[RuleMeta]) -> bool {
        !self.fixes_only || rules.iter().any(|r| self.may_apply(r))
    }

    /// Whether `rule` may offer a fix that a round of fixing applies.
    fn may_apply(&self, rule: &RuleMeta) -> bool {
        match rule.fix {
            FixAvailability::None => false,
            FixAvailability::Safe | FixAvailability::Sometimes => true,
            FixAvailability::Unsafe => self.options.unsafe_fixes,
        }
    }

    /// Whether this context lists every finding ([`Ctx::uncapped`]).
    pub fn is_uncapped(&self) -> bool {
        self.cap == usize::MAX
    }

    /// Whether every finding is kept, at least its place, even one that
    /// [`Ctx::wants_details`] says needs no details: an update's live objects
    /// ([`Ctx::keys_only`]), its new objects ([`Ctx::for_update`]) and any uncapped or fixing
    /// context. Otherwise such a finding is only counted, and its place is never read.
    pub fn keeps_every_place(&self) -> bool {
        !self.fixes_only && (self.keys_only || self.is_uncapped())
    }

    /// Whether this context is for a round of fixing ([`Ctx::for_fixing`]).
    pub fn is_fixing(&self) -> bool {
        self.fixes_only
    }

    /// The findings, each with the index of its file.
    pub fn into_findings(mut self) -> Vec<(usize, Diagnostic)> {
        self.list_unlisted();
        self.out
    }

    /// The findings so far, for the ratchet of an update (`crate::ratchet`).
    pub(crate) fn findings_mut(&mut self) -> &mut Vec<(usize, Diagnostic)> {
        self.list_unlisted();
        &mut self.out
    }

    /// One finding per (file, rule) over the cap, at the place of the first one not listed:
    /// "… and N more like this in this input".
    fn list_unlisted(&mut self) {
        for t in &mut self.tallies.all {
            t.unlisted = None;
        }
        for u in self.unlisted.drain(..) {
            self.out
                .push((u.file, summary(u.first, u.count, u.severity)));
        }
    }

    /// Counts a finding of `rule` in `file`; false when it is over the cap and is not listed
    /// (the count of those is kept for the summary finding).
    fn listed(&mut self, file: usize, rule: &'static RuleMeta) -> bool {
        let t = self.tallies.entry(file, rule.code);
        t.reported += 1;
        t.reported <= self.cap
    }

    /// Whether the next finding of `rule` about `obj` needs its message and fix: it is listed,
    /// or it is the first one past the cap of [`MAX_FINDINGS_PER_RULE`] per rule and input
    /// (its message is quoted), or the run is fixing and the rule may offer a fix the round
    /// applies. A rule that can report very many findings may ask before building them, and
    /// report the others with an empty message and no fix (they are only counted, and not
    /// even that while fixing); reporting everything in full is always correct.
    pub fn wants_details(&self, obj: &Object, rule: &'static RuleMeta) -> bool {
        self.wants_details_in(obj.file, rule)
    }

    /// [`Ctx::wants_details`] for a finding in `file` that belongs to no object (see
    /// [`Ctx::report_in_document`]).
    pub fn wants_details_in(&self, file: usize, rule: &'static RuleMeta) -> bool {
        if self.keys_only {
            return false;
        }
        if self.fixes_only {
            return self.may_apply(rule);
        }
        let n = self.tallies.get(file, rule.code).map(|t| t.reported);
        n.is_none_or(|n| n <= self.cap && n < self.details_cap)
    }

    /// [`Ctx::wants_details`] for a finding whose fix, if it has one, is at best of the
    /// applicability `fix` gives (None: it has no fix; only asked while fixing, where a
    /// finding without a fix the round applies is not wanted).
    pub fn wants_details_if(
        &self,
        obj: &Object,
        rule: &'static RuleMeta,
        fix: impl FnOnce() -> Option<Applicability>,
    ) -> bool {
        if self.fixes_only {
            return !self.keys_only && fix().is_some_and(|a| self.applies(a));
        }
        self.wants_details(obj, rule)
    }

    /// Whether a rule is on (callers may skip work for disabled rules).
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        !self.options.rules.disabled.contains(rule.code)
    }

    /// Reports a finding about `obj` at the object-relative pointer `rel`, with the rule's
    /// default severity.
    pub fn report(
        &mut self,
        obj: &Object,
        rule: &'static RuleMeta,
        rel: &str,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        self.report_as(obj, rule, rule.severity, rel, message, fix);
    }

    /// Reports a finding with `severity` in place of the rule's default (a user's choice of
    /// severity for the rule still wins).
    pub fn report_as(
        &mut self,
        obj: &Object,
        rule: &'static RuleMeta,
        severity: Severity,
        rel: &str,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        if !self.enabled(rule) || obj.ignored.iter().any(|c| c == rule.code) {
            return;
        }
        if self.fixes_only {
            // fixing: only a fix the round applies is wanted, every one of them
            if !fix.as_ref().is_some_and(|f| self.applies(f.applicability)) {
                return;
            }
        } else if !self.listed(obj.file, rule) && !self.first_unlisted(obj.file, rule, severity) {
            // past the cap: only the first one is built
            return;
        }
        let pointer = obj.ptr(rel);
        // an update's live objects, or the new objects' findings that no report shows: only
        // the places, which is all the ratchet looks up
        let keys_only = self.keys_only
            || (self.details_cap != usize::MAX
                && self
                    .tallies
                    .get(obj.file, rule.code)
                    .is_some_and(|t| t.reported > self.details_cap));
        let (span, message, fix, label) = if keys_only {
            (crate::source::Span::default(), String::new(), None, None)
        } else {
            (
                obj.doc_root.locate(&pointer),
                message.into(),
                fix.map(|f| crate::fix::name_dropped_comments(obj.text, obj.doc_root, f)),
                Some(obj.label()),
            )
        };
        self.push_at(
            obj.file,
            rule,
            severity,
            obj.document,
            pointer,
            span,
            message,
            fix,
            label,
        );
    }

    /// Reports a finding of `rule` about `obj` that [`Ctx::wants_details`] said needs no
    /// details: past the cap it is only counted, at `severity`, and `rel` is never built; where
    /// every finding keeps its place ([`Ctx::keeps_every_place`], e.g. an update's objects,
    /// which the ratchet looks up by place), `rel` is built.
    pub fn report_counted(
        &mut self,
        obj: &Object,
        rule: &'static RuleMeta,
        severity: Severity,
        rel: impl FnOnce() -> String,
    ) {
        if self.fixes_only {
            return; // no fix: nothing a round of fixing reads
        }
        let rel = if self.keeps_every_place() {
            rel()
        } else {
            String::new()
        };
        self.report_as(obj, rule, severity, &rel, String::new(), None);
    }

    /// Reports a finding that belongs to no object (a parse problem, a document that is not
    /// an object) at a document pointer and span.
    #[allow(clippy::too_many_arguments)]
    pub fn report_in_document(
        &mut self,
        file: usize,
        rule: &'static RuleMeta,
        document: usize,
        pointer: String,
        span: crate::source::Span,
        message: String,
    ) {
        if !self.enabled(rule) || self.fixes_only {
            // (no fix: nothing a round of fixing reads)
            return;
        }
        if !self.listed(file, rule) && !self.first_unlisted(file, rule, rule.severity) {
            return;
        }
        self.push_at(
            file,
            rule,
            rule.severity,
            document,
            pointer,
            span,
            message,
            None,
            None,
        );
    }

    /// For a finding over the cap: true when it is the first one not listed (it is then
    /// built, and kept for the summary); else it only counts, at its severity.
    fn first_unlisted(&mut self, file: usize, rule: &'static RuleMeta, severity: Severity) -> bool {
        let severity = self.effective(rule, severity);
        let at = self.tallies.get(file, rule.code).and_then(|t| t.unlisted);
        match at.and_then(|i| self.unlisted.get_mut(i)) {
            Some(u) => {
                u.count += 1;
                u.severity = u.severity.max(severity);
                false
            }
            None => true,
        }
    }

    /// The severity a finding gets: the user's choice for the rule, else `severity`.
    fn effective(&self, rule: &'static RuleMeta, severity: Severity) -> Severity {
        self.options
            .rules
            .severity
            .get(rule.code)
            .copied()
            .unwrap_or(severity)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_at(
        &mut self,
        file: usize,
        rule: &'static RuleMeta,
        severity: Severity,
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
        // A rule offers only the fix kinds it declares; in every build an undeclared one is
        // dropped (and counted, for the registry test) rather than shown.
        let fix = fix.filter(|f| {
            let ok = rule.allows(f.applicability);
            if !ok {
                UNDECLARED_FIXES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            ok
        });
        let severity = self.effective(rule, severity);
        let tally = self.tallies.get(file, rule.code).copied();
        let listed = tally.is_none_or(|t| t.reported <= self.cap);
        let d = Diagnostic {
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
        };
        if listed {
            self.out.push((file, d));
            return;
        }
        let keep = self.fixes_only && d.fix.is_some();
        if tally.is_some_and(|t| t.unlisted.is_some()) {
            // past the cap and counted already: kept only while fixing
            if keep {
                self.out.push((file, d));
            }
            return;
        }
        if keep {
            self.out.push((file, d.clone()));
        }
        self.tallies.entry(file, rule.code).unlisted = Some(self.unlisted.len());
        self.unlisted.push(Unlisted {
            file,
            first: d,
            count: 1,
            severity,
        });
    }
}

/// `/a/b` + `c` → `/a/b/c`, escaping the segment.
pub fn join(pointer: &str, seg: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + 1 + seg.len());
    p.push_str(pointer);
    p.push('/');
    push_pointer_segment(&mut p, seg);
    p
}

/// Length of a rule's documentation once each line loses the one space that follows `///`.
#[doc(hidden)]
pub const fn doc_len(raw: &str) -> usize {
    let b = raw.as_bytes();
    let mut n = 0;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        if !(line_start && b[i] == b' ') {
            n += 1;
        }
        line_start = b[i] == b'\n';
        i += 1;
    }
    n
}

/// A rule's documentation without the space that follows `///` on each line (the
/// [`declare_rule!`] macro evaluates this at compile time).
#[doc(hidden)]
pub const fn strip_doc<const N: usize>(raw: &str) -> [u8; N] {
    let b = raw.as_bytes();
    let mut out = [0u8; N];
    let mut n = 0;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        if !(line_start && b[i] == b' ') {
            out[n] = b[i];
            n += 1;
        }
        line_start = b[i] == b'\n';
        i += 1;
    }
    out
}

/// Declares a rule, once: its `///` comment is its documentation (`## What it does`,
/// `## Why is this bad?`, `## Example`, `## Fix safety`), published by `claimcheck rules`
/// and `docs/rules.md`; `fix` declares which fixes it may offer, and [`Ctx`] drops any other.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub CC000 {
///         name: "some-rule",
///         severity: Error,
///         fix: Safe,
///         summary: "What the rule finds",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $vis:vis $code:ident {
            name: $name:expr,
            severity: $severity:ident,
            fix: $fix:ident,
            summary: $summary:expr $(,)?
        }
    ) => {
        $vis const $code: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
            code: stringify!($code),
            name: $name,
            severity: $crate::diagnostic::Severity::$severity,
            fix: $crate::rule::FixAvailability::$fix,
            summary: $summary,
            docs: {
                const RAW: &str = concat!($($doc, "\n"),*);
                const LEN: usize = $crate::rule::doc_len(RAW);
                const BYTES: [u8; LEN] = $crate::rule::strip_doc::<LEN>(RAW);
                match ::core::str::from_utf8(&BYTES) {
                    Ok(s) => s,
                    Err(_) => panic!("rule docs are not UTF-8"),
                }
            },
        };
    };
}
