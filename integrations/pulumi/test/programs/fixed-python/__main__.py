"""The seed, corrected: a headless Service, and a claim template that is a PVC with a name."""
import pulumi
from pulumi_kubernetes.apps.v1 import StatefulSet
from pulumi_kubernetes.core.v1 import Service

labels = {"app": "example"}

Service(
    "example",
    metadata={"name": "example"},
    spec={"clusterIP": "None", "selector": labels, "ports": [{"port": 80, "name": "web"}]},
)

StatefulSet(
    "example-statefulset",
    spec={
        "serviceName": "example",
        "replicas": 3,
        "selector": {"matchLabels": labels},
        "template": {
            "metadata": {"labels": labels},
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx:1.14.2",
                        "ports": [{"containerPort": 80, "name": "web"}],
                        "env": [
                            {
                                "name": "ADMIN_PASSWORD",
                                "value": pulumi.Output.secret("pw-S3cr3t-value"),
                            }
                        ],
                        "volumeMounts": [
                            {"mountPath": "/usr/share/nginx/html", "name": "data"}
                        ],
                    }
                ]
            },
        },
        "volumeClaimTemplates": [
            {
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ],
    },
)
