package storetest

import (
	"testing"

	"github.com/decanthq/decant"
	"github.com/google/go-cmp/cmp"
)

// chunkTests are the conformance tests of the checkpoints of a step read
// in chunks ([decant.ChunkCheckpointer]); Run runs them with the others.
var chunkTests = []struct {
	name string
	fn   func(*testing.T, *env)
}{
	{"ChunkCheckpoints", testChunkCheckpoints},
	{"ChunkCheckpointRollsBack", testChunkCheckpointRollsBack},
	{"ChunksFromVersion7", testChunksFromVersion7},
}

// dropVersion8 takes the state tables back to version 7: no chunks.
func (e *env) dropVersion8() {
	e.dropVersion9()
	e.exec("DROP TABLE decant_chunks")
}

// Ensure a batch of a chunk saves its checkpoint as the chunk's, one per
// chunk, replaced by the chunk's next batch, and leaves the step's own
// checkpoint, and other steps' and scopes' chunks, alone.
func testChunkCheckpoints(t *testing.T, e *env) {
	cc := role[decant.ChunkCheckpointer](e)
	if got, err := cc.ChunkCheckpoints(e.ctx, "s", "a"); err != nil || len(got) != 0 {
		t.Fatalf("ChunkCheckpoints before any batch = %v, %v; want none", got, err)
	}
	own := decant.Position(`{"after":[0]}`)
	e.write(&decant.Batch{Scope: "s", Step: "a", Checkpoint: own, Audit: audit(1, 1, "")})
	for _, c := range []string{"1", "2"} {
		e.write(&decant.Batch{Scope: "s", Step: "a", Chunk: c, Checkpoint: decant.Position(`{"after":null,"from":[` + c + `]}`)})
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Chunk: "1", Ledger: ledger("5:ok"), Audit: audit(1, 1, ""),
		Checkpoint: decant.Position(`{"after":[5],"to":[2]}`)})
	e.write(&decant.Batch{Scope: "s", Step: "b", Chunk: "1", Checkpoint: decant.Position(`{"after":[9]}`)})
	e.write(&decant.Batch{Scope: "other", Step: "a", Chunk: "3", Checkpoint: decant.Position(`{"after":[9]}`)})
	got, err := cc.ChunkCheckpoints(e.ctx, "s", "a")
	want := map[string]decant.Position{"1": decant.Position(`{"after":[5],"to":[2]}`), "2": decant.Position(`{"after":null,"from":[2]}`)}
	if err != nil || !cmp.Equal(positionTexts(got), positionTexts(want)) {
		t.Errorf("ChunkCheckpoints(s, a) = %s, %v; want %s", positionTexts(got), err, positionTexts(want))
	}
	if pos, err := e.s.Checkpoint(e.ctx, "s", "a"); err != nil || string(pos) != string(own) {
		t.Errorf("the step's own checkpoint = %s, %v; want %s, which chunks do not move", pos, err, own)
	}
	st := e.status("s")
	if len(st) != 2 || !cmp.Equal(positionTexts(st[0].Chunks), positionTexts(want)) || len(st[1].Chunks) != 1 {
		t.Errorf("Status(s) chunks = %v, want step a's %s and step b's one", st, positionTexts(want))
	}
}

func positionTexts(m map[string]decant.Position) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// Ensure a chunk's checkpoint commits with its batch's rows and ledger:
// a rolled-back batch leaves the chunk's checkpoint where it was.
func testChunkCheckpointRollsBack(t *testing.T, e *env) {
	start := decant.Position(`{"after":null,"from":[1]}`)
	e.write(&decant.Batch{Scope: "s", Step: "a", Chunk: "1", Checkpoint: start})
	tx, err := e.s.Begin(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = e.s.WriteBatch(e.ctx, tx, &decant.Batch{Scope: "s", Step: "a", Chunk: "1", Ledger: ledger("1:ok"),
		Audit: audit(1, 1, ""), Checkpoint: decant.Position(`{"after":[1]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(e.ctx); err != nil {
		t.Fatal(err)
	}
	got, err := role[decant.ChunkCheckpointer](e).ChunkCheckpoints(e.ctx, "s", "a")
	if err != nil || string(got["1"]) != string(start) || e.count("decant_ledger") != 0 {
		t.Errorf("after a rollback: chunk 1 at %s (%v), ledger %d rows; want %s and none", got["1"], err, e.count("decant_ledger"), start)
	}
}

// Ensure version 7 tables read as having no chunks, creating nothing (a
// dry run reads them so), and that Init upgrades them to hold chunks,
// keeping the steps' own checkpoints.
func testChunksFromVersion7(t *testing.T, e *env) {
	own := decant.Position(`{"after":[7]}`)
	e.write(&decant.Batch{Scope: "s", Step: "a", Checkpoint: own})
	e.dropVersion8()
	e.exec("UPDATE decant_schema SET version = 7")
	cc := role[decant.ChunkCheckpointer](e)
	if got, err := cc.ChunkCheckpoints(e.ctx, "s", "a"); err != nil || len(got) != 0 {
		t.Errorf("ChunkCheckpoints on version 7 tables = %v, %v; want none", got, err)
	}
	if st := e.status("s"); len(st) != 1 || st[0].Chunks != nil || string(st[0].Checkpoint) != string(own) {
		t.Errorf("Status(s) on version 7 tables = %+v, want step a at %s without chunks", st, own)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != "7\n" {
		t.Errorf("reading the chunks changed the version to %q", got)
	}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 7: %v", err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != latestVersion {
		t.Errorf("decant_schema = %q after Init, want %q", got, latestVersion)
	}
	if pos, err := e.s.Checkpoint(e.ctx, "s", "a"); err != nil || string(pos) != string(own) {
		t.Errorf("the step's checkpoint after the upgrade = %s, %v; want %s", pos, err, own)
	}
	if err := e.tryWrite(&decant.Batch{Scope: "s", Step: "a", Chunk: "1", Checkpoint: own}); err != nil {
		t.Errorf("a chunk's checkpoint after the upgrade: %v", err)
	}
	if got, err := cc.ChunkCheckpoints(e.ctx, "s", "a"); err != nil || len(got) != 1 {
		t.Errorf("ChunkCheckpoints after the upgrade = %v, %v; want chunk 1", got, err)
	}
}
