package jinja

import (
	"errors"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python's list and dict methods, as templates call them
// (`roles.append(r)`, `nets.update({k: v})`). gonja's own work on copies of
// the container, so a change made inside a loop is lost; THT's templates
// use exactly that idiom ("This hack gets around Jinja scope limitations",
// network/config/*/role.role.j2.yaml). These change the container in
// place, as Python does, when it is one this package built (*pyList,
// *exec.Dict); lists and dicts are always held that way, whether they come
// from roles_data, network_data or a `{% set %}`.

// Methods return plain Go values: gonja takes a returned *exec.Value for
// an error (it has an Error method).

// errCall marks a wrong call (argument count or type), like Python's
// TypeError.
func errCall(format string, args ...any) error {
	return exec.ErrInvalidCall(fmt.Errorf(format, args...))
}

// listOf returns the *pyList a method was called on, or nil when the list
// is a temporary (a literal, a filter result) that nothing else holds.
func listOf(self *exec.Value) *pyList {
	if self == nil || !self.Val.IsValid() || !self.Val.CanInterface() {
		return nil
	}
	if l, ok := self.Val.Interface().(*pyList); ok {
		return l
	}
	return nil
}

func arg(args *exec.VarArgs, i int) any { return plain(args.Args[i]) }

func wantArgs(name string, args *exec.VarArgs, min, max int) error {
	if len(args.KwArgs) > 0 {
		return errCall("%s() takes no keyword arguments", name)
	}
	if n := len(args.Args); n < min || n > max {
		if min == max {
			return errCall("%s() takes exactly %d argument(s) (%d given)", name, min, n)
		}
		return errCall("%s() takes from %d to %d arguments (%d given)", name, min, max, n)
	}
	return nil
}

func listMethods() *exec.MethodSet[[]any] {
	type method = exec.Method[[]any]
	// items is the list's current content: the shared one when there is
	// one, else the copy gonja made.
	items := func(self []any, sv *exec.Value) []any {
		if l := listOf(sv); l != nil {
			return *l
		}
		return self
	}
	set := func(sv *exec.Value, items []any) {
		if l := listOf(sv); l != nil {
			*l = items
		}
	}
	return exec.NewMethodSet(map[string]method{
		"append": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("append", args, 1, 1); err != nil {
				return nil, err
			}
			set(sv, append(items(self, sv), asList(arg(args, 0))))
			return nil, nil
		},
		"extend": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("extend", args, 1, 1); err != nil {
				return nil, err
			}
			out := append([]any(nil), items(self, sv)...)
			more := args.Args[0]
			if !more.IsIterable() {
				return nil, errCall("extend() needs an iterable, not %s", pyRepr(more))
			}
			more.Iterate(func(_, _ int, key, _ *exec.Value) bool {
				out = append(out, plain(key))
				return true
			}, func() {})
			set(sv, out)
			return nil, nil
		},
		"insert": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("insert", args, 2, 2); err != nil {
				return nil, err
			}
			cur := items(self, sv)
			i, ok := index(arg(args, 0), len(cur), true)
			if !ok {
				return nil, errCall("insert() index must be an integer, not %s", pyRepr(arg(args, 0)))
			}
			out := make([]any, 0, len(cur)+1)
			out = append(append(append(out, cur[:i]...), asList(arg(args, 1))), cur[i:]...)
			set(sv, out)
			return nil, nil
		},
		"pop": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("pop", args, 0, 1); err != nil {
				return nil, err
			}
			cur := items(self, sv)
			if len(cur) == 0 {
				return nil, errors.New("pop from empty list")
			}
			i := len(cur) - 1
			if len(args.Args) == 1 {
				n, ok := asInt(arg(args, 0))
				if !ok {
					return nil, errCall("pop() index must be an integer, not %s", pyRepr(arg(args, 0)))
				}
				if n < 0 {
					n += len(cur)
				}
				if n < 0 || n >= len(cur) {
					return nil, errors.New("pop index out of range")
				}
				i = n
			}
			item := cur[i]
			out := append(append([]any(nil), cur[:i]...), cur[i+1:]...)
			set(sv, out)
			return item, nil
		},
		"remove": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("remove", args, 1, 1); err != nil {
				return nil, err
			}
			cur := items(self, sv)
			for i, item := range cur {
				if pyEqual(item, arg(args, 0)) {
					set(sv, append(append([]any(nil), cur[:i]...), cur[i+1:]...))
					return nil, nil
				}
			}
			return nil, fmt.Errorf("list.remove(x): %s not in list", pyRepr(arg(args, 0)))
		},
		"index": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("index", args, 1, 1); err != nil {
				return nil, err
			}
			for i, item := range items(self, sv) {
				if pyEqual(item, arg(args, 0)) {
					return i, nil
				}
			}
			return nil, fmt.Errorf("%s is not in list", pyRepr(arg(args, 0)))
		},
		"count": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("count", args, 1, 1); err != nil {
				return nil, err
			}
			n := 0
			for _, item := range items(self, sv) {
				if pyEqual(item, arg(args, 0)) {
					n++
				}
			}
			return n, nil
		},
		"reverse": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("reverse", args, 0, 0); err != nil {
				return nil, err
			}
			cur := items(self, sv)
			out := make([]any, len(cur))
			for i, item := range cur {
				out[len(cur)-1-i] = item
			}
			set(sv, out)
			return nil, nil
		},
		"copy": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("copy", args, 0, 0); err != nil {
				return nil, err
			}
			out := append(pyList(nil), items(self, sv)...)
			return &out, nil
		},
		"clear": func(self []any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs("clear", args, 0, 0); err != nil {
				return nil, err
			}
			set(sv, nil)
			return nil, nil
		},
	})
}

// index converts a Python index for a sequence of length n; with clamp, an
// out-of-range index is clamped as list.insert does.
func index(x any, n int, clamp bool) (int, bool) {
	i, ok := asInt(x)
	if !ok {
		return 0, false
	}
	if i < 0 {
		i += n
	}
	if clamp {
		i = max(0, min(i, n))
	}
	return i, true
}

func asInt(x any) (int, bool) {
	switch v := x.(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// pyEqual is Python's == on template values: 1 == 1.0 == True.
func pyEqual(a, b any) bool {
	a, b = plain(a), plain(b)
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa.Cmp(fb) == 0
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case nil:
		return b == nil
	case *pyList:
		y, ok := b.(*pyList)
		if !ok || len(*x) != len(*y) {
			return false
		}
		for i := range *x {
			if !pyEqual((*x)[i], (*y)[i]) {
				return false
			}
		}
		return true
	case *exec.Dict:
		y, ok := b.(*exec.Dict)
		if !ok || len(x.Pairs) != len(y.Pairs) {
			return false
		}
		for _, p := range x.Pairs {
			q := dictFind(y, plain(p.Key))
			if q < 0 || !pyEqual(p.Value, y.Pairs[q].Value) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func number(x any) (*big.Float, bool) {
	switch v := x.(type) {
	case bool:
		if v {
			return big.NewFloat(1), true
		}
		return big.NewFloat(0), true
	case int:
		return new(big.Float).SetInt64(int64(v)), true
	case int64:
		return new(big.Float).SetInt64(v), true
	case float64:
		if v != v || v > 1e308 || v < -1e308 {
			return nil, false
		}
		return big.NewFloat(v), true
	}
	return nil, false
}

func sortedKeys(m map[string]*exec.Value) []string {
	return slices.Sorted(maps.Keys(m))
}

// --- dict ----------------------------------------------------------------

func dictOf(self *exec.Value) *exec.Dict {
	if self == nil || !self.Val.IsValid() || !self.Val.CanInterface() {
		return nil
	}
	if d, ok := self.Val.Interface().(*exec.Dict); ok {
		return d
	}
	return nil
}

// dictFind returns the index of key k in d, or -1.
func dictFind(d *exec.Dict, k any) int {
	for i, p := range d.Pairs {
		if pyEqual(p.Key, k) {
			return i
		}
	}
	return -1
}

func dictSet(d *exec.Dict, k, v any) {
	v = asList(v)
	if i := dictFind(d, k); i >= 0 {
		d.Pairs[i].Value = exec.AsValue(v)
		return
	}
	d.Pairs = append(d.Pairs, &exec.Pair{Key: exec.AsValue(k), Value: exec.AsValue(v)})
}

func dictMethods() *exec.MethodSet[map[string]any] {
	type method = exec.Method[map[string]any]
	// Go maps (from gonja's own filters) keep gonja's behaviour.
	fallback := func(name string) method {
		m, _ := builtins.Methods.Dict.Get(name)
		return m
	}
	withDict := func(name string, f func(d *exec.Dict, args *exec.VarArgs) (any, error)) method {
		fb := fallback(name)
		return func(self map[string]any, sv *exec.Value, args *exec.VarArgs) (any, error) {
			if d := dictOf(sv); d != nil {
				return f(d, args)
			}
			if fb == nil {
				return nil, errCall("%s() is not available on this value", name)
			}
			return fb(self, sv, args)
		}
	}
	return exec.NewMethodSet(map[string]method{
		"get": withDict("get", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("get", args, 1, 2); err != nil {
				return nil, err
			}
			if i := dictFind(d, arg(args, 0)); i >= 0 {
				return plain(d.Pairs[i].Value), nil
			}
			if len(args.Args) == 2 {
				return plain(args.Args[1]), nil
			}
			return nil, nil
		}),
		"keys": withDict("keys", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("keys", args, 0, 0); err != nil {
				return nil, err
			}
			out := make(pyList, len(d.Pairs))
			for i, p := range d.Pairs {
				out[i] = plain(p.Key)
			}
			return &out, nil
		}),
		"values": withDict("values", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("values", args, 0, 0); err != nil {
				return nil, err
			}
			out := make(pyList, len(d.Pairs))
			for i, p := range d.Pairs {
				out[i] = plain(p.Value)
			}
			return &out, nil
		}),
		"items": withDict("items", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("items", args, 0, 0); err != nil {
				return nil, err
			}
			out := make(pyList, len(d.Pairs))
			for i, p := range d.Pairs {
				pair := pyList{plain(p.Key), plain(p.Value)}
				out[i] = &pair
			}
			return &out, nil
		}),
		"update": withDict("update", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if len(args.Args) > 1 {
				return nil, errCall("update() takes at most 1 positional argument (%d given)", len(args.Args))
			}
			if len(args.Args) == 1 {
				other := args.Args[0]
				switch src := plain(other).(type) {
				case *exec.Dict:
					for _, p := range src.Pairs {
						dictSet(d, plain(p.Key), plain(p.Value))
					}
				case nil:
					return nil, errCall("update() needs a dict, not None")
				default:
					if !other.IsDict() {
						return nil, errCall("update() needs a dict, not %s", pyRepr(other))
					}
					for _, k := range other.Keys() {
						v, _ := other.GetItem(plain(k))
						dictSet(d, plain(k), plain(v))
					}
				}
			}
			for _, k := range sortedKeys(args.KwArgs) {
				dictSet(d, k, plain(args.KwArgs[k]))
			}
			return nil, nil
		}),
		"setdefault": withDict("setdefault", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("setdefault", args, 1, 2); err != nil {
				return nil, err
			}
			if i := dictFind(d, arg(args, 0)); i >= 0 {
				return plain(d.Pairs[i].Value), nil
			}
			var def any
			if len(args.Args) == 2 {
				def = arg(args, 1)
			}
			dictSet(d, arg(args, 0), def)
			return plain(d.Pairs[len(d.Pairs)-1].Value), nil
		}),
		"pop": withDict("pop", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("pop", args, 1, 2); err != nil {
				return nil, err
			}
			if i := dictFind(d, arg(args, 0)); i >= 0 {
				v := d.Pairs[i].Value
				d.Pairs = append(d.Pairs[:i:i], d.Pairs[i+1:]...)
				return plain(v), nil
			}
			if len(args.Args) == 2 {
				return plain(args.Args[1]), nil
			}
			return nil, fmt.Errorf("key %s not in dict", pyRepr(arg(args, 0)))
		}),
		"copy": withDict("copy", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("copy", args, 0, 0); err != nil {
				return nil, err
			}
			out := &exec.Dict{Pairs: make([]*exec.Pair, len(d.Pairs))}
			for i, p := range d.Pairs {
				out.Pairs[i] = &exec.Pair{Key: p.Key, Value: p.Value}
			}
			return out, nil
		}),
		"clear": withDict("clear", func(d *exec.Dict, args *exec.VarArgs) (any, error) {
			if err := wantArgs("clear", args, 0, 0); err != nil {
				return nil, err
			}
			d.Pairs = nil
			return nil, nil
		}),
	})
}
