package jinja

import "testing"

// strMethodCases call every str method hoist's templates may call, with
// the argument shapes Python's str accepts (a tuple of prefixes, start and
// end positions, max splits, fill characters, negative positions), and the
// errors Python raises, so that each behaves as Jinja2's (Python's) does.
var strMethodCases = []pyCase{
	{Template: "{{ s.startswith('He') }} {{ s.startswith(('x', 'Hell')) }} {{ s.startswith('World', 6) }} {{ s.startswith('lo', 3, 5) }} {{ s.startswith(()) }} {{ s.startswith('', 99) }}"},
	{Template: "{{ s.endswith('ld') }} {{ s.endswith(('x', 'World')) }} {{ s.endswith('Hello', 0, 5) }} {{ s.endswith('o', -7, -6) }} {{ role.deprecated_param_image.endswith(('SchedulerHints', 'ExtraConfig', 'Image')) }}"},
	{Template: "{{ s.startswith(1) }}"},
	{Template: "{{ s.find('o') }} {{ s.find('o', 5) }} {{ s.find('o', 5, 7) }} {{ s.rfind('o') }} {{ s.rfind('o', 0, 5) }} {{ s.find('z') }} {{ s.count('l') }} {{ s.count('l', 3) }} {{ s.count('') }}"},
	{Template: "{{ s.split() }} {{ s.split('o') }} {{ s.split('o', 1) }} {{ s.rsplit('o', 1) }} {{ 'a  b '.split() }} {{ 'a  b '.split(' ') }} {{ ''.split() }} {{ ''.split(',') }} {{ 'a,b,,c'.split(',', -1) }}"},
	{Template: "{{ s.split('') }}"},
	{Template: "{{ s.partition(' ') }} {{ s.rpartition('o') }} {{ s.partition('z') }} {{ 'x\\ny\\r\\nz'.splitlines() }} {{ 'x\\ny\\n'.splitlines(true) }}"},
	{Template: "{{ ' x '.strip() }}|{{ 'xxyxx'.strip('x') }}|{{ ' x '.lstrip() }}|{{ ' x '.rstrip() }}|{{ 'abc'.lstrip('ba') }}|{{ 'abc'.rstrip('cb') }}"},
	{Template: "{{ s.lower() }} {{ s.upper() }} {{ s.title() }} {{ 'hello world'.capitalize() }} {{ 'ABC def'.swapcase() }} {{ 'ß'.casefold() }} {{ 'hello  world'.title() }}"},
	{Template: "{{ s.replace('l', 'L') }} {{ s.replace('l', 'L', 1) }} {{ s.replace('', '-') }} {{ s.replace('l', 'L', 0) }} {{ s.replace('l', 'L', -1) }}"},
	{Template: "{{ 'ab'.center(6) }}|{{ 'ab'.center(7, '*') }}|{{ 'ab'.ljust(5, '.') }}|{{ 'ab'.rjust(5) }}|{{ '42'.zfill(5) }}|{{ '-42'.zfill(5) }}|{{ 'a\\tb'.expandtabs(4) }}"},
	{Template: "{{ 'abc'.isalpha() }} {{ 'a1'.isalnum() }} {{ '12'.isdigit() }} {{ '12'.isdecimal() }} {{ '12'.isnumeric() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }} {{ ' '.isspace() }} {{ 'Ab Cd'.istitle() }} {{ 'ab'.isascii() }} {{ ''.isalpha() }} {{ 'x'.isprintable() }}"},
	{Template: "{{ ','.join(['a', 'b']) }} {{ '-'.join('xyz') }} {{ 'prefix-x'.removeprefix('prefix-') }} {{ 'x.yaml'.removesuffix('.yaml') }} {{ 'x'.removesuffix('') }}"},
	{Template: "{{ '{} and {}'.format('a', 'b') }} {{ '{0}{1}{0}'.format('x', 'y') }} {{ '{name}'.format(name='n') }} {{ '{:>4}'.format('a') }}"},
	{Template: "{{ 'Hello World'.index('o') }} {{ 'Hello World'.rindex('o') }}"},
	{Template: "{{ 'Hello World'.index('z') }}"},
}

func TestStrMethodsAgainstPythonJinja2(t *testing.T) {
	cases := withVars(strMethodCases)
	want := pythonRender(t, cases)
	for i, c := range cases {
		got, err := hoistRender(t, c)
		w := want[i]
		switch {
		case w.Out == nil && err == nil:
			t.Errorf("case %d %q: Jinja2 fails (%s), hoist renders %q", i, c.Template, w.Error, got)
		case w.Out != nil && err != nil:
			t.Errorf("case %d %q: hoist fails (%v), Jinja2 renders %q", i, c.Template, err, *w.Out)
		case w.Out != nil && string(got) != *w.Out:
			t.Errorf("case %d %q:\nhoist:  %q\nJinja2: %q", i, c.Template, got, *w.Out)
		}
	}
}
