// Package app is Conforma, a small web application that upgrades its own
// database when it starts, with decant's migrations package.
//
// It does what Conforma's migrateData.ts does on every start, but each
// migration runs once, in a transaction, under a lock, and is recorded only
// when it succeeded; a failure stops the start-up with the file, the
// statement and the database's error. Long data migrations run in batches
// after the server is up, and /readyz answers 503 until they are done.
//
// The program can act as any of three releases ([Releases]), to show an
// upgrade from one to the next on the same database.
package app

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/decanthq/decant/migrations"
)

// Config configures [Open] and [Run].
type Config struct {
	// DatabaseURL is postgres://... or sqlite:PATH.
	DatabaseURL string
	// Release is the release to act as, one of [Releases]. Defaults to
	// [Newest].
	Release string
	// Addr is where [Run] listens. Defaults to ":8080".
	Addr string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// App is Conforma with its database opened and migrated as far as a
// start-up goes.
type App struct {
	release string
	log     *slog.Logger
	db      *sql.DB
	fsys    fs.FS
	opts    migrations.Options
	// deferred is set when the start-up left migrations for [App.Backfill].
	deferred bool
}

// Open opens the database and applies the migrations of cfg.Release,
// except the batched data migrations (and what follows them), which are
// left to [App.Backfill]. Every replica calls it at start-up: one applies
// each migration, the others wait for the lock and find it done. It fails,
// and the replica must not serve, when a migration fails or an applied one
// was edited.
func Open(ctx context.Context, cfg Config) (*App, error) {
	cfg.Release = cmp.Or(cfg.Release, Newest)
	fsys, gos, err := Migrations(cfg.Release)
	if err != nil {
		return nil, err
	}
	if cfg.DatabaseURL == "" {
		return nil, errors.New("no database URL (postgres://... or sqlite:PATH)")
	}
	db, err := migrations.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	log := cmp.Or(cfg.Logger, slog.Default()).With("release", cfg.Release)
	a := &App{release: cfg.Release, log: log, db: db, fsys: fsys, opts: migrations.Options{
		Release:  cfg.Release,
		Go:       gos,
		Progress: func(e migrations.Event) { logEvent(log, e) },
	}}
	opts := a.opts
	opts.SkipBatched = true
	res, err := migrations.Up(ctx, db, fsys, opts)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate the database to release %s: %w", cfg.Release, err)
	}
	a.deferred = len(res.Pending) > 0
	log.Info("database migrated for start-up", "applied", len(res.Applied), "deferred", len(res.Pending))
	return a, nil
}

// Backfill applies what [Open] left: the batched data migrations, and the
// migrations after them. While another replica runs them, it waits. It does
// nothing when Open left nothing.
func (a *App) Backfill(ctx context.Context) error {
	if !a.deferred {
		return nil
	}
	for {
		res, err := migrations.Up(ctx, a.db, a.fsys, a.opts)
		if errors.Is(err, migrations.ErrLocked) {
			continue // another replica is still at it: wait for it again
		}
		if err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
		a.log.Info("backfill done", "applied", len(res.Applied))
		return nil
	}
}

// Close closes the database.
func (a *App) Close() error { return a.db.Close() }

// Status lists every migration of cfg.Release with its state, the Go
// migrations included, which `decant db status --dir` cannot see. It takes
// no lock and creates nothing.
func Status(ctx context.Context, cfg Config) ([]migrations.Status, error) {
	fsys, gos, err := Migrations(cmp.Or(cfg.Release, Newest))
	if err != nil {
		return nil, err
	}
	db, err := migrations.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return migrations.StatusOf(ctx, db, fsys, migrations.Options{Go: gos})
}

// Run opens the app (see [Open]), serves HTTP on cfg.Addr, and runs
// [App.Backfill] in the background. It returns when ctx is cancelled,
// after shutting the server down and stopping the backfill; a backfill
// stopped between batches resumes at the next start.
func Run(ctx context.Context, cfg Config) error {
	a, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cmp.Or(cfg.Addr, ":8080"))
	if err != nil {
		return err
	}
	a.log.Info("listening", "addr", ln.Addr().String())
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	bctx, stopBackfill := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := a.Backfill(bctx); err != nil && bctx.Err() == nil {
			a.log.Error("backfill failed; /readyz reports it", "err", err)
		}
	})
	defer wg.Wait()
	defer stopBackfill()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
		a.log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

func logEvent(log *slog.Logger, e migrations.Event) {
	switch e.What {
	case "start":
		log.Info("applying migration", "migration", e.Migration.String())
	case "batch":
		log.Info("batch committed", "migration", e.Migration.String(), "rows", e.Rows, "cursor", e.Cursor)
	case "done":
		log.Info("migration applied", "migration", e.Migration.String(), "took", e.Duration.Round(time.Millisecond))
	}
}
