// CodeMirror set-up shared by the manifest editor, the live-object editor and the diff view:
// one theme driven by CSS variables (style.css), so light and dark differ only in variables.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import {
  HighlightStyle,
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintGutter, lintKeymap } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--syn-key)' },
  { tag: [t.string, t.special(t.string), t.content], color: 'var(--syn-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--syn-atom)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [t.meta, t.keyword, t.processingInstruction, t.labelName, t.typeName], color: 'var(--syn-meta)' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--syn-punct)' },
]);

const baseTheme = {
  '&': { color: 'var(--fg)', backgroundColor: 'var(--editor-bg)', fontSize: 'var(--editor-font-size)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--accent)', padding: '8px 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--accent)', borderLeftWidth: '2px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
    { backgroundColor: 'var(--selection) !important' },
  '.cm-gutters': {
    backgroundColor: 'var(--gutter-bg)',
    color: 'var(--muted)',
    border: 'none',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)', color: 'var(--fg)' },
  '.cm-selectionMatch': { backgroundColor: 'var(--match)' },
  '.cm-searchMatch': { backgroundColor: 'var(--match)', outline: '1px solid var(--border-strong)' },
  '.cm-panels': { backgroundColor: 'var(--surface)', color: 'var(--fg)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    color: 'var(--fg)',
    border: '1px solid var(--border-strong)',
    borderRadius: '8px',
    boxShadow: 'var(--shadow)',
    overflow: 'hidden',
  },
  '.cm-tooltip-lint': { maxWidth: 'min(560px, 90vw)', padding: '0' },
  '.cm-diagnostic': { padding: '10px 12px', borderLeftWidth: '4px', fontFamily: 'var(--sans)', whiteSpace: 'normal' },
  '.cm-diagnostic + .cm-diagnostic': { borderTop: '1px solid var(--border)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--error)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warning)' },
  '.cm-diagnostic-hint, .cm-diagnostic-info': { borderLeftColor: 'var(--hint)' },
  '.cm-diagnosticAction': {
    font: 'inherit',
    fontSize: '13px',
    backgroundColor: 'var(--safe)',
    color: 'var(--on-accent)',
    border: 'none',
    borderRadius: '6px',
    padding: '3px 10px',
    marginLeft: '0',
    marginRight: '8px',
    marginTop: '8px',
    cursor: 'pointer',
  },
  '.cm-diagnosticAction.cc-action-unsafe': { backgroundColor: 'var(--unsafe)' },
  '.cm-lintRange-hint': { backgroundImage: 'none', borderBottom: '1px dotted var(--hint)' },
  // The merge view's default marks (U+299A) are missing from many system fonts.
  '.cm-collapsedLines': { color: 'var(--muted)', background: 'var(--surface-2)', fontFamily: 'var(--sans)', fontSize: '12px' },
  '.cm-collapsedLines:before': { content: '"↕"' },
  '.cm-collapsedLines:after': { content: '""' },
  '.cm-foldGutter .cm-gutterElement': { color: 'var(--muted)' },
};

export const themeCompartment = new Compartment();

/** The theme extension for a colour scheme ('light' or 'dark'). */
export function themeFor(scheme) {
  return [EditorView.theme(baseTheme, { dark: scheme === 'dark' }), syntaxHighlighting(highlight)];
}

/** Extensions common to every editor of the page. */
export function common(scheme) {
  return [
    themeCompartment.of(themeFor(scheme)),
    yaml(),
    EditorState.tabSize.of(2),
    indentUnit.of('  '),
    highlightSpecialChars(),
    drawSelection(),
    bracketMatching(),
  ];
}

/** The full editing set-up (the manifest and the live object). */
export function editing({ label, extraKeys = [] }) {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    lintGutter({ hoverTime: 150 }),
    history(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    keymap.of([...extraKeys, ...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap, ...foldKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
  ];
}

/** Switches every given view to a colour scheme. */
export function applyScheme(views, scheme) {
  for (const v of views) {
    if (v) v.dispatch({ effects: themeCompartment.reconfigure(themeFor(scheme)) });
  }
}
