package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/decanthq/decant/engine"
)

// Ensure a dry run after a first run starts at the checkpoint and predicts
// the counts of the next real run, writing nothing.
func TestDryRunStartsAtCheckpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 20, "people: [person]", nil)
	_, err := engine.Run(context.Background(), f.config(t), nil)
	must(t, err)
	in, err := os.OpenFile(filepath.Join(f.dir, "in.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = in.WriteString(`{"id":21,"name":"p21","kind":"person","score":"1","tags":[]}
{"id":22,"name":"p22","kind":"person","score":"lots","tags":[]}
{"id":23,"name":"p23","kind":"person","score":"3","tags":[]}
`)
	must(t, err)
	must(t, in.Close())
	before := f.query(t, "SELECT count(*) FROM decant_batches")

	cfg := f.config(t)
	cfg.DryRun = true
	dry, err := engine.Run(context.Background(), cfg, nil)
	must(t, err)
	if s := dry.Steps[0]; s.Read != 3 || s.Written != 2 || s.Failed != 1 {
		t.Errorf("dry run after the first run: read %d, written %d, failed %d; want 3, 2, 1", s.Read, s.Written, s.Failed)
	}
	if got := f.query(t, "SELECT count(*) FROM decant_batches"); got != before {
		t.Errorf("the dry run wrote audit rows: %s, was %s", got, before)
	}
	real, err := engine.Run(context.Background(), f.config(t), nil)
	must(t, err)
	if d, r := dry.Steps[0], real.Steps[0]; d.Read != r.Read || d.Written != r.Written || d.Failed != r.Failed {
		t.Errorf("dry run predicted %d/%d/%d (read/written/failed), the real run did %d/%d/%d", d.Read, d.Written, d.Failed, r.Read, r.Written, r.Failed)
	}
}
