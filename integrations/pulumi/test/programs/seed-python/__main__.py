"""The seed: a claim template made by passing a PVC's spec where a PVC is expected."""
import pulumi
from pulumi_kubernetes.apps.v1 import StatefulSet
from pulumi_kubernetes.core.v1 import PersistentVolumeClaim

pvc = PersistentVolumeClaim(
    "example-pvc",
    metadata={"name": "data"},
    spec={
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
    },
)

StatefulSet(
    "example-statefulset",
    spec={
        "serviceName": "example",
        "replicas": 3,
        "selector": {"matchLabels": {"app": "example"}},
        "template": {
            "metadata": {"labels": {"app": "example"}},
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx:1.14.2",
                        "ports": [{"containerPort": 80, "name": "web"}],
                        "volumeMounts": [
                            {"mountPath": "/usr/share/nginx/html", "name": "data"}
                        ],
                    }
                ]
            },
        },
        "volumeClaimTemplates": [pvc.spec],
    },
)
