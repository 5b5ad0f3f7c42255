package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/internal/testenv"
	"hoist/source"
	"hoist/value"
)

// The function-level differential test: every case is evaluated by real
// Heat (the oracle's oracle_fn.py: Heat 19 on Python 3 with yaql 2.0) and
// by hoist, and the results must agree: both succeed with the same value
// (maps compared as maps, lists in order, numbers by their JSON text), or
// both fail. The differences that come from the version gap are listed in
// queensGap with the queens (Heat 10, Python 2, yaql 1.1.3) behaviour hoist
// implements; anything else fails the test.

// gapCase is a case where queens-era Heat and the oracle's Heat 19 differ.
type gapCase struct {
	// queens is hoist's (queens) result as JSON, or "error".
	queens string
	why    string
}

var queensGap = map[string]gapCase{
	"list_concat_unique-dup-last":   {`[2, 1, 3]`, "queens de-duplicated in place (keeps the last occurrence); Heat 19 keeps the first (LP#1925373)"},
	"list_concat_unique-keeps-dups": {`[1, 0, 1, 2]`, "queens' in-place loop leaves duplicates"},
	"list_concat_unique-mixed":      {`["b", "c", "a", {"x": 1}]`, "queens keeps the last occurrence"},
	"list_concat_unique-bool-int":   {`[2, 1]`, "queens keeps the last occurrence; 1 == True"},
	"str_replace-float-12digits":    {`"v=0.3"`, "Python 2 str(float) keeps 12 significant digits"},
	"str_replace-float-long":        {`"v=123456789.123"`, "Python 2 str(float) keeps 12 significant digits"},
	"string-param-float-default":    {`"0.3"`, "Python 2 unicode(float) keeps 12 significant digits"},
	"string-param-list-default":     {`"[u'a', 1]"`, "Python 2 unicode(list) is the Python 2 repr"},
	"cdl-param-float-items":         {`["0.3", "x"]`, "Python 2 unicode(float) keeps 12 significant digits"},
	"gen-yaql-str-list":             {`"(u'a', u'b')"`, "yaql 1.1.3 on Python 2: str() of a collection is its Python 2 repr"},
	"gen-yaql-str-map":              {`"{u'k': u'v'}"`, "yaql 1.1.3 on Python 2: str() of a collection is its Python 2 repr"},
	"gen-yaql-str-nested":           {`"{u'b': (1, {u'z': None}), u'a': True}"`, "yaql 1.1.3 on Python 2: str() of a collection is its Python 2 repr"},
	"gen-param-string-list":         {`"[u'a', u'b']"`, "Python 2 unicode(list) is the Python 2 repr"},
	"gen-param-string-map":          {`"{u'k': u'v'}"`, "Python 2 unicode(dict) is the Python 2 repr"},
	"gen-param-string-nested":       {`"{u'b': [1, {u'z': None}], u'a': True}"`, "Python 2 unicode(dict) is the Python 2 repr"},
	"make_url-tilde":                {`"http://h/%7Euser"`, "Python 2 urllib.quote escapes ~"},
	"make_url-nonascii-path":        {`error`, "Python 2 urllib.quote fails on non-ASCII unicode"},
	"digest-latin1":                 {`error`, "Python 2 hashed unicode through the ASCII codec"},
}

// oracleCases returns the cases as JSON lines: hand-written ones for the
// reference's traps, then generated combinations of every function with
// every kind of argument.
func oracleCases() []string {
	var cs []string
	add := func(id, body string) {
		cs = append(cs, fmt.Sprintf(`{"id": %q, %s}`, id, body))
	}
	// get_param
	add("get_param-scalar", `"params": {"Name": "keystone"}, "expr": {"get_param": "Name"}`)
	add("get_param-path", `"params": {"M": {"a": ["x", {"b": "c"}]}}, "expr": {"get_param": ["M", "a", 1, "b"]}`)
	add("get_param-path-str-index", `"params": {"M": {"a": ["x", "y"]}}, "expr": {"get_param": ["M", "a", "1"]}`)
	add("get_param-path-neg-index", `"params": {"M": {"a": ["x", "y"]}}, "expr": {"get_param": ["M", "a", -1]}`)
	add("get_param-path-bad-str-index", `"params": {"M": {"a": ["x", "y"]}}, "expr": {"get_param": ["M", "a", "z"]}`)
	add("get_param-path-missing", `"params": {"M": {"a": 1}}, "expr": {"get_param": ["M", "zz"]}`)
	add("get_param-path-into-scalar", `"params": {"M": {"a": 1}}, "expr": {"get_param": ["M", "a", "b"]}`)
	add("get_param-path-into-string", `"params": {"M": {"a": "hello"}}, "expr": {"get_param": ["M", "a", 1]}`)
	add("get_param-path-float", `"params": {"M": {"a": [1, 2]}}, "expr": {"get_param": ["M", "a", 1.0]}`)
	add("get_param-path-null", `"params": {"M": {"a": [1, 2]}}, "expr": {"get_param": ["M", null]}`)
	add("get_param-one-element", `"params": {"M": {"a": 1}}, "expr": {"get_param": ["M"]}`)
	add("get_param-nested-fn", `"params": {"E": {"K": {"host": "h1", "port": 5000}}, "W": "K"}, "expr": {"get_param": ["E", {"get_param": "W"}, "port"]}`)
	add("get_param-undeclared", `"expr": {"get_param": "Nope"}`)
	add("get_param-empty", `"expr": {"get_param": ""}`)
	add("get_param-empty-list", `"expr": {"get_param": []}`)
	add("get_param-int-name", `"expr": {"get_param": [5]}`)
	add("get_param-map-arg", `"expr": {"get_param": {"a": 1}}`)
	add("get_param-bool-key", `"params": {"M": {"a": [10, 20]}}, "expr": {"get_param": ["M", "a", true]}`)
	// parameter types and coercions
	add("string-param-bool-default", `"param_schema": {"S": {"type": "string", "default": false}}, "expr": {"get_param": "S"}`)
	add("string-param-int-default", `"param_schema": {"S": {"type": "string", "default": 443}}, "expr": {"get_param": "S"}`)
	add("string-param-float-default", `"param_schema": {"S": {"type": "string", "default": 0.30000000000000004}}, "expr": {"get_param": "S"}`)
	add("string-param-list-default", `"param_schema": {"S": {"type": "string", "default": ["a", 1]}}, "expr": {"get_param": "S"}`)
	add("json-param-empty-string", `"param_schema": {"J": {"type": "json", "default": ""}}, "expr": {"get_param": "J"}`)
	add("json-param-string", `"param_schema": {"J": {"type": "json", "default": "{\"a\": [1, 2.5]}"}}, "expr": {"get_param": "J"}`)
	add("json-param-bad-string", `"param_schema": {"J": {"type": "json", "default": "{nope"}}, "expr": {"get_param": "J"}`)
	add("json-param-int", `"param_schema": {"J": {"type": "json", "default": 5}}, "expr": {"get_param": "J"}`)
	add("json-param-list", `"param_schema": {"J": {"type": "json", "default": [1, {"a": null}]}}, "expr": {"get_param": "J"}`)
	add("cdl-param-split-no-trim", `"params": {"L": "a, b ,c"}, "param_types": {"L": "comma_delimited_list"}, "expr": {"get_param": "L"}`)
	add("cdl-param-empty", `"params": {"L": ""}, "param_types": {"L": "comma_delimited_list"}, "expr": {"get_param": "L"}`)
	add("cdl-param-list-items", `"param_schema": {"L": {"type": "comma_delimited_list", "default": [1, true, null, "x"]}}, "expr": {"get_param": "L"}`)
	add("cdl-param-float-items", `"param_schema": {"L": {"type": "comma_delimited_list", "default": [0.30000000000000004, "x"]}}, "expr": {"get_param": "L"}`)
	add("cdl-param-int", `"param_schema": {"L": {"type": "comma_delimited_list", "default": 5}}, "expr": {"get_param": "L"}`)
	for _, b := range []string{`"yes"`, `"on"`, `"1"`, `"t"`, `"y"`, `"TRUE"`, `" no "`, `"off"`, `"0"`, `"f"`, `"n"`, `1`, `0`, `"maybe"`, `2`, `true`, `false`} {
		add("bool-param-"+strings.ReplaceAll(strings.TrimSpace(b), `"`, "'"), fmt.Sprintf(`"param_schema": {"B": {"type": "boolean", "default": %s}}, "expr": {"get_param": "B"}`, b))
	}
	for _, n := range []string{`"8"`, `"1.5"`, `" 5 "`, `"1e3"`, `"abc"`, `true`, `2.0`, `{}`, `"-7"`, `"inf"`} {
		add("number-param-"+strings.ReplaceAll(strings.TrimSpace(n), `"`, "'"), fmt.Sprintf(`"param_schema": {"N": {"type": "number", "default": %s}}, "expr": {"get_param": "N"}`, n))
	}
	add("param-default-null-required", `"param_schema": {"S": {"type": "string", "default": null}}, "expr": {"get_param": "S"}`)
	add("param-default-from-param-defaults", `"param_schema": {"S": {"type": "string", "default": "d"}}, "param_defaults": {"S": "pd"}, "expr": {"get_param": "S"}`)
	add("param-null-param-defaults", `"param_schema": {"S": {"type": "string", "default": "d"}}, "param_defaults": {"S": null}, "expr": {"get_param": "S"}`)
	add("param-user-over-defaults", `"params": {"S": "u"}, "param_schema": {"S": {"type": "string", "default": "d"}}, "param_defaults": {"S": "pd"}, "expr": {"get_param": "S"}`)
	add("param-bad-type", `"param_schema": {"S": {"type": "str", "default": "d"}}, "expr": {"get_param": "S"}`)
	add("param-missing-type", `"param_schema": {"S": {"default": "d"}}, "expr": {"get_param": "S"}`)
	add("param-invalid-key", `"param_schema": {"S": {"type": "string", "default": "d", "bogus": 1}}, "expr": {"get_param": "S"}`)
	add("param-tags-pike", `"version": "pike", "param_schema": {"S": {"type": "string", "default": "d", "tags": ["a"]}}, "expr": {"get_param": "S"}`)
	add("param-tags-queens", `"param_schema": {"S": {"type": "string", "default": "d", "tags": ["a"]}}, "expr": {"get_param": "S"}`)
	// constraints
	add("allowed_values-ok", `"param_schema": {"S": {"type": "string", "default": "b", "constraints": [{"allowed_values": ["a", "b"]}]}}, "expr": {"get_param": "S"}`)
	add("allowed_values-bad", `"param_schema": {"S": {"type": "string", "default": "c", "constraints": [{"allowed_values": ["a", "b"]}]}}, "expr": {"get_param": "S"}`)
	add("allowed_values-number", `"param_schema": {"N": {"type": "number", "default": "2", "constraints": [{"allowed_values": [1, 2]}]}}, "expr": {"get_param": "N"}`)
	add("allowed_values-bool-string", `"param_schema": {"S": {"type": "string", "default": true, "constraints": [{"allowed_values": ["True"]}]}}, "expr": {"get_param": "S"}`)
	add("allowed_values-cdl", `"param_schema": {"L": {"type": "comma_delimited_list", "default": "a,b", "constraints": [{"allowed_values": ["a", "b", "c"]}]}}, "expr": {"get_param": "L"}`)
	add("allowed_values-cdl-bad", `"param_schema": {"L": {"type": "comma_delimited_list", "default": "a,d", "constraints": [{"allowed_values": ["a", "b"]}]}}, "expr": {"get_param": "L"}`)
	add("allowed_pattern-ok", `"param_schema": {"S": {"type": "string", "default": "abc123", "constraints": [{"allowed_pattern": "[a-z0-9]+"}]}}, "expr": {"get_param": "S"}`)
	add("allowed_pattern-partial", `"param_schema": {"S": {"type": "string", "default": "abc-123", "constraints": [{"allowed_pattern": "[a-z0-9]+"}]}}, "expr": {"get_param": "S"}`)
	add("allowed_pattern-alternation", `"param_schema": {"S": {"type": "string", "default": "ab", "constraints": [{"allowed_pattern": "a|ab"}]}}, "expr": {"get_param": "S"}`)
	add("allowed_pattern-user-value", `"params": {"S": "xyz!"}, "param_schema": {"S": {"type": "string", "constraints": [{"allowed_pattern": "[a-z]+"}]}}, "expr": {"get_param": "S"}`)
	add("range-ok", `"param_schema": {"N": {"type": "number", "default": 3, "constraints": [{"range": {"min": 1, "max": 4}}]}}, "expr": {"get_param": "N"}`)
	add("range-bad", `"param_schema": {"N": {"type": "number", "default": 5, "constraints": [{"range": {"min": 1, "max": 4}}]}}, "expr": {"get_param": "N"}`)
	add("range-min-only", `"param_schema": {"N": {"type": "number", "default": "0.5", "constraints": [{"range": {"min": 1}}]}}, "expr": {"get_param": "N"}`)
	add("range-on-string", `"param_schema": {"S": {"type": "string", "default": "a", "constraints": [{"range": {"min": 1}}]}}, "expr": {"get_param": "S"}`)
	add("length-string", `"param_schema": {"S": {"type": "string", "default": "abc", "constraints": [{"length": {"min": 32, "max": 32}}]}}, "expr": {"get_param": "S"}`)
	add("length-json", `"param_schema": {"J": {"type": "json", "default": {"a": 1}, "constraints": [{"length": {"min": 1}}]}}, "expr": {"get_param": "J"}`)
	add("length-json-empty", `"param_schema": {"J": {"type": "json", "default": {}, "constraints": [{"length": {"min": 1}}]}}, "expr": {"get_param": "J"}`)
	add("length-cdl", `"param_schema": {"L": {"type": "comma_delimited_list", "default": "a,b,c", "constraints": [{"length": {"max": 2}}]}}, "expr": {"get_param": "L"}`)
	add("modulo-ok", `"param_schema": {"N": {"type": "number", "default": 7, "constraints": [{"modulo": {"step": 2, "offset": 1}}]}}, "expr": {"get_param": "N"}`)
	add("modulo-bad", `"param_schema": {"N": {"type": "number", "default": 8, "constraints": [{"modulo": {"step": 2, "offset": 1}}]}}, "expr": {"get_param": "N"}`)
	add("modulo-newton", `"version": "newton", "param_schema": {"N": {"type": "number", "default": 7, "constraints": [{"modulo": {"step": 2, "offset": 1}}]}}, "expr": {"get_param": "N"}`)
	add("constraint-description", `"param_schema": {"S": {"type": "string", "default": "c", "constraints": [{"allowed_values": ["a"], "description": "pick a"}]}}, "expr": {"get_param": "S"}`)
	add("default-violates-user-ok", `"params": {"S": "a"}, "param_schema": {"S": {"type": "string", "default": "c", "constraints": [{"allowed_values": ["a"]}]}}, "expr": {"get_param": "S"}`)
	add("default-violates-pdefault-ok", `"param_defaults": {"S": "a"}, "param_schema": {"S": {"type": "string", "default": "", "constraints": [{"allowed_pattern": "[a-z]+"}]}}, "expr": {"get_param": "S"}`)
	// str_replace
	add("str_replace-basic", `"params": {"a": "x"}, "expr": {"str_replace": {"template": "hi $a/$a", "params": {"$a": {"get_param": "a"}}}}`)
	add("str_replace-no-rescan", `"expr": {"str_replace": {"template": "AB", "params": {"A": "B", "B": "x"}}}`)
	add("str_replace-longest-first", `"expr": {"str_replace": {"template": "foobar foo", "params": {"foo": "1", "foobar": "2"}}}`)
	add("str_replace-equal-length-lex", `"expr": {"str_replace": {"template": "abc", "params": {"bc": "2", "ab": "1"}}}`)
	add("str_replace-overlap", `"expr": {"str_replace": {"template": "aaa", "params": {"aa": "X"}}}`)
	add("str_replace-int-key", `"expr": {"str_replace": {"template": "8080", "params": {"8080": "x"}}}`)
	add("str_replace-template-not-string", `"expr": {"str_replace": {"template": 5, "params": {"a": "b"}}}`)
	add("str_replace-params-list", `"expr": {"str_replace": {"template": "a", "params": ["a"]}}`)
	add("str_replace-params-fn", `"params": {"P": {"$x": "y"}}, "expr": {"str_replace": {"template": "$x!", "params": {"get_param": "P"}}}`)
	add("str_replace-missing-params", `"expr": {"str_replace": {"template": "a"}}`)
	add("str_replace-not-map", `"expr": {"str_replace": ["a", "b"]}`)
	add("str_replace-float-12digits", `"expr": {"str_replace": {"template": "v=V", "params": {"V": 0.30000000000000004}}}`)
	add("str_replace-float-long", `"expr": {"str_replace": {"template": "v=V", "params": {"V": 123456789.12345679}}}`)
	add("str_replace-nested-json", `"expr": {"str_replace": {"template": "v=V", "params": {"V": {"b": [1, {"d": null, "c": true}], "a": "é"}}}}`)
	add("str_replace_strict-missing", `"expr": {"str_replace_strict": {"template": "abc", "params": {"x": "y", "a": "1"}}}`)
	add("str_replace_strict-shadowed", `"expr": {"str_replace_strict": {"template": "foobar", "params": {"foo": "1", "foobar": "2"}}}`)
	add("str_replace_strict-ok", `"expr": {"str_replace_strict": {"template": "abc", "params": {"a": "1"}}}`)
	add("str_replace_strict-ocata", `"version": "ocata", "expr": {"str_replace_strict": {"template": "abc", "params": {"x": "1"}}}`)
	add("str_replace_strict-newton-data", `"version": "newton", "expr": {"str_replace_strict": {"template": "abc", "params": {"x": "1"}}}`)
	add("str_replace_vstrict-false", `"expr": {"str_replace_vstrict": {"template": "abc", "params": {"a": false}}}`)
	add("str_replace_vstrict-empty-list", `"expr": {"str_replace_vstrict": {"template": "abc", "params": {"a": []}}}`)
	add("str_replace_vstrict-null", `"expr": {"str_replace_vstrict": {"template": "abc", "params": {"a": null}}}`)
	// list_join
	add("list_join-multi", `"expr": {"list_join": [",", ["a", "b"], ["c"]]}`)
	add("list_join-null-item", `"expr": {"list_join": ["\n", ["a", null, "b"]]}`)
	add("list_join-null-list", `"expr": {"list_join": [",", null, ["a"]]}`)
	add("list_join-empty-dict-list", `"expr": {"list_join": [",", {}, ["a"]]}`)
	add("list_join-dict-list", `"expr": {"list_join": [",", {"a": 1}]}`)
	add("list_join-string-list", `"expr": {"list_join": [",", "abc"]}`)
	add("list_join-json-items", `"expr": {"list_join": ["|", ["a", {"k": "v", "a": [1, 2]}, ["x"]]]}`)
	add("list_join-delim-null", `"expr": {"list_join": [null, ["a"]]}`)
	add("list_join-delim-int", `"expr": {"list_join": [1, ["a"]]}`)
	add("list_join-one-arg", `"expr": {"list_join": [","]}`)
	add("list_join-not-list", `"expr": {"list_join": "a"}`)
	add("list_join-old-single", `"version": "2015-04-30", "expr": {"list_join": [",", ["a", "b"]]}`)
	add("list_join-old-multi", `"version": "2015-04-30", "expr": {"list_join": [",", ["a"], ["b"]]}`)
	add("list_join-old-dict-item", `"version": "2015-04-30", "expr": {"list_join": [",", ["a", {"b": 1}]]}`)
	// map_merge, map_replace
	add("map_merge-shallow", `"expr": {"map_merge": [{"a": {"x": 1}}, {"a": {"y": 2}}]}`)
	add("map_merge-null", `"expr": {"map_merge": [{"a": 1}, null, {"b": 2}]}`)
	add("map_merge-fn", `"params": {"L": [{"a": 1}, {"a": 2, "b": 3}]}, "expr": {"map_merge": {"get_param": "L"}}`)
	add("map_merge-list-item", `"expr": {"map_merge": [{"a": 1}, [1]]}`)
	add("map_merge-dict-arg", `"expr": {"map_merge": {"a": 1}}`)
	add("map_merge-empty", `"expr": {"map_merge": []}`)
	add("map_merge-string-arg", `"params": {"S": "ab"}, "expr": {"map_merge": {"get_param": "S"}}`)
	add("map_merge-old", `"version": "2015-10-15", "expr": {"map_merge": [{"a": 1}]}`)
	add("map_replace-keys-values", `"expr": {"map_replace": [{"k1": "v1", "k2": "v2"}, {"keys": {"k1": "K1"}, "values": {"v2": "V2"}}]}`)
	add("map_replace-null-key-keeps", `"expr": {"map_replace": [{"k1": "v1"}, {"keys": {"k1": null}}]}`)
	add("map_replace-collide-in", `"expr": {"map_replace": [{"k1": "v1", "k2": "v2"}, {"keys": {"k1": "k2"}}]}`)
	add("map_replace-collide-out", `"expr": {"map_replace": [{"k1": "v1", "k2": "v2"}, {"keys": {"k1": "X", "k2": "X"}}]}`)
	add("map_replace-unhashable", `"expr": {"map_replace": [{"k1": ["a"], "k2": "a"}, {"values": {"a": "A"}}]}`)
	add("map_replace-whole-value", `"expr": {"map_replace": [{"k1": "abc", "k2": "a"}, {"values": {"a": "A"}}]}`)
	add("map_replace-true-one", `"expr": {"map_replace": [{"k1": true, "k2": 1, "k3": 1.0}, {"values": {"1": "str", "x": "y"}}]}`)
	add("map_replace-bad-key", `"expr": {"map_replace": [{"k1": "v1"}, {"bogus": {}}]}`)
	add("map_replace-three", `"expr": {"map_replace": [{"k1": "v1"}, {}, {}]}`)
	add("map_replace-null-maps", `"expr": {"map_replace": [null, null]}`)
	add("map_replace-role-params-idiom", `"params": {"RoleParameters": {"NovaReservedHostMemory": 4096}, "NovaReservedHostMemory": 2048, "NovaVcpuPinSet": "1-3"}, "expr": {"map_replace": [{"map_replace": [{"nova::mem": "NovaReservedHostMemory", "nova::pin": "NovaVcpuPinSet"}, {"values": {"get_param": ["RoleParameters"]}}]}, {"values": {"NovaReservedHostMemory": {"get_param": "NovaReservedHostMemory"}, "NovaVcpuPinSet": {"get_param": "NovaVcpuPinSet"}}}]}`)
	// list_concat, list_concat_unique
	add("list_concat-basic", `"expr": {"list_concat": [["a", "b"], ["b", "c"], [], null]}`)
	add("list_concat-string-item", `"expr": {"list_concat": [["a"], "b"]}`)
	add("list_concat-dict-item", `"expr": {"list_concat": [["a"], {"b": 1}]}`)
	add("list_concat-not-list", `"expr": {"list_concat": "ab"}`)
	add("list_concat-ocata-data", `"version": "ocata", "expr": {"list_concat": [["a"], ["b"]]}`)
	add("list_concat_unique-dup-last", `"expr": {"list_concat_unique": [[1, 2], [1, 3]]}`)
	add("list_concat_unique-keeps-dups", `"expr": {"list_concat_unique": [[0, 1, 0, 2, 1, 2]]}`)
	add("list_concat_unique-mixed", `"expr": {"list_concat_unique": [["a", "b"], ["b", "c", "a"], [{"x": 1}, {"x": 1}]]}`)
	add("list_concat_unique-bool-int", `"expr": {"list_concat_unique": [[true, 2, 1]]}`)
	add("list_concat_unique-no-dups", `"expr": {"list_concat_unique": [["a"], ["b"]]}`)
	// contains, filter, str_split
	add("contains-list", `"expr": [{"contains": ["b", ["a", "b"]]}, {"contains": ["z", ["a"]]}, {"contains": [1, [true]]}]`)
	add("contains-substring", `"expr": {"contains": ["ell", "hello"]}`)
	add("contains-int-in-string", `"expr": {"contains": [1, "123"]}`)
	add("contains-dict", `"expr": {"contains": ["a", {"a": 1}]}`)
	add("contains-one-arg", `"expr": {"contains": ["a"]}`)
	add("contains-ocata-data", `"version": "ocata", "expr": {"contains": ["a", ["a"]]}`)
	add("filter-basic", `"expr": {"filter": [[null, ""], ["a", null, "", "b", 0]]}`)
	add("filter-null-list", `"expr": {"filter": [["a"], null]}`)
	add("filter-empty-values", `"expr": {"filter": [[], ["a"]]}`)
	add("filter-string-seq", `"expr": {"filter": [["a"], "abc"]}`)
	add("filter-values-not-list", `"expr": {"filter": ["a", ["a", "b"]]}`)
	add("filter-three", `"expr": {"filter": [[], [], []]}`)
	add("filter-newton-data", `"version": "newton", "expr": {"filter": [[], ["a"]]}`)
	add("str_split-basic", `"expr": {"str_split": [",", "a,b,,c"]}`)
	add("str_split-index", `"expr": {"str_split": [":", "host:port:x", 1]}`)
	add("str_split-neg-index", `"expr": {"str_split": [":", "a:b", -1]}`)
	add("str_split-str-index", `"expr": {"str_split": [":", "a:b", "1"]}`)
	add("str_split-bad-index", `"expr": {"str_split": [":", "a:b", 5]}`)
	add("str_split-null", `"expr": {"str_split": [",", null]}`)
	add("str_split-not-string", `"expr": {"str_split": [",", 5]}`)
	add("str_split-empty-delim", `"expr": {"str_split": ["", "ab"]}`)
	add("str_split-one-arg", `"expr": {"str_split": [","]}`)
	add("str_split-string-arg", `"expr": {"str_split": "a,b"}`)
	add("str_split-fn-arg", `"params": {"L": [",", "x,y"]}, "param_types": {"L": "json"}, "expr": {"str_split": {"get_param": "L"}}`)
	// repeat
	add("repeat-product", `"expr": {"repeat": {"template": "<%p%>-<%q%>", "for_each": {"<%p%>": ["a", "b"], "<%q%>": ["1", "2"]}}}`)
	add("repeat-rescan", `"expr": {"repeat": {"template": "AB", "for_each": {"A": ["B"], "B": ["x"]}}}`)
	add("repeat-map-template", `"params": {"Ports": "80,443"}, "param_types": {"Ports": "comma_delimited_list"}, "expr": {"repeat": {"template": {"port": "PORT", "PORT": "x"}, "for_each": {"PORT": {"get_param": "Ports"}}}}`)
	add("repeat-permutations-false", `"expr": {"repeat": {"template": "A=B", "for_each": {"A": ["a1", "a2"], "B": ["b1", "b2"]}, "permutations": false}}`)
	add("repeat-permutations-unequal", `"expr": {"repeat": {"template": "A=B", "for_each": {"A": ["a1", "a2"], "B": ["b1"]}, "permutations": false}}`)
	add("repeat-permutations-string", `"expr": {"repeat": {"template": "A", "for_each": {"A": ["a"]}, "permutations": "false"}}`)
	add("repeat-dict-values", `"expr": {"repeat": {"template": "X", "for_each": {"X": {"k1": 1, "k2": 2}}}}`)
	add("repeat-dict-values-no-perm", `"expr": {"repeat": {"template": "X", "for_each": {"X": {"k1": 1}}, "permutations": false}}`)
	add("repeat-null-value", `"expr": {"repeat": {"template": "X", "for_each": {"X": null}}}`)
	add("repeat-int-items", `"expr": {"repeat": {"template": "X", "for_each": {"X": [1, 2]}}}`)
	add("repeat-int-items-no-string", `"expr": {"repeat": {"template": [5], "for_each": {"X": [1, 2]}}}`)
	add("repeat-string-value", `"expr": {"repeat": {"template": "X", "for_each": {"X": "abc"}}}`)
	add("repeat-empty-for_each", `"expr": {"repeat": {"template": "X", "for_each": {}}}`)
	add("repeat-resolves-template-first", `"params": {"P": "X"}, "expr": {"repeat": {"template": {"get_param": "P"}, "for_each": {"X": ["1", "2"]}}}`)
	add("repeat-missing-template", `"expr": {"repeat": {"for_each": {"X": ["1"]}}}`)
	add("repeat-nova-compute", `"expr": {"repeat": {"for_each": {"<%node%>": ["0", "1"], "<%size%>": ["2048", "2048"], "<%count%>": ["1", "1"]}, "template": "node:<%node%>,size:<%size%>,count:<%count%>", "permutations": false}}`)
	add("repeat-newton-map", `"version": "newton", "expr": {"repeat": {"template": "X", "for_each": {"X": {"a": 1}}}}`)
	add("repeat-2015-map", `"version": "2015-04-30", "expr": {"repeat": {"template": "X", "for_each": {"X": {"a": 1}}}}`)
	// conditions and if
	add("if-true", `"params": {"E": true}, "conditions": {"c": {"equals": [{"get_param": "E"}, true]}}, "expr": {"if": ["c", "https", "http"]}`)
	add("if-untaken-branch-error", `"conditions": {"c": true}, "expr": {"if": ["c", "ok", {"get_param": "Nope"}]}`)
	add("if-taken-branch-error", `"conditions": {"c": false}, "expr": {"if": ["c", "ok", {"get_param": "Nope"}]}`)
	add("if-null-stays", `"conditions": {"c": false}, "expr": {"a": {"if": ["c", 1, null]}, "l": [{"if": ["c", 1, null]}]}`)
	add("if-bool-literal", `"expr": {"if": [true, "T", "F"]}`)
	add("if-inline-equals", `"params": {"P": "x"}, "expr": {"if": [{"equals": [{"get_param": "P"}, "x"]}, "X", "notX"]}`)
	add("if-inline-get_param-bool", `"params": {"B": "yes"}, "param_types": {"B": "boolean"}, "expr": {"if": [{"get_param": "B"}, "T", "F"]}`)
	add("if-inline-get_param-string", `"params": {"S": "c"}, "conditions": {"c": true}, "expr": {"if": [{"get_param": "S"}, "T", "F"]}`)
	add("if-undefined-condition", `"expr": {"if": ["nope", "T", "F"]}`)
	add("if-two-args", `"expr": {"if": [true, "T"]}`)
	add("if-not-list", `"expr": {"if": "c"}`)
	add("if-get_attr-in-condition", `"expr": {"if": [{"get_attr": ["r", "a"]}, "T", "F"]}`)
	add("if-int-condition", `"expr": {"if": [1, "T", "F"]}`)
	add("if-dict-condition", `"expr": {"if": [{"a": 1, "b": 2}, "T", "F"]}`)
	add("if-nested-value", `"params": {"X": ""}, "conditions": {"empty": {"equals": [{"get_param": "X"}, ""]}}, "expr": {"map_merge": [{"a": 1}, {"if": ["empty", {}, {"b": {"get_param": "X"}}]}]}`)
	add("equals-string-vs-bool", `"params": {"S": "true"}, "conditions": {"c": {"equals": [{"get_param": "S"}, true]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("equals-bool-param", `"params": {"B": "true"}, "param_types": {"B": "boolean"}, "conditions": {"c": {"equals": [{"get_param": "B"}, true]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("equals-int-float", `"conditions": {"c": {"equals": [1, 1.0]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("equals-deep", `"conditions": {"c": {"equals": [{"a": [1, {"b": null}]}, {"a": [1, {"b": null}]}]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("equals-missing-path", `"params": {"R": {}}, "conditions": {"c": {"equals": [{"get_param": ["R", "X"]}, ""]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("equals-outside-condition-is-data", `"expr": {"equals": [1, 1]}`)
	add("not-and-or", `"params": {"Role": "Controller", "Debug": false}, "conditions": {"is_ctrl": {"equals": [{"get_param": "Role"}, "Controller"]}, "nodebug": {"not": {"equals": [{"get_param": "Debug"}, true]}}, "both": {"and": ["is_ctrl", "nodebug"]}, "either": {"or": [{"equals": ["a", "b"]}, "nodebug"]}}, "expr": [{"if": ["both", "B", "b"]}, {"if": ["either", "E", "e"]}]`)
	add("and-short-circuit-names", `"conditions": {"c": {"and": [false, "undefined_name"]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("or-short-circuit-names", `"conditions": {"c": {"or": [true, "undefined_name"]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("and-bad-name", `"conditions": {"c": {"and": [true, "undefined_name"]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("and-one-arg", `"conditions": {"c": {"and": [true]}}, "expr": {"if": ["c", "T", "F"]}`)
	add("not-string-name", `"conditions": {"a": true, "c": {"not": "a"}}, "expr": {"if": ["c", "T", "F"]}`)
	add("not-null", `"conditions": {"c": {"not": null}}, "expr": {"if": ["c", "T", "F"]}`)
	add("condition-string-definition", `"conditions": {"a": true, "b": "a"}, "expr": {"if": ["b", "T", "F"]}`)
	add("condition-non-bool-param", `"params": {"S": "x"}, "conditions": {"c": {"get_param": "S"}}, "expr": {"if": ["c", "T", "F"]}`)
	add("condition-cycle", `"conditions": {"a": {"not": "b"}, "b": {"not": "a"}}, "expr": {"if": ["a", "T", "F"]}`)
	add("condition-self", `"conditions": {"a": {"and": ["a", true]}}, "expr": {"if": ["a", "T", "F"]}`)
	add("condition-unused-broken", `"conditions": {"u": {"equals": [{"get_param": "Undefined"}, "x"]}, "c": true}, "expr": {"if": ["c", "T", "F"]}`)
	add("condition-invalid-function", `"conditions": {"u": {"list_join": [",", ["a"]]}, "c": true}, "expr": {"if": ["c", "T", "F"]}`)
	add("conditions-not-map", `"conditions": ["a"], "expr": {"if": [true, "T", "F"]}`)
	add("condition-yaql", `"params": {"I": "registry:8787/x"}, "conditions": {"c": {"yaql": {"expression": "$.data.split('/')[0].matches('(\\.|:)')", "data": {"get_param": "I"}}}}, "expr": {"if": ["c", "T", "F"]}`)
	add("condition-yaql-newton", `"version": "newton", "conditions": {"c": {"yaql": {"expression": "true", "data": {}}}}, "expr": {"if": ["c", "T", "F"]}`)
	add("condition-contains", `"conditions": {"c": {"contains": ["a", ["a"]]}}, "expr": {"if": ["c", "T", "F"]}`)
	// yaql
	for _, y := range []struct{ id, expr, data string }{
		{"str-port", "str($.data.port)", `{"port": 8042}`},
		{"str-null", "str($.data.v)", `{"v": null}`},
		{"str-bool", "str($.data.v)", `{"v": true}`},
		{"str-float", "str($.data.v)", `{"v": 1.5}`},
		{"passwords-first", "$.data.passwords.where($ != '').first()", `{"passwords": ["", "p2", "p3"]}`},
		{"passwords-empty", "$.data.passwords.where($ != '').first()", `{"passwords": ["", ""]}`},
		{"missing-key", "$.data.nope", `{"a": 1}`},
		{"rightSplit-tag", "concat($.data.rightSplit(separator => \":\", maxSplits => 1)[0], \":pcmklatest\")", `"registry:8787/tripleo/mariadb:latest"`},
		{"rightSplit-name", "concat(\"cluster-common-tag/\", $.data.rightSplit(separator => \"/\", maxSplits => 1)[1])", `"registry:8787/tripleo/mariadb:latest"`},
		{"rightSplit-no-slash", "$.data.rightSplit(separator => \"/\", maxSplits => 1)[1]", `"mariadb"`},
		{"regex-split", "let(location => $.data.rightSplit(':', 1)[0]) -> regex('(?:https?://)?(.*?)/(.*)').split($location)[1]", `"http://host:8787/ns/img:tag"`},
		{"select-name", "$.data.select($.name)", `[{"name": "a"}, {"name": "b"}]`},
		{"select-concat", "$.data.select($+\":\"+$+\":ro\")", `["/a", "/b"]`},
		{"toDict-values", "$.data.toDict($.get('name')).values()", `[{"name": "a", "v": 1}, {"name": "b"}, {"name": "a", "v": 2}]`},
		{"keys-any", "$.data.keys().any(predicate => $ in ['x', 'b'])", `{"a": 1, "b": 2}`},
		{"mergeWith", "$.data.a.mergeWith($.data.b)", `{"a": {"x": [1, 2], "y": {"p": 1}, "s": "a"}, "b": {"x": [2, 3], "y": {"q": 2}, "s": null}}`},
		{"mergeWith-scalar-map", "$.data.a.mergeWith($.data.b)", `{"a": {"x": 1}, "b": {"x": {"y": 2}}}`},
		{"range-join-split", "range(0,len($.data.l)).join(\",\").split(\",\")", `{"l": ["a", "b", "c"]}`},
		{"floor-div", "$.data.a / $.data.b", `{"a": 7, "b": 2}`},
		{"true-div", "$.data.a / $.data.b", `{"a": 7.0, "b": 2}`},
		{"where-not-empty", "$.data.pipeline.where($ != '')", `{"pipeline": ["a", "", "b"]}`},
		{"flatten", "$.data.flatten()", `[[1, [2]], null, "x", {"a": 1}]`},
		{"flatten-distinct", "($.data.a + $.data.b).flatten().distinct()", `{"a": [["x", "y"]], "b": [["y"], "z", 1, true]}`},
		{"flatten-where", "$.data.flatten().where($)", `[["a", "", null], [0, "b"]]`},
		{"switch-bool", "switch(bool($.data.cluster) => $.data.cluster, bool($.data.single) => $.data.single).select($.port).distinct().join(' ')", `{"cluster": [], "single": [{"port": 1}, {"port": 1}, {"port": 2}]}`},
		{"join-null", "$.data.join(',')", `["a", null, 1]`},
		{"list-unpack", "list($.data)", `[1, 2]`},
		{"list-iter", "list($.data.where(true))", `[1, 2]`},
		{"string-plus-int", "$.data.s + $.data.i", `{"s": "a", "i": 1}`},
		{"int-null", "int($.data.v)", `{"v": null}`},
		{"int-float", "int($.data.v)", `{"v": 2.9}`},
		{"eq-int-float", "$.data.a = $.data.b", `{"a": 1, "b": 1.0}`},
		{"eq-str-int", "$.data.a = $.data.b", `{"a": "1", "b": 1}`},
		{"truthy-false-string", "$.data.where($)", `["false", "", 0, [], {}, null, "x"]`},
		{"coalesce", "coalesce($.data.a, $.data.b, 'c')", `{"a": null, "b": "B"}`},
		{"dict-pairs", "dict($.data.items().where($[1] > 1))", `{"a": 1, "b": 2}`},
		{"groupBy", "$.data.groupBy($[0], $[1])", `[["a", 1], ["b", 2], ["a", 3]]`},
		{"zip", "$.data.a.zip($.data.b)", `{"a": [1, 2, 3], "b": ["x", "y"]}`},
		{"reduce", "$.data.reduce($1 + $2, 0)", `[1, 2, 3]`},
		{"isEmpty", "$.data.select(isEmpty($))", `["", " ", null, "a"]`},
		{"concat-non-string", "concat($.data, 'x')", `5`},
		{"contains-key", "$.data.containsKey('a')", `{"a": 1}`},
		{"len-dict", "len($.data)", `{"a": 1, "b": 2}`},
		{"orderBy", "$.data.orderBy($.k).select($.v)", `[{"k": 2, "v": "b"}, {"k": 1, "v": "a"}, {"k": 2, "v": "c"}]`},
		{"toLower-endsWith", "[$.data.toLower(), $.data.endsWith('Z')]", `"AbZ"`},
		{"replace", "$.data.replace('null', 'disabled')", `"a null b null"`},
		{"regex-replace", "regex(`([a-z0-9])([A-Z])`).replace($.data, '\\\\1_\\\\2').toLower()", `"NovaApiNetwork"`},
		{"first-default", "$.data.first(null)", `[]`},
		{"deleteAll", "$.data.deleteAll(['a'])", `{"a": 1, "b": 2}`},
		{"bad-syntax", "$.data.(", `{}`},
		{"list-times", "[$.data] * 3", `"x"`},
		{"selectMany-items", "$.data.selectMany($.items())", `[{"a": 1}, {"b": 2}]`},
	} {
		add("yaql-"+y.id, fmt.Sprintf(`"expr": {"yaql": {"expression": %s, "data": %s}}`, jsonString(y.expr), y.data))
	}
	add("yaql-expression-fn", `"params": {"E": "$.data * 2"}, "expr": {"yaql": {"expression": {"get_param": "E"}, "data": 4}}`)
	add("yaql-expression-int", `"expr": {"yaql": {"expression": 5, "data": 4}}`)
	add("yaql-no-data", `"expr": {"yaql": {"expression": "$.data"}}`)
	add("yaql-extra-key", `"expr": {"yaql": {"expression": "1", "data": 1, "x": 1}}`)
	add("yaql-too-many-items", `"expr": {"yaql": {"expression": "range(0, 2000).select($)", "data": {}}}`)
	// make_url, digest, get_file
	add("make_url-ipv6", `"expr": {"make_url": {"scheme": "https", "host": "fd00::1", "port": 13000, "path": "/v3", "query": {"a": "b c"}}}`)
	add("make_url-bracketed", `"expr": {"make_url": {"scheme": "mysql+pymysql", "username": "keystone", "password": "p@ss", "host": "[fd00::5]", "path": "/keystone", "query": {"read_default_file": "/etc/my.cnf.d/tripleo.cnf", "read_default_group": "tripleo"}}}`)
	add("make_url-port-string", `"expr": {"make_url": {"scheme": "http", "host": "h", "port": "8080"}}`)
	add("make_url-port-bad", `"expr": {"make_url": {"scheme": "http", "host": "h", "port": "x"}}`)
	add("make_url-port-range", `"expr": {"make_url": {"scheme": "http", "host": "h", "port": 70000}}`)
	add("make_url-port-empty", `"params": {"E": {}}, "expr": {"make_url": {"scheme": "http", "host": "h", "port": {"get_param": ["E", "port"]}}}`)
	add("make_url-bad-key", `"expr": {"make_url": {"scheme": "http", "bogus": "h"}}`)
	add("make_url-scheme-colon", `"expr": {"make_url": {"scheme": "ht:tp", "host": "h"}}`)
	add("make_url-host-int", `"expr": {"make_url": {"scheme": "http", "host": 5}}`)
	add("make_url-query-not-map", `"expr": {"make_url": {"scheme": "http", "host": "h", "query": "a=b"}}`)
	add("make_url-no-netloc", `"expr": {"make_url": {"scheme": "file", "path": "etc/x"}}`)
	add("make_url-user-only", `"expr": {"make_url": {"scheme": "ftp", "username": "u s", "host": "h", "fragment": "f g"}}`)
	add("make_url-query-values", `"expr": {"make_url": {"scheme": "http", "host": "h", "query": {"a": "x/y", "b": "&=?", "c": ""}}}`)
	add("make_url-tilde", `"expr": {"make_url": {"scheme": "http", "host": "h", "path": "/~user"}}`)
	add("make_url-nonascii-path", `"expr": {"make_url": {"scheme": "http", "host": "h", "path": "/é"}}`)
	add("make_url-newton-data", `"version": "newton", "expr": {"make_url": {"scheme": "http", "host": "h"}}`)
	add("digest-sha256", `"expr": {"digest": ["sha256", "tripleo"]}`)
	add("digest-md5-upper", `"expr": {"digest": ["MD5", "tripleo"]}`)
	add("digest-sha512", `"expr": {"digest": ["sha512", ""]}`)
	add("digest-bad-alg", `"expr": {"digest": ["nope", "x"]}`)
	add("digest-not-string", `"expr": {"digest": ["sha1", 5]}`)
	add("digest-three", `"expr": {"digest": ["sha1", "a", "b"]}`)
	add("digest-latin1", `"expr": {"digest": ["sha1", "é"]}`)
	add("get_file", `"files": {"scripts/x.sh": "#!/bin/sh\necho hi\n"}, "expr": {"get_file": "scripts/x.sh"}`)
	add("get_file-missing", `"files": {"scripts/x.sh": "x"}, "expr": {"get_file": "scripts/y.sh"}`)
	add("get_file-not-string", `"expr": {"get_file": 5}`)
	// get_attr, get_resource, resources
	add("get_attr-missing-resource", `"expr": {"get_attr": ["nope", "a"]}`)
	add("get_attr-string-arg", `"resources": {"r": {"type": "OS::Heat::None"}}, "expr": {"get_attr": "rr"}`)
	add("get_attr-disabled", `"conditions": {"off": false}, "resources": {"r": {"type": "OS::Heat::None", "condition": "off"}}, "expr": {"get_attr": ["r", "a"]}`)
	add("get_attr-guarded", `"conditions": {"off": false}, "resources": {"r": {"type": "OS::Heat::None", "condition": "off"}}, "expr": {"if": ["off", {"get_attr": ["r", "a"]}, "guarded"]}`)
	add("resource-bad-key", `"resources": {"r": {"type": "OS::Heat::None", "bogus": 1}}, "expr": 1`)
	add("resource-no-type", `"resources": {"r": {"properties": {}}}, "expr": 1`)
	// functions unknown to a version, removed functions, data
	add("unknown-function-is-data", `"expr": {"not_a_function": [1, 2]}`)
	add("two-keys-is-data", `"expr": {"get_param": "x", "other": 1}`)
	add("removed-Fn-Join", `"expr": {"Fn::Join": [",", ["a"]]}`)
	add("removed-Fn-Select-2015-10", `"version": "2015-10-15", "expr": {"Fn::Select": [0, ["a"]]}`)
	add("Fn-Select-2014", `"version": "2014-10-16", "expr": {"Fn::Select": [1, ["a", "b"]]}`)
	add("Fn-Select-out-of-range", `"version": "2014-10-16", "expr": {"Fn::Select": [5, ["a", "b"]]}`)
	add("Fn-Select-map", `"version": "2014-10-16", "expr": {"Fn::Select": ["k", {"k": "v"}]}`)
	add("Fn-Join-2013", `"version": "2013-05-23", "expr": {"Fn::Join": [",", ["a", "b"]]}`)
	add("Fn-Split-2013", `"version": "2013-05-23", "expr": {"Fn::Split": [",", "a,b"]}`)
	add("Fn-Replace-2013", `"version": "2013-05-23", "expr": {"Fn::Replace": [{"$a": "x"}, "$a!"]}`)
	add("Fn-Base64-2013", `"version": "2013-05-23", "expr": {"Fn::Base64": "abc"}`)
	add("Fn-MemberListToMap-2013", `"version": "2013-05-23", "expr": {"Fn::MemberListToMap": ["Name", "Value", [".member.0.Name=k", ".member.0.Value=v", ".member.1.Name=k2", ".member.1.Value=v2"]]}`)
	add("Ref-param-2013", `"version": "2013-05-23", "params": {"P": "x"}, "expr": {"Ref": "P"}`)
	add("str_replace-old-json-value", `"version": "2015-04-30", "expr": {"str_replace": {"template": "a", "params": {"a": [1]}}}`)
	add("version-rocky", `"version": "rocky", "expr": {"list_concat": [["a"], ["b"]]}`)
	add("version-date", `"version": "2018-03-02", "expr": {"list_concat": [["a"], ["b"]]}`)
	add("version-unknown", `"version": "2030-01-01", "expr": 1`)
	add("version-newton-if", `"version": "newton", "expr": {"if": [true, "T", "F"]}`)
	add("version-2016-04-if-data", `"version": "2016-04-08", "expr": {"if": [true, "T", "F"]}`)
	add("version-2016-04-map_merge", `"version": "2016-04-08", "expr": {"map_merge": [{"a": 1}, {"b": 2}]}`)

	cs = append(cs, generatedCases()...)
	return cs
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// values of every kind the reference warns about, as JSON.
var kinds = []struct{ name, json string }{
	{"null", "null"}, {"true", "true"}, {"false", "false"}, {"zero", "0"}, {"int", "5"},
	{"float", "1.5"}, {"floatint", "2.0"}, {"empty", `""`}, {"str", `"a"`}, {"strTrue", `"True"`},
	{"emptylist", "[]"}, {"list", `["a", "b"]`}, {"intlist", "[1, 2]"}, {"nulllist", "[null]"},
	{"emptymap", "{}"}, {"map", `{"k": "v"}`}, {"nested", `{"b": [1, {"z": null}], "a": true}`},
}

// generatedCases combines every function that takes values with every kind
// of value.
func generatedCases() []string {
	var cs []string
	add := func(id, body string) {
		cs = append(cs, fmt.Sprintf(`{"id": %q, %s}`, id, body))
	}
	for _, k := range kinds {
		add("gen-str_replace-value-"+k.name, fmt.Sprintf(`"expr": {"str_replace": {"template": "<V>", "params": {"V": %s}}}`, k.json))
		add("gen-str_replace-template-"+k.name, fmt.Sprintf(`"expr": {"str_replace": {"template": %s, "params": {"a": "b"}}}`, k.json))
		add("gen-list_join-item-"+k.name, fmt.Sprintf(`"expr": {"list_join": [",", ["x", %s]]}`, k.json))
		add("gen-list_join-list-"+k.name, fmt.Sprintf(`"expr": {"list_join": [",", %s]}`, k.json))
		add("gen-map_merge-item-"+k.name, fmt.Sprintf(`"expr": {"map_merge": [{"x": 1}, %s]}`, k.json))
		add("gen-list_concat-item-"+k.name, fmt.Sprintf(`"expr": {"list_concat": [["x"], %s]}`, k.json))
		add("gen-contains-seq-"+k.name, fmt.Sprintf(`"expr": {"contains": ["a", %s]}`, k.json))
		add("gen-contains-value-"+k.name, fmt.Sprintf(`"expr": {"contains": [%s, ["a", 5, null, [], {}, 1.5]]}`, k.json))
		add("gen-filter-seq-"+k.name, fmt.Sprintf(`"expr": {"filter": [["a", null], %s]}`, k.json))
		add("gen-str_split-string-"+k.name, fmt.Sprintf(`"expr": {"str_split": [",", %s]}`, k.json))
		add("gen-get_param-path-"+k.name, fmt.Sprintf(`"params": {"M": {"a": {"k": ["v0", "v1"]}}}, "expr": {"get_param": ["M", "a", %s]}`, k.json))
		add("gen-if-condition-"+k.name, fmt.Sprintf(`"expr": {"if": [%s, "T", "F"]}`, k.json))
		add("gen-equals-"+k.name, fmt.Sprintf(`"conditions": {"c": {"equals": [%s, "a"]}}, "expr": {"if": ["c", "T", "F"]}`, k.json))
		add("gen-map_replace-value-"+k.name, fmt.Sprintf(`"expr": {"map_replace": [{"k": %s}, {"values": {"a": "A", "5": "five", "True": "T"}}]}`, k.json))
		add("gen-repeat-value-"+k.name, fmt.Sprintf(`"expr": {"repeat": {"template": "X", "for_each": {"X": %s}}}`, k.json))
		add("gen-make_url-port-"+k.name, fmt.Sprintf(`"expr": {"make_url": {"scheme": "http", "host": "h", "port": %s}}`, k.json))
		add("gen-yaql-str-"+k.name, fmt.Sprintf(`"expr": {"yaql": {"expression": "str($.data)", "data": %s}}`, k.json))
	}
	for _, t := range []string{"string", "number", "json", "boolean", "comma_delimited_list"} {
		for _, k := range kinds {
			add("gen-param-"+t+"-"+k.name, fmt.Sprintf(`"param_schema": {"P": {"type": %q, "default": %s}}, "expr": {"get_param": "P"}`, t, k.json))
		}
	}
	return cs
}

// TestOracleFunctions is the differential test.
func TestOracleFunctions(t *testing.T) {
	oracle := testenv.Oracle(t)
	cases := oracleCases()
	if len(cases) < 300 {
		t.Fatalf("only %d cases", len(cases))
	}
	cmd := exec.Command(testenv.Python, filepath.Join(oracle, "oracle_fn.py"))
	cmd.Stdin = strings.NewReader(strings.Join(cases, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle_fn.py: %v", err)
	}
	results := map[string]*value.Value{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		r, err := hot.ParseJSON(l, source.Range{})
		if err != nil {
			t.Fatalf("oracle output %q: %v", l, err)
		}
		id, _ := r.Map.Get("id")
		results[value.Str(id)] = r
	}
	seen := map[string]bool{}
	agree, gaps := 0, 0
	for _, line := range cases {
		id, hv, herr := evalOracleCase(t, line)
		if seen[id] {
			t.Fatalf("duplicate case id %s", id)
		}
		seen[id] = true
		or, ok := results[id]
		if !ok {
			t.Errorf("%s: no oracle result", id)
			continue
		}
		okv, _ := or.Map.Get("ok")
		heatOK := okv.Kind == value.Bool && okv.Bool
		hoistJSON := "error"
		if herr == nil {
			hoistJSON = canon(t, hv)
		}
		heatJSON := "error"
		if heatOK {
			v, _ := or.Map.Get("value")
			heatJSON = canon(t, v)
		}
		if g, isGap := queensGap[id]; isGap {
			gaps++
			if hoistJSON != canonOrError(t, g.queens) {
				t.Errorf("%s: hoist gives %s, want the queens result %s (%s)", id, hoistJSON, g.queens, g.why)
			}
			if heatJSON == hoistJSON {
				t.Errorf("%s: listed as a version difference, but Heat 19 agrees with hoist (%s)", id, hoistJSON)
			}
			continue
		}
		if hoistJSON != heatJSON {
			why := ""
			if herr != nil {
				why = " (hoist: " + herr.Error() + ")"
			}
			if !heatOK {
				et, _ := or.Map.Get("error_type")
				em, _ := or.Map.Get("error")
				why += fmt.Sprintf(" (heat: %s: %s)", value.Str(et), value.Str(em))
			}
			t.Errorf("%s: hoist %s, heat %s%s\n  case: %s", id, clipS(hoistJSON), clipS(heatJSON), why, line)
			continue
		}
		agree++
	}
	for id := range queensGap {
		if !seen[id] {
			t.Errorf("queensGap lists %s, which is not a case", id)
		}
	}
	t.Logf("%d cases: %d equal to Heat 19, %d queens/Heat 19 differences as listed", len(cases), agree, gaps)
}

func clipS(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func canonOrError(t *testing.T, s string) string {
	if s == "error" {
		return s
	}
	v, err := hot.ParseJSON(s, source.Range{})
	if err != nil {
		t.Fatalf("bad expected JSON %s: %v", s, err)
	}
	return canon(t, v)
}

// canon renders a value as canonical JSON (sorted keys).
func canon(t *testing.T, v *value.Value) string {
	var b strings.Builder
	if err := value.WriteJSON(&b, v, value.JSONOptions{SortKeys: true, Unicode: true}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// evalOracleCase evaluates one case the way oracle_fn.py builds it: the
// expression is the value of output "result" of a top-level stack whose
// parameters are declared from params, param_types, param_schema and
// param_defaults.
func evalOracleCase(t *testing.T, line string) (string, *value.Value, error) {
	t.Helper()
	c, err := hot.ParseJSON(line, source.Range{File: "case"})
	if err != nil {
		t.Fatalf("bad case %s: %v", line, err)
	}
	get := func(k string) *value.Value {
		v, _ := c.Map.Get(k)
		return v
	}
	id := value.Str(get("id"))
	r := source.Range{File: "/virtual/template.yaml", Start: source.Pos{Line: 1, Col: 1}}
	str := func(s string) *value.Value { return value.NewString(s, r) }
	tm := value.NewMapping(6)
	version := "queens"
	if v := get("version"); v != nil {
		version = v.Str
	}
	tm.Set(str("heat_template_version"), str(version))
	params := value.NewMapping(0)
	if v := get("params"); v != nil {
		params = v.Map
	}
	pdefs := value.NewMapping(0)
	if v := get("param_defaults"); v != nil {
		pdefs = v.Map
	}
	decl := value.NewMapping(4)
	infer := func(v *value.Value) string {
		switch v.Kind {
		case value.Bool:
			return "boolean"
		case value.Int, value.Float:
			return "number"
		case value.Map, value.List:
			return "json"
		}
		return "string"
	}
	types := get("param_types")
	declare := func(name *value.Value, v *value.Value) {
		typ := infer(v)
		if types != nil {
			if tv, ok := types.Map.Lookup(name); ok {
				typ = tv.Str
			}
		}
		s := value.NewMapping(1)
		s.Set(str("type"), str(typ))
		decl.Set(name, value.NewMap(s, r))
	}
	for _, e := range params.Entries() {
		declare(e.Key, e.Val)
	}
	for _, e := range pdefs.Entries() {
		if !params.Has(e.Key.Str) {
			declare(e.Key, e.Val)
		}
	}
	if types != nil {
		for _, e := range types.Map.Entries() {
			if !decl.Has(e.Key.Str) {
				s := value.NewMapping(1)
				s.Set(str("type"), e.Val)
				decl.Set(e.Key, value.NewMap(s, r))
			}
		}
	}
	if v := get("param_schema"); v != nil {
		for _, e := range v.Map.Entries() {
			decl.Set(e.Key, e.Val)
		}
	}
	if decl.Len() > 0 {
		tm.Set(str("parameters"), value.NewMap(decl, r))
	}
	if v := get("conditions"); v != nil {
		tm.Set(str("conditions"), v)
	}
	if v := get("resources"); v != nil {
		tm.Set(str("resources"), v)
	}
	out := value.NewMapping(1)
	res := value.NewMapping(1)
	expr := get("expr")
	if expr == nil {
		expr = value.NewNull(r)
	}
	res.Set(str("value"), expr)
	out.Set(str("result"), value.NewMap(res, r))
	tm.Set(str("outputs"), value.NewMap(out, r))
	var tb strings.Builder
	if err := value.WriteJSON(&tb, value.NewMap(tm, r), value.JSONOptions{}); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"/virtual/template.yaml": tb.String()}
	if v := get("files"); v != nil {
		for _, e := range v.Map.Entries() {
			files[filepath.Join("/virtual", e.Key.Str)] = e.Val.Str
		}
	}
	loader := &Loader{ReadFile: func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}}
	em := value.NewMapping(2)
	em.Set(str("parameters"), value.NewMap(params, r))
	em.Set(str("parameter_defaults"), value.NewMap(pdefs, r))
	env, err := environment.Parse("/virtual/env.yaml", value.NewMap(em, r))
	if err != nil {
		return id, nil, err
	}
	st, err := Top("/virtual/template.yaml", Options{Env: env, Loader: loader})
	if err != nil {
		return id, nil, err
	}
	v, err := st.Output("result")
	return id, v, err
}
