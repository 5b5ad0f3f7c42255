#!/usr/bin/python3
"""Print, as JSON, the names yaql.create_context() registers: the standard
library Heat's yaql function evaluates with. hoist's differential test of
the standard library (stdlib_test.go) checks that hoist has each of them."""
import json

import yaql

names = set()
ctx = yaql.create_context()
while ctx is not None:
    names.update(ctx._functions)
    ctx = ctx.parent
print(json.dumps(sorted(names)))
