package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/infer"
	"github.com/decanthq/decant/internal/ddl"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// InferOpts are the flags of `decant infer`.
type InferOpts struct {
	Common
	// Samples is the sample file (.jsonl, .ndjson, .json or .csv), or the
	// URL of a source (a feed) to read N records of.
	Samples string
	// Step reads N records of a step of the plan (--config) instead, or
	// with Files those sample files, and types what the step's mapping
	// writes (its route, map, fields and children); with Raw, the records
	// as they are.
	Step string
	// Files are sample files the step's mapping runs over (--step and
	// SAMPLES...).
	Files []string
	// Raw makes --step type its source's records as they are, for a new
	// plan (--plan-out), rather than what the step writes.
	Raw bool
	// As are reviewed types (TABLE.COLUMN=TYPE) set after inference.
	As []string
	// Nullable makes every column but the keys nullable.
	Nullable bool
	// N is how many records a source gives (default 100); a file is read
	// whole.
	N int
	// Cursor is a feed's cursor field, as a step's from.cursor.
	Cursor string
	// Key, Route and Table are infer.Options'; Table defaults to the
	// sample file's name in snake_case.
	Key, Route, Table string
	// Dialect is postgres or sqlite. Empty: the target's with FromDB,
	// else postgres.
	Dialect string
	// PlanOut is the plan file to write; MigrationOut the migrations
	// directory to write the next migration into. Neither: infer only
	// prints what it found.
	PlanOut, MigrationOut string
	// FromDB compares with the tables of the plan's (--config) target and
	// writes only what they lack.
	FromDB bool
	// Force lets --plan-out replace an existing file.
	Force bool
	// Spill is infer.Options': the JSON column of the fields past the
	// dialect's most columns.
	Spill string

	nSet bool // -n was given
}

// Validate checks the flags.
func (o *InferOpts) Validate() error {
	if err := o.validateStep(); err != nil {
		return err
	}
	switch {
	case o.Samples == "" && o.Step == "":
		return errors.New("give the sample file: decant infer SAMPLES --key FIELD (or a source's URL with -n N, or --step STEP of the plan)")
	case o.N < 1:
		return fmt.Errorf("-n %d: give how many records to read, at least 1", o.N)
	case (o.Step == "" && !isSourceURL(o.Samples) || len(o.Files) > 0) && o.nSet:
		return errors.New("-n: a sample file is read whole; -n is for a source's URL or --step without files")
	case isFeedURL(o.Samples) && o.Cursor == "":
		return errors.New("--cursor: a feed pages by a cursor field of its records; name it (--cursor serverVersion)")
	case o.Cursor != "" && !isFeedURL(o.Samples):
		return errors.New("--cursor is for a feed's URL (a step of the plan has its own from.cursor)")
	}
	if o.Key == "" && o.Step == "" {
		return errors.New("--key: give the field that identifies a record (decant infer SAMPLES --key id)")
	}
	if o.Route != "" && o.Table != "" {
		return errors.New("--table and --route: give one (--route names a table per value)")
	}
	if o.Dialect != "" {
		if _, err := infer.ParseDialect(o.Dialect); err != nil {
			return fmt.Errorf("--dialect: %w", err)
		}
	}
	if o.FromDB && o.PlanOut != "" {
		return errors.New("--from-db and --plan-out: --from-db writes only the next migration for the plan you have (--config); infer a new plan without --from-db")
	}
	if o.FromDB || o.Step != "" {
		return o.Common.Validate()
	}
	return nil
}

// validateStep checks what --step takes: sample files (not a URL) for its
// mapping; with --raw, none (it reads the step's source as it is). Its
// mapping names the key, the route and the tables, so --key, --route,
// --table and --spill are --raw's, as is --plan-out: the plan exists.
func (o *InferOpts) validateStep() error {
	switch {
	case o.Step == "":
		if o.Raw {
			return errors.New("--raw is for --step (it types the step's source records as they are)")
		}
		if len(o.Files) > 1 {
			return errors.New("give one sample file (several are for --step, whose mapping they run through)")
		}
		return nil
	case o.Raw && len(o.Files) > 0:
		return errors.New("--step --raw reads the step's source; sample files are for --step without --raw")
	case o.Raw:
		return nil
	}
	for _, f := range o.Files {
		if isSourceURL(f) {
			return fmt.Errorf("--step %s: %s is a URL: --step reads the step's own source, or sample files", o.Step, f)
		}
	}
	for flag, v := range map[string]string{"--route": o.Route, "--table": o.Table, "--key": o.Key, "--plan-out": o.PlanOut, "--spill": o.Spill} {
		if v != "" {
			return fmt.Errorf("%s: --step types what the step writes, through its own key, route and tables, into its plan; add --raw to infer a new plan from the step's source records as they are", flag)
		}
	}
	return nil
}

// isSourceURL says SAMPLES is a source's URL rather than a file: it has a
// scheme (https://, couchdb+http://).
func isSourceURL(s string) bool { return strings.Contains(s, "://") }

// isFeedURL says SAMPLES is an HTTP feed's URL, which needs --cursor.
func isFeedURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func newInferCmd(c *Common) *cobra.Command {
	o := &InferOpts{}
	cmd := &cobra.Command{
		Use:   "infer (SAMPLES | URL -n N) --key FIELD | --step STEP [-n N | SAMPLES...]",
		Short: "Infer target tables, a migration and a plan from sample records",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Common = *c
			switch {
			case o.Step != "":
				o.Files = args
			case len(args) > 1:
				o.Files = args
			case len(args) == 1:
				o.Samples = args[0]
			}
			o.nSet = cmd.Flags().Changed("n")
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunInfer(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Key, "key", "", "the field that identifies a record (the primary key)")
	f.StringVar(&o.Route, "route", "", "the field whose value names each record's table")
	f.StringVar(&o.Table, "table", "", "the one table without --route (default: the sample file's name)")
	f.StringVar(&o.Dialect, "dialect", "", "the target database: postgres or sqlite (default: the target's with --from-db, else postgres)")
	f.StringVar(&o.PlanOut, "plan-out", "", "write the plan to this file")
	f.StringVar(&o.MigrationOut, "migration-out", "", "write the migration into this migrations directory, numbered after its last")
	f.BoolVar(&o.FromDB, "from-db", false, "write only what the tables of the plan's target (--config) lack")
	f.BoolVar(&o.Force, "force", false, "let --plan-out replace an existing file")
	f.StringVar(&o.Spill, "spill", "", "gather the fields past the dialect's most columns into this JSON column")
	f.IntVarP(&o.N, "n", "n", 100, "how many records to read from a source's URL or --step")
	f.StringVar(&o.Cursor, "cursor", "", "a feed's cursor field (its from.cursor)")
	f.StringVar(&o.Step, "step", "", "type what this step of the plan (--config) writes, from its source or the sample files given")
	f.BoolVar(&o.Raw, "raw", false, "with --step: type the step's source records as they are, for a new plan")
	f.BoolVar(&o.Nullable, "nullable", false, "make every column but the keys nullable (when the samples answer what real records may not)")
	f.StringArrayVar(&o.As, "as", nil, "set a column's type: TABLE.COLUMN=TYPE, or *.COLUMN=TYPE for every table with it (repeatable)")
	return cmd
}

// InferResult is what infer found and wrote: the schema (tables and
// warnings), and the files.
type InferResult struct {
	*infer.Schema
	// Reports are the columns of an existing table (--from-db) too narrow
	// for their samples, or NOT NULL where some sample has no value: infer
	// does not alter them.
	Reports []string `json:"reports"`
	// Added and PlanNeeds are infer.Delta's (--from-db): what the
	// migration adds, and what the plan must gain to fill it.
	Added     []string `json:"added,omitempty"`
	PlanNeeds []string `json:"plan_needs,omitempty"`
	// Migration and Plan are the files written; empty when none.
	Migration string `json:"migration"`
	Plan      string `json:"plan"`
	// SQL is the migration's text, written or not (empty when --from-db
	// finds nothing new).
	SQL string `json:"sql"`
}

// RunInfer infers the tables of o.Samples, writes the migration and the
// plan that o asks for, and prints what it found.
func RunInfer(ctx context.Context, o InferOpts, w io.Writer) (*InferResult, error) {
	var cat decant.Cataloger
	if o.FromDB {
		var done func()
		var err error
		if cat, o.Dialect, done, err = openCatalog(ctx, &o.Common, o.Dialect); err != nil {
			return nil, err
		}
		defer done()
	}
	var in *inferInput
	var mapped []infer.Mapped
	var err error
	if o.mapped() {
		in, mapped, err = readMapped(ctx, &o)
	} else {
		in, err = readSamples(ctx, &o)
	}
	if err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	if o.Dialect == "" {
		// --step: the plan's target; else PostgreSQL.
		o.Dialect = cmp.Or(in.dialect, string(infer.Postgres))
	}
	d, err := infer.ParseDialect(o.Dialect)
	if err != nil {
		return nil, usageError(fmt.Errorf("--dialect: %w", err))
	}
	samples := in.samples
	table := o.Table
	if table == "" && o.Route == "" {
		table = in.name
	}
	opts := infer.Options{Key: o.Key, Route: o.Route, Table: table, Dialect: d, Spill: o.Spill}
	var s *infer.Schema
	if o.mapped() {
		s, err = infer.InferMapped(mapped, in.key, in.types, opts)
	} else {
		s, err = infer.Infer(samples, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	if err := applyAs(s, o.As); err != nil {
		return nil, err
	}
	if o.Nullable {
		s.Nullable()
	}
	res := &InferResult{Schema: s, Reports: []string{}}
	if lines := jsonLines(o.Samples); lines != "" && o.PlanOut != "" {
		s.Warnings = append(s.Warnings, convertNote(o.Samples, lines))
	}
	if cat != nil {
		delta, err := s.Next(ctx, cat, d)
		if err != nil {
			return nil, err
		}
		res.SQL, res.Reports, res.Added, res.PlanNeeds = delta.SQL, delta.Reports, delta.Added, delta.PlanNeeds
	} else {
		res.SQL = s.Migration(d)
	}
	// Every file is checked before any is written, so that a refusal
	// leaves nothing behind: a stray migration would be applied by the
	// next migrate.
	migDir := o.MigrationOut
	var files []outFile
	if o.PlanOut != "" && !o.Force {
		if _, err := os.Stat(o.PlanOut); err == nil {
			return nil, fmt.Errorf("infer: %s exists (use --force to overwrite it); nothing written", o.PlanOut)
		}
	}
	if migDir != "" && res.SQL != "" {
		path, err := nextMigration(migDir, in.name, s, cat == nil)
		if err != nil {
			return nil, err
		}
		files = append(files, outFile{path: path, text: res.SQL})
	}
	if o.PlanOut != "" {
		files = append(files, outFile{path: o.PlanOut, text: planText(o, in, s, d, migDir), replace: o.Force})
	}
	if err := writeAll(files); err != nil {
		return nil, err
	}
	if migDir != "" && res.SQL != "" {
		res.Migration = files[0].path
	}
	res.Plan = o.PlanOut
	if o.JSON {
		return res, printJSON(w, res)
	}
	printInferred(w, res, o)
	return res, nil
}

// inferInput is where the samples came from, as the plan and the files'
// names need it.
type inferInput struct {
	samples []infer.Sample
	// name names the table (without --table), the step and the migration:
	// the sample file's or the URL's last part, or the step's name.
	name string
	// url is a source's URL with its credentials redacted (rawURL: as
	// given); cursor its from.cursor. Both empty for a file.
	url, rawURL, cursor string
	// With --step: target is the plan's target connection as written
	// there, dialect its dialect, and dir the plan's directory, which a
	// relative path of a connection is read from.
	target, dialect, dir string
	// key is the key column of --step's mapping, and types the types of
	// its columns: entries.
	key   string
	types map[string]infer.Type
}

// writtenConnections are the connections of the plan file at path as
// written there: ${VARIABLES} unexpanded, so that no secret the
// environment gives is copied into another plan.
func writtenConnections(path string) (map[string]string, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p struct {
		Connections map[string]string `yaml:"connections"`
	}
	if err := yaml.Unmarshal(text, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p.Connections, nil
}

// targetDialect is the dialect of p's target.
func targetDialect(p *plan.Plan) string {
	if strings.HasPrefix(strings.ToLower(p.Connections[p.Target]), "sqlite:") {
		return string(infer.SQLite)
	}
	return string(infer.Postgres)
}

// rebase rewrites conn, a connection written in a plan in dir, for the
// plan infer writes: a relative file: or sqlite: path is made relative to
// that plan (rel takes a path from the current directory). Anything else
// (a URL, a ${VARIABLE}, an absolute path) is kept as written.
func rebase(conn, dir string, rel func(string) string) string {
	if strings.Contains(conn, "$") {
		return conn
	}
	for _, scheme := range []string{"file:", "sqlite:"} {
		if !strings.HasPrefix(strings.ToLower(conn), scheme) {
			continue
		}
		path, query, hasQuery := strings.Cut(conn[len(scheme):], "?")
		if path == "" || path == ":memory:" || filepath.IsAbs(path) || strings.HasPrefix(path, "//") {
			return conn
		}
		out := conn[:len(scheme)] + rel(filepath.Join(dir, path))
		if hasQuery {
			out += "?" + query
		}
		return out
	}
	return conn
}

// readSamples reads the samples of a file, of a source's URL, or of a step
// of the plan.
func readSamples(ctx context.Context, o *InferOpts) (*inferInput, error) {
	switch {
	case o.Step != "":
		p, err := o.load()
		if err != nil {
			return nil, err
		}
		for _, st := range p.Steps {
			if st.Name != o.Step {
				continue
			}
			src, err := connect.Sources(p)(ctx, st)
			if err != nil {
				return nil, err
			}
			defer src.Close()
			if o.Key == "" {
				o.Key = st.From.Key
			}
			written, err := writtenConnections(p.File)
			if err != nil {
				return nil, err
			}
			raw := written[st.From.Connection]
			samples, err := infer.ReadSource(ctx, src, o.Scope, "step "+st.Name, o.N)
			return &inferInput{samples: samples, name: baseName(st.Name), url: decant.RedactURL(raw), rawURL: raw, cursor: st.From.Cursor,
				target: written[p.Target], dialect: targetDialect(p), dir: filepath.Dir(p.File)}, err
		}
		return nil, usageError(fmt.Errorf("--step %s: the plan %s has no such step", o.Step, o.Config))
	case isSourceURL(o.Samples):
		src, err := connect.DefaultSources().Open(o.Samples, ".", plan.From{Connection: "source", Key: o.Key, Cursor: o.Cursor})
		if err != nil {
			return nil, err
		}
		defer src.Close()
		url := decant.RedactURL(o.Samples)
		samples, err := infer.ReadSource(ctx, src, o.Scope, url, o.N)
		return &inferInput{samples: samples, name: baseName(strings.SplitN(o.Samples, "?", 2)[0]), url: url, rawURL: o.Samples, cursor: o.Cursor}, err
	}
	samples, err := infer.ReadSamples(o.Samples)
	return &inferInput{samples: samples, name: baseName(o.Samples)}, err
}

// baseName is a file's name without its extension, in snake_case, as a
// table, step or migration name; "samples" when that is no SQL name.
func baseName(path string) string {
	b := filepath.Base(path)
	n := transform.Snake(strings.TrimSuffix(b, filepath.Ext(b)))
	if !infer.ValidName(n) {
		return "samples"
	}
	return n
}

// openCatalog opens the plan's target for --from-db, and says its dialect:
// a migration for the target must be written in the target's SQL, so a
// --dialect that is not the target's is refused.
func openCatalog(ctx context.Context, c *Common, dialect string) (decant.Cataloger, string, func(), error) {
	p, st, err := c.open(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	cat, ok := decant.As[decant.Cataloger](st)
	if !ok {
		st.Close()
		return nil, "", nil, errors.New("infer --from-db: the target cannot list its tables' columns")
	}
	target := targetDialect(p)
	if dialect != "" && dialect != target {
		st.Close()
		return nil, "", nil, usageError(fmt.Errorf("--dialect %s: the plan's target is %s; leave --dialect out with --from-db", dialect, target))
	}
	return cat, target, func() { st.Close() }, nil
}

// nextMigration is the path of the next versioned migration of dir (which
// it creates), numbered after the directory's last. With fresh (the
// migration creates every table, not --from-db), a table that an earlier
// migration of dir creates is refused: the second CREATE TABLE would fail
// when migrate applies it.
func nextMigration(dir, name string, s *infer.Schema, fresh bool) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("infer: %w", err)
	}
	set, err := migrations.Load(os.DirFS(dir), nil)
	if err != nil {
		return "", fmt.Errorf("infer: %s: %w (fix the directory first: infer numbers its migration after the last)", dir, err)
	}
	if fresh {
		if err := createdBefore(dir, set, s); err != nil {
			return "", err
		}
	}
	next := int64(1)
	if n := len(set.Versioned); n > 0 {
		next = set.Versioned[n-1].Number + 1
	}
	return filepath.Join(dir, fmt.Sprintf("%04d_infer_%s.sql", next, name)), nil
}

// createdBefore refuses the tables of s that the versioned migrations of
// dir leave existing, naming the one that creates each.
func createdBefore(dir string, set *migrations.Set, s *infer.Schema) error {
	m := &ddl.Model{Fold: true}
	for _, mig := range set.Versioned {
		if mig.File == "" {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, mig.File))
		if err != nil {
			return fmt.Errorf("infer: %w", err)
		}
		// The down section drops what the up section creates.
		up, _, _ := strings.Cut(string(text), "\n-- decant:down")
		m.Add(mig.File, up)
	}
	have := m.Apply(nil)
	for _, t := range s.All() {
		if e := have[m.Key(t.Name)]; e != nil && e.Exists {
			return fmt.Errorf("infer: %s creates the table %s already, and a second CREATE TABLE would fail when migrate applies it; nothing written. To add what the samples have new, apply it and run decant -c PLAN infer ... --from-db --migration-out %s, which writes only what the target lacks; or write into another directory", filepath.Join(dir, e.CreatedBy), t.Name, dir)
		}
	}
	return nil
}

// outFile is a file infer writes; replace lets it replace an existing one.
type outFile struct {
	path, text string
	replace    bool
}

// writeAll writes files, or none of them: when one fails, the ones it
// created are removed. A file that exists is refused unless replace.
func writeAll(files []outFile) error {
	var created []string
	for _, f := range files {
		flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if f.replace {
			flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		}
		_, statErr := os.Stat(f.path)
		fh, err := os.OpenFile(f.path, flags, 0o644)
		if err == nil {
			if statErr != nil {
				created = append(created, f.path)
			}
			_, err = fh.WriteString(f.text)
			if cerr := fh.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			for _, c := range created {
				os.Remove(c)
			}
			return fmt.Errorf("infer: %w; nothing written", err)
		}
	}
	return nil
}

// jsonLines is the JSON Lines file the plan reads for a .json sample file,
// which decant's file source cannot read (it reads JSONL, CSV and XML);
// "" for any other sample.
func jsonLines(samples string) string {
	if f, _ := infer.FormatOf(samples); f != infer.JSON || isSourceURL(samples) {
		return ""
	}
	return strings.TrimSuffix(samples, filepath.Ext(samples)) + ".jsonl"
}

// convertNote says how to write the JSON Lines file the plan reads.
func convertNote(samples, lines string) string {
	return fmt.Sprintf("decant reads no JSON array: convert the samples to JSON Lines, which the plan reads (jq -c '.[]' %s > %s; for a file of one object, jq -c .)", samples, lines)
}

// planText is the plan, its paths relative to the plan file as decant
// reads them.
func planText(o InferOpts, in *inferInput, s *infer.Schema, d infer.Dialect, migDir string) string {
	dir := filepath.Dir(o.PlanOut)
	rel := func(p string) string {
		abs, err1 := filepath.Abs(p)
		base, err2 := filepath.Abs(dir)
		if err1 != nil || err2 != nil {
			return filepath.ToSlash(p)
		}
		r, err := filepath.Rel(base, abs)
		if err != nil {
			return filepath.ToSlash(abs)
		}
		return filepath.ToSlash(r)
	}
	po := infer.PlanOptions{Source: in.url, Cursor: in.cursor, Migrations: "migrations", Step: in.name}
	switch {
	case in.url == "":
		po.Source = "file:" + rel(o.Samples)
		if lines := jsonLines(o.Samples); lines != "" {
			po.Source = "file:" + rel(lines)
			po.Note = convertNote(o.Samples, lines) + ", or point this at the real source"
		}
	case in.url != in.rawURL:
		po.Note = "infer removed the credentials of this URL: give them as ${VARIABLES} (docs/plan.md)"
	}
	if in.dir != "" {
		po.Source = rebase(po.Source, in.dir, rel)
	}
	if migDir != "" {
		po.Migrations = rel(migDir)
	}
	po.Target = "${DECANT_TARGET}"
	switch {
	case in.target != "":
		po.Target = rebase(in.target, in.dir, rel)
	case d == infer.SQLite:
		po.Target = "${DECANT_TARGET:-sqlite:decant.db}"
	}
	return s.Plan(po)
}

// printInferred prints the tables, the warnings and the files written.
func printInferred(w io.Writer, res *InferResult, o InferOpts) {
	var walk func(ts []*infer.Table, indent string)
	walk = func(ts []*infer.Table, indent string) {
		for _, t := range ts {
			records := "records"
			if t.Records == 1 {
				records = "record"
			}
			fmt.Fprintf(w, "%stable %s (%d %s", indent, t.Name, t.Records, records)
			if t.Route != "" {
				fmt.Fprintf(w, ", %s %s", cmp.Or(o.Route, "route"), strings.Join(append([]string{t.Route}, t.Aliases...), ", "))
			}
			fmt.Fprintf(w, "), key %s\n", strings.Join(t.Key, ", "))
			for _, c := range t.Columns {
				null := ""
				if c.Nullable {
					null = ", nullable"
				}
				fmt.Fprintf(w, "%s  %-30s %s%s\n", indent, c.Name, c.Type, null)
			}
			walk(t.Children, indent+"  ")
		}
	}
	if o.FromDB {
		// What is new, not every table again.
		for _, a := range res.Added {
			fmt.Fprintln(w, "new", a)
		}
	} else {
		walk(res.Tables, "")
	}
	for _, m := range res.Warnings {
		fmt.Fprintln(w, "warning:", m)
	}
	for _, m := range res.Reports {
		fmt.Fprintln(w, "not altered:", m)
	}
	for _, m := range res.PlanNeeds {
		fmt.Fprintln(w, "plan needs:", m)
	}
	switch {
	case res.Migration != "":
		fmt.Fprintln(w, "wrote", res.Migration)
	case o.FromDB && res.SQL == "" && len(res.Reports) > 0:
		fmt.Fprintln(w, "the target has every table and column, but not as the samples need (not altered: above): no migration")
	case o.FromDB && res.SQL == "":
		fmt.Fprintln(w, "the target has every table and column already: no migration")
	case o.MigrationOut == "":
		fmt.Fprintf(w, "the migration (--migration-out DIR writes it):\n%s", res.SQL)
	}
	if res.Plan != "" {
		fmt.Fprintln(w, "wrote", res.Plan)
	}
}
