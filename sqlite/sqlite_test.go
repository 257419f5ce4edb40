package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/storetest"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/sqlite"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func open(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), testenv.SQLite(tb), sqlite.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

var harness = storetest.Harness{
	Open: func(t *testing.T) decant.Store { return open(t) },
	Exec: func(t *testing.T, s decant.Store, query string) {
		t.Helper()
		if _, err := s.(*sqlite.Store).DB().Exec(query); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	},
	Query: query,
	Types: storetest.Types{
		BigInt: "BIGINT", Text: "TEXT", Float: "REAL", Decimal: "DECIMAL(12,2)", ExactDecimal: "TEXT",
		Bool: "BOOLEAN", Date: "DATE", Timestamp: "TIMESTAMP", TimestampTZ: "DATETIME", JSON: "JSON",
	},
}

// query returns values as text. The driver reads text in DATE, DATETIME and
// TIMESTAMP columns as time.Time; those are printed back in RFC 3339.
func query(t *testing.T, s decant.Store, sql string) [][]any {
	t.Helper()
	rows, err := s.(*sqlite.Store).DB().Query(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			switch v := v.(type) {
			case nil, string:
			case []byte:
				vals[i] = string(v)
			case float64:
				vals[i] = strconv.FormatFloat(v, 'g', -1, 64)
			case time.Time:
				vals[i] = v.UTC().Format(time.RFC3339Nano)
			default:
				vals[i] = fmt.Sprint(v)
			}
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStore(t *testing.T) { storetest.Run(t, harness) }

func write(ctx context.Context, s *sqlite.Store, b *decant.Batch) error {
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	if err := s.WriteBatch(ctx, tx, b); err != nil {
		tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

// TestStoredText checks what the values look like in the file, which other
// tools read: sortable UTC text for times, plain dates, 0 and 1.
func TestStoredText(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	harness.Exec(t, s, "CREATE TABLE v (id INTEGER PRIMARY KEY, ts TIMESTAMP, d DATE, b BOOLEAN, dec DECIMAL(12,2))")
	zone := time.FixedZone("x", -3*3600)
	err := write(ctx, s, &decant.Batch{Scope: "s", Step: "v", Tables: []decant.TableRows{{Table: "v",
		Columns: []string{"id", "ts", "d", "b", "dec"}, Key: []string{"id"},
		Rows: [][]any{{int64(1), time.Date(2024, 1, 2, 22, 0, 0, 5, zone), time.Date(2024, 1, 2, 22, 0, 0, 0, zone), true, decant.Decimal("12.30")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var ts, d, b, dec string
	err = s.DB().QueryRow("SELECT ts || '', d || '', typeof(b) || ':' || b, typeof(dec) || ':' || dec FROM v").Scan(&ts, &d, &b, &dec)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join([]string{ts, d, b, dec}, " ")
	// DECIMAL has NUMERIC affinity: SQLite keeps 12.30 as the float 12.3.
	want := "2024-01-03T01:00:00.000000005Z 2024-01-02 integer:1 real:12.3"
	if got != want {
		t.Errorf("stored %q, want %q", got, want)
	}
}

// TestReadDuringWrite checks that reads neither wait for nor deadlock with
// an open write transaction.
func TestReadDuringWrite(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if err := s.WriteBatch(ctx, tx, &decant.Batch{Scope: "s", Step: "a", Checkpoint: decant.Position(`1`)}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if pos, err := s.Checkpoint(ctx, "s", "a"); err != nil || pos != nil {
		t.Errorf("Checkpoint during a write = %s, %v; want the committed state (nil)", pos, err)
	}
	if _, err := s.Status(ctx, "s"); err != nil {
		t.Errorf("Status during a write: %v", err)
	}
}

// TestTwoProcesses opens the same file twice, as two decant processes
// would, and writes from both at once: SQLite's lock and the busy timeout
// make them take turns.
func TestTwoProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	var stores [2]*sqlite.Store
	for i := range stores {
		s, err := sqlite.Open(ctx, path, sqlite.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	var wg sync.WaitGroup
	errs := make([]error, len(stores))
	for i, s := range stores {
		wg.Go(func() {
			if errs[i] = s.Init(ctx); errs[i] != nil {
				return
			}
			for j := range 20 {
				key := fmt.Sprintf("%d-%d", i, j)
				b := &decant.Batch{Scope: "s", Step: "a", Ledger: []decant.LedgerEntry{{Key: key, Status: decant.StatusOK}}}
				if errs[i] = write(ctx, s, b); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := stores[0].Status(ctx, "s")
	if err != nil || len(st) != 1 || st[0].Keys != 40 {
		t.Errorf("Status = %+v, %v; want 40 keys read", st, err)
	}
}

// BenchmarkWriteBatch writes batches of 10,000 new rows of 6 columns with
// their ledger entries, audit row and checkpoint.
func BenchmarkWriteBatch(b *testing.B) {
	ctx := context.Background()
	s := open(b)
	if err := s.Init(ctx); err != nil {
		b.Fatal(err)
	}
	_, err := s.DB().Exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL,
		created_at TIMESTAMP NOT NULL, amount TEXT NOT NULL, payload JSON)`)
	if err != nil {
		b.Fatal(err)
	}
	const n = 10000
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer() // building the batch is the mapper's work, not the store's
		rows := make([][]any, n)
		ledger := make([]decant.LedgerEntry, n)
		for j := range rows {
			id := i*n + j
			rows[j] = []any{int64(id), "Zoë O'Brien " + strconv.Itoa(id), "user" + strconv.Itoa(id) + "@example.com",
				created.Add(time.Duration(id) * time.Second), decant.Decimal(fmt.Sprintf("%d.%02d", id, id%100)),
				decant.JSON(`{"k":1,"tags":["x"],"flag":false,"note":"héllo"}`)}
			ledger[j] = decant.LedgerEntry{Key: strconv.Itoa(id), SourceHash: "0123456789abcdef", Status: decant.StatusOK}
		}
		batch := &decant.Batch{Scope: "default", Step: "people", Ledger: ledger,
			Audit:      &decant.BatchAudit{Total: n, OK: n, Started: time.Now(), Duration: time.Second},
			Checkpoint: decant.Position(`{"n":1}`),
			Tables: []decant.TableRows{{Table: "people", Columns: []string{"id", "name", "email", "created_at", "amount", "payload"},
				Key: []string{"id"}, Rows: rows}}}
		b.StartTimer()
		if err := write(ctx, s, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
}
