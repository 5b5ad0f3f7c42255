package yaql

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"hoist/value"
)

// decodeJSONValue reads one JSON value, keeping map order and int/float.
func decodeJSONValue(d *json.Decoder) (*value.Value, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return value.NewNull(zr), nil
	case bool:
		return value.NewBool(t, zr), nil
	case string:
		return value.NewString(t, zr), nil
	case json.Number:
		s := string(t)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return value.NewInt(i, zr), nil
			}
			b, _ := new(big.Int).SetString(s, 10)
			return value.NewBigInt(b, zr), nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, err
		}
		return value.NewFloat(f, zr), nil
	case json.Delim:
		switch t {
		case '[':
			var items []*value.Value
			for d.More() {
				it, err := decodeJSONValue(d)
				if err != nil {
					return nil, err
				}
				items = append(items, it)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			if items == nil {
				items = []*value.Value{}
			}
			return value.NewList(items, zr), nil
		case '{':
			m := value.NewMapping(0)
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeJSONValue(d)
				if err != nil {
					return nil, err
				}
				m.Set(value.NewString(kt.(string), zr), v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return value.NewMap(m, zr), nil
		}
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}
