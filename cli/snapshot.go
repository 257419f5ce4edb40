package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/semver"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/migrations/snapshot"
)

// SnapshotOpts are the flags of `decant snapshot ...`.
type SnapshotOpts struct {
	// Command is the subcommand: "save", "load", "list" or "verify".
	Command string
	// Name is the snapshot's name (save, load, verify).
	Name string
	// Database is the URL of the database (save, load). Default
	// $DECANT_DATABASE.
	Database string
	// Dir holds the snapshots, one subdirectory each. Default "snapshots".
	Dir string
	// Migrations is the directory of migration files that load applies
	// after the snapshot. Empty: none. The CLI passes "migrations" when
	// that directory exists and the flag is not given.
	Migrations string
	// Release is the application's release (save, load). Default
	// $DECANT_RELEASE.
	Release string
	// Schemas are the PostgreSQL schemas save carries. Default public.
	Schemas []string
	JSON    bool
}

// Validate checks the flags the subcommand needs.
func (o *SnapshotOpts) Validate() error {
	if o.Dir == "" {
		o.Dir = "snapshots"
	}
	if o.Command == "list" {
		return nil
	}
	if o.Name == "" {
		return fmt.Errorf("snapshot %s: give the snapshot's name", o.Command)
	}
	if o.Command == "verify" {
		return nil
	}
	if o.Database == "" {
		o.Database = os.Getenv("DECANT_DATABASE")
	}
	if o.Database == "" {
		return errors.New("--database: give the database URL (postgres://... or sqlite:PATH), set DECANT_DATABASE, or name a plan with -c to use its target")
	}
	if o.Release == "" {
		o.Release = os.Getenv("DECANT_RELEASE")
	}
	if o.Release == "" {
		return errors.New("--release: give the application's release (a semantic version such as 1.4.0), or set DECANT_RELEASE")
	}
	if v := "v" + strings.TrimPrefix(o.Release, "v"); !semver.IsValid(v) || semver.Canonical(v) != v {
		return fmt.Errorf("--release %q: not a full semantic version such as 1.4.0", o.Release)
	}
	if o.Migrations != "" {
		if err := isDir("--migrations", o.Migrations, ""); err != nil {
			return err
		}
	}
	return nil
}

// fromPlan fills in, for save and load, the database from the plan's
// target when --database is not given, in the order `decant db` uses (see
// DBOpts.fromPlan), and returns the plan's migrations directory (its key,
// else migrations beside the plan) when a plan is named with -c or gave
// the database. For every subcommand, --dir then defaults to snapshots
// beside that plan: the plan's paths do not depend on the working
// directory.
func (o *SnapshotOpts) fromPlan(c *cobra.Command) (migrationsDir string, optional bool, err error) {
	named := c.Flags().Changed("config")
	keepDir := c.Flags().Changed("dir")
	if c.Flags().Lookup("database") == nil {
		// list and verify need no database, so not the plan's content.
		if named && !keepDir {
			config, _ := c.Flags().GetString("config")
			o.Dir = filepath.Join(filepath.Dir(config), "snapshots")
		}
		return "", false, nil
	}
	needDB := o.Database == "" && (named || os.Getenv("DECANT_DATABASE") == "")
	if !needDB && !named {
		return "", false, nil
	}
	d, err := planTarget(c)
	if err != nil || d.dir == "" {
		return "", false, err
	}
	if needDB {
		o.Database = d.url
	}
	if !keepDir {
		o.Dir = filepath.Join(d.dir, "snapshots")
	}
	if d.migrations != "" {
		return d.migrations, false, nil // the plan names it: it must exist
	}
	return filepath.Join(d.dir, "migrations"), true, nil
}

// options returns the snapshot package's options; up collects what the
// migrations applied after a load did, and w is told of each.
func (o *SnapshotOpts) options(w io.Writer, up *migrations.Result) snapshot.Options {
	opts := snapshot.Options{
		Dir: o.Dir, AppRelease: o.Release, DecantVersion: decant.Version, Schemas: o.Schemas,
		Ledger: func(ctx context.Context, db *sql.DB) (json.RawMessage, error) {
			// snapshot.Save refuses a release older than one of these.
			l, err := migrations.Ledger(ctx, db)
			if err != nil {
				return nil, err
			}
			return json.Marshal(l)
		},
	}
	if up != nil && o.Migrations != "" {
		dbo := DBOpts{JSON: o.JSON}
		mopts := dbo.options(w)
		mopts.Release = o.Release
		opts.Migrate = func(ctx context.Context, db *sql.DB, res *snapshot.LoadResult) error {
			if !o.JSON {
				printLoaded(w, res)
				fmt.Fprintf(w, "applying the migrations of release %s from %s\n", o.Release, o.Migrations)
			}
			r, err := migrations.Up(ctx, db, os.DirFS(o.Migrations), mopts)
			if r != nil {
				*up = *r
			}
			return err
		}
	}
	return opts
}

func newSnapshotCmd() *cobra.Command {
	o := &SnapshotOpts{}
	cmd := &cobra.Command{Use: "snapshot", Short: "Save, load and list whole-database snapshots (see docs/snapshots.md)"}
	cmd.PersistentFlags().StringVar(&o.Dir, "dir", "snapshots", "directory that holds the snapshots (default: snapshots beside the plan -c names)")
	run := func(fn func(context.Context, SnapshotOpts, io.Writer) error) func(*cobra.Command, []string) error {
		return func(c *cobra.Command, args []string) error {
			o.Command = c.Name()
			if len(args) > 0 {
				o.Name = args[0]
			}
			o.JSON, _ = c.Flags().GetBool("json")
			if c.Name() == "load" {
				if err := guardTool(c, true); err != nil {
					return err
				}
			}
			planMigrations, optional, err := o.fromPlan(c)
			if err != nil {
				return err
			}
			if f := c.Flags().Lookup("migrations"); f == nil {
				o.Migrations = "" // load's flag and its default are bound to o too
			} else if !f.Changed {
				if planMigrations != "" {
					o.Migrations = planMigrations
				} else {
					optional = true
				}
				if st, err := os.Stat(o.Migrations); optional && (err != nil || !st.IsDir()) {
					o.Migrations = "" // the default directory is optional
				}
			}
			if err := validate(o); err != nil {
				return err
			}
			return fn(c.Context(), *o, c.OutOrStdout())
		}
	}
	dbFlags := func(c *cobra.Command) *cobra.Command {
		c.Flags().StringVar(&o.Database, "database", "", "database URL (default: the target of the plan -c names, else $DECANT_DATABASE)")
		c.Flags().StringVar(&o.Release, "release", "", "the application's release, a semantic version (default $DECANT_RELEASE)")
		return c
	}
	save := dbFlags(&cobra.Command{Use: "save NAME", Short: "Save the database as snapshot NAME", Args: cobra.ExactArgs(1), RunE: run(RunSnapshotSave)})
	save.Flags().StringSliceVar(&o.Schemas, "schema", nil, "PostgreSQL schema to carry, repeatable (default public)")
	load := dbFlags(&cobra.Command{
		Use: "load NAME", Short: "Replace the database by snapshot NAME (after a backup), then apply pending migrations",
		Args: cobra.ExactArgs(1), RunE: run(RunSnapshotLoad),
	})
	load.Flags().StringVar(&o.Migrations, "migrations", "migrations", "directory of migrations to apply after the load (skipped when the default is absent)")
	load.Flags().Bool("yes", false, "confirm in an environment the plan's guards protect (on a terminal, the environment's name is asked too)")
	list := &cobra.Command{Use: "list", Short: "List the snapshots, oldest first", Args: cobra.NoArgs, RunE: run(RunSnapshotList)}
	verify := &cobra.Command{Use: "verify NAME", Short: "Check every file of snapshot NAME against its checksum", Args: cobra.ExactArgs(1), RunE: run(RunSnapshotVerify)}
	cmd.AddCommand(save, load, list, verify)
	return cmd
}

// RunSnapshotSave saves the database as snapshot o.Name.
func RunSnapshotSave(ctx context.Context, o SnapshotOpts, w io.Writer) error {
	db, err := openDB(o.Database, false)
	if err != nil {
		return redacted(err, o.Database)
	}
	defer db.Close()
	info, err := snapshot.Save(ctx, db, o.Name, o.options(w, nil))
	if errors.Is(err, snapshot.ErrReleaseBehind) {
		return fmt.Errorf("--release: %w", err)
	}
	if err != nil {
		return redacted(err, o.Database)
	}
	if o.JSON {
		return printJSON(w, info)
	}
	fmt.Fprintf(w, "saved snapshot %s in %s: %s, release %s\n", info.Name, o.Dir, tablesAndRows(*info), info.Release)
	return nil
}

// SnapshotLoadResult is what `decant snapshot load` reports: the load, and
// the migrations applied after it.
type SnapshotLoadResult struct {
	snapshot.LoadResult
	Applied []migrations.Applied `json:"applied"`
	// Pending counts the migrations left: those of later releases, and
	// after a failed migration, it and those after it.
	Pending int `json:"pending"`
}

// RunSnapshotLoad replaces the database by snapshot o.Name, then applies
// the pending migrations of o.Migrations up to o.Release.
func RunSnapshotLoad(ctx context.Context, o SnapshotOpts, w io.Writer) error {
	db, err := migrations.Open(o.Database)
	if err != nil {
		return redacted(err, o.Database)
	}
	defer db.Close()
	var up migrations.Result
	progress := w
	if o.JSON {
		progress = io.Discard
	}
	res, err := snapshot.Load(ctx, db, o.Name, o.options(progress, &up))
	if res == nil {
		return redacted(err, o.Database)
	}
	out := SnapshotLoadResult{LoadResult: *res, Applied: up.Applied, Pending: len(up.Pending)}
	if res.Loaded && err != nil && o.Migrations != "" {
		// Up stopped at the failure: count what is left from the ledger.
		if p, perr := migrations.Pending(ctx, db, os.DirFS(o.Migrations), migrations.Options{}); perr == nil {
			out.Pending = len(p)
		}
	}
	if out.Applied == nil {
		out.Applied = []migrations.Applied{}
	}
	if o.JSON {
		if jerr := printJSON(w, out); jerr != nil {
			return jerr
		}
		return redacted(err, o.Database)
	}
	if !res.Loaded {
		if res.Backup != "" {
			fmt.Fprintf(w, "saved the database as snapshot %s first; it is unchanged\n", res.Backup)
		}
		return redacted(err, o.Database)
	}
	if o.Migrations == "" {
		printLoaded(w, res)
		fmt.Fprintln(w, "no migrations directory: none applied")
	} else if err == nil {
		fmt.Fprintf(w, "%d migrations applied, %d pending for later releases\n", len(out.Applied), out.Pending)
	}
	return redacted(err, o.Database)
}

// printLoaded tells what a load did before migrations run.
func printLoaded(w io.Writer, res *snapshot.LoadResult) {
	if res.Backup != "" {
		fmt.Fprintf(w, "saved the database as snapshot %s first (load it to undo)\n", res.Backup)
	}
	s := res.Snapshot
	fmt.Fprintf(w, "loaded snapshot %s (release %s, taken %s): %s; counts and checksums match\n",
		s.Name, s.Release, s.Taken.Format(time.RFC3339), tablesAndRows(*s))
}

// RunSnapshotList prints the snapshots in o.Dir. Unreadable snapshots are
// reported in the error after the others are printed.
func RunSnapshotList(_ context.Context, o SnapshotOpts, w io.Writer) error {
	infos, lerr := snapshot.List(o.Dir)
	if o.JSON {
		if infos == nil {
			infos = []snapshot.Info{}
		}
		if err := printJSON(w, infos); err != nil {
			return err
		}
		return lerr
	}
	if len(infos) == 0 && lerr == nil {
		fmt.Fprintf(w, "no snapshots in %s\n", o.Dir)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTAKEN\tRELEASE\tDIALECT\tTABLES\tROWS")
	for _, in := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\n", in.Name, in.Taken.Format(time.RFC3339), in.Release, in.Dialect, len(in.Tables), totalRows(in))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return lerr
}

// RunSnapshotVerify checks every file of snapshot o.Name.
func RunSnapshotVerify(_ context.Context, o SnapshotOpts, w io.Writer) error {
	info, err := snapshot.Verify(o.Dir, o.Name)
	if err != nil {
		return err
	}
	if o.JSON {
		return printJSON(w, info)
	}
	fmt.Fprintf(w, "snapshot %s: %d files match their checksums; %s, release %s\n", info.Name, len(info.Files), tablesAndRows(*info), info.Release)
	return nil
}

func totalRows(info snapshot.Info) int64 {
	var n int64
	for _, t := range info.Tables {
		n += t.Rows
	}
	return n
}

func tablesAndRows(info snapshot.Info) string {
	return fmt.Sprintf("%d tables, %d rows", len(info.Tables), totalRows(info))
}
