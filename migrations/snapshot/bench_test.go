package snapshot_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/migrations/snapshot"
)

// benchRows is the size of the table the snapshot benchmarks save and load.
const benchRows = 200_000

// BenchmarkSnapshot measures Save of a 200,000-row table (id, text, numeric,
// timestamp, JSON) and Load of that snapshot into an empty database, with
// every checksum computed and checked; it reports rows/s.
func BenchmarkSnapshot(b *testing.B) {
	fills := map[string]string{
		"postgres": `CREATE TABLE item (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), at timestamptz, doc jsonb);
INSERT INTO item SELECT g, 'item ' || g, g * 1.25, timestamptz '2026-01-01' + g * interval '1 second',
    jsonb_build_object('n', g, 'tags', jsonb_build_array('a', 'b')) FROM generate_series(1, %d) AS g`,
		"sqlite": `CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC, at TEXT, doc TEXT);
WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %d)
INSERT INTO item SELECT g, 'item ' || g, g * 1.25, datetime('2026-01-01', '+' || g || ' seconds'),
    json_object('n', g, 'tags', json_array('a', 'b')) FROM s`,
	}
	for _, name := range []string{"postgres", "sqlite"} {
		url := map[string]func(testing.TB) string{"postgres": testenv.Postgres, "sqlite": testenv.SQLite}[name]
		src := benchOpen(b, url(b))
		if _, err := src.Exec(fmt.Sprintf(fills[name], benchRows)); err != nil {
			b.Fatal(err)
		}
		opts := snapshot.Options{Dir: b.TempDir(), AppRelease: "1.0.0"}
		b.Run(name+"/save", func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				if _, err := snapshot.Save(context.Background(), src, fmt.Sprintf("s%d", i), opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
		b.Run(name+"/load", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				dst := benchOpen(b, url(b))
				b.StartTimer()
				res, err := snapshot.Load(context.Background(), dst, "s1", opts)
				if err != nil || res.Backup != "" || res.Snapshot.Tables[0].Rows != benchRows {
					b.Fatalf("Load: %v", err)
				}
			}
			b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func benchOpen(b *testing.B, url string) *sql.DB {
	b.Helper()
	db, err := migrations.Open(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}
