#!/usr/bin/env python3
"""Writes kubeconform's JSON schemas from the real API server's OpenAPI and from CRD files, so the chart's rendered
objects are validated against the Kubernetes release the e2e control plane runs (its swagger.json, from the
k8s.io/kubernetes Go module) and against our own CRD, not against a schema set fetched from the internet.

One file per kind and version, named as kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json` template expects
(`deployment-apps-v1.json`, `service-v1.json`, `threadpoolproxy-tpp-v1alpha1.json`). Like openapi2jsonschema
--strict: objects with declared properties reject unknown fields (unless x-kubernetes-preserve-unknown-fields),
int-or-string and Quantity accept both forms, nullable adds null; each file carries the definitions it refers to.

Usage: kube_schemas.py OUTDIR SWAGGER_JSON [CRD_YAML...]
"""
import json
import pathlib
import re
import sys

import yaml

# PyYAML reads a bare "=" (an enum value in the Prometheus Operator's CRDs) as YAML 1.1's "value" type; keep it text
yaml.SafeLoader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
REF = re.compile(r"^#/definitions/(.+)$")


def convert(node, refs):
    """A JSON-schema copy of one OpenAPI schema node; collects the definitions it refers to in `refs`."""
    if not isinstance(node, dict):
        return node
    if node.get("format") == "int-or-string" or node.get("x-kubernetes-int-or-string"):
        return {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    out = {}
    for key, value in node.items():
        if key == "$ref":
            refs.add(REF.match(value).group(1))
            out[key] = value
        elif key == "properties":
            out[key] = {name: convert(v, refs) for name, v in value.items()}
        elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
            out[key] = convert(value, refs)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [convert(v, refs) for v in value]
        elif not key.startswith("x-") and key != "nullable":
            out[key] = value
    if "properties" in node and "additionalProperties" not in node \
            and not node.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def file_name(kind, group, version):
    return f"{kind.lower()}{'-' + group.split('.')[0] if group else ''}-{version}.json"


def with_definitions(schema, refs, definitions):
    """`schema` plus every definition it reaches, converted (transitively)."""
    done, todo = {}, set(refs)
    while todo:
        name = todo.pop()
        if name in done:
            continue
        more = set()
        done[name] = ({"oneOf": [{"type": "string"}, {"type": "number"}]} if name == QUANTITY
                      else convert(definitions[name], more))
        todo |= more - done.keys()
    return {**schema, "definitions": done} if done else schema


def main():
    out, swagger, *crds = sys.argv[1:]
    outdir = pathlib.Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    definitions = json.load(open(swagger))["definitions"]
    written = 0
    for name, definition in definitions.items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            refs = set()
            schema = with_definitions(convert(definition, refs), refs, definitions)
            (outdir / file_name(gvk["kind"], gvk["group"], gvk["version"])).write_text(json.dumps(schema))
            written += 1
    for path in crds:
        for crd in yaml.safe_load_all(open(path)):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            for version in crd["spec"]["versions"]:
                root = dict(version["schema"]["openAPIV3Schema"])
                # the API server always accepts these on a custom resource, declared or not
                root["properties"] = {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                      "metadata": {"type": "object"}, **root.get("properties", {})}
                schema = convert(root, set())
                name = file_name(crd["spec"]["names"]["kind"], crd["spec"]["group"], version["name"])
                (outdir / name).write_text(json.dumps(schema))
                written += 1
    print(f"schemas: {written} kinds written to {outdir}")


if __name__ == "__main__":
    main()
