package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/migrations"
)

// DBOpts are the flags of `decant db ...`.
type DBOpts struct {
	// Database is the URL of the database (postgres://... or sqlite:PATH).
	// Default $DECANT_DATABASE.
	Database string
	// Dir holds the migration files. Default "migrations".
	Dir  string
	JSON bool
	// Lock is "advisory" (PostgreSQL's default) or "table".
	Lock        string
	LockTimeout time.Duration
	To          int64
	Release     string
	// Since is redo's --since-release.
	Since  string
	Reason string

	// dirHint says, after "no such directory", where the default --dir
	// came from; empty when --dir was given.
	dirHint string
}

// isDir refuses a path given for flag that is not a directory, saying
// whether it is missing (then adding hint) or something else.
func isDir(flag, path, hint string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s %s: no such directory%s", flag, path, hint)
	case err != nil:
		return fmt.Errorf("%s %s: %w", flag, path, err)
	case !st.IsDir():
		return fmt.Errorf("%s %s: not a directory", flag, path)
	}
	return nil
}

// Validate checks the flags.
func (o *DBOpts) Validate() error {
	if o.Database == "" {
		o.Database = os.Getenv("DECANT_DATABASE")
	}
	if o.Database == "" {
		return errors.New("--database: give the database URL (postgres://... or sqlite:PATH), set DECANT_DATABASE, or name a plan with -c to use its target")
	}
	if o.Dir == "" {
		o.Dir = "migrations"
	}
	if err := isDir("--dir", o.Dir, o.dirHint); err != nil {
		return err
	}
	switch migrations.LockMode(o.Lock) {
	case "", migrations.LockAdvisory, migrations.LockTable:
	default:
		return fmt.Errorf("--lock %q: want advisory or table", o.Lock)
	}
	if o.To < 0 {
		return fmt.Errorf("--to %d: want a migration number", o.To)
	}
	return nil
}

func (o *DBOpts) options(w io.Writer) migrations.Options { return o.optionsVerb(w, "applying") }

// optionsVerb is options whose progress lines start with verb.
func (o *DBOpts) optionsVerb(w io.Writer, verb string) migrations.Options {
	opts := migrations.Options{To: o.To, Release: o.Release, Lock: migrations.LockMode(o.Lock), LockTimeout: o.LockTimeout}
	if !o.JSON {
		opts.Progress = func(e migrations.Event) {
			switch e.What {
			case "start":
				fmt.Fprintf(w, "%s %s\n", verb, e.Migration)
			case "batch":
				fmt.Fprintf(w, "  %d rows, cursor %s\n", e.Rows, e.Cursor)
			case "done":
				fmt.Fprintf(w, "  done in %s\n", e.Duration.Round(time.Millisecond))
			}
		}
	}
	return opts
}

// open opens the database; create lets a missing SQLite file be created,
// for the commands that write.
func (o *DBOpts) open(create bool) (*sql.DB, error) {
	db, err := openDB(o.Database, create)
	if err != nil {
		return nil, redacted(err, o.Database)
	}
	return db, nil
}

// fromPlan fills in, from the plan's target, what the flags leave out. The
// database: --database comes first, then a plan named with -c, then
// $DECANT_DATABASE, then decant.yaml if it exists. The migrations
// directory, when a plan is named with -c or gave the database: --dir,
// then the plan's migrations key, then the plan directory's migrations;
// like every path of the plan, not the working directory's.
func (o *DBOpts) fromPlan(c *cobra.Command) error {
	named := c.Flags().Changed("config")
	needDB := o.Database == "" && (named || os.Getenv("DECANT_DATABASE") == "")
	needDir := !c.Flags().Changed("dir")
	if needDir {
		o.dirHint = "; give --dir, or name a plan with -c"
	}
	if !needDB && !(needDir && named) {
		return nil
	}
	d, err := planTarget(c)
	if err != nil || d.dir == "" {
		return err
	}
	if needDB {
		o.Database = d.url
	}
	switch {
	case !needDir:
	case d.migrations != "":
		o.Dir, o.dirHint = d.migrations, " (the plan's migrations key); create it, or correct the key"
	default:
		o.Dir, o.dirHint = filepath.Join(d.dir, "migrations"), "; the plan has no migrations key, give --dir"
	}
	return nil
}

func newDBCmd() *cobra.Command {
	o := &DBOpts{}
	cmd := &cobra.Command{Use: "db", Short: "Versioned schema and data migrations (see docs/migrations.md)"}
	cmd.PersistentFlags().StringVar(&o.Database, "database", "", "database URL (default: the target of the plan -c names, else $DECANT_DATABASE)")
	cmd.PersistentFlags().StringVar(&o.Dir, "dir", "migrations", "directory of migration files (default: the plan's migrations key, else migrations beside the plan)")
	cmd.PersistentFlags().StringVar(&o.Lock, "lock", "", "advisory (PostgreSQL default) or table (for PgBouncer transaction pooling)")
	cmd.PersistentFlags().DurationVar(&o.LockTimeout, "lock-timeout", 5*time.Minute, "how long to wait for another run's lock")
	run := func(fn func(context.Context, DBOpts, io.Writer) error) func(*cobra.Command, []string) error {
		return func(c *cobra.Command, _ []string) error {
			o.JSON, _ = c.Flags().GetBool("json")
			if name := c.Name(); name != "status" {
				// redo runs down sections and rewrites data: destructive.
				if err := guardTool(c, name == "down" || name == "redo"); err != nil {
					return err
				}
			}
			if err := o.fromPlan(c); err != nil {
				return err
			}
			if err := validate(o); err != nil {
				return err
			}
			return fn(c.Context(), *o, c.OutOrStdout())
		}
	}
	up := &cobra.Command{Use: "up", Short: "Apply pending migrations", Args: cobra.NoArgs, RunE: run(RunDBUp)}
	up.Flags().Int64Var(&o.To, "to", 0, "stop after this migration number")
	up.Flags().StringVar(&o.Release, "release", "", "apply what this application release needs, nothing later")
	status := &cobra.Command{Use: "status", Short: "Applied, pending, drifted and failed migrations", Args: cobra.NoArgs, RunE: run(RunDBStatus)}
	baseline := &cobra.Command{
		Use: "baseline N", Short: "Adopt an existing database: record 1..N as applied without running them", Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || n < 1 {
				return usageError(fmt.Errorf("db baseline: %q is not a migration number (1 or more)", args[0]))
			}
			o.To = n
			return run(RunDBBaseline)(c, nil)
		},
	}
	accept := &cobra.Command{
		Use: "accept-checksum N", Short: "Record a deliberate edit of an applied migration", Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return run(func(ctx context.Context, o DBOpts, w io.Writer) error { return RunDBAcceptChecksum(ctx, o, args[0], w) })(c, nil)
		},
	}
	accept.Flags().StringVar(&o.Reason, "reason", "", "why the applied migration was edited (kept in the log)")
	redo := &cobra.Command{
		Use: "redo", Short: "Re-run rerunnable migrations of releases after --since-release (development)", Args: cobra.NoArgs,
		RunE: run(RunDBRedo),
	}
	redo.Flags().StringVar(&o.Since, "since-release", "", "re-run as if the database were at this release")
	_ = redo.MarkFlagRequired("since-release")
	redo.Flags().Bool("yes", false, "confirm in an environment the plan's guards protect (on a terminal, the environment's name is asked too)")
	down := &cobra.Command{
		Use: "down --to N", Short: "Revert the migrations after N, newest first, by their down sections", Args: cobra.NoArgs,
		RunE: run(RunDBDown),
	}
	down.Flags().Int64Var(&o.To, "to", 0, "the last migration to keep (0 reverts every migration)")
	_ = down.MarkFlagRequired("to")
	down.Flags().Bool("yes", false, "confirm in an environment the plan's guards protect (on a terminal, the environment's name is asked too)")
	cmd.AddCommand(up, status, baseline, accept, redo, down)
	return cmd
}

// RunDBUp applies pending migrations and prints what it did.
func RunDBUp(ctx context.Context, o DBOpts, w io.Writer) error {
	db, err := o.open(true)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := migrations.Up(ctx, db, os.DirFS(o.Dir), o.options(w))
	if res != nil {
		if o.JSON {
			if jerr := printJSON(w, res); jerr != nil {
				return jerr
			}
		} else {
			fmt.Fprintf(w, "%d applied, %d pending\n", len(res.Applied), len(res.Pending))
		}
	}
	return redacted(err, o.Database)
}

// RunDBStatus prints every migration's state.
func RunDBStatus(ctx context.Context, o DBOpts, w io.Writer) error {
	db, err := o.open(false)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := migrations.StatusOf(ctx, db, os.DirFS(o.Dir), migrations.Options{})
	if err != nil {
		return redacted(err, o.Database)
	}
	if o.JSON {
		return printJSON(w, st)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tRELEASE\tSTATE\tAPPLIED\tBY")
	for _, s := range st {
		at, by := "", ""
		if s.Applied != nil {
			at, by = s.Applied.AppliedAt.UTC().Format(time.RFC3339), s.Applied.AppliedBy
		}
		state := string(s.State)
		if s.State == migrations.StateRunning {
			state = fmt.Sprintf("running (%d rows, cursor %s)", s.Rows, s.Cursor)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Release, state, at, by)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range st {
		if s.State == migrations.StateFailed {
			fmt.Fprintf(w, "\n%s failed: %s\n", s.File, s.Error)
		}
	}
	return nil
}

// RunDBBaseline records migrations 1..o.To as applied without running them.
func RunDBBaseline(ctx context.Context, o DBOpts, w io.Writer) error {
	db, err := o.open(false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Baseline(ctx, db, os.DirFS(o.Dir), o.To, o.options(w)); err != nil {
		return redacted(err, o.Database)
	}
	fmt.Fprintf(w, "baselined migrations 1 to %d\n", o.To)
	return nil
}

// RunDBAcceptChecksum records a deliberate edit of applied migration id.
func RunDBAcceptChecksum(ctx context.Context, o DBOpts, id string, w io.Writer) error {
	db, err := o.open(false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.AcceptChecksum(ctx, db, os.DirFS(o.Dir), id, o.Reason, o.options(w)); err != nil {
		return redacted(err, o.Database)
	}
	fmt.Fprintf(w, "accepted the new checksum of migration %s\n", id)
	return nil
}

// RunDBRedo re-runs rerunnable migrations of releases after o.Since.
func RunDBRedo(ctx context.Context, o DBOpts, w io.Writer) error {
	db, err := o.open(false)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := migrations.Redo(ctx, db, os.DirFS(o.Dir), o.Since, o.options(w))
	if res != nil && err == nil {
		if o.JSON {
			return printJSON(w, res)
		}
		fmt.Fprintf(w, "%d applied or redone, %d pending\n", len(res.Applied), len(res.Pending))
	}
	return redacted(err, o.Database)
}

// RunDBDown reverts the applied migrations numbered above o.To.
func RunDBDown(ctx context.Context, o DBOpts, w io.Writer) error {
	db, err := o.open(false)
	if err != nil {
		return err
	}
	defer db.Close()
	reverted, err := migrations.Down(ctx, db, os.DirFS(o.Dir), o.To, o.optionsVerb(w, "reverting"))
	switch {
	case reverted == nil: // refused before anything ran
	case o.JSON:
		if jerr := printJSON(w, reverted); jerr != nil && err == nil {
			err = jerr
		}
	case len(reverted) == 0 && err == nil:
		fmt.Fprintf(w, "nothing to revert: no versioned migration after %d is applied\n", o.To)
	default:
		fmt.Fprintf(w, "%d reverted\n", len(reverted))
	}
	return redacted(err, o.Database)
}

// redacted hides the database URL's secrets in err's text, whole or in
// part, and any other URL's; see decant.RedactError.
func redacted(err error, url string) error { return decant.RedactError(err, url) }
