// The examples offered in the editor: the project's seed example, a few real-world manifests
// from the test corpus (with where they come from, read from tests/corpus/SOURCES.tsv), a
// Deployment whose ReadWriteOnce claim cannot follow its rollout strategy, and a blank
// template. Vite inlines the texts at build time, so loading one needs no request.
import seed from '../../examples/seed.yaml?raw';
import sources from '../../tests/corpus/SOURCES.tsv?raw';
import web from '../../tests/corpus/k8swebsite__web.yaml?raw';
import cockroach from '../../tests/corpus/kexamples__cockroachdb-statefulset.yaml?raw';
import cassandra from '../../tests/corpus/jaegerk8s__cassandra.yml?raw';
import postgres from '../../tests/corpus/kubeflow__postgres-statefulset.yaml?raw';
import blank from './examples/blank-statefulset.yaml?raw';
import rwoRollout from './examples/deployment-rwo-rolling-update.yaml?raw';

/** @typedef {{ repo: string, path: string, commit: string, license: string, url: string }} Source */

/** @returns {Map<string, Source>} the corpus files' origins by file name */
function parseSources(tsv) {
  const out = new Map();
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t');
  const col = (name) => header.indexOf(name);
  for (const line of lines) {
    const cells = line.split('\t');
    const repo = cells[col('repo')] ?? '';
    const path = cells[col('path')] ?? '';
    const commit = cells[col('commit')] ?? '';
    out.set(cells[col('file')], {
      repo,
      path,
      commit,
      license: cells[col('license')] ?? '',
      url: `https://github.com/${repo}/blob/${commit}/${path}`,
    });
  }
  return out;
}

const origin = parseSources(sources);

/**
 * @typedef {{ id: string, title: string, description: string, fileName: string, text: string,
 *   source?: Source }} Example
 * @type {Example[]}
 */
export const EXAMPLES = [
  {
    id: 'seed',
    title: 'Seed: claim template written as a bare PVC spec',
    description: 'What a Pulumi program sends when it passes a PVC spec as a claim template',
    fileName: 'seed.yaml',
    text: seed,
  },
  {
    id: 'web',
    title: 'Kubernetes docs: web (nginx)',
    description: 'The StatefulSet tutorial’s Service and StatefulSet',
    fileName: 'web.yaml',
    text: web,
    source: origin.get('k8swebsite__web.yaml'),
  },
  {
    id: 'cockroachdb',
    title: 'kubernetes/examples: CockroachDB',
    description: 'A pod volume with the name of a claim template',
    fileName: 'cockroachdb-statefulset.yaml',
    text: cockroach,
    source: origin.get('kexamples__cockroachdb-statefulset.yaml'),
  },
  {
    id: 'cassandra',
    title: 'Jaeger: Cassandra',
    description: 'A StatefulSet under an API version that is no longer served',
    fileName: 'cassandra.yml',
    text: cassandra,
    source: origin.get('jaegerk8s__cassandra.yml'),
  },
  {
    id: 'postgres',
    title: 'Kubeflow: PostgreSQL',
    description: 'No serviceName (an unsafe fix) and a claim from elsewhere',
    fileName: 'postgres-statefulset.yaml',
    text: postgres,
    source: origin.get('kubeflow__postgres-statefulset.yaml'),
  },
  {
    id: 'rwo-rollout',
    title: 'Deployment: ReadWriteOnce claim with RollingUpdate',
    description: 'Each new pod starts before the old one stops and cannot attach the volume (an unsafe fix)',
    fileName: 'wiki-deployment.yaml',
    text: rwoRollout,
  },
  {
    id: 'blank',
    title: 'Blank StatefulSet',
    description: 'A StatefulSet with a headless Service and one claim template',
    fileName: 'statefulset.yaml',
    text: blank,
  },
];
