// Package storetest is the conformance suite every decant.Store runs, so
// that the stores keep one behaviour: each store's tests call [Run] with a
// [Harness] that opens the store on a fresh database.
package storetest

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// Harness connects the suite to one store implementation.
type Harness struct {
	// Open returns a store on a new, empty database, closed when the test
	// ends. The suite calls Init itself.
	Open func(t *testing.T) decant.Store
	// Exec runs one statement (DDL or DML) on s's database, outside any batch.
	Exec func(t *testing.T, s decant.Store, query string)
	// Query runs a query on s's database and returns its rows, each value
	// as text (a string) or nil for NULL.
	Query func(t *testing.T, s decant.Store, query string) [][]any
	// Types are the column types the suite's tables use.
	Types Types
}

// Types names the database's column types for each decant kind.
type Types struct {
	BigInt, Text, Float, Decimal, Bool, Date, Timestamp, TimestampTZ, JSON string
	// ExactDecimal is a type that gives back decimal text exactly as written
	// ("12.30"). It is Decimal where the database keeps decimals exactly;
	// SQLite turns text in NUMERIC columns into floats.
	ExactDecimal string
}

// Run runs the suite. Each subtest gets its own store and database.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, *env)
	}{
		{"InitTwice", testInitTwice},
		{"InitConcurrent", testInitConcurrent},
		{"Upsert", testUpsert},
		{"DuplicateKeyInBatch", testDuplicateKeyInBatch},
		{"ReplaceByParent", testReplaceByParent},
		{"TableTwice", testTableTwice},
		{"Rollback", testRollback},
		{"Unmapped", testUnmapped},
		{"UnmappedFromVersion9", testUnmappedFromVersion9},
		{"ErrorLifecycle", testErrorLifecycle},
		{"ErrorRetryByID", testErrorRetryByID},
		{"ErrorFilter", testErrorFilter},
		{"ErrorHistory", testErrorHistory},
		{"ResolveErrors", testResolveErrors},
		{"ErrorsFromVersion2", testErrorsFromVersion2},
		{"Savepoint", testSavepoint},
		{"LedgerByKey", testLedgerByKey},
		{"LedgerKeysByStatus", testLedgerKeysByStatus},
		{"Checkpoint", testCheckpoint},
		{"Lease", testLease},
		{"LeaseExpiry", testLeaseExpiry},
		{"LeaseHolder", testLeaseHolder},
		{"LeaseBreak", testLeaseBreak},
		{"Status", testStatus},
		{"StatusRate", testStatusRate},
		{"StatusSnapshot", testStatusSnapshot},
		{"ScopeStatusDropped", testScopeStatusDropped},
		{"Columns", testColumns},
		{"TableChanged", testTableChanged},
		{"MissingTable", testMissingTable},
		{"KeyWithoutUnique", testKeyWithoutUnique},
		{"Values", testValues},
		{"LargeBatch", testLargeBatch},
		{"Roles", testRoles},
		{"ReadRowsOrder", testReadRowsOrder},
		{"ReadRowsRanges", testReadRowsRanges},
		{"ReadRowsWhere", testReadRowsWhere},
		{"ReadRowsWhereParents", testReadRowsWhereParents},
		{"ScopedScript", testScopedScript},
		{"ReadRowsNotFound", testReadRowsNotFound},
		{"ReadRowsNullKey", testReadRowsNullKey},
		{"ReadRowsValues", testReadRowsValues},
		{"ReadRowsWrapped", testReadRowsWrapped},
		{"FindingsReplace", testFindingsReplace},
		{"FindingsRange", testFindingsRange},
		{"FindingsOrderRange", testFindingsOrderRange},
		{"FindingsOrderRangeRefused", testFindingsOrderRefused},
		{"VerifyProgressWithFindings", testVerifyProgressWithFindings},
		{"VerifyRuns", testVerifyRuns},
		{"VerifyFinishStep", testFinishVerifyStep},
		{"VerifyLive", testVerifyLive},
		{"VerifyProgressFromVersion5", testVerifyProgressFromVersion5},
		{"FindingsFilter", testFindingsFilter},
		{"FindingsColumns", testFindingsColumns},
		{"FindingsOddKeys", testFindingsOddKeys},
		{"FindingsRefused", testFindingsRefused},
		{"FindingsFromVersion3", testFindingsFromVersion3},
		{"StatusFindings", testStatusFindings},
		{"StatusFindingsFromVersion3", testStatusFindingsFromVersion3},
		{"PatchApplyRevert", testPatchApplyRevert},
		{"PatchChildren", testPatchChildren},
		{"PatchForeignKey", testPatchForeignKey},
		{"PatchRevertKeepsReferences", testPatchRevertKeepsReferences},
		{"PatchNewerFirst", testPatchNewerFirst},
		{"PatchChildColumnSets", testPatchChildColumnSets},
		{"PatchExactValues", testPatchExactValues},
		{"PatchRevertRefused", testPatchRevertRefused},
		{"PatchRollback", testPatchRollback},
		{"PatchStillDifferent", testPatchStillDifferent},
		{"PatchesFromVersion4", testPatchesFromVersion4},
		{"Lifecycle", testLifecycle},
		{"LifecycleRace", testLifecycleRace},
		{"LifecycleFromVersion6", testLifecycleFromVersion6},
	}
	tests = append(tests, deleteTests...)
	tests = append(tests, resetTests...)
	tests = append(tests, chunkTests...)
	tests = append(tests, ledgerBlockTests...)
	tests = append(tests, stagingTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, setup(t, h))
		})
	}
}

// env is one subtest's store and the helpers that use it.
type env struct {
	t   *testing.T
	h   Harness
	s   decant.Store
	ctx context.Context
}

func setup(t *testing.T, h Harness) *env {
	t.Helper()
	e := &env{t: t, h: h, s: h.Open(t), ctx: context.Background()}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init: %v", err)
	}
	return e
}

// exec runs DDL after putting the harness's type names in for the
// placeholders {bigint}, {text}, ...
func (e *env) exec(query string) {
	e.t.Helper()
	e.h.Exec(e.t, e.s, e.types(query))
}

func (e *env) types(query string) string {
	ty := e.h.Types
	return strings.NewReplacer("{bigint}", ty.BigInt, "{text}", ty.Text, "{float}", ty.Float,
		"{decimal}", ty.Decimal, "{exactdecimal}", ty.ExactDecimal, "{bool}", ty.Bool, "{date}", ty.Date,
		"{timestamp}", ty.Timestamp, "{timestamptz}", ty.TimestampTZ, "{json}", ty.JSON).Replace(query)
}

func (e *env) query(query string) [][]any {
	e.t.Helper()
	return e.h.Query(e.t, e.s, query)
}

// write writes b in a transaction of its own and commits it.
func (e *env) write(b *decant.Batch) {
	e.t.Helper()
	if err := e.tryWrite(b); err != nil {
		e.t.Fatalf("write batch: %v", err)
	}
}

func (e *env) tryWrite(b *decant.Batch) error {
	tx, err := e.s.Begin(e.ctx)
	if err != nil {
		return err
	}
	if err := e.s.WriteBatch(e.ctx, tx, b); err != nil {
		tx.Rollback(e.ctx)
		return err
	}
	return tx.Commit(e.ctx)
}

// rows returns a table's rows as text, ordered by the given columns.
func (e *env) rows(query string) string {
	e.t.Helper()
	var sb strings.Builder
	for _, r := range e.query(query) {
		for i, v := range r {
			if i > 0 {
				sb.WriteByte('|')
			}
			if v == nil {
				sb.WriteString("NULL")
			} else {
				sb.WriteString(text(v))
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

func (e *env) count(table string) int {
	e.t.Helper()
	r := e.query("SELECT count(*) FROM " + table)
	n, err := strconv.Atoi(text(r[0][0]))
	if err != nil {
		e.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func (e *env) errors(f decant.ErrorFilter) []decant.RecordError {
	e.t.Helper()
	errs, err := e.reader().Errors(e.ctx, f)
	if err != nil {
		e.t.Fatalf("Errors(%+v): %v", f, err)
	}
	return errs
}

func (e *env) status(scope string) []decant.StepStatus {
	e.t.Helper()
	st, err := e.reader().Status(e.ctx, scope)
	if err != nil {
		e.t.Fatalf("Status(%s): %v", scope, err)
	}
	return st
}

func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// ledger builds ledger entries: keys with a status each ("k1:ok", "k2:failed").
func ledger(entries ...string) []decant.LedgerEntry {
	out := make([]decant.LedgerEntry, len(entries))
	for i, e := range entries {
		key, status, _ := strings.Cut(e, ":")
		out[i] = decant.LedgerEntry{Key: key, SourceHash: "s-" + key, TargetHash: "t-" + key, Status: status}
	}
	return out
}

// audit describes a batch of total records started at a fixed time.
func audit(total, ok int, cursorTo string) *decant.BatchAudit {
	return &decant.BatchAudit{
		CursorFrom: "c0", CursorTo: cursorTo, Total: total, OK: ok, Failed: total - ok,
		Started:  time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		Duration: time.Second,
	}
}

// role returns the store's role R, failing the test when the store lacks
// it: every store of decant has every role (see decant.Store).
func role[R any](e *env) R {
	e.t.Helper()
	r, ok := decant.As[R](e.s)
	if !ok {
		e.t.Fatalf("store %T is not a %s", e.s, reflect.TypeFor[R]())
	}
	return r
}

func (e *env) initer() decant.StateInitializer { return role[decant.StateInitializer](e) }
func (e *env) leaser() decant.Leaser           { return role[decant.Leaser](e) }
func (e *env) reader() decant.StateReader      { return role[decant.StateReader](e) }
func (e *env) catalog() decant.Cataloger       { return role[decant.Cataloger](e) }
