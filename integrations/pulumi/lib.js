// @ts-check
'use strict';
// The policy pack's logic, apart from the PolicyPack itself (index.js) so that it can be
// type-checked and read on its own. Everything here works on what @pulumi/policy hands a
// policy: `args.props` (a proxy that throws on values unknown during preview; in remediations
// it also keeps secrets), `args.type`, `args.name`, `args.urn`, `args.getConfig()`.
//
// The engine is the `claimcheck` npm package: each object is linted as the JSON text of its
// properties, so positions are JSON Pointers (there is no source file and no line number).

const claimcheck = require('claimcheck');
const { Secret } = require('@pulumi/policy');

/** Resource types the resource policies check, with the kind of their objects. */
const RESOURCE_TYPES = {
  'kubernetes:apps/v1:StatefulSet': { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  'kubernetes:apps/v1:StatefulSetList': { apiVersion: 'apps/v1', kind: 'StatefulSetList' },
  'kubernetes:apps/v1:StatefulSetPatch': { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  'kubernetes:core/v1:PersistentVolumeClaim': { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  'kubernetes:core/v1:PersistentVolumeClaimList': {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaimList',
  },
  'kubernetes:core/v1:PersistentVolumeClaimPatch': {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
  },
};

/** Rules that look at several objects together: the stack policies report them. */
const BUNDLE_PREFIX = 'CC4';

/**
 * A `…Patch` resource is a partial object applied over the live one (server-side apply): only
 * the value checks apply to it (unknown fields, wrong types, invalid quantities), since anything
 * it leaves out, or refers to, may be in the live object.
 */
const PATCH_CODES = new Set(['CC002', 'CC003', 'CC004', 'CC007']);

/**
 * The configuration every policy of the pack takes (`--policy-pack-config`).
 * @type {import('@pulumi/policy').PolicyConfigSchema}
 */
const CONFIG_SCHEMA = {
  properties: {
    kubernetesVersion: {
      type: 'string',
      pattern: '^1\\.[0-9]+$',
      description: 'The cluster\'s Kubernetes version, "1.32"; default: the newest claimcheck knows',
    },
    select: {
      type: 'array',
      items: { type: 'string' },
      description: 'Only these rules: codes (CC301), names, prefixes (CC3) or ALL',
    },
    ignore: {
      type: 'array',
      items: { type: 'string' },
      description: 'Not these rules: codes, names or prefixes',
    },
    severity: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['error', 'warning', 'hint'] },
      description:
        'Severity per rule ({"CC401": "error"}); it picks the policy, and so the enforcement level, that reports the rule',
    },
    unsafeFixes: {
      type: 'boolean',
      default: false,
      description: 'claimcheck-fix also applies the fixes that guess the intent',
    },
  },
};

/** @typedef {{ kubernetesVersion?: string, select?: string[], ignore?: string[], severity?: Record<string, string>, unsafeFixes?: boolean }} PackConfig */
/** @typedef {import('claimcheck').Diagnostic} Diagnostic */
/** @typedef {import('claimcheck').Severity} Severity */

let ready = null;
/** Loads the WebAssembly module once. */
function init() {
  if (!ready) ready = claimcheck.init();
  return ready;
}

// ---------------------------------------------------------------------------------------------
// Properties → plain JSON
// ---------------------------------------------------------------------------------------------

/** @param {unknown} e */
function isUnknownValueError(e) {
  return e instanceof Error && e.constructor && e.constructor.name === 'UnknownValueError';
}

/** @param {string} s */
function escapeSegment(s) {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A plain-JSON copy of a policy's `props`. Values unknown during preview are left out and their
 * pointers listed (an array with an unknown item is left out whole). Secrets are copied as their
 * values (validations receive them unwrapped anyway) and their pointers listed when the proxy
 * lets them be seen (remediations).
 * @param {any} props
 * @returns {{ json: any, unknown: string[], secrets: string[] }}
 */
function snapshot(props) {
  /** @type {string[]} */
  const unknown = [];
  /** @type {string[]} */
  const secrets = [];
  let budget = 1_000_000; // nodes: a bound on hostile or cyclic input
  /**
   * @param {any} node
   * @param {string} ptr
   * @param {number} depth
   * @returns {{ ok: boolean, value?: any }}
   */
  const walk = (node, ptr, depth) => {
    if (--budget < 0 || depth > 200) throw new Error('claimcheck: the resource is too large or too deep');
    if (node === null || typeof node !== 'object') {
      return { ok: true, value: typeof node === 'function' ? undefined : node };
    }
    if (Array.isArray(node)) {
      const out = [];
      for (let i = 0; i < node.length; i++) {
        let v;
        try {
          v = node[i];
        } catch (e) {
          if (!isUnknownValueError(e)) throw e;
          unknown.push(ptr);
          return { ok: false };
        }
        const r = walk(v, `${ptr}/${i}`, depth + 1);
        if (!r.ok) {
          unknown.push(ptr);
          return { ok: false };
        }
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    /** @type {Record<string, any>} */
    const out = {};
    for (const key of Object.keys(node)) {
      const p = `${ptr}/${escapeSegment(key)}`;
      const desc = Object.getOwnPropertyDescriptor(node, key);
      if (desc && desc.value instanceof Secret) secrets.push(p);
      let v;
      try {
        v = node[key];
      } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        unknown.push(p);
        continue;
      }
      if (v === undefined) continue;
      const r = walk(v, p, depth + 1);
      if (r.ok) out[key] = r.value;
    }
    return { ok: true, value: out };
  };
  const r = walk(props, '', 0);
  return { json: r.ok ? r.value : {}, unknown, secrets };
}

/**
 * The Kubernetes object a resource of `type` stands for: `apiVersion` and `kind` as the
 * provider fills them in, and — for an object without `metadata.name` or `generateName`, which
 * pulumi-kubernetes names `<resource name>-<8 random characters>` — that name and the
 * `pulumi.com/autonamed` annotation, as the provider will send them.
 * @param {any} json
 * @param {{ apiVersion: string, kind: string }} gvk
 * @param {string} resourceName
 * @param {boolean} patch
 * @returns {{ object: any, autonamed: boolean }}
 */
function asObject(json, gvk, resourceName, patch) {
  const object = json && typeof json === 'object' && !Array.isArray(json) ? { ...json } : {};
  if (object.apiVersion === undefined) object.apiVersion = gvk.apiVersion;
  if (object.kind === undefined) object.kind = gvk.kind;
  let autonamed = false;
  const meta = object.metadata;
  const named =
    meta && typeof meta === 'object' && (nonEmpty(meta.name) || nonEmpty(meta.generateName));
  if (!patch && !named && !gvk.kind.endsWith('List')) {
    const m = meta && typeof meta === 'object' && !Array.isArray(meta) ? { ...meta } : {};
    m.name = `${resourceName}-xxxxxxxx`;
    m.annotations = { ...(m.annotations || {}), 'pulumi.com/autonamed': 'true' };
    object.metadata = m;
    autonamed = true;
  }
  return { object, autonamed };
}

/** @param {unknown} s */
function nonEmpty(s) {
  return typeof s === 'string' && s !== '';
}

// ---------------------------------------------------------------------------------------------
// Configuration → lint options
// ---------------------------------------------------------------------------------------------

/**
 * @param {string} pattern
 * @param {{ code: string, name: string }} rule
 */
function matches(pattern, rule) {
  if (pattern === 'ALL') return true;
  const p = pattern.toUpperCase();
  return rule.code === p || rule.name === pattern || (/^CC\d{0,3}$/.test(p) && rule.code.startsWith(p));
}

/**
 * The `claimcheck` options for a policy's configuration.
 * @param {PackConfig} config
 * @returns {import('claimcheck').Options}
 */
function lintOptions(config) {
  /** @type {Record<string, import('claimcheck').RuleSetting>} */
  const rules = {};
  const catalogue = claimcheck.rules();
  for (const r of catalogue) {
    if (config.select && config.select.length && !config.select.some((p) => matches(p, r))) {
      rules[r.code] = 'off';
    }
    if (config.ignore && config.ignore.some((p) => matches(p, r))) rules[r.code] = 'off';
  }
  for (const [code, sev] of Object.entries(config.severity || {})) {
    if (rules[code] !== 'off') rules[code] = /** @type {Severity} */ (sev);
  }
  /** @type {import('claimcheck').Options} */
  const options = { rules };
  if (config.kubernetesVersion) options.kubernetesVersion = config.kubernetesVersion;
  return options;
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

/** Fields whose values are names, paths and quantities: what findings are about. */
const IDENTIFIER_KEYS = new Set([
  'apiVersion',
  'kind',
  'name',
  'generateName',
  'namespace',
  'serviceName',
  'storageClassName',
  'volumeName',
  'volumeMode',
  'claimName',
  'secretName',
  'mountPath',
  'subPath',
  'image',
  'protocol',
  'operator',
  'key',
  'path',
  'type',
  'podManagementPolicy',
  'whenDeleted',
  'whenScaled',
  'apiGroup',
  'maxUnavailable',
  'partition',
  'clusterIP',
  'imagePullPolicy',
  'restartPolicy',
  'dnsPolicy',
  'fsGroupChangePolicy',
  'medium',
  'server',
  'containerName',
  'resource',
  'fieldPath',
  'subPathExpr',
]);

/**
 * The strings of an object that a message must never show: every string value except names,
 * paths, label values and quantities. @pulumi/policy hands validations their secrets already
 * unwrapped, with nothing to tell them apart, so every free-text value (env values, commands,
 * annotation values, …) is treated as one.
 * @param {any} json
 * @returns {string[]}
 */
function hiddenValues(json) {
  /** @type {Set<string>} */
  const out = new Set();
  /**
   * @param {any} node
   * @param {string[]} path
   */
  const walk = (node, path) => {
    if (typeof node === 'string') {
      const key = path[path.length - 1] || '';
      const parent = path[path.length - 2] || '';
      const identifier =
        IDENTIFIER_KEYS.has(key) ||
        ['labels', 'matchLabels', 'selector', 'requests', 'limits', 'accessModes', 'nodeSelector'].includes(parent) ||
        key === 'sizeLimit' ||
        (/^\d+$/.test(key) && ['accessModes', 'values'].includes(parent));
      if (!identifier && node.length > 0) out.add(node);
      return;
    }
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
    }
  };
  walk(json, []);
  // longest first, so that a value containing another is hidden whole
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every hidden value in a message by `***`: a backquoted value equal to one, and any
 * occurrence of one of 4 characters or more.
 * @param {string} text
 * @param {string[]} hidden
 */
function redact(text, hidden) {
  let out = text;
  for (const h of hidden) {
    if (h.length >= 4) {
      out = out.split(h).join('***');
    } else {
      out = out.split('`' + h + '`').join('`***`');
    }
  }
  return out;
}

/**
 * @param {string} pointer
 * @param {string[]} unknown
 */
function touchesUnknown(pointer, unknown) {
  return unknown.some(
    (u) =>
      pointer === u ||
      pointer.startsWith(u + '/') ||
      (pointer !== '' && u.startsWith(pointer + '/')),
  );
}

/**
 * One finding as a Pulumi violation message.
 * @param {Diagnostic} d
 * @param {string} pointer
 * @param {string[]} hidden
 */
function violationMessage(d, pointer, hidden) {
  let m = `${d.code} ${d.name} at ${pointer || '/'}: ${d.message}`;
  if (d.fix) m += ` [fix (${d.fix.applicability}): ${d.fix.title}]`;
  m += ` (${d.url})`;
  return redact(m, hidden);
}

/**
 * @typedef {{ code: string, severity: Severity, message: string, pointer: string, document: number }} Finding
 */

/**
 * Lints the objects of one resource (a List's items are documents of their own) and returns
 * the findings that the resource policies report: per-object rules only, pointers into the
 * resource's properties, nothing that touches a value unknown during preview.
 * @param {{ type: string, name: string, props: any }} resource
 * @param {PackConfig} config
 * @returns {Finding[]}
 */
function resourceFindings(resource, config) {
  const gvk = RESOURCE_TYPES[/** @type {keyof typeof RESOURCE_TYPES} */ (resource.type)];
  if (!gvk) return [];
  const patch = resource.type.endsWith('Patch');
  const snap = snapshot(resource.props);
  const docs = documentsOf(snap.json, gvk, resource.name, patch);
  const result = claimcheck.lint(docs.map((d) => JSON.stringify(d.object)).join('\n---\n'), lintOptions(config));
  const hidden = hiddenValues(snap.json);
  /** @type {Finding[]} */
  const out = [];
  for (const d of result.diagnostics) {
    if (d.code.startsWith(BUNDLE_PREFIX)) continue;
    const doc = docs[d.document];
    if (!doc) continue;
    const pointer = doc.prefix + d.pointer;
    if (patch && (!PATCH_CODES.has(d.code) || !exists(snap.json, pointer))) continue;
    if (touchesUnknown(pointer, snap.unknown)) continue;
    out.push({
      code: d.code,
      severity: d.severity,
      message: violationMessage(d, pointer, hidden),
      pointer,
      document: d.document,
    });
  }
  return out;
}

/**
 * @param {any} json
 * @param {{ apiVersion: string, kind: string }} gvk
 * @param {string} name
 * @param {boolean} patch
 * @returns {{ object: any, prefix: string, autonamed: boolean }[]}
 */
function documentsOf(json, gvk, name, patch) {
  if (gvk.kind.endsWith('List')) {
    const itemKind = { apiVersion: gvk.apiVersion, kind: gvk.kind.slice(0, -'List'.length) };
    const items = Array.isArray(json.items) ? json.items : [];
    return items.map((item, i) => ({
      ...asObject(item, itemKind, `${name}-${i}`, patch),
      prefix: `/items/${i}`,
    }));
  }
  return [{ ...asObject(json, gvk, name, patch), prefix: '' }];
}

/**
 * @param {any} json
 * @param {string} pointer
 */
function exists(json, pointer) {
  let node = json;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(seg in node)) return false;
    node = node[seg];
  }
  return true;
}

/** `kubernetes:<group>/<version>:<Kind>` → apiVersion and kind. */
/** @param {string} type */
function gvkOfType(type) {
  const m = /^kubernetes:([^/:]+)\/([^:]+):(.+)$/.exec(type);
  if (!m) return null;
  const apiVersion = m[1] === 'core' ? m[2] : `${m[1]}/${m[2]}`;
  return { apiVersion, kind: m[3] };
}

/**
 * Lints all Kubernetes objects of a stack together and returns the findings of the rules that
 * look across objects (serviceName → Service, claims nobody uses, StorageClasses), each with
 * the URN of the resource it is about.
 * @param {{ type: string, name: string, urn: string, props: any }[]} resources
 * @param {PackConfig} config
 * @returns {(Finding & { urn: string })[]}
 */
function stackFindings(resources, config) {
  /** @type {{ object: any, prefix: string, urn: string, unknown: string[], hidden: string[] }[]} */
  const docs = [];
  for (const r of resources) {
    if (!r.type.startsWith('kubernetes:') || r.type.endsWith('Patch')) continue;
    const gvk = gvkOfType(r.type);
    if (!gvk) continue;
    const snap = snapshot(r.props);
    const hidden = hiddenValues(snap.json);
    for (const d of documentsOf(snap.json, gvk, r.name, false)) {
      docs.push({ ...d, urn: r.urn, unknown: snap.unknown, hidden });
    }
  }
  if (!docs.length) return [];
  const result = claimcheck.lint(docs.map((d) => JSON.stringify(d.object)).join('\n---\n'), lintOptions(config));
  /** @type {(Finding & { urn: string })[]} */
  const out = [];
  for (const d of result.diagnostics) {
    if (!d.code.startsWith(BUNDLE_PREFIX)) continue;
    const doc = docs[d.document];
    if (!doc) continue;
    const pointer = doc.prefix + d.pointer;
    if (touchesUnknown(pointer, doc.unknown)) continue;
    out.push({
      code: d.code,
      severity: d.severity,
      message: violationMessage(d, pointer, doc.hidden),
      pointer,
      document: d.document,
      urn: doc.urn,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Remediation
// ---------------------------------------------------------------------------------------------

/**
 * A deep copy of `props` that keeps @pulumi/policy's `Secret` wrappers (read through the
 * proxy's property descriptors, which show the wrapped values).
 * @param {any} node
 * @param {number} depth
 * @returns {any}
 */
function rawCopy(node, depth = 0) {
  if (depth > 200) throw new Error('claimcheck: the resource is too deep');
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    const out = [];
    for (let i = 0; i < node.length; i++) {
      const desc = Object.getOwnPropertyDescriptor(node, i);
      out.push(copyValue(desc ? desc.value : node[i], depth));
    }
    return out;
  }
  /** @type {Record<string, any>} */
  const out = {};
  for (const key of Object.keys(node)) {
    const desc = Object.getOwnPropertyDescriptor(node, key);
    out[key] = copyValue(desc && 'value' in desc ? desc.value : node[key], depth);
  }
  return out;
}

/**
 * @param {any} v
 * @param {number} depth
 */
function copyValue(v, depth) {
  if (v instanceof Secret) return new Secret(rawCopy(v.value, depth + 1));
  return rawCopy(v, depth + 1);
}

/**
 * Applies RFC 6902 operations to a copy made by `rawCopy`. A value moved out of a secret stays
 * a secret. Returns false when an operation does not apply.
 * @param {any} root
 * @param {import('claimcheck').PatchOp[]} ops
 */
function applyPatch(root, ops) {
  /**
   * @param {string} pointer
   * @returns {{ parent: any, key: string, secret: boolean } | null}
   */
  const locate = (pointer) => {
    const segs = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = root;
    let secret = false;
    for (const seg of segs.slice(0, -1)) {
      if (node instanceof Secret) {
        secret = true;
        node = node.value;
      }
      if (node === null || typeof node !== 'object' || !(seg in node)) return null;
      node = node[seg];
    }
    if (node instanceof Secret) {
      secret = true;
      node = node.value;
    }
    if (node === null || typeof node !== 'object') return null;
    return { parent: node, key: segs[segs.length - 1], secret };
  };
  /** @param {{ parent: any, key: string }} at */
  const take = (at) => {
    if (!(at.key in at.parent)) return undefined;
    const v = at.parent[at.key];
    if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 1);
    else delete at.parent[at.key];
    return v;
  };
  /**
   * @param {{ parent: any, key: string }} at
   * @param {any} v
   */
  const put = (at, v) => {
    if (Array.isArray(at.parent)) {
      const i = at.key === '-' ? at.parent.length : Number(at.key);
      at.parent.splice(i, 0, v);
    } else at.parent[at.key] = v;
  };
  for (const op of ops) {
    const at = locate(op.path);
    if (!at) return false;
    switch (op.op) {
      case 'add':
        put(at, structuredClone(op.value));
        break;
      case 'replace':
        if (!(at.key in at.parent)) return false;
        at.parent[at.key] = structuredClone(op.value);
        break;
      case 'remove':
        if (take(at) === undefined) return false;
        break;
      case 'move':
      case 'copy': {
        const from = locate(op.from);
        if (!from || !(from.key in from.parent)) return false;
        let v = op.op === 'move' ? take(from) : rawCopy(from.parent[from.key]);
        const to = locate(op.path);
        if (!to) return false;
        if (from.secret && !to.secret && !(v instanceof Secret)) v = new Secret(v);
        put(to, v);
        break;
      }
      case 'test':
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * The remediated properties of a resource: claimcheck's safe fixes (with `unsafeFixes`, also
 * the unsafe ones) applied as JSON Patch to the resource's properties, secrets kept secret;
 * `undefined` when nothing changes, when a value is unknown (preview) or for List and Patch
 * resources.
 * @param {{ type: string, name: string, props: any }} resource
 * @param {PackConfig} config
 * @returns {Record<string, any> | undefined}
 */
function remediate(resource, config) {
  const gvk = RESOURCE_TYPES[/** @type {keyof typeof RESOURCE_TYPES} */ (resource.type)];
  if (!gvk || gvk.kind.endsWith('List') || resource.type.endsWith('Patch')) return undefined;
  const snap = snapshot(resource.props);
  if (snap.unknown.length) return undefined;
  const { object, autonamed } = asObject(snap.json, gvk, resource.name, false);
  const text = JSON.stringify(object);
  const fixed = claimcheck.fix(text, { ...lintOptions(config), unsafeFixes: !!config.unsafeFixes });
  if (!fixed.changed) return undefined;
  const ops = fixed.patch.flatMap((p) => p.operations);
  if (ops.some((op) => op.path.startsWith('/metadata/name') || op.path.startsWith('/metadata/annotations'))) {
    if (autonamed) return undefined; // would change what the provider fills in
  }
  const raw = rawCopy(resource.props);
  // the operations were computed on the object with apiVersion/kind (and the autoname): add
  // them to the copy, apply, and take them out again
  const added = [];
  for (const k of ['apiVersion', 'kind']) {
    if (raw[k] === undefined) {
      raw[k] = object[k];
      added.push(k);
    }
  }
  let addedMetadata = false;
  if (autonamed) {
    if (raw.metadata === undefined) {
      raw.metadata = {};
      addedMetadata = true;
    }
  }
  if (!applyPatch(raw, ops)) return undefined;
  for (const k of added) delete raw[k];
  if (addedMetadata && raw.metadata && Object.keys(raw.metadata).length === 0) delete raw.metadata;
  return raw;
}

module.exports = {
  CONFIG_SCHEMA,
  RESOURCE_TYPES,
  BUNDLE_PREFIX,
  init,
  snapshot,
  asObject,
  lintOptions,
  resourceFindings,
  stackFindings,
  remediate,
  applyPatch,
  hiddenValues,
  redact,
};
