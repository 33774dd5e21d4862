#!/usr/bin/env python3
"""Checks that the chart's RBAC grants exactly the API calls the operator makes: all of them, nothing more.

The required list is derived from the operator's sources (operator/src/main/java), not written by hand:
  1. the reconciler: `implements Reconciler<T>` -> T list/watch (JOSDK's primary informer); `UpdateControl.patchStatus`
     -> T/status patch (JOSDK 5 patches the primary's status with server-side apply: useSSAToPatchPrimaryResource()
     defaults to true);
  2. each `@Dependent(type = X.class)` -> X `extends CRUDKubernetesDependentResource<Kind, ...>` -> Kind list/watch
     (its informer) and create+update for ConfigMap/Secret (JOSDK's defaultNonSSAResources(): POST and PUT) or
     patch+create for every other kind (server-side apply creates and updates, and the API server authorizes an
     apply that creates the object as `create` as well as `patch`); a `reconcilePrecondition`/`activationCondition`
     adds delete (JOSDK deletes the dependent while the condition is false);
  3. every statement that calls the Kubernetes client directly (`client.`, `getClient()`, a `KubernetesClient`
     parameter) must match one row of CLIENT_CALLS below, which says what it costs; a statement that matches none
     fails the test, so a new API call cannot slip past it;
  4. each extra event source: `InformerEventSourceConfiguration.from(Kind.class, ...)` -> Kind list/watch (its
     informer); `new PerResourcePollingEventSource<>(` -> nothing (FleetScrapes: its fetcher reads the pod
     informer's cache and the pods' admin ports over HTTP); any other `new ...EventSource(` fails the test until this
     script knows what it calls;
  5. `LeaderElectionConfiguration(NAME, ...)` -> leases get/update/patch on NAME and create, in the operator's
     namespace (fabric8's LeaseLock renews by PATCH; the real API server in e2e refused it without patch).
The JOSDK/fabric8 facts were read from the 5.2.3 / 7.5.2 jars (javap): KubernetesDependentResource.create/update,
ConfigurationService.defaultNonSSAResources = {ConfigMap, Secret}, HasMetadataOperation.scale(int) = GET .../scale,
PUT .../scale, GET the resource; LeaderElectionManager.checkLeaseAccess posts a SelfSubjectRulesReview, which the
built-in system:basic-user role allows to everyone, so it needs no rule here.

Usage: check_rbac.py OPERATOR_SRC_DIR RENDERED_DEFAULT.yaml RENDERED_NAMESPACED.yaml RELEASE_NAMESPACE WATCHED_NS...
"""
import pathlib
import re
import sys

import yaml

# fabric8 model class -> (API group, resource)
KINDS = {
    "ConfigMap": ("", "configmaps"), "Secret": ("", "secrets"), "Service": ("", "services"), "Pod": ("", "pods"),
    "Event": ("", "events"), "Deployment": ("apps", "deployments"), "StatefulSet": ("apps", "statefulsets"),
    "PodDisruptionBudget": ("policy", "poddisruptionbudgets"), "ServiceAccount": ("", "serviceaccounts"),
    "HorizontalPodAutoscaler": ("autoscaling", "horizontalpodautoscalers"),
    "ThreadPoolProxy": ("tpp.dev", "threadpoolproxies"),
    "EndpointSlice": ("discovery.k8s.io", "endpointslices"),
}
NON_SSA = {"ConfigMap", "Secret"}  # JOSDK ConfigurationService.defaultNonSSAResources()

# (regex over one statement, [(group, resource, verbs, scope)]); scope "watched" = the namespaces the operator
# watches, "cluster" = cluster-scoped, "operator" = the operator's own namespace. Harmless calls map to [].
CLIENT_CALLS = [
    (r"\.configMaps\(\).*\.withName\(.*\)\.get\(\)", [("", "configmaps", {"get"}, "watched")]),
    (r"\.secrets\(\).*\.withName\(.*\)\.get\(\)", [("", "secrets", {"get"}, "watched")]),
    (r"\.services\(\).*\.withName\(.*\)\.get\(\)", [("", "services", {"get"}, "watched")]),
    (r"\.events\(\).*\.create\(\)", [("", "events", {"create"}, "watched")]),
    (r"customResourceDefinitions\(\)\.withName\(CRD\)\.get\(\)",
     [("apiextensions.k8s.io", "customresourcedefinitions", {"get"}, "cluster:scaledobjects.keda.sh")]),
    (r"genericKubernetesResources\(KEDA\)", []),  # the variable it yields is checked by the three rows below
    (r"scaledObjects\.resource\(.*\.serverSideApply\(\)", [("keda.sh", "scaledobjects", {"patch", "create"}, "watched")]),
    (r"scaledObjects\.withName\(.*\)\.get\(\)", [("keda.sh", "scaledobjects", {"get"}, "watched")]),
    (r"scaledObjects\.withName\(.*\)\.delete\(\)", [("keda.sh", "scaledobjects", {"delete"}, "watched")]),
    (r"resources\(ThreadPoolProxy\.class\).*\.scale\(",
     [("tpp.dev", "threadpoolproxies/scale", {"get", "update"}, "watched"),
      ("tpp.dev", "threadpoolproxies", {"get"}, "watched")]),
    (r"new KubernetesClientBuilder\(\)\.build\(\)", []),
    (r"client\.getNamespace\(\)", []),
    (r"withKubernetesClient\(client\)", []),
    (r"new EventRecorder\(context\.getClient\(\)\)", []),
    (r"scaledObject\.reconcile\(context\.getClient\(\)", []),
    (r"ScaleWriter\.apply\(context\.getClient\(\)", []),
    (r"this\.client = client", []),
]
CLIENT_USE = re.compile(r"\bclient\.|getClient\(\)|\bscaledObjects\.")


def statements(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    out = [re.sub(r"\s*\.\s*", ".", " ".join(s.split())) for s in text.split(";")]
    return [s for s in out if not s.startswith(("import ", "package "))]


def required(src):
    need, errors = [], []
    files = sorted(pathlib.Path(src).rglob("*.java"))
    classes = {f.stem: f for f in files}
    for f in files:
        body = f.read_text()
        m = re.search(r"implements Reconciler<(\w+)>", body)
        if m:
            g, r = KINDS[m.group(1)]
            need.append((g, r, {"list", "watch"}, "watched", f"{f.name}: primary informer"))
            if "UpdateControl.patchStatus" in body:
                need.append((g, r + "/status", {"patch"}, "watched", f"{f.name}: patchStatus (SSA)"))
            for dep in re.finditer(r"@Dependent\(([^)]*?type\s*=\s*(\w+)\.class[^)]*)\)", body, re.S):
                args, cls = dep.group(1), dep.group(2)
                dsrc = classes[cls].read_text()
                k = re.search(r"extends CRUDKubernetesDependentResource<\s*(\w+)", dsrc)
                if not k:
                    errors.append(f"{cls}: not a CRUDKubernetesDependentResource; teach check_rbac.py its verbs")
                    continue
                kind = k.group(1)
                if kind not in KINDS:
                    errors.append(f"{cls}: unknown kind {kind}; add it to KINDS")
                    continue
                g, r = KINDS[kind]
                verbs = {"list", "watch", "create"} | ({"update"} if kind in NON_SSA else {"patch"})
                if re.search(r"reconcilePrecondition|activationCondition", args):
                    verbs.add("delete")
                need.append((g, r, verbs, "watched", f"{cls} ({kind})"))
        for es in re.finditer(r"InformerEventSourceConfiguration\s*\.from\(\s*(\w+)\.class", body):
            if es.group(1) not in KINDS:
                errors.append(f"{f.name}: event source on unknown kind {es.group(1)}; add it to KINDS")
                continue
            g, r = KINDS[es.group(1)]
            need.append((g, r, {"list", "watch"}, "watched", f"{f.name}: informer event source"))
        for es in re.finditer(r"new (\w*EventSource)\b", body):
            if es.group(1) not in ("InformerEventSource", "PerResourcePollingEventSource"):
                errors.append(f"{f.name}: {es.group(1)}: unknown event source; teach check_rbac.py its API calls")
        le = re.search(r'new LeaderElectionConfiguration\(\s*"([^"]+)"', body)
        if le:
            need.append(("coordination.k8s.io", "leases", {"get", "update", "patch"}, "operator:" + le.group(1), f.name))
            need.append(("coordination.k8s.io", "leases", {"create"}, "operator", f.name))
        # The API server is reached only through fabric8's client (JOSDK's Context hands out the same one); files
        # that use neither talk to other things (HttpPodScraper: the JDK HttpClient to pod admin ports).
        if "io.fabric8.kubernetes.client" not in body and "getClient()" not in body:
            continue
        for st in statements(f):
            if not CLIENT_USE.search(st) and "genericKubernetesResources" not in st:
                continue
            hits = [rows for rx, rows in CLIENT_CALLS if re.search(rx, st)]
            if not hits:
                errors.append(f"{f.name}: API call not in check_rbac.py's CLIENT_CALLS: {st[:160]}")
            for rows in hits:
                for g, r, v, scope in rows:
                    need.append((g, r, v, scope, f.name))
    return need, errors


def grants(docs):
    """(kind, namespace or None, rules) per role that is bound to something."""
    bound = {(d["roleRef"]["kind"], d["roleRef"]["name"], d["metadata"].get("namespace"))
             for d in docs if d and d["kind"] in ("ClusterRoleBinding", "RoleBinding")}
    out = []
    for d in docs:
        if not d or d["kind"] not in ("ClusterRole", "Role"):
            continue
        ns = d["metadata"].get("namespace")
        if any(b[0] == d["kind"] and b[1] == d["metadata"]["name"] and (d["kind"] == "ClusterRole" or b[2] == ns)
               for b in bound):
            out.append((d["kind"], ns, d.get("rules", [])))
    return out


def allowed(roles, group, resource, verb, ns, name=None):
    for kind, rns, rules in roles:
        if kind == "Role" and rns != ns:
            continue
        for rule in rules:
            if group in rule.get("apiGroups", []) and resource in rule.get("resources", []) \
                    and verb in rule.get("verbs", []):
                names = rule.get("resourceNames")
                if not names or (name and name in names):
                    return True
    return False


def check(need, docs, release_ns, watched):
    roles = grants(docs)
    failures, used = [], set()
    for g, r, verbs, scope, why in need:
        where, _, name = scope.partition(":")
        namespaces = {"watched": watched or ["any-namespace"], "operator": [release_ns], "cluster": [None]}[where]
        for verb in sorted(verbs):
            for ns in namespaces:
                if not allowed(roles, g, r, verb, ns, name or None):
                    failures.append(f"missing: {verb} {g or 'core'}/{r} in {ns or 'cluster'} ({why})")
            used.add((g, r, verb))
    for kind, ns, rules in roles:
        for rule in rules:
            for g in rule.get("apiGroups", []):
                for r in rule.get("resources", []):
                    for v in rule.get("verbs", []):
                        if (g, r, v) not in used:
                            failures.append(f"excess: {kind} {ns or ''} grants {v} {g or 'core'}/{r}, "
                                            "which the operator never calls")
    return failures


def main():
    src, default_yaml, namespaced_yaml, release_ns, *watched = sys.argv[1:]
    need, errors = required(src)
    kinds = sorted({(g, r) for g, r, *_ in need})
    print(f"rbac: {len(need)} API uses derived from {src}, {len(kinds)} resources: "
          + ", ".join(f"{g or 'core'}/{r}" for g, r in kinds))
    failures = list(errors)
    for label, path, ns in (("all namespaces", default_yaml, []), ("watchNamespaces", namespaced_yaml, watched)):
        docs = list(yaml.safe_load_all(open(path)))
        bad = check(need, docs, release_ns, ns)
        cluster_scoped = {(g, r) for g, r, _, scope, _ in need if scope.startswith("cluster")}
        for d in docs:
            if d and d["kind"] == "Role" and d["metadata"].get("namespace") not in ns + [release_ns]:
                bad.append(f"Role in {d['metadata'].get('namespace')}, which the operator does not watch")
            # aggregated roles extend Kubernetes' view/edit/admin for people; they are bound to no operator account
            aggregated = d and any(k.startswith("rbac.authorization.k8s.io/aggregate-to-")
                                   for k in d["metadata"].get("labels", {}))
            if ns and d and d["kind"] == "ClusterRole" and not aggregated:
                for rule in d.get("rules", []):
                    extra = {(g, r) for g in rule["apiGroups"] for r in rule["resources"]} - cluster_scoped
                    if extra:
                        bad.append(f"with watchNamespaces the ClusterRole still grants namespaced {sorted(extra)}")
        failures += [f"[{label}] {b}" for b in bad]
        print(f"rbac: {label}: {'ok' if not bad else str(len(bad)) + ' problem(s)'}")
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
