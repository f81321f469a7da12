// @ts-check
'use strict';
// claimcheck's CrossGuard policy pack: StatefulSets and PersistentVolumeClaims of any Pulumi
// program (whatever its language) are linted before they reach a cluster.
//
//   pulumi preview --policy-pack path/to/this/folder [--policy-pack-config config.json]
//
// Findings go to the policy of their severity: errors to `claimcheck-errors` (mandatory),
// warnings to `claimcheck-warnings` (advisory), hints to `claimcheck-hints` (disabled unless
// configured). The `…-stack-…` policies report the rules that look at several objects together
// (CC4xx: serviceName → Service, unused claims, StorageClasses) on all Kubernetes resources of
// the stack. `claimcheck-fix` (disabled by default; set it to "remediate") rewrites the inputs
// with claimcheck's safe fixes before they are sent.

const { PolicyPack } = require('@pulumi/policy');
const lib = require('./lib.js');

/** @typedef {import('@pulumi/policy').ResourceValidationPolicy} ResourceValidationPolicy */
/** @typedef {import('@pulumi/policy').StackValidationPolicy} StackValidationPolicy */
/** @typedef {import('@pulumi/policy').EnforcementLevel} EnforcementLevel */

/** @type {[import('claimcheck').Severity, string, EnforcementLevel][]} */
const LEVELS = [
  ['error', 'errors', 'mandatory'],
  ['warning', 'warnings', 'advisory'],
  ['hint', 'hints', 'disabled'],
];

/** @type {(ResourceValidationPolicy | StackValidationPolicy)[]} */
const policies = [];

for (const [severity, plural, enforcementLevel] of LEVELS) {
  policies.push({
    name: `claimcheck-${plural}`,
    description: `claimcheck ${plural} in StatefulSets and PersistentVolumeClaims (and their List and Patch variants)`,
    enforcementLevel,
    configSchema: lib.CONFIG_SCHEMA,
    validateResource: async (args, reportViolation) => {
      if (!(args.type in lib.RESOURCE_TYPES)) return;
      await lib.init();
      const config = args.getConfig();
      for (const f of lib.resourceFindings(args, config)) {
        if (f.severity === severity) reportViolation(f.message);
      }
    },
  });
  policies.push({
    name: `claimcheck-stack-${plural}`,
    description: `claimcheck ${plural} across the Kubernetes resources of the stack (Services, claims, StorageClasses)`,
    enforcementLevel,
    configSchema: lib.CONFIG_SCHEMA,
    validateStack: async (args, reportViolation) => {
      await lib.init();
      const config = args.getConfig();
      for (const f of lib.stackFindings(args.resources, config)) {
        if (f.severity === severity) reportViolation(f.message, f.urn);
      }
    },
  });
}

policies.push({
  name: 'claimcheck-fix',
  description: "Applies claimcheck's safe fixes to StatefulSets and PersistentVolumeClaims (set to \"remediate\" to enable)",
  enforcementLevel: 'disabled',
  configSchema: lib.CONFIG_SCHEMA,
  remediateResource: async (args) => {
    if (!(args.type in lib.RESOURCE_TYPES)) return undefined;
    await lib.init();
    return lib.remediate(args, args.getConfig());
  },
});

new PolicyPack('claimcheck', {
  description: 'claimcheck: StatefulSets and PersistentVolumeClaims that the API server or the StatefulSet controller would reject',
  policies,
});
