package source

import (
	"errors"
	"testing"
)

func TestRangeString(t *testing.T) {
	cases := map[string]Range{
		"a.yaml:3:5": {File: "a.yaml", Start: Pos{3, 5}},
		"a.yaml":     {File: "a.yaml"},
		"<unknown>":  {},
	}
	for want, r := range cases {
		if got := r.String(); got != want {
			t.Errorf("%+v: %q, want %q", r, got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	ordered := []Range{
		{File: "a.yaml", Start: Pos{1, 9}},
		{File: "a.yaml", Start: Pos{2, 1}},
		{File: "a.yaml", Start: Pos{2, 1}, End: Pos{2, 4}},
		{File: "a.yaml", Start: Pos{2, 3}},
		{File: "b.yaml", Start: Pos{1, 1}},
	}
	for i := range ordered {
		for j := range ordered {
			got := Compare(ordered[i], ordered[j])
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got != want {
				t.Errorf("Compare(%v, %v) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

func TestCacheLines(t *testing.T) {
	c := NewCache()
	c.ReadFS = func(name string) ([]byte, error) {
		if name == "disk.yaml" {
			return []byte("one\r\ntwo\n"), nil
		}
		return nil, errors.New("no such file")
	}
	c.Add("<stdin>", []byte("a\nb"))
	for _, tc := range []struct {
		file string
		n    int
		want string
		ok   bool
	}{
		{"<stdin>", 1, "a", true},
		{"<stdin>", 2, "b", true},
		{"<stdin>", 3, "", false},
		{"disk.yaml", 1, "one", true},
		{"disk.yaml", 2, "two", true},
		{"missing.yaml", 1, "", false},
		{"<stdin>", 0, "", false},
	} {
		got, ok := c.Line(tc.file, tc.n)
		if string(got) != tc.want || ok != tc.ok {
			t.Errorf("Line(%s, %d) = %q, %v; want %q, %v", tc.file, tc.n, got, ok, tc.want, tc.ok)
		}
	}
}
