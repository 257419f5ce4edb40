package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// deleteTests are the conformance tests of Batch.Deletes and of the
// ScopeResetter role; Run runs them with the others.
var deleteTests = []struct {
	name string
	fn   func(*testing.T, *env)
}{
	{"DeleteWithChildren", testDeleteWithChildren},
	{"DeleteMark", testDeleteMark},
	{"DeleteCompositeKey", testDeleteCompositeKey},
	{"DeleteThenWriteInBatch", testDeleteThenWriteInBatch},
	{"DeleteAtomic", testDeleteAtomic},
	{"ResetLedgerKeys", testResetLedgerKeys},
	{"ResetCountRows", testResetCountRows},
	{"ResetState", testResetState},
	{"ResetStateStep", testResetStateStep},
}

func (e *env) resetter() decant.ScopeResetter { return role[decant.ScopeResetter](e) }

// ordersWithLines makes orders 1, 2 and 3, each with lines.
func (e *env) ordersWithLines() {
	e.exec("CREATE TABLE orders (id {bigint} PRIMARY KEY, customer {text})")
	e.exec("CREATE TABLE lines (order_id {bigint} NOT NULL, n {bigint} NOT NULL, sku {text})")
	e.write(&decant.Batch{Scope: "s", Step: "orders", Tables: []decant.TableRows{
		{Table: "orders", Columns: []string{"id", "customer"}, Key: []string{"id"}, Rows: [][]any{{int64(1), "a"}, {int64(2), "b"}, {int64(3), "c"}}},
		{Table: "lines", Columns: []string{"order_id", "n", "sku"}, ReplaceBy: "order_id", Parents: []any{int64(1), int64(2), int64(3)},
			Rows: [][]any{{int64(1), int64(1), "x"}, {int64(1), int64(2), "y"}, {int64(2), int64(1), "p"}, {int64(3), int64(1), "r"}}},
	}, Ledger: ledger("1:ok", "2:ok", "3:ok")})
}

// orderDeletes deletes orders ids and their lines, children first.
func orderDeletes(ids ...int64) []decant.RowDeletes {
	keys := make([][]any, len(ids))
	for i, id := range ids {
		keys[i] = []any{id}
	}
	return []decant.RowDeletes{
		{Table: "lines", By: []string{"order_id"}, Keys: keys},
		{Table: "orders", By: []string{"id"}, Keys: keys},
	}
}

// Ensure a batch's deletes remove the records' rows and their children,
// leave the others, take a key no row has as no error, and commit with
// the batch's ledger entries.
func testDeleteWithChildren(t *testing.T, e *env) {
	e.ordersWithLines()
	e.write(&decant.Batch{Scope: "s", Step: "orders", Ledger: ledger("4:failed", "5:failed"),
		Errors: []decant.RecordError{{Key: "4", Message: "bad"}, {Key: "5", Message: "bad"}}})
	e.write(&decant.Batch{Scope: "s", Step: "orders", Deletes: orderDeletes(1, 3, 99),
		Ledger: ledger("1:deleted", "3:deleted", "99:deleted", "4:deleted")})
	if got, want := e.rows("SELECT id, customer FROM orders ORDER BY id"), "2|b\n"; got != want {
		t.Errorf("orders after deleting 1, 3 and 99:\n%s\nwant:\n%s", got, want)
	}
	if got, want := e.rows("SELECT order_id, n, sku FROM lines ORDER BY order_id, n"), "2|1|p\n"; got != want {
		t.Errorf("lines after deleting 1, 3 and 99:\n%s\nwant:\n%s", got, want)
	}
	rows, err := e.reader().Ledger(e.ctx, "s", "orders", []string{"1", "2", "99"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.Key] = r.Status
	}
	if want := map[string]string{"1": "deleted", "2": "ok", "99": "deleted"}; !maps(got, want) {
		t.Errorf("ledger statuses = %v, want %v", got, want)
	}
	if st := e.status("s"); len(st) != 1 || st[0].Keys != 6 || st[0].Written != 1 || st[0].Deleted != 4 || st[0].Failed != 1 {
		t.Errorf("Status = %+v, want 6 keys, 1 written, 4 deleted, 1 failed", st)
	}
	// The source deleting a failed record resolves its error; another stays.
	errs := e.errors(decant.ErrorFilter{Scope: "s", Resolved: true})
	for _, er := range errs {
		switch {
		case er.Key == "4" && (!er.Resolved || !strings.Contains(er.History, decant.ResolvedDeleted)):
			t.Errorf("error of deleted key 4 = %+v, want resolved as deleted by the source", er)
		case er.Key == "5" && er.Resolved:
			t.Errorf("error of key 5 = %+v, want it open", er)
		}
	}
	if len(errs) != 2 {
		t.Errorf("errors = %+v, want 2", errs)
	}
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Ensure a mark sets the picked rows' mark column (a timestamp to the
// time given, a bool to true) and changes nothing else.
func testDeleteMark(t *testing.T, e *env) {
	e.exec("CREATE TABLE marked (id {bigint} PRIMARY KEY, name {text}, deleted_at {timestamptz}, gone {bool})")
	e.write(&decant.Batch{Scope: "s", Step: "m", Tables: []decant.TableRows{{Table: "marked", Columns: []string{"id", "name"}, Key: []string{"id"},
		Rows: [][]any{{int64(1), "a"}, {int64(2), "b"}, {int64(3), "c"}}}}})
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e.write(&decant.Batch{Scope: "s", Step: "m", Deletes: []decant.RowDeletes{
		{Table: "marked", By: []string{"id"}, Keys: [][]any{{int64(2)}, {int64(7)}}, Mark: "deleted_at", MarkValue: at},
		{Table: "marked", By: []string{"id"}, Keys: [][]any{{int64(3)}}, Mark: "gone", MarkValue: true},
	}})
	rows := e.query("SELECT id, name, deleted_at, gone FROM marked ORDER BY id")
	if len(rows) != 3 {
		t.Fatalf("marked has %d rows, want 3 (a mark deletes nothing)", len(rows))
	}
	if rows[0][2] != nil || rows[0][3] != nil {
		t.Errorf("row 1 = %v, want no mark", rows[0])
	}
	if ts, err := parseTime(text(rows[1][2])); err != nil || !ts.Equal(at) || text(rows[1][1]) != "b" {
		t.Errorf("row 2 = %v, want name b and deleted_at %s", rows[1], at)
	}
	if rows[2][3] == nil || !parseBool(text(rows[2][3])) || rows[2][2] != nil {
		t.Errorf("row 3 = %v, want gone true and no deleted_at", rows[2])
	}
}

// Ensure rows are picked by every By column of a composite key.
func testDeleteCompositeKey(t *testing.T, e *env) {
	e.exec("CREATE TABLE pairs (a {bigint} NOT NULL, b {text} NOT NULL, v {text}, PRIMARY KEY (a, b))")
	e.write(&decant.Batch{Scope: "s", Step: "p", Tables: []decant.TableRows{{Table: "pairs", Columns: []string{"a", "b", "v"}, Key: []string{"a", "b"},
		Rows: [][]any{{int64(1), "x", "1x"}, {int64(1), "y", "1y"}, {int64(2), "x", "2x"}}}}})
	e.write(&decant.Batch{Scope: "s", Step: "p", Deletes: []decant.RowDeletes{
		{Table: "pairs", By: []string{"a", "b"}, Keys: [][]any{{int64(1), "y"}, {int64(2), "y"}}},
	}})
	if got, want := e.rows("SELECT a, b, v FROM pairs ORDER BY a, b"), "1|x|1x\n2|x|2x\n"; got != want {
		t.Errorf("pairs after deleting (1,y) and (2,y):\n%s\nwant:\n%s", got, want)
	}
}

// Ensure a batch's deletes go before its rows: a key the batch deletes
// and writes again (the engine never puts both in one batch, but a store
// must not depend on it) ends with the new rows.
func testDeleteThenWriteInBatch(t *testing.T, e *env) {
	e.ordersWithLines()
	e.write(&decant.Batch{Scope: "s", Step: "orders", Deletes: orderDeletes(1),
		Tables: []decant.TableRows{
			{Table: "orders", Columns: []string{"id", "customer"}, Key: []string{"id"}, Rows: [][]any{{int64(1), "again"}}},
			{Table: "lines", Columns: []string{"order_id", "n", "sku"}, ReplaceBy: "order_id", Parents: []any{int64(1)}, Rows: [][]any{{int64(1), int64(5), "new"}}},
		}, Ledger: ledger("1:ok")})
	if got, want := e.rows("SELECT id, customer FROM orders ORDER BY id"), "1|again\n2|b\n3|c\n"; got != want {
		t.Errorf("orders:\n%s\nwant:\n%s", got, want)
	}
	if got, want := e.rows("SELECT order_id, n, sku FROM lines WHERE order_id = 1"), "1|5|new\n"; got != want {
		t.Errorf("lines of order 1:\n%s\nwant:\n%s", got, want)
	}
}

// Ensure a batch whose rows fail leaves its deletes undone along with
// everything else: the rows, the ledger and the checkpoint are as before.
func testDeleteAtomic(t *testing.T, e *env) {
	e.ordersWithLines()
	err := e.tryWrite(&decant.Batch{Scope: "s", Step: "orders", Deletes: orderDeletes(1, 2),
		Tables:     []decant.TableRows{{Table: "orders", Columns: []string{"id", "nope"}, Key: []string{"id"}, Rows: [][]any{{int64(3), "z"}}}},
		Ledger:     ledger("1:deleted", "2:deleted", "3:ok"),
		Checkpoint: decant.Position(`{"p":9}`)})
	if err == nil {
		t.Fatal("a batch writing a column the table lacks succeeded")
	}
	if got := e.count("orders"); got != 3 {
		t.Errorf("orders has %d rows after the failed batch, want 3", got)
	}
	if got := e.count("lines"); got != 4 {
		t.Errorf("lines has %d rows after the failed batch, want 4", got)
	}
	if got := e.rows("SELECT status FROM decant_ledger WHERE key = '1'"); got != "ok\n" {
		t.Errorf("ledger status of 1 = %q, want ok", got)
	}
	if pos, err := e.s.Checkpoint(e.ctx, "s", "orders"); err != nil || pos != nil {
		t.Errorf("Checkpoint = %s, %v; want none", pos, err)
	}
	err = e.tryWrite(&decant.Batch{Scope: "s", Step: "orders", Deletes: []decant.RowDeletes{{Table: "orders", By: []string{"nope"}, Keys: [][]any{{int64(1)}}}}})
	if !errors.Is(err, decant.ErrNotFound) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("deleting by a column the table lacks = %v, want decant.ErrNotFound naming the column", err)
	}
}

// Ensure LedgerKeys pages through one (scope, step)'s keys in byte order.
func testResetLedgerKeys(t *testing.T, e *env) {
	r := e.resetter()
	if keys, err := r.LedgerKeys(e.ctx, "s", "a", "", 10); err != nil || len(keys) != 0 {
		t.Fatalf("LedgerKeys of nothing = %v, %v", keys, err)
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("b:ok", "a:ok", "B:failed", "10:ok", "9:deleted")})
	e.write(&decant.Batch{Scope: "s", Step: "other", Ledger: ledger("zz:ok")})
	e.write(&decant.Batch{Scope: "t", Step: "a", Ledger: ledger("yy:ok")})
	var all []string
	after := ""
	for {
		keys, err := r.LedgerKeys(e.ctx, "s", "a", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			break
		}
		if len(keys) > 2 {
			t.Fatalf("LedgerKeys(limit 2) gave %v", keys)
		}
		all = append(all, keys...)
		after = keys[len(keys)-1]
	}
	if want := []string{"10", "9", "B", "a", "b"}; !slices.Equal(all, want) {
		t.Errorf("ledger keys = %v, want %v", all, want)
	}
}

// Ensure CountRows counts the rows a RowDeletes picks and deletes none.
func testResetCountRows(t *testing.T, e *env) {
	e.ordersWithLines()
	r := e.resetter()
	n, err := r.CountRows(e.ctx, orderDeletes(1, 3, 99)[0])
	if err != nil || n != 3 {
		t.Errorf("CountRows of lines of 1, 3 and 99 = %d, %v; want 3", n, err)
	}
	if n, err := r.CountRows(e.ctx, decant.RowDeletes{Table: "orders", By: []string{"id"}}); err != nil || n != 0 {
		t.Errorf("CountRows of no keys = %d, %v; want 0", n, err)
	}
	if got := e.count("lines"); got != 4 {
		t.Errorf("lines has %d rows after counting, want 4", got)
	}
}

// Ensure ResetState deletes every state row of one scope, and none of
// another's.
func testResetState(t *testing.T, e *env) {
	e.patchTables()
	fs := role[decant.FindingStore](e)
	for _, scope := range []string{"s", "other"} {
		e.write(&decant.Batch{Scope: scope, Step: "orders", Ledger: ledger("1:ok", "2:failed"),
			Errors: []decant.RecordError{{Key: "2", Message: "bad"}}, Audit: audit(2, 1, "c2"), Checkpoint: decant.Position(`{"p":2}`)})
		e.write(&decant.Batch{Scope: scope, Step: "orders", Chunk: "1", Checkpoint: decant.Position(`{"after":[2]}`)})
		if err := fs.StartVerify(e.ctx, decant.VerifyRun{Scope: scope, Run: "r1", Steps: []string{"orders"}}); err != nil {
			t.Fatal(err)
		}
		err := fs.ReplaceFindings(e.ctx, decant.FindingRun{Scope: scope, Step: "orders", Run: "r1",
			Progress: &decant.VerifyProgress{Scope: scope, Run: "r1", Step: "orders", Table: "p_orders"}},
			[]decant.Finding{{Table: "p_orders", Key: "1", Kind: decant.FindingMissing}})
		if err != nil {
			t.Fatal(err)
		}
		p := orderPatch(2, []any{int64(2), "bob", decant.Decimal("2")})
		p.Scope = scope
		e.apply(p)
	}
	// Step "gone" has nothing: its reset deletes nothing of orders.
	if err := e.resetter().ResetState(e.ctx, "s", "gone"); err != nil {
		t.Fatal(err)
	}
	if got := e.count("decant_ledger"); got != 4 {
		t.Errorf("ledger has %d rows after resetting another step, want 4", got)
	}
	if err := e.resetter().ResetState(e.ctx, "s", ""); err != nil {
		t.Fatal(err)
	}
	for _, table := range resetStateTables {
		q := "SELECT scope, count(*) FROM " + table + " GROUP BY scope ORDER BY scope"
		if got, want := e.rows(q), "other|"+map[bool]string{true: "2", false: "1"}[table == "decant_ledger"]+"\n"; got != want {
			t.Errorf("%s by scope after ResetState(s):\n%s\nwant:\n%s", table, got, want)
		}
	}
	if st := e.status("s"); len(st) != 0 {
		t.Errorf("Status(s) after ResetState = %+v, want nothing", st)
	}
}

// Ensure ResetState of one step deletes its state rows and keeps the
// other steps' and the scope's verify runs.
func testResetStateStep(t *testing.T, e *env) {
	fs := role[decant.FindingStore](e)
	for _, step := range []string{"a", "b"} {
		e.write(&decant.Batch{Scope: "s", Step: step, Ledger: ledger("1:ok", "2:failed"),
			Errors: []decant.RecordError{{Key: "2", Message: "bad"}}, Audit: audit(2, 1, "c2"), Checkpoint: decant.Position(`{"p":2}`)})
		e.write(&decant.Batch{Scope: "s", Step: step, Chunk: "1", Checkpoint: decant.Position(`{"after":[2]}`)})
	}
	if err := fs.StartVerify(e.ctx, decant.VerifyRun{Scope: "s", Run: "r1", Steps: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.resetter().ResetState(e.ctx, "s", "a"); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"decant_checkpoints", "decant_chunks", "decant_ledger", "decant_errors", "decant_batches"} {
		if got := e.rows("SELECT DISTINCT step FROM " + table); got != "b\n" {
			t.Errorf("%s steps after ResetState(s, a) = %q, want b only", table, got)
		}
	}
	if got := e.count("decant_verify_runs"); got != 1 {
		t.Errorf("decant_verify_runs has %d rows after resetting a step, want the run kept", got)
	}
}

// resetStateTables are the state tables that keep rows per scope.
var resetStateTables = []string{"decant_checkpoints", "decant_chunks", "decant_ledger", "decant_errors", "decant_batches",
	"decant_diffs", "decant_patches", "decant_verify_progress", "decant_verify_runs"}
