//! RFC 6902 JSON Patch: our own types, and an applier used by tests and hosts.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::source::unescape_pointer_segment;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PatchOp {
    Add { path: String, value: Value },
    Remove { path: String },
    Replace { path: String, value: Value },
    Move { from: String, path: String },
    Copy { from: String, path: String },
    Test { path: String, value: Value },
}

/// The places that the JSON Patches of a round of fixes write (each operation's `path`, and
/// the `from` a move empties), so that a fix writing a place another fix of the round writes,
/// or a place inside or above one, waits for the next round: the two would clash (two fixes
/// adding one key, a rename onto a key another fix adds) although their text edits do not
/// overlap. Each pointer is kept as hashes of itself and of its ancestors, built in one pass
/// over it: the test is linear in the pointers' length. A hash collision only defers a fix.
#[derive(Default)]
pub struct WrittenPlaces {
    /// a place's hash (low bit set) and its ancestors' (low bit clear)
    hashes: HashSet<u64>,
}

impl WrittenPlaces {
    /// Whether `ops` (on document `document`) write a place written already, or a place
    /// inside or above one; if not, records them.
    pub fn claim(&mut self, document: usize, ops: &[PatchOp]) -> bool {
        let pointers = || ops.iter().flat_map(written_by).flatten();
        let mut hit = false;
        for pointer in pointers() {
            prefixes(document, pointer, &mut |h, own| {
                hit |= self.hashes.contains(&(h | 1)) || (own && self.hashes.contains(&(h & !1)));
            });
        }
        if !hit {
            for pointer in pointers() {
                prefixes(document, pointer, &mut |h, own| {
                    self.hashes.insert(if own { h | 1 } else { h & !1 });
                });
            }
        }
        !hit
    }
}

/// Calls `f` with the hash of the document's root, then of each longer prefix of `pointer`
/// ending at a segment's end, saying whether it is the pointer itself. (FNV-1a over the
/// document's number and the segments: small code; a collision, even a made one, only makes a
/// fix wait for the next round.)
fn prefixes(document: usize, pointer: &str, f: &mut dyn FnMut(u64, bool)) {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ document as u64;
    let mut rest = pointer;
    while let Some(tail) = rest.strip_prefix('/') {
        f(h, false);
        let segment = tail.split('/').next().unwrap_or(tail);
        for b in segment.bytes().chain([0xff]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        rest = &tail[segment.len()..];
    }
    f(h, true);
}

/// The pointers an operation writes: its `path`, and a move's `from`.
fn written_by(op: &PatchOp) -> [Option<&str>; 2] {
    match op {
        PatchOp::Add { path, .. }
        | PatchOp::Remove { path }
        | PatchOp::Replace { path, .. }
        | PatchOp::Copy { path, .. } => [Some(path), None],
        PatchOp::Move { from, path } => [Some(path), Some(from)],
        PatchOp::Test { .. } => [None, None],
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError(pub String);

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn split(path: &str) -> Result<Vec<String>, PatchError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let rest = path
        .strip_prefix('/')
        .ok_or_else(|| PatchError(format!("pointer `{path}` must start with `/`")))?;
    Ok(rest.split('/').map(unescape_pointer_segment).collect())
}

fn parent_mut<'a>(doc: &'a mut Value, segs: &[String]) -> Result<&'a mut Value, PatchError> {
    let mut cur = doc;
    for s in segs {
        cur = match cur {
            Value::Object(m) => m
                .get_mut(s)
                .ok_or_else(|| PatchError(format!("missing `{s}`")))?,
            Value::Array(a) => {
                let i: usize = s
                    .parse()
                    .map_err(|_| PatchError(format!("bad index `{s}`")))?;
                a.get_mut(i)
                    .ok_or_else(|| PatchError(format!("index {i} out of range")))?
            }
            _ => return Err(PatchError(format!("`{s}` is not in a container"))),
        };
    }
    Ok(cur)
}

fn get<'a>(doc: &'a Value, path: &str) -> Result<&'a Value, PatchError> {
    doc.pointer(path)
        .ok_or_else(|| PatchError(format!("no value at `{path}`")))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), PatchError> {
    let segs = split(path)?;
    let Some((last, parents)) = segs.split_last() else {
        *doc = value;
        return Ok(());
    };
    match parent_mut(doc, parents)? {
        Value::Object(m) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(value);
                return Ok(());
            }
            let i: usize = last
                .parse()
                .map_err(|_| PatchError(format!("bad index `{last}`")))?;
            if i > a.len() {
                return Err(PatchError(format!("index {i} out of range")));
            }
            a.insert(i, value);
            Ok(())
        }
        _ => Err(PatchError(format!("cannot add at `{path}`"))),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, PatchError> {
    let segs = split(path)?;
    let Some((last, parents)) = segs.split_last() else {
        return Err(PatchError("cannot remove the whole document".into()));
    };
    match parent_mut(doc, parents)? {
        Value::Object(m) => m
            .remove(last)
            .ok_or_else(|| PatchError(format!("no value at `{path}`"))),
        Value::Array(a) => {
            let i: usize = last
                .parse()
                .map_err(|_| PatchError(format!("bad index `{last}`")))?;
            if i >= a.len() {
                return Err(PatchError(format!("index {i} out of range")));
            }
            Ok(a.remove(i))
        }
        _ => Err(PatchError(format!("cannot remove at `{path}`"))),
    }
}

/// Applies operations in order; on error the document may be partly patched.
pub fn apply(doc: &mut Value, ops: &[PatchOp]) -> Result<(), PatchError> {
    for op in ops {
        match op {
            PatchOp::Add { path, value } => add(doc, path, value.clone())?,
            PatchOp::Remove { path } => {
                remove(doc, path)?;
            }
            PatchOp::Replace { path, value } => {
                remove(doc, path)?;
                add(doc, path, value.clone())?;
            }
            PatchOp::Move { from, path } => {
                let v = remove(doc, from)?;
                add(doc, path, v)?;
            }
            PatchOp::Copy { from, path } => {
                let v = get(doc, from)?.clone();
                add(doc, path, v)?;
            }
            PatchOp::Test { path, value } => {
                if get(doc, path)? != value {
                    return Err(PatchError(format!("test failed at `{path}`")));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_follow_rfc6902() {
        let mut doc = json!({"a": {"b": 1}, "l": [1, 2], "x/y": {"~": 0}});
        let ops: Vec<PatchOp> = serde_json::from_value(json!([
            {"op": "add", "path": "/a/c", "value": 2},
            {"op": "move", "from": "/a/b", "path": "/a/d"},
            {"op": "add", "path": "/l/1", "value": 9},
            {"op": "add", "path": "/l/-", "value": 3},
            {"op": "replace", "path": "/x~1y/~0", "value": 5},
            {"op": "test", "path": "/a/d", "value": 1},
            {"op": "remove", "path": "/l/0"}
        ]))
        .unwrap_or_default();
        assert_eq!(ops.len(), 7);
        apply(&mut doc, &ops).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            doc,
            json!({"a": {"c": 2, "d": 1}, "l": [9, 2, 3], "x/y": {"~": 5}})
        );
        let bad = [PatchOp::Remove {
            path: "/nope".into(),
        }];
        assert!(apply(&mut doc, &bad).is_err());
    }

    #[test]
    fn serialises_with_op_tag() {
        let op = PatchOp::Move {
            from: "/a".into(),
            path: "/b".into(),
        };
        assert_eq!(
            serde_json::to_value(&op).unwrap_or_default(),
            json!({"op": "move", "from": "/a", "path": "/b"})
        );
    }
}

#[cfg(test)]
mod written_places_tests {
    use super::{PatchOp, WrittenPlaces};
    use serde_json::json;

    fn add(path: &str) -> PatchOp {
        PatchOp::Add {
            path: path.into(),
            value: json!(1),
        }
    }

    /// Whether `ops` clash with what `w` holds, leaving `w` as it was.
    fn clashes(w: &WrittenPlaces, document: usize, ops: &[PatchOp]) -> bool {
        let mut copy = WrittenPlaces {
            hashes: w.hashes.clone(),
        };
        !copy.claim(document, ops)
    }

    #[test]
    fn a_place_clashes_with_itself_and_what_is_inside_or_above_it() {
        let mut w = WrittenPlaces::default();
        assert!(w.claim(0, &[add("/spec/template/spec/restartPolicy")]));
        assert!(clashes(&w, 0, &[add("/spec/template/spec/restartPolicy")]));
        assert!(clashes(
            &w,
            0,
            &[add("/spec/template/spec/restartPolicy/x")]
        ));
        assert!(clashes(&w, 0, &[add("/spec/template")]));
        assert!(clashes(&w, 0, &[PatchOp::Remove { path: "".into() }]));
        assert!(!clashes(&w, 0, &[add("/spec/template/spec/containers")]));
        assert!(!clashes(
            &w,
            0,
            &[add("/spec/template/spec/restartPolicyX")]
        ));
        assert!(!clashes(&w, 1, &[add("/spec/template/spec/restartPolicy")]));
        // a move writes where it goes and where it comes from; a test writes nothing
        let mv = PatchOp::Move {
            from: "/spec/restartPospeclicy".into(),
            path: "/spec/template/spec/restartPolicy".into(),
        };
        assert!(clashes(&w, 0, &[mv]));
        assert!(w.claim(
            2,
            &[PatchOp::Move {
                from: "/a/b".into(),
                path: "/c".into(),
            }],
        ));
        assert!(clashes(&w, 2, &[add("/a/b/c")]));
        assert!(!clashes(&w, 2, &[add("/a/c")]));
        let test = PatchOp::Test {
            path: "/c".into(),
            value: json!(1),
        };
        assert!(w.claim(3, std::slice::from_ref(&test)));
        assert!(!clashes(&w, 3, &[test]));
        // a fix that clashes records nothing
        assert!(!w.claim(0, &[add("/x"), add("/spec/template")]));
        assert!(!clashes(&w, 0, &[add("/x")]));
    }
}
