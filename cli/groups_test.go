package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// icms is a plan in ICMS's order: groups user (u), reference (r, ref) and
// import_application (ia) of one, two and three steps, then a step of no
// group; each step fills its own table from a file of three records, the
// tables made by a migration that has a down section. extra is added to
// the plan (guards:). target is the target's URL ("" for SQLite).
type icms struct {
	dir, plan, db string
}

var icmsSteps = []struct{ name, group string }{
	{"users", "user"}, {"countries", "reference"}, {"units", "reference"},
	{"apps", "import_application"}, {"app_goods", "import_application"}, {"app_notes", "import_application"},
	{"tasks", ""},
}

func newICMS(t *testing.T, target, extra string) *icms {
	t.Helper()
	s := &icms{dir: t.TempDir()}
	s.plan = filepath.Join(s.dir, "decant.yaml")
	s.db = target
	if target == "" {
		s.db = "sqlite:" + filepath.Join(s.dir, "target.db")
		target = "sqlite:target.db"
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(s.dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(s.dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var plan, up, down, conns strings.Builder
	for _, st := range icmsSteps {
		fmt.Fprintf(&conns, "  %s: file:%s.jsonl\n", st.name, st.name)
		fmt.Fprintf(&plan, "  - name: %s\n    from: {connection: %s, key: id}\n    key: id\n    to: {table: %s}\n    map: {id: record.id}\n", st.name, st.name, st.name)
		if st.group != "" {
			fmt.Fprintf(&plan, "    group: %s\n", st.group)
		}
		fmt.Fprintf(&up, "CREATE TABLE %s (id integer PRIMARY KEY);\n", st.name)
		fmt.Fprintf(&down, "DROP TABLE %s;\n", st.name)
		write(st.name+".jsonl", `{"id":1}`+"\n"+`{"id":2}`+"\n"+`{"id":3}`+"\n")
	}
	write("schema/0001_tables.sql", up.String()+"-- decant:down\n"+down.String())
	write("decant.yaml", "version: 1\nconnections:\n"+conns.String()+"  target: "+target+"\nmigrations: schema\n"+
		`groups:
  - {name: user, aliases: [u]}
  - {name: reference, aliases: [r, ref]}
  - {name: import_application, aliases: [ia]}
`+extra+"steps:\n"+plan.String())
	return s
}

// filled lists the steps whose table has rows, in plan order.
func (s *icms) filled(t *testing.T) string {
	t.Helper()
	var out []string
	for _, st := range icmsSteps {
		if queryRows(t, s.db, "SELECT count(*) FROM "+st.name) != "0" {
			out = append(out, st.name)
		}
	}
	return strings.Join(out, ",")
}

// Ensure --start, --skip and --only (names and aliases) run exactly the
// steps ICMS's flags would, on SQLite and PostgreSQL.
func testMigrateSelection(t *testing.T, target func(*testing.T) string) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"StartIA2", []string{"--start", "ia.2"}, "app_goods,app_notes,tasks"},
		{"StartRef", []string{"--start", "reference"}, "countries,units,apps,app_goods,app_notes,tasks"},
		{"SkipAliases", []string{"--skip", "u", "--skip", "ia"}, "countries,units,tasks"},
		{"SkipStep", []string{"--skip", "units,tasks"}, "users,countries,apps,app_goods,app_notes"},
		{"OnlyAlias", []string{"--only", "ref"}, "countries,units"},
		{"StartWithSkip", []string{"--start", "r.2", "--skip", "import_application"}, "units,tasks"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newICMS(t, target(t), "")
			mustRun(t, append([]string{"migrate", "-c", s.plan}, tt.args...)...)
			if got := s.filled(t); got != tt.want {
				t.Errorf("migrate %s filled %s, want %s", strings.Join(tt.args, " "), got, tt.want)
			}
		})
	}
}

func TestMigrateSelection_SQLite(t *testing.T) {
	t.Parallel()
	testMigrateSelection(t, func(*testing.T) string { return "" })
}

func TestMigrateSelection_Postgres(t *testing.T) {
	t.Parallel()
	testMigrateSelection(t, func(t *testing.T) string { return testenv.Postgres(t) })
}

// Ensure a bad group, alias, index or step is refused with exit code 2
// and the names or numbers that are valid, before the target is made.
func TestMigrateSelection_Errors(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "", "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--start", "ia.4"}, "--start ia.4: group import_application has 3 step(s), numbered from 1: 1 apps, 2 app_goods, 3 app_notes"},
		{[]string{"--start", "ia.0"}, "--start ia.0: group import_application has 3 step(s)"},
		{[]string{"--start", "file.1"}, `--start file.1: "file" is no group of the plan (write GROUP.N, N counting from 1 within the group); its groups are user (u), reference (r, ref), import_application (ia)`},
		{[]string{"--skip", "file"}, "--skip file: the plan has no step or group of that name; its steps are users, countries, units, apps, app_goods, app_notes, tasks; its groups are user (u), reference (r, ref), import_application (ia)"},
		{[]string{"--only", "refs"}, "--only refs: the plan has no step or group of that name"},
		{[]string{"--only", "u", "--skip", "user"}, "--only u with --skip user leaves no step to run"},
		{[]string{"--batch-size", "-1"}, "--batch-size -1: give a number of records of at least 1"},
		{[]string{"--batch-size", "0"}, "--batch-size 0: give a number of records of at least 1"},
	} {
		r := run(t, append([]string{"migrate", "-c", s.plan}, tt.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("migrate %s: want exit 2 and %q:\n%s", strings.Join(tt.args, " "), tt.want, r)
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, "target.db")); !os.IsNotExist(err) {
		t.Errorf("a refused selection made the target: %v", err)
	}
}

// Ensure --batch-size replaces every step's batch_size for the run: three
// records in batches of one are three audit rows per step, and the rows
// are those of a run in one batch.
func TestMigrate_BatchSize(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "", "")
	mustRun(t, "migrate", "-c", s.plan, "--batch-size", "1", "--only", "ia")
	if got := queryRows(t, s.db, "SELECT step, count(*) FROM decant_batches GROUP BY step ORDER BY step"); got != "app_goods 3\napp_notes 3\napps 3" {
		t.Errorf("batches per step with --batch-size 1 = %q, want 3 each", got)
	}
	if got := queryRows(t, s.db, "SELECT count(*) FROM app_goods"); got != "3" {
		t.Errorf("app_goods = %s rows, want 3", got)
	}
}

// Ensure reset --group undoes only the named groups' steps (by alias),
// the last step first, keeping the others' rows and state; and that reset
// --migrations then reverts the plan's migrations, down to none.
func testResetGroup(t *testing.T, target string) {
	s := newICMS(t, target, "")
	mustRun(t, "migrate", "-c", s.plan)
	r := mustRun(t, "reset", "-c", s.plan, "--group", "ia", "--group", "r", "--yes", "--json")
	var got struct {
		Groups []string `json:"groups"`
		Steps  []struct {
			Step string `json:"step"`
			Rows int64  `json:"rows"`
		} `json:"steps"`
	}
	decodeJSON(t, r, &got)
	var order []string
	for _, st := range got.Steps {
		order = append(order, st.Step)
	}
	if strings.Join(order, ",") != "app_notes,app_goods,apps,units,countries" || strings.Join(got.Groups, ",") != "ia,r" {
		t.Errorf("reset --group ia --group r = %+v, want the steps app_notes,app_goods,apps,units,countries (reverse plan order)", got)
	}
	if got := s.filled(t); got != "users,tasks" {
		t.Errorf("tables with rows after the reset = %s, want users,tasks", got)
	}
	if got := queryRows(t, s.db, "SELECT step FROM decant_checkpoints ORDER BY step"); got != "tasks\nusers" {
		t.Errorf("checkpoints after the reset = %q, want those of tasks and users only", got)
	}
	r = mustRun(t, "reset", "-c", s.plan, "--migrations", "--yes")
	if !strings.Contains(r.stdout, "reverted migration 0001") || !strings.Contains(r.stdout, "reverted 1 migration(s)") {
		t.Errorf("reset --migrations printed:\n%s", r)
	}
	if got := queryRows(t, s.db, "SELECT count(*) FROM decant_ledger"); got != "0" {
		t.Errorf("ledger rows after a full reset = %s, want 0", got)
	}
	if got := queryRows(t, s.db, "SELECT count(*) FROM decant_migrations"); got != "0" {
		t.Errorf("%s migrations still applied after reset --migrations, want 0", got)
	}
	tables := "SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"
	if target == "" {
		tables = "SELECT count(*) FROM sqlite_master WHERE name = 'users'"
	}
	if got := queryRows(t, s.db, tables); got != "0" {
		t.Errorf("table users is still there after reset --migrations (its down section drops it)")
	}
	mustRun(t, "migrate", "-c", s.plan) // the migrations apply again
	if got := s.filled(t); got != "users,countries,units,apps,app_goods,app_notes,tasks" {
		t.Errorf("after reset --migrations and migrate, filled = %s, want every step", got)
	}
}

func TestResetGroup_SQLite(t *testing.T) {
	t.Parallel()
	testResetGroup(t, "")
}

func TestResetGroup_Postgres(t *testing.T) {
	t.Parallel()
	testResetGroup(t, testenv.Postgres(t))
}

// Ensure reset --migrations is refused, deleting nothing, while another
// scope holds rows and state in the schema it would drop, naming that
// scope; once that scope is reset it runs, and that scope's next migrate
// writes every step back.
func TestResetMigrations_OtherScopes(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "", "")
	mustRun(t, "migrate", "-c", s.plan, "--scope", "a")
	mustRun(t, "migrate", "-c", s.plan, "--scope", "b")
	r := run(t, "reset", "-c", s.plan, "--scope", "a", "--migrations", "--yes")
	want := "reset --migrations reverts the schema every scope shares, and scope(s) b still hold rows and state in it: " +
		"reset them first (decant reset --scopes :b --yes), then run reset --scope a --migrations again; nothing was deleted"
	if r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("reset --scope a --migrations with scope b migrated: want exit 2 and %q:\n%s", want, r)
	}
	if got := queryRows(t, s.db, "SELECT scope, count(*) FROM decant_ledger GROUP BY scope ORDER BY scope"); got != "a 21\nb 21" || s.filled(t) != "users,countries,units,apps,app_goods,app_notes,tasks" {
		t.Errorf("the refused reset deleted: ledger rows per scope %q, filled %s", got, s.filled(t))
	}
	mustRun(t, "reset", "-c", s.plan, "--scopes", ":b", "--yes")
	mustRun(t, "reset", "-c", s.plan, "--scope", "a", "--migrations", "--yes")
	mustRun(t, "migrate", "-c", s.plan, "--scope", "b")
	if got := s.filled(t); got != "users,countries,units,apps,app_goods,app_notes,tasks" {
		t.Errorf("scope b migrated after reset --scope a --migrations: filled %q, want every step", got)
	}
}

// writeSchema replaces the icms plan's migration with up and down.
func (s *icms) writeSchema(t *testing.T, down string) {
	t.Helper()
	var up strings.Builder
	for _, st := range icmsSteps {
		fmt.Fprintf(&up, "CREATE TABLE %s (id integer PRIMARY KEY);\n", st.name)
	}
	if err := os.WriteFile(filepath.Join(s.dir, "schema", "0001_tables.sql"), []byte(up.String()+down), 0o644); err != nil {
		t.Fatal(err)
	}
}

// resetMigrationsWith migrates an icms plan whose migration has the
// down section down, then runs reset --migrations --yes.
func resetMigrationsWith(t *testing.T, down string) (*icms, result) {
	t.Helper()
	s := newICMS(t, "", "")
	s.writeSchema(t, down)
	mustRun(t, "migrate", "-c", s.plan)
	return s, run(t, "reset", "-c", s.plan, "--migrations", "--yes")
}

// Ensure reset --migrations is refused before it deletes a row when a
// migration it would revert has no down section.
func TestResetMigrations_NoDownSection(t *testing.T) {
	t.Parallel()
	s, r := resetMigrationsWith(t, "")
	if r.code != 1 || !strings.Contains(r.stderr, "0001_tables.sql has no down section") || !strings.Contains(r.stderr, "(nothing was deleted)") {
		t.Errorf("reset --migrations over a migration without a down section: want exit 1, the migration named, nothing deleted:\n%s", r)
	}
	if got := s.filled(t); got != "users,countries,units,apps,app_goods,app_notes,tasks" {
		t.Errorf("the refused reset deleted rows: filled %s", got)
	}
}

// Ensure a reset whose --migrations then fails (a down section that
// breaks) says the reset itself deleted everything, not that it failed
// part-way, and does not claim the migrations were reverted.
func TestResetMigrations_FailingDown(t *testing.T) {
	t.Parallel()
	s, r := resetMigrationsWith(t, "-- decant:down\nDROP TABLE nosuch;\n")
	if r.code != 1 || !strings.Contains(r.stderr, "down section of migration 0001_tables.sql failed") {
		t.Errorf("reset --migrations with a failing down section: want exit 1 and the down section's failure:\n%s", r)
	}
	if !strings.Contains(r.stdout, "reset scope default: deleted 21 rows of 21 records") || strings.Contains(r.stdout, "before the error") || strings.Contains(r.stdout, "reverted") {
		t.Errorf("the reset's summary reads as a failed reset, or claims the migrations reverted:\n%s", r)
	}
	if got := queryRows(t, s.db, "SELECT count(*) FROM decant_ledger"); got != "0" {
		t.Errorf("ledger rows after the reset = %s, want 0", got)
	}
}

// Ensure reset's new flags refuse what they cannot do, before anything
// is deleted.
func TestResetGroup_Errors(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "", "")
	mustRun(t, "migrate", "-c", s.plan)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--group", "file"}, "--group file: the plan has no group of that name; its groups are user (u), reference (r, ref), import_application (ia)"},
		{[]string{"--group", "users"}, "--group users: the plan has no group of that name"},
		{[]string{"--group", "ia", "--step", "apps"}, "--step and --group cannot be combined"},
		{[]string{"--group", "ia", "--migrations"}, "--migrations reverts the schema every scope and step shares"},
	} {
		r := run(t, append([]string{"reset", "-c", s.plan, "--yes"}, tt.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("reset %s: want exit 2 and %q:\n%s", strings.Join(tt.args, " "), tt.want, r)
		}
	}
	if got := s.filled(t); got != "users,countries,units,apps,app_goods,app_notes,tasks" {
		t.Errorf("a refused reset deleted rows: filled = %s", got)
	}
}

// Ensure verify takes --skip as migrate does, with --only and aliases: it
// verifies the steps left, and a bad name is refused listing the valid.
func TestVerifySkip(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "", "")
	mustRun(t, "migrate", "-c", s.plan, "--skip", "tasks")
	r := mustRun(t, "verify", "-c", s.plan, "--json", "--skip", "ia,tasks", "--only", "r,ia,tasks")
	var got struct {
		Clean bool `json:"clean"`
		Steps []struct {
			Step string `json:"step"`
		} `json:"steps"`
	}
	decodeJSON(t, r, &got)
	var steps []string
	for _, st := range got.Steps {
		steps = append(steps, st.Step)
	}
	if strings.Join(steps, ",") != "countries,units" || !got.Clean {
		t.Errorf("verify --only r,ia,tasks --skip ia,tasks verified %v (clean %v), want countries,units, clean", steps, got.Clean)
	}
	if r := run(t, "verify", "-c", s.plan, "--skip", "refs"); r.code != 2 || !strings.Contains(r.stderr, "--skip refs: the plan has no step or group of that name; its steps are users") {
		t.Errorf("verify --skip refs:\n%s", r)
	}
}
