package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// ErrIrreversible: Down was asked to revert a migration it cannot: one
// without a down section, no longer in the directory, changed since it was
// applied, or a batched one still part-way.
var ErrIrreversible = errors.New("migrations cannot be reverted")

// Down reverts the applied versioned migrations numbered above to, newest
// first, under the migration lock: it runs each one's down section (a Go
// migration's Down) and deletes its ledger row, in one transaction per
// migration (statement by statement when the file opts out of
// transactions), and logs it as "reverted". to = 0 reverts them all.
// Repeatable migrations are left as they are: they follow the newest
// schema, so a down section that breaks a view should drop it.
//
// Before it runs anything, Down checks every migration to revert and
// refuses with ErrIrreversible, naming each problem, if any of them has no
// down section, is no longer in the directory, was changed since it was
// applied, or is a batched migration with a saved cursor. A down section
// that fails stops Down with a *StepError (its Down field set): the
// migrations reverted before it stay reverted, the failed one stays applied.
// Down returns the ledger rows it removed, in the order it reverted them.
func Down(ctx context.Context, db *sql.DB, fsys fs.FS, to int64, opts Options) ([]Applied, error) {
	if to < 0 {
		return nil, fmt.Errorf("down: %d is not a migration number (0 reverts every migration)", to)
	}
	c, set, applied, unlock, err := session(ctx, db, fsys, opts)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cursors, err := c.cursors(ctx)
	if err != nil {
		return nil, err
	}
	todo, err := toRevert(set, applied, cursors, to)
	if err != nil {
		return nil, err
	}
	reverted := []Applied{}
	for _, a := range todo {
		if err := c.revert(ctx, set.find(a.ID), a); err != nil {
			return reverted, err
		}
		reverted = append(reverted, a)
	}
	return reverted, nil
}

// CheckDown lists what Down(to) would revert, newest first, or refuses
// with ErrIrreversible, naming each problem, as Down does before it runs
// anything. It takes no lock and changes nothing, so a caller can check
// before it does work that a refused Down would leave half done (reset
// --migrations, before it deletes rows). A database without a ledger has
// nothing to revert.
func CheckDown(ctx context.Context, db *sql.DB, fsys fs.FS, to int64, opts Options) ([]Applied, error) {
	set, c, err := loadConn(db, fsys, opts)
	if err != nil {
		return nil, err
	}
	if exists, err := c.ledgerExists(ctx); err != nil || !exists {
		return nil, err
	}
	applied, err := c.applied(ctx)
	if err != nil {
		return nil, err
	}
	cursors, err := c.cursors(ctx)
	if err != nil {
		return nil, err
	}
	return toRevert(set, applied, cursors, to)
}

// toRevert lists the applied versioned migrations above to, newest first,
// or says why they cannot all be reverted.
func toRevert(set *Set, applied map[string]Applied, cursors map[string][2]string, to int64) ([]Applied, error) {
	var todo []Applied
	for _, a := range applied {
		if a.Kind != KindRepeatable && a.Number > to {
			todo = append(todo, a)
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].Number > todo[j].Number })
	var probs []string
	for _, a := range todo {
		m := set.find(a.ID)
		switch {
		case m == nil:
			probs = append(probs, fmt.Sprintf("migration %s (%s) is applied but no longer in the directory", a.ID, a.Name))
		case m.Checksum != a.Checksum:
			probs = append(probs, fmt.Sprintf("%s changed since it was applied; its down section may not undo what ran", m))
		case !m.HasDown():
			probs = append(probs, fmt.Sprintf("%s has no down section", m))
		}
	}
	for _, m := range set.Versioned {
		if _, ok := cursors[m.ID()]; ok && m.Number > to {
			probs = append(probs, fmt.Sprintf("%s is a batched migration part-way (cursor saved); run `decant db up` to finish it first", m))
		}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("%w; nothing was reverted:\n  %s", ErrIrreversible, strings.Join(probs, "\n  "))
	}
	return todo, nil
}

// revert runs m's down section and removes its ledger row, in one
// transaction unless m runs without one.
func (c *conn) revert(ctx context.Context, m *Migration, a Applied) error {
	start := time.Now()
	c.report(Event{Migration: m, What: "start"})
	var err error
	if m.NoTx && m.goMig == nil {
		err = c.revertNoTx(ctx, m)
	} else {
		err = c.revertTx(ctx, m)
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("reverting migration %s stopped: %w", m, ctx.Err())
		}
		se := &StepError{Migration: m, Err: err}
		errors.As(err, &se)
		se.Down = true
		if lerr := c.log(context.WithoutCancel(ctx), c.db, m.ID(), "down failed", a.Checksum, se.Error()); lerr != nil {
			return errors.Join(se, lerr)
		}
		return se
	}
	c.report(Event{Migration: m, What: "done", Duration: time.Since(start)})
	return nil
}

func (c *conn) revertTx(ctx context.Context, m *Migration) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if g := m.goMig; g != nil {
		if err := safely(func() error { return g.Down(ctx, tx) }); err != nil {
			return err
		}
	} else if err := c.execStatements(ctx, tx, m, m.down); err != nil {
		return err
	}
	if err := c.unrecord(ctx, tx, m); err != nil {
		return err
	}
	return tx.Commit()
}

// revertNoTx runs the down statements one by one, then removes the row: a
// failure part-way leaves the migration applied and its down half done, as
// with any statement that cannot run in a transaction.
func (c *conn) revertNoTx(ctx context.Context, m *Migration) error {
	if err := c.execStatements(ctx, c.db, m, m.down); err != nil {
		return err
	}
	return c.unrecord(ctx, c.db, m)
}

// unrecord deletes m's ledger row and logs the revert.
func (c *conn) unrecord(ctx context.Context, x execer, m *Migration) error {
	if _, err := x.ExecContext(ctx, c.q(`DELETE FROM decant_migrations WHERE id = $1`), m.ID()); err != nil {
		return fmt.Errorf("remove %s from the ledger: %w", m, err)
	}
	return c.log(ctx, x, m.ID(), "reverted", m.Checksum, "")
}
