package schema

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

type job struct {
	name string
	kind Kind
	root *value.Value
}

// fixtureJobs loads every fixture of testdata/schema.
func fixtureJobs(t *testing.T) []job {
	t.Helper()
	var jobs []job
	files, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "schema", "*", "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".out") {
			continue
		}
		k, err := ParseKind(filepath.Base(filepath.Dir(f)))
		if err != nil {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := pyyaml.Load(f, src, pyyaml.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{f, k, doc.Root})
	}
	return jobs
}

// TestConcurrentValidation validates the same documents from several
// goroutines at once, through one shared schema (compiled by whichever
// goroutine comes first), and expects exactly the results of a sequential
// run. Run with -race (make test does in CI) to check that the shared CUE
// values and the shape cache are safe.
func TestConcurrentValidation(t *testing.T) {
	jobs := fixtureJobs(t)
	if len(jobs) < 40 {
		t.Fatalf("only %d fixtures", len(jobs))
	}
	want := make([]string, len(jobs))
	for i, j := range jobs {
		want[i] = lines(Default().Validate(j.kind, j.root, Options{Raw: rawKind(j.kind)}))
	}
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan string, workers*len(jobs))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := For(Queens)
			if err != nil {
				errs <- err.Error()
				return
			}
			for n := range jobs {
				i := (n + w*7) % len(jobs) // every worker in its own order
				j := jobs[i]
				if got := lines(s.Validate(j.kind, j.root, Options{Raw: rawKind(j.kind)})); got != want[i] {
					errs <- j.name + ": concurrent result differs:\n" + got + "--- sequential:\n" + want[i]
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
