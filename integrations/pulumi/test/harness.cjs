'use strict';
// Drives the policy pack as the Pulumi CLI does, without the CLI (its npm package downloads a
// binary, which cannot be installed here): the pack runs in its own process through
// @pulumi/pulumi's `run-policy-pack` (what the CLI's `pulumi-analyzer-policy` starts), prints
// its gRPC port, and receives the Analyzer RPCs — GetAnalyzerInfo, Configure, Analyze,
// AnalyzeStack, Remediate — with resource properties as protobuf Structs, unknown values as
// Pulumi's sentinels and secrets in Pulumi's wire form, as the engine sends them.
const { spawn } = require('node:child_process');
const path = require('node:path');

const PACK = path.resolve(__dirname, '..');
const req = (m) => require(require.resolve(m, { paths: [PACK] }));
const grpc = req('@grpc/grpc-js');
const analyzerpb = req('@pulumi/pulumi/proto/analyzer_pb');
const analyzerrpc = req('@pulumi/pulumi/proto/analyzer_grpc_pb');
const structpb = req('google-protobuf/google/protobuf/struct_pb');
const emptypb = req('google-protobuf/google/protobuf/empty_pb');

const LEVELS = ['advisory', 'mandatory', 'disabled', 'remediate'];
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

function urnOf(type, name) {
  return `urn:pulumi:test::claimcheck::${type}::${name}`;
}

function options() {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(false);
  o.setIgnorechangesList([]);
  o.setAliasesList([]);
  o.setAdditionalsecretoutputsList([]);
  o.setCustomtimeouts(new analyzerpb.AnalyzerResourceOptions.CustomTimeouts());
  return o;
}

/** Starts the pack; resolves to an object with the RPCs as promises. */
async function startPack() {
  const runner = require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [PACK] });
  const child = spawn(process.execPath, [runner, '127.0.0.1:0', '.'], {
    cwd: PACK,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the pack printed no port: ${stderr}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`the pack exited (${code}): ${stderr}`)));
  });
  const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (method, request) =>
    new Promise((resolve, reject) =>
      client[method](request, (err, res) => (err ? reject(err) : resolve(res))),
    );

  return {
    stderr: () => stderr,
    async info() {
      const res = await call('getAnalyzerInfo', new emptypb.Empty());
      return res.toObject();
    },
    /**
     * config: { policyName: { enforcementLevel?, ...properties } }; as the CLI does, a policy
     * configured without a level keeps the one the pack declares for it.
     */
    async configure(config) {
      const declared = new Map();
      for (const p of (await call('getAnalyzerInfo', new emptypb.Empty())).getPoliciesList()) {
        declared.set(p.getName(), p.getEnforcementlevel());
      }
      const request = new analyzerpb.ConfigureAnalyzerRequest();
      const map = request.getPolicyconfigMap();
      for (const [name, c] of Object.entries(config)) {
        const { enforcementLevel, ...props } = c;
        const pc = new analyzerpb.PolicyConfig();
        pc.setEnforcementlevel(
          enforcementLevel ? LEVELS.indexOf(enforcementLevel) : (declared.get(name) ?? 0),
        );
        pc.setProperties(structpb.Struct.fromJavaScript(props));
        map.set(name, pc);
      }
      await call('configure', request);
    },
    /** One resource's inputs → [{ policy, level, message, urn }]. */
    async analyze(resource) {
      const r = new analyzerpb.AnalyzeRequest();
      r.setType(resource.type);
      r.setName(resource.name);
      r.setUrn(urnOf(resource.type, resource.name));
      r.setProperties(structpb.Struct.fromJavaScript(resource.inputs));
      r.setOptions(options());
      const res = await call('analyze', r);
      // the engine puts a resource policy's violations on the resource analysed
      return diagnostics(res.getDiagnosticsList()).map((d) => ({
        ...d,
        urn: d.urn || urnOf(resource.type, resource.name),
      }));
    },
    /** All resources' outputs → [{ policy, level, message, urn }]. */
    async analyzeStack(resources) {
      const r = new analyzerpb.AnalyzeStackRequest();
      r.setResourcesList(
        resources.map((res) => {
          const a = new analyzerpb.AnalyzerResource();
          a.setType(res.type);
          a.setName(res.name);
          a.setUrn(urnOf(res.type, res.name));
          a.setProperties(structpb.Struct.fromJavaScript(res.inputs));
          a.setOptions(options());
          a.setDependenciesList([]);
          return a;
        }),
      );
      const res = await call('analyzeStack', r);
      return diagnostics(res.getDiagnosticsList());
    },
    /** One resource's inputs → the remediated properties (wire form), or null. */
    async remediate(resource) {
      const r = new analyzerpb.AnalyzeRequest();
      r.setType(resource.type);
      r.setName(resource.name);
      r.setUrn(urnOf(resource.type, resource.name));
      r.setProperties(structpb.Struct.fromJavaScript(resource.inputs));
      r.setOptions(options());
      const res = await call('remediate', r);
      const list = res.getRemediationsList();
      if (!list.length) return null;
      return {
        policies: list.map((x) => x.getPolicyname()),
        properties: list[list.length - 1].getProperties().toJavaScript(),
      };
    },
    stop() {
      client.close();
      child.kill();
    },
  };
}

function diagnostics(list) {
  return list.map((d) => ({
    policy: d.getPolicyname(),
    level: LEVELS[d.getEnforcementlevel()],
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}

module.exports = { startPack, urnOf, SECRET_SIG_KEY, SECRET_SIG, UNKNOWN };
