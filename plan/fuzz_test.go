package plan_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/plan"
)

// fuzzSeeds are the repository's plans: the fuzzer mutates real plans, so
// it reaches the compiler and not only the YAML parser.
var fuzzSeeds = []string{
	"testdata/ok.yaml",
	"../examples/quickstart/decant.yaml",
	"../examples/drishti/decant.yaml",
	"../bench/jsonl.yaml",
	"../bench/http.yaml",
}

// FuzzLoad feeds mutated plans to the loader. Whatever the input, loading
// must not panic, and a plan that does not load must fail with a
// *plan.Error that points at a line and column of the file.
//
//	go test ./plan -run '^$' -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	for _, path := range fuzzSeeds {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatalf("seed %s: %v", path, err)
		}
		f.Add(b)
	}
	// Shapes that once panicked; testdata/fuzz/FuzzLoad holds the
	// crashers the fuzzer found.
	f.Add([]byte("version: 1\nconnections: {in: 'file:a.jsonl', target: 'sqlite:a.db'}\nsteps:\n  - name: a\n    children:\n      -\n"))
	f.Add([]byte("setup: !include x.sql\n"))
	env := func(name string) (string, bool) {
		if name == "SET" {
			return "true", true
		}
		return "", false
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var p *plan.Plan
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			p, err = plan.Parse(filepath.Join("dir", "p.yaml"), src, plan.Options{LookupEnv: env, Sources: connect.DefaultSources()})
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second): // generous: the machine may be busy
			panic("Parse hangs")
		}
		if err == nil {
			if p == nil || len(p.Steps) == 0 {
				t.Fatalf("Parse succeeded without steps")
			}
			return
		}
		var pe *plan.Error
		if !errors.As(err, &pe) {
			t.Fatalf("Parse error %T has no position: %v", err, err)
		}
		if pe.Line < 1 || pe.Col < 1 || pe.File != filepath.Join("dir", "p.yaml") {
			t.Fatalf("Parse error at %s:%d:%d, want a position in the file: %v", pe.File, pe.Line, pe.Col, err)
		}
	})
}
