package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/decanthq/decant"
)

// printUnmapped lists the fields of step's records that reached no
// column, a table of them under a heading; nothing when there are none.
func printUnmapped(w io.Writer, step string, fields []decant.UnmappedField) error {
	if len(fields) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nstep %s: %d %s reached no column (add columns, map them, or set unmapped: ignore; see docs/plan.md):\n",
		step, len(fields), plural(len(fields), "field", "fields"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  TABLE\tFIELD\tRECORDS\tEXAMPLE")
	for _, f := range fields {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\n", f.Table, f.Path, f.Records, oneLine(f.Example))
	}
	return tw.Flush()
}

// unmappedSummary is migrate's line on the fields of step's records that
// reached no column: how many, the first few, and where to see them all;
// "" when there are none.
func unmappedSummary(step string, fields []decant.UnmappedField, dryRun bool) string {
	if len(fields) == 0 {
		return ""
	}
	const shown = 3
	var names []string
	for i, f := range fields {
		if i == shown {
			names = append(names, fmt.Sprintf("and %d more", len(fields)-shown))
			break
		}
		names = append(names, fmt.Sprintf("%s %s (%d)", f.Table, f.Path, f.Records))
	}
	where := "decant status lists them"
	if dryRun {
		where = "a real run keeps them for decant status"
	}
	return fmt.Sprintf("unmapped: step %s: %d %s reached no column: %s; %s",
		step, len(fields), plural(len(fields), "field", "fields"), strings.Join(names, ", "), where)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// oneLine keeps an example on its line: a JSON text has no raw newline,
// but a value cut short may end mid-escape; tabs would break the table.
func oneLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}
