package engine_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/verify"
)

// The seeded corruption suite: migrate a few hundred records with a child
// table, change the target behind decant's back in known ways, and require
// verify to report exactly those changes that alter a value, and none of
// those that only respell it (docs/verify.md, "Comparing values").

const corruptRecords = 300

var corruptSchemas = map[string]string{
	"postgres": `CREATE TABLE items (id integer PRIMARY KEY, name text, code char(8), amount numeric(12,2),
		price numeric, at timestamptz, local_at timestamp, doc jsonb, raw json, uni text);
		CREATE TABLE lines (item_id integer NOT NULL, sku text, qty integer, note text);`,
	"sqlite": `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, code CHAR(8), amount NUMERIC(12,2),
		price DECIMAL, at TIMESTAMP, local_at DATETIME, doc JSON, raw JSON, uni TEXT);
		CREATE TABLE lines (item_id INTEGER NOT NULL, sku TEXT, qty INTEGER, note TEXT);`,
}

const corruptPlan = `version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    to: {table: items}
    map: {id: record.id, name: record.name, code: record.code, amount: record.amount, price: record.price,
          at: record.at, local_at: record.local_at, doc: record.doc, raw: record.raw, uni: record.uni}
    children:
      - from: record.lines
        parent_key: item_id
        to: {table: lines}
        map: {sku: item.sku, qty: item.qty, note: item.note}
`

// Words in NFC, each with a character NFD decomposes.
var nfcWords = []string{"café", "naïve", "Zoë", "ñandú", "Ångström", "résumé", "São Paulo", "Dvořák", "한국어", "Ελληνικά"}

// corruptRecord is one source record, as the test needs it to corrupt its row.
type corruptRecord struct {
	id     int
	name   string
	code   string
	amount string
	price  string
	at     time.Time
	local  time.Time
	doc    map[string]any
	uni    string
	lines  int
}

func genRecords(rng *rand.Rand) []corruptRecord {
	recs := make([]corruptRecord, corruptRecords)
	base := time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC)
	for i := range recs {
		recs[i] = corruptRecord{
			id:     i + 1,
			name:   fmt.Sprintf("name %d", i+1),
			code:   strings.Repeat("ab", 1+rng.Intn(3)),
			amount: []string{"%d.5", "%d.25", "%d", "%d.07"}[rng.Intn(4)],
			price:  fmt.Sprintf("%d.%d", rng.Intn(1000), 1+rng.Intn(9)),
			at:     base.Add(time.Duration(rng.Int63n(1e9)) * time.Millisecond),
			local:  base.Add(time.Duration(rng.Intn(1e6)) * time.Second),
			doc:    map[string]any{"z": i, "a": map[string]any{"y": "s", "x": 1.5}, "b": []any{1, "two", nil}},
			uni:    nfcWords[rng.Intn(len(nfcWords))] + " " + strconv.Itoa(i+1) + " 日本",
			lines:  rng.Intn(4),
		}
		recs[i].amount = fmt.Sprintf(recs[i].amount, rng.Intn(10000))
		// The source writes the instant in a zone of its own: the target
		// must hold the same instant.
		recs[i].at = recs[i].at.In(time.FixedZone("", 330*60))
	}
	return recs
}

func (r corruptRecord) line(t *testing.T) string {
	var lines []map[string]any
	for j := 0; j < r.lines; j++ {
		lines = append(lines, map[string]any{"sku": r.sku(j), "qty": j + 1, "note": nfcWords[j%len(nfcWords)]})
	}
	b, err := json.Marshal(map[string]any{"id": r.id, "name": r.name, "code": r.code, "amount": r.amount,
		"price": r.price, "at": r.at.Format(time.RFC3339Nano), "local_at": r.local.Format(time.RFC3339Nano),
		"doc": r.doc, "raw": r.doc, "uni": r.uni, "lines": lines})
	must(t, err)
	return string(b)
}

func (r corruptRecord) sku(j int) string { return fmt.Sprintf("sku-%d-%d", r.id, j) }

// corruption is a migrated target and what has been done to it.
type corruption struct {
	t    *testing.T
	db   *sql.DB
	pg   bool
	rng  *rand.Rand
	recs []corruptRecord

	deleted map[int]bool
	touched map[int]map[string]bool // (id, column) corrupted once already
	diffs   map[int][]string        // columns expected to differ, per id
	extra   []int
	removed map[int]int // child rows removed, per parent id
	log     map[int][]string
}

// injections are the ways the target is corrupted, each applied once per
// run and then at random.
var injections = []struct {
	name string
	do   func(c *corruption) bool
}{
	{"changed value", func(c *corruption) bool { return c.column("name", "|| '~'", true) }},
	{"changed naive timestamp", func(c *corruption) bool {
		return c.set("local_at", func(r corruptRecord) string {
			return r.local.Add(24 * time.Hour).Format("2006-01-02 15:04:05.999999")
		}, true)
	}},
	{"deleted row", (*corruption).deleteRow},
	{"inserted row", (*corruption).insertRow},
	{"trailing space in text", func(c *corruption) bool { return c.column("name", "|| ' '", true) }},
	// PostgreSQL char(n) pads: the spaces do not count. SQLite keeps them.
	{"trailing space in char(n)", func(c *corruption) bool {
		return c.set("code", func(r corruptRecord) string { return r.code + "  " }, !c.pg)
	}},
	{"decimal scale", func(c *corruption) bool {
		return c.set("price", func(r corruptRecord) string { return r.price + "000" }, false)
	}},
	{"decimal digit", func(c *corruption) bool { return c.column("amount", "+ 1", true) }},
	{"same instant, other zone", func(c *corruption) bool {
		return c.set("at", func(r corruptRecord) string {
			return r.at.In(time.FixedZone("", -7*3600)).Format(time.RFC3339Nano)
		}, false)
	}},
	{"same wall clock, other instant", func(c *corruption) bool {
		return c.set("at", func(r corruptRecord) string {
			return r.at.Format("2006-01-02T15:04:05.999999999") + "-03:00"
		}, true)
	}},
	{"json re-ordered and re-spaced", func(c *corruption) bool {
		return c.set(c.jsonColumn(), func(r corruptRecord) string {
			return fmt.Sprintf(`{ "b" : [1, "two", null],  "a": {"x": 1.50, "y": "s"}, "z": %d }`, r.id-1)
		}, false)
	}},
	{"json changed", func(c *corruption) bool {
		return c.set(c.jsonColumn(), func(r corruptRecord) string {
			return fmt.Sprintf(`{"a":{"x":1.5,"y":"s"},"b":["two",1,null],"z":%d}`, r.id-1)
		}, true)
	}},
	{"unicode in NFD", func(c *corruption) bool {
		return c.set("uni", func(r corruptRecord) string { return norm.NFD.String(r.uni) }, true)
	}},
	{"child row removed", (*corruption).removeChild},
}

func (c *corruption) jsonColumn() string { return []string{"doc", "raw"}[c.rng.Intn(2)] }

// pick returns a row not deleted whose column col is not corrupted yet, so
// that a later injection cannot undo an earlier one.
func (c *corruption) pick(col string) (corruptRecord, bool) {
	for tries := 0; tries < 100; tries++ {
		r := c.recs[c.rng.Intn(len(c.recs))]
		if !c.deleted[r.id] && !c.touched[r.id][col] {
			if c.touched[r.id] == nil {
				c.touched[r.id] = map[string]bool{}
			}
			c.touched[r.id][col] = true
			return r, true
		}
	}
	return corruptRecord{}, false
}

func (c *corruption) exec(id int, what, q string) {
	c.t.Helper()
	if _, err := c.db.Exec(q); err != nil {
		c.t.Fatalf("%s: %v", q, err)
	}
	c.log[id] = append(c.log[id], what+": "+q)
}

// column changes col by an SQL expression appended to it.
func (c *corruption) column(col, expr string, differs bool) bool {
	r, ok := c.pick(col)
	if !ok {
		return false
	}
	c.exec(r.id, col, fmt.Sprintf("UPDATE items SET %s = %s %s WHERE id = %d", col, col, expr, r.id))
	if differs {
		c.diffs[r.id] = append(c.diffs[r.id], col)
	}
	return true
}

// set writes the text value(r) into col.
func (c *corruption) set(col string, value func(corruptRecord) string, differs bool) bool {
	r, ok := c.pick(col)
	if !ok {
		return false
	}
	v := strings.ReplaceAll(value(r), "'", "''")
	c.exec(r.id, col, fmt.Sprintf("UPDATE items SET %s = '%s' WHERE id = %d", col, v, r.id))
	if differs {
		c.diffs[r.id] = append(c.diffs[r.id], col)
	} else if c.pg && (col == "price" || col == "raw") {
		c.kept(r.id, col, value(r))
	}
	return true
}

// kept fails unless PostgreSQL holds the respelled text as written: a
// numeric keeps its scale, a json column its text, so that verify is shown
// to see past the spelling rather than never meeting it.
func (c *corruption) kept(id int, col, written string) {
	c.t.Helper()
	var got string
	must(c.t, c.db.QueryRow(fmt.Sprintf("SELECT %s::text FROM items WHERE id = %d", col, id)).Scan(&got))
	if got != written {
		c.t.Fatalf("items %d: %s holds %q, not the respelled %q: the injection tests nothing", id, col, got, written)
	}
}

func (c *corruption) deleteRow() bool {
	r, ok := c.pick("*")
	if !ok {
		return false
	}
	c.exec(r.id, "delete", fmt.Sprintf("DELETE FROM items WHERE id = %d", r.id))
	c.deleted[r.id] = true
	return true
}

func (c *corruption) insertRow() bool {
	id := 100000 + len(c.extra)
	c.exec(id, "insert", fmt.Sprintf("INSERT INTO items (id, name, uni) VALUES (%d, 'intruder', 'x')", id))
	c.extra = append(c.extra, id)
	return true
}

// removeChild deletes one child row of a parent that has one left.
func (c *corruption) removeChild() bool {
	for tries := 0; tries < 100; tries++ {
		r := c.recs[c.rng.Intn(len(c.recs))]
		if n := c.removed[r.id]; n < r.lines {
			c.exec(r.id, "child", fmt.Sprintf("DELETE FROM lines WHERE item_id = %d AND sku = '%s'", r.id, r.sku(n)))
			c.removed[r.id]++
			return true
		}
	}
	return false
}

// want is the findings the corruptions must give, as "table key kind
// columns", sorted; a child table's columns are a "row" per row removed.
func (c *corruption) want() []string {
	var out []string
	for _, r := range c.recs {
		switch {
		case c.deleted[r.id]:
			out = append(out, fmt.Sprintf("items %d missing ", r.id))
		case len(c.diffs[r.id]) > 0:
			cols := slices.Clone(c.diffs[r.id])
			slices.Sort(cols)
			out = append(out, fmt.Sprintf("items %d diff %s", r.id, strings.Join(cols, ",")))
		}
		if n := c.removed[r.id]; n > 0 {
			kind := "diff"
			if n == r.lines {
				kind = "missing"
			}
			out = append(out, fmt.Sprintf("lines %d %s %s", r.id, kind, strings.TrimSuffix(strings.Repeat("row,", n), ",")))
		}
	}
	for _, id := range c.extra {
		out = append(out, fmt.Sprintf("items %d extra ", id))
	}
	slices.Sort(out)
	return out
}

// findingText renders a finding as want does.
func findingText(table string, f verify.Finding) string {
	var cols []string
	for _, col := range f.Columns {
		cols = append(cols, col.Column)
	}
	slices.Sort(cols)
	return fmt.Sprintf("%s %v %s %s", table, f.Key[0], f.Kind, strings.Join(cols, ","))
}

// migrateCorruptible migrates the generated records into a new target.
func migrateCorruptible(t *testing.T, vt verifyTarget, recs []corruptRecord) (engine.Config, *sql.DB) {
	t.Helper()
	dir := t.TempDir()
	var in strings.Builder
	for _, r := range recs {
		in.WriteString(r.line(t) + "\n")
	}
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(in.String()), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(corruptSchemas[vt.name]), 0o644))
	url, db := vt.open(t, dir)
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(fmt.Sprintf(corruptPlan, url)), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	cfg := engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}
	res, err := engine.Run(context.Background(), cfg, nil)
	must(t, err)
	if s := res.Steps[0]; s.Written != corruptRecords || s.Failed != 0 {
		t.Fatalf("migrate: written %d, failed %d; want %d, 0", s.Written, s.Failed, corruptRecords)
	}
	return cfg, db
}

// verifyFindings verifies and returns each finding as findingText does.
func verifyFindings(t *testing.T, cfg engine.Config) (*engine.VerifyResult, []string) {
	t.Helper()
	var found []string
	res, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{
		Finding: func(_, table string, f verify.Finding) error {
			found = append(found, findingText(table, f))
			return nil
		}})
	must(t, err)
	slices.Sort(found)
	return res, found
}

// corruptionSeeds are the fixed seeds, and one new each run, logged so a
// failure can be replayed with DECANT_CORRUPTION_SEED.
func corruptionSeeds(t *testing.T) []int64 {
	if s := os.Getenv("DECANT_CORRUPTION_SEED"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("DECANT_CORRUPTION_SEED=%q: give an integer", s)
		}
		return []int64{n}
	}
	return []int64{1, 2, 3, time.Now().UnixNano()}
}

// Ensure verify reports exactly the seeded corruptions of the target, on
// both stores: the same keys, kinds and columns, and nothing for the
// changes that only respell a value (char(n) padding on PostgreSQL, a
// decimal's scale, the same instant in another zone, JSON re-ordered).
func TestVerifyCorruption(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		for _, seed := range corruptionSeeds(t) {
			t.Run(fmt.Sprintf("%s/seed=%d", vt.name, seed), func(t *testing.T) {
				t.Parallel()
				t.Logf("seed %d (replay: DECANT_CORRUPTION_SEED=%d go test ./engine -run 'TestVerifyCorruption/%s')", seed, seed, vt.name)
				rng := rand.New(rand.NewSource(seed))
				recs := genRecords(rng)
				cfg, db := migrateCorruptible(t, vt, recs)
				res, found := verifyFindings(t, cfg)
				if len(found) != 0 || !res.Clean {
					t.Fatalf("clean run: clean %v, findings %v; want none", res.Clean, found)
				}
				c := &corruption{t: t, db: db, pg: vt.name == "postgres", rng: rng, recs: recs,
					deleted: map[int]bool{}, touched: map[int]map[string]bool{}, diffs: map[int][]string{},
					removed: map[int]int{}, log: map[int][]string{}}
				n := 20 + rng.Intn(31)
				for i := 0; i < n; i++ {
					inj := injections[rng.Intn(len(injections))]
					if i < len(injections) {
						inj = injections[i] // every kind at least once
					}
					if !inj.do(c) {
						t.Fatalf("injection %q found no row to corrupt", inj.name)
					}
				}
				res, found = verifyFindings(t, cfg)
				c.compare(found)
				if res.Clean {
					t.Error("verify of a corrupted target is clean")
				}
			})
		}
	}
}

// compare fails the test with the findings missed and those not injected,
// each with what was done to its key.
func (c *corruption) compare(found []string) {
	c.t.Helper()
	want := c.want()
	if slices.Equal(found, want) {
		return
	}
	for _, w := range want {
		if !slices.Contains(found, w) {
			c.t.Errorf("not reported: %s (injected %q)", w, c.log[keyOf(w)])
		}
	}
	for _, f := range found {
		if !slices.Contains(want, f) {
			c.t.Errorf("reported, not injected: %s (injected %q)", f, c.log[keyOf(f)])
		}
	}
}

func keyOf(finding string) int {
	n, _ := strconv.Atoi(strings.Fields(finding)[1])
	return n
}
