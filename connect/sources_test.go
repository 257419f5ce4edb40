package connect_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/couchdb"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/mysql"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/postgres"
	"github.com/decanthq/decant/sqlite"
)

// Ensure the default registry names decant's sources and their options types.
func TestDefaultSources(t *testing.T) {
	t.Parallel()
	r := connect.DefaultSources()
	if got := r.Schemes(); !slices.Equal(got, []string{"couchdb+http", "couchdb+https", "file", "http", "https", "mariadb", "mysql", "postgres", "postgresql", "sqlite"}) {
		t.Errorf("Schemes = %q, want couchdb+http, couchdb+https, file, http, https, mariadb, mysql, postgres, postgresql, sqlite", got)
	}
	for scheme, want := range map[string]any{"http": &httpfeed.Options{}, "HTTPS": &httpfeed.Options{}, "file": &files.Options{},
		"couchdb+http": &couchdb.Options{}, "COUCHDB+HTTPS": &couchdb.Options{}} {
		if got := r.NewOptions(scheme); got == nil || !sameType(got, want) {
			t.Errorf("NewOptions(%s) = %T, want %T", scheme, got, want)
		}
	}
	if got, ok := r.NewOptions("MySQL").(*mysql.Options); !ok {
		t.Errorf("NewOptions(MySQL) = %T, want *mysql.Options", got)
	}
	if got, ok := r.NewOptions("postgresql").(*postgres.SourceOptions); !ok {
		t.Errorf("NewOptions(postgresql) = %T, want *postgres.SourceOptions", got)
	}
	if got, ok := r.NewOptions("sqlite").(*sqlite.SourceOptions); !ok {
		t.Errorf("NewOptions(sqlite) = %T, want *sqlite.SourceOptions", got)
	}
	if got := r.NewOptions("oracle"); got != nil {
		t.Errorf("NewOptions(oracle) = %T, want nil", got)
	}
}

func sameType(a, b any) bool {
	switch a.(type) {
	case *httpfeed.Options:
		_, ok := b.(*httpfeed.Options)
		return ok
	case *files.Options:
		_, ok := b.(*files.Options)
		return ok
	case *couchdb.Options:
		_, ok := b.(*couchdb.Options)
		return ok
	}
	return false
}

// Ensure two kinds cannot claim one scheme.
func TestNewRegistryDuplicateScheme(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("NewRegistry with file: twice did not panic")
		}
	}()
	connect.NewRegistry(connect.LocalKind(files.Open, "file"), connect.LocalKind(files.Open, "FILE"))
}

// writePlan writes a plan and its data file to a temporary directory.
func writePlan(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orders.txt"), []byte("id;total\n7;12.50\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "decant.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const optionsPlan = `connections:
  data: file:orders.txt
  target: sqlite:out.db
steps:
  - name: orders
    from: {connection: data, key: id, format: csv, delimiter: ';'}
    key: id
    to: {table: orders}
    map: {id: record.id}
`

// Ensure a step's options reach its source whether the plan decoded them
// at load or Sources decodes them when it opens the step.
func TestSourcesAppliesOptions(t *testing.T) {
	t.Parallel()
	path := writePlan(t, optionsPlan)
	for name, opts := range map[string]plan.Options{"AtLoad": {Sources: connect.DefaultSources()}, "AtOpen": {}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := plan.Load(path, opts)
			if err != nil {
				t.Fatal(err)
			}
			src, err := connect.Sources(p)(context.Background(), p.Steps[0])
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			rows, err := src.Read(context.Background(), decant.DefaultScope, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			if !rows.Next(context.Background()) || rows.Record().Key != "7" {
				t.Fatalf("did not read the ';'-separated row keyed 7: %v", rows.Err())
			}
		})
	}
}

// Ensure a bad option in a plan loaded without Sources fails when the step
// opens, with the plan's file:line:col, as a load with Sources would.
func TestSourcesBadOptionAtOpen(t *testing.T) {
	t.Parallel()
	path := writePlan(t, strings.Replace(optionsPlan, "delimiter: ';'", "delimiter: ';;'", 1))
	if _, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()}); err == nil {
		t.Fatal("Load with Sources accepted delimiter ';;'")
	}
	p, err := plan.Load(path, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = connect.Sources(p)(context.Background(), p.Steps[0])
	var pe *plan.Error
	if !errors.As(err, &pe) || pe.Line != 6 || !strings.Contains(pe.Msg, "from.delimiter") {
		t.Errorf("Sources: error %v, want a *plan.Error on line 6 naming from.delimiter", err)
	}
	if got := connect.Warnings(p, p.Steps); len(got) != 0 {
		t.Errorf("Warnings = %q, want none for a source that does not open", got)
	}
}

// Ensure OpenSource does not drop options nobody decoded, and refuses
// options of another kind of source.
func TestOpenSourceOptionsMisused(t *testing.T) {
	t.Parallel()
	p, err := plan.Load(writePlan(t, optionsPlan), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connect.OpenSource(p.Connections["data"], filepath.Dir(p.File), p.Steps[0].From); err == nil ||
		!strings.Contains(err.Error(), "format, delimiter") {
		t.Errorf("OpenSource of undecoded options: error %v, want one naming format, delimiter", err)
	}
	_, err = connect.OpenSource("https://feed.example/f", "", plan.From{Key: "id", Cursor: "v", Options: &files.Options{}})
	if err == nil || !strings.Contains(err.Error(), "*files.Options") {
		t.Errorf("OpenSource of a feed with file options: error %v, want one naming the types", err)
	}
}

// countOptions are the options of a made-up source.
type countOptions struct {
	Count int `yaml:"count" min:"1"`
}

// countSource yields Count records keyed by number.
type countSource struct {
	decant.Source
	n int
}

func openCount(url, key, cursor string, o *countOptions) (*countSource, error) {
	return &countSource{n: o.Count}, nil
}

// Ensure a source added with one registry line gets its options decoded
// from the plan, checked at load, and handed to its opener.
func TestRegistryNewKind(t *testing.T) {
	t.Parallel()
	r := connect.NewRegistry(connect.Kind(openCount, "count"))
	src := "connections:\n  n: count://x\n  target: sqlite:out.db\nsteps:\n  - name: a\n    from: {connection: n, key: id, count: 3}\n" +
		"    key: id\n    to: {table: a}\n    map: {id: record.id}\n"
	p, err := plan.Parse("p.yaml", []byte(src), plan.Options{Sources: r})
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.Sources(p)(context.Background(), p.Steps[0])
	if err != nil {
		t.Fatal(err)
	}
	if cs, ok := s.(*countSource); !ok || cs.n != 3 {
		t.Errorf("opened %#v, want a count source of 3", s)
	}
	_, err = plan.Parse("p.yaml", []byte(strings.Replace(src, "count: 3", "count: 0", 1)), plan.Options{Sources: r})
	if err == nil || !strings.Contains(err.Error(), "p.yaml:6:") || !strings.Contains(err.Error(), "from.count must be a whole number of at least 1") {
		t.Errorf("count: 0: error %v, want it refused at line 6", err)
	}
	if _, err := r.Open("http://feed.example/f", "", plan.From{}); !errors.Is(err, connect.ErrScheme) || !strings.Contains(err.Error(), "sources read count URLs") {
		t.Errorf("Open of http with a registry of count only: error %v, want ErrScheme naming count", err)
	}
}
