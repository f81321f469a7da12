//! The WebAssembly boundary used by the npm package (pkg/). Compiled only for wasm32.
//!
//! Only conversion lives here: JavaScript values are read into JSON and then into the typed
//! options of [`crate::dto`]; [`crate::api`] computes the typed results, returned as JSON
//! strings that the package's wrapper (pkg/lib/api.js) parses. Problems in the manifest are
//! diagnostics; invalid options and arguments throw a `TypeError`, a malformed review an
//! `Error`, each with a stable `code` property ([`crate::dto::ErrorCode`]).

use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::api;
use crate::dto::{self, ApiError, ErrorCode};

/// The allocator of the module: talc instead of Rust's default dlmalloc: faster calls in the
/// Node build, a smaller browser build, lower memory peaks (benchmarks/README.md, "The wasm
/// lane, session 4"). Single-threaded (no `atomics`); it
/// grows the linear memory as dlmalloc does and reuses what calls free. Built with
/// `--cfg claimcheck_dlmalloc` (benchmarks/wasm-variants.sh, `~dlmalloc`) the default stays, to
/// compare the two.
#[cfg(not(claimcheck_dlmalloc))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Runs once when the module is instantiated: a panic (a bug) is then logged with its
/// message to `console.error` before the trap reaches JavaScript.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The JavaScript error of an [`ApiError`]: a `TypeError` for options and arguments, an
/// `Error` otherwise, with `code`.
fn js_error(e: ApiError) -> JsValue {
    let error: JsValue = match e.code {
        ErrorCode::Options | ErrorCode::Argument => js_sys::TypeError::new(&e.message).into(),
        ErrorCode::Review => js_sys::Error::new(&e.message).into(),
    };
    let _ = js_sys::Reflect::set(
        &error,
        &JsValue::from_str("code"),
        &JsValue::from_str(e.code.as_str()),
    );
    error
}

/// Reads plain JavaScript data (options, file lists) into JSON: `undefined`/`null` become
/// `Null`, keys holding `undefined` are left out (as `JSON.stringify` does). Strings are read
/// directly, so large texts are not escaped and lone surrogates become U+FFFD as in `&str`
/// arguments.
fn to_json(v: &JsValue, what: &str) -> Result<Value, ApiError> {
    js_to_json(v, what, 0)
}

const MAX_OPTION_DEPTH: usize = 32;

fn js_to_json(v: &JsValue, at: &str, depth: usize) -> Result<Value, ApiError> {
    if depth > MAX_OPTION_DEPTH {
        return Err(ApiError::options(format!(
            "{at} is nested too deeply (is there a cycle?)"
        )));
    }
    if v.is_undefined() || v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return serde_json::Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| ApiError::options(format!("{at} must be a finite number")));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if js_sys::Array::is_array(v) {
        let items = js_sys::Array::from(v);
        let mut out = Vec::with_capacity(items.length() as usize);
        for (i, item) in items.iter().enumerate() {
            out.push(js_to_json(&item, &format!("{at}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() && !v.is_function() {
        let unreadable = |_| ApiError::options(format!("{at} cannot be read"));
        let keys = js_sys::Reflect::own_keys(v).map_err(unreadable)?;
        let mut map = Map::new();
        for key in keys.iter() {
            let Some(name) = key.as_string() else {
                continue;
            };
            let item = js_sys::Reflect::get(v, &key).map_err(unreadable)?;
            if item.is_undefined() {
                continue;
            }
            let value = js_to_json(&item, &format!("{at}.{name}"), depth + 1)?;
            map.insert(name, value);
        }
        return Ok(Value::Object(map));
    }
    let kind = v.js_typeof().as_string().unwrap_or_default();
    Err(ApiError::options(format!(
        "{at} must be plain data (strings, numbers, booleans, arrays, objects), got a {kind}"
    )))
}

fn serialize<T: Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v)
        .map_err(|e| js_error(ApiError::argument(format!("cannot encode the result: {e}"))))
}

fn options(v: &JsValue, keys: &[&str]) -> Result<dto::ApiOptions, JsValue> {
    to_json(v, "options")
        .and_then(|v| dto::parse_options(v, keys))
        .map_err(js_error)
}

fn answer<T: Serialize>(r: Result<T, ApiError>) -> Result<String, JsValue> {
    serialize(&r.map_err(js_error)?)
}

/// [`answer`] with the keys sorted at every level ([`dto::sorted_json`]).
fn answer_sorted<T: Serialize>(r: Result<T, ApiError>) -> Result<String, JsValue> {
    dto::sorted_json(&r.map_err(js_error)?)
        .map_err(|e| js_error(ApiError::argument(format!("cannot encode the result: {e}"))))
}

/// `lint(source, options)`: the findings of one manifest (one or more YAML/JSON documents),
/// every fix with its text edits. The wrapper adds `documents` on first access.
#[wasm_bindgen(js_name = lint)]
pub fn lint_js(source: &str, options_: JsValue) -> Result<String, JsValue> {
    answer(api::lint(source, &options(&options_, dto::LINT_KEYS)?))
}

/// `documents(source, options)`: the YAML documents of the input with their kind and name.
/// This parses the text again (the engine's report does not carry its parse), which costs
/// about as much as the rules; the wrapper therefore computes it only when asked for.
#[wasm_bindgen(js_name = documents)]
pub fn documents_js(source: &str, options_: JsValue) -> Result<String, JsValue> {
    answer(api::documents(source, &options(&options_, dto::LINT_KEYS)?))
}

/// `fix(source, options)`: applies the safe fixes (and the unsafe ones with
/// `unsafeFixes: true`) until nothing changes.
#[wasm_bindgen(js_name = fix)]
pub fn fix_js(source: &str, options_: JsValue) -> Result<String, JsValue> {
    answer_sorted(api::fix(source, &options(&options_, dto::LINT_KEYS)?))
}

/// `normalize(source, options)`: safe fixes, quantities in the form the API server stores,
/// and with `withDefaults: true` the defaults the API server fills in.
#[wasm_bindgen(js_name = normalize)]
pub fn normalize_js(source: &str, options_: JsValue) -> Result<String, JsValue> {
    answer_sorted(api::normalize(
        source,
        &options(&options_, dto::NORMALIZE_KEYS)?,
    ))
}

/// `review(body, options)`: one AdmissionReview (admission.k8s.io/v1) as JSON text in, the
/// AdmissionReview answer out. A malformed review throws an `Error` (the host answers 400).
#[wasm_bindgen(js_name = review)]
pub fn review_js(body: &str, options_: JsValue) -> Result<String, JsValue> {
    answer(api::review(body, &options(&options_, dto::REVIEW_KEYS)?))
}

/// `reviewBytes(body, options)`: [`review_js`] for a body given as its UTF-8 bytes, read as a
/// `TextDecoder` reads them (one leading byte-order mark dropped, each invalid sequence
/// U+FFFD), so `reviewBytes(b, o)` answers as `review(new TextDecoder().decode(b), o)`. The
/// webhook host passes each request body as it arrived: the bytes are copied into the module
/// at once, where a string is first decoded, then copied by a JavaScript loop over its
/// characters (≈ 10 ms for a 3 MiB body in Node 20).
#[cfg(feature = "cli")]
#[wasm_bindgen(js_name = reviewBytes)]
pub fn review_bytes_js(body: &[u8], options_: JsValue) -> Result<String, JsValue> {
    let options = options(&options_, dto::REVIEW_KEYS)?;
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    answer(api::review(&String::from_utf8_lossy(body), &options))
}

/// `rules()`: the rule catalogue, as `claimcheck rules --format json` prints it.
#[wasm_bindgen(js_name = rules)]
pub fn rules_js() -> Result<String, JsValue> {
    serialize(&api::rules())
}

/// `version()`: the crate version.
#[wasm_bindgen(js_name = version)]
pub fn version_js() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// `about()`: the version, supported Kubernetes versions, severities, rule families.
#[wasm_bindgen(js_name = about)]
pub fn about_js() -> Result<String, JsValue> {
    serialize(&api::about())
}

/// `report(files, options)`: lints several files as one bundle and renders the result as
/// the native CLI's `check` does. Returns `{ output, errors }`.
#[wasm_bindgen(js_name = report)]
pub fn report_js(files: JsValue, options_: JsValue) -> Result<String, JsValue> {
    let o = options(&options_, dto::REPORT_KEYS)?;
    let files = match to_json(&files, "files").map_err(js_error)? {
        Value::Array(items) => {
            dto::check_files(&items, "files").map_err(js_error)?;
            serde_json::from_value::<Vec<dto::InputFile>>(Value::Array(items))
                .map_err(|e| js_error(ApiError::argument(format!("files: {e}"))))?
        }
        other => {
            return Err(js_error(ApiError::argument(format!(
                "files must be an array of {{ path, text }} objects, got {}",
                dto::describe(&other)
            ))))
        }
    };
    answer_sorted(api::report(&files, &o))
}

/// `diff(path, before, after)`: a unified diff, as `claimcheck fix --diff` prints it.
#[wasm_bindgen(js_name = diff)]
pub fn diff_js(path: &str, before: &str, after: &str) -> String {
    crate::fix::unified_diff(path, before, after)
}

// ---- The command line (src/cli/) on a JavaScript host; not in the browser build ----

#[cfg(feature = "cli")]
/// A JavaScript object with the host functions of [`crate::cli::Host`] (see
/// `pkg/bin/claimcheck.js` and `CliHost` in `pkg/index.d.ts`). A function that throws is an
/// OS failure: its `message` (or the thrown string) is the host's words for it.
struct JsHost(JsValue);

#[cfg(feature = "cli")]
fn thrown_message(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".into())
}

#[cfg(feature = "cli")]
impl JsHost {
    fn call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        use wasm_bindgen::JsCast;
        let f = js_sys::Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| format!("the host has no function `{name}`"))?;
        let list = js_sys::Array::new();
        for a in args {
            list.push(a);
        }
        f.apply(&self.0, &list).map_err(|e| thrown_message(&e))
    }

    fn flag(&self, name: &str, args: &[JsValue]) -> bool {
        self.call(name, args).is_ok_and(|v| v.is_truthy())
    }
}

#[cfg(feature = "cli")]
impl crate::cli::Host for JsHost {
    fn read(&mut self, input: crate::cli::Input<'_>, max: usize) -> Result<Vec<u8>, String> {
        let path = match input {
            crate::cli::Input::Stdin => JsValue::NULL,
            crate::cli::Input::File(p) => JsValue::from_str(p),
        };
        let bytes = self.call("read", &[path, JsValue::from_f64(max as f64)])?;
        let mut out = js_sys::Uint8Array::new(&bytes).to_vec();
        out.truncate(max);
        Ok(out)
    }
    fn exists(&mut self, path: &str) -> bool {
        self.flag("exists", &[JsValue::from_str(path)])
    }
    fn is_file(&mut self, path: &str) -> bool {
        self.flag("isFile", &[JsValue::from_str(path)])
    }
    fn list_dir(&mut self, dir: &str) -> Vec<crate::cli::DirEntry> {
        let Ok(list) = self.call("listDir", &[JsValue::from_str(dir)]) else {
            return Vec::new();
        };
        let field = |e: &JsValue, k: &str| js_sys::Reflect::get(e, &JsValue::from_str(k)).ok();
        js_sys::Array::from(&list)
            .iter()
            .filter_map(|e| {
                Some(crate::cli::DirEntry {
                    name: field(&e, "name")?.as_string()?,
                    is_dir: field(&e, "isDir").is_some_and(|d| d.is_truthy()),
                })
            })
            .collect()
    }
    fn write_atomic(&mut self, path: &str, contents: &[u8]) -> Result<(), String> {
        let bytes = js_sys::Uint8Array::from(contents);
        self.call("writeAtomic", &[JsValue::from_str(path), bytes.into()])
            .map(|_| ())
    }
    fn stdout(&mut self, text: &str) {
        let _ = self.call("stdout", &[JsValue::from_str(text)]);
    }
    fn stderr(&mut self, text: &str) {
        let _ = self.call("stderr", &[JsValue::from_str(text)]);
    }
    fn current_dir(&mut self) -> String {
        self.call("cwd", &[])
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| "/".into())
    }
    fn env(&mut self, name: &str) -> Option<String> {
        self.call("env", &[JsValue::from_str(name)])
            .ok()
            .and_then(|v| v.as_string())
    }
    fn stdout_is_tty(&mut self) -> bool {
        self.flag("isTty", &[])
    }
}

/// `runCli(argv, host)`: the command line (`check`, `fix`, `normalize`, `rules`; the same code
/// as the native binary) on a JavaScript host; returns the exit status.
#[cfg(feature = "cli")]
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli_js(argv: Vec<String>, host: JsValue) -> u8 {
    crate::cli::run(&argv, &mut JsHost(host))
}

/// `fixOne(source, options, index)`: applies only the fix of `lint(source, options)`'s
/// diagnostic number `index` (same options, so the same list), for an editor's quick fix.
/// Returns `{ output, changed, edits }`; `edits` are `{ from, to, insert }` offsets into
/// `source` in `positionEncoding` units (UTF-16 code units by default), sorted and
/// non-overlapping. An index out of range, or a diagnostic without text edits, gives
/// `changed: false`.
#[wasm_bindgen(js_name = fixOne)]
pub fn fix_one_js(source: &str, options_: JsValue, index: u32) -> Result<String, JsValue> {
    answer_sorted(api::fix_one(
        source,
        &options(&options_, dto::LINT_KEYS)?,
        index as usize,
    ))
}
