package lint

import (
	"testing"

	"hoist/pyyaml"
)

func TestDirectivesCoverNodes(t *testing.T) {
	src := `# hoist:ignore-file=yaml/unused-anchor -- reason
a:
  # hoist:ignore=yaml/duplicate-key -- covers b and everything in it

  b:
    c: 1
    d:
      - x
  e: 2  # hoist:ignore=yaml/duplicate-key -- covers e's line
  script: |
    # hoist:ignore=yaml/duplicate-key -- text in a block scalar, not a comment
    echo ok
  f: "not # hoist:ignore=x -- inside quotes"
`
	doc, err := pyyaml.Load("t.yaml", []byte(src), pyyaml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	dirs := parseDirectives("t.yaml", []byte(src), doc)
	if len(dirs) != 3 {
		t.Fatalf("got %d directives: %+v", len(dirs), dirs)
	}
	if !dirs[0].FileWide || dirs[0].Reason != "reason" || dirs[0].IDs[0] != "yaml/unused-anchor" {
		t.Errorf("file directive: %+v", dirs[0])
	}
	if dirs[1].From != 5 || dirs[1].To != 8 || dirs[1].Range.Start.Line != 3 || dirs[1].Range.Start.Col != 3 {
		t.Errorf("line directive: %+v", dirs[1])
	}
	if dirs[2].From != 9 || dirs[2].To != 9 || dirs[2].Range.Start.Col != 9 {
		t.Errorf("trailing directive: %+v", dirs[2])
	}
}

func TestParseDirective(t *testing.T) {
	cases := []struct {
		in      string
		ids     int
		problem bool
	}{
		{"=a/b -- why", 1, false},
		{"=a/b,c/d -- why", 2, false},
		{"=a/b", 1, true},
		{"=a/b --", 1, true},
		{"= -- why", 0, true},
		{" a/b -- why", 0, true},
		{"-file=a/b -- why", 1, false},
	}
	for _, c := range cases {
		d := parseDirective(c.in)
		if len(d.IDs) != c.ids || (d.Problem != "") != c.problem {
			t.Errorf("%q: %+v", c.in, d)
		}
	}
}

// In Jsonnet, a directive is a # or a // comment; a text block is a string.
func TestJsonnetDirectives(t *testing.T) {
	src := `// hoist:ignore-file=yaml/unused-anchor -- reason
// a comment of the head
{
  // hoist:ignore=schema/unknown-key -- covers b and everything in it

  b: {
    c: 1,
  },
  e: 2,  // hoist:ignore=schema/unknown-key -- covers e's line
  g: 3,  # hoist:ignore=schema/unknown-key -- Jsonnet's other line comment
  script: |||
    // hoist:ignore=schema/unknown-key -- text in a text block, not a comment
  |||,
  f: 'not // hoist:ignore=x -- inside quotes',
  h: 'http://example.com', // hoist:ignore=schema/unknown-key -- after a URL
}
`
	doc, err := loadDocument("t.jsonnet", []byte(src), pyyaml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	dirs := parseDirectives("t.jsonnet", []byte(src), doc)
	if len(dirs) != 5 {
		t.Fatalf("got %d directives: %+v", len(dirs), dirs)
	}
	if !dirs[0].FileWide || dirs[0].Problem != "" || dirs[0].IDs[0] != "yaml/unused-anchor" {
		t.Errorf("file directive: %+v", dirs[0])
	}
	if dirs[1].From != 6 || dirs[1].To < 7 || dirs[1].Range.Start.Line != 4 || dirs[1].Range.Start.Col != 3 {
		t.Errorf("line directive: %+v", dirs[1])
	}
	if dirs[2].From != 9 || dirs[2].To != 9 || dirs[2].Range.Start.Col != 10 {
		t.Errorf("trailing // directive: %+v", dirs[2])
	}
	if dirs[3].From != 10 || dirs[3].To != 10 {
		t.Errorf("trailing # directive: %+v", dirs[3])
	}
	if dirs[4].From != 15 || dirs[4].Range.Start.Col != 28 {
		t.Errorf("directive after a URL: %+v", dirs[4])
	}
}
