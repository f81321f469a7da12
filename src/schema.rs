//! Structural validation of manifests against the Kubernetes API schemas.
//!
//! `schemas/kubernetes.schema.json` is generated from k8s-openapi's types (Kubernetes 1.37)
//! by `tests/schema_sync.rs`, which also fails when the committed file drifts from the
//! types. It is strict: every object with known properties rejects unknown ones, like
//! kubectl's default strict field validation. It carries no `required` lists; missing fields
//! are the lint rules' business.
//!
//! One schema serves every kind ([`SchemaKind`]): the definitions (`PodSpec`, `ObjectMeta`,
//! …) appear once, shared by all kinds, and the root has one property per kind, whose
//! schema validates an object of that kind.
//!
//! The file is parsed once at run time (lazily) and walked by a small validator of its own
//! (the schemas use only `$ref`, `type`, `properties`, `additionalProperties` and `items`); the
//! same tree answers [`known_fields`] and [`expected_types`] and makes the "did you mean"
//! suggestions. A compiled validator (jsonschema's macros) cost the browser module about 80 KB
//! gzipped; this walk costs a few.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::source::Node;

const SCHEMA: &str = include_str!("../schemas/kubernetes.schema.json");

/// How many `$ref`s may be followed in a row before giving up (guards against
/// reference cycles such as `{"$ref": "#"}`).
const MAX_REF_HOPS: usize = 32;

/// Which top-level resource a document is validated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    StatefulSet,
    PersistentVolumeClaim,
    Deployment,
    ReplicaSet,
    DaemonSet,
    Job,
    CronJob,
    ReplicationController,
    Pod,
    PodTemplate,
}

/// One schema violation.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaIssue {
    /// JSON Pointer of the offending field itself. For an unknown field that
    /// is the pointer of the object holding it, plus `/` and the escaped
    /// field name.
    pub pointer: String,
    pub kind: SchemaIssueKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemaIssueKind {
    /// A field the schema does not know at this place.
    UnknownField {
        /// The field name as written (unescaped).
        field: String,
        /// JSON Pointer of the object holding the field.
        parent: String,
        /// A known property of the same object that the name was probably
        /// meant to be: a case-insensitive match first, else the closest one
        /// within an edit distance of `max(1, len / 3)`.
        suggestion: Option<String>,
    },
    /// A value of the wrong JSON type.
    WrongType {
        /// The JSON types the schema allows here, in schema order, e.g.
        /// `["integer"]` or `["string", "number"]`.
        expected: Vec<String>,
        /// The JSON type found: `"string"`, `"integer"`, `"number"`,
        /// `"boolean"`, `"array"`, `"object"` or `"null"`.
        found: &'static str,
    },
    /// Any other violation, with the validator's message.
    Other { message: String },
}

impl SchemaKind {
    /// The schema kind of an object from its `apiVersion` and `kind` (served versions only).
    pub fn of(api_version: &str, kind: &str) -> Option<Self> {
        use crate::model::workload::WorkloadKind as W;
        if kind == "PersistentVolumeClaim" {
            return (api_version == "v1").then_some(Self::PersistentVolumeClaim);
        }
        Some(match W::of(api_version, kind)? {
            W::StatefulSet => Self::StatefulSet,
            W::Deployment => Self::Deployment,
            W::ReplicaSet => Self::ReplicaSet,
            W::DaemonSet => Self::DaemonSet,
            W::Job => Self::Job,
            W::CronJob => Self::CronJob,
            W::ReplicationController => Self::ReplicationController,
            W::Pod => Self::Pod,
            W::PodTemplate => Self::PodTemplate,
        })
    }

    /// The kind as Kubernetes spells it (also its property in the combined schema).
    pub fn name(self) -> &'static str {
        use crate::model::workload::WorkloadKind as W;
        let w = match self {
            Self::PersistentVolumeClaim => return "PersistentVolumeClaim",
            Self::StatefulSet => W::StatefulSet,
            Self::Deployment => W::Deployment,
            Self::ReplicaSet => W::ReplicaSet,
            Self::DaemonSet => W::DaemonSet,
            Self::Job => W::Job,
            Self::CronJob => W::CronJob,
            Self::ReplicationController => W::ReplicationController,
            Self::Pod => W::Pod,
            Self::PodTemplate => W::PodTemplate,
        };
        w.name()
    }

    /// The kind's (unresolved) schema inside the combined schema.
    fn schema(self) -> Option<&'static Value> {
        root()?.get("properties")?.get(self.name())
    }
}

/// The combined schema document, parsed on first use.
fn root() -> Option<&'static Value> {
    static ROOT: OnceLock<Option<Value>> = OnceLock::new();
    ROOT.get_or_init(|| serde_json::from_str(SCHEMA).ok())
        .as_ref()
}

/// Validates `instance` as a resource of `kind` and returns every violation,
/// without duplicates, in the validator's order.
pub fn validate(kind: SchemaKind, instance: &Value) -> Vec<SchemaIssue> {
    let mut issues = Vec::new();
    walk(kind, instance, &mut |v: Violation| {
        issues.push(v.to_issue())
    });
    issues
}

/// As [`validate`], taking the instance.
pub fn validate_owned(kind: SchemaKind, instance: Value) -> Vec<SchemaIssue> {
    validate(kind, &instance)
}

/// Validates a span tree as a resource of `kind` — as [`validate`] validates its JSON
/// ([`Node::to_json`]), without building that copy — and hands each violation to `found`, in
/// the order [`validate`] lists them. An unknown field costs nothing more than its pointer
/// until the caller asks for its suggestion ([`UnknownField::suggestion`]), so a caller that
/// only counts findings past a cap pays for no strings.
pub fn validate_node(kind: SchemaKind, instance: &Node, found: &mut dyn FnMut(Violation)) {
    walk(kind, instance, found);
}

/// One violation as the walk finds it, borrowed from the walk.
#[derive(Debug)]
pub enum Violation<'w> {
    UnknownField(UnknownField<'w>),
    /// A wrong type (or any other violation), built in full: they are few.
    Issue(SchemaIssue),
}

/// A field the schema does not know, as [`SchemaIssueKind::UnknownField`] describes it.
#[derive(Debug)]
pub struct UnknownField<'w> {
    /// Pointer of the field itself: `parent`, `/` and the escaped field name.
    pub pointer: &'w str,
    /// Pointer of the object holding the field.
    pub parent: &'w str,
    /// The field name as written (unescaped).
    pub field: &'w str,
    /// The schema of the object holding the field (its known properties).
    known: &'static Compiled,
}

impl UnknownField<'_> {
    /// The known property the field was probably meant to be (see [`SchemaIssueKind`]).
    pub fn suggestion(&self) -> Option<String> {
        self.known.names().suggest(self.field)
    }
}

impl Violation<'_> {
    /// The violation as an owned [`SchemaIssue`] (with the suggestion of an unknown field).
    pub fn to_issue(&self) -> SchemaIssue {
        match self {
            Violation::UnknownField(u) => SchemaIssue {
                pointer: u.pointer.to_owned(),
                kind: SchemaIssueKind::UnknownField {
                    field: u.field.to_owned(),
                    parent: u.parent.to_owned(),
                    suggestion: u.suggestion(),
                },
            },
            Violation::Issue(i) => i.clone(),
        }
    }
}

fn walk<I: Instance>(kind: SchemaKind, instance: &I, found: &mut dyn FnMut(Violation)) {
    if let Some(compiled) = compiled_kind(kind) {
        let mut pointer = String::with_capacity(128);
        check(compiled, instance, &mut pointer, found, 0);
    }
}

/// The compiled schema of a kind, looked up once per process (not on every walk: a stream of
/// thousands of small objects would take the memo's lock and hash each time).
fn compiled_kind(kind: SchemaKind) -> Option<&'static Compiled> {
    static KINDS: [OnceLock<Option<&'static Compiled>>; 10] = [const { OnceLock::new() }; 10];
    let index = match kind {
        SchemaKind::StatefulSet => 0,
        SchemaKind::PersistentVolumeClaim => 1,
        SchemaKind::Deployment => 2,
        SchemaKind::ReplicaSet => 3,
        SchemaKind::DaemonSet => 4,
        SchemaKind::Job => 5,
        SchemaKind::CronJob => 6,
        SchemaKind::ReplicationController => 7,
        SchemaKind::Pod => 8,
        SchemaKind::PodTemplate => 9,
    };
    *KINDS[index].get_or_init(|| kind.schema().map(Compiled::of))
}

/// One subschema as the walk uses it, read from the schema document once: its `$ref`s
/// followed, its keywords looked up, its property names in a sorted list. Built on the first
/// visit and kept for the life of the process (one per subschema of the schema document, so
/// bounded by its size); a subschema's children are built when first visited.
struct Compiled {
    /// The subschema with its `$ref`s followed; `None` when they lead nowhere (nothing is
    /// checked there).
    resolved: Option<&'static Value>,
    /// The `type` keyword, and the instance types it allows (a bit per [`JsonType`]).
    types: Option<&'static Value>,
    allowed: u8,
    /// The `properties` keyword, and its members in key order.
    properties: Option<&'static Map<String, Value>>,
    props: Vec<(&'static str, Child)>,
    additional: Additional,
    /// The `items` keyword, when it is a schema.
    items: Option<Child>,
    /// The names of `properties` prepared for "did you mean", on first use.
    names: OnceLock<Names<'static>>,
}

impl std::fmt::Debug for Compiled {
    /// Its property names.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.props.iter().map(|(k, _)| k))
            .finish()
    }
}

/// What `additionalProperties` says of a member that `properties` does not name.
enum Additional {
    /// `false`: an unknown field.
    Forbidden,
    /// A schema: the member is checked against it.
    Schema(Child),
    /// Absent (or anything else): not checked.
    Unchecked,
}

/// A subschema, compiled on first use.
struct Child {
    schema: &'static Value,
    compiled: OnceLock<&'static Compiled>,
}

impl Child {
    fn new(schema: &'static Value) -> Self {
        Child {
            schema,
            compiled: OnceLock::new(),
        }
    }
    fn get(&self) -> &'static Compiled {
        self.compiled.get_or_init(|| Compiled::of(self.schema))
    }
}

impl Compiled {
    /// The compiled form of the (unresolved) subschema `schema`, shared by every reference to
    /// the same definition.
    fn of(schema: &'static Value) -> &'static Compiled {
        type Memo = std::sync::Mutex<std::collections::HashMap<usize, &'static Compiled>>;
        static MEMO: OnceLock<Memo> = OnceLock::new();
        let resolved = root().and_then(|r| resolve(r, schema));
        let key = resolved.unwrap_or(schema) as *const Value as usize;
        let memo = MEMO.get_or_init(Default::default);
        let mut memo = match memo.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        memo.entry(key)
            .or_insert_with(|| Box::leak(Box::new(Compiled::new(resolved))))
    }

    fn new(resolved: Option<&'static Value>) -> Self {
        let get = |k: &str| resolved.and_then(|n| n.get(k));
        let types = get("type");
        let mut allowed = 0u8;
        for ty in JsonType::ALL {
            if types.is_none_or(|t| type_allowed(t, ty)) {
                allowed |= ty.bit();
            }
        }
        let properties = get("properties").and_then(Value::as_object);
        let props = properties
            .map(|p| p.iter().map(|(k, v)| (k.as_str(), Child::new(v))).collect())
            .unwrap_or_default();
        let additional = match get("additionalProperties") {
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(extra) if extra.is_object() => Additional::Schema(Child::new(extra)),
            _ => Additional::Unchecked,
        };
        let items = get("items").filter(|s| s.is_object()).map(Child::new);
        Compiled {
            resolved,
            types,
            allowed,
            properties,
            props,
            additional,
            items,
            names: OnceLock::new(),
        }
    }

    fn names(&self) -> &Names<'static> {
        self.names.get_or_init(|| {
            Names::new(
                self.properties
                    .into_iter()
                    .flat_map(|m| m.keys().map(String::as_str)),
            )
        })
    }

    /// The schema of the property `name`.
    fn property(&self, name: &str) -> Option<&Child> {
        self.props
            .binary_search_by(|(k, _)| (*k).cmp(name))
            .ok()
            .and_then(|i| self.props.get(i))
            .map(|(_, c)| c)
    }
}

/// The JSON type of an instance value, as [`json_type`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    const ALL: [JsonType; 7] = [
        JsonType::Null,
        JsonType::Boolean,
        JsonType::Integer,
        JsonType::Number,
        JsonType::String,
        JsonType::Array,
        JsonType::Object,
    ];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

/// What the walk reads of an instance: a `serde_json::Value`, or a span tree [`Node`] read as
/// its JSON ([`Node::to_json`]: a number that JSON cannot hold is `null`; a repeated key is
/// its last value, and members come in key order, as in a `serde_json::Map`).
///
/// Kubernetes decodes JSON `null` as "field unset": `replicas: null` or `storage: null` in a
/// manifest is as if the line were absent, and a `null` list item decodes to the item type's
/// zero value. The schemas know nothing of this, so the walk skips object members whose value
/// is `null`, and validates a `null` array item (never skipped, so that the indices in the
/// reported pointers stay those of the original document) as `{}` when any sibling item is an
/// object, else as the zero value of the type the schema expects for the items (`""` when the
/// schema does not say). A `null` document root is reported as a type error.
trait Instance {
    fn json_type(&self) -> JsonType;
    /// The members of an object in key order, each key once (its last value).
    fn each_member(&self, f: &mut dyn FnMut(&str, &Self));
    /// The items of an array.
    fn items(&self) -> &[Self]
    where
        Self: Sized;
}

impl Instance for Value {
    fn json_type(&self) -> JsonType {
        match self {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Number(n) => {
                let integral =
                    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
                if integral {
                    JsonType::Integer
                } else {
                    JsonType::Number
                }
            }
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }
    fn each_member(&self, f: &mut dyn FnMut(&str, &Self)) {
        if let Value::Object(members) = self {
            for (name, member) in members {
                f(name, member);
            }
        }
    }
    fn items(&self) -> &[Self] {
        match self {
            Value::Array(items) => items,
            _ => &[],
        }
    }
}

impl Instance for Node {
    fn json_type(&self) -> JsonType {
        use crate::source::Value as V;
        match &self.value {
            V::Null => JsonType::Null,
            V::Bool(_) => JsonType::Boolean,
            V::Int(_) => JsonType::Integer,
            // JSON has no NaN or infinity: `to_json` makes them `null`
            V::Float(f) if !f.is_finite() => JsonType::Null,
            V::Float(f) if f.fract() == 0.0 => JsonType::Integer,
            V::Float(_) => JsonType::Number,
            V::Str(_) => JsonType::String,
            V::Seq(_) => JsonType::Array,
            V::Map(_) => JsonType::Object,
        }
    }
    fn each_member(&self, f: &mut dyn FnMut(&str, &Self)) {
        let Some(entries) = self.as_map() else {
            return;
        };
        if entries.windows(2).all(|w| w[0].key < w[1].key) {
            for e in entries {
                f(&e.key, &e.value);
            }
            return;
        }
        // key order (a stable sort: the entries of a repeated key keep their order), the
        // last entry of a repeated key; small mappings are sorted on the stack
        const SMALL: usize = 32;
        let mut small = [0u8; SMALL];
        let mut large = Vec::new();
        let order: &[u8] = if entries.len() <= SMALL {
            for i in 0..entries.len() {
                // insertion sort, stable
                let mut j = i;
                while j > 0 && entries[usize::from(small[j - 1])].key > entries[i].key {
                    small[j] = small[j - 1];
                    j -= 1;
                }
                small[j] = i as u8;
            }
            &small[..entries.len()]
        } else {
            &[]
        };
        if entries.len() > SMALL {
            large = entries.iter().collect();
            large.sort_by(|a, b| a.key.cmp(&b.key));
        }
        let sorted = order
            .iter()
            .map(|&i| &entries[usize::from(i)])
            .chain(large.iter().copied());
        let mut sorted = sorted.peekable();
        while let Some(e) = sorted.next() {
            if sorted.peek().is_some_and(|next| next.key == e.key) {
                continue;
            }
            f(&e.key, &e.value);
        }
    }
    fn items(&self) -> &[Self] {
        self.as_seq().unwrap_or(&[])
    }
}

/// How deep the walk follows an instance (the YAML reader already limits nesting to 128).
const MAX_DEPTH: usize = 256;

/// Validates `instance` at `pointer` against the (unresolved) subschema `schema`. The schemas
/// use five keywords only — `$ref` (local), `type`, `properties`, `additionalProperties` and
/// `items` (`tests/schema_sync.rs` checks that no other keyword survives) — so this small
/// walk is the whole validator: one pass over the instance, one violation per wrong type and
/// per unknown field (each at its own pointer: there are no duplicates to remove).
fn check<I: Instance>(
    schema: &'static Compiled,
    instance: &I,
    pointer: &mut String,
    found: &mut dyn FnMut(Violation),
    depth: usize,
) {
    if depth > MAX_DEPTH || schema.resolved.is_none() {
        return;
    }
    let ty = instance.json_type();
    if schema.allowed & ty.bit() == 0 {
        let expected: Vec<String> = match schema.types {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        // (a type that is not allowed names at least one type, none of them this one)
        found(Violation::Issue(SchemaIssue {
            pointer: pointer.clone(),
            kind: SchemaIssueKind::WrongType {
                expected,
                found: ty.name(),
            },
        }));
        return;
    }
    let len = pointer.len();
    match ty {
        JsonType::Object => {
            instance.each_member(&mut |name, member| {
                if member.json_type() == JsonType::Null {
                    return; // unset
                }
                let sub = match (schema.property(name), &schema.additional) {
                    (Some(sub), _) => sub,
                    (None, Additional::Forbidden) => {
                        pointer.push('/');
                        crate::source::push_pointer_segment(pointer, name);
                        let (parent, _) = pointer.split_at(len);
                        found(Violation::UnknownField(UnknownField {
                            pointer: pointer.as_str(),
                            parent,
                            field: name,
                            known: schema,
                        }));
                        pointer.truncate(len);
                        return;
                    }
                    (None, Additional::Schema(extra)) => extra,
                    (None, Additional::Unchecked) => return,
                };
                pointer.push('/');
                crate::source::push_pointer_segment(pointer, name);
                check(sub.get(), member, pointer, found, depth + 1);
                pointer.truncate(len);
            });
        }
        JsonType::Array => {
            let Some(item_schema) = &schema.items else {
                return;
            };
            let item_schema = item_schema.get();
            let items = instance.items();
            let mut filler = None;
            for (i, item) in items.iter().enumerate() {
                push_index(pointer, i);
                if item.json_type() == JsonType::Null {
                    let filler = filler.get_or_insert_with(|| {
                        if items.iter().any(|it| it.json_type() == JsonType::Object) {
                            Value::Object(Map::new())
                        } else {
                            zero_value(item_schema.resolved)
                        }
                    });
                    check(item_schema, &*filler, pointer, found, depth + 1);
                } else {
                    check(item_schema, item, pointer, found, depth + 1);
                }
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Appends `/` and an array index to a pointer (without the formatting machinery).
fn push_index(pointer: &mut String, i: usize) {
    let mut digits = [0u8; 20];
    let mut n = i;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    pointer.push('/');
    for &d in &digits[at..] {
        pointer.push(char::from(d));
    }
}

/// Whether an instance of type `ty` is allowed by the schema's `type` (a name or a list of
/// names); true when it names none. Checked before any list of names is built.
fn type_allowed(types: &Value, ty: JsonType) -> bool {
    match types {
        Value::String(t) => type_matches(t, ty),
        Value::Array(ts) => {
            let mut names = ts.iter().filter_map(Value::as_str).peekable();
            names.peek().is_none() || names.any(|t| type_matches(t, ty))
        }
        _ => true,
    }
}

/// Whether an instance of type `ty` is of the JSON Schema type `t` (`integer`: a number
/// without a fraction, as JSON Schema counts `1.0`).
fn type_matches(t: &str, ty: JsonType) -> bool {
    match t {
        "object" => ty == JsonType::Object,
        "array" => ty == JsonType::Array,
        "string" => ty == JsonType::String,
        "boolean" => ty == JsonType::Boolean,
        "null" => ty == JsonType::Null,
        "number" => matches!(ty, JsonType::Integer | JsonType::Number),
        "integer" => ty == JsonType::Integer,
        _ => true,
    }
}

/// The property names the schema allows at the object addressed by `pointer`
/// (a JSON Pointer into an instance, e.g. `/spec/template/spec/containers/0`;
/// array indices match the array's `items`). `None` when the pointer leads
/// nowhere in the schema or to something that is not an object with known
/// properties (maps such as `labels` have no fixed property names).
pub fn known_fields(kind: SchemaKind, pointer: &str) -> Option<Vec<String>> {
    let node = schema_at(kind, pointer)?;
    let properties = node.get("properties")?.as_object()?;
    Some(properties.keys().cloned().collect())
}

/// The JSON type(s) the schema expects at `pointer`, e.g. `Some(vec!["integer"])`.
/// `None` when the pointer leads nowhere in the schema or the schema there
/// allows any type.
pub fn expected_types(kind: SchemaKind, pointer: &str) -> Option<Vec<String>> {
    let node = schema_at(kind, pointer)?;
    match node.get("type")? {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(ts) => Some(
            ts.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

/// The zero value of the first type a (resolved) schema names; `""` otherwise.
fn zero_value(schema: Option<&Value>) -> Value {
    let first = schema.and_then(|s| match s.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(ts)) => ts.first().and_then(Value::as_str),
        _ => None,
    });
    match first {
        Some("object") => Value::Object(Map::new()),
        Some("array") => Value::Array(Vec::new()),
        Some("integer" | "number") => Value::from(0),
        Some("boolean") => Value::Bool(false),
        _ => Value::String(String::new()),
    }
}

// ---------------------------------------------------------------------------
// Walking the schema along an instance pointer
// ---------------------------------------------------------------------------

/// The resolved schema for the instance location `pointer`.
fn schema_at(kind: SchemaKind, pointer: &str) -> Option<&'static Value> {
    let root = root()?;
    let mut node = resolve(root, kind.schema()?)?;
    if pointer.is_empty() {
        return Some(node);
    }
    let rest = pointer.strip_prefix('/')?;
    for raw in rest.split('/') {
        let segment = unescape_segment(raw);
        node = resolve(root, child_schema(node, &segment)?)?;
    }
    Some(node)
}

/// The (unresolved) subschema for the member or item `segment` of an instance
/// matched by the resolved schema `node`.
fn child_schema<'a>(node: &'a Value, segment: &str) -> Option<&'a Value> {
    if let Some(property) = node.get("properties").and_then(|p| p.get(segment)) {
        return Some(property);
    }
    if is_array_index(segment) {
        if let Some(items) = node.get("items").filter(|s| s.is_object()) {
            return Some(items);
        }
    }
    node.get("additionalProperties").filter(|s| s.is_object())
}

/// Follows local `$ref`s (`#/$defs/...`) until reaching a schema without one.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> Option<&'a Value> {
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Some(node);
        };
        node = lookup(root, reference.strip_prefix('#')?)?;
    }
    None
}

/// `root.pointer(p)` without a copy of each segment (most have no `~` escape): this runs for
/// every node the schema check visits.
fn lookup<'a>(root: &'a Value, p: &str) -> Option<&'a Value> {
    if p.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for raw in p.strip_prefix('/')?.split('/') {
        let segment: std::borrow::Cow<str> = if raw.contains('~') {
            unescape_segment(raw).into()
        } else {
            raw.into()
        };
        node = match node {
            Value::Object(map) => map.get(segment.as_ref())?,
            Value::Array(list) => {
                // as serde_json reads an index: no sign, no leading zero
                if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1) {
                    return None;
                }
                list.get(segment.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

fn is_array_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

// ---------------------------------------------------------------------------
// "Did you mean"
// ---------------------------------------------------------------------------

/// Picks the known field `field` was probably meant to be: one equal to it
/// ignoring case, else the closest (case-insensitively) within an edit
/// distance of `max(1, len / 3)`; ties go to the first candidate.
#[cfg(test)]
fn suggest(field: &str, known: &[String]) -> Option<String> {
    suggest_in(field, known)
}

/// [`suggest`] among names given by an iterator.
#[cfg(test)]
fn suggest_in<'k, K>(field: &str, known: K) -> Option<String>
where
    K: IntoIterator<Item = &'k String>,
{
    Names::new(known.into_iter().map(String::as_str)).suggest(field)
}

/// Known names prepared for "did you mean" (once per object schema: an object with 100,000
/// unknown fields asks for 100,000 suggestions among the same names).
struct Names<'k>(Vec<Name<'k>>);

/// A known name with its lower-case form, its length in characters and, for an ASCII name,
/// how often each lower-case character occurs in it.
struct Name<'k> {
    name: &'k str,
    lower: String,
    chars: usize,
    letters: Option<Vec<(u8, u32)>>,
}

impl<'k> Name<'k> {
    fn new(name: &'k str) -> Self {
        let letters = name.is_ascii().then(|| {
            let mut counts = [0u32; 128];
            for c in name.bytes() {
                counts[usize::from(c.to_ascii_lowercase())] += 1;
            }
            (0u8..128)
                .filter(|c| counts[usize::from(*c)] > 0)
                .map(|c| (c, counts[usize::from(c)]))
                .collect()
        });
        Name {
            name,
            lower: name.to_ascii_lowercase(),
            chars: name.chars().count(),
            letters,
        }
    }
}

impl<'k> Names<'k> {
    fn new(names: impl IntoIterator<Item = &'k str>) -> Self {
        Names(names.into_iter().map(Name::new).collect())
    }

    /// The name `field` was probably meant to be (see [`suggest`]).
    fn suggest(&self, field: &str) -> Option<String> {
        let lowered = field.to_ascii_lowercase();
        // (`lowercase_is`: the lower-case forms are equal)
        if let Some(exact) = self.0.iter().find(|n| n.lower == lowered) {
            return Some(exact.name.to_owned());
        }
        if let Some(camel) = snake_to_camel(field).filter(|c| self.0.iter().any(|n| n.name == c)) {
            return Some(camel);
        }
        let len = lowered.chars().count();
        let limit = (len / 3).max(1);
        let letters = Letters::of(&lowered);
        let mut best: Option<(usize, &Name)> = None;
        for n in &self.0 {
            if n.chars.abs_diff(len) > limit {
                continue;
            }
            // (a bound first: a field of an object with 100,000 unknown fields costs little)
            if letters.as_ref().map_or(0, |l| l.bound(n)) > limit {
                continue;
            }
            let d = levenshtein(&lowered, &n.lower);
            if d <= limit && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, n));
            }
        }
        best.map(|(_, n)| n.name.to_owned())
    }
}

/// How often each character occurs in a lower-case ASCII string, for a lower bound of the
/// edit distance between it and the lower-case forms of ASCII names: an insertion or a
/// deletion changes by one how many characters the two strings do not have in common
/// (counted with repeats), a substitution by at most two.
struct Letters {
    counts: [u32; 128],
    len: usize,
}

impl Letters {
    /// `None` (no bound) for a string that is not ASCII.
    fn of(lowered: &str) -> Option<Self> {
        lowered.is_ascii().then(|| {
            let mut counts = [0u32; 128];
            for c in lowered.bytes() {
                counts[usize::from(c)] += 1;
            }
            Letters {
                counts,
                len: lowered.len(),
            }
        })
    }

    /// At most the edit distance to `name`'s lower-case form (0 for a name not ASCII).
    fn bound(&self, name: &Name) -> usize {
        let Some(letters) = &name.letters else {
            return 0;
        };
        let common: usize = letters
            .iter()
            .map(|&(c, n)| n.min(self.counts[usize::from(c)]) as usize)
            .sum();
        (self.len + name.name.len() - 2 * common).div_ceil(2)
    }
}

/// The camelCase form of a snake_case name, `access_modes` → `accessModes`: `Some` only for
/// lower-case ASCII words (letters and digits, the first beginning with a letter) joined by
/// single underscores, at least two words and at most 64 bytes. This is how SDKs written in
/// Python spell Kubernetes fields (`pvc.spec` of pulumi-kubernetes keeps them when placed in a
/// raw dictionary); the API server's decoder matches field names exactly, so it rejects them.
pub fn snake_to_camel(name: &str) -> Option<String> {
    if name.len() > 64 || !name.contains('_') || !name.starts_with(|c: char| c.is_ascii_lowercase())
    {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split('_').enumerate() {
        let mut chars = word.chars();
        let first = chars.next()?;
        if !word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return None;
        }
        if i == 0 {
            out.push(first);
        } else {
            out.push(first.to_ascii_uppercase());
        }
        out.push_str(chars.as_str());
    }
    Some(out)
}

/// Edit distance (insertions, deletions, substitutions) between two strings,
/// counted in chars.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sts(spec: Value) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "web"},
            "spec": spec,
        })
    }

    fn unknown(pointer: &str, parent: &str, field: &str, suggestion: Option<&str>) -> SchemaIssue {
        SchemaIssue {
            pointer: pointer.to_owned(),
            kind: SchemaIssueKind::UnknownField {
                field: field.to_owned(),
                parent: parent.to_owned(),
                suggestion: suggestion.map(str::to_owned),
            },
        }
    }

    fn wrong_type(pointer: &str, expected: &[&str], found: &'static str) -> SchemaIssue {
        SchemaIssue {
            pointer: pointer.to_owned(),
            kind: SchemaIssueKind::WrongType {
                expected: expected.iter().map(|s| (*s).to_owned()).collect(),
                found,
            },
        }
    }

    fn minimal_spec() -> Value {
        json!({
            "serviceName": "web",
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{
                    "name": "nginx",
                    "image": "nginx:1.27",
                    "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}],
                }]},
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "www"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }],
        })
    }

    fn with(mut doc: Value, pointer: &str, value: Value) -> Value {
        if let Some(slot) = doc.pointer_mut(pointer) {
            *slot = value;
        } else {
            panic!("test fixture has no {pointer}");
        }
        doc
    }

    #[test]
    fn minimal_statefulset_is_valid() {
        assert_eq!(
            validate(SchemaKind::StatefulSet, &sts(minimal_spec())),
            vec![]
        );
    }

    #[test]
    fn replicas_as_string() {
        let doc = with(sts(minimal_spec()), "/spec/replicas", json!("3"));
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![wrong_type("/spec/replicas", &["integer"], "string")]
        );
    }

    #[test]
    fn access_modes_at_claim_template_top_level() {
        let mut spec = minimal_spec();
        spec["volumeClaimTemplates"] = json!([{
            "metadata": {"name": "www"},
            "accessModes": ["ReadWriteOnce"],
            "spec": {"resources": {"requests": {"storage": "1Gi"}}},
        }]);
        assert_eq!(
            validate(SchemaKind::StatefulSet, &sts(spec)),
            vec![unknown(
                "/spec/volumeClaimTemplates/0/accessModes",
                "/spec/volumeClaimTemplates/0",
                "accessModes",
                None,
            )]
        );
    }

    #[test]
    fn volume_claim_template_singular() {
        let mut spec = minimal_spec();
        let templates = spec["volumeClaimTemplates"].take();
        if let Value::Object(members) = &mut spec {
            members.remove("volumeClaimTemplates");
            members.insert("volumeClaimTemplate".to_owned(), templates);
        }
        assert_eq!(
            validate(SchemaKind::StatefulSet, &sts(spec)),
            vec![unknown(
                "/spec/volumeClaimTemplate",
                "/spec",
                "volumeClaimTemplate",
                Some("volumeClaimTemplates"),
            )]
        );
    }

    #[test]
    fn mount_path_wrong_case() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/template/spec/containers/0/volumeMounts/0",
            json!({"name": "www", "mountpath": "/data"}),
        );
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![unknown(
                "/spec/template/spec/containers/0/volumeMounts/0/mountpath",
                "/spec/template/spec/containers/0/volumeMounts/0",
                "mountpath",
                Some("mountPath"),
            )]
        );
    }

    #[test]
    fn access_modes_misspelt() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates/0/spec",
            json!({"acessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}),
        );
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![unknown(
                "/spec/volumeClaimTemplates/0/spec/acessModes",
                "/spec/volumeClaimTemplates/0/spec",
                "acessModes",
                Some("accessModes"),
            )]
        );
    }

    #[test]
    fn storage_as_number_is_valid() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates/0/spec/resources/requests/storage",
            json!(1_073_741_824_u64),
        );
        assert_eq!(validate(SchemaKind::StatefulSet, &doc), vec![]);
    }

    #[test]
    fn storage_as_boolean_is_wrong_type_in_schema_order() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates/0/spec/resources/requests/storage",
            json!(true),
        );
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![wrong_type(
                "/spec/volumeClaimTemplates/0/spec/resources/requests/storage",
                &["string", "number"],
                "boolean",
            )]
        );
    }

    #[test]
    fn access_modes_as_string() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates/0/spec/accessModes",
            json!("ReadWriteOnce"),
        );
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![wrong_type(
                "/spec/volumeClaimTemplates/0/spec/accessModes",
                &["array"],
                "string",
            )]
        );
    }

    #[test]
    fn volume_claim_templates_as_map() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates",
            json!({"www": {"spec": {"accessModes": ["ReadWriteOnce"]}}}),
        );
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![wrong_type(
                "/spec/volumeClaimTemplates",
                &["array"],
                "object"
            )]
        );
    }

    #[test]
    fn nulls_mean_unset() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates/0/spec/resources/requests/storage",
            Value::Null,
        );
        assert_eq!(validate(SchemaKind::StatefulSet, &doc), vec![]);
        let doc = with(sts(minimal_spec()), "/spec/replicas", Value::Null);
        assert_eq!(validate(SchemaKind::StatefulSet, &doc), vec![]);
        // Null list items keep their index; later items are still reported
        // at their original position.
        let doc = with(
            sts(minimal_spec()),
            "/spec/template/spec/containers/0/volumeMounts",
            json!([null, {"name": "www", "mountPath": "/a", "readonly": true}]),
        );
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![unknown(
                "/spec/template/spec/containers/0/volumeMounts/1/readonly",
                "/spec/template/spec/containers/0/volumeMounts/1",
                "readonly",
                Some("readOnly"),
            )]
        );
        // A lone null item of an object list, and nulls in scalar lists.
        let doc = with(
            sts(minimal_spec()),
            "/spec/template/spec/containers/0",
            json!({
                "name": "nginx",
                "ports": [null],
                "args": [null, "-v"],
                "securityContext": {"capabilities": {"drop": [null]}},
            }),
        );
        assert_eq!(validate(SchemaKind::StatefulSet, &doc), vec![]);
    }

    #[test]
    fn null_root_is_a_type_error() {
        assert_eq!(
            validate(SchemaKind::StatefulSet, &Value::Null),
            vec![wrong_type("", &["object"], "null")]
        );
    }

    #[test]
    fn pvc_resource_claims_are_unknown() {
        // VolumeResourceRequirements (unlike a container's ResourceRequirements)
        // has no `claims` in Kubernetes 1.37.
        let pvc = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}, "claims": [{"name": "gpu"}]},
            },
        });
        assert_eq!(
            validate(SchemaKind::PersistentVolumeClaim, &pvc),
            vec![unknown(
                "/spec/resources/claims",
                "/spec/resources",
                "claims",
                None
            )]
        );
    }

    #[test]
    fn metadata_name_capitalised() {
        let doc = with(sts(minimal_spec()), "/metadata", json!({"Name": "web"}));
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![unknown("/metadata/Name", "/metadata", "Name", Some("name"))]
        );
        let pvc = json!({"metadata": {"Name": "data"}});
        assert_eq!(
            validate(SchemaKind::PersistentVolumeClaim, &pvc),
            vec![unknown("/metadata/Name", "/metadata", "Name", Some("name"))]
        );
    }

    #[test]
    fn several_unknown_fields_in_one_object() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates/0",
            json!({"metadata": {"name": "www"}, "accessModes": [], "storageClass": "fast", "a/b~c": 1}),
        );
        let issues = validate(SchemaKind::StatefulSet, &doc);
        assert_eq!(issues.len(), 3, "{issues:#?}");
        let parent = "/spec/volumeClaimTemplates/0";
        for expected in [
            unknown(
                &format!("{parent}/accessModes"),
                parent,
                "accessModes",
                None,
            ),
            unknown(
                &format!("{parent}/storageClass"),
                parent,
                "storageClass",
                None,
            ),
            unknown(&format!("{parent}/a~1b~0c"), parent, "a/b~c", None),
        ] {
            assert!(
                issues.contains(&expected),
                "{expected:?} not in {issues:#?}"
            );
        }
    }

    #[test]
    fn claim_template_may_carry_api_version_kind_and_status() {
        let doc = with(
            sts(minimal_spec()),
            "/spec/volumeClaimTemplates/0",
            json!({
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": "www"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
                "status": {"phase": "Pending"},
            }),
        );
        assert_eq!(validate(SchemaKind::StatefulSet, &doc), vec![]);
    }

    #[test]
    fn full_statefulset_is_valid() {
        let container = json!({
            "name": "postgres",
            "image": "postgres:17",
            "imagePullPolicy": "IfNotPresent",
            "args": ["-c", "max_connections=200"],
            "ports": [
                {"name": "pg", "containerPort": 5432, "protocol": "TCP"},
                {"name": "metrics", "containerPort": 9187},
            ],
            "env": [
                {"name": "PGDATA", "value": "/data/pgdata"},
                {"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
            ],
            "envFrom": [{"configMapRef": {"name": "db-env"}}],
            "resources": {
                "requests": {"cpu": "500m", "memory": "1Gi"},
                "limits": {"cpu": 2, "memory": "2Gi"},
            },
            "readinessProbe": {
                "exec": {"command": ["pg_isready"]},
                "initialDelaySeconds": 5,
                "periodSeconds": 10,
            },
            "livenessProbe": {
                "tcpSocket": {"port": 5432},
                "failureThreshold": 6,
                "timeoutSeconds": 5,
            },
            "startupProbe": {
                "httpGet": {"path": "/healthz", "port": "metrics", "scheme": "HTTP",
                            "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
                "failureThreshold": 30,
            },
            "lifecycle": {"preStop": {"exec": {"command": ["pg_ctl", "stop"]}}},
            "securityContext": {
                "allowPrivilegeEscalation": false,
                "readOnlyRootFilesystem": true,
                "capabilities": {"drop": ["ALL"]},
            },
            "volumeMounts": [
                {"name": "data", "mountPath": "/data"},
                {"name": "config", "mountPath": "/etc/postgresql", "readOnly": true},
                {"name": "tls", "mountPath": "/tls", "readOnly": true},
                {"name": "scratch", "mountPath": "/tmp"},
                {"name": "all-in-one", "mountPath": "/projected"},
                {"name": "podinfo", "mountPath": "/etc/podinfo"},
                {"name": "backup", "mountPath": "/backup", "subPath": "db"},
            ],
        });
        let volumes = json!([
            {"name": "config", "configMap": {"name": "db-config", "defaultMode": 420,
                                             "items": [{"key": "postgresql.conf", "path": "postgresql.conf"}]}},
            {"name": "tls", "secret": {"secretName": "db-tls", "optional": false}},
            {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "256Mi"}},
            {"name": "all-in-one", "projected": {"sources": [
                {"secret": {"name": "db", "items": [{"key": "password", "path": "pw"}]}},
                {"configMap": {"name": "db-config"}},
                {"downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
                {"serviceAccountToken": {"path": "token", "expirationSeconds": 3600, "audience": "vault"}},
            ]}},
            {"name": "podinfo", "downwardAPI": {"items": [
                {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
                {"path": "cpu", "resourceFieldRef": {"containerName": "postgres", "resource": "requests.cpu"}},
            ]}},
            {"name": "backup", "nfs": {"server": "nfs.example.com", "path": "/exports/backup", "readOnly": false}},
        ]);
        let doc = json!({
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {
                "name": "db",
                "namespace": "prod",
                "labels": {"app": "db"},
                "annotations": {"example.com/owner": "team-a"},
            },
            "spec": {
                "serviceName": "db",
                "replicas": 3,
                "minReadySeconds": 10,
                "podManagementPolicy": "Parallel",
                "revisionHistoryLimit": 5,
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": "25%"}},
                "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Delete"},
                "ordinals": {"start": 1},
                "selector": {
                    "matchLabels": {"app": "db"},
                    "matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}],
                },
                "template": {
                    "metadata": {"labels": {"app": "db", "tier": "backend"}},
                    "spec": {
                        "serviceAccountName": "db",
                        "terminationGracePeriodSeconds": 30,
                        "securityContext": {"fsGroup": 999, "runAsNonRoot": true},
                        "nodeSelector": {"kubernetes.io/os": "linux"},
                        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}],
                        "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                            "weight": 100,
                            "podAffinityTerm": {
                                "labelSelector": {"matchLabels": {"app": "db"}},
                                "topologyKey": "kubernetes.io/hostname",
                            },
                        }]}},
                        "initContainers": [{
                            "name": "init",
                            "image": "busybox:1.36",
                            "command": ["sh", "-c", "chown -R 999 /data"],
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                        }],
                        "containers": [container],
                        "volumes": volumes,
                    },
                },
                "volumeClaimTemplates": [{
                    "metadata": {"name": "data", "labels": {"app": "db"}},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "storageClassName": "fast-ssd",
                        "volumeMode": "Filesystem",
                        "resources": {"requests": {"storage": "100Gi"}, "limits": {"storage": "200Gi"}},
                        "selector": {"matchLabels": {"disk": "ssd"}},
                        "dataSource": {"kind": "VolumeSnapshot", "name": "snap", "apiGroup": "snapshot.storage.k8s.io"},
                    },
                }],
            },
        });
        assert_eq!(validate(SchemaKind::StatefulSet, &doc), vec![]);
    }

    #[test]
    fn schema_lookups() {
        let fields = known_fields(SchemaKind::StatefulSet, "/spec/template/spec/containers/0");
        assert!(fields.is_some_and(|f| f.iter().any(|n| n == "volumeMounts")));
        assert_eq!(
            expected_types(SchemaKind::StatefulSet, "/spec/replicas"),
            Some(vec!["integer".to_owned()])
        );
        assert_eq!(
            expected_types(
                SchemaKind::StatefulSet,
                "/spec/volumeClaimTemplates/0/spec/resources/requests/storage"
            ),
            Some(vec!["string".to_owned(), "number".to_owned()])
        );
        assert_eq!(
            expected_types(SchemaKind::PersistentVolumeClaim, "/spec/accessModes"),
            Some(vec!["array".to_owned()])
        );
        assert_eq!(
            known_fields(SchemaKind::PersistentVolumeClaim, "/spec/resources"),
            Some(vec!["limits".to_owned(), "requests".to_owned()])
        );
        let root = known_fields(SchemaKind::StatefulSet, "");
        assert_eq!(
            root,
            Some(
                ["apiVersion", "kind", "metadata", "spec", "status"]
                    .map(str::to_owned)
                    .to_vec()
            )
        );
        // Maps and unknown places have no fixed fields.
        assert_eq!(
            known_fields(SchemaKind::StatefulSet, "/metadata/labels"),
            None
        );
        assert_eq!(known_fields(SchemaKind::StatefulSet, "/spec/nope"), None);
        assert_eq!(known_fields(SchemaKind::StatefulSet, "spec"), None);
        assert_eq!(
            known_fields(SchemaKind::StatefulSet, "/spec/replicas"),
            None
        );
        assert_eq!(
            expected_types(SchemaKind::StatefulSet, "/spec/volumeClaimTemplates/x"),
            None
        );
    }

    #[test]
    fn pointers_are_escaped() {
        let doc = with(
            sts(minimal_spec()),
            "/metadata",
            json!({"name": "web", "labels": {"app.kubernetes.io/name": 5, "a~b": "ok"}}),
        );
        assert_eq!(
            validate(SchemaKind::StatefulSet, &doc),
            vec![wrong_type(
                "/metadata/labels/app.kubernetes.io~1name",
                &["string"],
                "integer"
            )]
        );
        assert_eq!(
            expected_types(
                SchemaKind::StatefulSet,
                "/spec/template/spec/nodeSelector/kubernetes.io~1os"
            ),
            Some(vec!["string".to_owned()])
        );
    }

    #[test]
    fn snake_case_names() {
        assert_eq!(
            snake_to_camel("access_modes").as_deref(),
            Some("accessModes")
        );
        assert_eq!(
            snake_to_camel("storage_class_name").as_deref(),
            Some("storageClassName")
        );
        assert_eq!(
            snake_to_camel("termination_grace_period_seconds").as_deref(),
            Some("terminationGracePeriodSeconds")
        );
        assert_eq!(snake_to_camel("ipv4_cidr").as_deref(), Some("ipv4Cidr"));
        for not_snake in [
            "accessModes",
            "name",
            "_private",
            "trailing_",
            "double__underscore",
            "Access_modes",
            "access_Modes",
            "access-modes",
            "1st_word",
            "caf\u{e9}_name",
            "",
        ] {
            assert_eq!(snake_to_camel(not_snake), None, "{not_snake}");
        }
        assert_eq!(snake_to_camel(&"a_".repeat(40)), None);
        let known: Vec<String> = ["accessModes", "resources", "storageClassName"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(
            suggest("storage_class_name", &known).as_deref(),
            Some("storageClassName")
        );
        assert_eq!(
            suggest("access_modes", &known).as_deref(),
            Some("accessModes")
        );
    }

    /// The bound before the edit distance never rules out a name within reach: it is at most
    /// the distance, and suggestions are those of the plain search, on random near misses.
    #[test]
    fn the_distance_bound_keeps_every_suggestion() {
        let known: Vec<String> = [
            "accessModes",
            "selector",
            "resources",
            "volumeName",
            "storageClassName",
            "volumeMode",
            "dataSource",
            "dataSourceRef",
            "volumeAttributesClassName",
            "a",
            "ab",
        ]
        .map(str::to_owned)
        .to_vec();
        let plain = |field: &str| {
            let lowered = field.to_lowercase();
            let len = lowered.chars().count();
            let limit = (len / 3).max(1);
            known
                .iter()
                .filter(|k| k.chars().count().abs_diff(len) <= limit)
                .map(|k| (levenshtein(&lowered, &k.to_lowercase()), k))
                .filter(|(d, _)| *d <= limit)
                .min_by_key(|(d, _)| *d)
                .map(|(_, k)| k.clone())
        };
        let alphabet = b"acdeilmnorsuvxyzACDMNRS_1";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut found = 0;
        for _ in 0..20_000 {
            let mut field: Vec<u8> = known[next(known.len())].bytes().collect();
            for _ in 0..next(5) {
                let at = next(field.len() + 1);
                match next(3) {
                    0 if at < field.len() => {
                        field.remove(at);
                    }
                    1 if at < field.len() => field[at] = alphabet[next(alphabet.len())],
                    _ => field.insert(at, alphabet[next(alphabet.len())]),
                }
            }
            let field = String::from_utf8(field).unwrap_or_default();
            let other = &known[next(known.len())].to_lowercase();
            let lowered = field.to_lowercase();
            let bound = Letters::of(&lowered).map_or(0, |l| l.bound(&Name::new(other)));
            assert!(bound <= levenshtein(&lowered, other));
            let ours = suggest(&field, &known);
            if snake_to_camel(&field).is_none()
                && !known.iter().any(|k| k.eq_ignore_ascii_case(&field))
            {
                assert_eq!(ours, plain(&field), "{field}");
            }
            found += usize::from(ours.is_some());
        }
        assert!(found > 5_000, "{found}");
        // a name equal ignoring ASCII case (field names are ASCII; other letters compare as
        // written)
        let names = ["StorageClassName".to_string(), "\u{130}X".to_string()];
        assert_eq!(
            suggest("STORAGECLASSNAME", &names).as_deref(),
            Some("StorageClassName")
        );
        assert_eq!(suggest("\u{130}x", &names).as_deref(), Some("\u{130}X"));
    }

    #[test]
    fn suggestions() {
        let known: Vec<String> = ["name", "namespace", "labels"].map(str::to_owned).to_vec();
        assert_eq!(suggest("NAME", &known), Some("name".to_owned()));
        assert_eq!(suggest("lables", &known), Some("labels".to_owned()));
        assert_eq!(suggest("nme", &known), Some("name".to_owned()));
        assert_eq!(suggest("x", &known), None);
        assert_eq!(suggest("", &known), None);
        assert_eq!(suggest("anything", &[]), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("héllo", "hello"), 1);
    }

    /// The walk over a span tree finds what the walk over its JSON finds, in the same order:
    /// `null` members and items, NaN and infinities (`null` in JSON), repeated keys (the last
    /// wins), keys out of order, on hand-made texts and every corpus and conformance text.
    #[test]
    fn span_trees_validate_as_their_json() {
        use crate::source::{parse_stream, Limits};
        let mut texts: Vec<String> = vec![
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a, labels: {x: null, y: 1}}\nspec:\n  replicas: .nan\n  minReadySeconds: .inf\n  serviceName: 1.5\n  revisionHistoryLimit: 2.0\n  zeta: 1\n  alpha: 2\n  alpha: null\n  beta: null\n  beta: 3\n  template:\n    spec:\n      containers: [null, {name: c, args: [null, 1, .nan], ports: [null]}, null]\n      volumes: [null]\n      nodeSelector: {a: null, b: [null]}\n  volumeClaimTemplates: [null, 3, {metadata: {name: x}, spec: {accessModes: [null, ReadWriteOnce]}}]\n".into(),
            "apiVersion: v1\nkind: PersistentVolumeClaim\nspec: null\n".into(),
            "apiVersion: v1\nkind: PersistentVolumeClaim\nspec: [1, null]\nstatus: {z: 1, a: 2, m: null, Capacity: {}}\n".into(),
        ];
        // mappings past the small-mapping sort, with repeated keys
        let mut wide =
            String::from("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  labels:\n");
        for i in (0..40).rev() {
            wide.push_str(&format!(
                "    k{}: {}\n",
                i % 25,
                if i % 7 == 0 { "null" } else { "v" }
            ));
        }
        wide.push_str("spec:\n");
        for i in 0..40 {
            wide.push_str(&format!("  u{}: {}\n", (i * 7) % 30, i));
        }
        texts.push(wide);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<_> = std::fs::read_dir(root.join("tests/corpus"))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        names.sort();
        texts.extend(names.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        for name in ["cases.jsonl", "defaulted.jsonl"] {
            let path = root.join("tests/conformance").join(name);
            for line in std::fs::read_to_string(path).unwrap_or_default().lines() {
                if let Ok(case) = serde_json::from_str::<Value>(line) {
                    for key in ["yaml", "oldYaml"] {
                        if let Some(t) = case.get(key).and_then(Value::as_str) {
                            texts.push(t.to_owned());
                        }
                    }
                }
            }
        }
        assert!(texts.len() > 400, "{}", texts.len());
        let kinds = [
            SchemaKind::StatefulSet,
            SchemaKind::PersistentVolumeClaim,
            SchemaKind::Deployment,
            SchemaKind::CronJob,
            SchemaKind::Pod,
        ];
        let mut compared = 0;
        for text in &texts {
            for doc in parse_stream(text, &Limits::default()).documents {
                for kind in kinds {
                    let by_json = validate(kind, &doc.root.to_json());
                    let mut by_node = Vec::new();
                    validate_node(kind, &doc.root, &mut |v| by_node.push(v.to_issue()));
                    assert_eq!(by_node, by_json, "{text}");
                    compared += by_json.len();
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }
}
