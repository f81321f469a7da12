// Command-line flags and the settings file of `claimcheck webhook`.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export const USAGE = `claimcheck webhook — the admission webhook host (HTTPS only)

Usage:
  claimcheck webhook --tls-cert FILE --tls-key FILE [OPTIONS]

Serves:
  POST /validate   AdmissionReview admission.k8s.io/v1: deny findings at or above --deny-at
  POST /mutate     AdmissionReview: the fixes as a JSON Patch
  GET  /healthz    200 while the process runs
  GET  /readyz     200 once the engine is loaded, 503 while shutting down
  GET  /metrics    Prometheus text format

Options:
  --tls-cert FILE              PEM certificate chain (re-read when the file changes)
  --tls-key FILE               PEM private key
  --port N                     default 8443 (0: any free port)
  --host ADDR                  default 0.0.0.0
  --config FILE                JSON settings: {"denyAt": "error", "fixes": "safe",
                               "kubernetesVersion": "1.32", "rules": {"CC401": "off"},
                               "kinds": ["Deployment", "StatefulSet"]}
  --deny-at error|warning|hint the lowest severity that denies (overrides the file)
  --fixes none|safe|unsafe     what /mutate applies (overrides the file)
  --kubernetes-version X.Y     the cluster's version (overrides the file)
  --kinds LIST                 the kinds reviewed, comma-separated Kubernetes names or
                               resources (overrides the file and CLAIMCHECK_WEBHOOK_KINDS);
                               requests for other kinds are allowed untouched. Default:
                               StatefulSet, Deployment, ReplicaSet, DaemonSet, Job, CronJob,
                               ReplicationController, Pod, PodTemplate, PersistentVolumeClaim
  --validate-path PATH         default /validate
  --mutate-path PATH           default /mutate
  --workers N                  processes serving requests (default: one per available CPU,
                               capped by the container's CPU limit)
  --shutdown-delay DURATION    on SIGTERM, keep serving this long (readyz 503) before
                               closing the listener (default 0s; e.g. 5s behind a Service)
  --shutdown-timeout DURATION  longest wait for in-flight requests (default 25s)
  --review-timeout DURATION    the time budget of one review (default 2s): past it the
                               request is answered as the failure policy says, and the
                               review is stopped
  --validate-failure-policy Fail|Ignore
                               the answer of /validate past the budget: Fail denies,
                               Ignore allows (default Fail, as in deploy/webhooks.yaml)
  --mutate-failure-policy Fail|Ignore
                               the same for /mutate (default Ignore; never a patch)
  --tls-reload-interval DURATION
                               how often the certificate files are checked for a renewed
                               certificate (default 30s)
  --log-probes                 also log successful /healthz, /readyz and /metrics requests
  -h, --help                   this text

Environment: CLAIMCHECK_WEBHOOK_KINDS, the same list as --kinds (the flag wins).

Logs: one JSON line per request on standard output. Exit status: 0 after a shutdown on
SIGTERM or SIGINT, 1 when the host fails, 2 for a usage, certificate or settings error.`;

export class UsageError extends Error {}

const SEVERITIES = ['error', 'warning', 'hint'];
const FIXES = ['none', 'safe', 'unsafe'];
const LEVELS = ['off', 'error', 'warning', 'hint'];
const POLICIES = ['Fail', 'Ignore'];

/** "5", "5s", "500ms", "1m" → milliseconds. */
export function parseDuration(text, flag) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(text).trim());
  if (!m) throw new UsageError(`${flag}: expected a duration such as 5s or 500ms, got \`${text}\``);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

function parsePath(text, flag) {
  if (!/^\/[\x21-\x7e]*$/.test(text) || text.includes('?')) {
    throw new UsageError(`${flag}: expected a path such as /validate, got \`${text}\``);
  }
  return text;
}

/**
 * Checks the review settings (from the file or the flags) and returns the options object
 * for review(), without `mode`. Rule codes are checked by the engine when a worker starts.
 */
export function checkReviewSettings(raw, where) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`${where}: expected a JSON object`);
  }
  const out = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'denyAt':
        if (!SEVERITIES.includes(value)) {
          throw new UsageError(`${where}: denyAt must be one of ${SEVERITIES.join(', ')}`);
        }
        out.denyAt = value;
        break;
      case 'fixes':
        if (!FIXES.includes(value)) {
          throw new UsageError(`${where}: fixes must be one of ${FIXES.join(', ')}`);
        }
        out.fixes = value;
        break;
      case 'kubernetesVersion':
        if (typeof value !== 'string' || !/^v?\d+\.\d+$/.test(value)) {
          throw new UsageError(`${where}: kubernetesVersion must be a string such as "1.32"`);
        }
        out.kubernetesVersion = value.replace(/^v/, '');
        break;
      case 'rules': {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          throw new UsageError(`${where}: rules must be an object such as {"CC401": "off"}`);
        }
        for (const [code, level] of Object.entries(value)) {
          if (!LEVELS.includes(level)) {
            throw new UsageError(
              `${where}: rules.${code} must be one of ${LEVELS.map((l) => `"${l}"`).join(', ')}`,
            );
          }
        }
        out.rules = { ...value };
        break;
      }
      case 'kinds': {
        // the names are checked by the engine when a worker starts
        const list = typeof value === 'string' ? splitKinds(value) : value;
        if (!Array.isArray(list) || list.length === 0 || !list.every((k) => typeof k === 'string' && k.trim())) {
          throw new UsageError(
            `${where}: kinds must be a non-empty list of kinds such as ["Deployment", "StatefulSet"]`,
          );
        }
        out.kinds = list.map((k) => k.trim());
        break;
      }
      default:
        throw new UsageError(
          `${where}: unknown setting \`${key}\` (known: denyAt, fixes, kubernetesVersion, rules, kinds)`,
        );
    }
  }
  return out;
}

/** "Deployment, StatefulSet" → ["Deployment", "StatefulSet"]. */
function splitKinds(text) {
  return String(text)
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

export function loadConfigFile(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read ${path}: ${e.code ?? e.message}`);
  }
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config: ${path} is not JSON: ${e.message}`);
  }
  return checkReviewSettings(raw, path);
}

/** CPUs this process may use: the scheduler's count, capped by a cgroup CPU quota. */
export function defaultWorkers() {
  let n = availableParallelism();
  const quota = cgroupCpuLimit();
  if (quota !== null) n = Math.min(n, Math.max(1, Math.ceil(quota)));
  return Math.max(1, n);
}

function cgroupCpuLimit() {
  try {
    // cgroup v2: "<quota> <period>" or "max <period>"
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota !== 'max' && Number(period) > 0) return Number(quota) / Number(period);
    return null;
  } catch {
    // not cgroup v2
  }
  try {
    const quota = Number(readFileSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us', 'utf8'));
    const period = Number(readFileSync('/sys/fs/cgroup/cpu/cpu.cfs_period_us', 'utf8'));
    if (quota > 0 && period > 0) return quota / period;
  } catch {
    // no cgroup information
  }
  return null;
}

/**
 * The settings of one host (plain data: it is handed to the worker processes as JSON).
 * `env` supplies CLAIMCHECK_WEBHOOK_KINDS.
 */
export function parseArgs(argv, env = process.env) {
  const s = {
    help: false,
    tlsCert: null,
    tlsKey: null,
    port: 8443,
    host: '0.0.0.0',
    configFile: null,
    review: {},
    validatePath: '/validate',
    mutatePath: '/mutate',
    workers: null,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 25_000,
    logProbes: false,
    tlsReloadMs: 30_000,
    reviewTimeoutMs: 2000,
    failurePolicy: { validate: 'Fail', mutate: 'Ignore' },
  };
  const overrides = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let flag = arg;
    let inline;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      flag = arg.slice(0, eq);
      inline = arg.slice(eq + 1);
    }
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return argv[i];
    };
    switch (flag) {
      case '-h':
      case '--help':
        s.help = true;
        break;
      case '--tls-cert':
        s.tlsCert = resolve(value());
        break;
      case '--tls-key':
        s.tlsKey = resolve(value());
        break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port: not a port: \`${v}\``);
        s.port = n;
        break;
      }
      case '--host':
        s.host = value();
        break;
      case '--config':
        s.configFile = resolve(value());
        break;
      case '--deny-at':
        overrides.denyAt = value();
        break;
      case '--fixes':
        overrides.fixes = value();
        break;
      case '--kubernetes-version':
        overrides.kubernetesVersion = value();
        break;
      case '--kinds':
        overrides.kinds = value();
        break;
      case '--validate-path':
        s.validatePath = parsePath(value(), flag);
        break;
      case '--mutate-path':
        s.mutatePath = parsePath(value(), flag);
        break;
      case '--workers': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) {
          throw new UsageError(`--workers: expected a number from 1 to 256, got \`${v}\``);
        }
        s.workers = Number(v);
        break;
      }
      case '--shutdown-delay':
        s.shutdownDelayMs = parseDuration(value(), flag);
        break;
      case '--shutdown-timeout':
        s.shutdownTimeoutMs = parseDuration(value(), flag);
        break;
      case '--tls-reload-interval':
        s.tlsReloadMs = Math.max(100, parseDuration(value(), flag));
        break;
      case '--review-timeout': {
        const ms = parseDuration(value(), flag);
        if (ms < 10 || ms > 30_000) {
          throw new UsageError(`${flag}: expected a duration from 10ms to 30s`);
        }
        s.reviewTimeoutMs = ms;
        break;
      }
      case '--validate-failure-policy':
      case '--mutate-failure-policy': {
        const v = value();
        const policy = POLICIES.find((p) => p.toLowerCase() === String(v).toLowerCase());
        if (!policy) throw new UsageError(`${flag}: expected Fail or Ignore, got \`${v}\``);
        s.failurePolicy[flag === '--validate-failure-policy' ? 'validate' : 'mutate'] = policy;
        break;
      }
      case '--log-probes':
        s.logProbes = true;
        break;
      default:
        throw new UsageError(`unknown option \`${arg}\` for \`claimcheck webhook\``);
    }
  }
  if (s.help) return s;
  if (!s.tlsCert || !s.tlsKey) {
    throw new UsageError('--tls-cert and --tls-key are required (the webhook serves HTTPS only)');
  }
  if (s.validatePath === s.mutatePath) {
    throw new UsageError('--validate-path and --mutate-path must differ');
  }
  const fromFile = s.configFile ? loadConfigFile(s.configFile) : {};
  const kindsEnv = env.CLAIMCHECK_WEBHOOK_KINDS;
  const fromEnv =
    kindsEnv !== undefined && kindsEnv.trim() !== ''
      ? checkReviewSettings({ kinds: kindsEnv }, 'CLAIMCHECK_WEBHOOK_KINDS')
      : {};
  const fromFlags = checkReviewSettings(overrides, 'flags');
  s.review = { ...fromFile, ...fromEnv, ...fromFlags };
  s.workers ??= defaultWorkers();
  return s;
}
