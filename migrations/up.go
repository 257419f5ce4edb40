package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"golang.org/x/mod/semver"
)

// Up applies the pending migrations of fsys and opts.Go in number order,
// then the repeatable ones whose text changed, under the migration lock.
// It first refuses applied migrations whose text changed (ErrChecksum).
// It is meant to be called at start-up by every replica: one applies, the
// others wait for the lock and then find nothing to do.
func Up(ctx context.Context, db *sql.DB, fsys fs.FS, opts Options) (*Result, error) {
	set, c, err := loadConn(db, fsys, opts)
	if err != nil {
		return nil, err
	}
	return c.up(ctx, set, opts)
}

func (c *conn) up(ctx context.Context, set *Set, opts Options) (*Result, error) {
	if opts.Release != "" && !validRelease(opts.Release) {
		return nil, fmt.Errorf("release %q is not a semantic version such as 1.4.0", opts.Release)
	}
	unlock, err := c.prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return c.upLocked(ctx, set, opts)
}

// prepare takes the lock and makes sure the ledger exists.
func (c *conn) prepare(ctx context.Context, opts Options) (func(), error) {
	if c.d == Postgres && opts.Lock != LockTable {
		unlock, err := c.lock(ctx, opts) // the advisory lock needs no table
		if err != nil {
			return nil, err
		}
		if err := c.ensureLedger(ctx); err != nil {
			unlock()
			return nil, err
		}
		return unlock, nil
	}
	if err := c.ensureLedger(ctx); err != nil {
		return nil, err
	}
	return c.lock(ctx, opts)
}

func (c *conn) upLocked(ctx context.Context, set *Set, opts Options) (*Result, error) {
	applied, err := c.applied(ctx)
	if err != nil {
		return nil, err
	}
	if drift := drifted(set, applied); len(drift) > 0 {
		return nil, &ChecksumError{Changed: drift}
	}
	res := &Result{}
	// stopped: a pending migration was held back by To or SkipBatched, so
	// the schema is incomplete and repeatables wait. Migrations held back
	// only by Release belong to later releases: this release's schema is
	// complete, and its repeatables run.
	stopped, later := false, false
	for _, m := range set.Versioned {
		if _, ok := applied[m.ID()]; ok {
			continue
		}
		if later || stopped || stopsBefore(m, opts) {
			if !stopped && !later && laterRelease(m, opts.Release) {
				later = true
			} else if !later {
				stopped = true
			}
			res.Pending = append(res.Pending, m)
			continue
		}
		a, err := c.apply(ctx, m, "applied")
		if err != nil {
			return res, err
		}
		res.Applied = append(res.Applied, a)
	}
	for _, m := range set.Repeatable {
		if a, ok := applied[m.ID()]; ok && a.Checksum == m.Checksum {
			continue
		}
		if stopped || laterRelease(m, opts.Release) { // repeatables follow the newest schema
			res.Pending = append(res.Pending, m)
			continue
		}
		a, err := c.apply(ctx, m, "applied")
		if err != nil {
			return res, err
		}
		res.Applied = append(res.Applied, a)
	}
	return res, nil
}

// laterRelease reports whether m belongs to a release after release.
func laterRelease(m *Migration, release string) bool {
	return release != "" && m.Release != "" && semver.Compare(v(m.Release), v(release)) > 0
}

func stopsBefore(m *Migration, opts Options) bool {
	switch {
	case opts.To > 0 && m.Number > opts.To:
		return true
	case laterRelease(m, opts.Release):
		return true
	case opts.SkipBatched && m.Batch != nil:
		return true
	}
	return false
}

// drifted lists applied versioned migrations whose checksum changed.
func drifted(set *Set, applied map[string]Applied) []Drift {
	var out []Drift
	for _, m := range set.Versioned {
		if a, ok := applied[m.ID()]; ok && a.Checksum != m.Checksum {
			out = append(out, Drift{Migration: m, Applied: a.Checksum, Current: m.Checksum})
		}
	}
	return out
}

// apply runs one migration and records it as how. On failure it records
// nothing as applied, logs the failure, and returns a *StepError.
func (c *conn) apply(ctx context.Context, m *Migration, how string) (Applied, error) {
	start := time.Now()
	c.report(Event{Migration: m, What: "start"})
	var err error
	switch {
	case m.Batch != nil:
		err = c.runBatched(ctx, m, how)
	case m.NoTx:
		err = c.runNoTx(ctx, m, how, start)
	default:
		err = c.runTx(ctx, m, how, start)
	}
	if err != nil {
		if ctx.Err() != nil {
			// Stopped, not failed: a batched migration keeps its cursor
			// and shows as running; anything else left no trace.
			return Applied{}, fmt.Errorf("migration %s stopped: %w", m, ctx.Err())
		}
		var se *StepError
		if !errors.As(err, &se) {
			se = &StepError{Migration: m, Err: err}
		}
		if lerr := c.log(context.WithoutCancel(ctx), c.db, m.ID(), "failed", m.Checksum, se.Error()); lerr != nil {
			return Applied{}, errors.Join(se, lerr)
		}
		return Applied{}, se
	}
	c.report(Event{Migration: m, What: "done", Duration: time.Since(start)})
	return Applied{ID: m.ID(), Number: m.Number, Name: m.Name, Kind: m.Kind, Release: m.Release,
		Checksum: m.Checksum, AppliedAt: time.Now(), Duration: time.Since(start), AppliedBy: c.by, How: how}, nil
}

// runTx runs m's statements and its ledger row in one transaction.
func (c *conn) runTx(ctx context.Context, m *Migration, how string, start time.Time) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if g := m.goMig; g != nil {
		if err := safely(func() error { return g.Up(ctx, tx) }); err != nil {
			return &StepError{Migration: m, Err: err}
		}
	} else if err := c.execStatements(ctx, tx, m, m.up); err != nil {
		return err
	}
	if err := c.record(ctx, tx, m, how, time.Since(start), ""); err != nil {
		return err
	}
	return tx.Commit()
}

// runNoTx runs m's statements one by one outside a transaction (CREATE
// INDEX CONCURRENTLY and the like), then records it.
func (c *conn) runNoTx(ctx context.Context, m *Migration, how string, start time.Time) error {
	if g := m.goMig; g != nil {
		if err := safely(func() error { return g.UpNoTx(ctx, c.db) }); err != nil {
			return &StepError{Migration: m, Err: err}
		}
	} else if err := c.execStatements(ctx, c.db, m, m.up); err != nil {
		return err
	}
	return c.record(ctx, c.db, m, how, time.Since(start), "")
}

func (c *conn) execStatements(ctx context.Context, x execer, m *Migration, stmts []statement) error {
	for _, s := range stmts {
		if _, err := x.ExecContext(ctx, s.text); err != nil {
			line, col := errorPosition(s, err)
			return &StepError{Migration: m, Statement: s.text, Line: line, Col: col, Err: err}
		}
	}
	return nil
}

// safely runs fn, turning a panic into an error.
func safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn()
}
