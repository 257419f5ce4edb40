package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// InitOpts are the flags of `decant init`.
type InitOpts struct {
	Path  string
	Force bool
	// JSON prints {"path": ..., "next": ...} rather than a sentence.
	JSON bool
}

func newInitCmd() *cobra.Command {
	o := &InitOpts{}
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented decant.yaml to start from",
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
	cmd.Flags().BoolVar(&o.Force, "force", false, "overwrite an existing file")
	return cmd
}

// RunInit writes the starter plan; it refuses to overwrite without Force.
func RunInit(o InitOpts, w io.Writer) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if o.Force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(o.Path, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("init: %s exists (use --force to overwrite)", o.Path)
	}
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if _, err := f.WriteString(starterPlan); err != nil {
		f.Close()
		return fmt.Errorf("init: write %s: %w", o.Path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	next := "decant check -c " + o.Path
	if o.JSON {
		return printJSON(w, struct {
			Path string `json:"path"`
			Next string `json:"next"`
		}{o.Path, next})
	}
	fmt.Fprintf(w, "wrote %s; edit it, then run: %s\n", o.Path, next)
	return nil
}

const starterPlan = `# decant plan. Every key is documented in docs/plan.md.
version: 1

# Named connections. ${VAR} and ${VAR:-default} are read from the environment;
# passwords in URLs are never printed.
connections:
  # The target holds your tables and decant's own decant_* state tables.
  target: ${DECANT_TARGET:-sqlite:decant.db}
  # A JSONL or CSV file (relative paths are relative to this plan file)...
  source: file:data.jsonl
  # ...or a cursor-paginated HTTP feed:
  # feed: https://example.org/all-form-submissions

# Which connection is the target (default "target").
target: target

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
