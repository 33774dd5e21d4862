#!/usr/bin/env python3
"""Writes the chart's Grafana dashboards (helm/threadpoolproxy/dashboards/*.json) from one description.

One generator keeps the four dashboards consistent: a datasource variable, namespace/instance/pod variables on
the `namespace` and `pod` labels any Kubernetes scrape config adds and `app_kubernetes_io_instance` (the chart's
PodMonitor, or a `labelmap` of `__meta_kubernetes_pod_label_(.+)`), units on every panel, $__rate_interval
in every rate, and no hard-coded pod names. helm/test.sh regenerates them and fails when the committed JSON is stale,
then evaluates every panel query against a real Prometheus scraping a real proxy.

Usage: helm/tools/dashboards.py [OUT_DIR]   (default: helm/threadpoolproxy/dashboards)
"""
import json
import os
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
# The instance variable is the ThreadPoolProxy NAME: the pods' app.kubernetes.io/instance label, which the chart's
# PodMonitor copies into this target label (podTargetLabels). A pod-name prefix would also match a sibling NAME-x.
INSTANCE = 'app_kubernetes_io_instance'
OF_INSTANCE = f'namespace=~"$namespace", {INSTANCE}=~"$instance"'
SEL = f'{OF_INSTANCE}, pod=~"$pod"'
RATE = "[$__rate_interval]"
BLOCKED = 'action="blocked"'
REJECTED = 'outcome="rejected"'
INLINED = 'outcome="inlined"'
FAILURE = 'result="failure"'
RESUMED = 'result="resumed"'
COMPLETED = 'result=~"success|resumed"'
TLS_POOL = 'pool="tls"'


def sel(extra=""):
    return "{" + SEL + (", " + extra if extra else "") + "}"


def p(q, legend):
    return {"expr": q, "legendFormat": legend}


def quantile(q, metric, by, extra=""):
    group = ", ".join(by + ["le"])
    return f"histogram_quantile({q}, sum by ({group}) (rate({metric}_bucket{sel(extra)}{RATE})))"


def timeseries(title, targets, unit, desc, stack=False, w=12, h=8, minv=None, maxv=None):
    defaults = {"unit": unit, "custom": {"fillOpacity": 10 if not stack else 60, "lineWidth": 1,
                                         "showPoints": "never",
                                         "stacking": {"mode": "normal" if stack else "none", "group": "A"}}}
    if minv is not None:
        defaults["min"] = minv
    if maxv is not None:
        defaults["max"] = maxv
    return {"type": "timeseries", "title": title, "description": desc, "datasource": DS, "w": w, "h": h,
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["mean", "max", "lastNotNull"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "targets": targets}


def stat(title, targets, unit, desc, w=6, h=4):
    return {"type": "stat", "title": title, "description": desc, "datasource": DS, "w": w, "h": h,
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "colorMode": "value", "graphMode": "area"},
            "targets": targets}


def table(title, targets, unit, desc, w=12, h=8):
    for t in targets:
        t.update({"instant": True, "format": "table"})
    return {"type": "table", "title": title, "description": desc, "datasource": DS, "w": w, "h": h,
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"showHeader": True}, "transformations": [{"id": "organize", "options": {
                "excludeByName": {"Time": True}}}],
            "targets": targets}


def bargauge(title, targets, unit, desc, w=12, h=8):
    for t in targets:
        t["instant"] = True
    return {"type": "bargauge", "title": title, "description": desc, "datasource": DS, "w": w, "h": h,
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"orientation": "horizontal", "displayMode": "gradient",
                        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
            "targets": targets}


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "w": 24, "h": 1, "panels": []}


def var_datasource():
    return {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1, "regex": "", "includeAll": False, "multi": False}


def var_query(name, label, query, regex="", multi=True, include_all=True):
    v = {"name": name, "label": label, "type": "query", "datasource": DS,
         "query": {"query": query, "refId": f"{name}-var"}, "definition": query, "refresh": 2, "regex": regex,
         "sort": 1, "multi": multi, "includeAll": include_all, "current": {}, "hide": 0, "options": []}
    if include_all:
        v["allValue"] = ".*"
    return v


def proxy_vars(extra=()):
    return [
        var_datasource(),
        var_query("namespace", "Namespace", "label_values(tpp_config_info, namespace)"),
        var_query("instance", "ThreadPoolProxy", f'label_values(tpp_config_info{{namespace=~"$namespace"}}, {INSTANCE})'),
        var_query("pod", "Pod", f'label_values(tpp_config_info{{{OF_INSTANCE}}}, pod)'),
        *extra,
    ]


def layout(panels):
    """Assigns ids and gridPos left to right, wrapping at 24 columns."""
    x = y = row_h = 0
    out = []
    for i, panel in enumerate(panels, start=1):
        w, h = panel.pop("w"), panel.pop("h")
        if x + w > 24 or panel["type"] == "row":
            x, y, row_h = 0, y + row_h, 0
        panel["gridPos"] = {"x": x, "y": y, "w": w, "h": h}
        panel["id"] = i
        for j, t in enumerate(panel.get("targets", [])):
            t["refId"] = chr(ord("A") + j)
            t["datasource"] = DS
        x, row_h = x + w, max(row_h, h)
        if panel["type"] == "row":
            x, y, row_h = 0, y + h, 0
        out.append(panel)
    return out


def dashboard(uid, title, desc, variables, panels, tags):
    return {
        "uid": uid, "title": title, "description": desc, "tags": ["tpp"] + tags, "editable": True,
        "schemaVersion": 39, "version": 1, "time": {"from": "now-1h", "to": "now"}, "refresh": "30s",
        "timezone": "", "graphTooltip": 1, "fiscalYearStartMonth": 0, "liveNow": False, "weekStart": "",
        "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                  "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                                  "name": "Annotations & Alerts", "type": "dashboard"}]},
        "links": [{"title": "tpp dashboards", "type": "dashboards", "tags": ["tpp"], "asDropdown": True,
                   "includeVars": True, "keepTime": True}],
        "templating": {"list": variables},
        "panels": layout(panels),
    }


def fleet():
    panels = [
        row("Traffic"),
        stat("Requests/s", [p(f"sum(rate(tpp_http_requests_total{sel()}{RATE}))", "req/s")], "reqps",
             "All requests served by the selected pods."),
        stat("Pods serving", [p(f"count(tpp_config_info{sel()})", "pods")], "none",
             "Pods that expose metrics (one tpp_config_info series each)."),
        stat("Config hashes in force", [p(f"count(count by (hash) (tpp_config_info{sel()}))", "hashes")], "none",
             "1 when every pod runs the same config; more while a change rolls out or a reload failed."),
        stat("WAF blocked/s", [p(f'sum(rate(tpp_waf_requests_total{sel(BLOCKED)}{RATE}))',
                                 "blocked/s")], "reqps", "Requests the WAF denied."),
        timeseries("Requests/s by route", [p(f"sum by (route) (rate(tpp_http_requests_total{sel()}{RATE}))",
                                             "{{route}}")], "reqps", "Requests served, by route (path prefix)."),
        timeseries("Responses/s by status", [p(f"sum by (status) (rate(tpp_http_requests_total{sel()}{RATE}))",
                                               "{{status}}")], "reqps", "Responses by HTTP status.", stack=True),
        timeseries("Latency p50 / p99 by route",
                   [p(quantile(0.5, "tpp_http_request_duration_seconds", ["route"]), "p50 {{route}}"),
                    p(quantile(0.99, "tpp_http_request_duration_seconds", ["route"]), "p99 {{route}}")], "s",
                   "First byte in to last byte out (tpp_http_request_duration_seconds).", w=24),
        row("Event loops"),
        timeseries("Event-loop block p99 per pod", [p(quantile(0.99, "tpp_event_loop_block_seconds", ["pod"]),
                                                      "{{pod}}")], "s",
                   "How long ready work waited because a loop was busy; the operator scales on the mean of these."),
        timeseries("Event-loop block p99 per worker",
                   [p(quantile(0.99, "tpp_event_loop_block_seconds", ["pod", "worker"]), "{{pod}} w{{worker}}")], "s",
                   "The same per event-loop thread: one hot worker shows up here first."),
        timeseries("Busy ratio per worker",
                   [p(f"sum by (pod, worker) (rate(tpp_event_loop_busy_seconds_total{sel()}{RATE}))",
                      "{{pod}} w{{worker}}")], "percentunit",
                   "Share of time each event loop ran tasks and I/O (1 = never idle).", minv=0),
        timeseries("Active connections per worker",
                   [p(f"sum by (pod, worker) (tpp_connections_active{sel()})", "{{pod}} w{{worker}}")], "none",
                   "Connection balance across workers (SO_REUSEPORT or one acceptor)."),
        row("Fleet"),
        # The operator's status gauges (StatusMetrics): scraped from the operator pod, so the resource's own
        # `namespace` label arrives as `exported_namespace` (as on the Operator dashboard); `name` is the resource.
        timeseries("Replicas: spec / desired / ready",
                   [p('max by (exported_namespace, name, kind) (tpp_operator_replicas'
                      '{exported_namespace=~"$namespace", name=~"$instance"})',
                      "{{exported_namespace}}/{{name}} {{kind}}")], "none",
                   "From the operator's status metrics (tpp_operator_replicas): spec.replicas, the autoscaler's "
                   "status.desiredReplicas (empty without autoscaling) and the Deployment's ready replicas."),
        timeseries("Pods per config hash (convergence)",
                   [p(f"count by (hash) (tpp_config_info{sel()})", "{{hash}}")], "none",
                   "One line at the pod count once a config change has reached every pod.", stack=True),
        table("Config hash per pod", [p(f"max by (namespace, pod, hash) (tpp_config_info{sel()})", "")], "none",
              "The config each pod runs (GET /config on its admin port shows the same hash)."),
        timeseries("Config reloads/s", [p(f"sum by (result) (rate(tpp_config_reloads_total{sel()}{RATE}))",
                                          "{{result}}")], "ops", "Hot reloads by result; failures keep the last good config."),
        timeseries("WAF verdicts/s", [p(f"sum by (action) (rate(tpp_waf_requests_total{sel()}{RATE}))",
                                        "{{action}}")], "reqps", "passed / blocked / detected.", stack=True),
        timeseries("Upstream results/s", [p(f"sum by (upstream, outcome) (rate(tpp_upstream_requests_total{sel()}{RATE}))",
                                            "{{upstream}} {{outcome}}")], "reqps",
                   "ok, connect_error, timeout, reset, no_endpoint per upstream."),
        timeseries("Upstream endpoints by state",
                   [p(f"sum by (upstream, state) (tpp_upstream_endpoints{sel()})", "{{upstream}} {{state}}")],
                   "none", "Endpoints the balancer knows (tpp_upstream_endpoints): healthy, ejected by outlier "
                   "detection, draining (removed, requests still in flight). Summed over pods.", stack=True),
        timeseries("Upstream ejections/s",
                   [p(f"sum by (upstream) (rate(tpp_upstream_ejections_total{sel()}{RATE}))", "{{upstream}}")],
                   "ops", "Endpoints ejected by outlier detection (consecutive connect errors or 5xx)."),
        *tls_row(),
        timeseries("HTTP/2 connections and streams",
                   [p(f"sum(tpp_http2_connections_active{sel()})", "connections"),
                    p(f"sum(tpp_http2_streams_active{sel()})", "streams")],
                   "none", "Open HTTP/2 client connections and streams in progress, summed over pods. GOAWAYs by "
                   "reason and streams reset are in tpp_http2_goaways_total and tpp_http2_resets_total "
                   "(docs/http2.md)."),
    ]
    return dashboard("tpp-fleet", "tpp / Fleet overview",
                     "ThreadPoolProxy fleet: traffic, latency, event-loop health, config convergence, WAF, TLS.",
                     proxy_vars(), panels, ["fleet"])


def tls_row():
    handshakes = f"rate(tpp_tls_handshakes_total{sel()}{RATE})"
    days_left = f"(tpp_tls_certificate_expiry_timestamp_seconds{sel()} - time()) / 86400"
    return [
        row("TLS"),
        stat("Handshake failures/s", [p(f"sum(rate(tpp_tls_handshakes_total{sel(FAILURE)}{RATE}))", "failures/s")],
             "ops", "Handshakes that ended in an alert or a close: bad clients, timeouts, a full tls pool "
                    "(docs/tls.md, What bad clients get)."),
        stat("Resumption ratio", [p(f"sum(rate(tpp_tls_handshakes_total{sel(RESUMED)}{RATE})) / "
                                    f"sum(rate(tpp_tls_handshakes_total{sel(COMPLETED)}{RATE}))", "resumed")],
             "percentunit", "Share of completed handshakes that resumed a session (no signature in the tls pool)."),
        stat("Soonest certificate expiry", [p(f"min({days_left})", "days")], "d",
             "Days until the first certificate in force expires (the chart's PrometheusRule warns at 14)."),
        stat("Handshake p99", [p(quantile(0.99, "tpp_tls_handshake_seconds", []), "p99")], "s",
             "ClientHello to Finished, successful handshakes, all listeners."),
        timeseries("Handshakes/s by result", [p(f"sum by (listener, result) ({handshakes})", "{{listener}} {{result}}")],
                   "ops", "success (a full handshake: one signature in the tls pool), resumed, failure.", stack=True),
        timeseries("Handshake time p50 / p99",
                   [p(quantile(0.5, "tpp_tls_handshake_seconds", ["listener"]), "p50 {{listener}}"),
                    p(quantile(0.99, "tpp_tls_handshake_seconds", ["listener"]), "p99 {{listener}}")], "s",
                   "ClientHello to Finished; includes the wait for the tls pool."),
        bargauge("Days left per certificate", [p(f"min by (server_name) ({days_left})", "{{server_name}}")], "d",
                 "notAfter of each certificate in force, by server name "
                 "(tpp_tls_certificate_expiry_timestamp_seconds)."),
        timeseries("tls pool queue wait p99", [p(quantile(0.99, "tpp_pool_task_wait_seconds", ["pool"], TLS_POOL),
                                                 "{{pool}}")], "s",
                   "Signatures waiting for a tls pool thread (rejections: tpp / Offload pools)."),
    ]


def pools():
    pool_var = var_query("pool", "Pool", f'label_values(tpp_pool_threads{{{OF_INSTANCE}}}, pool)')
    psel = lambda extra="": sel('pool=~"$pool"' + (", " + extra if extra else ""))
    panels = [
        row("Capacity"),
        timeseries("Threads: configured vs busy",
                   [p(f"sum by (pool) (tpp_pool_threads{psel()})", "{{pool}} threads"),
                    p(f"sum by (pool) (tpp_pool_active_threads{psel()})", "{{pool}} active")], "none",
                   "Configured threads (tpp_pool_threads) against busy ones (tpp_pool_active_threads)."),
        timeseries("Utilisation", [p(f"sum by (pool) (tpp_pool_active_threads{psel()}) / "
                                     f"sum by (pool) (tpp_pool_threads{psel()})", "{{pool}}")], "percentunit",
                   "Busy / configured threads (pools with threads: 0 run inline and show no value).", minv=0),
        timeseries("Queue depth vs capacity",
                   [p(f"sum by (pool) (tpp_pool_queue_size{psel()})", "{{pool}} queued"),
                    p(f"sum by (pool) (tpp_pool_queue_capacity{psel()})", "{{pool}} capacity")], "none",
                   "Waiting tasks against maxQueue; at capacity the overflow policy applies."),
        timeseries("Tasks/s by outcome",
                   [p(f"sum by (pool, outcome) (rate(tpp_pool_tasks_total{psel()}{RATE}))", "{{pool}} {{outcome}}")],
                   "ops", "completed / rejected / inlined / failed.", stack=True),
        row("Latency"),
        timeseries("Queue wait p99", [p(quantile(0.99, "tpp_pool_task_wait_seconds", ["pool"], 'pool=~"$pool"'),
                                        "{{pool}}")], "s", "Time a task waited for a pool thread."),
        timeseries("Run time p99", [p(quantile(0.99, "tpp_pool_task_run_seconds", ["pool"], 'pool=~"$pool"'),
                                      "{{pool}}")], "s", "Time a task ran on its pool thread."),
        row("Overflow"),
        timeseries("Rejected/s", [p(f'sum by (pool) (rate(tpp_pool_tasks_total{psel(REJECTED)}{RATE}))',
                                    "{{pool}}")], "ops", "Tasks refused (503 + Retry-After) with overflow: reject."),
        timeseries("Inlined/s", [p(f'sum by (pool) (rate(tpp_pool_tasks_total{psel(INLINED)}{RATE}))',
                                   "{{pool}}")], "ops",
                   "Tasks run on the event loop under overflow: inline (each one blocks a loop)."),
    ]
    return dashboard("tpp-pools", "tpp / Offload pools",
                     "Named offload thread pools (nginx thread_pool): threads, queues, wait and run time, overflow.",
                     proxy_vars([pool_var]), panels, ["pools"])


def waf():
    panels = [
        timeseries("Verdicts/s", [p(f"sum by (action) (rate(tpp_waf_requests_total{sel()}{RATE}))", "{{action}}")],
                   "reqps", "WAF verdicts: passed / blocked / detected.", stack=True),
        timeseries("Blocked share", [p(f'sum(rate(tpp_waf_requests_total{sel(BLOCKED)}{RATE})) / '
                                       f"sum(rate(tpp_waf_requests_total{sel()}{RATE}))", "blocked")], "percentunit",
                   "Blocked verdicts over all inspected requests.", minv=0, maxv=1),
        bargauge("Top rule ids (time range)",
                 [p(f"topk(10, sum by (rule_id) (increase(tpp_waf_rule_matches_total{sel()}[$__range])))",
                    "{{rule_id}}")], "none", "The ten rules that matched most over the dashboard's time range."),
        timeseries("Rule matches/s", [p(f"topk(10, sum by (rule_id) (rate(tpp_waf_rule_matches_total{sel()}{RATE})))",
                                        "{{rule_id}}")], "ops", "Rule hits per second, ten busiest rules."),
        timeseries("Inspection time p50 / p99",
                   [p(quantile(0.5, "tpp_waf_inspection_seconds", []), "p50"),
                    p(quantile(0.99, "tpp_waf_inspection_seconds", []), "p99")], "s",
                   "Time one request's inspection took (runs on the WAF pool)."),
        timeseries("Regex budget overruns/s",
                   [p(f"sum by (pod) (rate(tpp_waf_regex_budget_overruns_total{sel()}{RATE}))", "{{pod}}")], "ops",
                   "Matches of the few patterns RE2 cannot run (backreferences, lookaround) that hit their step "
                   "budget and were cut short (counted as no match). Above zero: a rule and an input worth a look."),
    ]
    return dashboard("tpp-waf", "tpp / WAF", "ModSecurity-compatible WAF: verdicts, rules, inspection time.",
                     proxy_vars(), panels, ["waf"])


def operator():
    # JOSDK MicrometerMetrics on a PrometheusMeterRegistry (names checked by helm/test/JosdkMetricNames.java). Counters
    # carry the reconciled resource's own `namespace`, which a scrape renames to `exported_namespace`; `namespace` and
    # `pod` below are the operator pod's.
    osel = '{namespace=~"$namespace", pod=~"$pod"}'
    gauge_sel = osel
    variables = [
        var_datasource(),
        var_query("namespace", "Operator namespace",
                  "label_values(operator_sdk_reconciliations_queue_size_threadpoolproxy, namespace)"),
        var_query("pod", "Operator pod",
                  'label_values(operator_sdk_reconciliations_queue_size_threadpoolproxy{namespace=~"$namespace"}, pod)'),
    ]
    rate = lambda metric, by="": (f"sum{' by (' + by + ')' if by else ''} (rate({metric}{osel}{RATE}))")
    panels = [
        stat("Reconciliations/s", [p(rate("operator_sdk_reconciliations_started_total"), "started")], "ops",
             "Reconciliations started (all ThreadPoolProxies)."),
        stat("Failed/s", [p(rate("operator_sdk_reconciliations_failed_total"), "failed")], "ops",
             "Reconciliations that threw (retried with backoff)."),
        stat("Queue", [p(f"sum(operator_sdk_reconciliations_queue_size_threadpoolproxy{gauge_sel})", "queued")],
             "none", "Resources with a reconciliation pending (only the leader reconciles)."),
        stat("In flight", [p(f"sum(operator_sdk_reconciliations_executions_threadpoolproxy{gauge_sel})", "running")],
             "none", "Reconciliations running now."),
        timeseries("Reconciliations/s", [
            p(rate("operator_sdk_reconciliations_started_total"), "started"),
            p(rate("operator_sdk_reconciliations_success_total"), "succeeded"),
            p(rate("operator_sdk_reconciliations_failed_total"), "failed")], "ops",
            "Started, succeeded and failed reconciliations."),
        timeseries("Errors/s by exception", [p(rate("operator_sdk_reconciliations_failed_total", "exception"),
                                               "{{exception}}")], "ops",
                   "Failed reconciliations by the exception the reconciler threw."),
        timeseries("Reconcile time p50 / p99", [
            p("histogram_quantile(0.5, sum by (le) (rate(operator_sdk_controllers_execution_reconcile_seconds_bucket"
              f"{osel}{RATE})))", "p50"),
            p("histogram_quantile(0.99, sum by (le) (rate(operator_sdk_controllers_execution_reconcile_seconds_bucket"
              f"{osel}{RATE})))", "p99")], "s",
            "How long one reconcile took (validation, workflow, status; pods are scraped apart, by a poller)."),
        timeseries("Block p99 per ThreadPoolProxy (the autoscaler's view)",
                   [p(f"max by (exported_namespace, name) (tpp_operator_block_p99_seconds{gauge_sel})",
                      "{{exported_namespace}}/{{name}}")], "s",
                   "status.blockP99 of each resource (tpp_operator_block_p99_seconds). JOSDK's own metrics are "
                   "aggregated per controller: no per-resource series, whose number would grow with the fleet."),
        timeseries("Queue and in flight", [
            p(f"sum(operator_sdk_reconciliations_queue_size_threadpoolproxy{gauge_sel})", "queued"),
            p(f"sum(operator_sdk_reconciliations_executions_threadpoolproxy{gauge_sel})", "running")], "none",
            "Work waiting and running in the controller."),
        timeseries("Events received/s", [p(rate("operator_sdk_events_received_total", "event, action"),
                                           "{{event}} {{action}}")], "ops",
                   "Informer events that triggered reconciliations."),
    ]
    return dashboard("tpp-operator", "tpp / Operator",
                     "The tpp operator (java-operator-sdk Micrometer metrics): reconciliations, errors, queue.",
                     variables, panels, ["operator"])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "threadpoolproxy", "dashboards")
    os.makedirs(out, exist_ok=True)
    for name, build in (("fleet", fleet), ("pools", pools), ("waf", waf), ("operator", operator)):
        with open(os.path.join(out, f"tpp-{name}.json"), "w") as f:
            json.dump(build(), f, indent=2, sort_keys=False)
            f.write("\n")


if __name__ == "__main__":
    main()
