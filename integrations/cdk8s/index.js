// @ts-check
'use strict';
// claimcheck as a cdk8s validation plugin: `cdk8s synth` lints the manifests it wrote and
// fails when a finding reaches `failOn` (default: error). In cdk8s.yaml:
//
//   validations:
//     - package: ./node_modules/claimcheck-cdk8s
//       version: 0.1.0
//       class: ClaimcheckValidation
//       properties: { kubernetesVersion: "1.32", failOn: error, rules: { CC401: "off" } }
//
// All manifests of one synth are linted together, so a Service in one chart satisfies the
// serviceName of a StatefulSet in another.

const fs = require('node:fs');
const claimcheck = require('claimcheck');

const RANK = { hint: 0, warning: 1, error: 2 };

/**
 * @typedef {{ kubernetesVersion?: string, failOn?: 'error' | 'warning' | 'hint', rules?: Record<string, import('claimcheck').RuleSetting>, unsafeFixes?: boolean }} Properties
 */

class ClaimcheckValidation {
  /** @param {Properties} [properties] */
  constructor(properties) {
    /** @type {Properties} */
    this.properties = properties ?? {};
    const failOn = this.properties.failOn ?? 'error';
    if (!(failOn in RANK)) throw new TypeError(`claimcheck: failOn must be error, warning or hint, not ${failOn}`);
  }

  /**
   * The cdk8s-cli `Validation` contract.
   * @param {any} context cdk8s-cli's ValidationContext: manifests, report, logger
   */
  async validate(context) {
    await claimcheck.init();
    /** @type {import('claimcheck').LintOptions} */
    const options = { positionEncoding: 'utf8' };
    if (this.properties.kubernetesVersion) options.kubernetesVersion = this.properties.kubernetesVersion;
    if (this.properties.rules) options.rules = this.properties.rules;
    const failOn = RANK[this.properties.failOn ?? 'error'];

    // One stream of all manifests; remember where each file's documents and lines start.
    /** @type {{ path: string, firstDocument: number, firstLine: number }[]} */
    const files = [];
    let text = '';
    let documents = 0;
    for (const path of context.manifests) {
      const body = fs.readFileSync(path, 'utf8');
      const count = claimcheck.lint(body, options).documents.length;
      if (text) {
        if (!text.endsWith('\n')) text += '\n';
        if (!/^---(\s|$)/.test(body)) text += '---\n';
      }
      files.push({ path, firstDocument: documents, firstLine: text.split('\n').length - 1 });
      text += body;
      documents += count;
    }
    const result = claimcheck.lint(text, options);
    let failed = false;
    for (const d of result.diagnostics) {
      const file = [...files].reverse().find((f) => f.firstDocument <= d.document) ?? files[0];
      const doc = result.documents[d.document];
      const line = d.range.start.line - file.firstLine;
      if (RANK[d.severity] >= failOn) failed = true;
      context.report.addViolation({
        ruleName: `${d.code} ${d.name} (${d.severity})`,
        recommendation: d.message,
        fix: d.fix ? `${d.fix.title} (${d.fix.applicability} fix: npx claimcheck fix)` : d.url,
        violatingResources: [
          {
            resourceName: doc?.name ?? '',
            locations: [`${d.pointer || '/'} (line ${line}, column ${d.range.start.column})`],
            manifestPath: file.path,
          },
        ],
      });
    }
    context.report.submit(failed ? 'failure' : 'success', {
      findings: String(result.diagnostics.length),
      errors: String(result.summary.errors),
    });
  }
}

module.exports = { ClaimcheckValidation };
