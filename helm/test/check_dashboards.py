#!/usr/bin/env python3
"""Evaluates every query of the chart's Grafana dashboards against a real Prometheus.

Proxy dashboards (fleet, pools, WAF): Prometheus scrapes a real proxy under load; every panel query and every
template-variable query must parse and return at least one sample with a number in it, so a renamed metric or label
fails. Metrics in PENDING are not exported by the proxy yet: their queries must parse and their names must be in
CONTRACT.md's metric table. Operator queries (every query of the Operator dashboard, and any query on the operator's
own tpp_operator_* status gauges, e.g. Fleet's replicas panel): no operator runs here, so they must parse, and every
operator_sdk_* / tpp_operator_* name and grouping label must appear in the output of helm/test/JosdkMetricNames.java
(the operator's real registry).

Template variables become what Grafana would send: $namespace -> the scrape's namespace label, $instance -> the
ThreadPoolProxy name (the app_kubernetes_io_instance label), multi-value "All" -> .*, $__rate_interval and
$__range -> a window that holds several scrapes.

Usage: check_dashboards.py DASHBOARD_DIR PROM_URL CONTRACT.md JOSDK_METRICS.txt NAMESPACE INSTANCE
"""
import json
import math
import pathlib
import re
import sys
import urllib.parse
import urllib.request

# metric -> why the proxy does not export it yet (empty now that upstream routes are wired on main).
PENDING = {}


def query(prom, expr):
    url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


def substitute(expr, ns, instance):
    for k, v in (("${namespace}", ns), ("$namespace", ns), ("${instance}", instance), ("$instance", instance),
                 ("$__rate_interval", "15s"), ("$__range", "1m"), ("$pod", ".*"), ("$pool", ".*")):
        expr = expr.replace(k, v)
    if "$" in expr.replace("$1", ""):
        raise ValueError(f"unsubstituted variable in {expr}")
    return expr


def has_number(result):
    for s in result:
        values = [s["value"]] if "value" in s else s.get("values", [])
        if any(not math.isnan(float(v[1])) for v in values):
            return True
    return False


def label_values_expr(q):
    """label_values(metric{sel}, label) -> an instant query returning one series per value."""
    m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", q.strip())
    if not m:
        raise ValueError(f"unsupported variable query {q}")
    return f"count by ({m.group(2)}) ({m.group(1)})", m.group(2)


def targets(dash):
    for panel in dash["panels"]:
        for t in panel.get("targets", []):
            yield panel["title"], t["expr"]


def main():
    ddir, prom, contract, josdk_file, ns, instance = sys.argv[1:]
    # "-": CONTRACT.md not found beside the checkout; pending metrics then only have to parse.
    contract_names = set(re.findall(r"`(tpp_[a-z_]+)`", pathlib.Path(contract).read_text())) if contract != "-" \
        else set(PENDING)
    josdk = pathlib.Path(josdk_file).read_text()
    josdk_names = set(re.findall(r"^((?:operator_sdk|tpp_operator)_\w+?)(?:\{| )", josdk, re.M))
    josdk_labels = set(re.findall(r'[{,](\w+)="', josdk))
    failures, checked, pending = [], 0, 0
    for path in sorted(pathlib.Path(ddir).glob("*.json")):
        dash = json.loads(path.read_text())
        operator = "operator" in dash.get("tags", [])
        exprs = list(targets(dash))
        for v in dash["templating"]["list"]:
            if v["type"] == "query":
                expr, label = label_values_expr(v["query"]["query"])
                exprs.append((f"variable ${v['name']}", expr))
        for title, raw in exprs:
            expr = substitute(raw, ns, instance)
            res = query(prom, expr)
            checked += 1
            where = f"{path.name} / {title}: {expr}"
            if res.get("status") != "success":
                failures.append(f"{where}\n      does not parse: {res.get('error')}")
                continue
            names = set(re.findall(r"\b((?:tpp|operator_sdk)_[a-z0-9_]+)", expr))
            if operator or any(n.startswith("tpp_operator_") for n in names):
                for n in names:
                    base = re.sub(r"_(bucket|count|sum|max)$", "", n)
                    if n not in josdk_names and base not in {re.sub(r"_(bucket|count|sum|max)$", "", j)
                                                             for j in josdk_names}:
                        failures.append(f"{where}\n      {n} is not a metric the operator's registry produces")
                for group in re.findall(r"by \(([^)]*)\)", expr):
                    for label in (x.strip() for x in group.split(",")):
                        if label not in ("le", "pod", "namespace") and \
                                label.removeprefix("exported_") not in josdk_labels:
                            failures.append(f"{where}\n      label {label} is not on any operator metric")
                continue
            missing = {n for n in names if re.sub(r"_(bucket|count|sum)$", "", n) in PENDING}
            if missing:
                pending += 1
                for n in missing:
                    if n not in contract_names:
                        failures.append(f"{where}\n      {n} is pending and not in CONTRACT.md either")
                continue
            # A label that no series has still "works" in `sum by (...)`, so grouping labels are checked on their own.
            made = set(re.findall(r',\s*"(\w+)",\s*"\$\d+"', expr))  # label_replace(v, "dst", "$1", ...)
            for group in re.findall(r"by \(([^)]*)\)", expr):
                for label in (x.strip() for x in group.split(",")):
                    if label == "le" or label in made:
                        continue
                    probe = query(prom, f'count({{__name__=~"{"|".join(sorted(names))}", {label}!=""}})')
                    if probe.get("status") != "success" or not probe["data"]["result"]:
                        failures.append(f"{where}\n      no series of {sorted(names)} has label {label}")
            if not res["data"]["result"]:
                failures.append(f"{where}\n      returned no data")
            elif res["data"]["resultType"] in ("vector", "matrix") and not has_number(res["data"]["result"]):
                failures.append(f"{where}\n      returned only NaN")
    print(f"dashboards: {checked} queries evaluated ({pending} on pending metrics: parse only), "
          f"{len(failures)} failed")
    for f in failures:
        print("  FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
