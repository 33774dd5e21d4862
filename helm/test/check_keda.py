#!/usr/bin/env python3
"""Runs the operator's KEDA trigger queries against a real Prometheus that scrapes two fleets in one namespace whose
names share a prefix (NAME and NAME-x): each query must parse, return a number, and read the series of NAME's pods
only, never the sibling's.

Usage: check_keda.py PROM_URL QUERIES.txt EXPECTED_POD
"""
import json
import re
import sys
import urllib.parse
import urllib.request


def query(prom, expr):
    with urllib.request.urlopen(prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}), timeout=10) as r:
        return json.load(r)["data"]["result"]


def main():
    prom, queries_file, pod = sys.argv[1:]
    queries = [q for q in open(queries_file).read().splitlines() if q.strip()]
    failures = []
    for q in queries:
        result = query(prom, q)
        if len(result) != 1 or result[0]["value"][1] in ("NaN", "+Inf"):
            failures.append(f"{q}\n      returned {result}")
        # The series the query reads: the pods behind each bucket selector, over the same window.
        for metric, selector in re.findall(r"(\w+_bucket)(\{[^}]*\})", q):
            pods = sorted(s["metric"]["pod"] for s in query(prom, f"count by (pod) ({metric}{selector})"))
            if pods != [pod]:
                failures.append(f"{metric}{selector}\n      reads pods {pods}, expected only {pod}")
    for f in failures:
        print("FAIL", f)
    print(f"keda: {len(queries)} trigger queries, {len(failures)} problem(s)")
    return 1 if failures or not queries else 0


if __name__ == "__main__":
    sys.exit(main())
