package connect

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/plan"
)

// Migrate returns a function that applies the plan's versioned migrations
// (plan key migrations) to its target, as `decant db up` does, telling
// progress of each; nil when the plan names no migrations directory. It
// opens its own connection to the target for the migration lock.
func Migrate(p *plan.Plan, progress func(migrations.Event)) func(context.Context) error {
	if p.Migrations == "" {
		return nil
	}
	return func(ctx context.Context) error {
		err := withMigrations(p, true, func(db *sql.DB, fsys fs.FS) error {
			_, err := migrations.Up(ctx, db, fsys, migrations.Options{Progress: progress})
			return err
		})
		if err != nil {
			return fmt.Errorf("migrations %s: %w", p.Migrations, err)
		}
		return nil
	}
}

// RevertMigrations reverts every applied migration of the plan's
// migrations directory, newest first, as `decant db down --to 0` does, and
// returns the ledger rows it removed; nil when the plan names no
// migrations directory.
func RevertMigrations(ctx context.Context, p *plan.Plan, progress func(migrations.Event)) ([]migrations.Applied, error) {
	if p.Migrations == "" {
		return nil, nil
	}
	var reverted []migrations.Applied
	err := withMigrations(p, false, func(db *sql.DB, fsys fs.FS) error {
		var err error
		reverted, err = migrations.Down(ctx, db, fsys, 0, migrations.Options{Progress: progress})
		return err
	})
	if err != nil {
		return reverted, fmt.Errorf("migrations %s: %w", p.Migrations, err)
	}
	return reverted, nil
}

// MigrationsToRevert lists, newest first, what RevertMigrations would
// revert, or refuses as it would (migrations.ErrIrreversible: one without
// a down section, changed or gone), changing nothing; nil when the plan
// names no migrations directory.
func MigrationsToRevert(ctx context.Context, p *plan.Plan) ([]migrations.Applied, error) {
	if p.Migrations == "" {
		return nil, nil
	}
	var todo []migrations.Applied
	err := withMigrations(p, false, func(db *sql.DB, fsys fs.FS) error {
		var err error
		todo, err = migrations.CheckDown(ctx, db, fsys, 0, migrations.Options{})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", p.Migrations, err)
	}
	return todo, nil
}

// PendingMigrations lists, without taking the lock, what the target lacks
// of the plan's migrations: pending, failed, part-way or drifted ones. It
// returns nil when the plan names no migrations directory.
func PendingMigrations(ctx context.Context, p *plan.Plan) ([]migrations.Status, error) {
	if p.Migrations == "" {
		return nil, nil
	}
	var pending []migrations.Status
	err := withMigrations(p, false, func(db *sql.DB, fsys fs.FS) error {
		var err error
		pending, err = migrations.Pending(ctx, db, fsys, migrations.Options{})
		return err
	})
	return pending, err
}

// withMigrations opens the plan's migrations directory and its target as a
// *sql.DB, and calls fn with them. Unless create is set, a SQLite target
// file must exist.
func withMigrations(p *plan.Plan, create bool, fn func(*sql.DB, fs.FS) error) error {
	dir := p.Path(p.Migrations)
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("%s: plan key migrations: %w", p.File, err)
	} else if !st.IsDir() {
		return fmt.Errorf("%s: plan key migrations: %s is not a directory of migrations", p.File, dir)
	}
	raw := p.Connections[p.Target]
	url := raw
	switch scheme(raw) {
	case "postgres", "postgresql":
	case "sqlite":
		url = "sqlite:" + localPath(raw, "sqlite", filepath.Dir(p.File))
	default:
		return fmt.Errorf("%w: %s cannot be a target (use postgres:// or sqlite:)", ErrScheme, decant.RedactURL(raw))
	}
	open := migrations.OpenExisting
	if create {
		open = migrations.Open
	}
	db, err := open(url)
	if err != nil {
		return fmt.Errorf("connection %s: %w", p.Target, err)
	}
	defer db.Close()
	return fn(db, os.DirFS(dir))
}
