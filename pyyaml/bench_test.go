package pyyaml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"hoist/internal/testenv"
)

type corpusFile struct {
	name string
	src  []byte
}

func readCorpus(b *testing.B) ([]corpusFile, int64) {
	root := testenv.Corpus(b)
	var files []corpusFile
	var size int64
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".j2.yaml") {
			return err
		}
		src, err := os.ReadFile(p)
		files = append(files, corpusFile{p, src})
		size += int64(len(src))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return files, size
}

// benchCorpus runs fn on every YAML file of the THT queens corpus, one
// after the other, b.N times.
func benchCorpus(b *testing.B, fn func(name string, src []byte) error) {
	files, size := readCorpus(b)
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		for _, f := range files {
			if err := fn(f.name, f.src); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLoadCorpus loads every YAML file of the THT queens corpus with
// PyYAML semantics, one after the other.
func BenchmarkLoadCorpus(b *testing.B) {
	benchCorpus(b, func(name string, src []byte) error {
		_, err := Load(name, src, DefaultLimits)
		return err
	})
}

// BenchmarkParseCorpusYAMLv3 only parses the same files into yaml.v3 nodes:
// the floor under BenchmarkLoadCorpus.
func BenchmarkParseCorpusYAMLv3(b *testing.B) {
	benchCorpus(b, func(_ string, src []byte) error {
		var n yaml.Node
		return yaml.Unmarshal(src, &n)
	})
}

// BenchmarkParseCorpus parses the same files into the converter's nodes
// the way Load does (fastParse, yaml.v3 for what it leaves): the part of
// BenchmarkLoadCorpus before the PyYAML rules.
func BenchmarkParseCorpus(b *testing.B) {
	benchCorpus(b, func(name string, src []byte) error {
		_, err := parse(name, src)
		return err
	})
}

// BenchmarkLoadLongLine loads one line of 40,000 quoted scalars with
// characters of two bytes: the columns are counted once along the line
// (fastParse, and the converter's scalar ends), not once per scalar; a
// quadratic count took 3.5 s for this input.
func BenchmarkLoadLongLine(b *testing.B) {
	src := []byte("é: [" + strings.Repeat("'é', ", 40000) + "'x']\n")
	b.SetBytes(int64(len(src)))
	for range b.N {
		if _, err := Load("line.yaml", src, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
