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


AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-"


def aggregated_roles(default, nondefault):
    """view (aggregated into view, edit, admin) and edit (into edit, admin) ClusterRoles, bound to nobody."""
    agg = {d["metadata"]["name"].rsplit("-", 1)[1]: d for d in by_kind(default, "ClusterRole")
           if any(k.startswith(AGGREGATE) for k in d["metadata"].get("labels", {}))}
    check(sorted(agg) == ["edit", "view"], f"aggregated ClusterRoles {sorted(agg)}, expected edit and view")
    want = {"view": {"view", "edit", "admin"}, "edit": {"edit", "admin"}}
    for name, role in agg.items():
        into = {k[len(AGGREGATE):] for k, v in role["metadata"]["labels"].items() if k.startswith(AGGREGATE) and v == "true"}
        check(into == want.get(name), f"{name} aggregates into {sorted(into)}")
    verbs = {(r, v) for role in agg.values() for rule in role["rules"] for r in rule["resources"] for v in rule["verbs"]}
    for need in (("threadpoolproxies", "get"), ("threadpoolproxies", "create"), ("threadpoolproxies", "delete"),
                 ("threadpoolproxies/scale", "update"), ("threadpoolproxies/status", "get")):
        check(need in verbs, f"aggregated roles lack {need}")
    bound = {d["roleRef"]["name"] for d in default if d["kind"] in ("ClusterRoleBinding", "RoleBinding")}
    check(not bound & {r["metadata"]["name"] for r in agg.values()}, "an aggregated role is bound")
    check(not [d for d in by_kind(nondefault, "ClusterRole") if any(k.startswith(AGGREGATE)
               for k in d["metadata"].get("labels", {}))], "aggregateToDefaultRoles=false still renders them")


def operator_availability(default, nondefault):
    """One replica: no PDB, no spread. Two (non-default values): a PDB and spread over nodes and zones."""
    check(not by_kind(default, "PodDisruptionBudget"), "a PDB for a single operator replica blocks node drains")
    check("topologySpreadConstraints" not in by_kind(default, "Deployment")[0]["spec"]["template"]["spec"],
          "topology spread with one replica")
    dep = by_kind(nondefault, "Deployment")[0]
    selector = dep["spec"]["selector"]["matchLabels"]
    pdb = by_kind(nondefault, "PodDisruptionBudget")
    check(len(pdb) == 1 and pdb[0]["spec"]["selector"]["matchLabels"] == selector
          and pdb[0]["spec"].get("maxUnavailable") == 1, "operator PDB with replicas 2")
    spread = dep["spec"]["template"]["spec"].get("topologySpreadConstraints", [])
    check(sorted(c["topologyKey"] for c in spread) == ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]
          and all(c["labelSelector"]["matchLabels"] == selector for c in spread), f"operator spread {spread}")


def network_policy(default, nondefault):
    check(not by_kind(default, "NetworkPolicy"), "NetworkPolicy rendered although disabled")
    nps = by_kind(nondefault, "NetworkPolicy")
    check(len(nps) == 1, "NetworkPolicy missing although enabled")
    if not nps:
        return
    spec = nps[0]["spec"]
    check(spec["podSelector"]["matchLabels"] == by_kind(nondefault, "Deployment")[0]["spec"]["selector"]["matchLabels"],
          "NetworkPolicy selects the operator pods")
    check(spec["ingress"][0]["ports"] == [{"port": "metrics", "protocol": "TCP"}]
          and spec["ingress"][0]["from"][0]["namespaceSelector"], "NetworkPolicy ingress: metrics port, metricsFrom")
    egress_ports = [p["port"] for rule in spec["egress"] for p in rule["ports"]]
    check(sorted(egress_ports, key=str) == sorted([53, 53, 443, 6443, "admin"], key=str), f"egress ports {egress_ports}")
    api = [r for r in spec["egress"] if any(p["port"] == 6443 for p in r["ports"])][0]
    check([t["ipBlock"]["cidr"] for t in api["to"]] == ["10.96.0.1/32", "192.0.2.10/32"], "apiServerCidrs")


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
        alerts = {r["alert"]: r for g in pr[0]["spec"]["groups"] for r in g["rules"]}
        check(sorted(alerts) == ["TppCertificateExpiresSoon", "TppEventLoopBlockP99High", "TppPoolRejections",
                                 "TppReconcileErrors", "TppWafRegexBudgetOverruns"], f"alerts {sorted(alerts)}")
        check(all(r["labels"]["severity"] == "critical" for r in alerts.values()), "alerts follow severity")
        check(all(r["for"] == "10m" for name, r in alerts.items() if name != "TppCertificateExpiresSoon"),
              "alerts other than certificate expiry hold for alertFor")
        rule = alerts.get("TppCertificateExpiresSoon", {"expr": "", "for": "", "labels": {}})
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

    aggregated_roles(default, nondefault)
    operator_availability(default, nondefault)
    network_policy(default, nondefault)
    # home/icon/sources must point at something that exists; the project has no public URL yet, so none is set,
    # and the placeholder organisation they once named must not come back.
    for key in ("home", "icon", "sources"):
        check("github.com/tpp/" not in json.dumps(meta.get(key, "")) and "githubusercontent.com/tpp/"
              not in json.dumps(meta.get(key, "")), f"Chart.yaml {key} names a repository that does not exist")

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
