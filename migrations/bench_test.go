package migrations_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

// BenchmarkUp200 measures applying 200 small migrations (a table and an
// index each) to an empty database, lock and ledger included.
func BenchmarkUp200(b *testing.B) {
	files := map[string]string{}
	for i := 1; i <= 200; i++ {
		files[fmt.Sprintf("%04d_t%d.sql", i, i)] = fmt.Sprintf("CREATE TABLE t%d (id integer PRIMARY KEY, v text);\nCREATE INDEX t%d_v ON t%d (v);\n", i, i, i)
	}
	fsys := dir(files)
	for name, url := range map[string]func(testing.TB) string{"postgres": testenv.Postgres, "sqlite": testenv.SQLite} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db, err := migrations.Open(url(b))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res, err := migrations.Up(context.Background(), db, fsys, migrations.Options{})
				if err != nil || len(res.Applied) != 200 {
					b.Fatalf("Up: %v", err)
				}
				db.Close()
			}
		})
	}
}

// BenchmarkBackfill measures a batched data migration over 200,000 rows in
// batches of 5,000; it reports rows/s.
func BenchmarkBackfill(b *testing.B) {
	const rows = 200_000
	fsys := dir(map[string]string{
		"0001_item.sql": "CREATE TABLE item (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0);\n",
		"0002_fill.sql": "-- decant:batch size=5000 start=0\n" +
			"UPDATE item SET n = n + 1 WHERE id IN (SELECT id FROM item WHERE id > :cursor ORDER BY id LIMIT :size) RETURNING id;\n",
	})
	for name, url := range map[string]func(testing.TB) string{"postgres": testenv.Postgres, "sqlite": testenv.SQLite} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				u := url(b)
				db, err := migrations.Open(u)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := migrations.Up(context.Background(), db, fsys, migrations.Options{To: 1}); err != nil {
					b.Fatal(err)
				}
				fill := fmt.Sprintf("INSERT INTO item (id) SELECT value FROM generate_series(1, %d) AS value", rows)
				if strings.HasPrefix(u, "sqlite:") {
					fill = fmt.Sprintf("WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < %d) "+
						"INSERT INTO item (id) SELECT value FROM s", rows)
				}
				if _, err := db.Exec(fill); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := migrations.Up(context.Background(), db, fsys, migrations.Options{}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
