package hot

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"sort"
	"strings"

	"hoist/compiler/yaql"
	"hoist/value"
)

// ---- digest -------------------------------------------------------------

var digests = map[string]func() hash.Hash{
	"md5":        md5.New,
	"sha1":       sha1.New,
	"sha224":     sha256.New224,
	"sha256":     sha256.New,
	"sha384":     sha512.New384,
	"sha512":     sha512.New,
	"sha512_224": sha512.New512_224,
	"sha512_256": sha512.New512_256,
	"sha3_224":   func() hash.Hash { return sha3.New224() },
	"sha3_256":   func() hash.Hash { return sha3.New256() },
	"sha3_384":   func() hash.Hash { return sha3.New384() },
	"sha3_512":   func() hash.Hash { return sha3.New512() },
}

func digestNames() []string {
	var out []string
	for k := range digests {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Scope) digest(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if u := args.FirstUnknown(); u != nil {
		return unknownAt(u, n), nil
	}
	if args.Kind != value.List {
		return nil, s.callError(n, "argument must be a list of strings [algorithm, value], not %s", describe(args))
	}
	for _, a := range args.List {
		if a.Kind != value.String {
			return nil, s.callError(n, "argument must be a list of strings [algorithm, value]; got %s", describe(a))
		}
	}
	if len(args.List) != 2 {
		return nil, s.callError(n, `usage: [<algorithm>, <value>]; got %d items`, len(args.List))
	}
	alg := strings.ToLower(args.List[0].Str)
	mk, ok := digests[alg]
	if !ok {
		return nil, s.callError(n, "unknown algorithm %q; expected one of %s", args.List[0].Str, nameList(digestNames()))
	}
	data := args.List[1].Str
	for _, r := range data {
		if r > 0x7f {
			// Python 2 hashed unicode through its ASCII codec.
			return nil, s.callError(n, "cannot hash non-ASCII text %q (queens Heat encoded it as ASCII)", data)
		}
	}
	h := mk()
	h.Write([]byte(data))
	return value.NewString(hex.EncodeToString(h.Sum(nil)), n.Range()), nil
}

// ---- yaql ---------------------------------------------------------------

func (s *Scope) yaql(n *Node) (*value.Value, error) {
	exprNode, _ := n.Arg.get("expression")
	expr, err := s.Eval(exprNode)
	if err != nil {
		return nil, err
	}
	if expr.Kind == value.Unknown {
		return unknownAt(expr, n), nil
	}
	if expr.Kind != value.String {
		return nil, s.callError(n, "the expression must be a string, not %s", describe(expr))
	}
	var data *value.Value
	if dn, ok := n.Arg.get("data"); ok {
		if data, err = s.Eval(dn); err != nil {
			return nil, err
		}
	} else {
		data = value.NewMap(nil, n.Range())
	}
	res, err := yaql.EvalHeat(expr.Str, data, s.limits)
	if err != nil {
		return nil, s.yaqlError(n, expr, err)
	}
	if res == nil {
		res = value.NewNull(n.Range())
	}
	if res.Range.IsZero() {
		res = res.At(n.Range())
	}
	if s.prov != nil {
		res = res.WithOrigin(value.Origin{Kind: "yaql", At: n.Range(), Decl: expr.Range, Note: "yaql " + clip(strings.Join(strings.Fields(expr.Str), " "), 100, false)})
	}
	return res, nil
}

func (s *Scope) yaqlError(n *Node, expr *value.Value, err error) error {
	var ye *yaql.Error
	if errors.As(err, &ye) {
		at := ""
		if ye.Offset >= 0 && ye.Offset <= len(expr.Str) {
			at = fmt.Sprintf(" at offset %d: %s⟨here⟩%s", ye.Offset, clip(expr.Str[:ye.Offset], 40, true), clip(expr.Str[ye.Offset:], 40, false))
		}
		kind := ye.Kind
		if kind == "" {
			kind = "error"
		}
		d := s.errorf(expr.Range, RuleYaql, "yaql %s: %s%s", kind, ye.Msg, at)
		return d
	}
	return s.errorf(expr.Range, RuleYaql, "yaql: %v", err)
}

func clip(s string, n int, tail bool) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if tail {
		return "..." + string(r[len(r)-n:])
	}
	return string(r[:n]) + "..."
}

// ---- make_url -----------------------------------------------------------

var makeURLKeys = []string{"scheme", "username", "password", "host", "port", "path", "query", "fragment"}

// checkMakeURL is MakeURL.validate on the parsed argument: a map of known
// keys, literal values of the right types.
func checkMakeURL(name string, a *Node) string {
	if !a.isMap() {
		if a.IsCall() {
			return ""
		}
		return fmt.Sprintf("%s: the arguments must be a map, not %s", name, describe(a.Val))
	}
	for _, k := range a.Keys {
		if !(k.Kind == value.String && slices.Contains(makeURLKeys, k.Str)) {
			return fmt.Sprintf("%s: invalid argument %s; expected %s", name, value.Repr(k), diag3(makeURLKeys))
		}
	}
	vals := make(map[string]*value.Value, len(a.Keys))
	for i, k := range a.Keys {
		if !a.Items[i].IsCall() {
			vals[k.Str] = a.Items[i].Val
		}
	}
	return checkURLArgs(name, vals)
}

func diag3(keys []string) string { return strings.Join(keys, ", ") }

// checkURLArgs is MakeURL._check_args; like Heat it stops checking after
// a valid query.
func checkURLArgs(name string, args map[string]*value.Value) string {
	for _, k := range makeURLKeys {
		v, ok := args[k]
		if !ok {
			continue
		}
		switch k {
		case "query":
			if v.Kind != value.Map && v.Kind != value.Unknown {
				return fmt.Sprintf("%s: the query argument must be a map, not %s", name, describe(v))
			}
			return ""
		case "port":
			if v.Kind == value.Unknown {
				continue
			}
			p, ok := portNumber(v)
			if !ok {
				return fmt.Sprintf("%s: invalid URL port %s", name, describe(v))
			}
			if p < 1 || p > 65535 {
				return fmt.Sprintf("%s: invalid URL port %d, must be in range 1-65535", name, p)
			}
		default:
			if v.Kind != value.String && v.Kind != value.Unknown {
				return fmt.Sprintf("%s: the %s argument must be a string, not %s", name, k, describe(v))
			}
		}
	}
	return ""
}

func portNumber(v *value.Value) (int, bool) {
	switch v.Kind {
	case value.Int, value.Bool:
		if v.Big != nil {
			return 70000, true
		}
		i, _ := intIndex(v)
		return i, true
	case value.Float:
		if v.Float != v.Float || v.Float > 1e9 || v.Float < -1e9 {
			return 0, false
		}
		return int(v.Float), true
	case value.String:
		n, ok := pyInt(v.Str)
		if !ok {
			return 0, false
		}
		if n.Big != nil || n.Int > 1e9 || n.Int < -1e9 {
			return 70000, true
		}
		return int(n.Int), true
	}
	return 0, false
}

func (s *Scope) makeURL(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if args.Kind == value.Unknown {
		return unknownAt(args, n), nil
	}
	if args.Kind != value.Map {
		return nil, s.callError(n, "the arguments must be a map, not %s", describe(args))
	}
	vals := map[string]*value.Value{}
	for _, e := range args.Map.Entries() {
		if e.Key.Kind != value.String || !slices.Contains(makeURLKeys, e.Key.Str) {
			return nil, s.callError(n, "invalid argument %s; expected %s", value.Repr(e.Key), diag3(makeURLKeys))
		}
		vals[e.Key.Str] = e.Val
	}
	if msg := checkURLArgs(n.Name, vals); msg != "" {
		return nil, s.errorf(n.Range(), RuleFunction, "%s", msg)
	}
	if u := args.FirstUnknown(); u != nil {
		return unknownAt(u, n), nil
	}
	str := func(k string) (string, error) {
		v, ok := vals[k]
		if !ok {
			return "", nil
		}
		if v.Kind != value.String {
			return "", s.callError(n, "the %s argument must be a string, not %s", k, describe(v))
		}
		return v.Str, nil
	}
	scheme, err := str("scheme")
	if err != nil {
		return nil, err
	}
	if strings.Contains(scheme, ":") {
		return nil, s.callError(n, "the scheme %q should not contain ':'", scheme)
	}
	var q []string
	quote := func(k, safe string) (string, error) {
		raw, err := str(k)
		if err != nil {
			return "", err
		}
		out, ok := pyQuote(raw, safe)
		if !ok {
			return "", s.callError(n, "cannot quote non-ASCII %s %q (queens Heat quoted with Python 2)", k, raw)
		}
		return out, nil
	}
	var netloc strings.Builder
	user, err := quote("username", "")
	if err != nil {
		return nil, err
	}
	pass, err := quote("password", "")
	if err != nil {
		return nil, err
	}
	if user != "" || pass != "" {
		netloc.WriteString(user)
		if pass != "" {
			netloc.WriteString(":" + pass)
		}
		netloc.WriteString("@")
	}
	host, err := str("host")
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") && len(host) >= 2 {
		host = host[1 : len(host)-1]
	}
	qhost, ok := pyQuote(host, ":")
	if !ok {
		return nil, s.callError(n, "cannot quote non-ASCII host %q", host)
	}
	if strings.Contains(qhost, ":") {
		qhost = "[" + qhost + "]"
	}
	netloc.WriteString(qhost)
	if p, ok := vals["port"]; ok && value.Truthy(p) {
		netloc.WriteString(":" + value.Str(p))
	}
	path, err := quote("path", "/")
	if err != nil {
		return nil, err
	}
	if qv, ok := vals["query"]; ok {
		for _, e := range qv.Map.Entries() {
			k, ok1 := pyQuotePlus(value.Str(e.Key))
			v, ok2 := pyQuotePlus(value.Str(e.Val))
			if !ok1 || !ok2 {
				return nil, s.callError(n, "cannot encode non-ASCII query %s=%s", value.Str(e.Key), value.Str(e.Val))
			}
			q = append(q, k+"="+v)
		}
	}
	query := strings.ReplaceAll(strings.Join(q, "&"), "%2F", "/")
	frag, err := quote("fragment", "/")
	if err != nil {
		return nil, err
	}
	return value.NewString(urlUnsplit(scheme, netloc.String(), path, query, frag), n.Range()), nil
}

// usesNetloc is Python 2.7's urlparse.uses_netloc.
var usesNetloc = []string{"ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
	"snews", "prospero", "rtsp", "rtspu", "rsync", "", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh"}

func urlUnsplit(scheme, netloc, url, query, fragment string) string {
	if netloc != "" || (scheme != "" && slices.Contains(usesNetloc, scheme) && !strings.HasPrefix(url, "//")) {
		if url != "" && url[0] != '/' {
			url = "/" + url
		}
		url = "//" + netloc + url
	}
	if scheme != "" {
		url = scheme + ":" + url
	}
	if query != "" {
		url += "?" + query
	}
	if fragment != "" {
		url += "#" + fragment
	}
	return url
}

// pyQuote is Python 2's urllib.quote: letters, digits and "_.-" are never
// quoted (Python 2 quotes "~"), nor are the characters of safe. It fails
// on non-ASCII text, as Python 2 did for unicode.
func pyQuote(s, safe string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return "", false
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == '-':
			b.WriteByte(c)
		case strings.IndexByte(safe, c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String(), true
}

// pyQuotePlus is Python 2's urllib.quote_plus with no safe characters.
func pyQuotePlus(s string) (string, bool) {
	q, ok := pyQuote(s, " ")
	return strings.ReplaceAll(q, " ", "+"), ok
}

// ---- small helpers ------------------------------------------------------

func sortStrings(s []string) { sort.Strings(s) }

func stableSortByLenDesc(s []string) {
	sort.SliceStable(s, func(i, j int) bool { return len([]rune(s[i])) > len([]rune(s[j])) })
}

func sortInts(s []int) { sort.Ints(s) }
