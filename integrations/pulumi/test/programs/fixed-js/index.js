'use strict';
// The seed, corrected: a headless Service, and a claim template that is a PVC with a name.
const k8s = require('@pulumi/kubernetes');

const labels = { app: 'example' };
const svc = new k8s.core.v1.Service('example', {
  metadata: { name: 'example' },
  spec: { clusterIP: 'None', selector: labels, ports: [{ port: 80, name: 'web' }] },
});

const sts = new k8s.apps.v1.StatefulSet('example-statefulset', {
  spec: {
    serviceName: svc.metadata.name,
    replicas: 3,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
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
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ],
  },
});

module.exports = { resources: [svc, sts] };
