package engine_test

import (
	"bytes"
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
	"postgres": `CREATE TABLE items (id %[1]s PRIMARY KEY, name text, code char(8), amount numeric(12,2),
		price numeric, at timestamptz, local_at timestamp, day date, flag boolean, ratio real, doc jsonb, raw json, uni text);
		CREATE TABLE lines (item_id %[1]s NOT NULL, sku text, qty integer, note text, cost numeric(12,2), due timestamptz, tag char(6), meta jsonb);`,
	"sqlite": `CREATE TABLE items (id %[1]s PRIMARY KEY, name TEXT, code CHAR(8), amount NUMERIC(12,2),
		price DECIMAL, at TIMESTAMP, local_at DATETIME, day DATE, flag BOOLEAN, ratio REAL, doc JSON, raw JSON, uni TEXT);
		CREATE TABLE lines (item_id %[1]s NOT NULL, sku TEXT, qty INTEGER, note TEXT, cost NUMERIC(12,2), due TIMESTAMP, tag CHAR(6), meta JSON);`,
}

// The plan reads naive times in Asia/Kolkata: local_at comes without an
// offset, and the target keeps it as its wall clock in UTC.
const corruptPlan = `version: 1
timezone: Asia/Kolkata
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
          at: record.at, local_at: record.local_at, day: record.day, flag: record.flag, ratio: record.ratio,
          doc: record.doc, raw: record.raw, uni: record.uni}
    children:
      - from: record.lines
        parent_key: item_id
        to: {table: lines}
        map: {sku: item.sku, qty: item.qty, note: item.note, cost: item.cost, due: item.due, tag: item.tag, meta: item.meta}
`

// Words in NFC, each with a character NFD decomposes.
var nfcWords = []string{"café", "naïve", "Zoë", "ñandú", "Ångström", "résumé", "São Paulo", "Dvořák", "한국어", "Ελληνικά"}

// corruptRecord is one source record, as the test needs it to corrupt its row.
type corruptRecord struct {
	id     int // the record's number, from 1
	key    any // its key: id, or text made of textKeys
	name   string
	code   string
	amount string
	price  string
	at     time.Time
	local  time.Time
	day    string
	flag   bool
	ratio  float64
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
			key:    i + 1,
			name:   fmt.Sprintf("name %d", i+1),
			code:   strings.Repeat("ab", 1+rng.Intn(3)),
			amount: []string{"%d.5", "%d.25", "%d", "%d.07"}[rng.Intn(4)],
			price:  fmt.Sprintf("%d.%d", rng.Intn(1000), 1+rng.Intn(9)),
			at:     base.Add(time.Duration(rng.Int63n(1e9)) * time.Millisecond),
			local:  base.Add(time.Duration(rng.Intn(1e6)) * time.Second),
			day:    base.AddDate(0, 0, rng.Intn(1000)).Format(time.DateOnly),
			flag:   rng.Intn(2) == 0,
			ratio:  []float64{0.1, 0.3, 1.7, 2.5, 1e-7, 123456.789}[rng.Intn(6)],
			doc: map[string]any{"z": i, "a": map[string]any{"y": "s", "x": 1.5}, "b": []any{1, "two", nil}, "w": "café",
				"big": int64(9007199254740993), "dec": json.Number("12345678901234567890.5")},
			uni:   nfcWords[rng.Intn(len(nfcWords))] + " " + strconv.Itoa(i+1) + " 日本",
			lines: rng.Intn(4),
		}
		recs[i].amount = fmt.Sprintf(recs[i].amount, rng.Intn(10000))
		// The source writes the instant in a zone of its own: the target
		// must hold the same instant.
		recs[i].at = recs[i].at.In(time.FixedZone("", 330*60))
	}
	return recs
}

// textKeys start the text keys: cases, accents in NFC and NFD, spaces and
// digits, whose orders differ bytewise and by a collation, so that the
// target read must give them in decant's key order for the merge to pair
// them.
var textKeys = []string{"alpha", "Alpha", "ALPHA", "éclair", norm.NFD.String("éclair"), "Éclair", "eclair",
	"a b", "a-b", "a_b", "z", "Z", "日本", "ß", "0", "9", "10", "-1", " lead", "trail "}

// keyed gives the records text keys, each a textKeys start and a number.
func keyed(recs []corruptRecord, rng *rand.Rand) {
	for i := range recs {
		recs[i].key = textKeys[rng.Intn(len(textKeys))] + "#" + strconv.Itoa(recs[i].id)
	}
}

// lit is the record's key as an SQL literal.
func (r corruptRecord) lit() string { return keyLit(r.key) }

func keyLit(key any) string {
	if s, ok := key.(string); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return fmt.Sprint(key)
}

func (r corruptRecord) line(t *testing.T) string {
	var lines []map[string]any
	for j := 0; j < r.lines; j++ {
		lines = append(lines, map[string]any{"sku": r.sku(j), "qty": j + 1, "note": nfcWords[j%len(nfcWords)],
			"cost": fmt.Sprintf("%d.5", j), "due": r.at.Add(time.Duration(j) * time.Hour).Format(time.RFC3339Nano),
			"tag": "t" + strconv.Itoa(j), "meta": map[string]any{"j": j, "a": []any{1.5, "x"}}})
	}
	b, err := json.Marshal(map[string]any{"id": r.key, "name": r.name, "code": r.code, "amount": r.amount,
		"price": r.price, "at": r.at.Format(time.RFC3339Nano), "day": r.day, "flag": r.flag, "ratio": r.ratio,
		"local_at": r.local.In(kolkata).Format("2006-01-02 15:04:05"),
		"doc":      r.doc, "raw": r.doc, "uni": r.uni, "lines": lines})
	must(t, err)
	return string(b)
}

func (r corruptRecord) sku(j int) string { return fmt.Sprintf("sku-%d-%d", r.id, j) }

var kolkata = time.FixedZone("IST", 330*60)

func dayAfter(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}

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
	extra   []any
	kids    map[int]*kids       // what was done to the child rows, per parent id
	log     map[string][]string // what was done, per key
}

// injections are the ways the target is corrupted, each applied once per
// run and then at random.
var injections = []struct {
	name string
	do   func(c *corruption) bool
}{
	{"changed value", func(c *corruption) bool { return c.column("name", "%s || '~'", true) }},
	{"changed naive timestamp", func(c *corruption) bool {
		return c.set("local_at", func(r corruptRecord) string {
			return r.local.Add(24 * time.Hour).Format("2006-01-02 15:04:05.999999")
		}, true)
	}},
	{"date moved a day", func(c *corruption) bool {
		return c.set("day", func(r corruptRecord) string { return dayAfter(r.day) }, true)
	}},
	{"date as its midnight", func(c *corruption) bool {
		return c.set("day", func(r corruptRecord) string { return r.day + "T00:00:00Z" }, false)
	}},
	{"bool respelled", func(c *corruption) bool {
		return c.set("flag", func(r corruptRecord) string { return map[bool]string{true: "yes", false: "no"}[r.flag] }, false)
	}},
	{"bool flipped", func(c *corruption) bool { return c.column("flag", "NOT %s", true) }},
	{"float respelled", func(c *corruption) bool {
		return c.set("ratio", func(r corruptRecord) string { return strconv.FormatFloat(r.ratio, 'e', -1, 64) }, false)
	}},
	{"float changed", func(c *corruption) bool { return c.column("ratio", "%s * 2", true) }},
	{"deleted row", (*corruption).deleteRow},
	{"inserted row", (*corruption).insertRow},
	{"trailing space in text", func(c *corruption) bool { return c.column("name", "%s || ' '", true) }},
	// PostgreSQL char(n) pads: the spaces do not count. SQLite keeps them.
	{"trailing space in char(n)", func(c *corruption) bool {
		return c.set("code", func(r corruptRecord) string { return r.code + "  " }, !c.pg)
	}},
	{"decimal scale", func(c *corruption) bool {
		return c.set("price", func(r corruptRecord) string { return r.price + "000" }, false)
	}},
	{"decimal digit", func(c *corruption) bool { return c.column("amount", "%s + 1", true) }},
	// SQLite keeps a DECIMAL as a float: the digit is lost on the way in, so
	// the column holds what it held.
	{"decimal digit past float64", func(c *corruption) bool {
		return c.set("price", func(r corruptRecord) string { return r.price + "00000000000000001" }, c.pg)
	}},
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
		return c.json(`{ "w": "café", "dec": 12345678901234567890.50, "big": 9007199254740993, "b" : [1, "two", null],  "a": {"x": 1.5, "y": "s"}, "z": %d }`, false)
	}},
	{"json numbers and strings respelled", func(c *corruption) bool {
		return c.json(`{"big":9007199254740993.0,"dec":1.23456789012345678905E+19,"a":{"x":15e-1,"y":"\u0073"},"b":[1.0,"two",null],"w":"caf\u00e9","z":%d.00}`, false)
	}},
	{"json array re-ordered", func(c *corruption) bool {
		return c.json(`{"big":9007199254740993,"dec":12345678901234567890.5,"a":{"x":1.5,"y":"s"},"b":["two",1,null],"w":"café","z":%d}`, true)
	}},
	{"json key added, null", func(c *corruption) bool {
		return c.json(`{"big":9007199254740993,"dec":12345678901234567890.5,"a":{"x":1.5,"y":"s"},"b":[1,"two",null],"e":null,"w":"café","z":%d}`, true)
	}},
	// A float64 reads both numbers as one: verify must not.
	{"json number off by one past float64", func(c *corruption) bool {
		return c.json(`{"big":9007199254740992,"dec":12345678901234567890.5,"a":{"x":1.5,"y":"s"},"b":[1,"two",null],"w":"café","z":%d}`, true)
	}},
	{"json decimal off in its last digit", func(c *corruption) bool {
		return c.json(`{"big":9007199254740993,"dec":12345678901234567890.6,"a":{"x":1.5,"y":"s"},"b":[1,"two",null],"w":"café","z":%d}`, true)
	}},
	{"json string in NFD", func(c *corruption) bool {
		return c.json(`{"big":9007199254740993,"dec":12345678901234567890.5,"a":{"x":1.5,"y":"s"},"b":[1,"two",null],"w":"`+norm.NFD.String("café")+`","z":%d}`, true)
	}},
	{"text emptied", func(c *corruption) bool {
		return c.set("name", func(corruptRecord) string { return "" }, true)
	}},
	{"text set NULL", func(c *corruption) bool { return c.column("name", "", true) }},
	{"instant moved a microsecond", func(c *corruption) bool {
		return c.set("at", func(r corruptRecord) string { return r.at.Add(time.Microsecond).Format(time.RFC3339Nano) }, true)
	}},
	{"unicode in NFD", func(c *corruption) bool {
		return c.set("uni", func(r corruptRecord) string { return norm.NFD.String(r.uni) }, true)
	}},
	{"child row removed", (*corruption).removeChild},
	{"child row changed", (*corruption).changeChild},
	{"child row respelled", (*corruption).respellChild},
	{"child row added", (*corruption).addChild},
}

// json writes a document, the format of doc with the record's z, into doc
// or raw (jsonb and json on PostgreSQL: one normalizes, one keeps the text).
func (c *corruption) json(format string, differs bool) bool {
	col := []string{"doc", "raw"}[c.rng.Intn(2)]
	return c.set(col, func(r corruptRecord) string { return fmt.Sprintf(format, r.id-1) }, differs)
}

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

func (c *corruption) exec(key any, what, q string) {
	c.t.Helper()
	if _, err := c.db.Exec(q); err != nil {
		c.t.Fatalf("%s: %v", q, err)
	}
	c.log[fmt.Sprint(key)] = append(c.log[fmt.Sprint(key)], what+": "+q)
}

// column sets col to an SQL expression, format with %s for the column;
// no format sets it NULL.
func (c *corruption) column(col, format string, differs bool) bool {
	r, ok := c.pick(col)
	if !ok {
		return false
	}
	value := fmt.Sprintf(format, col)
	if format == "" {
		value = "NULL"
	}
	c.exec(r.key, col, fmt.Sprintf("UPDATE items SET %s = %s WHERE id = %s", col, value, r.lit()))
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
	c.exec(r.key, col, fmt.Sprintf("UPDATE items SET %s = '%s' WHERE id = %s", col, v, r.lit()))
	if differs {
		c.diffs[r.id] = append(c.diffs[r.id], col)
	} else if c.pg && (col == "price" || col == "raw") {
		c.kept(r, col, value(r))
	}
	return true
}

// kept fails unless PostgreSQL holds the respelled text as written: a
// numeric keeps its scale, a json column its text, so that verify is shown
// to see past the spelling rather than never meeting it.
func (c *corruption) kept(r corruptRecord, col, written string) {
	c.t.Helper()
	var got string
	must(c.t, c.db.QueryRow(fmt.Sprintf("SELECT %s::text FROM items WHERE id = %s", col, r.lit())).Scan(&got))
	if got != written {
		c.t.Fatalf("items %v: %s holds %q, not the respelled %q: the injection tests nothing", r.key, col, got, written)
	}
}

func (c *corruption) deleteRow() bool {
	r, ok := c.pick("*")
	if !ok {
		return false
	}
	c.exec(r.key, "delete", fmt.Sprintf("DELETE FROM items WHERE id = %s", r.lit()))
	c.deleted[r.id] = true
	return true
}

func (c *corruption) insertRow() bool {
	var key any = 100000 + len(c.extra)
	if _, text := c.recs[0].key.(string); text {
		// Among the others in key order, not after them all.
		key = textKeys[c.rng.Intn(len(textKeys))] + "#extra" + strconv.Itoa(len(c.extra))
	}
	c.exec(key, "insert", fmt.Sprintf("INSERT INTO items (id, name, uni) VALUES (%s, 'intruder', 'x')", keyLit(key)))
	c.extra = append(c.extra, key)
	return true
}

// kids is what was done to a parent's child rows: each source row's
// state, and rows added that the source does not give.
type kids struct {
	state []byte // 'o' as written, 'r' removed, 'c' changed, 'd' doubled
	fresh int
}

// child picks a parent and one of its child rows still as written; with
// none, ok is false and j is -1.
func (c *corruption) child() (r corruptRecord, k *kids, j int) {
	r = c.recs[c.rng.Intn(len(c.recs))]
	k = c.kids[r.id]
	if k == nil {
		k = &kids{state: []byte(strings.Repeat("o", r.lines))}
		c.kids[r.id] = k
	}
	return r, k, bytes.IndexByte(k.state, 'o')
}

func (c *corruption) removeChild() bool {
	for tries := 0; tries < 100; tries++ {
		if r, k, j := c.child(); j >= 0 {
			c.exec(r.key, "child removed", fmt.Sprintf("DELETE FROM lines WHERE item_id = %s AND sku = '%s'", r.lit(), r.sku(j)))
			k.state[j] = 'r'
			return true
		}
	}
	return false
}

func (c *corruption) changeChild() bool {
	for tries := 0; tries < 100; tries++ {
		if r, k, j := c.child(); j >= 0 {
			c.exec(r.key, "child changed", fmt.Sprintf("UPDATE lines SET qty = qty + 1000 WHERE item_id = %s AND sku = '%s'", r.lit(), r.sku(j)))
			k.state[j] = 'c'
			return true
		}
	}
	return false
}

// respellChild writes a child row's instant in another zone and its JSON
// re-ordered and re-spaced: the same row.
func (c *corruption) respellChild() bool {
	for tries := 0; tries < 100; tries++ {
		if r, _, j := c.child(); j >= 0 {
			due := r.at.Add(time.Duration(j) * time.Hour).In(time.FixedZone("", -5*3600)).Format(time.RFC3339Nano)
			c.exec(r.key, "child respelled", fmt.Sprintf(`UPDATE lines SET due = '%s', meta = '{ "a" : [1.50, "x"], "j": %d }' WHERE item_id = %s AND sku = '%s'`,
				due, j, r.lit(), r.sku(j)))
			return true
		}
	}
	return false
}

// addChild doubles a child row (a row given once must be there once), or
// adds one to a parent that has none as written.
func (c *corruption) addChild() bool {
	r, k, j := c.child()
	if j >= 0 {
		c.exec(r.key, "child doubled", fmt.Sprintf("INSERT INTO lines SELECT * FROM lines WHERE item_id = %s AND sku = '%s'", r.lit(), r.sku(j)))
		k.state[j] = 'd'
		return true
	}
	c.exec(r.key, "child added", fmt.Sprintf("INSERT INTO lines (item_id, sku, qty) VALUES (%s, 'added-%d', 1)", r.lit(), k.fresh))
	k.fresh++
	return true
}

// finding is the child table's finding for the parent, "" for none: a
// "row" column per row on one side only.
func (k *kids) finding(key any) string {
	if k == nil {
		return ""
	}
	expected, actual, only := len(k.state), k.fresh, k.fresh
	for _, s := range k.state {
		switch s {
		case 'o':
			actual++
		case 'r':
			only++
		case 'c':
			actual, only = actual+1, only+2
		case 'd':
			actual, only = actual+2, only+1
		}
	}
	kind := "diff"
	switch {
	case only == 0:
		return ""
	case actual == 0:
		kind = "missing"
	case expected == 0:
		kind = "extra"
	}
	return fmt.Sprintf("lines\t%v\t%s\t%s", key, kind, strings.TrimSuffix(strings.Repeat("row,", only), ","))
}

// want is the findings the corruptions must give, as "table key kind
// columns", sorted; a child table's columns are a "row" per row removed.
func (c *corruption) want() []string {
	var out []string
	for _, r := range c.recs {
		switch {
		case c.deleted[r.id]:
			out = append(out, fmt.Sprintf("items\t%v\tmissing\t", r.key))
		case len(c.diffs[r.id]) > 0:
			cols := slices.Clone(c.diffs[r.id])
			slices.Sort(cols)
			out = append(out, fmt.Sprintf("items\t%v\tdiff\t%s", r.key, strings.Join(cols, ",")))
		}
		if f := c.kids[r.id].finding(r.key); f != "" {
			out = append(out, f)
		}
	}
	for _, key := range c.extra {
		out = append(out, fmt.Sprintf("items\t%v\textra\t", key))
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
	return fmt.Sprintf("%s\t%v\t%s\t%s", table, f.Key[0], f.Kind, strings.Join(cols, ","))
}

// migrateCorruptible migrates the generated records into a new target.
func migrateCorruptible(t *testing.T, vt verifyTarget, keyType string, recs []corruptRecord) (engine.Config, *sql.DB) {
	t.Helper()
	dir := t.TempDir()
	var in strings.Builder
	for _, r := range recs {
		in.WriteString(r.line(t) + "\n")
	}
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(in.String()), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(fmt.Sprintf(corruptSchemas[vt.name], keyType)), 0o644))
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
// both stores, with integer and with text keys: the same keys, kinds and
// columns, and nothing for the changes that only respell a value (char(n)
// padding on PostgreSQL, a decimal's scale, the same instant in another
// zone, JSON re-ordered).
func TestVerifyCorruption(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		for _, keys := range []string{"int", "text"} {
			for _, seed := range corruptionSeeds(t) {
				name := fmt.Sprintf("%s/%s_keys/seed=%d", vt.name, keys, seed)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					testCorruption(t, vt, keys, seed, name)
				})
			}
		}
	}
}

// testCorruption migrates, verifies clean, corrupts with every injection
// once and then at random, 50 in all at most, and verifies again.
func testCorruption(t *testing.T, vt verifyTarget, keys string, seed int64, name string) {
	t.Logf("seed %d (replay: DECANT_CORRUPTION_SEED=%d go test ./engine -run 'TestVerifyCorruption/%s')", seed, seed, strings.TrimSuffix(name, fmt.Sprint(seed)))
	rng := rand.New(rand.NewSource(seed))
	recs := genRecords(rng)
	keyType := "integer"
	if keys == "text" {
		keyed(recs, rng)
		keyType = "text"
	}
	cfg, db := migrateCorruptible(t, vt, keyType, recs)
	res, found := verifyFindings(t, cfg)
	if len(found) != 0 || !res.Clean {
		t.Fatalf("clean run: clean %v, findings %v; want none", res.Clean, found)
	}
	c := &corruption{t: t, db: db, pg: vt.name == "postgres", rng: rng, recs: recs,
		deleted: map[int]bool{}, touched: map[int]map[string]bool{}, diffs: map[int][]string{},
		kids: map[int]*kids{}, log: map[string][]string{}}
	n := len(injections) + rng.Intn(50-len(injections)+1)
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
	if s := res.Steps[0]; res.Clean || s.Missing+s.Extra+s.Diffs != len(found) || s.Changes+s.Duplicates != 0 {
		t.Errorf("clean %v, counts %+v; want not clean, the %d findings and no change or duplicate", res.Clean, s.VerifyCounts, len(found))
	}
	t.Logf("%d injections, %d findings", n, len(found))
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

func keyOf(finding string) string { return strings.Split(finding, "\t")[1] }
