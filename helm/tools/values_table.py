#!/usr/bin/env python3
"""Writes the values table of the chart README from values.yaml: every key with a `# --` comment, its default and
that comment, between the README's `<!-- values:start -->` and `<!-- values:end -->` markers (like helm-docs).
helm/test.sh runs it with --check and fails when the committed table is stale.

Usage: helm/tools/values_table.py [--check]
"""
import json
import pathlib
import re
import sys

import yaml

CHART = pathlib.Path(__file__).resolve().parent.parent / "threadpoolproxy"
START, END = "<!-- values:start -->", "<!-- values:end -->"


def rows(text):
    values = yaml.safe_load(text)
    lines = text.splitlines()
    stack = []  # (indent, key) of the enclosing keys
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)([A-Za-z]\w*):", line)
        if not m:
            continue
        indent = len(m.group(1))
        stack = [(d, k) for d, k in stack if d < indent] + [(indent, m.group(2))]
        doc, j = [], i - 1
        while j >= 0 and lines[j].strip().startswith("#"):
            doc.insert(0, lines[j].strip().lstrip("#").strip())
            if lines[j].strip().startswith("# --"):
                break
            j -= 1
        if not doc or not doc[0].startswith("--"):
            continue
        path = [k for _, k in stack]
        value = values
        for k in path:
            value = value[k]
        yield ".".join(path), default(value), " ".join(doc)[2:].strip()


def default(value):
    text = json.dumps(value, separators=(", ", ": "))
    return f"`{text}`".replace("|", "\\|")


def table(text):
    out = ["| key | default | description |", "| --- | --- | --- |"]
    out += [f"| `{k}` | {v} | {d.replace('|', '/')} |" for k, v, d in rows(text)]
    return "\n".join(out)


def main():
    readme = CHART / "README.md"
    current = readme.read_text()
    head, rest = current.split(START, 1)
    _, tail = rest.split(END, 1)
    wanted = f"{head}{START}\n{table((CHART / 'values.yaml').read_text())}\n{END}{tail}"
    if "--check" in sys.argv:
        if wanted != current:
            print("helm/threadpoolproxy/README.md: the values table is stale; run helm/tools/values_table.py")
            return 1
        return 0
    readme.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
