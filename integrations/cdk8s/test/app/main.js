'use strict';
// A small cdk8s app: a headless Service and a StatefulSet (cdk8s-plus-33) whose claim template
// is added with cdk8s's escape hatch, since cdk8s-plus has no API for claim templates.
// CLAIMCHECK_APP=broken passes the spec of a PersistentVolumeClaim construct as the claim
// template (cdk8s-team/cdk8s#140) and mounts a misspelt volume name; the default is correct.
const { App, Chart, JsonPatch } = require('cdk8s');
const kplus = require('cdk8s-plus-33');

const broken = process.env.CLAIMCHECK_APP === 'broken';
const app = new App();
const chart = new Chart(app, 'web');

const service = new kplus.Service(chart, 'svc', {
  metadata: { name: 'web' },
  clusterIP: 'None',
  ports: [{ port: 80, name: 'web' }],
});
const sts = new kplus.StatefulSet(chart, 'sts', {
  metadata: { name: 'web' },
  service,
  replicas: 3,
  containers: [{ name: 'nginx', image: 'nginx:1.27', portNumber: 80, securityContext: { ensureNonRoot: false } }],
});

// quantities as cdk8s-plus's own imports write them (cdk8s writes a plain string as null there)
const { Quantity } = require('cdk8s-plus-33/lib/imports/k8s');
const claimSpec = {
  accessModes: ['ReadWriteOnce'],
  resources: { requests: { storage: Quantity.fromString('1Gi') } },
};
if (broken) {
  const pvc = new kplus.PersistentVolumeClaim(chart, 'data', {
    metadata: { name: 'data' },
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
    storage: require('cdk8s').Size.gibibytes(1),
  });
  sts.apiObject.addJsonPatch(
    JsonPatch.add('/spec/volumeClaimTemplates', [pvc.apiObject.toJson().spec]),
    JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [{ name: 'dta', mountPath: '/usr/share/nginx/html' }]),
  );
} else {
  sts.apiObject.addJsonPatch(
    JsonPatch.add('/spec/volumeClaimTemplates', [{ metadata: { name: 'data' }, spec: claimSpec }]),
    JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [{ name: 'data', mountPath: '/usr/share/nginx/html' }]),
  );
}

app.synth();
