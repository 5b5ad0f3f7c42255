#!/usr/bin/python3
"""Evaluate yaql expressions the way Heat's yaql function does, for hoist's
differential tests.

Reads JSON lines {"expr": "...", "data": ...} on stdin and writes one JSON
line per case: {"ok": ENC} or {"error": KIND, "type": CLASS, "msg": TEXT}.
ENC is a canonical encoding that keeps what JSON loses: maps are
{"$map": [[key, value], ...]} in iteration order, sets {"$set": [...]} in a
canonical order, floats {"$float": repr}.

The engine is built as Heat builds it (heat/engine/hot/functions.py Yaql):
YaqlFactory().create() with TripleO's limits, a child of create_context(),
and the root {"data": data}.
"""
import json
import re
import sys

import yaql
from yaql.language import exceptions

ENGINE = yaql.factory.YaqlFactory().create({
    'yaql.limitIterators': 1000,
    'yaql.memoryQuota': 100000,
})
CONTEXT = yaql.create_context()


def enc(x):
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        return {'$float': repr(x)}
    if isinstance(x, dict):
        return {'$map': [[enc(k), enc(v)] for k, v in x.items()]}
    if isinstance(x, (set, frozenset)):
        items = [enc(t) for t in x]
        items.sort(key=lambda t: json.dumps(t, sort_keys=True))
        return {'$set': items}
    if isinstance(x, (list, tuple)):
        return [enc(t) for t in x]
    return {'$object': type(x).__name__}


def kind(e):
    if isinstance(e, (exceptions.YaqlGrammarException,
                      exceptions.YaqlLexicalException)):
        return 'syntax'
    if isinstance(e, (exceptions.NoMatchingMethodException,
                      exceptions.NoMatchingFunctionException,
                      exceptions.NoFunctionRegisteredException,
                      exceptions.NoMethodRegisteredException,
                      exceptions.AmbiguousFunctionException,
                      exceptions.AmbiguousMethodException,
                      exceptions.MappingTranslationException,
                      exceptions.ArgumentException)):
        return 'no-method'
    if isinstance(e, (exceptions.CollectionTooLargeException,
                      exceptions.MemoryQuotaExceededException)):
        return 'limit'
    if isinstance(e, StopIteration):
        return 'stop-iteration'
    if isinstance(e, KeyError):
        return 'key'
    if isinstance(e, IndexError):
        return 'index'
    if isinstance(e, ZeroDivisionError):
        return 'zero-division'
    if isinstance(e, re.error):
        return 'regex'
    if isinstance(e, (TypeError, AttributeError)):
        return 'type'
    if isinstance(e, (ValueError, OverflowError)):
        return 'value'
    if isinstance(e, RecursionError):
        return 'limit'
    return 'other'


def run(expr, data):
    try:
        stmt = ENGINE(expr)
        res = stmt.evaluate({'data': data}, CONTEXT.create_child_context())
        return {'ok': enc(res)}
    except Exception as e:  # every failure is a result to compare
        return {'error': kind(e), 'type': type(e).__name__, 'msg': str(e)}


def main():
    sys.setrecursionlimit(10000)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        case = json.loads(line)
        out = run(case['expr'], case.get('data'))
        sys.stdout.write(json.dumps(out, sort_keys=True) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
