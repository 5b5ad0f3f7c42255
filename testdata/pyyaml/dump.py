#!/usr/bin/python3
"""Load YAML files the way Heat's template loader does and print them as JSON.

Heat (heat/common/template_format.py) uses PyYAML's CSafeLoader when the C
extension is there, else SafeLoader, and constructs timestamps (and strings)
as plain strings. For every file named on the command line (or one per line
on standard input with --stdin) this prints one JSON line:
{"file": F, "ok": true, "json": "<json.dumps(doc, indent=2, sort_keys=True)>"}
or {"file": F, "ok": false, "error": "..."}.

Keys that are not strings are converted first as json.dumps would, so that
sort_keys never compares mixed types.
"""
import json
import sys

import yaml

Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class HeatLoader(Base):
    def _construct_yaml_str(self, node):
        return self.construct_scalar(node)


HeatLoader.add_constructor("tag:yaml.org,2002:str", HeatLoader._construct_yaml_str)
HeatLoader.add_constructor("tag:yaml.org,2002:timestamp", HeatLoader._construct_yaml_str)


def key(k):
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, float):
        return json.dumps(k)
    return str(k)


def norm(v):
    if isinstance(v, dict):
        return {key(k): norm(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, set):
        return {key(k): None for k in v}
    return v


def main():
    files = sys.argv[1:]
    if files and files[0] == "--stdin":
        files = [l.rstrip("\n") for l in sys.stdin if l.strip()]
    out = sys.stdout
    for f in files:
        try:
            with open(f, "rb") as fh:
                doc = yaml.load(fh, Loader=HeatLoader)
            rec = {"file": f, "ok": True, "json": json.dumps(norm(doc), indent=2, sort_keys=True)}
        except Exception as e:  # any failure is a result to compare
            rec = {"file": f, "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()
