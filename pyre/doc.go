// Package pyre is Python's re module for hoist: the regular expressions
// Heat applies to templates (a parameter's allowed_pattern, yaql's regex
// functions), with Python's syntax, errors and results, on the backtracking
// engine github.com/dlclark/regexp2 (Go's regexp, RE2, has no lookaround and
// no backreferences, which real templates use).
//
// # What is Python's
//
// The parser is Python's own grammar (sre_parse), written anew here: the
// same tokens, the same checks in the same order, and the same error
// messages and positions, in code points ("missing ), unterminated
// subpattern at position 0"); an invalid pattern gives an *Error whose
// Kind is the Python exception. The parsed pattern is then written in
// regexp2's syntax with nothing left to regexp2's defaults:
//
//   - groups are unnamed and numbered as Python numbers them; names stay
//     here, so (?P<name>...), (?P=name), (?(name)...) and \g<name> work;
//   - classes, ., \d \w \s and their negations, and case-insensitive
//     literals are spelled out as code point ranges, or as regexp2's
//     \p{L} \p{N} \p{Nd}, which come from the same Go tables (Python's
//     definitions: \d is Unicode Nd, \w letters, numbers and _, \s
//     str.isspace; ASCII ones without re.UNICODE), so regexp2's .NET
//     definitions and case folding never apply;
//   - ^ $ \A \Z follow Python (\Z is the very end; $ is the end or before a
//     final newline, or before any newline under re.M); \b and \B are
//     written with lookaround on Python's \w, and match nothing in an empty
//     string, as in Python;
//   - escapes (\x \u \U \N{name}, octal), {,n}, scoped flags (?i:...),
//     (?-i:...), atomic groups (?>...), possessive repeats, conditionals
//     (?(1)a|b) and Python's fixed-width lookbehind check.
//
// Positions and lengths are code points (Python str), never bytes. Match is
// pattern.match (anchored at pos), Search, FullMatch, FindAll (Python's
// shape), FindIter, Split (groups included), Sub, SubN and SubFunc with
// Python replacement templates, Escape (re.escape), and a Match's Group,
// Groups, GroupDict, Span and Expand.
//
// # Python 2.7 or 3
//
// Heat from queens to train ran on CPython 2.7; the Heat oracle and
// Debian's python3 are 3.11. Where the two differ in a way a template can
// show, pyre is Python 2.7, the Heat hoist models:
//
//   - Without re.UNICODE (allowed_pattern, yaql's matches on a string
//     pattern) \d \w \s \b and IGNORECASE are ASCII-only, as in 2.7;
//     Python 3 makes str patterns Unicode by default. yaql's regex() passes
//     re.UNICODE, and so does a (?u) in the pattern.
//   - Global inline flags anywhere in the pattern apply to all of it (2.7;
//     3.11 rejects them after the start).
//   - An unknown escape of an ASCII letter (\q, \e) is the letter in a
//     pattern and stays as written (\q) in a replacement template (2.7; an
//     error since 3.7).
//   - Split never splits on an empty match, and after an empty match the
//     next search starts one code point later (2.7; 3.7 splits on empty
//     matches). Sub skips an empty match right after a previous match and
//     FindAll/FindIter resume one code point after an empty match, as 2.7.
//   - A template referring to a group that did not take part in the match
//     is the error "unmatched group" (2.7; "" since 3.5).
//   - Escape backslashes everything but ASCII letters and digits (2.7; 3.7
//     escapes only characters special in patterns).
//   - Case-insensitive Unicode matching equates characters with the same
//     simple lowercase (2.7); 3.7 also equates a few more pairs (s and ſ,
//     i and ı, σ and ς). A case-insensitive backreference is compared by
//     regexp2 with Go's simple case folding, which also equates K and the
//     Kelvin sign, s and ſ, even without re.UNICODE.
//
// Syntax only Python 3 accepts is accepted with its Python 3 meaning
// (scoped flags, \N{...}, \u and \U escapes, atomic groups and possessive
// repeats): no queens template can use it, and rejecting it would be wrong
// for later Heat. Template errors are Python 3.11's and raised when the
// template is parsed (an invalid group number is an error even when nothing
// matches). The Unicode tables are Go's (Unicode 15; Python 2.7 had 5.2,
// 3.11 has 14); \N{...} knows names, not aliases or named sequences.
//
// # Limits
//
// A backtracking engine can take exponential time on a hostile pattern.
// Every search stops after MatchTimeout, or when its backtracking stack
// passes 100,000 slots, with an error that wraps ErrBacktrack; FindAll,
// FindIter, Split and Sub share one MatchTimeout (per 64K code points of
// the string) across their searches.
// Compiled patterns are cached (Compile of the same pattern and flags is a
// map look-up; the cache starts over past 4096 patterns), and everything
// here is safe for concurrent use.
//
// The translation steers clear of two faults of regexp2 v2.13.0 that the
// differential tests found: a greedy repeat around an atomic repeat is
// merged into one ((?>a+)? acted as (?>a*)), so atomic groups and
// possessive repeats sit in a named group; and a \P class before an
// overlapping class misses matches, so no \P is written.
//
// Strings are Go strings: invalid UTF-8 reads as U+FFFD, and the subject's
// lone surrogates, which a Python str may hold, cannot occur.
package pyre
