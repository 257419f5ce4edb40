package sourcetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sourcetest"
)

// sliceSource holds records in memory; its position is {"next":i}. bug
// breaks it on purpose, to show the suite notices.
type sliceSource struct {
	keys []string
	bug  string
}

type sliceRows struct {
	src  *sliceSource
	next int
	rec  decant.Record
	err  error
	done bool
}

func (s *sliceSource) Read(ctx context.Context, _ string, pos decant.Position) (decant.Rows, error) {
	var p struct{ Next int }
	if pos != nil {
		if err := json.Unmarshal(pos, &p); err != nil {
			return nil, err
		}
	}
	switch s.bug {
	case "double":
		p.Next = max(p.Next-1, 0)
	case "skip":
		if p.Next > 0 {
			p.Next++
		}
	}
	return &sliceRows{src: s, next: p.Next}, nil
}

func (s *sliceSource) Close() error { return nil }

func (r *sliceRows) Next(ctx context.Context) bool {
	if r.done || r.next >= len(r.src.keys) {
		return false
	}
	if err := ctx.Err(); err != nil {
		r.err, r.done = err, true
		return false
	}
	k := r.src.keys[r.next]
	raw, _ := json.Marshal(map[string]string{"id": k})
	r.next++
	r.rec = decant.Record{Key: k, Raw: raw, Position: fmt.Appendf(nil, `{"next":%d}`, r.next), Where: fmt.Sprint("item ", r.next)}
	switch r.src.bug {
	case "":
		r.rec.Doc = sliceDoc{"id": k}
	case "doc":
		r.rec.Doc = sliceDoc{"id": k + " "} // not what Raw holds
	}
	return true
}

// sliceDoc is a record's decoded document.
type sliceDoc map[string]string

func (d sliceDoc) Value() any {
	m := make(map[string]any, len(d))
	for k, v := range d {
		m[k] = v
	}
	return m
}

func (r *sliceRows) Record() decant.Record { return r.rec }
func (r *sliceRows) Err() error            { return r.err }
func (r *sliceRows) Close() error          { r.done = true; return nil }

func harness(bug string) sourcetest.Harness {
	return sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source { return &sliceSource{keys: keys, bug: bug} },
		Append: func(t *testing.T, src decant.Source, keys []string) {
			s := src.(*sliceSource)
			s.keys = append(s.keys, keys...)
		},
	}
}

func TestSliceSource(t *testing.T) {
	if bug := os.Getenv("SOURCETEST_BUG"); bug != "" {
		sourcetest.Run(t, harness(bug))
		return
	}
	sourcetest.Run(t, harness(""))
}

// TestSuiteCatchesBugs runs the suite on broken sources in a child process
// and expects it to fail.
func TestSuiteCatchesBugs(t *testing.T) {
	if os.Getenv("SOURCETEST_BUG") != "" {
		t.Skip("child process")
	}
	for _, bug := range []string{"double", "skip", "doc"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSliceSource$")
		cmd.Env = append(os.Environ(), "SOURCETEST_BUG="+bug)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("the suite passed a source that resumes with a %q bug:\n%s", bug, out)
		}
	}
}
