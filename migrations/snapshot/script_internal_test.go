package snapshot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure that schema_init.sql reads back as written, whatever the
// statements hold.
func TestScript_RenderParse(t *testing.T) {
	var s script
	s.add(&s.setup, "SET", "search_path", "SET search_path = pg_catalog;")
	s.add(&s.pre, "TABLE", "public.t", "CREATE TABLE t (\n    x text DEFAULT '-- decant'\n);")
	s.add(&s.pre, "FUNCTION", "public.f()", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\nSELECT 1;\n\n-- a comment\n$$;")
	s.add(&s.post, "INDEX", "odd\nname", "CREATE INDEX i ON t (x);")
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	got, err := parseScript(s.render("-- header\n-- more\n"))
	if err != nil {
		t.Fatal(err)
	}
	s.post[0].label = "odd name"
	if diff := cmp.Diff(&s, got, cmp.AllowUnexported(script{}, statement{})); diff != "" {
		t.Errorf("parsed script (-want +got):\n%s", diff)
	}

	// An empty database makes a script with empty sections.
	if _, err := parseScript(new(script).render("")); err != nil {
		t.Errorf("empty script: %v", err)
	}
}

// Ensure that a damaged schema_init.sql is refused, and that a statement
// that would break the format is refused at save time.
func TestScript_Refused(t *testing.T) {
	for name, text := range map[string]string{
		"MissingPostData":    "-- decant: SECTION setup\n-- decant: SECTION pre-data\n",
		"UnknownSection":     "-- decant: SECTION setup\n-- decant: SECTION pre-data\n-- decant: SECTION post-data\n-- decant: SECTION data\n",
		"TwiceSection":       "-- decant: SECTION setup\n-- decant: SECTION pre-data\n-- decant: SECTION pre-data\n-- decant: SECTION post-data\n",
		"StatementFirst":     "-- decant: TABLE t\nCREATE TABLE t (x int);\n-- decant: SECTION setup\n",
		"EmptyStatement":     "-- decant: SECTION setup\n-- decant: SECTION pre-data\n-- decant: TABLE t\n\n-- decant: SECTION post-data\n",
		"EmptyFile":          "",
		"NoMarkersAtAll":     "CREATE TABLE t (x int);\n",
		"TruncatedSectionLn": "-- decant: SECTION setup\n-- decant: SECTION pre-data\n-- decant: SECTION post-da",
	} {
		if _, err := parseScript([]byte(text)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	var s script
	s.add(&s.pre, "FUNCTION", "f", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n-- decant: SECTION post-data\nSELECT 1 $$;")
	if err := s.check(); !errors.Is(err, ErrUnsupported) {
		t.Errorf("check = %v, want ErrUnsupported", err)
	}
}

// Ensure that run retries statements that fail until the ones they depend
// on have run, and reports one that never succeeds.
func TestRun_Retries(t *testing.T) {
	ctx := context.Background()
	stmts := []statement{
		{kind: "VIEW", label: "v2", sql: "create v2 after v1"},
		{kind: "VIEW", label: "v1", sql: "create v1 after t"},
		{kind: "TABLE", label: "t", sql: "create t"},
	}
	done := map[string]bool{}
	var log []string
	exec := func(ctx context.Context, sql string) error {
		if strings.Contains(sql, "SAVEPOINT") {
			return nil
		}
		log = append(log, sql)
		name, after, _ := strings.Cut(strings.TrimPrefix(sql, "create "), " after ")
		if after != "" && !done[after] {
			return errors.New("no " + after)
		}
		done[name] = true
		return nil
	}
	if err := run(ctx, exec, stmts); err != nil {
		t.Fatal(err)
	}
	want := []string{"create v2 after v1", "create v1 after t", "create t", "create v2 after v1", "create v1 after t", "create v2 after v1"}
	if diff := cmp.Diff(want, log); diff != "" {
		t.Errorf("executed (-want +got):\n%s", diff)
	}

	done = map[string]bool{}
	err := run(ctx, exec, []statement{{kind: "VIEW", label: "v", sql: "create v after nothing"}, {kind: "TABLE", label: "t", sql: "create t"}})
	if err == nil || !strings.Contains(err.Error(), "VIEW v: no nothing") {
		t.Errorf("run = %v, want the failing statement named", err)
	}
}
