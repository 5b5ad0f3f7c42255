package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"hoist/diag"
	"hoist/internal/atomicfile"
)

// Baseline is a record of accepted findings, so that a tree with old
// findings can adopt hoist and fail only on new ones. Entries are keyed by
// file, rule and YAML path, not by line, so that they survive edits that
// move lines; a key that held n findings accepts up to n.
type Baseline struct {
	// Dir is the folder of the baseline file: file names in it are
	// relative to Dir.
	Dir     string `json:"-"`
	Version int    `json:"version"`
	// Entries are sorted by file, rule and path.
	Entries []BaselineEntry `json:"findings"`
}

// BaselineEntry is one key of the baseline.
type BaselineEntry struct {
	File  string `json:"file"`
	Rule  string `json:"rule"`
	Path  string `json:"path"`
	Count int    `json:"count"`
	// Message is the first finding's message, for readers of the file.
	Message string `json:"message,omitempty"`
}

type baselineKey struct{ file, rule, path string }

// NewBaseline records ds, with file names relative to dir.
func NewBaseline(dir string, ds []*diag.Diagnostic) *Baseline {
	b := &Baseline{Dir: dir, Version: 1}
	idx := map[baselineKey]int{}
	for _, d := range ds {
		k := baselineKey{b.rel(d.Range.File), d.Rule, d.Path}
		if i, ok := idx[k]; ok {
			b.Entries[i].Count++
			continue
		}
		idx[k] = len(b.Entries)
		b.Entries = append(b.Entries, BaselineEntry{File: k.file, Rule: k.rule, Path: k.path, Count: 1, Message: d.Message})
	}
	sort.Slice(b.Entries, func(i, j int) bool {
		a, c := b.Entries[i], b.Entries[j]
		if a.File != c.File {
			return a.File < c.File
		}
		if a.Rule != c.Rule {
			return a.Rule < c.Rule
		}
		return a.Path < c.Path
	})
	return b
}

// rel names a file relative to the baseline's folder, with slashes.
func (b *Baseline) rel(file string) string {
	if file == "" {
		return ""
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	r, err := filepath.Rel(b.Dir, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}

// WriteBaseline writes the baseline to path (via a temporary file, so that
// a failure leaves the old one).
func (b *Baseline) Write(path string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes(), 0o644)
}

// LoadBaseline reads a baseline file.
func LoadBaseline(path string) (*Baseline, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, unwrapPathError(err))
	}
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: not a hoist baseline: %v", path, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("baseline %s: version %d, expected 1 (write it again with --write-baseline)", path, b.Version)
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	b.Dir = abs
	return &b, nil
}

// Apply drops the findings the baseline accepts. It returns the findings
// kept, how many were accepted, and the entries (with the count left
// over) that matched fewer findings than they hold: fixed findings, whose
// entries can go.
func (b *Baseline) Apply(ds []*diag.Diagnostic) (kept []*diag.Diagnostic, accepted int, stale []BaselineEntry) {
	left := map[baselineKey]int{}
	for _, e := range b.Entries {
		left[baselineKey{e.File, e.Rule, e.Path}] += e.Count
	}
	for _, d := range ds {
		k := baselineKey{b.rel(d.Range.File), d.Rule, d.Path}
		if left[k] > 0 {
			left[k]--
			accepted++
			continue
		}
		kept = append(kept, d)
	}
	for _, e := range b.Entries {
		k := baselineKey{e.File, e.Rule, e.Path}
		if n := left[k]; n > 0 {
			e.Count = n
			stale = append(stale, e)
			left[k] = 0
		}
	}
	return kept, accepted, stale
}
