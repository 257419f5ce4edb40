package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/decanthq/decant"
)

// WriteBatch writes everything b holds in the transaction dtx.
//
// Deletes go first, in order, then Tables in the batch's order. For a child table (ReplaceBy),
// the rows of the batch's parents are deleted first. Rows repeating a key
// within the batch are dropped but the last. Rows then go in with COPY, in
// the text format, so the server parses each value with its column's own
// type and names the column and row of a bad one:
//
//   - straight into the table when it has no key, or when the keys are all
//     new (tried inside a savepoint: COPY is about twice as fast as an
//     upsert, and a first load, where speed matters most, has no conflicts);
//   - else into a temporary table, then INSERT ... ON CONFLICT (key) DO
//     UPDATE. After a conflict, a table's next batches take this path
//     directly for a while, so that live runs, which update all the time,
//     do not pay for the failed attempt on every batch.
//
// The ledger block (one row of arrays for the whole batch), errors, their
// resolution, the audit row and the checkpoint follow in one pipelined
// round trip.
func (s *Store) WriteBatch(ctx context.Context, dtx decant.Tx, b *decant.Batch) error {
	t, err := s.txOf(dtx)
	if err != nil {
		return err
	}
	if err := s.writeBatch(ctx, t, b); err != nil {
		if transient(err) {
			return fmt.Errorf("postgres: write batch of %s/%s: %w: %w", b.Scope, b.Step, decant.ErrTransient, err)
		}
		return fmt.Errorf("postgres: write batch of %s/%s: %w", b.Scope, b.Step, err)
	}
	return nil
}

// transient reports whether err says nothing about the rows: a deadlock,
// a serialization failure, a lock or statement timeout, a cancelled query,
// too little memory or disk, a lost connection. Retried later, the same
// rows may well go in.
func transient(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03":
		return true
	}
	return strings.HasPrefix(pe.Code, "53") || strings.HasPrefix(pe.Code, "08")
}

func (s *Store) writeBatch(ctx context.Context, t *tx, b *decant.Batch) error {
	for i := range b.Deletes {
		if err := s.deleteRows(ctx, t, &b.Deletes[i]); err != nil {
			s.forget(b.Deletes[i].Table)
			return err
		}
	}
	for i := range b.Tables {
		if err := s.writeRows(ctx, t, &b.Tables[i]); err != nil {
			s.forget(b.Tables[i].Table)
			return err
		}
	}
	var p pipeline
	queueState(&p, b)
	return p.run(ctx, t)
}

// load is a set of rows on their way into one table.
type load struct {
	name    string   // the table as the batch names it, for messages
	ident   string   // the table, quoted
	columns []string // the columns the rows fill
	key     []string // the upsert key; empty: plain inserts
	// optimism names the load in Store.pessimism.
	optimism string
	data     copyText
}

func (s *Store) writeRows(ctx context.Context, t *tx, tr *decant.TableRows) error {
	tbl, err := s.table(ctx, t, tr.Table)
	if err != nil {
		return err
	}
	if check(tbl, tr) != nil {
		// The cached description may predate a change to the table.
		s.forget(tr.Table)
		if tbl, err = s.table(ctx, t, tr.Table); err != nil {
			return err
		}
		if err := check(tbl, tr); err != nil {
			return err
		}
	}
	if err := deleteReplaced(ctx, t, tbl, tr); err != nil {
		return err
	}
	if len(tr.Rows) == 0 {
		return nil
	}
	l := &load{name: tr.Table, ident: tbl.ident, columns: tr.Columns, key: tr.Key, optimism: tr.Table}
	if err := render(&l.data, tbl, tr); err != nil {
		return err
	}
	return s.load(ctx, t, l)
}

// check reports columns the batch names that the table lacks, before the
// server would, and with their table.
func check(tbl *table, tr *decant.TableRows) error {
	cols := append(slices.Clone(tr.Columns), tr.Key...)
	if tr.ReplaceBy != "" {
		cols = append(cols, tr.ReplaceBy)
	}
	for _, c := range cols {
		if _, ok := tbl.kind[c]; !ok {
			return fmt.Errorf("table %s: column %s: %w", tr.Table, c, decant.ErrNotFound)
		}
	}
	for _, k := range tr.Key {
		if !slices.Contains(tr.Columns, k) {
			return fmt.Errorf("table %s: key column %s is not among the batch's columns", tr.Table, k)
		}
	}
	// Without a unique index on the key, a replay would add the rows again
	// (the plain COPY meets no conflict) instead of replacing them.
	if len(tr.Key) > 0 && !tbl.hasUnique(tr.Key) {
		return fmt.Errorf("table %s: no primary key or unique constraint on (%s) to upsert on", tr.Table, strings.Join(tr.Key, ", "))
	}
	return nil
}

// deleteReplaced deletes the rows of a child table whose parent is in the batch.
func deleteReplaced(ctx context.Context, t *tx, tbl *table, tr *decant.TableRows) error {
	if tr.ReplaceBy == "" || len(tr.Parents) == 0 {
		return nil
	}
	kind := tbl.kind[tr.ReplaceBy]
	parents := make([]string, 0, len(tr.Parents))
	for _, p := range tr.Parents {
		s, null, err := format(kind, p)
		if err != nil {
			return fmt.Errorf("table %s: parent key %v: %w", tr.Table, p, err)
		}
		if !null {
			parents = append(parents, s)
		}
	}
	sql := fmt.Sprintf("DELETE FROM %s WHERE %s = ANY($1::text[]::%s[])",
		tbl.ident, pgx.Identifier{tr.ReplaceBy}.Sanitize(), tbl.base[tr.ReplaceBy])
	if _, err := t.Exec(ctx, sql, parents); err != nil {
		return translate("delete replaced rows of", tr.Table, err)
	}
	return nil
}

// load writes l's rows, trying a plain COPY first when the way is clear.
func (s *Store) load(ctx context.Context, t *tx, l *load) error {
	if l.data.rows == 0 {
		return nil
	}
	if len(l.key) == 0 {
		return t.copyInto(ctx, l, l.ident)
	}
	if s.optimistic(l.optimism) {
		done, err := t.tryCopy(ctx, l)
		if done || err != nil {
			return err
		}
		s.conflicted(l.optimism)
	}
	return t.upsert(ctx, l)
}

// tryCopy copies l's rows straight into their table inside a savepoint. It
// returns false, with the savepoint rolled back, when a key already exists.
func (t *tx) tryCopy(ctx context.Context, l *load) (done bool, err error) {
	if _, err := t.Exec(ctx, "SAVEPOINT decant_copy"); err != nil {
		return false, fmt.Errorf("savepoint: %w", err)
	}
	err = t.copyInto(ctx, l, l.ident)
	var pe *pgconn.PgError
	if err == nil {
		_, err = t.Exec(ctx, "RELEASE SAVEPOINT decant_copy")
		return err == nil, err
	}
	if !errors.As(err, &pe) || pe.Code != "23505" { // unique_violation
		return false, err
	}
	// Released too, so a conflicting load leaves no subtransaction open
	// until the batch's own savepoint ends.
	if _, err := t.Exec(ctx, "ROLLBACK TO SAVEPOINT decant_copy; RELEASE SAVEPOINT decant_copy"); err != nil {
		return false, fmt.Errorf("rollback to savepoint: %w", err)
	}
	return false, nil
}

// upsert copies l's rows into a temporary table shaped like the target
// columns, then moves them with INSERT ... ON CONFLICT.
func (t *tx) upsert(ctx context.Context, l *load) error {
	tmp := t.tempName()
	cols := columnList(l.columns)
	ddl := fmt.Sprintf("CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA", tmp, cols, l.ident)
	if _, err := t.Exec(ctx, ddl); err != nil {
		return translate("create temporary table for", l.name, err)
	}
	if err := t.copyInto(ctx, l, tmp); err != nil {
		return err
	}
	sql := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s ON CONFLICT (%s)%s",
		l.ident, cols, cols, tmp, columnList(l.key), onConflict(l))
	if _, err := t.Exec(ctx, sql); err != nil {
		return translate("upsert rows into", l.name, err)
	}
	return nil
}

// copyInto copies l's rows into the columns of l's table or of a temporary
// table shaped like it.
func (t *tx) copyInto(ctx context.Context, l *load, into string) error {
	sql := "COPY " + into + " (" + columnList(l.columns) + ") FROM STDIN"
	if _, err := t.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(l.data.buf), sql); err != nil {
		return translate("copy rows into", l.name, err)
	}
	return nil
}

// onConflict replaces every non-key column with the incoming value.
func onConflict(l *load) string {
	var set []string
	for _, c := range l.columns {
		if !slices.Contains(l.key, c) {
			q := pgx.Identifier{c}.Sanitize()
			set = append(set, q+" = EXCLUDED."+q)
		}
	}
	if len(set) == 0 {
		return " DO NOTHING"
	}
	return " DO UPDATE SET " + strings.Join(set, ", ")
}

func columnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}

// pessimistRuns is how many batches of a table skip the plain COPY after
// one of them met an existing key.
const pessimistRuns = 50

// optimistic reports whether to try a plain COPY for the load named name.
func (s *Store) optimistic(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.pessimism[name]
	switch {
	case n == 0:
		return true
	case n == 1:
		delete(s.pessimism, name)
	default:
		s.pessimism[name] = n - 1
	}
	return false
}

func (s *Store) conflicted(name string) {
	s.mu.Lock()
	s.pessimism[name] = pessimistRuns
	s.mu.Unlock()
}

// pipeline sends statements in one round trip and names the one that failed.
type pipeline struct {
	batch pgx.Batch
	ops   []string // what each statement does, for errors
}

func (p *pipeline) add(op, sql string, args ...any) {
	p.batch.Queue(sql, args...)
	p.ops = append(p.ops, op)
}

func (p *pipeline) run(ctx context.Context, t *tx) error {
	if p.batch.Len() == 0 {
		return nil
	}
	br := t.SendBatch(ctx, &p.batch)
	for _, op := range p.ops {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	return br.Close()
}
