package sqlite

import (
	"context"
	"errors"
	"math/bits"
	"strconv"
	"testing"

	"github.com/decanthq/decant"
)

func TestChunks(t *testing.T) {
	t.Parallel()
	const full = 500
	sizes := map[int]bool{}
	for n := range 1300 {
		got := chunks(n, full)
		sum := 0
		for i, k := range got {
			sum += k
			if k != full && (k > full || bits.OnesCount(uint(k)) != 1) {
				t.Fatalf("chunks(%d) = %v: %d is neither %d nor a power of two below it", n, got, k, full)
			}
			if i > 0 && k > got[i-1] {
				t.Fatalf("chunks(%d) = %v: not in decreasing order", n, got)
			}
			sizes[k] = true
		}
		if sum != n {
			t.Fatalf("chunks(%d) = %v: sum %d", n, got, sum)
		}
	}
	if max := 1 + bits.Len(full); len(sizes) > max {
		t.Errorf("%d statement sizes for every n up to 1300, want at most %d", len(sizes), max)
	}
}

// openInternal opens a store with the state tables and the table
// t (id INTEGER PRIMARY KEY, v TEXT NOT NULL).
func openInternal(t *testing.T) *Store {
	t.Helper()
	s := openAt(t, len(migrations))
	if _, err := s.db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return s
}

func writeInternal(ctx context.Context, s *Store, b *decant.Batch) error {
	dtx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	if err := s.WriteBatch(ctx, dtx, b); err != nil {
		return errors.Join(err, dtx.Rollback(ctx))
	}
	return dtx.Commit(ctx)
}

// batchOf returns a batch writing ids [from, from+n) to t, with v the id's
// text and tag, and their ledger entries.
func batchOf(from, n int, tag string) *decant.Batch {
	b := &decant.Batch{Scope: "s", Step: "a", Tables: []decant.TableRows{{Table: "t", Columns: []string{"id", "v"}, Key: []string{"id"}}}}
	for id := from; id < from+n; id++ {
		b.Tables[0].Rows = append(b.Tables[0].Rows, []any{int64(id), strconv.Itoa(id) + tag})
		b.Ledger = append(b.Ledger, decant.LedgerEntry{Key: strconv.Itoa(id), SourceHash: "h" + tag, Status: decant.StatusOK})
	}
	return b
}

// TestInsertsPreparedOnce writes batches of every size from 1 to 60 and one
// of 1234 rows: the inserts are prepared once per statement size, the sizes
// are few, and every row and ledger entry arrives, with the scope, step and
// time that each ledger statement binds once.
func TestInsertsPreparedOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openInternal(t)
	sizes := []int{1234}
	for n := 1; n <= 60; n++ {
		sizes = append(sizes, n)
	}
	next := 1
	for _, n := range sizes {
		if err := writeInternal(ctx, s, batchOf(next, n, "")); err != nil {
			t.Fatalf("batch of %d: %v", n, err)
		}
		next += n
	}
	// Per table (t and the ledger): the full size and the powers of two
	// below it.
	if got, most := len(s.stmts.stmts), 2*(1+bits.Len(maxRowsPerStatement)); got > most {
		t.Errorf("%d prepared statements, want at most %d", got, most)
	}
	var rows, ledger, stamped int
	err := s.db.QueryRow(`SELECT (SELECT count(*) FROM t WHERE v = CAST(id AS TEXT)),
		(SELECT count(*) FROM decant_ledger WHERE scope = 's' AND step = 'a' AND status = 'ok' AND key = CAST(CAST(key AS INTEGER) AS TEXT)),
		(SELECT count(*) FROM decant_ledger WHERE updated LIKE '20%Z')`).Scan(&rows, &ledger, &stamped)
	if err != nil {
		t.Fatal(err)
	}
	if want := next - 1; rows != want || ledger != want || stamped != want {
		t.Errorf("rows, ledger rows, stamped ledger rows = %d, %d, %d; want %d each", rows, ledger, stamped, want)
	}
}

// TestInsertsLastWins checks that a key written twice in a batch, in two
// statements, keeps its last row and ledger entry.
func TestInsertsLastWins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openInternal(t)
	b := batchOf(1, 700, "")
	b.Tables[0].Rows[650] = []any{int64(3), "last"}
	b.Ledger[650] = decant.LedgerEntry{Key: "3", SourceHash: "last", Status: decant.StatusFailed}
	if err := writeInternal(ctx, s, b); err != nil {
		t.Fatal(err)
	}
	var v, hash, status string
	if err := s.db.QueryRow(`SELECT v, source_hash, status FROM t JOIN decant_ledger ON key = '3' WHERE id = 3`).Scan(&v, &hash, &status); err != nil {
		t.Fatal(err)
	}
	if v != "last" || hash != "last" || status != decant.StatusFailed {
		t.Errorf("id 3: v, source_hash, status = %q, %q, %q; want the last row's: last, last, failed", v, hash, status)
	}
}

// TestInsertAfterRefusal checks that a prepared insert the database refused
// (a NOT NULL value) works for the next batches, which prepare nothing new
// for the same shape, and that the refused batch left nothing.
func TestInsertAfterRefusal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openInternal(t)
	bad := batchOf(1, 10, "")
	bad.Tables[0].Rows[7][1] = nil
	err := writeInternal(ctx, s, bad)
	if err == nil {
		t.Fatal("a NULL in a NOT NULL column was written")
	}
	if err := writeInternal(ctx, s, batchOf(1, 10, "")); err != nil {
		t.Fatalf("the batch after a refusal: %v", err)
	}
	prepared := len(s.stmts.stmts)
	if err := writeInternal(ctx, s, batchOf(1, 10, "-ok")); err != nil {
		t.Fatalf("the batch after that: %v", err)
	}
	if got := len(s.stmts.stmts); got != prepared {
		t.Errorf("%d prepared statements after another batch of the same shape, want %d as before", got, prepared)
	}
	var n, ok int
	if err := s.db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE v LIKE '%-ok') FROM t`).Scan(&n, &ok); err != nil {
		t.Fatal(err)
	}
	if n != 10 || ok != 10 {
		t.Errorf("t holds %d rows, %d of the last batch; want its 10 only", n, ok)
	}
}

// TestCloseClosesStatements checks that Close finalizes the prepared
// inserts (SQLite would otherwise keep the connection open).
func TestCloseClosesStatements(t *testing.T) {
	t.Parallel()
	s := openInternal(t)
	if err := writeInternal(context.Background(), s, batchOf(1, 3, "")); err != nil {
		t.Fatal(err)
	}
	if len(s.stmts.stmts) == 0 {
		t.Fatal("no prepared statements after a batch")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(s.stmts.stmts); n != 0 {
		t.Errorf("%d prepared statements after Close, want none", n)
	}
}
