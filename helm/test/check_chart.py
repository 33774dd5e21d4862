#!/usr/bin/env python3
"""Checks the rendered chart against its rules. Usage: check_chart.py CHART DEFAULT.yaml NONDEFAULT.yaml MINIMAL.yaml

Every object: the standard labels. The operator pod: non-root, RuntimeDefault seccomp, no privilege escalation,
read-only root filesystem, all capabilities dropped. Images: tag = the chart's appVersion unless set; a digest wins.
Monitors and the PrometheusRule only when enabled. Dashboards: one ConfigMap each, sidecar label and folder annotation,
valid JSON.
CRD: the template renders the chart's copy unchanged (spec equal). values.yaml: every leaf key has a `# --` comment.
"""
import json
import re
import sys

import yaml

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def load(path):
    return [d for d in yaml.safe_load_all(open(path)) if d]


def by_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def env(container):
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def pod_security(dep, label):
    spec = dep["spec"]["template"]["spec"]
    psc, c = spec.get("securityContext", {}), spec["containers"][0]
    sc = c.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True and isinstance(psc.get("runAsUser"), int) and psc["runAsUser"] > 0,
          f"{label}: pod must run as a non-root UID")
    check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{label}: seccomp RuntimeDefault")
    check(sc.get("allowPrivilegeEscalation") is False, f"{label}: allowPrivilegeEscalation false")
    check(sc.get("readOnlyRootFilesystem") is True, f"{label}: readOnlyRootFilesystem")
    check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{label}: drop ALL capabilities")
    check(any(v["mountPath"] == "/tmp" for v in c.get("volumeMounts", [])), f"{label}: writable /tmp")


def labels(docs, label, extra=()):
    for d in docs:
        if d["kind"] == "Namespace":
            continue
        lab = d["metadata"].get("labels", {})
        for k in ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                  "app.kubernetes.io/managed-by", "helm.sh/chart", *extra):
            check(k in lab, f"{label}: {d['kind']} {d['metadata']['name']} lacks label {k}")


def leaves(tree, prefix=""):
    for k, v in tree.items():
        if isinstance(v, dict) and v:
            yield from leaves(v, prefix + k + ".")
        else:
            yield prefix + k


def values_documented(chart):
    """Every leaf key has a `# --` comment above it, or sits inside a documented key (a Kubernetes object value)."""
    lines = open(f"{chart}/values.yaml").read().splitlines()
    documented = []  # indents of enclosing keys that carry a comment
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)([A-Za-z][\w]*):(.*)$", line)
        if not m:
            continue
        indent = len(m.group(1))
        documented = [d for d in documented if d < indent]
        j = i - 1
        while j >= 0 and lines[j].strip().startswith("#") and not lines[j].strip().startswith("# --"):
            j -= 1
        has_doc = j >= 0 and lines[j].strip().startswith("# --")
        if has_doc:
            documented.append(indent)
        is_leaf = m.group(3).strip() != "" or not (i + 1 < len(lines) and lines[i + 1].startswith(m.group(1) + "  "))
        check(not is_leaf or has_doc or documented, f"values.yaml:{i + 1}: {m.group(2)} has no '# --' comment")


def schema_covers(chart):
    schema = json.load(open(f"{chart}/values.schema.json"))
    values = yaml.safe_load(open(f"{chart}/values.yaml"))

    def walk(v, s, path):
        if not isinstance(v, dict) or s.get("type") != "object" or "properties" not in s:
            return
        for k, sub in v.items():
            check(k in s["properties"], f"values.schema.json lacks {path}{k}")
            if k in s["properties"]:
                walk(sub, s["properties"][k], f"{path}{k}.")
    walk(values, schema, "")


def main():
    chart, default_path, nondefault_path, minimal_path = sys.argv[1:]
    meta = yaml.safe_load(open(f"{chart}/Chart.yaml"))
    app = meta["appVersion"]
    default, nondefault, minimal = load(default_path), load(nondefault_path), load(minimal_path)
    labels(default, "default")
    labels(nondefault, "non-default", extra=("team",))

    dep = by_kind(default, "Deployment")[0]
    pod_security(dep, "default")
    pod_security(by_kind(nondefault, "Deployment")[0], "non-default")
    c = dep["spec"]["template"]["spec"]["containers"][0]
    check(c["image"] == f"ghcr.io/tpp/tpp-operator:{app}", f"operator image {c['image']} != tag {app}")
    check(env(c)["TPP_PROXY_IMAGE"] == f"ghcr.io/tpp/tpp-proxy:{app}", "proxy image defaults to appVersion")
    check(env(c)["WATCH_NAMESPACES"] == "", "WATCH_NAMESPACES empty by default")
    nc = by_kind(nondefault, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]
    check(nc["image"].startswith("registry.example.test/tpp/operator@sha256:"), "digest wins over tag")
    check(env(nc)["TPP_PROXY_IMAGE"] == "registry.example.test/tpp/proxy:9.9.9", "proxy tag override")
    check(env(nc)["WATCH_NAMESPACES"] == "team-a,team-b", "WATCH_NAMESPACES from watchNamespaces")
    check(by_kind(nondefault, "Deployment")[0]["spec"]["template"]["spec"]["serviceAccountName"] == "tpp-sa",
          "serviceAccount.name")
    svc = by_kind(default, "Service")
    check(len(svc) == 1 and svc[0]["spec"]["ports"][0]["targetPort"] == "metrics", "operator metrics Service")

    for kind in ("ServiceMonitor", "PodMonitor", "PrometheusRule"):
        check(not by_kind(default, kind), f"{kind} rendered although disabled")
        check(len(by_kind(nondefault, kind)) == 1, f"{kind} missing although enabled")
    pm = by_kind(nondefault, "PodMonitor")
    if pm:
        check(pm[0]["spec"]["namespaceSelector"].get("matchNames") == ["team-a", "team-b"],
              "PodMonitor follows watchNamespaces")
        check(pm[0]["metadata"]["labels"].get("app.kubernetes.io/managed-by") == "Helm", "PodMonitor labels")
        check("app.kubernetes.io/instance" in pm[0]["spec"].get("podTargetLabels", []),
              "PodMonitor carries app.kubernetes.io/instance (dashboards and KEDA select on it)")

    pr = by_kind(nondefault, "PrometheusRule")
    if pr:
        rule = pr[0]["spec"]["groups"][0]["rules"][0]
        check(rule["alert"] == "TppCertificateExpiresSoon", "PrometheusRule: certificate expiry alert")
        check("< 21 * 86400" in rule["expr"] and rule["for"] == "30m" and rule["labels"]["severity"] == "critical",
              f"PrometheusRule follows its values: {rule}")
        check(pr[0]["metadata"]["labels"].get("release") == "kube-prometheus-stack", "PrometheusRule labels")

    for docs, label, ns, key, value, folder in (
            (default, "default", "tpp-system", "grafana_dashboard", "1", "ThreadPoolProxy"),
            (nondefault, "non-default", "monitoring", "grafana_dashboard_tpp", "yes", "Proxies")):
        cms = [d for d in by_kind(docs, "ConfigMap") if "-dashboard-" in d["metadata"]["name"]]
        check(len(cms) == 4, f"{label}: {len(cms)} dashboard ConfigMaps, expected 4")
        for cm in cms:
            check(cm["metadata"]["namespace"] == ns, f"{label}: dashboard namespace")
            check(cm["metadata"]["labels"].get(key) == value, f"{label}: dashboard label {key}={value}")
            check(cm["metadata"]["annotations"].get("grafana_folder") == folder, f"{label}: dashboard folder")
            for name, body in cm["data"].items():
                dash = json.loads(body)
                check(dash["templating"]["list"][0]["type"] == "datasource", f"{name}: datasource variable first")
                for panel in dash["panels"]:
                    if panel["type"] != "row":
                        check(panel["fieldConfig"]["defaults"].get("unit"), f"{name}: {panel['title']} has no unit")
                        check(panel["datasource"]["uid"] == "${datasource}", f"{name}: {panel['title']} datasource")
                check(not re.search(r'pod=~?"[a-z0-9-]+-[a-z0-9]{5}"', body), f"{name}: hard-coded pod name")

    crd_file = yaml.safe_load(open(f"{chart}/files/crds/threadpoolproxies.tpp.dev-v1.yml"))
    crds = by_kind(default, "CustomResourceDefinition")
    check(len(crds) == 1 and crds[0]["spec"] == crd_file["spec"], "rendered CRD spec differs from the chart's copy")
    if crds:
        check(crds[0]["metadata"].get("annotations", {}).get("helm.sh/resource-policy") == "keep", "CRD keep")
    check(not by_kind(nondefault, "CustomResourceDefinition")[0]["metadata"].get("annotations"), "crds.keep=false")
    kinds = {d["kind"] for d in minimal}
    check(kinds == {"Deployment"}, f"minimal rendering has {sorted(kinds)}, expected only the Deployment")

    values_documented(chart)
    schema_covers(chart)
    for e in errors:
        print(e)
    print(f"chart: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
