package engine_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// The corruptions of the seeded corruption suite (verify_corruption_test.go)
// and the findings each must give.

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
	rules   map[string][]string // the kinds of the plan's rules, per column
}

// injections are the ways the target is corrupted, each applied once per
// run and then at random.
var injections = []struct {
	name string
	do   func(c *corruption) bool
}{
	{"changed value", func(c *corruption) bool { return c.column("name", "%s || '~'", "diff") }},
	{"changed naive timestamp", func(c *corruption) bool {
		return c.set("local_at", func(r corruptRecord) string {
			return r.local.Add(24 * time.Hour).Format("2006-01-02 15:04:05.999999")
		}, "ignore")
	}},
	{"date moved a day", func(c *corruption) bool {
		return c.set("day", func(r corruptRecord) string { return dayAfter(r.day) }, "diff")
	}},
	{"date as its midnight", func(c *corruption) bool {
		return c.set("day", func(r corruptRecord) string { return r.day + "T00:00:00Z" }, "")
	}},
	{"bool respelled", func(c *corruption) bool {
		return c.set("flag", func(r corruptRecord) string { return map[bool]string{true: "yes", false: "no"}[r.flag] }, "")
	}},
	{"bool flipped", func(c *corruption) bool { return c.column("flag", "NOT %s", "diff") }},
	{"float respelled", func(c *corruption) bool {
		return c.set("ratio", func(r corruptRecord) string { return strconv.FormatFloat(r.ratio, 'e', -1, 64) }, "")
	}},
	{"float changed", func(c *corruption) bool { return c.column("ratio", "%s * 2", "diff") }},
	// PostgreSQL's uuid keeps the bits; SQLite's text keeps the spelling.
	{"uuid respelled", func(c *corruption) bool {
		return c.set("u", func(r corruptRecord) string { return respelled(r.spell, r.form) }, diffIf(!c.pg))
	}},
	{"uuid changed", func(c *corruption) bool {
		return c.set("u", func(r corruptRecord) string {
			r.uuid[15] ^= 1
			return r.spell(r.form)
		}, "diff")
	}},
	{"time of day respelled", func(c *corruption) bool {
		return c.set("tm", func(r corruptRecord) string { return respelled(r.clockText, r.form) }, diffIf(!c.pg))
	}},
	{"time of day moved a minute", func(c *corruption) bool {
		return c.set("tm", func(r corruptRecord) string {
			r.clock = (r.clock + time.Minute) % (24 * time.Hour)
			return r.clockText(r.form)
		}, "diff")
	}},
	{"address respelled", func(c *corruption) bool {
		return c.set("ip", func(r corruptRecord) string { return respelled(r.ipText, r.form) }, diffIf(!c.pg))
	}},
	{"address changed", func(c *corruption) bool {
		return c.set("ip", func(r corruptRecord) string {
			r.ip[15] ^= 1
			return r.ipText(r.form)
		}, "diff")
	}},
	{"MAC address respelled", func(c *corruption) bool {
		return c.set("mac", func(r corruptRecord) string { return respelled(r.macText, r.form) }, diffIf(!c.pg))
	}},
	{"MAC address changed", func(c *corruption) bool {
		return c.set("mac", func(r corruptRecord) string {
			r.mac[5] ^= 1
			return r.macText(r.form)
		}, "diff")
	}},
	{"deleted row", (*corruption).deleteRow},
	{"inserted row", (*corruption).insertRow},
	{"trailing space in text", func(c *corruption) bool { return c.column("name", "%s || ' '", "trim") }},
	// PostgreSQL char(n) pads: the spaces do not count. SQLite keeps them.
	{"trailing space in char(n)", func(c *corruption) bool {
		return c.set("code", func(r corruptRecord) string { return r.code + "  " }, diffIf(!c.pg))
	}},
	{"decimal scale", func(c *corruption) bool {
		return c.set("price", func(r corruptRecord) string { return r.price + "000" }, "")
	}},
	{"decimal digit", func(c *corruption) bool { return c.column("amount", "%s + 1", "tolerance") }},
	// SQLite keeps a DECIMAL as a float: the digit is lost on the way in, so
	// the column holds what it held.
	{"decimal digit past float64", func(c *corruption) bool {
		return c.set("price", func(r corruptRecord) string { return r.price + "00000000000000001" }, diffIf(c.pg))
	}},
	{"same instant, other zone", func(c *corruption) bool {
		return c.set("at", func(r corruptRecord) string {
			return r.at.In(time.FixedZone("", -7*3600)).Format(time.RFC3339Nano)
		}, "")
	}},
	{"same wall clock, other instant", func(c *corruption) bool {
		return c.set("at", func(r corruptRecord) string {
			return r.at.Format("2006-01-02T15:04:05.999999999") + "-03:00"
		}, "diff")
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
		return c.set("name", func(corruptRecord) string { return "" }, "emptied")
	}},
	{"text set NULL", func(c *corruption) bool { return c.column("name", "", "nulled") }},
	{"instant moved a microsecond", func(c *corruption) bool {
		return c.set("at", func(r corruptRecord) string { return r.at.Add(time.Microsecond).Format(time.RFC3339Nano) }, "diff")
	}},
	{"unicode in NFD", func(c *corruption) bool {
		return c.set("uni", func(r corruptRecord) string { return norm.NFD.String(r.uni) }, "normalize_unicode")
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
	return c.set(col, func(r corruptRecord) string { return fmt.Sprintf(format, r.id-1) }, diffIf(differs))
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
func (c *corruption) column(col, format string, effect string) bool {
	r, ok := c.pick(col)
	if !ok {
		return false
	}
	value := fmt.Sprintf(format, col)
	if format == "" {
		value = "NULL"
	}
	c.exec(r.key, col, fmt.Sprintf("UPDATE items SET %s = %s WHERE id = %s", col, value, r.lit()))
	c.differs(r, col, effect)
	return true
}

// set writes the text value(r) into col.
func (c *corruption) set(col string, value func(corruptRecord) string, effect string) bool {
	r, ok := c.pick(col)
	if !ok {
		return false
	}
	v := strings.ReplaceAll(value(r), "'", "''")
	c.exec(r.key, col, fmt.Sprintf("UPDATE items SET %s = '%s' WHERE id = %s", col, v, r.lit()))
	c.differs(r, col, effect)
	if effect == "" && c.pg && (col == "price" || col == "raw") {
		c.kept(r, col, value(r))
	}
	return true
}

// respelled is the value in the next of its forms whose text is not that
// of form f (9:05 and 09:05 are one text after 10 o'clock).
func respelled(form func(int) string, f int) string {
	for k := 1; ; k++ {
		if s := form(f + k); s != form(f) {
			return s
		}
	}
}

// diffIf is the effect "diff" when b, else none.
func diffIf(b bool) string {
	if b {
		return "diff"
	}
	return ""
}

// differs notes what a corruption of r's column col does: effect is ""
// when the value is the same, "diff" when it differs, or the kind of the
// plan's rule that accepts the difference. "emptied" and "nulled" say name
// was set to the empty string or NULL: the same, or a difference that
// null_equals_empty accepts, when the source's name is empty. A column a
// rule of the plan accepts is noted with a "*".
func (c *corruption) differs(r corruptRecord, col, effect string) {
	switch {
	case (effect == "emptied" || effect == "nulled") && r.name != "":
		effect = "diff"
	case effect == "emptied":
		effect = ""
	case effect == "nulled":
		effect = "null_equals_empty"
	}
	switch {
	case effect == "":
		return
	case slices.Contains(c.rules[col], effect):
		col += "*"
	}
	c.diffs[r.id] = append(c.diffs[r.id], col)
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
			kind := "change" // every column as a rule accepts
			if slices.ContainsFunc(cols, func(c string) bool { return !strings.HasSuffix(c, "*") }) {
				kind = "diff"
			}
			out = append(out, fmt.Sprintf("items\t%v\t%s\t%s", r.key, kind, strings.Join(cols, ",")))
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
