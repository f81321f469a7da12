'use strict';
// The seed in JavaScript: the PVC's spec passed where a PVC is expected. (TypeScript refuses
// this program: a PersistentVolumeClaimSpec has no property in common with a
// PersistentVolumeClaim. Plain JavaScript, or an `any`, lets it through.)
const k8s = require('@pulumi/kubernetes');

const pvc = new k8s.core.v1.PersistentVolumeClaim('example-pvc', {
  metadata: { name: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

const sts = new k8s.apps.v1.StatefulSet('example-statefulset', {
  spec: {
    serviceName: 'example',
    replicas: 3,
    selector: { matchLabels: { app: 'example' } },
    template: {
      metadata: { labels: { app: 'example' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.14.2',
            ports: [{ containerPort: 80, name: 'web' }],
            volumeMounts: [{ mountPath: '/usr/share/nginx/html', name: 'data' }],
          },
        ],
      },
    },
    volumeClaimTemplates: [pvc.spec],
  },
});

module.exports = { resources: [pvc, sts] };
