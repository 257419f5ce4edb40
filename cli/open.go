package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/sqlite"
)

// openMigrate is openWarn for `decant migrate`: a real run may create a
// SQLite target file, as it is about to write; a dry run writes nothing, so
// it refuses a missing one like the read commands, and sees the tables that
// the plan's pending migrations and setup files would make.
func (c *Common) openMigrate(ctx context.Context, w io.Writer, names []string, dryRun bool) (*plan.Plan, decant.Store, error) {
	if dryRun {
		return c.openPredict(ctx, w, only(names), "the dry run")
	}
	p, err := c.load()
	if err != nil {
		return nil, nil, err
	}
	warn(w, p, names)
	st, err := connect.Store(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return p, st, nil
}

// openPlanned is openWarn whose store also answers, for tables and columns,
// what the plan's pending migrations and setup files would create: check,
// preview and a dry run compare the plan with the target a real run would
// meet, without applying anything.
func (c *Common) openPlanned(ctx context.Context, w io.Writer, sel selection) (*plan.Plan, decant.Store, error) {
	p, st, err := c.openWarn(ctx, w, sel)
	if err != nil {
		return nil, nil, err
	}
	ps, err := connect.Planned(ctx, p, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return p, ps, nil
}

// openPredict is openPlanned for the commands that predict a run (a dry
// run, preview), named by who in the note, except that a SQLite target
// file that does not exist yet reads as an empty database: they predict
// the first run too, which creates the file. The stand-in is an empty
// database in a temporary directory, removed by c.close; the target's
// path stays untouched. check keeps refusing a missing file: it reports
// on the target as it is.
func (c *Common) openPredict(ctx context.Context, w io.Writer, sel selection, who string) (*plan.Plan, decant.Store, error) {
	p, st, err := c.openPlanned(ctx, w, sel)
	if !errors.Is(err, sqlite.ErrNoFile) {
		return p, st, err
	}
	if p, err = c.load(); err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "decant-dry-run-")
	if err != nil {
		return nil, nil, err
	}
	c.closers = append(c.closers, func() { os.RemoveAll(tmp) })
	standIn := "sqlite:" + filepath.Join(tmp, "empty.db")
	empty, err := connect.OpenStore(ctx, standIn, "")
	if err != nil {
		return nil, nil, err
	}
	if w != nil {
		fmt.Fprintf(w, "decant: the target %s does not exist yet; %s reads it as an empty database (a real run creates it)\n",
			decant.RedactURL(p.Connections[p.Target]), who)
	}
	// The plan's migrations are all pending against the stand-in.
	onEmpty := *p
	onEmpty.Connections = maps.Clone(p.Connections)
	onEmpty.Connections[p.Target] = standIn
	ps, err := connect.Planned(ctx, &onEmpty, empty)
	if err != nil {
		empty.Close()
		return nil, nil, err
	}
	return p, ps, nil
}

// close runs what the open functions left to clean up.
func (c *Common) close() {
	for _, f := range c.closers {
		f()
	}
	c.closers = nil
}

// openDB opens a database URL for `decant db` and `decant snapshot`. Only
// the commands that write (db up, snapshot load) may create a SQLite file;
// the others refuse a missing one, so that a mistyped path is not read as
// an empty database.
func openDB(url string, create bool) (*sql.DB, error) {
	if create {
		return migrations.Open(url)
	}
	db, err := migrations.OpenExisting(url)
	if errors.Is(err, sqlite.ErrNoFile) {
		return nil, fmt.Errorf("%w; check --database (or the plan's target), or run `decant db up` or `decant migrate` to create it", err)
	}
	return db, err
}

// planDefaults is what `decant db` and `decant snapshot` take from the
// plan when their flags leave it out.
type planDefaults struct {
	// url is the plan's target connection, a relative SQLite path read
	// from the plan's directory, as migrate does.
	url string
	// migrations is the plan's migrations key as a path, empty when the
	// plan has none.
	migrations string
	// dir is the plan's directory: the other defaults (migrations,
	// snapshots) are read from it, not from the working directory.
	dir string
	// guards are the plan's guards, nil when it has none.
	guards *plan.Guards
}

// planTarget reads, for `decant db` and `decant snapshot`, the defaults of
// the plan that -c names. It returns the zero planDefaults when -c was not
// given and the default plan file does not exist.
func planTarget(cmd *cobra.Command) (planDefaults, error) {
	path, _ := cmd.Flags().GetString("config")
	if path == "" {
		return planDefaults{}, nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !cmd.Flags().Changed("config") {
		return planDefaults{}, nil
	}
	p, err := plan.Load(path, plan.Options{})
	if err != nil {
		return planDefaults{}, fmt.Errorf("the plan gives what --database and --dir leave out: %w", err)
	}
	d := planDefaults{url: p.Connections[p.Target], migrations: p.Path(p.Migrations), dir: filepath.Dir(p.File), guards: p.Guards}
	if rest, ok := cutScheme(d.url, "sqlite"); ok {
		rest = strings.TrimPrefix(rest, "//")
		if !filepath.IsAbs(rest) {
			rest = filepath.Join(d.dir, rest)
		}
		d.url = "sqlite:" + rest
	}
	return d, nil
}

// cutScheme is strings.CutPrefix for "scheme:", ignoring the scheme's case.
func cutScheme(url, scheme string) (string, bool) {
	if len(url) > len(scheme) && strings.EqualFold(url[:len(scheme)], scheme) && url[len(scheme)] == ':' {
		return url[len(scheme)+1:], true
	}
	return url, false
}
