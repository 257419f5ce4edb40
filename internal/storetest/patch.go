package storetest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/decanthq/decant"
)

func (e *env) patcher() decant.Patcher { return role[decant.Patcher](e) }

// patchTables makes a parent table with a column the plan does not map
// (note) and a child table, holding order 1 (two items) and order 2.
func (e *env) patchTables() {
	e.exec("CREATE TABLE p_orders (id {bigint} PRIMARY KEY, name {text}, amount {exactdecimal}, note {text})")
	e.exec("CREATE TABLE p_items (order_id {bigint} NOT NULL, sku {text}, qty {bigint})")
	e.exec("INSERT INTO p_orders VALUES (1, 'ann', '1.50', 'kept'), (2, 'bob', '2.00', NULL)")
	e.exec("INSERT INTO p_items VALUES (1, 'a', 1), (1, 'b', 2), (2, 'c', 3)")
}

func (e *env) apply(p *decant.Patch) {
	e.t.Helper()
	if err := e.patcher().ApplyPatch(e.ctx, p); err != nil {
		e.t.Fatalf("ApplyPatch(%s): %v", p.Key, err)
	}
}

func (e *env) revert(id int64, opts decant.RevertOptions) (*decant.Patch, error) {
	return e.patcher().RevertPatch(e.ctx, id, opts)
}

func (e *env) patches(f decant.PatchFilter) []decant.Patch {
	e.t.Helper()
	out, err := e.patcher().Patches(e.ctx, f)
	if err != nil {
		e.t.Fatalf("Patches(%+v): %v", f, err)
	}
	return out
}

func orderPatch(id int64, rows ...[]any) *decant.Patch {
	return &decant.Patch{Scope: "s", Step: "orders", Key: itoa(id), Reason: "test",
		Findings: []decant.Finding{{Scope: "s", Step: "orders", Table: "p_orders", Key: itoa(id), Kind: decant.FindingDiff,
			Columns: []decant.ColumnFinding{{Column: "name", Expected: str("ann"), Actual: str("x")}}}},
		Tables: []decant.PatchTable{{Table: "p_orders", By: []string{"id"}, Key: []any{id},
			Columns: []string{"id", "name", "amount"}, Rows: rows}}}
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// Ensure a patch writes the expected row over a diff, keeps the columns
// the plan does not map, stores the rows before and after with its
// findings and reason, and that a revert puts the row back and marks the
// patch reverted.
func testPatchApplyRevert(t *testing.T, e *env) {
	e.patchTables()
	p := orderPatch(1, []any{int64(1), "ANN", decant.Decimal("1.5")})
	e.apply(p)
	if p.ID == 0 || p.PatchedAt.IsZero() || len(p.Before) == 0 || len(p.After) == 0 {
		t.Fatalf("ApplyPatch filled ID %d, at %v, before %q, after %q", p.ID, p.PatchedAt, p.Before, p.After)
	}
	if got := e.rows("SELECT id, name, note FROM p_orders ORDER BY id"); got != "1|ANN|kept\n2|bob|NULL\n" {
		t.Errorf("rows after the patch:\n%s", got)
	}
	if !strings.Contains(string(p.Before), `"ann"`) || !strings.Contains(string(p.After), `"ANN"`) {
		t.Errorf("before %s, after %s: want the old and new name", p.Before, p.After)
	}
	got := e.patches(decant.PatchFilter{Scope: "s"})
	if len(got) != 1 || got[0].ID != p.ID || got[0].Key != "1" || got[0].Reason != "test" || got[0].Step != "orders" ||
		string(got[0].Before) != string(p.Before) || string(got[0].After) != string(p.After) ||
		len(got[0].Findings) != 1 || got[0].Findings[0].Columns[0].Column != "name" || got[0].RevertedAt != nil ||
		len(got[0].Tables) != 1 || got[0].Tables[0].Table != "p_orders" || got[0].Tables[0].By[0] != "id" {
		t.Fatalf("Patches = %+v", got)
	}
	// A missing row is inserted; its revert deletes it again.
	e.exec("DELETE FROM p_orders WHERE id = 2")
	p2 := orderPatch(2, []any{int64(2), "bob", decant.Decimal("2")})
	e.apply(p2)
	if got := e.rows("SELECT id, name FROM p_orders ORDER BY id"); got != "1|ANN\n2|bob\n" {
		t.Errorf("rows after patching a missing row:\n%s", got)
	}
	if _, err := e.revert(p2.ID, decant.RevertOptions{Reason: "undo"}); err != nil {
		t.Fatalf("revert the insert: %v", err)
	}
	if got := e.rows("SELECT id FROM p_orders ORDER BY id"); got != "1\n" {
		t.Errorf("rows after reverting an insert:\n%s", got)
	}
	r, err := e.revert(p.ID, decant.RevertOptions{Reason: "wrong fix"})
	if err != nil {
		t.Fatalf("RevertPatch: %v", err)
	}
	if r.RevertedAt == nil || r.RevertReason != "wrong fix" {
		t.Errorf("revert returned %+v", r)
	}
	if got := e.rows("SELECT id, name, amount, note FROM p_orders ORDER BY id"); got != "1|ann|1.50|kept\n" {
		t.Errorf("rows after the revert:\n%s", got)
	}
	if got := e.patches(decant.PatchFilter{ID: p.ID}); len(got) != 1 || got[0].RevertedAt == nil || got[0].RevertReason != "wrong fix" {
		t.Errorf("Patches after the revert = %+v", got)
	}
	// An extra row is deleted, and its revert puts it back.
	p3 := orderPatch(1)
	e.apply(p3)
	if got := e.rows("SELECT id FROM p_orders"); got != "" {
		t.Errorf("rows after patching an extra row away:\n%s", got)
	}
	if _, err := e.revert(p3.ID, decant.RevertOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT id, name, amount, note FROM p_orders ORDER BY id"); got != "1|ann|1.50|kept\n" {
		t.Errorf("rows after reverting a delete:\n%s", got)
	}
	if got := e.patches(decant.PatchFilter{Key: "1"}); len(got) != 2 || got[0].ID != p3.ID || got[1].ID != p.ID {
		t.Errorf("Patches of key 1, newest first = %+v", got)
	}
}

// Ensure a patch replaces a record's child rows as a whole, and a revert
// puts every one back, duplicates included.
func testPatchChildren(t *testing.T, e *env) {
	e.patchTables()
	e.exec("INSERT INTO p_items VALUES (1, 'b', 2)") // a duplicate row
	p := &decant.Patch{Scope: "s", Step: "orders", Key: "1", Reason: "items", Tables: []decant.PatchTable{
		{Table: "p_orders", By: []string{"id"}, Key: []any{int64(1)}, Columns: []string{"id", "name"}, Rows: [][]any{{int64(1), "ann"}}},
		{Table: "p_items", By: []string{"order_id"}, Key: []any{int64(1)}, Child: true, Columns: []string{"order_id", "sku", "qty"},
			Rows: [][]any{{int64(1), "z", int64(9)}}},
	}}
	e.apply(p)
	if got := e.rows("SELECT order_id, sku, qty FROM p_items ORDER BY order_id, sku"); got != "1|z|9\n2|c|3\n" {
		t.Errorf("child rows after the patch:\n%s", got)
	}
	if _, err := e.revert(p.ID, decant.RevertOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT order_id, sku, qty FROM p_items ORDER BY order_id, sku, qty"); got != "1|a|1\n1|b|2\n1|b|2\n2|c|3\n" {
		t.Errorf("child rows after the revert:\n%s", got)
	}
}

// Ensure a patch and its revert keep a foreign key from child to parent
// true at every statement: deleting an extra parent with its children,
// and putting both back, and inserting a missing parent with its children
// and taking both out again.
func testPatchForeignKey(t *testing.T, e *env) {
	e.exec("CREATE TABLE f_orders (id {bigint} PRIMARY KEY, name {text})")
	e.exec("CREATE TABLE f_items (order_id {bigint} NOT NULL REFERENCES f_orders (id), sku {text})")
	e.exec("INSERT INTO f_orders VALUES (1, 'ann')")
	e.exec("INSERT INTO f_items VALUES (1, 'a'), (1, 'b')")
	record := func(rows bool) *decant.Patch {
		p := &decant.Patch{Scope: "s", Step: "f", Key: "1", Reason: "r", Tables: []decant.PatchTable{
			{Table: "f_orders", By: []string{"id"}, Key: []any{int64(1)}, Columns: []string{"id", "name"}},
			{Table: "f_items", By: []string{"order_id"}, Key: []any{int64(1)}, Child: true, Columns: []string{"order_id", "sku"}},
		}}
		if rows {
			p.Tables[0].Rows = [][]any{{int64(1), "ann"}}
			p.Tables[1].Rows = [][]any{{int64(1), "a"}, {int64(1), "c"}}
		}
		return p
	}
	del := record(false)
	e.apply(del)
	if got := e.rows("SELECT count(*) FROM f_items"); got != "0\n" {
		t.Errorf("child rows after deleting the record: %s", got)
	}
	if _, err := e.revert(del.ID, decant.RevertOptions{}); err != nil {
		t.Fatalf("revert of a deleted record with children: %v", err)
	}
	if got := e.rows("SELECT order_id, sku FROM f_items ORDER BY sku"); got != "1|a\n1|b\n" {
		t.Errorf("child rows after the revert: %s", got)
	}
	e.exec("DELETE FROM f_items")
	e.exec("DELETE FROM f_orders")
	ins := record(true)
	e.apply(ins)
	if got := e.rows("SELECT order_id, sku FROM f_items ORDER BY sku"); got != "1|a\n1|c\n" {
		t.Errorf("child rows after inserting the record: %s", got)
	}
	if _, err := e.revert(ins.ID, decant.RevertOptions{}); err != nil {
		t.Fatalf("revert of an inserted record with children: %v", err)
	}
	if got := e.rows("SELECT count(*) FROM f_orders"); got != "0\n" {
		t.Errorf("parent rows after the revert: %s", got)
	}
	// A row another table refers to cannot go: the revert says why.
	ins = record(true)
	ins.Tables = ins.Tables[:1]
	e.apply(ins)
	e.exec("INSERT INTO f_items VALUES (1, 'z')")
	if _, err := e.revert(ins.ID, decant.RevertOptions{Force: true}); err == nil || !strings.Contains(err.Error(), "rows of another table refer to") {
		t.Errorf("revert of a row others refer to = %v, want refused saying why", err)
	}
}

// Ensure a revert of a patched row puts its values back in place: rows of
// other tables that refer to it, with ON DELETE CASCADE or without, stay.
func testPatchRevertKeepsReferences(t *testing.T, e *env) {
	e.exec("CREATE TABLE r_orders (id {bigint} PRIMARY KEY, name {text})")
	e.exec("CREATE TABLE r_notes (order_id {bigint} NOT NULL REFERENCES r_orders (id) ON DELETE CASCADE, note {text})")
	e.exec("CREATE TABLE r_refs (order_id {bigint} NOT NULL REFERENCES r_orders (id))")
	e.exec("INSERT INTO r_orders VALUES (1, 'ann')")
	e.exec("INSERT INTO r_notes VALUES (1, 'keep me')")
	e.exec("INSERT INTO r_refs VALUES (1)")
	p := &decant.Patch{Scope: "s", Step: "r", Key: "1", Reason: "r", Tables: []decant.PatchTable{{Table: "r_orders",
		By: []string{"id"}, Key: []any{int64(1)}, Columns: []string{"id", "name"}, Rows: [][]any{{int64(1), "ANN"}}}}}
	e.apply(p)
	if _, err := e.revert(p.ID, decant.RevertOptions{}); err != nil {
		t.Fatalf("revert of a row other tables refer to: %v", err)
	}
	if got := e.rows("SELECT o.name, n.note FROM r_orders o JOIN r_notes n ON n.order_id = o.id"); got != "ann|keep me\n" {
		t.Errorf("after the revert, the order and its note: %q", got)
	}
}

// Ensure an older patch of a record cannot be reverted while a newer one
// holds, even when both wrote the same rows; newest first works.
func testPatchNewerFirst(t *testing.T, e *env) {
	e.patchTables()
	first := orderPatch(1, []any{int64(1), "ANN", decant.Decimal("1.5")})
	e.apply(first)
	e.exec("UPDATE p_orders SET name = 'again' WHERE id = 1")
	second := orderPatch(1, []any{int64(1), "ANN", decant.Decimal("1.5")})
	e.apply(second)
	if _, err := e.revert(first.ID, decant.RevertOptions{Force: true}); !errors.Is(err, decant.ErrPatchNewer) ||
		!strings.Contains(err.Error(), "patch "+itoa(second.ID)) {
		t.Fatalf("revert of the older patch = %v, want ErrPatchNewer naming patch %d", err, second.ID)
	}
	if _, err := e.revert(second.ID, decant.RevertOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT name FROM p_orders WHERE id = 1"); got != "again\n" {
		t.Errorf("after reverting the newer patch: %s", got)
	}
	if _, err := e.revert(first.ID, decant.RevertOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT name FROM p_orders WHERE id = 1"); got != "ann\n" {
		t.Errorf("after reverting both: %s", got)
	}
}

// Ensure a child table whose rows carry different columns (a fields
// mapping), given once per set of columns, gets all its rows, and that
// the images name it once and the revert puts its rows back once.
func testPatchChildColumnSets(t *testing.T, e *env) {
	e.patchTables()
	child := func(cols []string, rows ...[]any) decant.PatchTable {
		return decant.PatchTable{Table: "p_items", By: []string{"order_id"}, Key: []any{int64(1)}, Child: true, Columns: cols, Rows: rows}
	}
	p := &decant.Patch{Scope: "s", Step: "orders", Key: "1", Reason: "r", Tables: []decant.PatchTable{
		child([]string{"order_id", "sku", "qty"}, []any{int64(1), "x", int64(1)}),
		child([]string{"order_id", "sku"}, []any{int64(1), "y"}),
	}}
	e.apply(p)
	if got := e.rows("SELECT sku, qty FROM p_items WHERE order_id = 1 ORDER BY sku"); got != "x|1\ny|NULL\n" {
		t.Errorf("child rows after the patch: %q", got)
	}
	if n := strings.Count(string(p.After), `"p_items"`); n != 1 {
		t.Errorf("the after rows name p_items %d times: %s", n, p.After)
	}
	if _, err := e.revert(p.ID, decant.RevertOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT sku, qty FROM p_items WHERE order_id = 1 ORDER BY sku"); got != "a|1\nb|2\n" {
		t.Errorf("child rows after the revert: %q", got)
	}
}

// Ensure the revert gives back every column's value as it was: exact
// decimals, timestamps, floats, JSON text, NULL apart from ”, and the
// columns no patch writes.
func testPatchExactValues(t *testing.T, e *env) {
	e.exec("CREATE TABLE p_vals (id {bigint} PRIMARY KEY, d {exactdecimal}, f {float}, ts {timestamptz}, j {json}, e {text}, n {text}, b {bool})")
	e.exec(`INSERT INTO p_vals VALUES (1, '12.30', 0.1, '2024-03-01T10:00:00.123456Z', '{"b": 1,  "a": [1, 2.50]}', '', NULL, true)`)
	before := e.rows("SELECT id, d, f, ts, j, e, n, b FROM p_vals")
	p := &decant.Patch{Scope: "s", Step: "v", Key: "1", Reason: "r", Tables: []decant.PatchTable{{Table: "p_vals", By: []string{"id"},
		Key: []any{int64(1)}, Columns: []string{"id", "d", "f", "j", "e", "n"},
		Rows: [][]any{{int64(1), decant.Decimal("99"), 2.5, decant.JSON(`{"a":1}`), nil, "x"}}}}}
	e.apply(p)
	if got := e.rows("SELECT id, d, f, ts, j, e, n, b FROM p_vals"); got == before {
		t.Fatalf("the patch changed nothing: %s", got)
	}
	if _, err := e.revert(p.ID, decant.RevertOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT id, d, f, ts, j, e, n, b FROM p_vals"); got != before {
		t.Errorf("after the revert:\n%s\nwant as before the patch:\n%s", got, before)
	}
}

// Ensure a revert is refused when the rows changed since the patch,
// unless forced, and refused a second time; and that a patch of a missing
// table or an unknown id says so.
func testPatchRevertRefused(t *testing.T, e *env) {
	e.patchTables()
	p := orderPatch(1, []any{int64(1), "ANN", decant.Decimal("1.5")})
	e.apply(p)
	e.exec("UPDATE p_orders SET note = 'touched' WHERE id = 1")
	if _, err := e.revert(p.ID, decant.RevertOptions{}); !errors.Is(err, decant.ErrPatchChanged) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("revert after the row changed = %v, want ErrPatchChanged saying --force", err)
	}
	if got := e.rows("SELECT name, note FROM p_orders WHERE id = 1"); got != "ANN|touched\n" {
		t.Errorf("a refused revert wrote: %s", got)
	}
	if got := e.patches(decant.PatchFilter{ID: p.ID}); got[0].RevertedAt != nil {
		t.Errorf("a refused revert marked the patch reverted")
	}
	if _, err := e.revert(p.ID, decant.RevertOptions{Force: true, Reason: "forced"}); err != nil {
		t.Fatalf("forced revert: %v", err)
	}
	if got := e.rows("SELECT name, note FROM p_orders WHERE id = 1"); got != "ann|kept\n" {
		t.Errorf("after a forced revert: %s", got)
	}
	if _, err := e.revert(p.ID, decant.RevertOptions{Force: true}); !errors.Is(err, decant.ErrPatchReverted) {
		t.Errorf("second revert = %v, want ErrPatchReverted", err)
	}
	if got := e.rows("SELECT name, note FROM p_orders WHERE id = 1"); got != "ann|kept\n" {
		t.Errorf("a refused second revert wrote: %s", got)
	}
	if _, err := e.revert(p.ID+100, decant.RevertOptions{}); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("revert of an unknown patch = %v, want ErrNotFound", err)
	}
	bad := orderPatch(1, []any{int64(1), "x", decant.Decimal("1")})
	bad.Tables[0].Table = "p_nope"
	if err := e.patcher().ApplyPatch(e.ctx, bad); !errors.Is(err, decant.ErrNotFound) || !strings.Contains(err.Error(), "p_nope") {
		t.Errorf("patch of a missing table = %v, want ErrNotFound naming it", err)
	}
}

// Ensure a patch that fails, or whose context is cancelled, leaves no
// patch record and no row changed.
func testPatchRollback(t *testing.T, e *env) {
	e.patchTables()
	p := &decant.Patch{Scope: "s", Step: "orders", Key: "1", Reason: "r", Tables: []decant.PatchTable{
		{Table: "p_orders", By: []string{"id"}, Key: []any{int64(1)}, Columns: []string{"id", "name"}, Rows: [][]any{{int64(1), "NEW"}}},
		{Table: "p_items", By: []string{"order_id"}, Key: []any{int64(1)}, Child: true, Columns: []string{"order_id", "nope"},
			Rows: [][]any{{int64(1), "z"}}},
	}}
	if err := e.patcher().ApplyPatch(e.ctx, p); err == nil {
		t.Fatal("a patch naming a column the table lacks succeeded")
	}
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	if err := e.patcher().ApplyPatch(ctx, orderPatch(1, []any{int64(1), "NEW", decant.Decimal("1")})); err == nil {
		t.Fatal("a patch with a cancelled context succeeded")
	}
	if got := e.rows("SELECT name FROM p_orders WHERE id = 1"); got != "ann\n" {
		t.Errorf("a failed patch wrote the row: %s", got)
	}
	if got := e.rows("SELECT count(*) FROM p_items WHERE order_id = 1"); got != "2\n" {
		t.Errorf("a failed patch wrote the child rows: %s", got)
	}
	if got := e.patches(decant.PatchFilter{}); len(got) != 0 {
		t.Errorf("a failed patch was stored: %+v", got)
	}
}

// Ensure a patch is listed as still different when a verify after it
// found its record different again, and not for findings from before.
func testPatchStillDifferent(t *testing.T, e *env) {
	e.patchTables()
	run := decant.FindingRun{Scope: "s", Step: "orders", Run: "r1"}
	e.replace(run, found("p_orders", "1:diff"))
	p := orderPatch(1, []any{int64(1), "ANN", decant.Decimal("1.5")})
	e.apply(p)
	if got := e.patches(decant.PatchFilter{}); got[0].StillDifferent {
		t.Errorf("a finding from before the patch makes it still different")
	}
	run.Run = "r2"
	e.replace(run, found("p_orders", "1:change"))
	if got := e.patches(decant.PatchFilter{}); got[0].StillDifferent {
		t.Errorf("a change (an accepted difference) makes the patch still different")
	}
	e.replace(run, found("p_orders", "1:diff"))
	if got := e.patches(decant.PatchFilter{}); !got[0].StillDifferent {
		t.Errorf("a diff found after the patch does not make it still different")
	}
}

// Ensure Patches on a database without decant's tables, or with tables
// older than version 5, lists none and creates nothing, and that Init
// upgrades them.
func testPatchesFromVersion4(t *testing.T, e *env) {
	fresh := e.h.Open(t)
	pf, ok := decant.As[decant.Patcher](fresh)
	if !ok {
		t.Fatalf("%T is not a decant.Patcher", fresh)
	}
	if got, err := pf.Patches(e.ctx, decant.PatchFilter{}); err != nil || len(got) != 0 {
		t.Errorf("Patches on a database decant never wrote = %v, %v; want none", got, err)
	}
	e.dropVersion6()
	e.exec("DROP TABLE decant_patches")
	e.exec("UPDATE decant_schema SET version = 4")
	if got := e.patches(decant.PatchFilter{}); len(got) != 0 {
		t.Errorf("Patches on version 4 tables = %+v", got)
	}
	e.exec("CREATE TABLE decant_patches (x int)") // Patches created nothing
	e.exec("DROP TABLE decant_patches")
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 4: %v", err)
	}
	e.patchTables()
	e.apply(orderPatch(1, []any{int64(1), "ANN", decant.Decimal("1.5")}))
	if got := e.patches(decant.PatchFilter{}); len(got) != 1 {
		t.Errorf("Patches after the upgrade = %+v", got)
	}
}
