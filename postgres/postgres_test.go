package postgres_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/storetest"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func open(tb testing.TB, cfg postgres.Config) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), testenv.Postgres(tb), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

var harness = storetest.Harness{
	Open: func(t *testing.T) decant.Store { return open(t, postgres.Config{}) },
	Exec: func(t *testing.T, s decant.Store, query string) {
		t.Helper()
		if _, err := s.(*postgres.Store).Pool().Exec(context.Background(), query); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	},
	Query: query,
	Types: storetest.Types{
		BigInt: "bigint", Text: "text", Float: "double precision", Decimal: "numeric(12,2)",
		ExactDecimal: "numeric(12,2)", Bool: "boolean", Date: "date", Timestamp: "timestamp",
		TimestampTZ: "timestamptz", JSON: "json",
	},
}

// query reads rows in the text format, as the server prints each type.
func query(t *testing.T, s decant.Store, sql string) [][]any {
	t.Helper()
	rows, err := s.(*postgres.Store).Pool().Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		var row []any
		for _, v := range rows.RawValues() {
			if v == nil {
				row = append(row, nil)
			} else {
				row = append(row, string(v))
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func TestStore(t *testing.T) { storetest.Run(t, harness) }

func exec(t *testing.T, s *postgres.Store, sql string) {
	t.Helper()
	harness.Exec(t, s, sql)
}

func write(ctx context.Context, s *postgres.Store, b *decant.Batch) error {
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

func TestSchemaQualifiedTable(t *testing.T) {
	ctx := context.Background()
	s := open(t, postgres.Config{})
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	exec(t, s, `CREATE SCHEMA "Odd Schema"; CREATE TABLE "Odd Schema".people (id bigint PRIMARY KEY, "Full Name" text)`)
	b := &decant.Batch{Scope: "s", Step: "p", Tables: []decant.TableRows{{Table: "Odd Schema.people",
		Columns: []string{"id", "Full Name"}, Key: []string{"id"}, Rows: [][]any{{int64(1), "Ann"}}}}}
	if err := write(ctx, s, b); err != nil {
		t.Fatal(err)
	}
	if got := query(t, s, `SELECT "Full Name" FROM "Odd Schema".people`); len(got) != 1 || got[0][0] != "Ann" {
		t.Errorf("rows = %v", got)
	}
	cols, err := s.Columns(ctx, "Odd Schema.people")
	if err != nil || len(cols) != 2 || cols[1].Name != "Full Name" {
		t.Errorf("Columns = %+v, %v", cols, err)
	}
}

func TestConfigSchema(t *testing.T) {
	ctx := context.Background()
	s := open(t, postgres.Config{Schema: "mig", MaxConns: 2})
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	got := query(t, s, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'decant_ledger'")
	if len(got) != 1 || got[0][0] != "mig" {
		t.Errorf("decant_ledger is in %v, want schema mig", got)
	}
	if n := s.Pool().Config().MaxConns; n != 2 {
		t.Errorf("MaxConns = %d, want 2", n)
	}
}

// TestBadValue checks that a value the column refuses is reported with its
// table, column and row.
func TestBadValue(t *testing.T) {
	ctx := context.Background()
	s := open(t, postgres.Config{})
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	exec(t, s, "CREATE TABLE people (id bigint PRIMARY KEY, amount numeric(12,2), name varchar(3) NOT NULL)")
	cases := []struct {
		row  []any
		want []string
	}{
		{[]any{int64(2), "abc", "x"}, []string{"people", "column amount", "row 2", "numeric"}},
		{[]any{int64(2), nil, "toolong"}, []string{"people", "column name", "row 2", "too long"}},
		{[]any{int64(2), nil, nil}, []string{"people", "column name", "not-null"}},
		{[]any{int64(2), struct{}{}, "x"}, []string{"people", "column amount", "row 2", "unsupported value type"}},
	}
	for _, c := range cases {
		err := write(ctx, s, &decant.Batch{Scope: "s", Step: "p", Tables: []decant.TableRows{{Table: "people",
			Columns: []string{"id", "amount", "name"}, Key: []string{"id"},
			Rows: [][]any{{int64(1), nil, "ok"}, c.row}}}})
		t.Log(err)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("row %v: error %v, want it to mention %q", c.row, err, w)
			}
		}
	}
}

// TestStateTextSanitized checks that a payload PostgreSQL text cannot hold
// (NUL, invalid UTF-8) is stored, not allowed to fail the batch.
func TestStateTextSanitized(t *testing.T) {
	ctx := context.Background()
	s := open(t, postgres.Config{})
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	b := &decant.Batch{Scope: "s", Step: "p", Ledger: []decant.LedgerEntry{{Key: "k\x00", Status: decant.StatusFailed}},
		Errors: []decant.RecordError{{Key: "k\x00", Message: "bad\xff", Detail: "d", Payload: []byte("a\x00b\xfe")}}}
	if err := write(ctx, s, b); err != nil {
		t.Fatal(err)
	}
	errs, err := s.Errors(ctx, decant.ErrorFilter{Scope: "s"})
	if err != nil || len(errs) != 1 || string(errs[0].Payload) != "a\uFFFDb\uFFFD" {
		t.Errorf("Errors = %+v, %v", errs, err)
	}
}

func TestOpenRedactsPassword(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=1", postgres.Config{})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open error = %v, want an error without the password", err)
	}
	t.Log(err)
	_, err = postgres.Open(context.Background(), "postgres://u:s3cret@127.0.0.1:bad/db", postgres.Config{})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open error = %v, want an error without the password", err)
	}
}

func TestForeignTx(t *testing.T) {
	ctx := context.Background()
	a, b := open(t, postgres.Config{}), open(t, postgres.Config{})
	tx, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if err := b.WriteBatch(ctx, tx, &decant.Batch{}); err == nil {
		t.Error("WriteBatch accepted another store's transaction")
	}
}

// BenchmarkWriteBatch writes batches of 10,000 rows of 6 columns with their
// ledger entries, audit row and checkpoint, as a migration does: new keys
// (insert), the same keys again (update), and, as the anchor to compare
// with, a bare COPY of the same rows into the same table (raw-copy, what
// psql's \copy does).
func BenchmarkWriteBatch(b *testing.B) {
	for _, mode := range []string{"insert", "update", "raw-copy"} {
		b.Run(mode, func(b *testing.B) { benchmarkWriteBatch(b, mode) })
	}
}

const benchTable = `CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL,
	created_at timestamp NOT NULL, amount numeric(12,2) NOT NULL, payload jsonb)`

func benchmarkWriteBatch(b *testing.B, mode string) {
	ctx := context.Background()
	s := open(b, postgres.Config{})
	if err := s.Init(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, benchTable); err != nil {
		b.Fatal(err)
	}
	const n = 10000
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := range b.N {
		// Building the batch is the mapper's work, not the store's.
		b.StopTimer()
		base := i * n
		if mode == "update" {
			base = 0
		}
		batch := benchBatch(base, n, created)
		var data string
		if mode == "raw-copy" {
			data = copyData(batch.Tables[0].Rows)
		}
		b.StartTimer()
		var err error
		if mode == "raw-copy" {
			err = rawCopy(ctx, s, data)
		} else {
			err = write(ctx, s, batch)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
}

// copyData renders rows in COPY's text format, as a file for psql's \copy.
func copyData(rows [][]any) string {
	var sb strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&sb, "%d\t%s\t%s\t%s\t%s\t%s\n", r[0], r[1], r[2],
			r[3].(time.Time).Format(time.RFC3339Nano), r[4], r[5])
	}
	return sb.String()
}

// rawCopy copies data into people in a transaction of its own: the fastest
// way in, for comparison.
func rawCopy(ctx context.Context, s *postgres.Store, data string) error {
	conn, err := s.Pool().Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	_, err = conn.Conn().PgConn().CopyFrom(ctx, strings.NewReader(data),
		"COPY people (id, name, email, created_at, amount, payload) FROM STDIN")
	return err
}

func benchBatch(base, n int, created time.Time) *decant.Batch {
	rows := make([][]any, n)
	ledger := make([]decant.LedgerEntry, n)
	for j := range rows {
		id := base + j
		rows[j] = []any{int64(id), "Zoë O'Brien " + strconv.Itoa(id), "user" + strconv.Itoa(id) + "@example.com",
			created.Add(time.Duration(id) * 17 * time.Second), decant.Decimal(fmt.Sprintf("%d.%02d", id%100000, id%100)),
			decant.JSON(`{"k":1,"tags":["x"],"flag":false,"note":"héllo"}`)}
		ledger[j] = decant.LedgerEntry{Key: strconv.Itoa(id), SourceHash: "0123456789abcdef", TargetHash: "fedcba9876543210", Status: decant.StatusOK}
	}
	return &decant.Batch{Scope: "default", Step: "people", Ledger: ledger,
		Audit:      &decant.BatchAudit{Total: n, OK: n, Started: time.Now(), Duration: time.Second, CursorTo: strconv.Itoa(base + n)},
		Checkpoint: decant.Position(`{"after":` + strconv.Itoa(base+n) + `}`),
		Tables: []decant.TableRows{{Table: "people", Columns: []string{"id", "name", "email", "created_at", "amount", "payload"},
			Key: []string{"id"}, Rows: rows}}}
}

// Ensure OpenDB gives a database/sql handle that IsDB recognises, and
// TableExists finds a table through the search path without creating
// anything.
func TestOpenDBTableExists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.OpenDB(testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection, so the search_path set below stays
	if !postgres.IsDB(db) {
		t.Error("IsDB of an OpenDB handle = false")
	}
	if ok, err := postgres.TableExists(ctx, db, "decant_schema"); ok || err != nil {
		t.Errorf("TableExists in an empty database = %t, %v", ok, err)
	}
	if _, err := db.Exec("CREATE SCHEMA app; SET search_path = app, public; CREATE TABLE public.decant_schema (version int)"); err != nil {
		t.Fatal(err)
	}
	if ok, err := postgres.TableExists(ctx, db, "decant_schema"); !ok || err != nil {
		t.Errorf("TableExists of a table on the search path = %t, %v", ok, err)
	}
}
