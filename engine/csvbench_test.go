package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// benchCSVRows is the size of the CSV file the migrate benchmark loads.
const benchCSVRows = 20_000

// BenchmarkMigrateCSV loads a CSV file into a fresh SQLite database, end
// to end: read, map, hash, write, ledger and audit. The plan is
// bench/csv.yaml's: the attrs field's document decoded into a JSON column.
func BenchmarkMigrateCSV(b *testing.B) {
	src := filepath.Join(b.TempDir(), "flat.csv")
	engine.WriteFlatCSV(b, src, benchCSVRows)
	b.ReportAllocs()
	var busy time.Duration
	for b.Loop() {
		busy += migrateBenchCSV(b, src)
	}
	b.ReportMetric(float64(benchCSVRows)*float64(b.N)/busy.Seconds(), "records/s")
}

func migrateBenchCSV(b *testing.B, src string) time.Duration {
	b.StopTimer()
	dir := b.TempDir()
	mustTB(b, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
		"CREATE TABLE IF NOT EXISTS flat (id INTEGER PRIMARY KEY, name TEXT, email TEXT, created_at TIMESTAMP, amount NUMERIC, attrs JSON);\n"), 0o644))
	p := fmt.Sprintf(`version: 1
connections:
  in: file:%s
  target: sqlite:t.db
setup: [schema.sql]
batch_size: 1000
steps:
  - name: flat
    from: {connection: in, key: id}
    key: id
    to: {table: flat}
    map: {id: record.id, name: record.name, email: record.email, created_at: record.created_at, amount: record.amount, attrs: json_decode(record.attrs)}
`, src)
	planPath := filepath.Join(dir, "decant.yaml")
	mustTB(b, os.WriteFile(planPath, []byte(p), 0o644))
	pl, err := plan.Load(planPath, plan.Options{})
	mustTB(b, err)
	st, err := connect.Store(context.Background(), pl)
	mustTB(b, err)
	defer st.Close()
	b.StartTimer()
	start := time.Now()
	res, err := engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: time.Minute}, nil)
	took := time.Since(start)
	b.StopTimer()
	mustTB(b, err)
	if s := res.Steps[0]; s.Written != benchCSVRows {
		b.Fatalf("wrote %d records, want %d (%+v)", s.Written, benchCSVRows, s)
	}
	b.StartTimer()
	return took
}

func mustTB(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
