package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// InitOpts are the flags of `decant init`.
type InitOpts struct {
	Path  string
	Force bool
	// JSON prints {"path": ..., "files": ..., "next": ..., "next_steps": ...}
	// rather than sentences.
	JSON bool
}

func newInitCmd() *cobra.Command {
	o := &InitOpts{}
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented decant.yaml, its setup.sql and sample.jsonl to start from",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = "decant.yaml"
			if len(args) == 1 {
				o.Path = args[0]
			}
			o.JSON, _ = cmd.Flags().GetBool("json")
			return RunInit(*o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&o.Force, "force", false, "overwrite existing files")
	return cmd
}

// starterFile is one file init writes, named relative to the plan's
// directory, as the plan refers to it.
type starterFile struct {
	name, text string
}

// starterFiles are the plan and the two files it uses, so that the plan
// runs as written: setup.sql creates its table (migrate runs it first) and
// sample.jsonl gives it records.
func starterFiles(planName string) []starterFile {
	return []starterFile{
		{planName, starterPlan},
		{"setup.sql", starterSetup},
		{"sample.jsonl", starterSample},
	}
}

// RunInit writes the starter plan and the files it uses beside it, and
// prints the commands that run it. It writes nothing when one of them
// exists, unless Force.
func RunInit(o InitOpts, w io.Writer) error {
	dir := filepath.Dir(o.Path)
	files := starterFiles(filepath.Base(o.Path))
	if !o.Force {
		for _, f := range files {
			p := filepath.Join(dir, f.name)
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("init: %s exists (use --force to overwrite it, or name another plan file in another directory)", p)
			} else if !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("init: %w", err)
			}
		}
	}
	var written []string
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := writeStarter(p, f.text, o.Force); err != nil {
			return err
		}
		written = append(written, p)
	}
	c := " -c " + o.Path
	next := []string{
		"decant migrate --dry-run" + c, // what a run will do; writes nothing
		"decant migrate" + c,           // creates the database, runs setup.sql, loads sample.jsonl
		"decant status" + c,
		"decant check" + c,
	}
	if o.JSON {
		return printJSON(w, struct {
			Path      string   `json:"path"`
			Files     []string `json:"files"`
			Next      string   `json:"next"`
			NextSteps []string `json:"next_steps"`
		}{o.Path, written, next[0], next})
	}
	fmt.Fprintf(w, "wrote %s\n", strings.Join(written, ", "))
	fmt.Fprintf(w, "it runs as written: setup.sql creates the table items, sample.jsonl has 3 records to load into it.\n")
	fmt.Fprintf(w, "next, try it:\n")
	for _, n := range next {
		fmt.Fprintf(w, "  %s\n", n)
	}
	fmt.Fprintf(w, "then point the source connection at your data and edit the step, setup.sql and the map to match.\n")
	return nil
}

// writeStarter writes one starter file, refusing to replace one unless
// force.
func writeStarter(path, text string, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("init: %s exists (use --force to overwrite it)", path)
	}
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("init: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	return nil
}

const starterPlan = `# decant plan. Every key is documented in docs/plan.md.
# As written it loads sample.jsonl into the table items of decant.db:
#   decant migrate --dry-run   # what a run would do, writing nothing
#   decant migrate             # create decant.db, run setup.sql, load the records
#   decant status
version: 1

# Named connections. ${VAR} and ${VAR:-default} are read from the environment;
# passwords in URLs are never printed (write @ / ? # % in them as %40 %2F %3F %23 %25).
connections:
  # The target holds your tables and decant's own decant_* state tables.
  # migrate creates a SQLite file that does not exist yet (not its directory).
  target: ${DECANT_TARGET:-sqlite:decant.db}
  # A JSONL or CSV file (relative paths are relative to this plan file)...
  source: file:sample.jsonl
  # ...or a cursor-paginated HTTP feed:
  # feed: https://example.org/all-form-submissions

# Which connection is the target (default "target").
target: target

# SQL files migrate runs on the target before the steps, every time: keep
# them idempotent (CREATE TABLE IF NOT EXISTS). For versioned schema changes
# use a migrations directory instead (plan key migrations).
setup: [setup.sql]

# String values that become NULL in every column unless a step says otherwise.
null_if: ["", "NaN", "Invalid Date"]

# Timestamps without an offset are read in this zone.
timezone: UTC

steps:
  - name: items
    from:
      connection: source
      key: id               # JSON path of the record key
    key: id                 # upsert key column(s) of the target table
    batch_size: 1000
    to:
      table: items          # or: route: record.type, routes: {table: [aliases]}
    map:                    # column: expression over record, key, scope, step
      id: record.id
      name: trim(record.name)
      created_at: record.created_at
    # fields: record        # also map every field whose snake_case name is a column
    columns:
      created_at: {type: timestamp, layout: rfc3339}
`

const starterSetup = `-- Run by decant migrate before the steps, every time (plan key setup):
-- keep it idempotent.
CREATE TABLE IF NOT EXISTS items (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    created_at text
);
`

const starterSample = `{"id": 1, "name": " Ada ", "created_at": "2024-05-06T07:08:09Z"}
{"id": 2, "name": "Grace", "created_at": "2024-05-07T10:00:00+05:30"}
{"id": 3, "name": "Edsger", "created_at": ""}
`
