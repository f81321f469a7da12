// Settings kept in localStorage, and the draft (buffer, original, live object) beside them.

// The supported Kubernetes versions come from the module (`about()`, answered by the worker's
// `init`, see checker.js): `useAbout` is called once it is loaded. Until then no version is
// known and the settings hold none.

/** @type {{ kubernetesVersions: string[], defaultKubernetesVersion: string | null }} */
let about = { kubernetesVersions: [], defaultKubernetesVersion: null };

/** @param {import('claimcheck').About} a the module's `about()` */
export function useAbout(a) {
  about = a;
}

/** Supported Kubernetes versions, oldest first. */
export const versions = () => about.kubernetesVersions;
/** The version assumed when none is chosen (the newest). */
export const defaultVersion = () => about.defaultKubernetesVersion;

const SETTINGS_KEY = 'claimcheck.settings.v1';
const DRAFT_KEY = 'claimcheck.draft.v1';

/**
 * @typedef {{ kubernetesVersion: string, disabled: string[], unsafeFixes: boolean,
 *   withDefaults: boolean, theme: 'auto' | 'light' | 'dark' }} Settings
 */

/** @returns {Settings} */
export function defaults() {
  return { kubernetesVersion: defaultVersion(), disabled: [], unsafeFixes: false, withDefaults: false, theme: 'auto' };
}

/** Keeps only well-formed values: stored or shared data may come from another version. */
export function sanitize(raw, knownCodes) {
  const s = defaults();
  if (!raw || typeof raw !== 'object') return s;
  if (versions().includes(raw.kubernetesVersion)) s.kubernetesVersion = raw.kubernetesVersion;
  if (Array.isArray(raw.disabled)) {
    s.disabled = [...new Set(raw.disabled.filter((c) => typeof c === 'string' && (!knownCodes || knownCodes.has(c))))].sort();
  }
  if (typeof raw.unsafeFixes === 'boolean') s.unsafeFixes = raw.unsafeFixes;
  if (typeof raw.withDefaults === 'boolean') s.withDefaults = raw.withDefaults;
  if (['auto', 'light', 'dark'].includes(raw.theme)) s.theme = raw.theme;
  return s;
}

function read(key) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the editor works without persistence.
  }
}

export const loadSettings = (knownCodes) => sanitize(read(SETTINGS_KEY), knownCodes);
export const saveSettings = (s) => write(SETTINGS_KEY, s);

/** @returns {{ text: string, original: string, live: string, fileName: string } | null} */
export function loadDraft() {
  const d = read(DRAFT_KEY);
  if (!d || typeof d.text !== 'string') return null;
  return {
    text: d.text,
    original: typeof d.original === 'string' ? d.original : d.text,
    live: typeof d.live === 'string' ? d.live : '',
    fileName: typeof d.fileName === 'string' && d.fileName ? d.fileName : 'manifest.yaml',
  };
}
export const saveDraft = (d) => write(DRAFT_KEY, d);

/** The rule settings passed to claimcheck: `{ CC305: 'off', ... }`. */
export function ruleOptions(s) {
  return Object.fromEntries(s.disabled.map((c) => [c, 'off']));
}
