// Package model is hoist's deployment as every stage after the compiler
// reads it: the Deployment with its roles, services and networks; the one
// type that models a paunch container (a startup config entry
// {name: options}) and the startup config of one step; and the rules that
// say what the data means wherever it is read: paunch's start order, the
// containers an entry needs (the target of an exec, volumes_from,
// depends_on, net/ipc/pid container modes), hostnames, each service's
// bootstrap node, the primary role, and the text a value only a live cloud
// knows is written as in a node file.
//
// The compiler's role data (through plan and lint's plan rules), lint's
// literal templates and the executor's node files are all read into these
// types. Each object keeps Raw, the value exactly as Heat computed it or
// as the file holds it, which is its JSON form (the startup config file,
// paunch's config_data label): typed fields are read from Raw once and are
// never encoded back. Every typed option keeps Raw's source range, which
// survives YAML aliases, parameters, get_attr and merges.
//
// The package reads values only: it does no I/O and imports nothing of
// hoist but value, source and release (the per-release data, which
// imports nothing).
package model

import (
	"strings"

	"hoist/source"
	"hoist/value"
)

// Opt is one option as written and as read.
type Opt[T any] struct {
	// Raw is the option as written; nil when absent. Raw.Range is where.
	Raw *value.Value
	// V is Raw read as T: the zero T when absent, an unknown value or
	// ill-typed. The text of an unknown value in a node file is a string,
	// and reads as one.
	V T
	// Bad says why Raw does not read as T ("a list, not a string"); ""
	// when it does, or when the option is absent or unknown.
	Bad string
}

// Set reports whether the option is written.
func (o Opt[T]) Set() bool { return o.Raw != nil }

// OK reports whether the option is written, known and reads as T.
func (o Opt[T]) OK() bool { return o.Raw != nil && o.Bad == "" && !o.isUnknown() }

// Or returns V when the option is OK, else def.
func (o Opt[T]) Or(def T) T {
	if o.OK() {
		return o.V
	}
	return def
}

// At is where the option is written (the zero range when absent).
func (o Opt[T]) At() source.Range {
	if o.Raw == nil {
		return source.Range{}
	}
	return o.Raw.Range
}

// Unknown returns the reason when the option is a value only a live cloud
// knows: an unknown value, or the text a node file holds for one.
func (o Opt[T]) Unknown() (reason string, ok bool) { return UnknownReason(o.Raw) }

func (o Opt[T]) isUnknown() bool {
	_, ok := o.Unknown()
	return ok
}

// unknownPrefix starts the string a node file holds for an unknown value.
const unknownPrefix = "<unknown: "

// UnknownText is the string hoist writes in a node file for a value only a
// live cloud knows.
func UnknownText(reason string) string { return unknownPrefix + reason + ">" }

// ParseUnknownText returns the reason of a string UnknownText wrote.
func ParseUnknownText(s string) (reason string, ok bool) {
	if r, ok := strings.CutPrefix(s, unknownPrefix); ok && strings.HasSuffix(r, ">") {
		return strings.TrimSuffix(r, ">"), true
	}
	return "", false
}

// IsUnknownText reports whether s starts as the text of an unknown value.
func IsUnknownText(s string) bool { return strings.HasPrefix(s, unknownPrefix) }

// HasUnknownText reports whether s holds the text of an unknown value
// anywhere (a command line that embeds one, say).
func HasUnknownText(s string) bool { return strings.Contains(s, unknownPrefix) }

// UnknownReason returns the reason when v is an unknown value or the text
// of one.
func UnknownReason(v *value.Value) (string, bool) {
	switch value.KindOf(v) {
	case value.Unknown:
		return v.Str, true
	case value.String:
		return ParseUnknownText(v.Str)
	}
	return "", false
}
