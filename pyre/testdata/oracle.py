"""The differential oracle of pyre's tests: Python's own re, run the way
Python 2.7 (queens-era Heat) ran it.

Reads {"cases": [{"pattern", "flags", "subjects", "repls"}]} as JSON on
stdin and writes one result per case as JSON on stdout. Python 3.11's re
does the matching; the differences of Python 2.7 that pyre models (see
pyre's package doc) are emulated around it:

- a pattern without re.UNICODE is compiled with re.ASCII (2.7's default);
- an unknown escape of a letter is the letter (pattern) or kept as written
  (template); global flags after the start apply to the whole pattern;
- findall, split and sub walk the string with search(string, pos) as
  2.7's sre did (empty matches: see step());
- a template group that did not take part is the error "unmatched group".
"""

import json
import re
import signal
import sys

FLAG_LETTERS = {"i": re.I, "m": re.M, "s": re.S, "x": re.X, "a": re.A,
                "u": re.U, "L": re.L, "t": re.T}


def err(e):
    if isinstance(e, re.error):
        return {"kind": "error", "msg": e.msg, "pos": e.pos}
    return {"kind": type(e).__name__, "msg": str(e), "pos": None}


def compile_py2(pattern, flags):
    notes = []
    while True:
        try:
            f = flags if flags & re.U else flags | re.A
            try:
                return re.compile(pattern, f), notes
            except ValueError as e:
                if "ASCII and UNICODE" in str(e) and not flags & re.A:
                    return re.compile(pattern, flags), notes
                raise
        except re.error as e:
            m = e.msg
            if (m.startswith("bad escape \\") and len(m) == len("bad escape \\q")
                    and m[-1].isascii() and m[-1].isalpha()):
                pattern = pattern[:e.pos] + pattern[e.pos + 1:]
                notes.append("unknown-escape")
                continue
            if m == "global flags not at the start of the expression":
                j = pattern.index(")", e.pos)
                for c in pattern[e.pos + 2:j]:
                    flags |= FLAG_LETTERS[c]
                pattern = pattern[:e.pos] + pattern[j + 1:]
                notes.append("late-global-flags")
                continue
            raise


def spans(p, m):
    if m is None:
        return None
    return [list(m.span(g)) for g in range(p.groups + 1)]


def scan(p, s):
    """The matches 2.7's scanner finds: after an empty match the next
    search starts one code point later."""
    pos = 0
    while pos <= len(s):
        m = p.search(s, pos)
        if m is None:
            return
        yield m
        pos = m.end() + 1 if m.end() == m.start() else m.end()


def findall(p, s):
    out = []
    for m in scan(p, s):
        if p.groups == 0:
            out.append([m.group(0)])
        elif p.groups == 1:
            out.append([m.group(1) or ""])
        else:
            out.append([g or "" for g in m.groups()])
    return out


def split(p, s, maxsplit):
    out, last, n = [], 0, 0
    if maxsplit >= 0:
        for m in scan(p, s):
            if maxsplit and n >= maxsplit:
                break
            if m.start() == m.end():
                continue
            out.append(s[last:m.start()])
            out.extend(m.groups())
            n += 1
            last = m.end()
    out.append(s[last:])
    return out


def template(p, repl):
    while True:
        try:
            return re._compile_repl(repl, p)
        except re.error as e:
            m = e.msg
            if (m.startswith("bad escape \\") and len(m) == len("bad escape \\q")
                    and m[-1].isascii() and m[-1].isalpha()):
                repl = repl[:e.pos] + "\\" + repl[e.pos:]
                continue
            raise


def sub(p, s, repl, count):
    groups, literals = template(p, repl)
    out, last, n = [], 0, 0
    if count >= 0:
        for m in scan(p, s):
            if count and n >= count:
                break
            b, e = m.span()
            if last < b:
                out.append(s[last:b])
            elif last == b == e and n > 0:
                continue
            lits = list(literals)
            for index, g in groups:
                v = m.group(g)
                if v is None:
                    raise re.error("unmatched group")
                lits[index] = v
            out.append("".join(lits))
            last = e
            n += 1
    out.append(s[last:])
    return "".join(out)


def run(case):
    try:
        p, notes = compile_py2(case["pattern"], case["flags"])
    except Exception as e:  # re.error, OverflowError, ValueError
        return {"error": err(e)}
    res = {"groups": p.groups, "groupindex": dict(p.groupindex), "notes": notes, "subjects": []}
    for s in case["subjects"]:
        r = {"search": spans(p, p.search(s)), "match": spans(p, p.match(s)),
             "fullmatch": spans(p, p.fullmatch(s)), "findall": findall(p, s),
             "split": split(p, s, 0), "split1": split(p, s, 1), "sub": []}
        for repl in case["repls"]:
            try:
                r["sub"].append({"out": sub(p, s, repl, 0)})
            except Exception as e:
                r["sub"].append({"error": err(e)})
        res["subjects"].append(r)
    return res


class Timeout(BaseException):
    """Not an Exception, so that run()'s handlers let it through."""


def on_alarm(signum, frame):
    raise Timeout()


def run_bounded(case):
    """run, or {"timeout": true} when Python's re backtracks for more than
    two seconds on the case (sre checks for signals while it matches)."""
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 2)
    try:
        return run(case)
    except Timeout:
        return {"timeout": True}
    except SystemError as e:
        # Python's re reports a bug of its own (3.11 has a few on
        # generated patterns): nothing to judge against.
        return {"timeout": True, "python_bug": str(e)}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump([run_bounded(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
