#!/usr/bin/env python3
"""Structural check of deploy/kubernetes: asserts the settings docs/operations.md ("Kubernetes") promises are present with their values.

A JSON schema says whether a field is well-formed, not whether it is there: runAsNonRoot misspelt or a dropped
sysctl passes a schema and fails a cluster. This asserts presence and value, and that the numbers agree with each
other (preStop sleep, shutdown delay, grace period, status port, certificate paths). Needs python3-yaml.
Usage: deploy/kubernetes/check-manifests.py   (prints every problem, then one summary line; exit 1 on a problem)
"""
import re
import sys
from pathlib import Path

import yaml

here = Path(__file__).resolve().parent
DRAIN_SECONDS = 6  # EdgeProxyApp.ShutdownTimeout
DELAY_SECONDS = 3  # EDGEPROXY_SHUTDOWN_DELAY in the ConfigMaps
problems = []


def expect(condition, what):
    if not condition:
        problems.append(what)


def dig(node, *path):
    for key in path:
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


docs = {d["kind"]: d for d in yaml.safe_load_all((here / "edgeproxy.yaml").read_text()) if d}
for kind in ("Deployment", "PodDisruptionBudget", "Service", "NetworkPolicy"):
    expect(kind in docs, f"edgeproxy.yaml: no {kind}")
deployment = docs.get("Deployment", {})
labels = dig(deployment, "spec", "template", "metadata", "labels") or {}
expect(labels and dig(deployment, "spec", "selector", "matchLabels") == labels, "Deployment: selector does not match the pod labels")
expect(dig(deployment, "spec", "replicas") == 2, "Deployment: replicas is not 2")

pod = dig(deployment, "spec", "template", "spec") or {}
terms = dig(pod, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution") or []
expect(any(t.get("topologyKey") == "kubernetes.io/hostname" and dig(t, "labelSelector", "matchLabels") == labels for t in terms),
       "Deployment: no required pod anti-affinity across kubernetes.io/hostname for its own pods")
expect(pod.get("enableServiceLinks") is False, "pod: enableServiceLinks is not false (EDGEPROXY_* service variables stop EdgeProxy)")
expect(pod.get("automountServiceAccountToken") is False, "pod: automountServiceAccountToken is not false")
pod_security = pod.get("securityContext") or {}
for key, value in {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001}.items():
    expect(pod_security.get(key) == value, f"pod securityContext: {key} is {pod_security.get(key)!r}, expected {value!r}")
expect(dig(pod_security, "seccompProfile", "type") == "RuntimeDefault", "pod securityContext: seccompProfile is not RuntimeDefault")

containers = pod.get("containers") or [{}]
expect(len(containers) == 1, "pod: expected one container")
proxy = containers[0]
ports = {p.get("name"): p.get("containerPort") for p in proxy.get("ports") or []}
sysctls = {s.get("name"): s.get("value") for s in pod_security.get("sysctls") or []}
https_port = ports.get("https")
expect(https_port is not None, "container: no port named https")
if https_port is not None and https_port < 1024:
    start = sysctls.get("net.ipv4.ip_unprivileged_port_start")
    expect(start is not None and int(start) <= https_port,
           f"pod: port {https_port} as uid 10001 needs sysctl net.ipv4.ip_unprivileged_port_start <= {https_port}")
container_security = proxy.get("securityContext") or {}
expect(container_security.get("allowPrivilegeEscalation") is False, "container securityContext: allowPrivilegeEscalation is not false")
expect(container_security.get("readOnlyRootFilesystem") is True, "container securityContext: readOnlyRootFilesystem is not true")
expect(dig(container_security, "capabilities", "drop") == ["ALL"], "container securityContext: capabilities.drop is not [ALL]")

status_port = ports.get("status")
expect(status_port is not None, "container: no port named status")
for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
    get = dig(proxy, probe, "httpGet") or {}
    expect(get.get("path") == path and get.get("port") in ("status", status_port), f"container: {probe} is not httpGet {path} on the status port")
for resource in ("cpu", "memory"):
    for bound in ("requests", "limits"):
        expect(dig(proxy, "resources", bound, resource) is not None, f"container: resources.{bound}.{resource} is not set")

sleep = dig(proxy, "lifecycle", "preStop", "sleep", "seconds")
expect(isinstance(sleep, int) and sleep > 0, "container: no lifecycle.preStop.sleep.seconds")
grace = pod.get("terminationGracePeriodSeconds")
if isinstance(sleep, int):
    # preStop sleep, then EdgeProxy's own delay of the same length after SIGTERM, then its drain.
    expect(isinstance(grace, int) and grace > sleep + DELAY_SECONDS + DRAIN_SECONDS,
           f"pod: terminationGracePeriodSeconds {grace} does not exceed preStop {sleep} + delay {DELAY_SECONDS} + drain {DRAIN_SECONDS} s")

volumes = {v.get("name"): v for v in pod.get("volumes") or []}
expect(not any("emptyDir" in v for v in volumes.values()), "pod: an emptyDir volume (EdgeProxy writes no file)")
mounts = {m.get("mountPath"): m for m in proxy.get("volumeMounts") or []}
for path in ("/etc/edgeproxy/env", "/etc/edgeproxy/ssl"):
    expect(dig(mounts, path, "readOnly") is True, f"container: {path} is not mounted read-only")
env_volume = volumes.get(dig(mounts, "/etc/edgeproxy/env", "name")) or {}
certs_volume = volumes.get(dig(mounts, "/etc/edgeproxy/ssl", "name")) or {}
configmap_name = dig(env_volume, "configMap", "name")
expect(configmap_name is not None, "pod: /etc/edgeproxy/env is not a ConfigMap volume")
expect(dig(certs_volume, "secret", "secretName") is not None, "pod: /etc/edgeproxy/ssl is not a Secret volume")
expect(dig(certs_volume, "secret", "defaultMode") == 0o440, "pod: the certificates Secret's defaultMode is not 0440")

pdb = docs.get("PodDisruptionBudget", {})
expect(dig(pdb, "spec", "minAvailable") == 1 and dig(pdb, "spec", "selector", "matchLabels") == labels,
       "PodDisruptionBudget: not minAvailable 1 for the pods")
service = docs.get("Service", {})
expect(dig(service, "spec", "selector") == labels, "Service: selector does not match the pods")
expect(dig(service, "spec", "externalTrafficPolicy") == "Local", "Service: externalTrafficPolicy is not Local (the allow-list needs the client address)")
service_ports = dig(service, "spec", "ports") or []
expect([(p.get("port"), p.get("targetPort")) for p in service_ports] == [(443, "https")], "Service: expected exactly port 443 -> https (no status port)")
policy = docs.get("NetworkPolicy", {})
expect(dig(policy, "spec", "podSelector", "matchLabels") == labels, "NetworkPolicy: podSelector does not match the pods")
rules = dig(policy, "spec", "ingress") or []
rule_ports = [[p.get("port") for p in r.get("ports") or []] for r in rules]
expect(any(ps == ["https"] and not r.get("from") for ps, r in zip(rule_ports, rules)), "NetworkPolicy: 443 is not open from anywhere")
expect(all(r.get("from") for ps, r in zip(rule_ports, rules) if "status" in ps), "NetworkPolicy: the status port is open from anywhere")

# Every data centre's ConfigMap: the name the pod mounts, the status listener the probes reach, the certificates
# where the Secret is mounted, and the shutdown delay equal to the preStop sleep.
configmaps = sorted((here / "configmaps").glob("*.yaml"))
expect(len(configmaps) >= 6, f"configmaps/: {len(configmaps)} files, expected cloudconnect + 5 data centres")
for file in configmaps:
    name = f"configmaps/{file.name}"
    configmap = yaml.safe_load(file.read_text())
    expect(dig(configmap, "metadata", "name") == configmap_name, f"{name}: not named {configmap_name}")
    env = dig(configmap, "data", "cloudconnect.env") or ""
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", env, flags=re.M))
    expect(values.get("PROXY_BINDING_INTERNAL_IP") == "0.0.0.0", f"{name}: PROXY_BINDING_INTERNAL_IP is not 0.0.0.0 (the kubelet probes the pod IP)")
    expect(values.get("NGX_PRXY_STATUS_PORT") == str(status_port), f"{name}: NGX_PRXY_STATUS_PORT is not the status port {status_port}")
    expect(values.get("NGX_PRXY_CLOUDCONNECT_PORT", "443") == str(https_port), f"{name}: NGX_PRXY_CLOUDCONNECT_PORT is not the https port {https_port}")
    for key in ("NGX_SSL_CRT", "NGX_SSL_KEY", "NGX_PRXY_SSL_TRUST_CRT"):
        expect(values.get(key, "").startswith("/etc/edgeproxy/ssl/"), f"{name}: {key} is not under /etc/edgeproxy/ssl")
    for key in ("NGX_PRXY_CLOUDCONNECT_HOSTNAME", "NGX_CLOUDCONNECT_HOSTNAME", "NGX_CLOUDCONNECT_FAILOVER_HOSTNAME"):
        expect(values.get(key, "").endswith(".example.com"), f"{name}: {key} is not an example.com placeholder")
    delay = re.search(r"^EDGEPROXY_SHUTDOWN_DELAY=(\d+)s$", env, flags=re.M)
    expect(delay is not None and int(delay.group(1)) == DELAY_SECONDS, f"{name}: EDGEPROXY_SHUTDOWN_DELAY is not {DELAY_SECONDS} s")

secret = yaml.safe_load((here / "secret-example.yaml").read_text())
files = set((secret.get("stringData") or {}) | (secret.get("data") or {}))
expect(dig(secret, "metadata", "name") == dig(certs_volume, "secret", "secretName"), "secret-example.yaml: not the Secret the pod mounts")
expect(files == {"proxy.crt", "proxy.key", "cloudconnect-ca.crt"}, f"secret-example.yaml: keys {sorted(files)}, expected the three files the env files name")
expect("-----BEGIN" not in (here / "secret-example.yaml").read_text(), "secret-example.yaml: holds PEM material, placeholders only")

for problem in problems:
    print(f"check-manifests: {problem}")
print(f"check-manifests: {len(problems)} problem(s) in edgeproxy.yaml, {len(configmaps)} ConfigMaps and secret-example.yaml")
sys.exit(1 if problems else 0)
