//! AdmissionReview `admission.k8s.io/v1` in, AdmissionReview out: the core of the validating
//! and mutating webhooks. Hosts (the npm package's webhook server, or any other) only move
//! bytes; a malformed review is an error they answer with HTTP 400.

use serde::Deserialize;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::diagnostic::Severity;
use crate::engine::{fix_update_rounds, lint_update, Options, SourceFile};
use crate::model::workload::WorkloadKind;
use crate::patch::PatchOp;

/// A kind an admission review can judge: every workload kind (a pod template or pod spec) and
/// the PersistentVolumeClaim, with the API group and the resource a webhook rule names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewedKind {
    /// `""` for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// The plural resource name of a webhook or policy rule (`deployments`).
    pub resource: &'static str,
}

/// Every kind claimcheck reviews, in the order webhook rules list them (StatefulSet first, the
/// other workload kinds in [`WorkloadKind::ALL`]'s order, PersistentVolumeClaim last). The
/// deploy/ manifests and the Kubewarden metadata name exactly these (tests/deploy.rs).
pub const REVIEWED_KINDS: [ReviewedKind; 10] = [
    rk("apps", "StatefulSet", "statefulsets"),
    rk("apps", "Deployment", "deployments"),
    rk("apps", "ReplicaSet", "replicasets"),
    rk("apps", "DaemonSet", "daemonsets"),
    rk("batch", "Job", "jobs"),
    rk("batch", "CronJob", "cronjobs"),
    rk("", "ReplicationController", "replicationcontrollers"),
    rk("", "Pod", "pods"),
    rk("", "PodTemplate", "podtemplates"),
    rk("", "PersistentVolumeClaim", "persistentvolumeclaims"),
];

const fn rk(group: &'static str, kind: &'static str, resource: &'static str) -> ReviewedKind {
    ReviewedKind {
        group,
        version: "v1",
        kind,
        resource,
    }
}

impl ReviewedKind {
    /// The kind named by its Kubernetes name (`Deployment`) or its resource (`deployments`),
    /// in any letter case.
    pub fn find(name: &str) -> Option<&'static ReviewedKind> {
        let name = name.trim();
        REVIEWED_KINDS
            .iter()
            .find(|k| k.kind.eq_ignore_ascii_case(name) || k.resource.eq_ignore_ascii_case(name))
    }

    /// The workload kind, `None` for a PersistentVolumeClaim.
    pub fn workload(&self) -> Option<WorkloadKind> {
        let api_version = if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        };
        WorkloadKind::of(&api_version, self.kind)
    }
}

/// Reads a list of kind names (see [`ReviewedKind::find`]) into the kinds a review judges; an
/// unknown name or an empty list is an error that says what is accepted.
pub fn parse_kinds<S: AsRef<str>>(names: &[S]) -> Result<Vec<&'static str>, String> {
    if names.is_empty() {
        return Err("the list of kinds is empty: nothing would be reviewed".into());
    }
    let mut out: Vec<&'static str> = Vec::new();
    for n in names {
        let k = ReviewedKind::find(n.as_ref()).ok_or_else(|| {
            format!(
                "unknown kind `{}` (known: {})",
                n.as_ref(),
                REVIEWED_KINDS
                    .iter()
                    .map(|k| k.kind)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if !out.contains(&k.kind) {
            out.push(k.kind);
        }
    }
    Ok(out)
}

/// Which fixes the mutating webhook applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MutateFixes {
    None,
    Safe,
    Unsafe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Validate,
    Mutate,
}

#[derive(Debug, Clone)]
pub struct ReviewOptions {
    pub mode: Mode,
    /// Findings at or above this severity deny the request (validating mode).
    pub deny_at: Severity,
    pub fixes: MutateFixes,
    pub lint: Options,
    /// The kinds judged (their Kubernetes names, from [`REVIEWED_KINDS`]); a request for any
    /// other kind is allowed untouched. Default: all of them.
    pub kinds: Vec<&'static str>,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions {
            mode: Mode::Validate,
            deny_at: Severity::Error,
            fixes: MutateFixes::Safe,
            lint: Options::default(),
            kinds: REVIEWED_KINDS.iter().map(|k| k.kind).collect(),
        }
    }
}

/// Why a review could not be answered (the host answers HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewError(pub String);

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The API server keeps status messages short; this is the cap used for the denial message.
const MAX_MESSAGE: usize = 4000;
/// The API server truncates each warning over 256 characters and drops warnings past 4 KiB.
const MAX_WARNING: usize = 250;
const MAX_WARNINGS: usize = 12;

/// The findings `warns` keeps, in the order a review lists them as warnings: what the update
/// leaves broken (pre-existing) first, then the rest, each group in report order (the API
/// server keeps only so many warnings).
fn warning_order(
    diags: &[crate::Diagnostic],
    warns: impl Fn(&crate::Diagnostic) -> bool + Copy,
) -> impl Iterator<Item = &crate::Diagnostic> {
    let pre = diags.iter().filter(move |d| warns(d) && d.pre_existing);
    pre.chain(diags.iter().filter(move |d| warns(d) && !d.pre_existing))
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max.saturating_sub(1);
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Answers one AdmissionReview (the request body, as JSON text).
///
/// The envelope is read into values; `request.object` and `request.oldObject` are linted as
/// the text the API server sent (its key order, no copy into values and back to text), which
/// is what makes a large object cheap. Bodies nested deeper than the JSON reader's limit take
/// the value path and are refused as before.
pub fn review(body: &str, options: &ReviewOptions) -> Result<Value, ReviewError> {
    if let Some((v, objects)) = envelope(body) {
        return review_objects(&v, Some(objects), options);
    }
    let v: Value = serde_json::from_str(body)
        .map_err(|e| ReviewError(format!("the body is not JSON: {e}")))?;
    review_value(&v, options)
}

/// The texts of a request's object and old object, when they are JSON objects.
#[derive(Default)]
struct ObjectTexts<'a> {
    object: Option<&'a str>,
    old_object: Option<&'a str>,
}

/// Nesting the value path accepts (serde_json's recursion limit), counted for the texts the
/// raw path keeps so that both paths refuse the same bodies.
const MAX_JSON_DEPTH: usize = 128;

/// The body as values with the objects' texts apart (their values replaced by `{}`), or None
/// where the value path must answer (not a JSON object, not JSON, or objects nested too deep).
///
/// One pass over the body ([`Scan`]) checks it as serde_json's reader checks a value it skips
/// and finds the members of the envelope and of `request`; only the small members are then
/// read into values (by serde_json, as the value path reads them). A repeated key keeps its
/// last value, as a JSON decoder does.
fn envelope(body: &str) -> Option<(Value, ObjectTexts<'_>)> {
    let mut scan = Scan::new(body);
    let top = scan.members(true)?;
    scan.ws();
    if scan.i != scan.b.len() {
        return None;
    }
    let mut texts = ObjectTexts::default();
    let mut v = serde_json::Map::new();
    for (k, member) in top {
        let value = match member.members {
            Some(req) => {
                let mut r = serde_json::Map::new();
                for (rk, rm) in req {
                    let slot = match rk.as_str() {
                        "object" => Some(&mut texts.object),
                        "oldObject" => Some(&mut texts.old_object),
                        _ => None,
                    };
                    match slot {
                        Some(slot) if rm.text.starts_with('{') => {
                            // the envelope and the request add two levels above the object
                            if rm.depth + 2 > MAX_JSON_DEPTH {
                                return None;
                            }
                            *slot = Some(rm.text);
                            r.insert(rk, Value::Object(serde_json::Map::new()));
                        }
                        _ => {
                            r.insert(rk, serde_json::from_str(rm.text).ok()?);
                        }
                    }
                }
                Value::Object(r)
            }
            None => serde_json::from_str(member.text).ok()?,
        };
        v.insert(k, value);
    }
    Some((Value::Object(v), texts))
}

/// A member of the envelope or of its `request`, as [`Scan::members`] finds it.
struct Member<'a> {
    /// The value's text (no white space around it).
    text: &'a str,
    /// How deeply arrays and objects nest in it (a scalar: 0).
    depth: usize,
    /// The envelope's `request`, when it is an object: its members.
    members: Option<BTreeMap<String, Member<'a>>>,
}

/// A reader that checks JSON text exactly as serde_json's reader checks a value it skips (the
/// `RawValue` of the value path): the same white space, literals, number and string grammar
/// (escapes checked, `\u` followed by four hex digits, no control characters in strings), no
/// trailing commas. It builds nothing: it finds where values end and how deeply they nest.
struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    /// The brackets open at the current place (reused across values).
    stack: Vec<u8>,
}

/// Bytes that end the plain run of a JSON string: `"`, `\` and control characters.
const STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan {
            text,
            b: text.as_bytes(),
            i: 0,
            stack: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// An object's members (at its `{`, after white space), each key read as serde_json reads
    /// a key; `top`: the envelope, whose `request` member's own members are found too.
    fn members(&mut self, top: bool) -> Option<BTreeMap<String, Member<'a>>> {
        let mut out = BTreeMap::new();
        self.ws();
        if self.peek()? != b'{' {
            return None;
        }
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(out);
        }
        loop {
            self.ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key_start = self.i;
            self.string()?;
            let quoted = &self.text[key_start..self.i];
            let key = if quoted.contains('\\') {
                serde_json::from_str::<String>(quoted).ok()?
            } else {
                quoted[1..quoted.len() - 1].to_string()
            };
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            self.ws();
            let start = self.i;
            let member = if top && key == "request" && self.peek()? == b'{' {
                let members = self.members(false)?;
                Member {
                    text: &self.text[start..self.i],
                    depth: 0,
                    members: Some(members),
                }
            } else {
                let depth = self.value()?;
                Member {
                    text: &self.text[start..self.i],
                    depth,
                    members: None,
                }
            };
            out.insert(key, member);
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// Skips one value (after white space), returning how deeply it nests.
    fn value(&mut self) -> Option<usize> {
        self.stack.clear();
        let mut max = 0;
        loop {
            // a value
            self.ws();
            match self.peek()? {
                b'n' => self.literal(b"null")?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'-' | b'0'..=b'9' => self.number()?,
                b'"' => self.string()?,
                open @ (b'[' | b'{') => {
                    self.i += 1;
                    self.stack.push(open);
                    max = max.max(self.stack.len());
                    self.ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.peek()? == close {
                        self.i += 1;
                        self.stack.pop();
                    } else {
                        if open == b'{' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                _ => return None,
            }
            // after a value: a comma (and, in an object, the next key) or the end of the
            // enclosing arrays and objects
            loop {
                let Some(&open) = self.stack.last() else {
                    return Some(max);
                };
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        if open == b'{' {
                            self.key()?;
                        }
                        break;
                    }
                    b']' if open == b'[' => {
                        self.i += 1;
                        self.stack.pop();
                    }
                    b'}' if open == b'{' => {
                        self.i += 1;
                        self.stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// A member's key and its colon (after white space).
    fn key(&mut self) -> Option<()> {
        self.ws();
        if self.peek()? != b'"' {
            return None;
        }
        self.string()?;
        self.ws();
        if self.peek()? != b':' {
            return None;
        }
        self.i += 1;
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? != word {
            return None;
        }
        self.i += word.len();
        Some(())
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => {
                self.i += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return None;
                }
            }
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// A string (at its `"`): escapes `\" \\ \/ \b \f \n \r \t` and `\u` with four hex
    /// digits, no control characters.
    fn string(&mut self) -> Option<()> {
        self.i += 1;
        loop {
            while self.i < self.b.len() && !STRING_STOP[self.b[self.i] as usize] {
                self.i += 1;
            }
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            let hex = self.b.get(self.i + 1..self.i + 5)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.i += 5;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }
}

/// Answers one AdmissionReview given as a value (the Kubewarden policy's path).
pub fn review_value(v: &Value, options: &ReviewOptions) -> Result<Value, ReviewError> {
    review_objects(v, None, options)
}

/// The review; `texts` holds the objects' JSON texts when they were kept from the body (their
/// places in `v` are then `{}`), else the objects are written out from `v`.
fn review_objects(
    v: &Value,
    texts: Option<ObjectTexts<'_>>,
    options: &ReviewOptions,
) -> Result<Value, ReviewError> {
    if v.get("apiVersion").and_then(Value::as_str) != Some("admission.k8s.io/v1")
        || v.get("kind").and_then(Value::as_str) != Some("AdmissionReview")
    {
        return Err(ReviewError(
            "expected an AdmissionReview of apiVersion admission.k8s.io/v1".into(),
        ));
    }
    let req = v
        .get("request")
        .filter(|r| r.is_object())
        .ok_or_else(|| ReviewError("the AdmissionReview has no request".into()))?;
    let uid = req
        .get("uid")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ReviewError("the request has no uid".into()))?;
    let operation = req.get("operation").and_then(Value::as_str).unwrap_or("");
    let sub = req.get("subResource").and_then(Value::as_str).unwrap_or("");
    let kind = req
        .get("kind")
        .and_then(|k| k.get("kind"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let group = req
        .get("kind")
        .and_then(|k| k.get("group"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let ours = REVIEWED_KINDS
        .iter()
        .any(|k| k.group == group && k.kind == kind && options.kinds.contains(&k.kind));
    let allow = |extra: Value| {
        let mut response = json!({"uid": uid, "allowed": true});
        if let (Some(r), Some(e)) = (response.as_object_mut(), extra.as_object()) {
            for (k, x) in e {
                r.insert(k.clone(), x.clone());
            }
        }
        json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response})
    };
    if !matches!(operation, "CREATE" | "UPDATE") || !sub.is_empty() || !ours {
        return Ok(allow(json!({})));
    }
    let object = req
        .get("object")
        .filter(|o| o.is_object())
        .ok_or_else(|| ReviewError(format!("a {operation} request needs an object")))?;
    let (text, old_text) = match texts {
        Some(t) => (
            t.object.unwrap_or("{}").to_string(),
            t.old_object
                .filter(|_| operation == "UPDATE")
                .map(str::to_string),
        ),
        None => {
            let text =
                serde_json::to_string_pretty(object).map_err(|e| ReviewError(e.to_string()))?;
            let old_text = if operation == "UPDATE" {
                req.get("oldObject")
                    .filter(|o| o.is_object())
                    .map(serde_json::to_string_pretty)
                    .transpose()
                    .map_err(|e| ReviewError(e.to_string()))?
            } else {
                None
            };
            (text, old_text)
        }
    };
    let old: Vec<SourceFile> = old_text
        .into_iter()
        .map(|t| SourceFile {
            path: "old.json".into(),
            text: t,
        })
        .collect();
    match options.mode {
        Mode::Validate => {
            let files = [SourceFile {
                path: "object.json".into(),
                text,
            }];
            let reports = lint_update(&files, &old, &options.lint);
            let diags = reports
                .first()
                .map(|r| r.diagnostics.clone())
                .unwrap_or_default();
            let line = |d: &crate::Diagnostic| {
                format!(
                    "{} {}: {}",
                    d.code,
                    if d.pointer.is_empty() {
                        "/"
                    } else {
                        &d.pointer
                    },
                    d.message
                )
            };
            // Ratcheting: a finding the live object already had never denies.
            let denies = |d: &crate::Diagnostic| !d.pre_existing && d.severity >= options.deny_at;
            let denying: Vec<String> = diags.iter().filter(|d| denies(d)).map(line).collect();
            let warns = |d: &crate::Diagnostic| !denies(d) && d.severity > Severity::Hint;
            let warnings: Vec<String> = warning_order(&diags, warns)
                .take(MAX_WARNINGS)
                .map(|d| truncate(&line(d), MAX_WARNING))
                .collect();
            let mut response = json!({"uid": uid, "allowed": denying.is_empty()});
            if !denying.is_empty() {
                let mut message = format!(
                    "claimcheck denied this {kind}: {} problem{}: ",
                    denying.len(),
                    if denying.len() == 1 { "" } else { "s" }
                );
                message.push_str(&denying.join("; "));
                response["status"] = json!({
                    "code": 422,
                    "reason": "Invalid",
                    "message": truncate(&message, MAX_MESSAGE),
                });
            }
            if !warnings.is_empty() {
                response["warnings"] = json!(warnings);
            }
            Ok(
                json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}),
            )
        }
        Mode::Mutate => {
            if options.fixes == MutateFixes::None {
                return Ok(allow(json!({})));
            }
            let lint = Options {
                unsafe_fixes: options.fixes == MutateFixes::Unsafe,
                ..options.lint.clone()
            };
            // on UPDATE: ratcheted, and no fix of a field an update cannot change
            // (the findings left after the fixes are not needed: no lint of the result)
            let outcome = fix_update_rounds("object.json", &text, &old, &lint);
            let ops: Vec<PatchOp> = outcome.patches.get(&0).cloned().unwrap_or_default();
            if ops.is_empty() {
                return Ok(allow(json!({})));
            }
            let patch = serde_json::to_vec(&ops).map_err(|e| ReviewError(e.to_string()))?;
            let warnings: Vec<String> = outcome
                .applied
                .iter()
                .take(MAX_WARNINGS)
                .map(|a| {
                    truncate(
                        &format!("claimcheck fixed {}: {}", a.code, a.title),
                        MAX_WARNING,
                    )
                })
                .collect();
            Ok(allow(json!({
                "patchType": "JSONPatch",
                "patch": base64(&patch),
                "warnings": warnings,
            })))
        }
    }
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_list_pre_existing_findings_first_each_group_in_report_order() {
        let d = |code: &'static str, pre: bool| crate::Diagnostic {
            code,
            name: "",
            severity: Severity::Warning,
            message: String::new(),
            document: 0,
            pointer: String::new(),
            span: crate::source::Span::default(),
            fix: None,
            object: None,
            pre_existing: pre,
        };
        let diags = [
            d("A", false),
            d("B", true),
            d("X", true),
            d("C", false),
            d("D", true),
        ];
        let order: Vec<&str> = warning_order(&diags, |d| d.code != "X")
            .map(|d| d.code)
            .collect();
        assert_eq!(order, ["B", "D", "A", "C"]);
    }

    fn seed_sts() -> Value {
        let text = include_str!("../examples/seed.yaml");
        let stream = crate::source::parse_stream(text, &crate::source::Limits::default());
        stream.documents[1].root.to_json()
    }

    fn request(op: &str, object: Value, old: Option<Value>) -> String {
        let kind = object["kind"].as_str().unwrap_or("StatefulSet");
        let k = ReviewedKind::find(kind).unwrap_or(&REVIEWED_KINDS[0]);
        json!({
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": {
                "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
                "kind": {"group": k.group, "version": "v1", "kind": k.kind},
                "resource": {"group": k.group, "version": "v1", "resource": k.resource},
                "operation": op,
                "object": object,
                "oldObject": old,
                "dryRun": false
            }
        })
        .to_string()
    }

    /// The envelope as serde_json reads it (the reading [`envelope`] replaced): the body and
    /// the request read as maps of raw values, the objects' nesting counted apart.
    fn envelope_by_serde(body: &str) -> Option<(Value, Option<String>, Option<String>)> {
        use serde_json::value::RawValue;
        type Raw<'a> = BTreeMap<String, &'a RawValue>;
        fn depth(text: &str) -> usize {
            let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0, false, false);
            for b in text.bytes() {
                if in_string {
                    match b {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'"' => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => {
                        depth += 1;
                        max = max.max(depth);
                    }
                    b'}' | b']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            max
        }
        let top: Raw = serde_json::from_str(body).ok()?;
        let (mut object, mut old_object) = (None, None);
        let mut v = serde_json::Map::new();
        for (k, raw) in &top {
            let value = if k == "request" && raw.get().starts_with('{') {
                let req: Raw = serde_json::from_str(raw.get()).ok()?;
                let mut r = serde_json::Map::new();
                for (rk, rraw) in &req {
                    let text = rraw.get();
                    let slot = match rk.as_str() {
                        "object" => Some(&mut object),
                        "oldObject" => Some(&mut old_object),
                        _ => None,
                    };
                    match slot {
                        Some(slot) if text.starts_with('{') => {
                            if depth(text) + 2 > MAX_JSON_DEPTH {
                                return None;
                            }
                            *slot = Some(text.to_string());
                            r.insert(rk.clone(), json!({}));
                        }
                        _ => {
                            r.insert(rk.clone(), serde_json::from_str(text).ok()?);
                        }
                    }
                }
                Value::Object(r)
            } else {
                serde_json::from_str(raw.get()).ok()?
            };
            v.insert(k.clone(), value);
        }
        Some((Value::Object(v), object, old_object))
    }

    /// The one-pass reading of the envelope accepts exactly the bodies serde_json accepts and
    /// finds the same values and object texts: on hand-picked bodies (escapes, numbers, repeated
    /// keys, nesting at the limit) and on thousands of random edits of them.
    #[test]
    fn the_envelope_is_read_as_serde_json_reads_it() {
        let sts = seed_sts().to_string();
        let nest = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let seeds: Vec<String> = vec![
            request("CREATE", seed_sts(), None),
            request("UPDATE", seed_sts(), Some(seed_sts())),
            format!(
                " {{\"apiVersion\" :\"admission.k8s.io/v1\",\r\n\t\"kind\":\"AdmissionReview\",\"req\\u0075est\":{{\"uid\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\",\"object\": {sts} ,\"oldObject\":null,\"n\":[-0,0.5,1e3,-2.5E-7,10e+2,true,false,null,{{}},[]]}},\"x\":\"é€😀\"}} "
            ),
            format!(
                r#"{{"request":{{"object":{{"a":1}},"object":{{"b":{{"c":[{{}}]}}}},"oldObject":"x","oldObject":{{"k":"v","k":"w"}}}},"request":{{"uid":"u","object":{sts}}}}}"#
            ),
            format!(r#"{{"request":{{"object":{{"x":{}}}}}}}"#, nest(124)),
            format!(r#"{{"request":{{"object":{{"x":{}}}}}}}"#, nest(125)),
            format!(r#"{{"request":{{"uid":{}}},"kind":"AdmissionReview"}}"#, nest(126)),
            r#"{"request":"x","request":{"object":{}}}"#.to_string(),
            r#"{"request":{"object":{}},"request":[1]}"#.to_string(),
            // small objects dense in numbers, escapes and literals, where every edit lands in
            // a text that only the one-pass reading checks
            r#"{"request":{"object":{"a":[0,1.0,-0,20,3e5,0.1E-2,-7],"b":"\u0041\u00e9\\\"\/\b\f\n\r\t","c\u0064":{"e":[true,false,null,{}]}},"oldObject":{"z":0.0}}}"#.to_string(),
            r#"{"request":{"oldObject":{"n":[10,0,2.50,1E+9,"\uABcd"]},"object":{"":-0.0e-0}}}"#.to_string(),
        ];
        let alphabet: Vec<char> =
            "{}[]\",:\\/ \n\t\r\u{1}\u{1f}u0123456789abcdefABCDEF.+-eEtrunlsx\u{e9}\u{1F600}"
                .chars()
                .collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        let (mut same, mut accepted, mut total) = (0, 0, 0);
        for seed in &seeds {
            for round in 0..2000 {
                let mut chars: Vec<char> = seed.chars().collect();
                if round > 0 {
                    for _ in 0..1 + next(3) {
                        let at = next(chars.len() + 1);
                        match next(4) {
                            0 if at < chars.len() => {
                                chars.remove(at);
                            }
                            1 if at < chars.len() => chars[at] = alphabet[next(alphabet.len())],
                            2 => {
                                let end = (at + next(12)).min(chars.len());
                                let copy: Vec<char> = chars[at..end].to_vec();
                                chars.splice(at..at, copy);
                            }
                            _ => chars.insert(at, alphabet[next(alphabet.len())]),
                        }
                    }
                }
                let body: String = chars.into_iter().collect();
                let ours = envelope(&body).map(|(v, t)| {
                    (
                        v,
                        t.object.map(str::to_string),
                        t.old_object.map(str::to_string),
                    )
                });
                let theirs = envelope_by_serde(&body);
                assert_eq!(ours, theirs, "{body}");
                total += 1;
                same += 1;
                accepted += usize::from(ours.is_some());
            }
        }
        assert_eq!(same, total);
        // the edits reach both sides of the grammar
        assert!(
            accepted * 10 > total && accepted * 10 < total * 9,
            "{accepted} of {total}"
        );
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_seed_is_denied_with_its_codes_and_the_uid_kept() {
        let out = review(
            &request("CREATE", seed_sts(), None),
            &ReviewOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = &out["response"];
        assert_eq!(r["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
        assert_eq!(r["allowed"], false);
        let msg = r["status"]["message"].as_str().unwrap_or("");
        assert!(msg.contains("CC201 /spec/volumeClaimTemplates/0"), "{msg}");
        assert!(
            msg.contains("CC301 /spec/template/spec/containers/0/volumeMounts/0/name"),
            "{msg}"
        );
    }

    #[test]
    fn mutate_returns_a_patch_that_fixes_the_seed() {
        let opts = ReviewOptions {
            mode: Mode::Mutate,
            ..ReviewOptions::default()
        };
        let out =
            review(&request("CREATE", seed_sts(), None), &opts).unwrap_or_else(|e| panic!("{e}"));
        let r = &out["response"];
        assert_eq!(r["allowed"], true);
        assert_eq!(r["patchType"], "JSONPatch");
        assert!(r["patch"].as_str().is_some_and(|p| !p.is_empty()));
    }

    #[test]
    fn delete_subresources_and_other_kinds_pass_untouched() {
        let out = review(
            &request("DELETE", json!(null), None),
            &ReviewOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out["response"]["allowed"], true);
        let mut v: Value = serde_json::from_str(&request("UPDATE", seed_sts(), Some(seed_sts())))
            .unwrap_or_default();
        v["request"]["subResource"] = json!("scale");
        let out = review_value(&v, &ReviewOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out["response"]["allowed"], true);
    }

    #[test]
    fn malformed_reviews_are_errors() {
        assert!(review("not json", &ReviewOptions::default()).is_err());
        assert!(review("{}", &ReviewOptions::default()).is_err());
        assert!(review(
            r#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}"#,
            &ReviewOptions::default()
        )
        .is_err());
        assert!(review(
            &request("CREATE", json!("x"), None),
            &ReviewOptions::default()
        )
        .is_err());
    }

    /// A Deployment whose only mount names a volume it does not have (`cahce` for `cache`).
    fn deployment(volume: &str) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [{"name": "web", "image": "nginx:1.27",
                            "volumeMounts": [{"name": "cache", "mountPath": "/cache"}]}],
                        "volumes": [{"name": volume, "emptyDir": {}}]
                    }
                }
            }
        })
    }

    #[test]
    fn every_workload_kind_and_the_pvc_are_reviewed() {
        for w in WorkloadKind::ALL {
            let k = ReviewedKind::find(w.name()).unwrap_or_else(|| panic!("{w:?}"));
            assert_eq!(k.workload(), Some(w));
        }
        assert_eq!(REVIEWED_KINDS.len(), WorkloadKind::ALL.len() + 1);
        let pvc = ReviewedKind::find("persistentvolumeclaims").map(|k| k.kind);
        assert_eq!(pvc, Some("PersistentVolumeClaim"));
        assert_eq!(
            ReviewedKind::find("DEPLOYMENT").map(|k| k.group),
            Some("apps")
        );
        assert_eq!(ReviewedKind::find("Service"), None);
        assert_eq!(
            ReviewOptions::default().kinds.len(),
            REVIEWED_KINDS.len(),
            "all kinds by default"
        );
    }

    #[test]
    fn a_deployment_mounting_no_volume_is_denied_and_the_fixed_one_allowed() {
        let out = review(
            &request("CREATE", deployment("cahce"), None),
            &ReviewOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = &out["response"];
        assert_eq!(r["allowed"], false, "{out}");
        let msg = r["status"]["message"].as_str().unwrap_or("");
        assert!(
            msg.starts_with("claimcheck denied this Deployment"),
            "{msg}"
        );
        assert!(
            msg.contains("CC301 /spec/template/spec/containers/0/volumeMounts/0/name"),
            "{msg}"
        );
        let ok = review(
            &request("CREATE", deployment("cache"), None),
            &ReviewOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok["response"]["allowed"], true, "{ok}");
    }

    #[test]
    fn only_the_configured_kinds_are_reviewed() {
        let sts_only = ReviewOptions {
            kinds: parse_kinds(&["statefulsets"]).unwrap_or_default(),
            ..ReviewOptions::default()
        };
        let dep = review(&request("CREATE", deployment("cahce"), None), &sts_only)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            dep["response"],
            json!({"uid": "705ab4f5-6393-11e8-b7cc-42010a800002", "allowed": true})
        );
        let sts = review(&request("CREATE", seed_sts(), None), &sts_only)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sts["response"]["allowed"], false);
        let pvc_only = ReviewOptions {
            kinds: parse_kinds(&["PersistentVolumeClaim"]).unwrap_or_default(),
            ..ReviewOptions::default()
        };
        let sts = review(&request("CREATE", seed_sts(), None), &pvc_only)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sts["response"]["allowed"], true);
        // a Deployment sent with a core-group kind is not a Deployment
        let mut v: Value =
            serde_json::from_str(&request("CREATE", deployment("cahce"), None)).unwrap_or_default();
        v["request"]["kind"]["group"] = json!("");
        let out = review_value(&v, &ReviewOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out["response"]["allowed"], true);
    }

    #[test]
    fn kind_lists_are_checked() {
        assert_eq!(
            parse_kinds(&["Deployment", "deployments", " Job "]),
            Ok(vec!["Deployment", "Job"])
        );
        let e = parse_kinds(&["Service"]).unwrap_err();
        assert!(
            e.contains("unknown kind `Service`") && e.contains("CronJob"),
            "{e}"
        );
        let none: [&str; 0] = [];
        assert!(parse_kinds(&none).unwrap_err().contains("empty"));
    }
}
