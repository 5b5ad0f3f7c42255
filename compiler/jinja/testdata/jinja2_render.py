"""Render test cases with Python's Jinja2, as process-templates configured it.

Reads a JSON list of cases from stdin, each {"template": text,
"vars": {name: value}, "files": {name: text}, "searchpath": [dir, ...]},
and writes a JSON list of {"out": text} or {"error": text}. The
environment is jinja2.Environment() with default settings; included
templates come from "files", or from the folders of "searchpath" in order.
"""
import json
import sys

import jinja2


def main():
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        if case.get("searchpath"):
            loader = jinja2.FileSystemLoader(case["searchpath"])
        else:
            loader = jinja2.DictLoader(case.get("files") or {})
        env = jinja2.Environment(loader=loader)
        try:
            variables = case.get("raw_vars") or case.get("vars") or {}
            out = env.from_string(case["template"]).render(**variables)
            results.append({"out": out})
        except Exception as exc:  # any failure is a result to compare
            results.append({"error": "%s: %s" % (type(exc).__name__, exc)})
    json.dump(results, sys.stdout)


main()
