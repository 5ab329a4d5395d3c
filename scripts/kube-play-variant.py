#!/usr/bin/env python3
"""Writes the test-only variant of deploy/kubernetes that `podman kube play` runs (scripts/container-test.sh).

Usage: kube-play-variant.py SUFFIX IMAGE SIMULATOR_IMAGE LAB_CERTS_DIR SECRET_DIR > play.yaml

From edgeproxy.yaml's Deployment it makes one Pod with the same pod template (security context, sysctl, probes,
preStop, resources, mounts) and two simulator containers beside EdgeProxy, on 127.0.0.11 and 127.0.0.12 in the
pod's own network namespace: podman plays one pod per Deployment and has no Service, so the Cloud Connect nodes
live in the pod, on loopback. The ConfigMap is configmaps/webex-eu-london.yaml with the lab's nodes, host name and
client addresses. What differs from a cluster, and why:
  - names get SUFFIX, so runs on one machine do not share podman's volumes and secrets;
  - no anti-affinity (one host);
  - no `ports` list, and the probes name the status port by number: podman 4.3 turns a containerPort into a port
    mapping, which a pod without a network (--network none, loopback only) refuses;
  - the certificates Secret volume becomes a hostPath volume of SECRET_DIR, which the test lays out as the kubelet
    would (proxy.crt, proxy.key, cloudconnect-ca.crt; group 10001 for fsGroup, mode 0440 for defaultMode).
    podman 4.3 cannot play any `secret:` volume: it dereferences a nil secrets manager in VolumeFromSecret, whether
    the Secret is in the played file or in podman's secret store (`podman secret create`; checked), and panics.
"""
import copy
import re
import sys
from pathlib import Path

import yaml

here = Path(__file__).resolve().parent
kube = here.parent / "deploy" / "kubernetes"


def lab_env(text):
    """The production env file, pointed at the lab: simulators, sample certificates' host name, loopback clients."""
    replacements = {
        "NGX_PRXY_CLOUDCONNECT_HOSTNAME": "edgeproxy.lab.local",
        "NGX_CLOUDCONNECT_HOSTNAME": "127.0.0.11:8445",
        "NGX_CLOUDCONNECT_FAILOVER_HOSTNAME": "127.0.0.12:8445",
        "NGX_CLOUDCONNECT_CLIENT_IPS": '"127.0.0.0/8|::1"',
    }
    for key, value in replacements.items():
        text, count = re.subn(rf"^{key}=.*$", f"{key}={value}", text, flags=re.M)
        if count != 1:
            sys.exit(f"kube-play-variant: {key} is set {count} times in the ConfigMap, expected once")
    # The sample certificates are public: EdgeProxy warns unless told this is the lab.
    return text + "\n# Lab only (the container test).\nEDGEPROXY_ENVIRONMENT=lab\n"


def main(suffix, image, simulator_image, lab_certs, secret_dir):
    documents = list(yaml.safe_load_all((kube / "edgeproxy.yaml").read_text()))
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    configmap = yaml.safe_load((kube / "configmaps" / "webex-eu-london.yaml").read_text())

    configmap["metadata"]["name"] += suffix
    configmap["data"]["cloudconnect.env"] = lab_env(configmap["data"]["cloudconnect.env"])

    spec = copy.deepcopy(deployment["spec"]["template"]["spec"])
    spec.pop("affinity", None)
    proxy = spec["containers"][0]
    proxy["image"] = image
    proxy["imagePullPolicy"] = "Never"
    ports = {port["name"]: port["containerPort"] for port in proxy.pop("ports")}
    for probe in ("livenessProbe", "readinessProbe"):
        proxy[probe]["httpGet"]["port"] = ports[proxy[probe]["httpGet"]["port"]]
    for volume in spec["volumes"]:
        if "configMap" in volume:
            volume["configMap"]["name"] += suffix
        if "secret" in volume:
            del volume["secret"]
            volume["hostPath"] = {"path": secret_dir, "type": "Directory"}
    spec["volumes"].append({"name": "lab-certs", "hostPath": {"path": lab_certs, "type": "Directory"}})

    def simulator(name, address, *extra):
        return {
            "name": name,
            "image": simulator_image,
            "imagePullPolicy": "Never",
            "args": ["--node-name", name, "--listen", f"{address}:8445", "--admin", f"{address}:18445",
                     "--cert", f"/certs/{name}.crt", "--key", f"/certs/{name}.key", "--client-ca", "/certs/ca.crt", *extra],
            "securityContext": copy.deepcopy(proxy["securityContext"]),
            "volumeMounts": [{"name": "lab-certs", "mountPath": "/certs", "readOnly": True}],
        }

    spec["containers"] += [simulator("publisher", "127.0.0.11"), simulator("subscriber", "127.0.0.12", "--standby")]
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": deployment["metadata"]["name"] + suffix, "labels": deployment["spec"]["template"]["metadata"]["labels"]},
        "spec": spec,
    }
    yaml.safe_dump_all([configmap, pod], sys.stdout, sort_keys=False, width=200)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__.split("\n\n")[1])
    main(*sys.argv[1:])
