package snapshot_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant/migrations/snapshot"
)

// pgFixture has one of each kind of object a snapshot carries, and values
// that are easy to get wrong.
const pgFixture = `
CREATE EXTENSION citext;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s fine');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b text);
CREATE SEQUENCE ticket_seq START 100 INCREMENT 5;

CREATE TABLE customers (
	id integer GENERATED ALWAYS AS IDENTITY (START WITH 1000) PRIMARY KEY,
	email citext NOT NULL UNIQUE,
	mood mood,
	score posint,
	balance numeric(14, 4) CHECK (balance >= 0),
	ratio double precision,
	seen timestamptz,
	born date,
	span interval,
	photo bytea,
	doc jsonb,
	raw json,
	tags text[],
	note text COLLATE "C",
	place pair,
	ticket bigint DEFAULT nextval('ticket_seq'),
	shout text GENERATED ALWAYS AS (upper(note)) STORED
);

CREATE TABLE orders (
	id bigserial PRIMARY KEY,
	customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	parent_id bigint REFERENCES orders (id),
	total numeric NOT NULL,
	touched integer NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_big ON orders (total DESC) WHERE total > 100;
CREATE UNIQUE INDEX customers_email_upper ON customers (upper(email::text));

-- Rows without a key, some of them alike.
CREATE TABLE events (kind text, payload jsonb, at timestamp);

-- decant's own tables are carried like any other.
CREATE TABLE decant_state (k text PRIMARY KEY, v text);

-- A constraint that existing rows break.
CREATE TABLE checked (id integer PRIMARY KEY, v integer);

-- A trigger that would change the rows if it fired during a load.
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.touched := NEW.touched + 1;
	RETURN NEW;
END
$$;
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION no_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'no events'; END $$;
CREATE TRIGGER events_guard BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION no_events();

-- A function whose body is parsed at creation and needs a table.
CREATE FUNCTION order_count(c integer) RETURNS bigint LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT count(*) FROM orders WHERE customer_id = c;
END;
-- A function that returns a table's rows: it comes before the tables in
-- schema_init.sql, and loads by retrying.
CREATE FUNCTION orders_of(c integer) RETURNS SETOF orders LANGUAGE sql STABLE AS $$
	SELECT * FROM orders WHERE customer_id = c
$$;

CREATE VIEW big_orders AS SELECT o.id, o.total, order_count(o.customer_id) AS n FROM orders o WHERE o.total > 100;
CREATE MATERIALIZED VIEW mood_counts AS SELECT mood, count(*) AS n FROM customers GROUP BY mood;
CREATE UNIQUE INDEX mood_counts_mood ON mood_counts (mood);
CREATE VIEW moods AS SELECT * FROM mood_counts WHERE n > 0;

INSERT INTO customers (email, mood, score, balance, ratio, seen, born, span, photo, doc, raw, tags, note, place) VALUES
	('Ann@Example.com', 'ok', 5, 1234567890.1234, 0.1, '2024-02-29 23:59:59.123456+05:30', '2000-01-01', '1 year 2 mons -3 days 04:05:06.7',
	 '\x00ff10', '{"b": [1, 2.50, null], "a": "x\ty"}', '{"b":1,  "a":2}', '{a,"b c",NULL,"d\"e"}',
	 E'tab\there\nnewline\\backslash \\N and ''quote'' ünïcödé', ROW(1, E'x\ty')),
	('bob@example.com', 'it''s fine', NULL, 0, 'NaN', 'infinity', '-infinity', '-1 day', '', '[]', 'null', '{}', '', NULL),
	('cy@example.com', NULL, 1, NULL, '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, E'\\.', ROW(NULL, NULL)),
	('dee@example.com', 'sad', 7, 0.0001, 1e308, '1970-01-01 00:00:00+00', '0044-03-15 BC', '00:00:00.000001', E'\\x5c', '{"deep": {"deeper": [true, false]}}', '[1, 2]', ARRAY[E'\n', E'\\'], E'\r\n', ROW(-1, ''));
SELECT setval('ticket_seq', 555);

INSERT INTO orders (id, customer_id, parent_id, total) VALUES (10, 1000, NULL, 150.5), (20, 1001, NULL, 3);
-- A child whose key sorts before its parent's.
INSERT INTO orders (id, customer_id, parent_id, total) VALUES (5, 1000, 20, 99999999999999999999.000000001);
SELECT setval('orders_id_seq', 20);

ALTER TABLE events DISABLE TRIGGER events_guard;
INSERT INTO events VALUES ('a', '{"x": 1}', '2024-01-01 10:00'), ('a', '{"x": 1}', '2024-01-01 10:00'), (NULL, NULL, NULL), ('b', '"s"', NULL);

INSERT INTO decant_state VALUES ('schema', '2'), ('lease', NULL);

INSERT INTO checked VALUES (1, -5), (2, 5);
ALTER TABLE checked ADD CONSTRAINT checked_v_positive CHECK (v > 0) NOT VALID;

REFRESH MATERIALIZED VIEW mood_counts;

-- Row-level security, forced even on the owner.
CREATE TABLE notes (id integer PRIMARY KEY, author text NOT NULL DEFAULT current_user, body text);
INSERT INTO notes VALUES (1, 'postgres', 'mine'), (2, 'someone', 'theirs');
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON notes FOR SELECT TO PUBLIC USING (author = current_user);
CREATE POLICY notes_keep ON notes AS RESTRICTIVE FOR DELETE TO postgres USING (false);

-- Names that need quoting.
CREATE TABLE "Odd ""Name"" t" ("Weird Col" text PRIMARY KEY, "select" integer);
INSERT INTO "Odd ""Name"" t" VALUES ('x', 1), ('X', 2), ('é', 3);

-- Enough rows that COPY sends them in many pieces.
CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 20000) g;
ALTER TABLE big ADD PRIMARY KEY (id);
`

// pgRows returns the rows of every table, view and materialized view of
// schema public, as text, sorted.
func pgRows(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rels, err := db.QueryContext(ctx, `SELECT relname FROM pg_class
		WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v', 'm') ORDER BY relname`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rels.Next() {
		var name string
		if err := rels.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rels.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range names {
		rows, err := db.QueryContext(ctx, `SELECT x::text FROM public.`+pgx.Identifier{name}.Sanitize()+` x ORDER BY x::text COLLATE "C"`)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = []string{}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Ensure that a PostgreSQL snapshot loaded into an empty database gives the
// same rows, schema, checksums and sequence values, and that the loaded
// database behaves as the original: triggers fire, constraints hold,
// sequences go on.
func TestPostgres_RoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := openPostgres(t)
	exec(t, src, pgFixture)
	opts := options(dir, "1.0.0")
	info, err := snapshot.Save(ctx, src, "snap", opts)
	if err != nil {
		t.Fatal(err)
	}
	if info.Dialect != "postgres" || info.ServerVersion == "" || len(info.Tables) != 8 || !cmp.Equal(info.Schemas, []string{"public"}) {
		t.Errorf("info: dialect %q, server %q, %d tables, schemas %v", info.Dialect, info.ServerVersion, len(info.Tables), info.Schemas)
	}

	dst := openPostgres(t)
	res, err := snapshot.Load(ctx, dst, "snap", opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Backup != "" {
		t.Errorf("backup %q of an empty database", res.Backup)
	}

	if diff := cmp.Diff(pgRows(t, src), pgRows(t, dst)); diff != "" {
		t.Errorf("rows (-saved +loaded):\n%s", diff)
	}
	info2, err := snapshot.Save(ctx, dst, "again", opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(info.Tables, info2.Tables); diff != "" {
		t.Errorf("tables and checksums (-saved +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(info.Sequences, info2.Sequences); diff != "" {
		t.Errorf("sequences (-saved +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(schemaBody(t, filepath.Join(dir, "snap")), schemaBody(t, filepath.Join(dir, "again"))); diff != "" {
		t.Errorf("schema_init.sql (-saved +loaded):\n%s", diff)
	}

	// The loaded database works as the original did.
	var id, touched int64
	if err := dst.QueryRowContext(ctx, "INSERT INTO orders (customer_id, total) VALUES (1002, 1) RETURNING id, touched").Scan(&id, &touched); err != nil {
		t.Fatal(err)
	}
	if id != 21 || touched != 1 {
		t.Errorf("new order: id %d, touched %d; want 21 (sequence goes on) and 1 (trigger fires)", id, touched)
	}
	var cid, ticket int64
	if err := dst.QueryRowContext(ctx, "INSERT INTO customers (email) VALUES ('new@example.com') RETURNING id, ticket").Scan(&cid, &ticket); err != nil {
		t.Fatal(err)
	}
	if cid != 1004 || ticket != 560 {
		t.Errorf("new customer: id %d, ticket %d; want 1004 and 560", cid, ticket)
	}
	for _, bad := range []string{
		"INSERT INTO orders (customer_id, total) VALUES (1, 1)",                 // foreign key
		"INSERT INTO customers (email) VALUES ('ANN@example.com')",              // unique citext
		"INSERT INTO customers (id, email) VALUES (1, 'x@example.com')",         // identity ALWAYS
		"INSERT INTO customers (email, score) VALUES ('y@example.com', 0)",      // domain check
		"INSERT INTO customers (email, balance) VALUES ('z@example.com', -1)",   // check
		"INSERT INTO checked VALUES (3, -1)",                                    // NOT VALID check, for new rows
		"INSERT INTO events VALUES ('c', NULL, NULL)",                           // trigger disabled, then...
		"INSERT INTO customers (email, mood) VALUES ('w@example.com', 'happy')", // enum
	} {
		_, err := dst.ExecContext(ctx, bad)
		if strings.Contains(bad, "events") {
			if err != nil {
				t.Errorf("%s: %v (the trigger was disabled)", bad, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s succeeded", bad)
		}
	}
	var n int64
	if err := dst.QueryRowContext(ctx, "SELECT order_count(1000)").Scan(&n); err != nil || n != 2 {
		t.Errorf("order_count(1000) = %d, %v; want 2", n, err)
	}
	if err := dst.QueryRowContext(ctx, "SELECT count(*) FROM orders_of(1000)").Scan(&n); err != nil || n != 2 {
		t.Errorf("orders_of(1000) has %d rows, %v; want 2", n, err)
	}
}

// Ensure that Save refuses objects it cannot carry, naming them.
func TestPostgres_Unsupported(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	for _, tt := range []struct{ sql, want string }{
		{"CREATE TABLE ruled (x int); CREATE RULE ruled_nothing AS ON INSERT TO ruled DO INSTEAD NOTHING", "table public.ruled"},
		{"CREATE AGGREGATE total (int) (sfunc = int4pl, stype = int)", "public.total(integer)"},
		{"CREATE TABLE parts (x int) PARTITION BY RANGE (x)", "table public.parts"},
		{"CREATE TYPE span AS RANGE (subtype = float8)", "type public.span"},
	} {
		exec(t, db, tt.sql)
		_, err := snapshot.Save(ctx, db, "s", options(t.TempDir(), "1.0.0"))
		if !errors.Is(err, snapshot.ErrUnsupported) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("after %s: Save = %v, want ErrUnsupported naming %s", tt.sql, err, tt.want)
		}
		exec(t, db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
	}
}

// Ensure that snapshots carry the schemas they are told to, and only those.
func TestPostgres_Schemas(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := openPostgres(t)
	exec(t, src, `CREATE SCHEMA app; CREATE TABLE app.items (id int PRIMARY KEY, name text);
		INSERT INTO app.items VALUES (1, 'one');
		CREATE TABLE public.audit (id int REFERENCES app.items); INSERT INTO public.audit VALUES (1);
		CREATE SCHEMA other; CREATE TABLE other.t (x int)`)
	opts := options(dir, "1.0.0")
	opts.Schemas = []string{"app", "public"}
	info, err := snapshot.Save(ctx, src, "two", opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range info.Tables {
		names = append(names, tb.QualifiedName())
	}
	if diff := cmp.Diff([]string{"app.items", "public.audit"}, names); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}

	dst := openPostgres(t)
	exec(t, dst, "CREATE SCHEMA other; CREATE TABLE other.kept (x int); CREATE TABLE public.old (x int)")
	res, err := snapshot.Load(ctx, dst, "two", options(dir, "1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Backup == "" {
		t.Errorf("no backup, though public was not empty")
	}
	var n int
	if err := dst.QueryRowContext(ctx, "SELECT count(*) FROM app.items JOIN public.audit USING (id)").Scan(&n); err != nil || n != 1 {
		t.Errorf("loaded rows: %d, %v", n, err)
	}
	if _, err := dst.ExecContext(ctx, "SELECT * FROM other.kept"); err != nil {
		t.Errorf("a schema not in the snapshot was touched: %v", err)
	}
}

// Ensure that Save fails, rather than leave rows out, when row-level
// security hides rows from the role it runs as.
func TestPostgres_RowSecurityRefused(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	db.SetMaxOpenConns(1) // SET ROLE below holds for every use of db
	role := fmt.Sprintf("snapshot_test_%d", time.Now().UnixNano())
	exec(t, db, "CREATE ROLE "+role)
	t.Cleanup(func() {
		db.ExecContext(ctx, "RESET ROLE; DROP OWNED BY "+role+"; DROP ROLE "+role)
	})
	exec(t, db, `CREATE TABLE notes (id integer PRIMARY KEY, body text);
		INSERT INTO notes VALUES (1, 'visible'), (2, 'hidden');
		ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
		CREATE POLICY notes_some ON notes FOR SELECT USING (id = 1);
		GRANT USAGE ON SCHEMA public TO `+role+`;
		GRANT SELECT ON notes TO `+role+`;
		SET ROLE `+role)

	_, err := snapshot.Save(ctx, db, "s", options(t.TempDir(), "1.0.0"))
	if err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("Save as a role that sees some rows = %v, want a row-level security error", err)
	}
}
