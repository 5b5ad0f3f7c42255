"""Render test cases with Python's Jinja2, as process-templates configured it.

Reads a JSON list of cases from stdin, each {"template": text,
"vars": {name: value}, "files": {name: text}}, and writes a JSON list of
{"out": text} or {"error": text}. The environment is jinja2.Environment()
with default settings; included templates come from "files".
"""
import json
import sys

import jinja2


def main():
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        env = jinja2.Environment(loader=jinja2.DictLoader(case.get("files") or {}))
        try:
            out = env.from_string(case["template"]).render(**case.get("vars", {}))
            results.append({"out": out})
        except Exception as exc:  # any failure is a result to compare
            results.append({"error": "%s: %s" % (type(exc).__name__, exc)})
    json.dump(results, sys.stdout)


main()
