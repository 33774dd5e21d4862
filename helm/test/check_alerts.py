#!/usr/bin/env python3
"""Checks the chart's PrometheusRule against a real Prometheus that loaded it (rule_files) and scrapes a real proxy.

ALERT must be firing for SERVER_NAME within 30 s (the test's certificate expires in 7 days; the rule was rendered with
for: 0s), and QUIET_RULES (the same rule rendered with a 1-day threshold) must match nothing when its expression is
evaluated: the threshold is the one the values set, not any certificate at all.

Usage: check_alerts.py PROM_URL ALERT SERVER_NAME QUIET_RULES.yml
"""
import json
import sys
import time
import urllib.parse
import urllib.request

import yaml


def get(prom, path):
    with urllib.request.urlopen(prom + path, timeout=10) as r:
        return json.load(r)


def main():
    prom, alert, server_name, quiet = sys.argv[1:]
    deadline, firing = time.time() + 30, []
    while time.time() < deadline:
        alerts = get(prom, "/api/v1/alerts")["data"]["alerts"]
        firing = [a for a in alerts if a["labels"].get("alertname") == alert and a["state"] == "firing"]
        if any(a["labels"].get("server_name") == server_name for a in firing):
            print(f"alerts: {alert} firing for {server_name}: {firing[0]['annotations'].get('summary')}")
            break
        time.sleep(1)
    else:
        print(f"FAIL {alert} not firing for {server_name} within 30s; firing: {firing}")
        return 1
    # the rule named ALERT, not the file's first one (TppEventLoopBlockP99High, which a loaded host can trip)
    rules = [r for g in yaml.safe_load(open(quiet))["groups"] for r in g["rules"] if r.get("alert") == alert]
    if len(rules) != 1:
        print(f"FAIL {quiet} has {len(rules)} rules named {alert}")
        return 1
    expr = rules[0]["expr"]
    result = get(prom, "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))["data"]["result"]
    if result:
        print(f"FAIL the 1-day rule matches a certificate that has 7 days left: {result}")
        return 1
    print("alerts: the 1-day threshold matches nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
