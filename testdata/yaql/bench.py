#!/usr/bin/python3
"""Time real yaql (Debian's python3-yaql) on the work hoist's yaql
benchmarks do, for docs/perf.md:

  parse: every distinct corpus expression (given one per line on stdin,
         or none) parsed by a fresh engine call, as BenchmarkCorpusParse;
  eval:  the THT cases of cases.txt (expressions with $.data, limits data
         excluded) evaluated as Heat does, parse cached, as
         BenchmarkCorpusEval.
"""
import json
import os
import re
import sys
import time

import yaql

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINE = yaql.factory.YaqlFactory().create({
    'yaql.limitIterators': 1000,
    'yaql.memoryQuota': 100000,
})
CONTEXT = yaql.create_context()


def macros(s):
    def rep(m):
        args = m.group(2).split(',')
        n = int(args[-1])
        if m.group(1) == 'range':
            return json.dumps(list(range(n)))
        if m.group(1) == 'map':
            return json.dumps({str(i): i for i in range(n)})
        return json.dumps(args[0] * n)
    return re.sub(r'@(range|map|repeat)\(([^)]*)\)', rep, s)


def tht_cases():
    data, cur, out = {}, None, []
    for line in open(os.path.join(HERE, 'cases.txt'), encoding='utf-8'):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        if line.startswith('@data '):
            name, js = line[6:].split(' ', 1)
            data[name] = (macros(js), json.loads(macros(js)))
        elif line.startswith('@use '):
            cur = data[line[5:]]
        elif '$.data' in line and '"big"' not in cur[0]:
            out.append((line, cur[1]))
    return out


def best(f, rounds=5):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    exprs = [l.rstrip('\n') for l in sys.stdin if l.strip()]
    if exprs:
        t = best(lambda: [ENGINE(e) for e in exprs])
        print('parse: %d expressions, %.1f us/expr' % (len(exprs), t / len(exprs) * 1e6))
    cases = tht_cases()
    parsed = [(ENGINE(e), d) for e, d in cases]

    def run():
        for stmt, d in parsed:
            try:
                stmt.evaluate({'data': d}, CONTEXT.create_child_context())
            except Exception:
                pass
    t = best(run)
    print('eval: %d cases, %.1f us/expr' % (len(cases), t / len(cases) * 1e6))


if __name__ == '__main__':
    main()
