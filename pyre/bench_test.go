package pyre

import (
	"regexp"
	"testing"
)

// benchPatterns are the distinct allowed_pattern and yaql regexes of the
// queens and stein trees (TestDifferentialCorpus lists them), each with a
// value from the corpus.
var benchPatterns = []struct {
	p     string
	flags Flags
	s     string
}{
	{`[a-zA-Z0-9]+`, 0, "unset"},
	{`^[a-zA-Z0-9+/]{38}==$`, 0, "AQBG0rNaAAAAABAAy5nOWJ2gFxP0FPa4jbqCzQ=="},
	{`(\.|:)`, 0, "192.168.24.1:8787"},
	{`(?:https?://)?(.*?)/(.*)`, Unicode, "192.168.24.1:8787/tripleomaster/centos-binary-nova-api"},
	{`-(%[YmdHMSVs])+$`, 0, "-%Y%m%d"},
	{`[0-9,-]*`, 0, "0-3,8-11"},
	{`[0-9]*`, 0, "1024"},
	{`[0-9,-]+`, 0, "2,4-7"},
	{`[a-zA-Z0-9]*:eth[0-1]`, 0, "nic1:eth1"},
	{`^4.?[0-9]?`, 0, "4.9"},
	{`([0-9]+[K|M|G])`, Unicode, "1G"},
	{`^((?!balance.tcp).)*$`, 0, "balance-slb"},
	{`([a-z0-9])([A-Z])`, Unicode, "NovaComputeDPDK"},
	{`([1-9][0-9]*s)?`, 0, "10s"},
}

// BenchmarkCompileMatch compiles each corpus pattern without the cache and
// matches it once, with pyre and with Go's regexp (RE2, the corpus
// patterns it accepts; ^(?:p) as hoist compiled allowed_pattern before).
func BenchmarkCompileMatch(b *testing.B) {
	b.Run("pyre", func(b *testing.B) {
		for b.Loop() {
			for _, c := range benchPatterns {
				re, err := compile(c.p, c.flags)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := re.Match(c.s, 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("pyre-cached", func(b *testing.B) {
		for b.Loop() {
			for _, c := range benchPatterns {
				re, err := Compile(c.p, c.flags)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := re.Match(c.s, 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			for _, c := range benchPatterns {
				re, err := regexp.Compile(`^(?:` + c.p + `)`)
				if err != nil {
					continue // the lookahead pattern: RE2 rejects it
				}
				re.FindStringSubmatchIndex(c.s)
			}
		}
	})
}

// BenchmarkMatch matches compiled patterns only.
func BenchmarkMatch(b *testing.B) {
	var pyres []*Regexp
	var res []*regexp.Regexp
	var subj []string
	for _, c := range benchPatterns {
		re, err := Compile(c.p, c.flags)
		if err != nil {
			b.Fatal(err)
		}
		if gre, err := regexp.Compile(`^(?:` + c.p + `)`); err == nil {
			pyres = append(pyres, re)
			res = append(res, gre)
			subj = append(subj, c.s)
		}
	}
	b.Run("pyre", func(b *testing.B) {
		for b.Loop() {
			for i, re := range pyres {
				if _, err := re.Match(subj[i], 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			for i, re := range res {
				re.FindStringSubmatchIndex(subj[i])
			}
		}
	})
}
