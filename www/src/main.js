// The claimcheck editor: CodeMirror 6 and the claimcheck WebAssembly package, entirely in the
// browser. The module runs in a Web Worker (checker.js, worker.js): the page sends the text
// and receives diagnostics, so typing never waits for the checker; results for a text that
// has moved on are dropped (see `pump`). Quick fixes apply the edits that come with each
// diagnostic's fix, so a quick fix costs no call of its own: only the lint of its result.
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { forEachDiagnostic, setDiagnostics } from '@codemirror/lint';

import { sharedChecker } from './checker.js';

import { applyScheme, common, editing } from './editor.js';
import { EXAMPLES } from './examples.js';
import { renderMarkdown } from './markdown.js';
import { decodeShare, encodeShare } from './share.js';
import {
  defaultVersion,
  defaults,
  loadDraft,
  loadSettings,
  ruleOptions,
  sanitize,
  saveDraft,
  saveSettings,
  useAbout,
  versions,
} from './settings.js';

performance.mark('cc-script-start');
// The module is already loading in its worker (boot.js started it); the editor is built meanwhile.
const checker = sharedChecker();

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return e;
};
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------- state

const app = {
  /** @type {import('./settings.js').Settings} */
  settings: defaults(),
  /** @type {import('claimcheck').Rule[]} */
  rules: [],
  ruleByCode: new Map(),
  original: '',
  fileName: 'manifest.yaml',
  ready: false,
  /**
   * The diagnostics shown: the documents (CodeMirror's immutable `Text`s, so identity tells
   * whether the text moved on) and settings they were computed for, and the result.
   */
  last: { doc: null, liveDoc: null, key: '', live: '', diagnostics: [], summary: null },
  /** @type {EditorView} */ view: null,
  /** @type {EditorView} */ liveView: null,
  /** @type {import('@codemirror/merge').MergeView | null} */ merge: null,
};

// Exposed for the end-to-end tests and for anyone curious: timings and a few handles.
const probe = {
  ready: false,
  /** Diagnostics updates shown. */
  lintCount: 0,
  /** Calls sent to the checker worker, by operation (`lint`, `fix`, `normalize`, `diff`). */
  calls: checker.calls,
  /** Lint results dropped because the text or the settings had moved on meanwhile. */
  dropped: 0,
  /** Edit → updated diagnostics, in ms (performance measure `cc-edit-to-diagnostics`). */
  lastLintMs: null,
  /** The lint call in the worker, in ms. */
  lastLintWorkMs: null,
  /** Request sent → diagnostics shown, in ms (measure `cc-lint`). */
  lastLintRoundTripMs: null,
  /** Page load (time origin) → first diagnostics shown, in ms (mark `cc-first-diagnostics`). */
  firstDiagnosticsMs: null,
  /** The wasm module's loading (fetch, compile, warm-up), in ms. */
  initMs: null,
  /** The worker's part of loading: its script's start and the init's arrival (ms after the page's start), `instantiate` and `catalogue` in ms. */
  workerInitMs: null,
  history: [],
  get diagnostics() {
    return app.last.diagnostics;
  },
  /** Whether the diagnostics shown are those of the current text and settings. */
  get fresh() {
    return isFresh();
  },
  get summary() {
    return app.last.summary;
  },
  get settings() {
    return structuredClone(app.settings);
  },
  get view() {
    return app.view;
  },
  getText: () => app.view.state.doc.toString(),
  /** Loads a text; resolves once its diagnostics are shown. */
  setText: (text) => {
    loadText(text, { fileName: 'manifest.yaml' });
    return whenFresh().then(() => undefined);
  },
  getOriginal: () => app.original,
  getLive: () => app.liveView.state.doc.toString(),
  shareLink: () => makeShareLink(),
  /** Resolves once the diagnostics of the current text and settings are shown. */
  lintNow: () => whenFresh().then(() => undefined),
};
window.__claimcheck = probe;

// ---------------------------------------------------------------- theme

const media = matchMedia('(prefers-color-scheme: dark)');
const scheme = () =>
  app.settings.theme === 'auto' ? (media.matches ? 'dark' : 'light') : app.settings.theme;

function applyTheme() {
  const s = scheme();
  document.documentElement.dataset.theme = s;
  applyScheme([app.view, app.liveView, app.merge?.a, app.merge?.b], s);
  const names = { auto: 'automatic', light: 'light', dark: 'dark' };
  const label = `Colour scheme: ${names[app.settings.theme]} (click to change)`;
  $('theme-toggle').setAttribute('aria-label', label);
  $('theme-toggle').title = label;
  $('theme-toggle').dataset.mode = app.settings.theme;
  for (const r of document.querySelectorAll('input[name=theme]')) r.checked = r.value === app.settings.theme;
}
media.addEventListener('change', () => app.settings.theme === 'auto' && applyTheme());

// ---------------------------------------------------------------- options

function lintOptions() {
  const live = app.liveView ? app.liveView.state.doc.toString() : '';
  return {
    positionEncoding: 'utf16',
    kubernetesVersion: app.settings.kubernetesVersion,
    rules: ruleOptions(app.settings),
    ...(live.trim() ? { oldSource: live } : {}),
  };
}

function updateSettings(patch, { relint = true } = {}) {
  app.settings = { ...app.settings, ...patch };
  saveSettings(app.settings);
  renderSettings();
  if (relint) pump();
}

// ---------------------------------------------------------------- linting

/** Positions of the package (1-based line, UTF-16 column) → CodeMirror offsets. */
function offset(doc, pos) {
  if (pos.line > doc.lines) return doc.length;
  if (pos.line < 1) return 0;
  const line = doc.line(pos.line);
  return Math.min(line.from + Math.max(0, pos.column - 1), line.to);
}

function toEditorDiagnostics(doc, diagnostics) {
  return diagnostics.map((d, index) => {
    const from = offset(doc, d.range.start);
    const to = Math.max(from, offset(doc, d.range.end));
    const fixable = d.fix && d.fix.applicability !== 'display-only';
    return {
      from,
      to,
      severity: d.severity,
      message: `${d.code} ${d.message}`,
      markClass: `cc-mark-${d.severity}`,
      renderMessage: () => tooltipContent(d),
      actions: fixable
        ? [
            {
              name: `${d.fix.applicability === 'safe' ? 'Safe fix' : 'Unsafe fix'}: ${plainText(d.fix.title)}`,
              markClass: `cc-action-${d.fix.applicability}`,
              apply: () => applyQuickFix(index, d),
            },
          ]
        : [],
    };
  });
}

function tooltipContent(d) {
  const rule = app.ruleByCode.get(d.code);
  return el(
    'div',
    { class: 'tip' },
    el(
      'div',
      { class: 'tip-head' },
      el('span', { class: `sev sev-${d.severity}` }, d.severity),
      el('a', { class: 'tip-code', href: d.url, target: '_blank', rel: 'noopener noreferrer', title: 'The rule in docs/rules.md' }, d.code, ' ', d.name),
      d.object ? el('span', { class: 'tip-object' }, d.object) : null,
    ),
    el('div', { class: 'tip-msg' }, richText(d.message)),
    d.fix && d.fix.applicability === 'display-only' ? el('div', { class: 'tip-note' }, 'Suggestion: ', d.fix.title) : null,
    d.fix && d.fix.applicability !== 'display-only'
      ? el(
          'div',
          { class: 'tip-note' },
          el('span', { class: `badge badge-${d.fix.applicability}` }, d.fix.applicability),
          d.fix.applicability === 'safe' ? ' keeps the meaning of the manifest' : ' guesses your intent: check the result',
        )
      : null,
    el(
      'div',
      { class: 'tip-foot' },
      el('code', { class: 'tip-pointer' }, d.pointer || '/'),
      rule ? el('button', { type: 'button', class: 'link-button', onclick: () => showRule(d.code) }, 'About this rule') : null,
    ),
  );
}

/** When the oldest edit not yet linted happened (performance.now() time), or null. */
let pendingEditAt = null;
let lastInputAt = -Infinity;

/** The settings that change lint results, as a string (the texts are compared by identity). */
const settingsKey = () => JSON.stringify([app.settings.kubernetesVersion, app.settings.disabled]);

/** Whether the diagnostics shown are those of the current texts and settings. */
const isFresh = () =>
  app.last.doc === app.view.state.doc && app.last.liveDoc === app.liveView.state.doc && app.last.key === settingsKey();

/** The lint request in the worker, if any. */
let inFlight = null;
/** Callers of `whenFresh` waiting for the diagnostics of the current text. */
let waiters = [];

/**
 * Edits are coalesced: one lint per burst of input events (a microtask after the last of the
 * current task), and while a lint is in the worker the next one waits for it; its result is
 * dropped if the text moved on meanwhile, and the current text is linted next.
 */
let pumpQueued = false;
function scheduleLint() {
  if (pumpQueued) return;
  pumpQueued = true;
  queueMicrotask(() => {
    pumpQueued = false;
    pump();
  });
}

/** Sends a lint of the current texts to the worker, unless one is running or the shown diagnostics are current. */
function pump() {
  if (!app.ready || inFlight) return;
  if (isFresh()) {
    settle();
    return;
  }
  send(app.view.state.doc);
}

/**
 * The manifest's new text, sent from a transaction filter (createEditors): the worker lints it
 * while CodeMirror does its own work for the same edit (its syntax parse of the document and the
 * DOM update take several ms on a large file), instead of after it. When the transaction
 * turns out otherwise (another filter changed it), the result is for a text that is not
 * shown and is dropped as any stale one.
 */
function lintEarly(doc) {
  if (app.ready && !inFlight) send(doc);
}

/** Sends a lint of `doc` (and the current live text and settings) to the worker. */
function send(doc) {
  const liveDoc = app.liveView.state.doc;
  const key = settingsKey();
  const options = lintOptions();
  const started = performance.now();
  performance.mark('cc-lint-start');
  inFlight = checker.lint(doc.toString(), options).then(
    (result) => {
      inFlight = null;
      if (app.view.state.doc !== doc || app.liveView.state.doc !== liveDoc || settingsKey() !== key) {
        probe.dropped++;
        pump();
        return;
      }
      show({ doc, liveDoc, key, live: options.oldSource ?? '', result, started });
      settle();
    },
    (e) => {
      inFlight = null;
      showBanner(`The checker failed: ${e.message}`);
      settle(e);
    },
  );
}

/** Resolves (or rejects) the waiters once the diagnostics are current (or failed). */
function settle(error) {
  if (!error && !isFresh()) return;
  const w = waiters;
  waiters = [];
  for (const { resolve, reject } of w) {
    if (error) reject(error);
    else resolve(app.last.diagnostics);
  }
}

/** The diagnostics of the current texts and settings: at once when shown, else after a lint. */
function whenFresh() {
  if (app.ready && isFresh() && !inFlight) return Promise.resolve(app.last.diagnostics);
  return new Promise((resolve, reject) => {
    waiters.push({ resolve, reject });
    pump();
  });
}

/** Shows the diagnostics of a lint that is current. */
function show({ doc, liveDoc, key, live, result, started }) {
  app.last = { doc, liveDoc, key, live, diagnostics: result.diagnostics, summary: result.summary };
  app.view.dispatch(setDiagnostics(app.view.state, toEditorDiagnostics(doc, result.diagnostics)));
  renderProblems();
  renderStatus();
  const finished = performance.now();
  performance.mark('cc-lint-end');
  performance.measure('cc-lint', 'cc-lint-start', 'cc-lint-end');
  probe.lastLintWorkMs = result.workMs;
  probe.lastLintRoundTripMs = finished - started;
  const editAt = pendingEditAt;
  if (pendingEditAt !== null) {
    performance.measure('cc-edit-to-diagnostics', { start: pendingEditAt, end: finished });
    probe.lastLintMs = finished - pendingEditAt;
    pendingEditAt = null;
  }
  probe.lintCount++;
  probe.history.push({
    edit: probe.lastLintMs,
    work: probe.lastLintWorkMs,
    roundTrip: probe.lastLintRoundTripMs,
    queued: started - (editAt ?? started),
    lines: doc.lines,
  });
  if (probe.history.length > 200) probe.history.shift();
  if (probe.firstDiagnosticsMs === null) {
    performance.mark('cc-first-diagnostics');
    probe.firstDiagnosticsMs = finished;
  }
  renderTiming();
}

// ---------------------------------------------------------------- edits

/**
 * Replaces the buffer by `text` as one undoable step, changing only the lines that differ
 * (the common leading and trailing lines are kept, so are the cursor and the scroll position
 * where nothing changed).
 */
function replaceBuffer(text, userEvent) {
  const current = app.view.state.doc.toString();
  if (current === text) return false;
  let start = 0;
  const max = Math.min(current.length, text.length);
  while (start < max && current.charCodeAt(start) === text.charCodeAt(start)) start++;
  start = current.lastIndexOf('\n', start - 1) + 1;
  let endA = current.length;
  let endB = text.length;
  while (endA > start && endB > start && current.charCodeAt(endA - 1) === text.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  app.view.dispatch({ changes: { from: start, to: endA, insert: text.slice(start, endB) }, userEvent });
  return true;
}

function sameDiagnostic(a, b) {
  return a.code === b.code && a.document === b.document && a.pointer === b.pointer && a.message === b.message;
}

/**
 * Applies the fix of a diagnostic: its edits (UTF-16 offsets, which are CodeMirror's) on the
 * text they were computed for, in one transaction. When the text has moved on since, the
 * current text's diagnostics are awaited first (one lint) and the same finding looked up.
 */
async function applyQuickFix(index, diagnostic, attempt = 0) {
  let list;
  try {
    list = await whenFresh();
  } catch {
    return;
  }
  let i = index;
  if (!list[i] || !sameDiagnostic(list[i], diagnostic)) i = list.findIndex((d) => sameDiagnostic(d, diagnostic));
  if (i < 0 || !list[i].fix) {
    toast('That finding is gone: nothing to fix');
    return;
  }
  const { title, edits = [] } = list[i].fix;
  if (!isFresh()) {
    // Typed into while waiting: look again on the newer text.
    if (attempt < 3) applyQuickFix(index, diagnostic, attempt + 1);
    return;
  }
  if (edits.length === 0) {
    toast('This fix does not change the text');
    return;
  }
  app.view.dispatch({
    changes: edits.map((e) => ({ from: e.offset.start, to: e.offset.end, insert: e.newText })),
    userEvent: 'input.fix',
    scrollIntoView: true,
  });
  toast(`Applied: ${title}`);
  app.view.focus();
}

/** Ctrl+. : the fix of the finding under the cursor (the first that has one). */
function quickFixAtCursor(view) {
  whenFresh().then((list) => {
    const pos = view.state.selection.main.head;
    const doc = view.state.doc;
    const candidates = list
      .map((d, i) => ({ d, i, from: offset(doc, d.range.start), to: offset(doc, d.range.end) }))
      .filter(({ d, from, to }) => d.fix && d.fix.applicability !== 'display-only' && from <= pos && pos <= Math.max(to, from));
    const line = doc.lineAt(pos);
    const onLine = list
      .map((d, i) => ({ d, i, from: offset(doc, d.range.start) }))
      .filter(({ d, from }) => d.fix && d.fix.applicability !== 'display-only' && from >= line.from && from <= line.to);
    const pick = candidates[0] ?? onLine[0];
    if (!pick) toast('No fix here');
    else applyQuickFix(pick.i, pick.d);
  }, () => {});
  return true;
}

/**
 * Runs a whole-text operation of the worker (fix all, normalise) and replaces the buffer with
 * its output in one undoable step, only if the text is still the one it was computed for
 * (otherwise it runs again on the current text).
 */
async function rewriteBuffer(op, options, userEvent) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const doc = app.view.state.doc;
    const result = await checker[op](doc.toString(), options);
    if (app.view.state.doc !== doc) continue;
    return { result, changed: replaceBuffer(result.output, userEvent) };
  }
  throw new Error('the text kept changing; try again');
}

async function fixAll() {
  if (!app.ready) return;
  const { oldSource: _old, ...options } = lintOptions();
  let done;
  try {
    done = await rewriteBuffer('fix', { ...options, unsafeFixes: app.settings.unsafeFixes }, 'input.fixall');
  } catch (e) {
    toast(`Cannot fix: ${e.message}`);
    return;
  }
  if (!done.changed) {
    toast(app.settings.unsafeFixes ? 'Nothing to fix' : 'Nothing to fix safely');
    return;
  }
  const codes = [...new Set(done.result.applied.map((a) => a.code))].join(', ');
  toast(`Applied ${plural(done.result.applied.length, 'fix', 'fixes')} (${codes}) · Ctrl+Z undoes`);
}

async function normaliseBuffer() {
  if (!app.ready) return;
  const { oldSource: _old, ...options } = lintOptions();
  let done;
  try {
    done = await rewriteBuffer('normalize', { ...options, withDefaults: app.settings.withDefaults }, 'input.normalise');
  } catch (e) {
    toast(`Cannot normalise: ${e.message}`);
    return;
  }
  if (!done.changed) {
    toast('Already normal');
    return;
  }
  toast(`Normalised${app.settings.withDefaults ? ' with the API-server defaults' : ''} · Ctrl+Z undoes`);
}

// ---------------------------------------------------------------- loading text

function loadText(text, { fileName = 'manifest.yaml', original = text, live, source } = {}) {
  app.fileName = fileName;
  app.original = original;
  $('file-name').textContent = fileName;
  showSource(source);
  app.view.dispatch({
    changes: { from: 0, to: app.view.state.doc.length, insert: text },
    selection: { anchor: 0 },
    userEvent: 'input.load',
    scrollIntoView: true,
  });
  if (live !== undefined) setLive(live);
  if (app.merge) openDiff();
  pump();
  saveDraftSoon();
}

/** Where an example comes from (its repository, commit and licence), beside its name. */
function showSource(source) {
  const host = $('file-source');
  host.hidden = !source;
  host.replaceChildren(
    ...(source
      ? [
          'from ',
          el('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer', title: `${source.repo}/${source.path} at ${source.commit}` }, source.repo),
          ` · ${source.license}`,
        ]
      : []),
  );
}

function setLive(text) {
  app.liveView.dispatch({ changes: { from: 0, to: app.liveView.state.doc.length, insert: text } });
}

let draftTimer = null;
function saveDraftSoon() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    saveDraft({
      text: app.view.state.doc.toString(),
      original: app.original,
      live: app.liveView.state.doc.toString(),
      fileName: app.fileName,
    });
  }, 400);
}

// ---------------------------------------------------------------- problems panel

/** The severities, most severe first: the module's `about().severities`, once it is loaded. */
let SEVERITIES = [];
let problemsKey = '';

function countsOf(diagnostics) {
  const c = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const d of diagnostics) c[d.severity] = (c[d.severity] ?? 0) + 1;
  return c;
}

function countChips(c, { compact = false } = {}) {
  return SEVERITIES.map((s) =>
    el('span', { class: `chip chip-${s}${c[s] ? '' : ' chip-zero'}`, dataset: { severity: s } },
      el('span', { class: `sev-icon sev-icon-${s}`, 'aria-hidden': 'true' }),
      compact ? `${c[s]}` : plural(c[s], s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'hint'),
    ),
  );
}

/** Backtick spans as quotes, where only plain text can go. */
const plainText = (text) => text.replace(/`([^`]+)`/g, '“$1”');

/** A message with its `code` spans as <code>. */
function richText(text) {
  return text.split(/(`[^`]+`)/).map((part) =>
    part.length > 2 && part.startsWith('`') && part.endsWith('`') ? el('code', {}, part.slice(1, -1)) : part,
  );
}

function problemItem(d, index) {
  const fixable = d.fix && d.fix.applicability !== 'display-only';
  const { line, column } = d.range.start;
  return el(
    'li',
    {
      class: `problem problem-${d.severity}`,
      dataset: { code: d.code, line: String(line), column: String(column), severity: d.severity, index: String(index) },
    },
    el(
      'div',
      { class: 'problem-row' },
      el(
        'button',
        { type: 'button', class: 'problem-main', title: `Go to line ${line}, column ${column}`, onclick: () => jumpTo(d) },
        el('span', { class: `sev-icon sev-icon-${d.severity}`, role: 'img', 'aria-label': d.severity }),
        el(
          'span',
          { class: 'problem-body' },
          el('span', { class: 'problem-head' },
            el('span', { class: 'problem-code' }, d.code),
            el('span', { class: 'problem-name' }, d.name),
            el('span', { class: 'problem-loc' }, `Ln ${line}:${column}`),
          ),
          el('span', { class: 'problem-msg' }, richText(d.message)),
        ),
      ),
      el('button', { type: 'button', class: 'about-button', title: `About ${d.code} ${d.name}`, 'aria-label': `About rule ${d.code}`, onclick: () => showRule(d.code) }, '?'),
    ),
    fixable
      ? el(
          'div',
          { class: 'problem-actions' },
          el('button', {
            type: 'button',
            class: `btn btn-small btn-fix btn-fix-${d.fix.applicability}`,
            title: `${d.fix.applicability === 'safe' ? 'Safe fix' : 'Unsafe fix: check the result'}: ${d.fix.title}`,
            onclick: () => applyQuickFix(index, d),
          }, d.fix.applicability === 'safe' ? 'Fix' : 'Fix (unsafe)'),
          el('span', { class: 'problem-fix-title' }, richText(d.fix.title)),
        )
      : null,
    d.fix && d.fix.applicability === 'display-only'
      ? el('div', { class: 'problem-actions' }, el('span', { class: 'problem-fix-title' }, 'Suggestion: ', richText(d.fix.title)))
      : null,
  );
}

function groupedProblems(diagnostics, filter = () => true) {
  const groups = new Map();
  diagnostics.forEach((d, index) => {
    if (!filter(d)) return;
    const key = d.document;
    if (!groups.has(key)) groups.set(key, { document: d.document, object: d.object, items: [] });
    const g = groups.get(key);
    g.object ??= d.object;
    g.items.push({ d, index });
  });
  return [...groups.values()].sort((a, b) => a.document - b.document);
}

function renderGroups(host, groups) {
  host.replaceChildren(
    ...groups.map((g) => {
      const [kind, ...rest] = (g.object ?? '').split('/');
      const c = countsOf(g.items.map((x) => x.d));
      return el(
        'section',
        { class: 'group', dataset: { document: String(g.document) } },
        el(
          'h3',
          { class: 'group-head' },
          el('span', { class: 'group-title' },
            g.object ? el('span', { class: 'group-kind' }, kind) : null,
            el('span', { class: 'group-name' }, g.object ? rest.join('/') : `Document ${g.document + 1}`),
          ),
          el('span', { class: 'group-doc' }, `doc ${g.document + 1}`),
          el('span', { class: 'group-counts' }, ...countChips(c, { compact: true }).filter((_, i) => c[SEVERITIES[i]] > 0)),
        ),
        el('ul', { class: 'problem-list' }, g.items.map(({ d, index }) => problemItem(d, index))),
      );
    }),
  );
}

function renderProblems() {
  const { diagnostics } = app.last;
  const key = JSON.stringify([app.last.live !== '', diagnostics.map((d) => [d.code, d.range, d.message, d.fix?.applicability])]);
  const c = countsOf(diagnostics);
  $('tab-count').textContent = String(diagnostics.length);
  $('tab-count').dataset.severity = c.error ? 'error' : c.warning ? 'warning' : c.hint ? 'hint' : 'none';
  if (key === problemsKey) return;
  problemsKey = key;
  $('counts').replaceChildren(...countChips(c));
  const host = $('problems');
  if (diagnostics.length === 0) {
    const empty = app.view.state.doc.toString().trim() === '';
    const off = app.settings.disabled.length;
    host.replaceChildren(
      el(
        'div',
        { class: 'empty', dataset: { state: empty ? 'blank' : 'clean' } },
        el('div', { class: 'empty-icon', 'aria-hidden': 'true' }, empty ? '…' : '✓'),
        el('p', { class: 'empty-title' }, empty ? 'Nothing to check yet' : 'The manifest is clean'),
        el(
          'p',
          { class: 'empty-text' },
          empty
            ? 'Paste a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, …) or a PersistentVolumeClaim, or pick one of the examples.'
            : `No findings from the ${plural(app.rules.length - off, 'rule')} ${off ? `left on (${off} off)` : 'on'}, for Kubernetes ${app.settings.kubernetesVersion}. Checked again as you type.`,
        ),
        empty ? el('button', { type: 'button', class: 'btn', onclick: () => openExamples() }, 'Choose an example') : null,
      ),
    );
  } else {
    renderGroups(host, groupedProblems(diagnostics));
  }
  const liveText = app.last.live;
  $('live-dot').hidden = !liveText;
  const updates = diagnostics.filter((d) => d.code.startsWith('CC5'));
  const liveHost = $('live-problems');
  if (!liveText) {
    liveHost.replaceChildren(el('p', { class: 'muted' }, 'No live object: only the manifest itself is checked.'));
  } else if (updates.length === 0) {
    liveHost.replaceChildren(el('div', { class: 'empty empty-small', dataset: { state: 'clean' } }, el('p', { class: 'empty-title' }, '✓ The API server accepts this update')));
  } else {
    renderGroups(liveHost, groupedProblems(diagnostics, (d) => d.code.startsWith('CC5')));
  }
}

function jumpTo(d) {
  const doc = app.view.state.doc;
  const from = offset(doc, d.range.start);
  const to = Math.max(from, offset(doc, d.range.end));
  if (app.merge) closeDiff();
  app.view.dispatch({ selection: { anchor: from, head: to }, effects: EditorView.scrollIntoView(from, { y: 'center' }) });
  app.view.focus();
}

function renderStatus() {
  const c = countsOf(app.last.diagnostics);
  $('status-counts').replaceChildren(...countChips(c));
  const off = app.settings.disabled.length;
  $('status-version').textContent = `Kubernetes ${app.settings.kubernetesVersion}${off ? ` · ${plural(off, 'rule')} off` : ''}`;
}

function renderTiming() {
  const ms = probe.lastLintMs ?? probe.lastLintWorkMs;
  $('status-timing').textContent = ms === null ? '' : `checked in ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

function renderCursor() {
  const pos = app.view.state.selection.main.head;
  const line = app.view.state.doc.lineAt(pos);
  $('status-cursor').textContent = `Ln ${line.number}, Col ${pos - line.from + 1}`;
}

// ---------------------------------------------------------------- settings panel

function renderSettings() {
  const s = app.settings;
  $('k8s-version').value = s.kubernetesVersion;
  /** @type {HTMLInputElement} */ ($('unsafe-fixes')).checked = s.unsafeFixes;
  /** @type {HTMLInputElement} */ ($('with-defaults')).checked = s.withDefaults;
  $('with-defaults-item').setAttribute('aria-checked', String(s.withDefaults));
  $('fix-all').textContent = s.unsafeFixes ? 'Fix all (safe + unsafe)' : 'Fix all (safe)';
  $('normalise').textContent = s.withDefaults ? 'Normalise + defaults' : 'Normalise';
  const off = new Set(s.disabled);
  for (const box of document.querySelectorAll('#rules input[type=checkbox]')) {
    box.checked = !off.has(box.dataset.code);
    box.closest('.rule').classList.toggle('rule-off', off.has(box.dataset.code));
  }
  $('rules-summary').textContent = `${app.rules.length - off.size} of ${app.rules.length} on`;
  renderStatus();
  applyTheme();
}

/**
 * The rules grouped by family (each rule's `family`, from the module), in code order:
 * `[[prefix, title, rules], ...]`. A rule without a family still shows, under its code prefix.
 */
function ruleFamilies(rules) {
  const families = new Map();
  for (const r of rules) {
    const prefix = r.family?.prefix ?? r.code.slice(0, 3);
    const title = r.family?.title ?? `${prefix}xx rules`;
    if (!families.has(prefix)) families.set(prefix, [prefix, title, []]);
    families.get(prefix)[2].push(r);
  }
  return [...families.values()].sort((a, b) => a[0].localeCompare(b[0]));
}

function buildRulesList() {
  const host = $('rules');
  host.replaceChildren(
    ...ruleFamilies(app.rules).map(([, title, members]) => {
      return el(
        'section',
        { class: 'rule-family' },
        el('h4', {}, title),
        ...members.map((r) =>
          el(
            'div',
            { class: 'rule', dataset: { search: `${r.code} ${r.name} ${r.summary}`.toLowerCase() } },
            el('input', {
              type: 'checkbox',
              id: `rule-${r.code}`,
              dataset: { code: r.code },
              onchange: (e) => {
                const offSet = new Set(app.settings.disabled);
                if (e.target.checked) offSet.delete(r.code);
                else offSet.add(r.code);
                updateSettings({ disabled: [...offSet].sort() });
              },
            }),
            el(
              'label',
              { for: `rule-${r.code}` },
              el('span', { class: 'rule-code' }, r.code),
              el('span', { class: 'rule-name' }, r.name),
              el('span', { class: `sev sev-${r.severity}` }, r.severity),
              r.fix !== 'none' ? el('span', { class: `badge badge-${r.fix === 'safe' ? 'safe' : 'unsafe'}`, title: `Fix: ${r.fix}` }, `fix: ${r.fix}`) : null,
              el('span', { class: 'rule-summary' }, r.summary),
            ),
            el('button', { type: 'button', class: 'link-button', onclick: () => showRule(r.code), 'aria-label': `About rule ${r.code}` }, 'About'),
          ),
        ),
      );
    }),
  );
}

function filterRules() {
  const q = /** @type {HTMLInputElement} */ ($('rules-filter')).value.trim().toLowerCase();
  for (const row of document.querySelectorAll('#rules .rule')) row.hidden = q !== '' && !row.dataset.search.includes(q);
  for (const fam of document.querySelectorAll('#rules .rule-family')) fam.hidden = [...fam.querySelectorAll('.rule')].every((r) => r.hidden);
}

// ---------------------------------------------------------------- dialogs, toasts

function showRule(code) {
  const rule = app.ruleByCode.get(code);
  if (!rule) return;
  $('rule-dialog-title').replaceChildren(el('span', { class: 'rule-code' }, rule.code), ' ', rule.name, ' ', el('span', { class: `sev sev-${rule.severity}` }, rule.severity));
  const body = $('rule-dialog-body');
  body.replaceChildren(el('p', { class: 'lead' }, rule.summary), renderMarkdown(rule.docs));
  const link = /** @type {HTMLAnchorElement} */ ($('rule-dialog-link'));
  link.href = app.last.diagnostics.find((d) => d.code === code)?.url ?? `https://github.com/claimcheck/claimcheck/blob/main/docs/rules.md#${code.toLowerCase()}`;
  /** @type {HTMLDialogElement} */ ($('rule-dialog')).showModal();
}

for (const dialog of document.querySelectorAll('dialog')) {
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog || e.target.closest('[data-close]')) dialog.close();
  });
}

let toastTimer = null;
function toast(message) {
  const t = $('toast');
  t.replaceChildren(...richText(message));
  t.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.remove('show'), 3200);
}

function showBanner(message) {
  const b = $('banner');
  b.textContent = message;
  b.hidden = false;
}

// ---------------------------------------------------------------- menus and tabs

function setupMenu(button, list, onOpen) {
  const items = () => [...list.querySelectorAll('[role^=menuitem]')];
  const close = (focusButton) => {
    list.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (focusButton) button.focus();
  };
  const open = (focusIndex = 0) => {
    onOpen?.();
    list.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    items()[focusIndex]?.focus();
  };
  button.addEventListener('click', () => (list.hidden ? open() : close(false)));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      open(0);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      open(items().length - 1);
    }
  });
  list.addEventListener('keydown', (e) => {
    const all = items();
    const i = all.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (e.key === 'ArrowDown') all[(i + 1) % all.length]?.focus();
    else if (e.key === 'ArrowUp') all[(i - 1 + all.length) % all.length]?.focus();
    else if (e.key === 'Home') all[0]?.focus();
    else if (e.key === 'End') all[all.length - 1]?.focus();
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') close(false);
    else return;
    e.preventDefault();
  });
  document.addEventListener('pointerdown', (e) => {
    if (!list.hidden && !list.contains(e.target) && !button.contains(e.target)) close(false);
  });
  return { open, close };
}

let examplesMenu;
const openExamples = () => {
  $('examples-button').focus();
  examplesMenu.open(0);
};

function buildExamplesMenu() {
  const list = $('examples-menu');
  list.replaceChildren(
    ...EXAMPLES.map((ex) =>
      el(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          class: 'menu-item',
          dataset: { example: ex.id },
          onclick: () => {
            examplesMenu.close(false);
            loadText(ex.text, { fileName: ex.fileName, live: '', source: ex.source });
            toast(`Loaded ${ex.title}`);
            app.view.focus();
          },
        },
        el(
          'span',
          {},
          el('span', { class: 'menu-title' }, ex.title),
          el('span', { class: 'menu-desc' }, ex.description),
          ex.source ? el('span', { class: 'menu-source' }, `${ex.source.repo} · ${ex.source.path} @ ${ex.source.commit.slice(0, 7)} · ${ex.source.license}`) : null,
        ),
      ),
    ),
  );
  examplesMenu = setupMenu($('examples-button'), list);
}

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const select = (tab, focus = true) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    if (tab.id === 'tab-live') app.liveView.requestMeasure();
  };
  for (const t of tabs) {
    t.addEventListener('click', () => select(t));
    t.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(t);
      if (e.key === 'ArrowRight') select(tabs[(i + 1) % tabs.length]);
      else if (e.key === 'ArrowLeft') select(tabs[(i - 1 + tabs.length) % tabs.length]);
      else if (e.key === 'Home') select(tabs[0]);
      else if (e.key === 'End') select(tabs[tabs.length - 1]);
      else return;
      e.preventDefault();
    });
  }
  return select;
}

// ---------------------------------------------------------------- diff view

let mergeModule = null;

/** The diff view's code is loaded on first use. */
async function openDiff() {
  mergeModule ??= await import('@codemirror/merge');
  const { MergeView } = mergeModule;
  closeDiff({ keepToggle: true });
  const current = app.view.state.doc.toString();
  const readOnly = [EditorState.readOnly.of(true), EditorView.editable.of(false)];
  app.merge = new MergeView({
    a: { doc: app.original, extensions: [...common(scheme()), ...readOnly, EditorView.contentAttributes.of({ 'aria-label': 'Original manifest' })] },
    b: { doc: current, extensions: [...common(scheme()), ...readOnly, EditorView.contentAttributes.of({ 'aria-label': 'Current manifest' })] },
    parent: $('diff-view'),
    collapseUnchanged: { margin: 3, minSize: 6 },
    gutter: true,
    highlightChanges: true,
  });
  const chunks = app.merge.chunks.length;
  $('diff-stats').textContent = chunks === 0 ? 'no changes' : plural(chunks, 'changed place');
  $('editor').hidden = true;
  $('diff').hidden = false;
  $('diff-toggle').setAttribute('aria-pressed', 'true');
}

function closeDiff({ keepToggle = false } = {}) {
  if (app.merge) {
    app.merge.destroy();
    app.merge = null;
  }
  $('diff-view').replaceChildren();
  if (keepToggle) return;
  $('diff').hidden = true;
  $('editor').hidden = false;
  $('diff-toggle').setAttribute('aria-pressed', 'false');
}

// ---------------------------------------------------------------- copy, download, share

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`Copied ${what}`);
  } catch {
    toast(`Could not copy ${what}: the browser refused the clipboard`);
  }
}

function download() {
  const blob = new Blob([app.view.state.doc.toString()], { type: 'application/yaml' });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: app.fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function makeShareLink() {
  const fragment = await encodeShare({
    text: app.view.state.doc.toString(),
    live: app.liveView.state.doc.toString(),
    settings: app.settings,
  });
  return `${location.origin}${location.pathname}${location.search}#${fragment}`;
}

async function share() {
  const link = await makeShareLink();
  const input = /** @type {HTMLInputElement} */ ($('share-link'));
  input.value = link;
  $('share-size').textContent = `${link.length.toLocaleString()} characters${link.length > 8000 ? ': long links may be cut by some chat tools' : ''}`;
  /** @type {HTMLDialogElement} */ ($('share-dialog')).showModal();
  input.select();
}

/** Opens a share link in the fragment, if there is one. Returns whether it did. */
async function loadShareFromHash() {
  let shared;
  try {
    shared = await decodeShare(location.hash);
  } catch (e) {
    showBanner(`This share link cannot be read (${e.message}).`);
    return false;
  }
  if (!shared) return false;
  const known = new Set(app.rules.map((r) => r.code));
  const { theme } = app.settings;
  app.settings = { ...sanitize(shared.settings, known), theme };
  saveSettings(app.settings);
  renderSettings();
  loadText(shared.text, { fileName: 'shared.yaml', live: shared.live });
  // The link has done its job: drop it, so that a reload keeps later edits (the draft).
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  toast('Opened a shared manifest');
  return true;
}

// ---------------------------------------------------------------- start-up

function replacesAll(tr) {
  let all = false;
  tr.changes.iterChangedRanges((fromA, toA) => {
    if (fromA === 0 && toA === tr.startState.doc.length) all = true;
  });
  return all;
}

function createEditors(initialText, initialLive) {
  app.view = new EditorView({
    parent: $('editor'),
    state: EditorState.create({
      doc: initialText,
      extensions: [
        ...common(scheme()),
        ...editing({
          label: 'Manifest (YAML or JSON)',
          extraKeys: [
            { key: 'Mod-.', run: quickFixAtCursor, preventDefault: true },
            { key: 'Alt-Shift-f', run: () => (fixAll(), true), preventDefault: true },
          ],
        }),
        EditorState.transactionFilter.of((tr) => {
          if (tr.docChanged) lintEarly(tr.newDoc);
          return tr;
        }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) {
            if (pendingEditAt === null) {
              // The input event's own time when there is one: the user's edit, not our handling of it.
              const now = performance.now();
              pendingEditAt = now - lastInputAt < 100 ? lastInputAt : now;
              performance.mark('cc-edit', { startTime: pendingEditAt });
            }
            // Pasting a whole manifest (into an empty editor or over everything) starts anew:
            // that text becomes the original of the diff view.
            const loadedWhole = u.transactions.some((tr) => tr.isUserEvent('input.paste') && replacesAll(tr));
            if (loadedWhole) {
              app.original = u.state.doc.toString();
              showSource(null);
            }
            scheduleLint();
            saveDraftSoon();
          }
          if (u.selectionSet || u.docChanged) renderCursor();
        }),
      ],
    }),
  });
  for (const type of ['keydown', 'beforeinput', 'paste', 'drop', 'compositionend']) {
    app.view.contentDOM.addEventListener(type, (e) => (lastInputAt = e.timeStamp), { capture: true });
  }
  app.liveView = new EditorView({
    parent: $('live-editor'),
    state: EditorState.create({
      doc: initialLive,
      extensions: [
        ...common(scheme()),
        ...editing({ label: 'Live object from the cluster (YAML or JSON)' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) {
            if (pendingEditAt === null) pendingEditAt = performance.now();
            scheduleLint();
            saveDraftSoon();
          }
        }),
      ],
    }),
  });
}

function wireControls(selectTab) {
  $('fix-all').addEventListener('click', fixAll);
  $('normalise').addEventListener('click', normaliseBuffer);
  setupMenu($('normalise-more'), $('normalise-menu'));
  $('with-defaults-item').addEventListener('click', () => updateSettings({ withDefaults: !app.settings.withDefaults }, { relint: false }));
  $('diff-toggle').addEventListener('click', () => (app.merge ? closeDiff() : openDiff()));
  $('diff-close').addEventListener('click', () => {
    closeDiff();
    app.view.focus();
  });
  $('diff-rebase').addEventListener('click', () => {
    app.original = app.view.state.doc.toString();
    saveDraftSoon();
    openDiff();
    toast('The current manifest is now the original');
  });
  $('diff-copy').addEventListener('click', async () => {
    let patch;
    try {
      patch = await checker.diff(app.fileName, app.original, app.view.state.doc.toString());
    } catch (e) {
      toast(`Cannot make the patch: ${e.message}`);
      return;
    }
    copyText(patch, 'the patch');
  });
  $('copy').addEventListener('click', () => copyText(app.view.state.doc.toString(), 'the manifest'));
  $('download').addEventListener('click', download);
  $('share').addEventListener('click', share);
  $('share-copy').addEventListener('click', () => copyText(/** @type {HTMLInputElement} */ ($('share-link')).value, 'the link'));
  $('theme-toggle').addEventListener('click', () => {
    const next = { auto: 'light', light: 'dark', dark: 'auto' }[app.settings.theme];
    updateSettings({ theme: next }, { relint: false });
  });
  for (const r of document.querySelectorAll('input[name=theme]')) {
    r.addEventListener('change', () => updateSettings({ theme: r.value }, { relint: false }));
  }
  const versionSelect = /** @type {HTMLSelectElement} */ ($('k8s-version'));
  // the options are the module's versions (buildVersionOptions, once it is loaded)
  versionSelect.addEventListener('change', () => updateSettings({ kubernetesVersion: versionSelect.value }));
  $('unsafe-fixes').addEventListener('change', (e) => updateSettings({ unsafeFixes: e.target.checked }, { relint: false }));
  $('with-defaults').addEventListener('change', (e) => updateSettings({ withDefaults: e.target.checked }, { relint: false }));
  $('rules-filter').addEventListener('input', filterRules);
  $('rules-all').addEventListener('click', () => updateSettings({ disabled: [] }));
  $('status-version').addEventListener('click', () => {
    selectTab($('tab-settings'));
    $('k8s-version').focus();
  });
  $('live-from-buffer').addEventListener('click', () => {
    setLive(app.view.state.doc.toString());
    toast('The manifest is now the live object: edit it to see which changes the API server refuses');
  });
  $('live-clear').addEventListener('click', () => setLive(''));
  window.addEventListener('hashchange', () => loadShareFromHash());
}

/** The Kubernetes versions the module supports, newest first, in the settings' select. */
function buildVersionOptions() {
  const newest = defaultVersion();
  $('k8s-version').replaceChildren(
    ...[...versions()].reverse().map((v) => el('option', { value: v }, v === newest ? `${v} (newest)` : v)),
  );
}

async function main() {
  const draft = loadDraft();
  createEditors(draft?.text ?? EXAMPLES[0].text, draft?.live ?? '');
  app.original = draft?.original ?? app.view.state.doc.toString();
  app.fileName = draft?.fileName ?? EXAMPLES[0].fileName;
  $('file-name').textContent = app.fileName;
  buildExamplesMenu();
  const selectTab = setupTabs();
  wireControls(selectTab);
  renderCursor();
  applyTheme();
  performance.mark('cc-editor-ready');

  const t0 = performance.now();
  let info;
  try {
    info = await checker.ready;
  } catch (e) {
    showBanner(`The checker could not be loaded (${e.message}). Reload the page to try again.`);
    return;
  }
  probe.initMs = performance.now() - t0;
  const w = info.workerMs;
  const since = (epochMs) => Math.round(epochMs - performance.timeOrigin);
  probe.workerInitMs = { ...w, scriptStart: since(w.scriptStart), initReceived: since(w.initReceived) };
  performance.mark('cc-module-ready');
  useAbout(info.about);
  SEVERITIES = info.about.severities;
  buildVersionOptions();
  app.rules = info.rules;
  app.ruleByCode = new Map(app.rules.map((r) => [r.code, r]));
  app.settings = loadSettings(new Set(app.rules.map((r) => r.code)));
  app.ready = true;
  // Diagnostics first; the settings panel is built while the worker lints.
  const shared = location.hash.length > 1;
  if (!shared) pump();
  buildRulesList();
  renderSettings();
  $('about').replaceChildren(
    el('p', { class: 'muted' }, `claimcheck ${info.version} · ${app.rules.length} rules · runs entirely in this page (WebAssembly, in a worker); nothing you type leaves the browser.`),
    el('p', { class: 'muted' }, 'Keys: Ctrl+. applies the fix under the cursor · F8 next finding · Ctrl+Shift+M list in the editor · Alt+Shift+F fix all · Ctrl+F search · Esc then Tab leaves the editor.'),
  );
  if (shared && !(await loadShareFromHash())) pump();
  await whenFresh().catch(() => {});
  probe.ready = true;
  document.body.dataset.ready = 'true';
}

main();
