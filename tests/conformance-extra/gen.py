#!/usr/bin/env python3
"""Writes cases.jsonl and cases/<id>.yaml of the redteam conformance-extra set.

The verdicts are OURS: derived by reading Kubernetes 1.32's API-server code (see README.md),
not produced by running an API server.
"""
import copy, json, os, yaml

HERE = os.path.dirname(os.path.abspath(__file__))

class D(yaml.SafeDumper):
    pass

import re
# Strings that some reader (PyYAML's YAML 1.1, kubectl's yaml.v2, a YAML 1.2 parser) would take
# for a number, boolean or null are quoted, so every reader sees the same string.
_AMBIGUOUS = re.compile(r'^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?'
                        r'|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)'
                        r'|(?i:y|n|yes|no|on|off|true|false|null)|~)$')

def _str(dumper, s):
    style = "'" if _AMBIGUOUS.match(s) else None
    return dumper.represent_scalar('tag:yaml.org,2002:str', s, style=style)
D.add_representer(str, _str)

def dump(obj):
    return yaml.dump(obj, Dumper=D, sort_keys=False, default_flow_style=False, width=200)

LABELS = {'app': 'web'}

def wrap(kind, spec, name=None, meta=None, extra=None):
    """Builds a manifest of `kind` around pod spec `spec`; returns (doc, prefix of the pod spec)."""
    spec = copy.deepcopy(spec)
    md = {'name': name or 'web', 'namespace': 'prod'}
    if meta: md.update(meta)
    if kind in ('Deployment', 'ReplicaSet', 'DaemonSet'):
        s = {}
        if kind != 'DaemonSet': s['replicas'] = 2
        s['selector'] = {'matchLabels': dict(LABELS)}
        s['template'] = {'metadata': {'labels': dict(LABELS)}, 'spec': spec}
        doc = {'apiVersion': 'apps/v1', 'kind': kind, 'metadata': md, 'spec': s}
        pre = '/spec/template/spec'
    elif kind == 'ReplicationController':
        doc = {'apiVersion': 'v1', 'kind': kind, 'metadata': md,
               'spec': {'replicas': 1, 'selector': dict(LABELS),
                        'template': {'metadata': {'labels': dict(LABELS)}, 'spec': spec}}}
        pre = '/spec/template/spec'
    elif kind == 'Job':
        spec.setdefault('restartPolicy', 'Never')
        doc = {'apiVersion': 'batch/v1', 'kind': kind, 'metadata': md,
               'spec': {'backoffLimit': 2, 'template': {'spec': spec}}}
        pre = '/spec/template/spec'
    elif kind == 'CronJob':
        spec.setdefault('restartPolicy', 'OnFailure')
        doc = {'apiVersion': 'batch/v1', 'kind': kind, 'metadata': md,
               'spec': {'schedule': '15 3 * * *', 'concurrencyPolicy': 'Forbid',
                        'jobTemplate': {'spec': {'template': {'spec': spec}}}}}
        pre = '/spec/jobTemplate/spec/template/spec'
    elif kind == 'Pod':
        doc = {'apiVersion': 'v1', 'kind': kind, 'metadata': md, 'spec': spec}
        pre = '/spec'
    elif kind == 'PodTemplate':
        doc = {'apiVersion': 'v1', 'kind': kind, 'metadata': md,
               'template': {'metadata': {'labels': dict(LABELS)}, 'spec': spec}}
        pre = '/template/spec'
    else:
        raise ValueError(kind)
    if extra: extra(doc)
    return doc, pre

def ctr(name='app', image='registry.example.com/app:1.4.2', mounts=None, devices=None, **kw):
    c = {'name': name, 'image': image}
    c.update(kw)
    if mounts is not None: c['volumeMounts'] = mounts
    if devices is not None: c['volumeDevices'] = devices
    return c

def m(name, path, **kw):
    d = {'name': name, 'mountPath': path}; d.update(kw); return d

def pvc_vol(name, claim, **kw):
    d = {'claimName': claim}; d.update(kw)
    return {'name': name, 'persistentVolumeClaim': d}

def eph(name, spec=None, meta=None, raw=None):
    if raw is not None:
        return {'name': name, 'ephemeral': raw}
    t = {}
    if meta is not None: t['metadata'] = meta
    if spec is not None: t['spec'] = spec
    return {'name': name, 'ephemeral': {'volumeClaimTemplate': t}}

def eph_spec(storage='10Gi', modes=('ReadWriteOnce',), **kw):
    s = {}
    if modes is not None: s['accessModes'] = list(modes)
    s.update(kw)
    if storage is not None: s['resources'] = {'requests': {'storage': storage}}
    return s

CASES = []

def case(cid, kind, cat, desc, spec=None, errs=(), name=None, meta=None, extra=None, doc=None, style='block'):
    """errs: (pointer, type, source); a pointer starting with '@' is relative to the pod spec."""
    if doc is None:
        doc, pre = wrap(kind, spec, name=name, meta=meta, extra=extra)
    else:
        pre = ''
    out = []
    for p, t, s in errs:
        ptr = pre + p[1:] if p.startswith('@') else p
        out.append({'pointer': ptr, 'type': t, 'source': s, 'detail': '', 'oracleField': ''})
    text = doc if isinstance(doc, str) else dump(doc)
    CASES.append({'id': cid, 'category': cat, 'description': desc, 'kind': kind, 'operation': 'create',
                  'yaml': text, 'oldYaml': None,
                  'expected': {'accepted': not out, 'podsCreatable': None, 'errors': out, 'warnings': []},
                  'yamlStyle': style})

NF = 'FieldValueNotFound'; REQ = 'FieldValueRequired'; INV = 'FieldValueInvalid'; FORB = 'FieldValueForbidden'
NS = 'FieldValueNotSupported'; DUP = 'FieldValueDuplicate'; UNK = 'UnknownField'; DEC = 'DecodeError'
API = 'apiserver'; SD = 'strict-decode'; DC = 'decode'

def nf(ci=0, mi=0, init=False):
    return ('@/%s/%d/volumeMounts/%d/name' % ('initContainers' if init else 'containers', ci, mi), NF, API)

# ---------------------------------------------------------------- mount names
case('x-deploy-mount-case-001', 'Deployment', 'mount-name', "volumeMount 'Data' while the volume is 'data'",
     {'containers': [ctr(mounts=[m('Data', '/var/lib/app')])], 'volumes': [pvc_vol('data', 'web-data')]},
     [nf()])
case('x-ds-init-mount-001', 'DaemonSet', 'mount-name', "init container mounts 'config' while the configMap volume is 'conf'",
     {'initContainers': [ctr('setup', mounts=[m('config', '/etc/app')])],
      'containers': [ctr(mounts=[m('conf', '/etc/app')])],
      'volumes': [{'name': 'conf', 'configMap': {'name': 'agent-config'}}]},
     [nf(init=True)])
case('x-job-mount-empty-name-001', 'Job', 'mount-name', "volumeMount with name ''",
     {'containers': [ctr(mounts=[m('', '/scratch')])], 'volumes': [{'name': 'scratch', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/0/name', REQ, API), nf()])
case('x-pod-mount-trailing-space-001', 'Pod', 'mount-name', "volumeMount name 'data ' with a trailing space",
     {'containers': [ctr(mounts=[m('data ', '/data')])], 'volumes': [pvc_vol('data', 'toolbox-data')]},
     [nf()])
case('x-cj-second-container-001', 'CronJob', 'mount-name', "sidecar mounts 'report' while the volume is 'reports'",
     {'containers': [ctr('dump', mounts=[m('reports', '/out')]), ctr('upload', image='amazon/aws-cli:2.17.0', mounts=[m('report', '/out')])],
      'volumes': [{'name': 'reports', 'emptyDir': {}}]},
     [nf(ci=1)])
case('x-podtemplate-mount-001', 'PodTemplate', 'mount-name', "PodTemplate mounting 'cache' while the volume is 'caches'",
     {'containers': [ctr(mounts=[m('cache', '/cache')])], 'volumes': [{'name': 'caches', 'emptyDir': {}}]},
     [nf()])
case('x-rc-defaulted-volume-001', 'ReplicationController', 'volume-source', "volume 'scratch' with only a name, mounted at /scratch",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [{'name': 'scratch'}]})
case('x-deploy-defaulted-volume-001', 'Deployment', 'volume-source', "volume 'tmp' with only a name beside a PVC volume",
     {'containers': [ctr(mounts=[m('tmp', '/tmp'), m('data', '/data')])], 'volumes': [{'name': 'tmp'}, pvc_vol('data', 'web-data')]})
case('x-rc-source-case-001', 'ReplicationController', 'key-typo', "volume source key 'emptyDIr'",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [{'name': 'scratch', 'emptyDIr': {}}]},
     [('@/volumes/0/emptyDIr', UNK, SD)])
case('x-pod-mount-matches-claimname-001', 'Pod', 'mount-name', "volumeMount uses the claim name 'pg-data-0' instead of the volume name 'pgdata'",
     {'containers': [ctr(mounts=[m('pg-data-0', '/var/lib/postgresql/data')])], 'volumes': [pvc_vol('pgdata', 'pg-data-0')]},
     [nf()])

# ---------------------------------------------------------------- ephemeral containers
case('x-pod-ephemeral-containers-001', 'Pod', 'multi-defect', "Pod created with an ephemeralContainers entry (debugger)",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}],
      'ephemeralContainers': [{'name': 'debugger', 'image': 'busybox:1.36', 'targetContainerName': 'app'}]},
     [('@/ephemeralContainers', FORB, API)])
case('x-deploy-ephemeral-containers-001', 'Deployment', 'multi-defect', "Deployment template with an ephemeralContainers entry",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}],
      'ephemeralContainers': [{'name': 'debugger', 'image': 'busybox:1.36', 'volumeMounts': [m('data', '/data')]}]},
     [('@/ephemeralContainers', FORB, API)])

# ---------------------------------------------------------------- volume devices
case('x-pod-device-no-path-001', 'Pod', 'volume-devices', "volumeDevice without devicePath",
     {'containers': [ctr(devices=[{'name': 'raw'}])], 'volumes': [pvc_vol('raw', 'raw-block')]},
     [('@/containers/0/volumeDevices/0/devicePath', REQ, API)])
case('x-deploy-device-ephemeral-001', 'Deployment', 'volume-devices', "ephemeral Block volume attached as /dev/xvdf",
     {'containers': [ctr(devices=[{'name': 'blk', 'devicePath': '/dev/xvdf'}])],
      'volumes': [eph('blk', eph_spec('20Gi', volumeMode='Block', storageClassName='ebs-gp3'))]})
case('x-ds-device-csi-001', 'DaemonSet', 'volume-devices', "inline csi volume listed under volumeDevices",
     {'containers': [ctr(devices=[{'name': 'secrets', 'devicePath': '/dev/sec'}])],
      'volumes': [{'name': 'secrets', 'csi': {'driver': 'secrets-store.csi.k8s.io', 'readOnly': True}}]},
     [('@/containers/0/volumeDevices/0/name', INV, API)])
case('x-job-device-init-mount-main-001', 'Job', 'volume-devices', "init container attaches the claim as a device, the main container mounts it",
     {'initContainers': [ctr('wipe', image='busybox:1.36', devices=[{'name': 'disk', 'devicePath': '/dev/xvdb'}])],
      'containers': [ctr(mounts=[m('disk', '/data')])], 'volumes': [pvc_vol('disk', 'scratch-disk')]})
case('x-rs-device-relative-001', 'ReplicaSet', 'volume-devices', "volumeDevice devicePath 'xvdb' without /dev/",
     {'containers': [ctr(devices=[{'name': 'raw', 'devicePath': 'xvdb'}])], 'volumes': [pvc_vol('raw', 'raw-block')]})
case('x-pod-device-path-of-other-mount-001', 'Pod', 'volume-devices', "devicePath /data in one container, mountPath /data in another",
     {'containers': [ctr('a', devices=[{'name': 'raw', 'devicePath': '/data'}]), ctr('b', mounts=[m('cache', '/data')])],
      'volumes': [pvc_vol('raw', 'raw-block'), {'name': 'cache', 'emptyDir': {}}]})
case('x-cj-device-mountpath-clash-001', 'CronJob', 'volume-devices', "devicePath equal to the mountPath of another volume in the same container",
     {'containers': [ctr(mounts=[m('work', '/dev/xvdc')], devices=[{'name': 'raw', 'devicePath': '/dev/xvdc'}])],
      'volumes': [{'name': 'work', 'emptyDir': {}}, pvc_vol('raw', 'raw-block')]},
     [('@/containers/0/volumeMounts/0/mountPath', INV, API), ('@/containers/0/volumeDevices/0/devicePath', INV, API)])

# ---------------------------------------------------------------- mount paths
case('x-deploy-mountpath-relative-001', 'Deployment', 'mount-path', "mountPath 'data' (relative)",
     {'containers': [ctr(mounts=[m('data', 'data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]})
case('x-pod-mountpath-dotdot-001', 'Pod', 'mount-path', "mountPath '/srv/../data'",
     {'containers': [ctr(mounts=[m('data', '/srv/../data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]})
case('x-job-mountpath-init-and-main-001', 'Job', 'mount-path', "init container and main container mount different volumes at /work",
     {'initContainers': [ctr('fetch', image='alpine/git:2.45.2', mounts=[m('src', '/work')])],
      'containers': [ctr(mounts=[m('out', '/work')])],
      'volumes': [{'name': 'src', 'emptyDir': {}}, {'name': 'out', 'emptyDir': {}}]})
case('x-ds-mountpath-dup-readonly-001', 'DaemonSet', 'duplicate', "two mounts at /var/log in one container, one readOnly",
     {'containers': [ctr(mounts=[m('varlog', '/var/log', readOnly=True), m('buffer', '/var/log')])],
      'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log'}}, {'name': 'buffer', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/1/mountPath', INV, API)])
case('x-pod-mountpath-double-slash-001', 'Pod', 'mount-path', "mountPaths '/data' and '//data' in one container",
     {'containers': [ctr(mounts=[m('a', '/data'), m('b', '//data')])], 'volumes': [{'name': 'a', 'emptyDir': {}}, {'name': 'b', 'emptyDir': {}}]})
case('x-rs-mountpath-dup-first-container-001', 'ReplicaSet', 'duplicate', "first container mounts two volumes at /cache; second container is fine",
     {'containers': [ctr(mounts=[m('a', '/cache'), m('b', '/cache')]), ctr('side', mounts=[m('a', '/cache')])],
      'volumes': [{'name': 'a', 'emptyDir': {}}, {'name': 'b', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/1/mountPath', INV, API)])
case('x-ds-same-path-two-containers-001', 'DaemonSet', 'duplicate', "two containers each mount the same hostPath at /var/log",
     {'containers': [ctr(mounts=[m('varlog', '/var/log')]), ctr('side', mounts=[m('varlog', '/var/log', readOnly=True)])],
      'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log', 'type': 'Directory'}}]})

# ---------------------------------------------------------------- subPath
case('x-deploy-subpath-dot-001', 'Deployment', 'subpath', "subPath './nginx.conf'",
     {'containers': [ctr(mounts=[m('conf', '/etc/nginx/nginx.conf', subPath='./nginx.conf')])], 'volumes': [{'name': 'conf', 'configMap': {'name': 'nginx'}}]})
case('x-job-subpath-middle-dotdot-001', 'Job', 'subpath', "subPath 'in/../out'",
     {'containers': [ctr(mounts=[m('work', '/out', subPath='in/../out')])], 'volumes': [{'name': 'work', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/0/subPath', INV, API)])
case('x-pod-subpath-dotdot-prefix-001', 'Pod', 'subpath', "subPath '..data' (a name starting with two dots)",
     {'containers': [ctr(mounts=[m('conf', '/etc/app/data', subPath='..data')])], 'volumes': [{'name': 'conf', 'configMap': {'name': 'app'}}]})
case('x-cj-subpathexpr-absolute-001', 'CronJob', 'subpath', "subPathExpr '/$(POD_NAME)'",
     {'containers': [ctr(mounts=[m('out', '/out', subPathExpr='/$(POD_NAME)')],
                         env=[{'name': 'POD_NAME', 'valueFrom': {'fieldRef': {'fieldPath': 'metadata.name'}}}])],
      'volumes': [pvc_vol('out', 'reports')]},
     [('@/containers/0/volumeMounts/0/subPathExpr', INV, API)])
case('x-rs-subpath-empty-001', 'ReplicaSet', 'subpath', "subPath '' written out",
     {'containers': [ctr(mounts=[m('data', '/data', subPath='')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]})
case('x-deploy-subpath-trailing-dotdot-001', 'Deployment', 'subpath', "subPath 'logs/..'",
     {'containers': [ctr(mounts=[m('data', '/logs', subPath='logs/..')])], 'volumes': [pvc_vol('data', 'web-data')]},
     [('@/containers/0/volumeMounts/0/subPath', INV, API)])
case('x-pod-subpath-secret-001', 'Pod', 'subpath', "subPath 'tls.crt' on a secret volume, readOnly",
     {'containers': [ctr(mounts=[m('tls', '/etc/tls/tls.crt', subPath='tls.crt', readOnly=True)])], 'volumes': [{'name': 'tls', 'secret': {'secretName': 'web-tls'}}]})
case('x-ds-subpathexpr-dotdot-001', 'DaemonSet', 'subpath', "subPathExpr '$(NODE_NAME)/..'",
     {'containers': [ctr(mounts=[m('state', '/state', subPathExpr='$(NODE_NAME)/..')],
                         env=[{'name': 'NODE_NAME', 'valueFrom': {'fieldRef': {'fieldPath': 'spec.nodeName'}}}])],
      'volumes': [{'name': 'state', 'hostPath': {'path': '/var/lib/agent', 'type': 'DirectoryOrCreate'}}]},
     [('@/containers/0/volumeMounts/0/subPathExpr', INV, API)])

# ---------------------------------------------------------------- duplicates
case('x-deploy-dup-volume-pvc-001', 'Deployment', 'duplicate', "two PVC volumes named 'data' (different claims)",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'web-data'), pvc_vol('data', 'web-data-old')]},
     [('@/volumes/1/name', DUP, API)])
case('x-job-dup-container-name-001', 'Job', 'duplicate', "init container and container both named 'migrate'",
     {'initContainers': [ctr('migrate', mounts=[m('sql', '/sql')])], 'containers': [ctr('migrate', mounts=[m('sql', '/sql')])],
      'volumes': [{'name': 'sql', 'configMap': {'name': 'migrations'}}]},
     [('@/initContainers/0/name', DUP, API)])
case('x-pod-dup-volume-three-001', 'Pod', 'duplicate', "three volumes, the first and third named 'scratch'",
     {'containers': [ctr(mounts=[m('scratch', '/scratch'), m('cfg', '/etc/cfg')])],
      'volumes': [{'name': 'scratch', 'emptyDir': {}}, {'name': 'cfg', 'configMap': {'name': 'cfg'}}, {'name': 'scratch', 'emptyDir': {'medium': 'Memory'}}]},
     [('@/volumes/2/name', DUP, API)])

# ---------------------------------------------------------------- PVC volumes
case('x-deploy-claimname-empty-001', 'Deployment', 'pvc-volume', "persistentVolumeClaim claimName ''",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', '')]},
     [('@/volumes/0/persistentVolumeClaim/claimName', REQ, API), nf()])
case('x-pod-claim-of-own-ephemeral-001', 'Pod', 'pvc-volume', "Pod 'builder' has ephemeral volume 'cache' and a PVC volume naming claim 'builder-cache'",
     {'containers': [ctr(mounts=[m('cache', '/cache'), m('old', '/old')])],
      'volumes': [eph('cache', eph_spec('5Gi')), pvc_vol('old', 'builder-cache')]},
     [('@/volumes/1/persistentVolumeClaim/claimName', INV, API)], name='builder')
case('x-deploy-claim-of-ephemeral-name-001', 'Deployment', 'pvc-volume', "template with ephemeral volume 'cache' and a PVC volume naming claim 'web-cache'",
     {'containers': [ctr(mounts=[m('cache', '/cache'), m('old', '/old')])],
      'volumes': [eph('cache', eph_spec('5Gi')), pvc_vol('old', 'web-cache')]})
case('x-rs-claimname-underscore-001', 'ReplicaSet', 'pvc-volume', "claimName 'data_pvc' with an underscore",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'data_pvc')]})
case('x-job-pvc-readonly-string-001', 'Job', 'pvc-volume', "persistentVolumeClaim readOnly written as the string 'true'",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets', readOnly='true')]},
     [('@/volumes/0/persistentVolumeClaim/readOnly', DEC, DC)])
case('x-cj-pvc-extra-key-001', 'CronJob', 'key-typo', "persistentVolumeClaim volume carrying storageClassName",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'backups', storageClassName='fast')]},
     [('@/volumes/0/persistentVolumeClaim/storageClassName', UNK, SD)])
case('x-pod-pvc-readonly-mount-rw-001', 'Pod', 'pvc-volume', "persistentVolumeClaim readOnly true with a mount not marked readOnly",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets', readOnly=True)]})
case('x-ds-pvc-001', 'DaemonSet', 'pvc-volume', "DaemonSet mounting persistentVolumeClaim 'shared-config'",
     {'containers': [ctr(mounts=[m('cfg', '/etc/agent', readOnly=True)])], 'volumes': [pvc_vol('cfg', 'shared-config', readOnly=True)]})
case('x-rc-claimname-uppercase-mount-001', 'ReplicationController', 'pvc-volume', "claimName 'Uploads' and mount 'uploads'",
     {'containers': [ctr(mounts=[m('uploads', '/var/www/uploads')])], 'volumes': [pvc_vol('uploads', 'Uploads')]})

# ---------------------------------------------------------------- generic ephemeral volumes
case('x-deploy-ephemeral-empty-001', 'Deployment', 'ephemeral', "ephemeral: {}",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [eph('scratch', raw={})]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate', REQ, API), nf()])
case('x-job-ephemeral-meta-only-001', 'Job', 'ephemeral', "ephemeral volumeClaimTemplate with labels and no spec",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [eph('scratch', meta={'labels': {'team': 'ml'}})]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/accessModes', REQ, API),
      ('@/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage', REQ, API), nf()])
case('x-pod-ephemeral-readonly-001', 'Pod', 'ephemeral', "ephemeral volume with readOnly: true beside volumeClaimTemplate",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])],
      'volumes': [{'name': 'scratch', 'ephemeral': {'readOnly': True, 'volumeClaimTemplate': {'spec': eph_spec('1Gi')}}}]},
     [('@/volumes/0/ephemeral/readOnly', UNK, SD)])
case('x-rs-ephemeral-labels-annotations-001', 'ReplicaSet', 'ephemeral', "ephemeral template with labels and annotations",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])],
      'volumes': [eph('scratch', eph_spec('2Gi', storageClassName='local-path'), meta={'labels': {'app': 'web'}, 'annotations': {'example.com/owner': 'team-a'}})]})
case('x-cj-ephemeral-finalizers-001', 'CronJob', 'ephemeral', "ephemeral template metadata with finalizers",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])],
      'volumes': [eph('scratch', eph_spec('2Gi'), meta={'finalizers': ['example.com/keep']})]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/metadata/finalizers', FORB, API), nf()])
case('x-ds-ephemeral-rwop-001', 'DaemonSet', 'ephemeral', "ephemeral accessModes [ReadWriteOncePod]",
     {'containers': [ctr(mounts=[m('buf', '/buffer')])], 'volumes': [eph('buf', eph_spec('1Gi', modes=['ReadWriteOncePod']))]})
case('x-deploy-ephemeral-snapshot-core-001', 'Deployment', 'ephemeral', "ephemeral dataSource kind VolumeSnapshot without apiGroup",
     {'containers': [ctr(mounts=[m('seed', '/seed')])],
      'volumes': [eph('seed', eph_spec('10Gi', dataSource={'kind': 'VolumeSnapshot', 'name': 'seed-snap'}))]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/dataSource', INV, API), nf()])
case('x-job-ephemeral-snapshot-ok-001', 'Job', 'ephemeral', "ephemeral dataSource VolumeSnapshot in snapshot.storage.k8s.io",
     {'containers': [ctr(mounts=[m('seed', '/seed')])],
      'volumes': [eph('seed', eph_spec('10Gi', dataSource={'apiGroup': 'snapshot.storage.k8s.io', 'kind': 'VolumeSnapshot', 'name': 'seed-snap'}))]})
case('x-pod-ephemeral-datasource-no-name-001', 'Pod', 'ephemeral', "ephemeral dataSource PersistentVolumeClaim without name",
     {'containers': [ctr(mounts=[m('seed', '/seed')])],
      'volumes': [eph('seed', eph_spec('10Gi', dataSource={'kind': 'PersistentVolumeClaim'}))]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/dataSource/name', REQ, API), nf()])
case('x-ds-ephemeral-fs-as-device-001', 'DaemonSet', 'ephemeral', "ephemeral volume with volumeMode Filesystem listed under volumeDevices",
     {'containers': [ctr(devices=[{'name': 'blk', 'devicePath': '/dev/xvdz'}])], 'volumes': [eph('blk', eph_spec('4Gi', volumeMode='Filesystem'))]})
case('x-job-ephemeral-class-empty-001', 'Job', 'ephemeral', "ephemeral storageClassName ''",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [eph('scratch', eph_spec('4Gi', storageClassName=''))]})
case('x-pod-ephemeral-rwx-selector-001', 'Pod', 'ephemeral', "ephemeral ReadWriteMany with a selector",
     {'containers': [ctr(mounts=[m('shared', '/shared')])],
      'volumes': [eph('shared', eph_spec('4Gi', modes=['ReadWriteMany'], selector={'matchLabels': {'tier': 'nfs'}}))]})
case('x-cj-ephemeral-modes-string-001', 'CronJob', 'ephemeral', "ephemeral accessModes written as a string, not a list",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])],
      'volumes': [{'name': 'scratch', 'ephemeral': {'volumeClaimTemplate': {'spec': {'accessModes': 'ReadWriteOnce', 'resources': {'requests': {'storage': '1Gi'}}}}}}]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/accessModes', DEC, DC)])
case('x-rc-ephemeral-template-name-001', 'ReplicationController', 'ephemeral', "ephemeral template metadata.name and storageClassName 'gp3'",
     {'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [eph('scratch', eph_spec('1Gi', storageClassName='gp3'), meta={'name': 'scratch'})]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/metadata/name', FORB, API), nf()])
case('x-pod-ephemeral-long-claim-name-001', 'Pod', 'ephemeral', "Pod named with 200 characters and an ephemeral volume named with 60",
     {'containers': [ctr(mounts=[m('v' * 60, '/scratch')])], 'volumes': [eph('v' * 60, eph_spec('1Gi'))]},
     [('@/volumes/0/name', INV, API), nf()], name='p' * 200)
case('x-deploy-ephemeral-long-name-template-001', 'Deployment', 'ephemeral', "Deployment named with 200 characters and an ephemeral volume named with 60",
     {'containers': [ctr(mounts=[m('v' * 60, '/scratch')])], 'volumes': [eph('v' * 60, eph_spec('1Gi'))]}, name='d' * 200)

# ---------------------------------------------------------------- quantities
case('x-job-ephemeral-leading-space-001', 'Job', 'quantity', "ephemeral storage ' 10Gi' (leading space)",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec(' 10Gi'))]})
case('x-pod-ephemeral-plus-001', 'Pod', 'quantity', "ephemeral storage '+5Gi'",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('+5Gi'))]})
case('x-cj-ephemeral-lower-gi-001', 'CronJob', 'quantity', "ephemeral storage '5gi'",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('5gi'))]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage', DEC, DC)])
case('x-rs-ephemeral-exp-001', 'ReplicaSet', 'quantity', "ephemeral storage '1e3'",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('1e3'))]})
case('x-deploy-ephemeral-fraction-001', 'Deployment', 'quantity', "ephemeral storage '1.5' (no unit)",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('1.5'))]})
case('x-deploy-sizelimit-upper-k-001', 'Deployment', 'quantity', "emptyDir sizeLimit '512K'",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizeLimit': '512K'}}]},
     [('@/volumes/0/emptyDir/sizeLimit', DEC, DC)])
case('x-pod-sizelimit-negative-001', 'Pod', 'quantity', "emptyDir sizeLimit '-1Gi'",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizeLimit': '-1Gi'}}]},
     [('@/volumes/0/emptyDir/sizeLimit', FORB, API), nf()])
case('x-job-sizelimit-zero-001', 'Job', 'quantity', "emptyDir sizeLimit 0",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizeLimit': 0}}]})
case('x-ds-sizelimit-milli-001', 'DaemonSet', 'quantity', "emptyDir sizeLimit '500m'",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizeLimit': '500m'}}]})
case('x-rs-limit-trailing-space-001', 'ReplicaSet', 'quantity', "container memory limit '1Gi ' (trailing space)",
     {'containers': [ctr(resources={'limits': {'memory': '1Gi '}})]})
case('x-rc-container-storage-request-001', 'ReplicationController', 'quantity', "container resources.requests.storage '1Gi'",
     {'containers': [ctr(resources={'requests': {'cpu': '100m', 'storage': '1Gi'}})]},
     [('@/containers/0/resources/requests/storage', INV, API)])
case('x-cj-ephemeral-number-001', 'CronJob', 'quantity', "ephemeral storage as the number 1073741824",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec(1073741824))]})
case('x-pod-sizelimit-memory-medium-001', 'Pod', 'quantity', "emptyDir medium Memory with sizeLimit '1.5Gi'",
     {'containers': [ctr(mounts=[m('shm', '/dev/shm')])], 'volumes': [{'name': 'shm', 'emptyDir': {'medium': 'Memory', 'sizeLimit': '1.5Gi'}}]})
case('x-job-ephemeral-storage-limit-eq-001', 'Job', 'quantity', "container ephemeral-storage request '2Gi' and limit '2048Mi'",
     {'containers': [ctr(resources={'requests': {'ephemeral-storage': '2Gi'}, 'limits': {'ephemeral-storage': '2048Mi'}})]})
case('x-deploy-ephemeral-storage-bytes-vs-gi-001', 'Deployment', 'quantity', "container ephemeral-storage request '2G' and limit '2Gi'",
     {'containers': [ctr(resources={'requests': {'ephemeral-storage': '2G'}, 'limits': {'ephemeral-storage': '2Gi'}})]})
case('x-ds-ephemeral-storage-req-above-001', 'DaemonSet', 'quantity', "container ephemeral-storage request '2Gi' and limit '2G'",
     {'containers': [ctr(resources={'requests': {'ephemeral-storage': '2Gi'}, 'limits': {'ephemeral-storage': '2G'}})]},
     [('@/containers/0/resources/requests/ephemeral-storage', INV, API)])
case('x-pod-ephemeral-zero-decimal-001', 'Pod', 'quantity', "ephemeral storage '0.0Gi'",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('0.0Gi'))]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage', INV, API), nf()])

# ---------------------------------------------------------------- volume sources
case('x-deploy-two-sources-001', 'Deployment', 'volume-source', "volume with both emptyDir and configMap",
     {'containers': [ctr(mounts=[m('cfg', '/etc/app')])], 'volumes': [{'name': 'cfg', 'emptyDir': {}, 'configMap': {'name': 'app'}}]},
     [('@/volumes/0/configMap', FORB, API), nf()])
case('x-ds-hostpath-type-lower-001', 'DaemonSet', 'volume-source', "hostPath type 'directory' (lower case)",
     {'containers': [ctr(mounts=[m('varlog', '/var/log')])], 'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log', 'type': 'directory'}}]},
     [('@/volumes/0/hostPath/type', NS, API), nf()])
case('x-ds-hostpath-dotdot-001', 'DaemonSet', 'volume-source', "hostPath path '/var/log/../lib'",
     {'containers': [ctr(mounts=[m('host', '/host')])], 'volumes': [{'name': 'host', 'hostPath': {'path': '/var/log/../lib'}}]},
     [('@/volumes/0/hostPath/path', INV, API), nf()])
case('x-ds-hostpath-relative-001', 'DaemonSet', 'volume-source', "hostPath path 'var/log' (relative)",
     {'containers': [ctr(mounts=[m('host', '/host')])], 'volumes': [{'name': 'host', 'hostPath': {'path': 'var/log'}}]})
case('x-ds-hostpath-socket-001', 'DaemonSet', 'volume-source', "hostPath type Socket for the containerd socket",
     {'containers': [ctr(mounts=[m('sock', '/run/containerd/containerd.sock')])],
      'volumes': [{'name': 'sock', 'hostPath': {'path': '/run/containerd/containerd.sock', 'type': 'Socket'}}]})
case('x-pod-nfs-no-server-001', 'Pod', 'volume-source', "nfs volume without server",
     {'containers': [ctr(mounts=[m('share', '/share')])], 'volumes': [{'name': 'share', 'nfs': {'path': '/exports/share'}}]},
     [('@/volumes/0/nfs/server', REQ, API), nf()])
case('x-rc-nfs-relative-001', 'ReplicationController', 'volume-source', "nfs path 'exports/data' (relative)",
     {'containers': [ctr(mounts=[m('share', '/share')])], 'volumes': [{'name': 'share', 'nfs': {'server': 'nfs.example.com', 'path': 'exports/data'}}]},
     [('@/volumes/0/nfs/path', INV, API), nf()])
case('x-job-csi-no-driver-001', 'Job', 'volume-source', "inline csi volume without driver",
     {'containers': [ctr(mounts=[m('sec', '/mnt/secrets')])], 'volumes': [{'name': 'sec', 'csi': {'readOnly': True, 'volumeAttributes': {'secretProviderClass': 'app'}}}]},
     [('@/volumes/0/csi/driver', REQ, API), nf()])
case('x-ds-csi-secretref-empty-001', 'DaemonSet', 'volume-source', "inline csi volume with nodePublishSecretRef {}",
     {'containers': [ctr(mounts=[m('sec', '/mnt/secrets')])],
      'volumes': [{'name': 'sec', 'csi': {'driver': 'secrets-store.csi.k8s.io', 'nodePublishSecretRef': {}}}]},
     [('@/volumes/0/csi/nodePublishSecretRef/name', REQ, API), nf()])
case('x-deploy-csi-ok-001', 'Deployment', 'volume-source', "inline csi secrets-store volume",
     {'containers': [ctr(mounts=[m('sec', '/mnt/secrets', readOnly=True)])],
      'volumes': [{'name': 'sec', 'csi': {'driver': 'secrets-store.csi.k8s.io', 'readOnly': True, 'volumeAttributes': {'secretProviderClass': 'web'}}}]})
case('x-pod-iscsi-no-iqn-001', 'Pod', 'volume-source', "iscsi volume without iqn",
     {'containers': [ctr(mounts=[m('lun', '/data')])], 'volumes': [{'name': 'lun', 'iscsi': {'targetPortal': '10.0.0.10:3260', 'lun': 0, 'fsType': 'ext4'}}]},
     [('@/volumes/0/iscsi/iqn', REQ, API), nf()])
case('x-rs-iscsi-lun-001', 'ReplicaSet', 'volume-source', "iscsi lun 300",
     {'containers': [ctr(mounts=[m('lun', '/data')])],
      'volumes': [{'name': 'lun', 'iscsi': {'targetPortal': '10.0.0.10:3260', 'iqn': 'iqn.2001-04.com.example:storage.disk1', 'lun': 300}}]},
     [('@/volumes/0/iscsi/lun', INV, API), nf()])
case('x-deploy-configmap-no-name-001', 'Deployment', 'volume-source', "configMap volume without name",
     {'containers': [ctr(mounts=[m('cfg', '/etc/app')])], 'volumes': [{'name': 'cfg', 'configMap': {'optional': True}}]},
     [('@/volumes/0/configMap/name', REQ, API), nf()])
case('x-rs-items-no-key-001', 'ReplicaSet', 'volume-source', "configMap items entry without key",
     {'containers': [ctr(mounts=[m('cfg', '/etc/app')])], 'volumes': [{'name': 'cfg', 'configMap': {'name': 'app', 'items': [{'path': 'app.conf'}]}}]},
     [('@/volumes/0/configMap/items/0/key', REQ, API), nf()])
case('x-job-items-dotdot-prefix-001', 'Job', 'volume-source', "configMap items path '..data/app.conf'",
     {'containers': [ctr(mounts=[m('cfg', '/etc/app')])], 'volumes': [{'name': 'cfg', 'configMap': {'name': 'app', 'items': [{'key': 'app.conf', 'path': '..data/app.conf'}]}}]},
     [('@/volumes/0/configMap/items/0/path', INV, API), nf()])
case('x-cj-items-dup-paths-001', 'CronJob', 'volume-source', "configMap items mapping two keys to the same path",
     {'containers': [ctr(mounts=[m('cfg', '/etc/app')])],
      'volumes': [{'name': 'cfg', 'configMap': {'name': 'app', 'items': [{'key': 'a', 'path': 'app.conf'}, {'key': 'b', 'path': 'app.conf'}]}}]})
case('x-deploy-secret-mode-511-001', 'Deployment', 'volume-source', "secret defaultMode 511",
     {'containers': [ctr(mounts=[m('tls', '/etc/tls')])], 'volumes': [{'name': 'tls', 'secret': {'secretName': 'tls', 'defaultMode': 511}}]})
case('x-pod-secret-mode-512-001', 'Pod', 'volume-source', "secret defaultMode 512",
     {'containers': [ctr(mounts=[m('tls', '/etc/tls')])], 'volumes': [{'name': 'tls', 'secret': {'secretName': 'tls', 'defaultMode': 512}}]},
     [('@/volumes/0/secret/defaultMode', INV, API), nf()])
case('x-pod-projected-dup-path-001', 'Pod', 'volume-source', "projected secret and configMap both writing path 'ca.crt'",
     {'containers': [ctr(mounts=[m('certs', '/etc/certs')])],
      'volumes': [{'name': 'certs', 'projected': {'sources': [
          {'secret': {'name': 'tls', 'items': [{'key': 'ca.crt', 'path': 'ca.crt'}]}},
          {'configMap': {'name': 'kube-root-ca.crt', 'items': [{'key': 'ca.crt', 'path': 'ca.crt'}]}}]}}]},
     [('@/volumes/0/projected', INV, API), nf()])
case('x-ds-downward-nodename-001', 'DaemonSet', 'volume-source', "downwardAPI volume item with fieldPath spec.nodeName",
     {'containers': [ctr(mounts=[m('info', '/etc/podinfo')])],
      'volumes': [{'name': 'info', 'downwardAPI': {'items': [{'path': 'node', 'fieldRef': {'fieldPath': 'spec.nodeName'}}]}}]},
     [('@/volumes/0/downwardAPI/items/0/fieldRef/fieldPath', NS, API), nf()])
case('x-deploy-downward-resource-no-container-001', 'Deployment', 'volume-source', "downwardAPI resourceFieldRef limits.memory without containerName",
     {'containers': [ctr(mounts=[m('info', '/etc/podinfo')], resources={'limits': {'memory': '256Mi'}})],
      'volumes': [{'name': 'info', 'downwardAPI': {'items': [{'path': 'mem', 'resourceFieldRef': {'resource': 'limits.memory'}}]}}]},
     [('@/volumes/0/downwardAPI/items/0/resourceFieldRef/containerName', REQ, API), nf()])
case('x-pod-downward-labels-ok-001', 'Pod', 'volume-source', "downwardAPI volume with labels and annotations",
     {'containers': [ctr(mounts=[m('info', '/etc/podinfo')])],
      'volumes': [{'name': 'info', 'downwardAPI': {'items': [{'path': 'labels', 'fieldRef': {'fieldPath': 'metadata.labels'}},
                                                             {'path': 'annotations', 'fieldRef': {'fieldPath': 'metadata.annotations'}}]}}]})
case('x-pod-sa-token-short-001', 'Pod', 'volume-source', "projected serviceAccountToken expirationSeconds 300",
     {'containers': [ctr(mounts=[m('token', '/var/run/secrets/tokens')])],
      'volumes': [{'name': 'token', 'projected': {'sources': [{'serviceAccountToken': {'path': 'token', 'expirationSeconds': 300, 'audience': 'vault'}}]}}]},
     [('@/volumes/0/projected/sources/0/serviceAccountToken/expirationSeconds', INV, API), nf()])
case('x-cj-sa-token-no-path-001', 'CronJob', 'volume-source', "projected serviceAccountToken without path",
     {'containers': [ctr(mounts=[m('token', '/var/run/secrets/tokens')])],
      'volumes': [{'name': 'token', 'projected': {'sources': [{'serviceAccountToken': {'expirationSeconds': 3600}}]}}]},
     [('@/volumes/0/projected/sources/0/serviceAccountToken/path', REQ, API), nf()])
case('x-rs-secret-optional-001', 'ReplicaSet', 'volume-source', "optional secret volume with items",
     {'containers': [ctr(mounts=[m('creds', '/etc/creds', readOnly=True)])],
      'volumes': [{'name': 'creds', 'secret': {'secretName': 'creds', 'optional': True, 'items': [{'key': 'password', 'path': 'db/password', 'mode': 256}]}}]})
case('x-job-volume-readonly-key-001', 'Job', 'key-typo', "volume entry with readOnly: true and no source",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'readOnly': True}]},
     [('@/volumes/0/readOnly', UNK, SD)])
case('x-pod-projected-secret-no-name-001', 'Pod', 'volume-source', "projected secret source without name",
     {'containers': [ctr(mounts=[m('all', '/etc/all')])],
      'volumes': [{'name': 'all', 'projected': {'sources': [{'secret': {'items': [{'key': 'a', 'path': 'a'}]}}]}}]},
     [('@/volumes/0/projected/sources/0/secret/name', REQ, API), nf()])

# ---------------------------------------------------------------- propagation / readOnly
case('x-deploy-bidirectional-001', 'Deployment', 'mount-path', "mountPropagation Bidirectional in a container that is not privileged",
     {'containers': [ctr(mounts=[m('host', '/host', mountPropagation='Bidirectional')])], 'volumes': [{'name': 'host', 'hostPath': {'path': '/mnt'}}]},
     [('@/containers/0/volumeMounts/0/mountPropagation', FORB, API)])
case('x-ds-bidirectional-init-priv-001', 'DaemonSet', 'mount-path', "privileged init container with mountPropagation Bidirectional",
     {'initContainers': [ctr('prep', mounts=[m('host', '/host', mountPropagation='Bidirectional')], securityContext={'privileged': True})],
      'containers': [ctr(mounts=[m('host', '/host', mountPropagation='HostToContainer')])],
      'volumes': [{'name': 'host', 'hostPath': {'path': '/mnt'}}]})
case('x-pod-rro-enabled-001', 'Pod', 'mount-path', "recursiveReadOnly Enabled on a readOnly mount",
     {'containers': [ctr(mounts=[m('data', '/data', readOnly=True, recursiveReadOnly='Enabled')])], 'volumes': [pvc_vol('data', 'datasets')]})
case('x-job-rro-not-readonly-001', 'Job', 'mount-path', "recursiveReadOnly Enabled on a mount without readOnly",
     {'containers': [ctr(mounts=[m('data', '/data', recursiveReadOnly='Enabled')])], 'volumes': [pvc_vol('data', 'datasets')]},
     [('@/containers/0/volumeMounts/0/recursiveReadOnly', FORB, API)])
case('x-cj-rro-propagation-001', 'CronJob', 'mount-path', "recursiveReadOnly IfPossible with mountPropagation HostToContainer",
     {'containers': [ctr(mounts=[m('data', '/data', readOnly=True, recursiveReadOnly='IfPossible', mountPropagation='HostToContainer')])],
      'volumes': [{'name': 'data', 'hostPath': {'path': '/srv/data'}}]},
     [('@/containers/0/volumeMounts/0/recursiveReadOnly', FORB, API)])
case('x-rs-rro-lower-001', 'ReplicaSet', 'mount-path', "recursiveReadOnly 'enabled' (lower case)",
     {'containers': [ctr(mounts=[m('data', '/data', readOnly=True, recursiveReadOnly='enabled')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/0/recursiveReadOnly', NS, API)])
case('x-deploy-readonly-string-001', 'Deployment', 'key-typo', "volumeMount readOnly written as the string 'true'",
     {'containers': [ctr(mounts=[m('data', '/data', readOnly='true')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/0/readOnly', DEC, DC)])
case('x-pod-propagation-none-001', 'Pod', 'mount-path', "mountPropagation None with recursiveReadOnly Disabled",
     {'containers': [ctr(mounts=[m('data', '/data', mountPropagation='None', recursiveReadOnly='Disabled')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]})

# ---------------------------------------------------------------- restartPolicy
case('x-job-no-restart-policy-001', 'Job', 'realistic', "Job template without restartPolicy",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets')]},
     [('@/restartPolicy', NS, API)], extra=lambda d: d['spec']['template']['spec'].pop('restartPolicy'))
case('x-cj-restart-always-001', 'CronJob', 'realistic', "CronJob template restartPolicy Always",
     {'restartPolicy': 'Always', 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'backups')]},
     [('@/restartPolicy', NS, API)])
case('x-deploy-restart-never-001', 'Deployment', 'realistic', "Deployment template restartPolicy Never",
     {'restartPolicy': 'Never', 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/restartPolicy', NS, API)])
case('x-pod-restart-lower-001', 'Pod', 'realistic', "Pod restartPolicy 'never'",
     {'restartPolicy': 'never', 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/restartPolicy', NS, API)])
case('x-job-restart-onfailure-001', 'Job', 'realistic', "Job with restartPolicy OnFailure and a PVC",
     {'restartPolicy': 'OnFailure', 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets')]})
case('x-deploy-active-deadline-001', 'Deployment', 'realistic', "Deployment template with activeDeadlineSeconds",
     {'activeDeadlineSeconds': 600, 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/activeDeadlineSeconds', INV, API)])

# ---------------------------------------------------------------- selectors
def set_sel(v):
    def f(d): d['spec']['selector'] = v
    return f
def drop_sel(d): d['spec'].pop('selector')
BASIC = {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]}
case('x-deploy-selector-mismatch-001', 'Deployment', 'realistic', "selector app=web-frontend, template labels app=web",
     BASIC, [('/spec/template/metadata/labels', INV, API)], extra=set_sel({'matchLabels': {'app': 'web-frontend'}}))
case('x-deploy-no-selector-001', 'Deployment', 'realistic', "Deployment without spec.selector",
     BASIC, [('/spec/selector', REQ, API), ('/spec/template/metadata/labels', INV, API)], extra=drop_sel)
case('x-rs-selector-expressions-001', 'ReplicaSet', 'realistic', "ReplicaSet selecting with matchExpressions",
     BASIC, extra=set_sel({'matchExpressions': [{'key': 'app', 'operator': 'In', 'values': ['web', 'web-canary']}]}))
case('x-ds-selector-mismatch-001', 'DaemonSet', 'realistic', "DaemonSet selector name=agent, template labels app=web",
     BASIC, [('/spec/template/metadata/labels', INV, API)], extra=set_sel({'matchLabels': {'name': 'agent'}}))
case('x-rc-no-selector-001', 'ReplicationController', 'realistic', "ReplicationController without selector",
     BASIC, extra=drop_sel)
case('x-rc-selector-mismatch-001', 'ReplicationController', 'realistic', "ReplicationController selector app=legacy, template labels app=web",
     BASIC, [('/spec/template/metadata/labels', INV, API)], extra=set_sel({'app': 'legacy'}))
def job_sel(d): d['spec']['selector'] = {'matchLabels': {'app': 'web'}}; d['spec']['template']['metadata'] = {'labels': {'app': 'web'}}
case('x-job-selector-no-manual-001', 'Job', 'realistic', "Job with a selector and matching template labels, manualSelector unset",
     BASIC, [('/spec/selector', INV, API)], extra=job_sel)
case('x-deploy-empty-selector-001', 'Deployment', 'realistic', "Deployment with selector {}",
     BASIC, [('/spec/selector', INV, API)], extra=set_sel({}))

# ---------------------------------------------------------------- names
case('x-cj-name-53-001', 'CronJob', 'realistic', "CronJob named with 53 characters",
     BASIC, [('/metadata/name', INV, API)], name='nightly-report-' + 'x' * 38)
case('x-cj-name-52-001', 'CronJob', 'realistic', "CronJob named with 52 characters",
     BASIC, name='nightly-report-' + 'x' * 37)
case('x-job-name-64-001', 'Job', 'realistic', "Job named with 64 characters",
     BASIC, [('/spec/template/metadata/labels', INV, API)], name='backfill-' + 'y' * 55)
case('x-job-name-63-001', 'Job', 'realistic', "Job named with 63 characters",
     BASIC, name='backfill-' + 'y' * 54)
case('x-deploy-name-100-001', 'Deployment', 'realistic', "Deployment named with 100 characters",
     BASIC, name='storefront-' + 'z' * 89)
case('x-pod-name-64-001', 'Pod', 'realistic', "Pod named with 64 characters including dots",
     BASIC, name='toolbox.' + 't' * 56)
case('x-ds-name-upper-001', 'DaemonSet', 'realistic', "DaemonSet named 'Node-Agent'",
     BASIC, [('/metadata/name', INV, API)], name='Node-Agent')
case('x-rs-name-underscore-001', 'ReplicaSet', 'realistic', "ReplicaSet named 'web_1'",
     BASIC, [('/metadata/name', INV, API)], name='web_1')
case('x-podtemplate-name-dots-001', 'PodTemplate', 'realistic', "PodTemplate named 'batch.worker.v2'",
     BASIC, name='batch.worker.v2')
case('x-rc-name-70-001', 'ReplicationController', 'realistic', "ReplicationController named with 70 characters",
     BASIC, name='legacy-' + 'r' * 63)

# ---------------------------------------------------------------- nodeName
case('x-pod-nodename-001', 'Pod', 'realistic', "Pod pinned with nodeName 'worker-1.example.internal'",
     dict(BASIC, nodeName='worker-1.example.internal'))
case('x-pod-nodename-bad-001', 'Pod', 'realistic', "Pod pinned with nodeName 'Worker_1'",
     dict(BASIC, nodeName='Worker_1'), [('@/nodeName', INV, API)])

# ---------------------------------------------------------------- realistic clean manifests
case('x-deploy-postgres-001', 'Deployment', 'realistic', "single-replica postgres with a PVC, secret and Recreate strategy",
     {'securityContext': {'fsGroup': 999},
      'containers': [ctr('postgres', image='postgres:16.4', ports=[{'containerPort': 5432, 'name': 'pg'}],
                         env=[{'name': 'PGDATA', 'value': '/var/lib/postgresql/data/pgdata'},
                              {'name': 'POSTGRES_PASSWORD', 'valueFrom': {'secretKeyRef': {'name': 'pg', 'key': 'password'}}}],
                         resources={'requests': {'cpu': '250m', 'memory': '512Mi'}, 'limits': {'memory': '1Gi'}},
                         mounts=[m('data', '/var/lib/postgresql/data'), m('init', '/docker-entrypoint-initdb.d', readOnly=True), m('shm', '/dev/shm')])],
      'volumes': [pvc_vol('data', 'postgres-data'), {'name': 'init', 'configMap': {'name': 'pg-init', 'defaultMode': 493}},
                  {'name': 'shm', 'emptyDir': {'medium': 'Memory', 'sizeLimit': '256Mi'}}]},
     extra=lambda d: (d['spec'].__setitem__('replicas', 1), d['spec'].__setitem__('strategy', {'type': 'Recreate'})))
case('x-ds-fluentbit-001', 'DaemonSet', 'realistic', "fluent-bit with hostPath logs, a positions dir and a projected token",
     {'serviceAccountName': 'fluent-bit', 'tolerations': [{'operator': 'Exists'}],
      'containers': [ctr('fluent-bit', image='cr.fluentbit.io/fluent/fluent-bit:3.1.9',
                         mounts=[m('varlog', '/var/log', readOnly=True), m('config', '/fluent-bit/etc/'), m('state', '/var/fluent-bit/state'),
                                 m('token', '/var/run/secrets/tokens', readOnly=True)])],
      'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log'}}, {'name': 'config', 'configMap': {'name': 'fluent-bit'}},
                  {'name': 'state', 'hostPath': {'path': '/var/fluent-bit/state', 'type': 'DirectoryOrCreate'}},
                  {'name': 'token', 'projected': {'defaultMode': 420, 'sources': [{'serviceAccountToken': {'path': 'token', 'expirationSeconds': 3607, 'audience': 'logs'}},
                                                                                  {'configMap': {'name': 'kube-root-ca.crt', 'items': [{'key': 'ca.crt', 'path': 'ca.crt'}]}},
                                                                                  {'downwardAPI': {'items': [{'path': 'namespace', 'fieldRef': {'apiVersion': 'v1', 'fieldPath': 'metadata.namespace'}}]}}]}}]})
case('x-cj-backup-001', 'CronJob', 'realistic', "nightly backup: init container dumps to an ephemeral volume, main container uploads",
     {'initContainers': [ctr('dump', image='postgres:16.4', command=['sh', '-c', 'pg_dump -Fc > /backup/db.dump'], mounts=[m('backup', '/backup')])],
      'containers': [ctr('upload', image='amazon/aws-cli:2.17.0', mounts=[m('backup', '/backup', readOnly=True)])],
      'volumes': [eph('backup', eph_spec('50Gi', storageClassName='gp3'), meta={'labels': {'job': 'backup'}})]})
case('x-job-indexed-001', 'Job', 'realistic', "Indexed Job writing shards under subPathExpr",
     {'containers': [ctr('shard', mounts=[m('out', '/out', subPathExpr='shard-$(JOB_COMPLETION_INDEX)')],
                         env=[{'name': 'JOB_COMPLETION_INDEX', 'valueFrom': {'fieldRef': {'fieldPath': "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}])],
      'volumes': [pvc_vol('out', 'shards')]},
     extra=lambda d: d['spec'].update({'completions': 4, 'parallelism': 2, 'completionMode': 'Indexed'}))
case('x-podtemplate-clean-001', 'PodTemplate', 'realistic', "PodTemplate with configMap subPath mount and an emptyDir",
     {'containers': [ctr(mounts=[m('cfg', '/etc/app/app.yaml', subPath='app.yaml'), m('tmp', '/tmp')])],
      'volumes': [{'name': 'cfg', 'configMap': {'name': 'app'}}, {'name': 'tmp', 'emptyDir': {'sizeLimit': '64Mi'}}]})
case('x-pod-sidecar-init-001', 'Pod', 'realistic', "Pod with a restartable init (sidecar) container sharing an emptyDir",
     {'initContainers': [ctr('log-shipper', image='busybox:1.36', restartPolicy='Always', mounts=[m('logs', '/logs', readOnly=True)])],
      'containers': [ctr(mounts=[m('logs', '/var/log/app')])], 'volumes': [{'name': 'logs', 'emptyDir': {}}]})

# ---------------------------------------------------------------- Lists
def listdoc(*items):
    return {'apiVersion': 'v1', 'kind': 'List', 'items': list(items)}
PVC = {'apiVersion': 'v1', 'kind': 'PersistentVolumeClaim', 'metadata': {'name': 'web-data', 'namespace': 'prod'},
       'spec': {'accessModes': ['ReadWriteOnce'], 'resources': {'requests': {'storage': '10Gi'}}}}
d1, _ = wrap('Deployment', {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'web-data')]})
case('x-list-pvc-deploy-001', 'List', 'list', "List: PVC 'web-data' and a Deployment mounting it", doc=listdoc(PVC, d1))
j1, _ = wrap('Job', {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'web-data')]},
             extra=lambda d: d['spec']['template']['spec'].pop('restartPolicy'))
case('x-list-job-no-restart-001', 'List', 'list', "List: PVC 'web-data' and a Job without restartPolicy", doc=listdoc(PVC, j1),
     errs=[('/items/1/spec/template/spec/restartPolicy', NS, API)])
p1, _ = wrap('Pod', {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}],
                     'ephemeralContainers': [{'name': 'dbg', 'image': 'busybox:1.36'}]})
c1, _ = wrap('CronJob', BASIC)
case('x-list-pod-eph-cj-001', 'List', 'list', "List: a Pod with an ephemeral container and a CronJob", doc=listdoc(p1, c1),
     errs=[('/items/0/spec/ephemeralContainers', FORB, API)])
PVC2 = copy.deepcopy(PVC); PVC2['spec']['resources']['requests']['storage'] = '10 Gi'
p2, _ = wrap('Pod', {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'web-data')]})
case('x-list-pvc-bad-quantity-001', 'List', 'list', "List: PVC with storage '10 Gi' and a Pod mounting it", doc=listdoc(PVC2, p2),
     errs=[('/items/0/spec/resources/requests/storage', DEC, DC)])
rs1, _ = wrap('ReplicaSet', {'containers': [ctr(mounts=[m('Data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]})
ds1, _ = wrap('DaemonSet', BASIC, name='agent')
case('x-list-rs-ds-001', 'List', 'list', "List: DaemonSet 'agent' and a ReplicaSet mounting 'Data'", doc=listdoc(ds1, rs1),
     errs=[('/items/1/spec/template/spec/containers/0/volumeMounts/0/name', NF, API)])


# ---------------------------------------------------------------- batch 2
case('x-job-pfp-onfailure-001', 'Job', 'realistic', "Job with podFailurePolicy and restartPolicy OnFailure",
     {'restartPolicy': 'OnFailure', 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets')]},
     [('@/restartPolicy', INV, API)],
     extra=lambda d: d['spec'].__setitem__('podFailurePolicy', {'rules': [{'action': 'FailJob', 'onExitCodes': {'operator': 'In', 'values': [42]}}]}))
case('x-cj-no-restart-policy-001', 'CronJob', 'realistic', "CronJob job template without restartPolicy",
     BASIC, [('@/restartPolicy', NS, API)], extra=lambda d: d['spec']['jobTemplate']['spec']['template']['spec'].pop('restartPolicy'))
case('x-ds-restart-onfailure-001', 'DaemonSet', 'realistic', "DaemonSet template restartPolicy OnFailure",
     dict(BASIC, restartPolicy='OnFailure'), [('@/restartPolicy', NS, API)])
case('x-rc-restart-onfailure-001', 'ReplicationController', 'realistic', "ReplicationController template restartPolicy OnFailure",
     dict(BASIC, restartPolicy='OnFailure'), [('@/restartPolicy', NS, API)])
case('x-pod-restart-onfailure-001', 'Pod', 'realistic', "Pod restartPolicy OnFailure with a PVC",
     {'restartPolicy': 'OnFailure', 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets')]})
case('x-podtemplate-restart-never-001', 'PodTemplate', 'realistic', "PodTemplate restartPolicy Never",
     dict(BASIC, restartPolicy='Never'))
case('x-podtemplate-name-upper-001', 'PodTemplate', 'realistic', "PodTemplate named 'Batch-Worker'",
     BASIC, [('/metadata/name', INV, API)], name='Batch-Worker')
case('x-podtemplate-ephemeral-containers-001', 'PodTemplate', 'multi-defect', "PodTemplate with an ephemeralContainers entry",
     dict(BASIC, ephemeralContainers=[{'name': 'dbg', 'image': 'busybox:1.36'}]), [('@/ephemeralContainers', FORB, API)])
case('x-pod-name-254-001', 'Pod', 'realistic', "Pod named with 254 characters",
     BASIC, [('/metadata/name', INV, API)], name='a' * 254)
case('x-deploy-name-253-001', 'Deployment', 'realistic', "Deployment named with 253 characters (dotted labels)",
     BASIC, name='.'.join(['d' * 63] * 4)[:253].rstrip('.'))
def gen_name(d):
    d['metadata'].pop('name'); d['metadata']['generateName'] = 'toolbox-'
case('x-pod-generate-name-001', 'Pod', 'realistic', "Pod with generateName 'toolbox-' and no name", BASIC, extra=gen_name)
case('x-job-generate-name-001', 'Job', 'realistic', "Job with generateName 'migrate-' and no name", BASIC,
     extra=lambda d: (d['metadata'].pop('name'), d['metadata'].__setitem__('generateName', 'migrate-')))
case('x-deploy-namespace-upper-001', 'Deployment', 'realistic', "Deployment in namespace 'Prod'",
     BASIC, [('/metadata/namespace', INV, API)], meta={'namespace': 'Prod'})
case('x-rs-template-label-value-001', 'ReplicaSet', 'realistic', "template label value 'web app' (space) matched by the selector",
     BASIC, [('/spec/selector/matchLabels', INV, API), ('/spec/template/metadata/labels', INV, API)],
     extra=lambda d: (d['spec']['selector']['matchLabels'].__setitem__('app', 'web app'), d['spec']['template']['metadata']['labels'].__setitem__('app', 'web app')))
case('x-deploy-image-space-001', 'Deployment', 'realistic', "container image ' nginx:1.27' with a leading space",
     {'containers': [ctr(image=' nginx:1.27', mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]})
case('x-pod-image-space-001', 'Pod', 'realistic', "container image 'nginx:1.27 ' with a trailing space",
     {'containers': [ctr(image='nginx:1.27 ', mounts=[m('data', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/containers/0/image', INV, API)])
case('x-list-empty-001', 'List', 'list', "List with items: []", doc={'apiVersion': 'v1', 'kind': 'List', 'items': []})
pt1, _ = wrap('PodTemplate', {'containers': [ctr(mounts=[m('cfg', '/etc/app')])], 'volumes': [{'name': 'cfg', 'configMap': {'name': 'app', 'items': [{'key': 'a', 'path': '/a'}]}}]})
PVC3 = copy.deepcopy(PVC); PVC3['metadata']['name'] = 'Web-Data'
case('x-list-podtemplate-pvc-001', 'List', 'list', "List: PVC 'Web-Data' and a PodTemplate with configMap items path '/a'", doc=listdoc(PVC3, pt1),
     errs=[('/items/0/metadata/name', INV, API), ('/items/1/template/spec/volumes/0/configMap/items/0/path', INV, API),
           ('/items/1/template/spec/containers/0/volumeMounts/0/name', NF, API)])
case('x-deploy-volume-name-dot-001', 'Deployment', 'mount-name', "volume and mount named 'config.d'",
     {'containers': [ctr(mounts=[m('config.d', '/etc/app/config.d')])], 'volumes': [{'name': 'config.d', 'configMap': {'name': 'app'}}]},
     [('@/volumes/0/name', INV, API), nf()])
case('x-ds-volume-name-63-001', 'DaemonSet', 'mount-name', "volume and mount named with 63 characters",
     {'containers': [ctr(mounts=[m('v' * 63, '/data')])], 'volumes': [{'name': 'v' * 63, 'emptyDir': {}}]})
case('x-pod-emptydir-medium-lower-001', 'Pod', 'volume-source', "emptyDir medium 'memory' (lower case)",
     {'containers': [ctr(mounts=[m('shm', '/dev/shm')])], 'volumes': [{'name': 'shm', 'emptyDir': {'medium': 'memory'}}]})
case('x-job-gitrepo-dotdot-001', 'Job', 'volume-source', "gitRepo volume with directory '../src'",
     {'containers': [ctr(mounts=[m('src', '/src')])], 'volumes': [{'name': 'src', 'gitRepo': {'repository': 'https://git.example.com/app.git', 'directory': '../src'}}]},
     [('@/volumes/0/gitRepo/directory', INV, API), nf()])
case('x-rs-items-mode-negative-001', 'ReplicaSet', 'volume-source', "secret items mode -1",
     {'containers': [ctr(mounts=[m('creds', '/etc/creds')])], 'volumes': [{'name': 'creds', 'secret': {'secretName': 'creds', 'items': [{'key': 'k', 'path': 'k', 'mode': -1}]}}]},
     [('@/volumes/0/secret/items/0/mode', INV, API), nf()])
case('x-cj-secret-items-absolute-001', 'CronJob', 'volume-source', "secret items path '/etc/creds/key'",
     {'containers': [ctr(mounts=[m('creds', '/etc/creds')])], 'volumes': [{'name': 'creds', 'secret': {'secretName': 'creds', 'items': [{'key': 'k', 'path': '/etc/creds/key'}]}}]},
     [('@/volumes/0/secret/items/0/path', INV, API), nf()])
case('x-deploy-projected-two-kinds-001', 'Deployment', 'volume-source', "one projected source entry with both configMap and secret",
     {'containers': [ctr(mounts=[m('all', '/etc/all')])],
      'volumes': [{'name': 'all', 'projected': {'sources': [{'configMap': {'name': 'a'}, 'secret': {'name': 'b'}}]}}]},
     [('@/volumes/0/projected/sources/0', FORB, API), nf()])
case('x-ds-downward-label-subscript-001', 'DaemonSet', 'volume-source', "downwardAPI item fieldPath metadata.labels['app']",
     {'containers': [ctr(mounts=[m('info', '/etc/podinfo')])],
      'volumes': [{'name': 'info', 'downwardAPI': {'items': [{'path': 'app', 'fieldRef': {'fieldPath': "metadata.labels['app']"}}]}}]})
case('x-pod-dup-pvc-ephemeral-name-001', 'Pod', 'duplicate', "a PVC volume and an ephemeral volume both named 'data'",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets'), eph('data', eph_spec('1Gi'))]},
     [('@/volumes/1/name', DUP, API)])
case('x-job-ephemeral-storage-empty-001', 'Job', 'quantity', "ephemeral storage ''",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec(''))]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage', DEC, DC)])
case('x-deploy-ephemeral-tiny-exp-001', 'Deployment', 'quantity', "ephemeral storage '1e-3'",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('1e-3'))]})
case('x-rs-ephemeral-upper-e-001', 'ReplicaSet', 'quantity', "ephemeral storage '2E3Mi'",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('2E3Mi'))]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage', DEC, DC)])
case('x-pod-sizelimit-point-five-001', 'Pod', 'quantity', "emptyDir sizeLimit '.5Gi'",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizeLimit': '.5Gi'}}]})
case('x-cj-sizelimit-ki-001', 'CronJob', 'quantity', "emptyDir sizeLimit '512Ki'",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizeLimit': '512Ki'}}]})
case('x-ds-sizelimit-kb-001', 'DaemonSet', 'quantity', "emptyDir sizeLimit '512kb'",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizeLimit': '512kb'}}]},
     [('@/volumes/0/emptyDir/sizeLimit', DEC, DC)])
case('x-rc-ephemeral-storage-k-001', 'ReplicationController', 'quantity', "container ephemeral-storage limit '500k'",
     {'containers': [ctr(resources={'limits': {'ephemeral-storage': '500k'}})]})
case('x-job-ephemeral-limit-below-001', 'Job', 'quantity', "ephemeral claim request '10Gi' with limit '5Gi'",
     {'containers': [ctr(mounts=[m('s', '/s')])],
      'volumes': [eph('s', {'accessModes': ['ReadWriteOnce'], 'resources': {'requests': {'storage': '10Gi'}, 'limits': {'storage': '5Gi'}}})]})
case('x-pod-mount-readonly-emptydir-001', 'Pod', 'mount-path', "emptyDir mounted readOnly in one container and read-write in another",
     {'containers': [ctr('a', mounts=[m('shared', '/shared', readOnly=True)]), ctr('b', mounts=[m('shared', '/shared')])],
      'volumes': [{'name': 'shared', 'emptyDir': {}}]})
case('x-deploy-init-device-dup-path-001', 'Deployment', 'volume-devices', "init container and main container both attach devices at /dev/xvdb",
     {'initContainers': [ctr('prep', devices=[{'name': 'raw', 'devicePath': '/dev/xvdb'}])],
      'containers': [ctr(devices=[{'name': 'raw', 'devicePath': '/dev/xvdb'}])], 'volumes': [pvc_vol('raw', 'raw-block')]})
case('x-job-device-dotdot-001', 'Job', 'volume-devices', "volumeDevice devicePath '/dev/../xvdb' in an init container",
     {'initContainers': [ctr('prep', devices=[{'name': 'raw', 'devicePath': '/dev/../xvdb'}])],
      'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [pvc_vol('raw', 'raw-block'), {'name': 'scratch', 'emptyDir': {}}]},
     [('@/initContainers/0/volumeDevices/0/devicePath', INV, API)])
case('x-cj-init-mount-missing-path-001', 'CronJob', 'mount-path', "init container mount without mountPath and a name typo",
     {'initContainers': [ctr('prep', mounts=[{'name': 'scrach'}])], 'containers': [ctr(mounts=[m('scratch', '/scratch')])],
      'volumes': [{'name': 'scratch', 'emptyDir': {}}]},
     [('@/initContainers/0/volumeMounts/0/name', NF, API), ('@/initContainers/0/volumeMounts/0/mountPath', REQ, API)])
case('x-rs-mount-subpathexpr-env-missing-001', 'ReplicaSet', 'subpath', "subPathExpr '$(POD_NAME)' without a POD_NAME env var",
     {'containers': [ctr(mounts=[m('logs', '/logs', subPathExpr='$(POD_NAME)')])], 'volumes': [{'name': 'logs', 'hostPath': {'path': '/var/log/pods-app'}}]})
case('x-pod-hostpath-type-file-001', 'Pod', 'volume-source', "hostPath type FileOrCreate with mountPath of a file",
     {'containers': [ctr(mounts=[m('lock', '/run/app.lock')])], 'volumes': [{'name': 'lock', 'hostPath': {'path': '/run/app.lock', 'type': 'FileOrCreate'}}]})
case('x-ds-hostpath-type-typo-001', 'DaemonSet', 'volume-source', "hostPath type 'DirectoryOrCreat'",
     {'containers': [ctr(mounts=[m('state', '/state')]), ctr('side', mounts=[m('state', '/state')])],
      'volumes': [{'name': 'state', 'hostPath': {'path': '/var/lib/agent', 'type': 'DirectoryOrCreat'}}]},
     [('@/volumes/0/hostPath/type', NS, API), nf(), nf(ci=1)])
case('x-job-nfs-ok-001', 'Job', 'volume-source', "nfs volume with readOnly and a subPath mount",
     {'containers': [ctr(mounts=[m('share', '/in', subPath='2024/q4', readOnly=True)])],
      'volumes': [{'name': 'share', 'nfs': {'server': '10.20.0.5', 'path': '/exports/reports', 'readOnly': True}}]})
case('x-deploy-csi-driver-bad-001', 'Deployment', 'volume-source', "inline csi driver 'Secrets Store'",
     {'containers': [ctr(mounts=[m('sec', '/mnt/secrets')])], 'volumes': [{'name': 'sec', 'csi': {'driver': 'Secrets Store'}}]},
     [('@/volumes/0/csi/driver', INV, API), nf()])
case('x-rc-iscsi-chap-no-secret-001', 'ReplicationController', 'volume-source', "iscsi with chapAuthSession and no secretRef",
     {'containers': [ctr(mounts=[m('lun', '/data')])],
      'volumes': [{'name': 'lun', 'iscsi': {'targetPortal': '10.0.0.10:3260', 'iqn': 'iqn.2001-04.com.example:storage.disk1', 'lun': 1, 'chapAuthSession': True}}]},
     [('@/volumes/0/iscsi/secretRef', REQ, API), nf()])
case('x-pod-iscsi-ok-001', 'Pod', 'volume-source', "iscsi volume with portals and lun 0",
     {'containers': [ctr(mounts=[m('lun', '/data')])],
      'volumes': [{'name': 'lun', 'iscsi': {'targetPortal': '10.0.0.10:3260', 'portals': ['10.0.0.11:3260'], 'iqn': 'iqn.2001-04.com.example:storage.disk1', 'lun': 0, 'fsType': 'ext4', 'readOnly': True}}]})


# ---------------------------------------------------------------- batch 3: misplaced and misspelt keys
case('x-pod-volumemounts-pod-level-001', 'Pod', 'key-typo', "volumeMounts written at the pod spec level instead of in the container",
     {'containers': [ctr()], 'volumeMounts': [m('data', '/data')], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/volumeMounts', UNK, SD)])
case('x-deploy-volumes-in-container-001', 'Deployment', 'key-typo', "volumes list written inside the container",
     {'containers': [ctr(mounts=[m('data', '/data')], volumes=[{'name': 'data', 'emptyDir': {}}])]},
     [('@/containers/0/volumes', UNK, SD), nf()])
case('x-ds-claim-templates-001', 'DaemonSet', 'key-typo', "DaemonSet with volumeClaimTemplates and a mount of the template",
     {'containers': [ctr(mounts=[m('buffer', '/buffer')])]},
     [('/spec/volumeClaimTemplates', UNK, SD), nf()],
     extra=lambda d: d['spec'].__setitem__('volumeClaimTemplates', [{'metadata': {'name': 'buffer'}, 'spec': eph_spec('5Gi')}]))
case('x-job-pvc-readonly-lower-001', 'Job', 'key-typo', "persistentVolumeClaim key 'readonly'",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets', readonly=True)]},
     [('@/volumes/0/persistentVolumeClaim/readonly', UNK, SD)])
case('x-cj-sizelimit-lower-001', 'CronJob', 'key-typo', "emptyDir key 'sizelimit'",
     {'containers': [ctr(mounts=[m('tmp', '/tmp')])], 'volumes': [{'name': 'tmp', 'emptyDir': {'sizelimit': '1Gi'}}]},
     [('@/volumes/0/emptyDir/sizelimit', UNK, SD)])
case('x-ds-hostpath-type-key-001', 'DaemonSet', 'key-typo', "hostPath key 'Type' (capital T)",
     {'containers': [ctr(mounts=[m('varlog', '/var/log')])], 'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log', 'Type': 'Directory'}}]},
     [('@/volumes/0/hostPath/Type', UNK, SD)])
case('x-rs-ephemeral-accessmodes-lower-001', 'ReplicaSet', 'key-typo', "ephemeral spec key 'accessmodes'",
     {'containers': [ctr(mounts=[m('s', '/s')])],
      'volumes': [{'name': 's', 'ephemeral': {'volumeClaimTemplate': {'spec': {'accessmodes': ['ReadWriteOnce'], 'resources': {'requests': {'storage': '1Gi'}}}}}}]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/accessmodes', UNK, SD),
      ('@/volumes/0/ephemeral/volumeClaimTemplate/spec/accessModes', REQ, API), nf()])
case('x-pod-subpathexpr-lower-001', 'Pod', 'key-typo', "volumeMount key 'subpathExpr'",
     {'containers': [ctr(mounts=[m('logs', '/logs', subpathExpr='$(POD_NAME)')])], 'volumes': [{'name': 'logs', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/0/subpathExpr', UNK, SD)])
case('x-deploy-propagation-lower-001', 'Deployment', 'mount-path', "mountPropagation 'bidirectional' (lower case)",
     {'containers': [ctr(mounts=[m('host', '/host', mountPropagation='bidirectional')], securityContext={'privileged': True})],
      'volumes': [{'name': 'host', 'hostPath': {'path': '/mnt'}}]},
     [('@/containers/0/volumeMounts/0/mountPropagation', NS, API)])
case('x-job-readonly-number-001', 'Job', 'key-typo', "volumeMount readOnly: 1",
     {'containers': [ctr(mounts=[m('data', '/data', readOnly=1)])], 'volumes': [{'name': 'data', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/0/readOnly', DEC, DC)])
case('x-rc-volumes-map-001', 'ReplicationController', 'key-typo', "volumes written as a mapping instead of a list",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': {'name': 'data', 'emptyDir': {}}},
     [('@/volumes', DEC, DC)])
case('x-pod-volumemounts-null-001', 'Pod', 'realistic', "volumeMounts: null and volumes: []",
     {'containers': [ctr(mounts=None, volumeMounts=None)], 'volumes': []})
case('x-ds-init-case-001', 'DaemonSet', 'mount-name', "init container mounts 'Varlog' while the hostPath volume is 'varlog'",
     {'initContainers': [ctr('prep', mounts=[m('Varlog', '/var/log')])], 'containers': [ctr(mounts=[m('varlog', '/var/log')])],
      'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log'}}]},
     [nf(init=True)])
case('x-cj-ephemeral-case-001', 'CronJob', 'mount-name', "mount 'Scratch' of an ephemeral volume named 'scratch'",
     {'containers': [ctr(mounts=[m('Scratch', '/scratch')])], 'volumes': [eph('scratch', eph_spec('2Gi'))]},
     [nf()])
case('x-deploy-device-case-001', 'Deployment', 'volume-devices', "volumeDevice 'Raw' while the PVC volume is 'raw'",
     {'containers': [ctr(devices=[{'name': 'Raw', 'devicePath': '/dev/xvdb'}])], 'volumes': [pvc_vol('raw', 'raw-block')]},
     [('@/containers/0/volumeDevices/0/name', NF, API)])
case('x-job-claimname-with-dollar-001', 'Job', 'pvc-volume', "claimName 'data-$(JOB_INDEX)' (no expansion in claim names)",
     {'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'data-$(JOB_INDEX)')]})
case('x-pod-pvc-and-ephemeral-same-claim-001', 'Pod', 'pvc-volume', "two PVC volumes naming the same claim, mounted in two containers",
     {'containers': [ctr('a', mounts=[m('d1', '/data')]), ctr('b', mounts=[m('d2', '/data', readOnly=True)])],
      'volumes': [pvc_vol('d1', 'shared'), pvc_vol('d2', 'shared', readOnly=True)]})
case('x-rs-ephemeral-spec-null-001', 'ReplicaSet', 'ephemeral', "ephemeral volumeClaimTemplate with spec: null",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [{'name': 's', 'ephemeral': {'volumeClaimTemplate': {'spec': None}}}]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/accessModes', REQ, API),
      ('@/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage', REQ, API), nf()])
case('x-job-ephemeral-limits-only-001', 'Job', 'ephemeral', "ephemeral claim with resources.limits.storage only",
     {'containers': [ctr(mounts=[m('s', '/s')])],
      'volumes': [eph('s', {'accessModes': ['ReadWriteOnce'], 'resources': {'limits': {'storage': '5Gi'}}})]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage', REQ, API), nf()])
case('x-ds-ephemeral-dup-modes-001', 'DaemonSet', 'ephemeral', "ephemeral accessModes [ReadWriteOnce, ReadWriteOnce]",
     {'containers': [ctr(mounts=[m('s', '/s')])], 'volumes': [eph('s', eph_spec('1Gi', modes=['ReadWriteOnce', 'ReadWriteOnce']))]})
case('x-deploy-ephemeral-datasourceref-001', 'Deployment', 'ephemeral', "ephemeral dataSourceRef to a VolumeSnapshot with apiGroup",
     {'containers': [ctr(mounts=[m('seed', '/seed')])],
      'volumes': [eph('seed', eph_spec('10Gi', dataSourceRef={'apiGroup': 'snapshot.storage.k8s.io', 'kind': 'VolumeSnapshot', 'name': 'seed'}))]})
case('x-pod-ephemeral-ds-dsr-mismatch-001', 'Pod', 'ephemeral', "ephemeral dataSource and dataSourceRef naming different claims",
     {'containers': [ctr(mounts=[m('seed', '/seed')])],
      'volumes': [eph('seed', eph_spec('10Gi', dataSource={'kind': 'PersistentVolumeClaim', 'name': 'a'}, dataSourceRef={'kind': 'PersistentVolumeClaim', 'name': 'b'}))]},
     [('@/volumes/0/ephemeral/volumeClaimTemplate/spec', INV, API), nf()])


# ---------------------------------------------------------------- batch 4: realistic manifests in raw YAML
KUBECTL_DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
        volumeMounts:
        - mountPath: /scratch
          name: scratch
      volumes:
      - name: scratch
        ephemeral:
          volumeClaimTemplate:
            metadata:
              creationTimestamp: null
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
status: {}
"""
case('x-deploy-kubectl-dry-run-001', 'Deployment', 'realistic', "kubectl create --dry-run output (creationTimestamp: null, status: {}) with an ephemeral volume", doc=KUBECTL_DEPLOY, style='kubectl')
KUBECTL_CJ = """apiVersion: batch/v1
kind: CronJob
metadata:
  creationTimestamp: null
  name: cleanup
spec:
  jobTemplate:
    metadata:
      creationTimestamp: null
      name: cleanup
    spec:
      template:
        metadata:
          creationTimestamp: null
        spec:
          containers:
          - image: busybox
            name: cleanup
            resources: {}
            volumeMounts:
            - {name: data, mountPath: /data}
          restartPolicy: OnFailure
          volumes:
          - name: data
            persistentVolumeClaim: {claimName: shared-data}
  schedule: '*/30 * * * *'
status: {}
"""
case('x-cj-kubectl-dry-run-001', 'CronJob', 'realistic', "kubectl create cronjob --dry-run output with a PVC volume added", doc=KUBECTL_CJ, style='kubectl')
NODE_EXPORTER = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  labels:
    app.kubernetes.io/name: node-exporter
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: node-exporter
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 10%
  template:
    metadata:
      labels:
        app.kubernetes.io/name: node-exporter
      annotations:
        kubectl.kubernetes.io/default-container: node-exporter
    spec:
      hostNetwork: true
      hostPID: true
      automountServiceAccountToken: false
      priorityClassName: system-node-critical
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        fsGroup: 65534
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
      - operator: Exists
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        args:
        - --path.procfs=/host/proc
        - --path.sysfs=/host/sys
        - --path.rootfs=/host/root
        - --collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)
        ports:
        - name: metrics
          containerPort: 9100
          hostPort: 9100
          protocol: TCP
        resources:
          limits: {memory: 180Mi}
          requests: {cpu: 102m, memory: 180Mi}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL], add: [SYS_TIME]}
        volumeMounts:
        - {name: proc, mountPath: /host/proc, readOnly: true, mountPropagation: HostToContainer}
        - {name: sys, mountPath: /host/sys, readOnly: true, mountPropagation: HostToContainer}
        - {name: root, mountPath: /host/root, readOnly: true, mountPropagation: HostToContainer}
        livenessProbe:
          httpGet: {path: /, port: metrics}
        readinessProbe:
          httpGet: {path: /, port: 9100}
      - name: kube-rbac-proxy
        image: quay.io/brancz/kube-rbac-proxy:v0.18.1
        args: ["--secure-listen-address=[$(IP)]:9101", "--upstream=http://127.0.0.1:9100/"]
        env:
        - name: IP
          valueFrom:
            fieldRef: {fieldPath: status.podIP}
        ports:
        - {containerPort: 9101, hostPort: 9101, name: https}
        resources:
          limits: {cpu: 20m, memory: 40Mi}
          requests: {cpu: 10m, memory: 20Mi}
        volumeMounts:
        - name: kube-api-access
          mountPath: /var/run/secrets/kubernetes.io/serviceaccount
          readOnly: true
      volumes:
      - {name: proc, hostPath: {path: /proc}}
      - {name: sys, hostPath: {path: /sys}}
      - {name: root, hostPath: {path: /}}
      - name: kube-api-access
        projected:
          defaultMode: 420
          sources:
          - serviceAccountToken: {expirationSeconds: 3607, path: token}
          - configMap:
              name: kube-root-ca.crt
              items: [{key: ca.crt, path: ca.crt}]
          - downwardAPI:
              items:
              - path: namespace
                fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}
"""
case('x-ds-node-exporter-001', 'DaemonSet', 'realistic', "node-exporter DaemonSet with hostPath /proc, /sys, / (HostToContainer) and a projected API access volume", doc=NODE_EXPORTER, style='flow-mixed')
REDIS = """# redis with its config from a ConfigMap and data on a claim
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
  labels: &labels
    app.kubernetes.io/name: redis
    app.kubernetes.io/component: master
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
      annotations:
        checksum/config: 6b1b36cbb04b41490bfc0ab2bfa26f86
    spec:
      securityContext:
        fsGroup: 1001
        fsGroupChangePolicy: OnRootMismatch
      containers:
        - name: redis
          image: docker.io/bitnami/redis:7.4.1
          command: ["redis-server", "/opt/redis/redis.conf"]
          ports:
            - name: redis
              containerPort: 6379
          volumeMounts:
            - name: config
              mountPath: /opt/redis/redis.conf
              subPath: redis.conf
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: redis-config
            defaultMode: 420
        - name: data
          persistentVolumeClaim:
            claimName: redis-data
        - name: tmp
          emptyDir:
            medium: Memory
            sizeLimit: 64Mi
"""

case('x-deploy-redis-anchors-001', 'Deployment', 'realistic', "redis Deployment: labels anchored and reused, config by subPath, claim, memory emptyDir", doc=REDIS, style='anchors')
ARGO_JOB = """{"apiVersion": "batch/v1", "kind": "Job",
 "metadata": {"name": "train-7f3k2", "namespace": "ml", "labels": {"workflows.argoproj.io/workflow": "train"}},
 "spec": {"backoffLimit": 0, "ttlSecondsAfterFinished": 3600, "activeDeadlineSeconds": 7200,
  "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]},
  "template": {"metadata": {"annotations": {"workflows.argoproj.io/node-name": "train[0]"}},
   "spec": {"restartPolicy": "Never",
    "initContainers": [{"name": "init", "image": "quay.io/argoproj/argoexec:v3.5.12", "command": ["argoexec", "init"],
      "volumeMounts": [{"name": "var-run-argo", "mountPath": "/var/run/argo"}]}],
    "containers": [{"name": "main", "image": "pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime",
      "resources": {"limits": {"nvidia.com/gpu": "1", "memory": "16Gi"}, "requests": {"nvidia.com/gpu": "1", "memory": "16Gi", "ephemeral-storage": "20Gi"}},
      "volumeMounts": [{"name": "var-run-argo", "mountPath": "/var/run/argo"}, {"name": "dshm", "mountPath": "/dev/shm"},
                       {"name": "dataset", "mountPath": "/data", "readOnly": true}, {"name": "podinfo", "mountPath": "/etc/podinfo"}]}],
    "volumes": [{"name": "var-run-argo", "emptyDir": {}}, {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}},
                {"name": "dataset", "persistentVolumeClaim": {"claimName": "imagenet", "readOnly": true}},
                {"name": "podinfo", "downwardAPI": {"items": [{"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}},
                                                              {"path": "cpu_limit", "resourceFieldRef": {"containerName": "main", "resource": "limits.memory", "divisor": "1Mi"}}]}}]}}}}
"""
case('x-job-argo-json-001', 'Job', 'realistic', "Argo-style training Job written as JSON: GPU limits, memory-backed /dev/shm, read-only dataset claim, downwardAPI volume", doc=ARGO_JOB, style='json')


# ---------------------------------------------------------------- batch 5: legacy and csi sources
case('x-ds-csi-one-char-001', 'DaemonSet', 'volume-source', "inline csi driver named 'x' (one character)",
     {'containers': [ctr(mounts=[m('v', '/v')])], 'volumes': [{'name': 'v', 'csi': {'driver': 'x'}}]})
case('x-deploy-csi-trailing-dash-001', 'Deployment', 'volume-source', "inline csi driver 'secrets-store-'",
     {'containers': [ctr(mounts=[m('v', '/v')])], 'volumes': [{'name': 'v', 'csi': {'driver': 'secrets-store-'}}]},
     [('@/volumes/0/csi/driver', INV, API), nf()])
case('x-pod-csi-upper-001', 'Pod', 'volume-source', "inline csi driver 'Disk.CSI.Azure.com' in mixed case",
     {'containers': [ctr(mounts=[m('v', '/v')])], 'volumes': [{'name': 'v', 'csi': {'driver': 'Disk.CSI.Azure.com', 'volumeAttributes': {'skuName': 'Premium_LRS'}}}]})
case('x-rs-fc-no-lun-001', 'ReplicaSet', 'volume-source', "fc volume with targetWWNs and no lun",
     {'containers': [ctr(mounts=[m('v', '/v')])], 'volumes': [{'name': 'v', 'fc': {'targetWWNs': ['500a0982991b8dc5'], 'fsType': 'ext4'}}]},
     [('@/volumes/0/fc/lun', REQ, API), nf()])
case('x-job-azuredisk-default-kind-001', 'Job', 'volume-source', "azureDisk with a managed-disk URI and no kind",
     {'containers': [ctr(mounts=[m('v', '/v')])],
      'volumes': [{'name': 'v', 'azureDisk': {'diskName': 'data', 'diskURI': '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/disks/data'}}]},
     [('@/volumes/0/azureDisk/diskURI', NS, API), nf()])
case('x-pod-azuredisk-managed-001', 'Pod', 'volume-source', "azureDisk kind Managed with a managed-disk URI",
     {'containers': [ctr(mounts=[m('v', '/v')])],
      'volumes': [{'name': 'v', 'azureDisk': {'kind': 'Managed', 'diskName': 'data', 'diskURI': '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/disks/data'}}]})
case('x-cj-gce-no-pdname-001', 'CronJob', 'volume-source', "gcePersistentDisk without pdName",
     {'containers': [ctr(mounts=[m('v', '/v')])], 'volumes': [{'name': 'v', 'gcePersistentDisk': {'fsType': 'ext4'}}]},
     [('@/volumes/0/gcePersistentDisk/pdName', REQ, API), nf()])
case('x-rc-aws-partition-001', 'ReplicationController', 'volume-source', "awsElasticBlockStore partition 300",
     {'containers': [ctr(mounts=[m('v', '/v')])], 'volumes': [{'name': 'v', 'awsElasticBlockStore': {'volumeID': 'vol-0abc', 'partition': 300}}]},
     [('@/volumes/0/awsElasticBlockStore/partition', INV, API), nf()])
case('x-deploy-cephfs-ok-001', 'Deployment', 'volume-source', "cephfs volume with monitors and a secretRef",
     {'containers': [ctr(mounts=[m('v', '/v')])],
      'volumes': [{'name': 'v', 'cephfs': {'monitors': ['10.16.154.78:6789'], 'user': 'admin', 'secretRef': {'name': 'ceph-secret'}, 'readOnly': True}}]})
case('x-ds-rbd-no-monitors-001', 'DaemonSet', 'volume-source', "rbd volume with image and no monitors",
     {'containers': [ctr(mounts=[m('v', '/v')])], 'volumes': [{'name': 'v', 'rbd': {'image': 'foo', 'pool': 'kube'}}]},
     [('@/volumes/0/rbd/monitors', REQ, API), nf()])


# ---------------------------------------------------------------- batch 6: pod-level names
case('x-pod-sa-name-upper-001', 'Pod', 'realistic', "Pod with serviceAccountName 'Backup_SA' and a PVC",
     {'serviceAccountName': 'Backup_SA', 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'backups')]},
     [('@/serviceAccountName', INV, API)])
case('x-job-deadline-zero-001', 'Job', 'realistic', "Job pod template with activeDeadlineSeconds 0",
     dict(BASIC, activeDeadlineSeconds=0), [('@/activeDeadlineSeconds', INV, API)])
case('x-deploy-hostname-underscore-001', 'Deployment', 'realistic', "Deployment template with hostname 'web_1'",
     dict(BASIC, hostname='web_1'), [('@/hostname', INV, API)])
case('x-ds-priority-class-001', 'DaemonSet', 'realistic', "DaemonSet with priorityClassName system-node-critical and a hostPath",
     {'priorityClassName': 'system-node-critical', 'serviceAccountName': 'node-agent', 'hostname': 'agent',
      'containers': [ctr(mounts=[m('varlog', '/var/log', readOnly=True)])], 'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log'}}]})


# ---------------------------------------------------------------- batch 7: security contexts around volumes
case('x-deploy-fsgroup-policy-case-001', 'Deployment', 'realistic', "fsGroup 2000 with fsGroupChangePolicy 'onRootMismatch' on a PVC-backed Deployment",
     {'securityContext': {'fsGroup': 2000, 'fsGroupChangePolicy': 'onRootMismatch'},
      'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'web-data')]},
     [('@/securityContext/fsGroupChangePolicy', NS, API)])
case('x-ds-privileged-no-escalation-001', 'DaemonSet', 'realistic', "CSI node plugin: privileged container with allowPrivilegeEscalation false and Bidirectional mount",
     {'containers': [ctr('plugin', mounts=[m('kubelet', '/var/lib/kubelet', mountPropagation='Bidirectional')],
                         securityContext={'privileged': True, 'allowPrivilegeEscalation': False})],
      'volumes': [{'name': 'kubelet', 'hostPath': {'path': '/var/lib/kubelet', 'type': 'Directory'}}]},
     [('@/containers/0/securityContext', INV, API)])
case('x-job-fsgroup-negative-001', 'Job', 'realistic', "Job pod with fsGroup -1 writing to a claim",
     {'securityContext': {'fsGroup': -1}, 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'datasets')]},
     [('@/securityContext/fsGroup', INV, API)])
case('x-pod-security-ok-001', 'Pod', 'realistic', "Pod running as 1000:3000 with fsGroup 2000, OnRootMismatch and a read-only root filesystem",
     {'securityContext': {'runAsUser': 1000, 'runAsGroup': 3000, 'fsGroup': 2000, 'fsGroupChangePolicy': 'OnRootMismatch', 'supplementalGroups': [4000]},
      'containers': [ctr(mounts=[m('data', '/data'), m('tmp', '/tmp')], securityContext={'allowPrivilegeEscalation': False, 'readOnlyRootFilesystem': True, 'capabilities': {'drop': ['ALL']}})],
      'volumes': [pvc_vol('data', 'toolbox-data'), {'name': 'tmp', 'emptyDir': {}}]})


# ---------------------------------------------------------------- batch 8: scheduling fields next to storage
case('x-ds-toleration-exists-value-001', 'DaemonSet', 'realistic', "storage DaemonSet tolerating with operator Exists and a value",
     {'tolerations': [{'key': 'dedicated', 'operator': 'Exists', 'value': 'storage', 'effect': 'NoSchedule'}],
      'containers': [ctr(mounts=[m('varlog', '/var/log')])], 'volumes': [{'name': 'varlog', 'hostPath': {'path': '/var/log'}}]},
     [('@/tolerations/0/operator', INV, API)])
case('x-deploy-node-selector-value-001', 'Deployment', 'realistic', "Deployment with nodeSelector disktype 'fast ssd' and a claim",
     {'nodeSelector': {'disktype': 'fast ssd'}, 'containers': [ctr(mounts=[m('data', '/data')])], 'volumes': [pvc_vol('data', 'web-data')]},
     [('@/nodeSelector/disktype', INV, API)])
case('x-sts-like-tsc-001', 'Deployment', 'realistic', "Deployment spreading pods over zones with an ephemeral volume each",
     {'topologySpreadConstraints': [{'maxSkew': 1, 'topologyKey': 'topology.kubernetes.io/zone', 'whenUnsatisfiable': 'DoNotSchedule', 'labelSelector': {'matchLabels': {'app': 'web'}}}],
      'tolerations': [{'key': 'node.kubernetes.io/unreachable', 'operator': 'Exists', 'effect': 'NoExecute', 'tolerationSeconds': 60}],
      'nodeSelector': {'kubernetes.io/os': 'linux'},
      'containers': [ctr(mounts=[m('scratch', '/scratch')])], 'volumes': [eph('scratch', eph_spec('5Gi', storageClassName='zonal-ssd'))]})


# ---------------------------------------------------------------- batch 9: more Lists
cj2, _ = wrap('CronJob', {'containers': [ctr(mounts=[m('seed', '/seed')])],
                          'volumes': [eph('seed', eph_spec('10Gi', dataSource={'kind': 'VolumeSnapshot', 'name': 'nightly'}))]}, name='restore-check')
case('x-list-cj-snapshot-001', 'List', 'list', "List: PVC 'web-data' and a CronJob restoring from a VolumeSnapshot named without apiGroup",
     doc=listdoc(PVC, cj2),
     errs=[('/items/1/spec/jobTemplate/spec/template/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/dataSource', INV, API),
           ('/items/1/spec/jobTemplate/spec/template/spec/containers/0/volumeMounts/0/name', NF, API)])
pt2, _ = wrap('PodTemplate', {'containers': [ctr(mounts=[m('data', '/data', readOnly=True)])], 'volumes': [pvc_vol('data', 'web-data', readOnly=True)]}, name='reader')
rc2, _ = wrap('ReplicationController', {'containers': [ctr(mounts=[m('data', '/data', readOnly=True)])], 'volumes': [pvc_vol('data', 'web-data', readOnly=True)]}, name='legacy-reader')
case('x-list-podtemplate-rc-001', 'List', 'list', "List: PVC, a PodTemplate and a ReplicationController that read the claim", doc=listdoc(PVC, pt2, rc2))
LIST_RAW = """# exported with kubectl get -o yaml, trimmed
apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    name: log-shipper
    namespace: logging
  spec:
    selector:
      matchLabels: {app: log-shipper}
    template:
      metadata:
        labels: {app: log-shipper}
      spec:
        containers:
        - name: shipper
          image: fluent/fluent-bit:3.1.9
          volumeMounts:
          - {name: varlog, mountPath: /var/log, readOnly: true}
          - {name: pos, mountPath: /var/fluent-bit/state}
        volumes:
        - {name: varlog, hostPath: {path: /var/log}}
        - {name: pos, hostPath: {path: /var/fluent-bit/state, type: DirectoryOrCreate}}
- apiVersion: v1
  kind: Pod
  metadata:
    name: log-debug
    namespace: logging
  spec:
    containers:
    - name: debug
      image: busybox:1.36
      volumeMounts:
      - {name: varlog, mountPath: /host/log, readOnly: true, subPath: pods}
    volumes:
    - {name: varlog, hostPath: {path: /var/log, type: directory}}
"""
case('x-list-raw-hostpath-type-001', 'List', 'list', "kubectl-exported List: a log DaemonSet and a debug Pod whose hostPath type is 'directory'", doc=LIST_RAW,
     errs=[('/items/1/spec/volumes/0/hostPath/type', NS, API), ('/items/1/spec/containers/0/volumeMounts/0/name', NF, API)], style='kubectl')


# ---------------------------------------------------------------- batch 10: several defects at once
case('x-deploy-three-defects-001', 'Deployment', 'multi-defect', "sidecar mount typo, main container subPath '../x', and an ephemeral template without accessModes",
     {'containers': [ctr(mounts=[m('cfg', '/etc/app', subPath='../x'), m('scratch', '/scratch')]), ctr('side', mounts=[m('cgf', '/etc/app')])],
      'volumes': [{'name': 'cfg', 'configMap': {'name': 'app'}}, eph('scratch', eph_spec('1Gi', modes=None))]},
     [('@/containers/0/volumeMounts/0/subPath', INV, API), nf(0, 1), nf(1, 0),
      ('@/volumes/1/ephemeral/volumeClaimTemplate/spec/accessModes', REQ, API)])
case('x-job-device-and-path-001', 'Job', 'multi-defect', "device without devicePath in the init container, duplicate mountPath in the main container",
     {'initContainers': [ctr('prep', devices=[{'name': 'raw'}])],
      'containers': [ctr(mounts=[m('a', '/work'), m('b', '/work')])],
      'volumes': [pvc_vol('raw', 'raw-block'), {'name': 'a', 'emptyDir': {}}, {'name': 'b', 'emptyDir': {}}]},
     [('@/initContainers/0/volumeDevices/0/devicePath', REQ, API), ('@/containers/0/volumeMounts/1/mountPath', INV, API)])
case('x-pod-dup-and-case-001', 'Pod', 'multi-defect', "volumes 'data' twice and a mount of 'DATA'",
     {'containers': [ctr(mounts=[m('DATA', '/data')])], 'volumes': [{'name': 'data', 'emptyDir': {}}, pvc_vol('data', 'toolbox')]},
     [('@/volumes/1/name', DUP, API), nf()])
case('x-cj-subpath-both-and-abs-001', 'CronJob', 'subpath', "subPath '/abs' together with subPathExpr 'x'",
     {'containers': [ctr(mounts=[m('out', '/out', subPath='/abs', subPathExpr='x')])], 'volumes': [{'name': 'out', 'emptyDir': {}}]},
     [('@/containers/0/volumeMounts/0/subPath', INV, API), ('@/containers/0/volumeMounts/0/subPathExpr', INV, API)])
case('x-rs-device-dup-path-two-claims-001', 'ReplicaSet', 'volume-devices', "two claims attached at the same devicePath",
     {'containers': [ctr(devices=[{'name': 'a', 'devicePath': '/dev/xvdf'}, {'name': 'b', 'devicePath': '/dev/xvdf'}])],
      'volumes': [pvc_vol('a', 'disk-a'), pvc_vol('b', 'disk-b')]},
     [('@/containers/0/volumeDevices/1/devicePath', INV, API)])
case('x-ds-device-empty-name-001', 'DaemonSet', 'volume-devices', "volumeDevice with name ''",
     {'containers': [ctr(devices=[{'name': '', 'devicePath': '/dev/xvdg'}])], 'volumes': [pvc_vol('raw', 'raw-block')]},
     [('@/containers/0/volumeDevices/0/name', REQ, API)])


# ---------------------------------------------------------------- batch 11: huge pages
case('x-pod-hugepages-only-001', 'Pod', 'volume-source', "HugePages emptyDir with a container limiting only hugepages-2Mi",
     {'containers': [ctr(mounts=[m('hp', '/hugepages')], resources={'limits': {'hugepages-2Mi': '512Mi'}})],
      'volumes': [{'name': 'hp', 'emptyDir': {'medium': 'HugePages'}}]},
     [('@/containers/0/resources', FORB, API)])
case('x-deploy-hugepages-ok-001', 'Deployment', 'volume-source', "HugePages-2Mi emptyDir with hugepages and memory limits",
     {'containers': [ctr(mounts=[m('hp', '/hugepages')], resources={'limits': {'hugepages-2Mi': '512Mi', 'memory': '1Gi', 'cpu': '2'}, 'requests': {'hugepages-2Mi': '512Mi', 'memory': '1Gi', 'cpu': '2'}})],
      'volumes': [{'name': 'hp', 'emptyDir': {'medium': 'HugePages-2Mi'}}]})

def main():
    os.makedirs(os.path.join(HERE, 'cases'), exist_ok=True)
    for f in os.listdir(os.path.join(HERE, 'cases')):
        os.remove(os.path.join(HERE, 'cases', f))
    ids = set()
    with open(os.path.join(HERE, 'cases.jsonl'), 'w') as out:
        for c in CASES:
            assert c['id'] not in ids, c['id']; ids.add(c['id'])
            out.write(json.dumps(c) + '\n')
            with open(os.path.join(HERE, 'cases', c['id'] + '.yaml'), 'w') as f:
                f.write(c['yaml'])
    print(len(CASES), 'cases;', sum(1 for c in CASES if c['expected']['accepted']), 'accepted')

if __name__ == '__main__':
    main()
