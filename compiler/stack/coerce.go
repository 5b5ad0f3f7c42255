package stack

import (
	"fmt"
	"strings"

	"hoist/compiler/hot"
	"hoist/value"
)

// coerceProperty converts a property given to a template resource as
// Heat's Property.get_value does for the property schema derived from the
// nested parameter (json and comma_delimited_list allow conversion). A
// property given as null becomes the type's empty value. The message is
// "" on success.
func coerceProperty(p *hot.Param, v *value.Value) (*value.Value, string) {
	return coerce(p.Type, v, true)
}

// coerceStrict is the same conversion without allow_conversion, as for the
// value property of OS::Heat::Value.
func coerceStrict(t hot.ParamType, v *value.Value) (*value.Value, string) {
	return coerce(t, v, false)
}

func coerceTo(t hot.ParamType, v *value.Value) (*value.Value, string) { return coerce(t, v, false) }

func coerce(t hot.ParamType, v *value.Value, allowConversion bool) (*value.Value, string) {
	if v.Kind == value.Unknown {
		return v, ""
	}
	switch t {
	case hot.TypeString:
		switch v.Kind {
		case value.Null:
			return value.NewString("", v.Range), ""
		case value.String:
			return v, ""
		case value.Int, value.Bool:
			return value.NewString(value.Str(v), v.Range), ""
		}
		return nil, fmt.Sprintf("value must be a string; got %s", value.Repr(v))
	case hot.TypeNumber:
		switch v.Kind {
		case value.Null:
			return value.NewInt(0, v.Range), ""
		case value.Int, value.Float, value.Bool:
			return v, ""
		case value.String:
			n, msg := hot.StrToNum(v)
			if msg != "" {
				return nil, msg
			}
			return n, ""
		}
		return nil, fmt.Sprintf("%s is not a number", value.Repr(v))
	case hot.TypeBoolean:
		switch v.Kind {
		case value.Null:
			return value.NewBool(false, v.Range), ""
		case value.Bool:
			return v, ""
		case value.String:
			l := strings.ToLower(v.Str)
			if l != "true" && l != "false" {
				return nil, fmt.Sprintf("%q is not a valid boolean", l)
			}
			return value.NewBool(l == "true", v.Range), ""
		}
		return nil, fmt.Sprintf("%q is not a valid boolean", value.Str(v))
	case hot.TypeList:
		switch v.Kind {
		case value.Null:
			return value.NewList(nil, v.Range), ""
		case value.String:
			if allowConversion {
				if v.Str == "" {
					return value.NewList(nil, v.Range), ""
				}
				parts := strings.Split(v.Str, ",")
				items := make([]*value.Value, len(parts))
				for i, s := range parts {
					items[i] = value.NewString(s, v.Range)
				}
				return value.NewList(items, v.Range), ""
			}
		case value.List:
			return v, ""
		}
		return nil, fmt.Sprintf("%s is not a list", value.Repr(v))
	case hot.TypeJSON:
		switch v.Kind {
		case value.Null:
			return value.NewMap(nil, v.Range), ""
		case value.Map:
			return v, ""
		case value.String:
			if allowConversion {
				return v, ""
			}
		case value.List:
			if allowConversion {
				if v.ContainsUnknown() {
					return v.FirstUnknown(), ""
				}
				var b strings.Builder
				_ = value.WriteJSON(&b, v, value.JSONOptions{})
				return value.NewString(b.String(), v.Range), ""
			}
		}
		return nil, fmt.Sprintf("%s is not a map", value.Str(v))
	}
	return v, ""
}

// childParam is what TemplateResource.child_params passes to the nested
// stack for a coerced property: a list is joined with "," again (a list of
// maps in the .member.N.key=value form), everything else as it is.
func childParam(p *hot.Param, v *value.Value) (*value.Value, string) {
	if p.Type != hot.TypeList || v.Kind != value.List {
		return v, ""
	}
	if len(v.List) == 0 {
		return value.NewString("", v.Range), ""
	}
	if u := v.FirstUnknown(); u != nil {
		return u, ""
	}
	var parts []string
	if v.List[0].Kind == value.Map {
		for i, it := range v.List {
			if it.Kind != value.Map {
				return nil, fmt.Sprintf("item %d of the list of maps is %s, not a map", i, value.Repr(it))
			}
			for _, e := range it.Map.Entries() {
				parts = append(parts, fmt.Sprintf(".member.%d.%s=%s", i, value.Str(e.Key), value.Str(e.Val)))
			}
		}
	} else {
		for i, it := range v.List {
			switch it.Kind {
			case value.Null:
				parts = append(parts, "")
			case value.String:
				parts = append(parts, it.Str)
			default:
				return nil, fmt.Sprintf("sequence item %d: expected a string, found %s", i, value.Repr(it))
			}
		}
	}
	return value.NewString(strings.Join(parts, ","), v.Range), ""
}
