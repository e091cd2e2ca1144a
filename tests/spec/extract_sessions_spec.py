#!/usr/bin/env python3
"""Extracts the Sessions part of Clerk's Backend API spec into sessions-openapi.json.

The conformance tests read the extract, so a fresh clone (which has no ../shared beside it) can run them.
Regenerate after the shared spec changes:  python3 tests/spec/extract_sessions_spec.py [path/to/openapi-folder]
"""
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.join(HERE, "..", "..", "..", "shared", "clerk", "openapi")
CURRENT = "bapi-2026-05-12.yml"
VERIFY = "bapi-2025-03-12.yml"
METHODS = ("get", "post", "put", "patch", "delete")


def load(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def resolve(spec, ref):
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def collect_refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            collect_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            collect_refs(value, found)


def operation(spec, version, path, method, body):
    parameters = [resolve(spec, p["$ref"]) if "$ref" in p else p for p in body.get("parameters", [])]
    request = body.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    responses = {}
    for status, response in body.get("responses", {}).items():
        if "$ref" in response:
            response = resolve(spec, response["$ref"])
        responses[str(status)] = response.get("content", {}).get("application/json", {}).get("schema")
    return {
        "operationId": body["operationId"],
        "method": method.upper(),
        "path": path,
        "specVersion": version,
        "deprecated": bool(body.get("deprecated", False)),
        "parameters": parameters,
        "requestBody": request,
        "responses": responses,
    }


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    current = load(source, CURRENT)
    legacy = load(source, VERIFY)
    operations = []
    for path, item in current["paths"].items():
        for method in METHODS:
            body = (item or {}).get(method)
            if body and ("Sessions" in body.get("tags", []) or body.get("operationId") == "GetJWKS"):
                operations.append(operation(current, current["info"]["version"], path, method, body))
    verify = legacy["paths"]["/sessions/{session_id}/verify"]["post"]
    operations.append(operation(legacy, legacy["info"]["version"], "/sessions/{session_id}/verify", "post", verify))

    # Components: everything the operations reach, transitively (the verify operation's refs exist in both files).
    components = {}
    pending = set()
    collect_refs(operations, pending)
    while pending:
        ref = pending.pop()
        if ref in components:
            continue
        node = resolve(current, ref)
        components[ref] = node
        collect_refs(node, pending)
    nested = {}
    for ref, node in components.items():
        _, kind, name = ref.lstrip("#/").split("/", 2)
        nested.setdefault(kind, {})[name] = node

    extract = {
        "source": {
            "current": {"file": CURRENT, "version": current["info"]["version"]},
            "verify": {"file": VERIFY, "version": legacy["info"]["version"]},
        },
        "operations": sorted(operations, key=lambda op: (op["path"], op["method"])),
        "components": nested,
    }
    with open(os.path.join(HERE, "sessions-openapi.json"), "w", encoding="utf-8") as handle:
        json.dump(extract, handle, indent=2, sort_keys=True)
        handle.write("\n")
    print(f"{len(operations)} operations, {len(components)} components -> sessions-openapi.json")


if __name__ == "__main__":
    main()
