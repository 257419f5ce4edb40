package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"golang.org/x/mod/semver"
)

// State is where a migration stands.
type State string

// States reported by Status.
const (
	StatePending   State = "pending"
	StateApplied   State = "applied"
	StateBaselined State = "baselined"
	// StateDrifted: applied, but the file changed since.
	StateDrifted State = "drifted"
	// StateFailed: not applied, and its last attempt failed.
	StateFailed State = "failed"
	// StateRunning: a batched migration with a saved cursor.
	StateRunning State = "running"
	// StateMissing: in the ledger, but no longer in the directory.
	StateMissing State = "missing"
)

// Status is one line of `decant db status`.
type Status struct {
	ID      string   `json:"id"`
	Number  int64    `json:"number,omitempty"`
	Name    string   `json:"name"`
	Kind    Kind     `json:"kind"`
	Release string   `json:"release,omitempty"`
	File    string   `json:"file,omitempty"`
	State   State    `json:"state"`
	Applied *Applied `json:"applied,omitempty"`
	// Error is the last failure's message, for failed migrations.
	Error string `json:"error,omitempty"`
	// Rows and Cursor tell a running batched migration's progress.
	Rows   int64  `json:"rows,omitempty"`
	Cursor string `json:"cursor,omitempty"`
}

// StatusOf lists every migration with its state, without taking the lock.
// It creates nothing: a database without a ledger has everything pending.
func StatusOf(ctx context.Context, db *sql.DB, fsys fs.FS, opts Options) ([]Status, error) {
	set, c, err := loadConn(db, fsys, opts)
	if err != nil {
		return nil, err
	}
	return c.status(ctx, set)
}

// Ledger returns the applied migrations recorded in db, versioned ones by
// number and then repeatables, without taking the lock and without reading any migration files
// (snapshots store it in their info.json). A database without a ledger has
// none: the result is empty, not an error.
func Ledger(ctx context.Context, db *sql.DB) ([]Applied, error) {
	c, err := newConn(db, Options{})
	if err != nil {
		return nil, err
	}
	exists, err := c.ledgerExists(ctx)
	if err != nil {
		return nil, err
	}
	if !exists {
		return []Applied{}, nil
	}
	applied, err := c.applied(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Applied, 0, len(applied))
	for _, a := range applied {
		out = append(out, a)
	}
	// Versioned by number, then repeatables by name, as they are applied.
	sort.Slice(out, func(i, j int) bool {
		ri, rj := out[i].Kind == KindRepeatable, out[j].Kind == KindRepeatable
		if ri != rj {
			return rj
		}
		return out[i].Number < out[j].Number || out[i].Number == out[j].Number && out[i].ID < out[j].ID
	})
	return out, nil
}

func (c *conn) status(ctx context.Context, set *Set) ([]Status, error) {
	exists, err := c.ledgerExists(ctx)
	if err != nil {
		return nil, err
	}
	applied := map[string]Applied{}
	failed, cursors := map[string]string{}, map[string][2]string{}
	if exists {
		if applied, err = c.applied(ctx); err != nil {
			return nil, err
		}
		if failed, err = c.failures(ctx); err != nil {
			return nil, err
		}
		if cursors, err = c.cursors(ctx); err != nil {
			return nil, err
		}
	}
	var out []Status
	seen := map[string]bool{}
	for _, m := range append(append([]*Migration{}, set.Versioned...), set.Repeatable...) {
		seen[m.ID()] = true
		st := Status{ID: m.ID(), Number: m.Number, Name: m.Name, Kind: m.Kind, Release: m.Release, File: m.File, State: StatePending}
		if a, ok := applied[m.ID()]; ok {
			st.Applied = &a
			switch {
			case a.Checksum != m.Checksum && m.Kind != KindRepeatable:
				st.State = StateDrifted
			case a.Checksum != m.Checksum:
				st.State = StatePending // a repeatable whose text changed
			case a.How == "baselined":
				st.State = StateBaselined
			default:
				st.State = StateApplied
			}
		} else if cur, ok := cursors[m.ID()]; ok {
			st.State, st.Cursor = StateRunning, cur[0]
			fmt.Sscan(cur[1], &st.Rows)
		}
		if msg, ok := failed[m.ID()]; ok && st.State == StatePending || ok && st.State == StateRunning {
			st.State, st.Error = StateFailed, msg
		}
		out = append(out, st)
	}
	var missing []Status
	for id, a := range applied {
		if !seen[id] {
			a := a
			missing = append(missing, Status{ID: id, Number: a.Number, Name: a.Name, Kind: a.Kind, Release: a.Release, State: StateMissing, Applied: &a})
		}
	}
	sort.Slice(missing, func(i, j int) bool {
		return missing[i].Number < missing[j].Number || missing[i].Number == missing[j].Number && missing[i].ID < missing[j].ID
	})
	return append(out, missing...), nil
}

// failures maps each migration whose latest log line is a failure to its message.
func (c *conn) failures(ctx context.Context) (map[string]string, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT l.id, l.action, l.detail FROM decant_migration_log l
WHERE l.seq = (SELECT max(seq) FROM decant_migration_log x WHERE x.id = l.id)`)
	if err != nil {
		return nil, fmt.Errorf("read the migration log: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, action, detail string
		if err := rows.Scan(&id, &action, &detail); err != nil {
			return nil, err
		}
		if action == "failed" {
			out[id] = detail
		}
	}
	return out, rows.Err()
}

func (c *conn) cursors(ctx context.Context) (map[string][2]string, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT id, cursor, rows FROM decant_migration_cursors`)
	if err != nil {
		return nil, fmt.Errorf("read the migration cursors: %w", err)
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var id, cur string
		var n int64
		if err := rows.Scan(&id, &cur, &n); err != nil {
			return nil, err
		}
		out[id] = [2]string{cur, fmt.Sprint(n)}
	}
	return out, rows.Err()
}

// Pending lists what this release still needs: the migrations Up would
// run, leaving out those of releases after opts.Release (opts.To and
// SkipBatched are ignored), plus drifted ones. It takes no lock: a
// start-up check that costs a few queries when the database is up to date.
func Pending(ctx context.Context, db *sql.DB, fsys fs.FS, opts Options) ([]Status, error) {
	all, err := StatusOf(ctx, db, fsys, opts)
	if err != nil {
		return nil, err
	}
	var out []Status
	for _, s := range all {
		if opts.Release != "" && s.Release != "" && semver.Compare(v(s.Release), v(opts.Release)) > 0 {
			continue
		}
		switch s.State {
		case StatePending, StateFailed, StateRunning, StateDrifted:
			out = append(out, s)
		}
	}
	return out, nil
}

// Ready returns nil when the database has every migration applied and
// none drifted, and otherwise an error naming what is not; use it in a
// readiness probe.
func Ready(ctx context.Context, db *sql.DB, fsys fs.FS, opts Options) error {
	p, err := Pending(ctx, db, fsys, opts)
	if err != nil {
		return err
	}
	if len(p) == 0 {
		return nil
	}
	var parts []string
	for _, s := range p {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", s.ID, s.Name, s.State))
	}
	return fmt.Errorf("database not ready: %d migrations not applied: %s", len(p), strings.Join(parts, ", "))
}
