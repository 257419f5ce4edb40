package engine_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"net"
	"net/netip"
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
		price numeric, at timestamptz, local_at timestamp, day date, flag boolean, ratio real, u uuid, tm time, ip inet, mac macaddr, doc jsonb, raw json, uni text);
		CREATE TABLE lines (item_id %[1]s NOT NULL, sku text, qty integer, note text, cost numeric(12,2), due timestamptz, tag char(6), meta jsonb);`,
	"sqlite": `CREATE TABLE items (id %[1]s PRIMARY KEY, name TEXT, code CHAR(8), amount NUMERIC(12,2),
		price DECIMAL, at TIMESTAMP, local_at DATETIME, day DATE, flag BOOLEAN, ratio REAL, u TEXT, tm TEXT, ip TEXT, mac TEXT, doc JSON, raw JSON, uni TEXT);
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
          at: record.at, local_at: record.local_at, day: record.day, flag: record.flag, ratio: record.ratio, u: record.u, tm: record.tm, ip: record.ip, mac: record.mac,
          doc: record.doc, raw: record.raw, uni: record.uni}
    children:
      - from: record.lines
        parent_key: item_id
        to: {table: lines}
        map: {sku: item.sku, qty: item.qty, note: item.note, cost: item.cost, due: item.due, tag: item.tag, meta: item.meta}
`

// corruptRules is the verify: section of the runs with rules: each accepts
// one of the corruptions, which is then a change, not a diff.
const corruptRules = `    verify:
      rules:
        - {column: name, trim: true, reason: "the legacy system pads names"}
        - {column: name, null_equals_empty: true, reason: "the app writes no name as NULL"}
        - {column: uni, normalize_unicode: true, reason: "the app stores NFD"}
        - {column: amount, tolerance: 1.5, reason: "the old system rounded amounts"}
        - {column: local_at, ignore: true, reason: "the app touches it"}
`

// ruleKinds are corruptRules' kinds by column.
var ruleKinds = map[string][]string{"name": {"trim", "null_equals_empty"}, "uni": {"normalize_unicode"},
	"amount": {"tolerance"}, "local_at": {"ignore"}}

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
	uuid   [16]byte
	form   int // how the source spells uuid and tm: uuidForms[form], clockForms[form]
	clock  time.Duration
	ip     [16]byte // an IPv6 address
	mac    [6]byte
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
			form:   rng.Intn(len(uuidForms)),
			clock:  time.Duration(rng.Intn(24*60)) * time.Minute,
			doc: map[string]any{"z": i, "a": map[string]any{"y": "s", "x": 1.5}, "b": []any{1, "two", nil}, "w": "café",
				"big": int64(9007199254740993), "dec": json.Number("12345678901234567890.5")},
			uni:   nfcWords[rng.Intn(len(nfcWords))] + " " + strconv.Itoa(i+1) + " 日本",
			lines: rng.Intn(4),
		}
		recs[i].amount = fmt.Sprintf(recs[i].amount, rng.Intn(10000))
		rng.Read(recs[i].uuid[:])
		rng.Read(recs[i].ip[:])
		rng.Read(recs[i].mac[:])
		if i%7 == 0 {
			recs[i].name = "" // not NULL: NULL in its place is a difference
		}
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
		"price": r.price, "at": r.at.Format(time.RFC3339Nano), "day": r.day, "flag": r.flag, "ratio": r.ratio, "u": r.spell(r.form), "tm": r.clockText(r.form), "ip": r.ipText(r.form), "mac": r.macText(r.form),
		"local_at": r.local.In(kolkata).Format("2006-01-02 15:04:05"),
		"doc":      r.doc, "raw": r.doc, "uni": r.uni, "lines": lines})
	must(t, err)
	return string(b)
}

func (r corruptRecord) sku(j int) string { return fmt.Sprintf("sku-%d-%d", r.id, j) }

// uuidForms are ways to spell a UUID that PostgreSQL's uuid reads as the
// same 128 bits, and prints as the first.
var uuidForms = []func(h string) string{
	hyphenated,
	func(h string) string { return strings.ToUpper(hyphenated(h)) },
	func(h string) string { return "{" + h + "}" },
	func(h string) string { return strings.ToUpper(h) },
}

// clockForms are ways to spell a time of day that PostgreSQL's time reads
// as the same time, and prints as the second.
var clockForms = []string{"%d:%02d", "%02d:%02d:00", "%02d:%02d:00.000", "%02d:%02d"}

// clockText is the record's time of day in form f.
func (r corruptRecord) clockText(f int) string {
	return fmt.Sprintf(clockForms[f%len(clockForms)], int(r.clock.Hours()), int(r.clock.Minutes())%60)
}

// ipText is the record's address in form f: ways PostgreSQL's inet reads
// as the same address.
func (r corruptRecord) ipText(f int) string {
	a := netip.AddrFrom16(r.ip)
	return []string{a.String(), strings.ToUpper(a.String()), a.StringExpanded(), a.String() + "/128"}[f%4]
}

// macText is the record's MAC address in form f: ways PostgreSQL's
// macaddr reads as the same address.
func (r corruptRecord) macText(f int) string {
	m := net.HardwareAddr(r.mac[:]).String()
	h := strings.ReplaceAll(m, ":", "")
	return []string{m, strings.ToUpper(strings.ReplaceAll(m, ":", "-")), strings.ToUpper(m), h[:4] + "." + h[4:8] + "." + h[8:]}[f%4]
}

func hyphenated(h string) string {
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// spell is the record's UUID in form f.
func (r corruptRecord) spell(f int) string {
	return uuidForms[f%len(uuidForms)](hex.EncodeToString(r.uuid[:]))
}

var kolkata = time.FixedZone("IST", 330*60)

func dayAfter(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}

// findingText renders a finding as want does.
func findingText(table string, f verify.Finding) string {
	var cols []string
	for _, col := range f.Columns {
		if len(col.Rules) > 0 {
			col.Column += "*"
		}
		cols = append(cols, col.Column)
	}
	slices.Sort(cols)
	return fmt.Sprintf("%s\t%v\t%s\t%s", table, f.Key[0], f.Kind, strings.Join(cols, ","))
}

// migrateCorruptible migrates the generated records into a new target.
func migrateCorruptible(t *testing.T, vt verifyTarget, keyType string, rules bool, recs []corruptRecord) (engine.Config, *sql.DB) {
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
	text := fmt.Sprintf(corruptPlan, url)
	if rules {
		text += corruptRules
	}
	must(t, os.WriteFile(path, []byte(text), 0o644))
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
// zone, JSON re-ordered). With the plan's rules, a corruption a rule
// accepts is a change, its column listed with the rule; a key with another
// difference too stays a diff.
func TestVerifyCorruption(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		for _, keys := range []string{"int_keys", "text_keys", "text_keys+rules"} {
			for _, seed := range corruptionSeeds(t) {
				name := fmt.Sprintf("%s/%s/seed=%d", vt.name, keys, seed)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					testCorruption(t, vt, keys, seed, name)
				})
			}
		}
	}
}

// testCorruption migrates, verifies clean, corrupts with every injection
// once and then at random, 50 in all at most, and verifies again. keys is
// int_keys or text_keys, with +rules for the plan's corruptRules.
func testCorruption(t *testing.T, vt verifyTarget, keys string, seed int64, name string) {
	t.Logf("seed %d (replay: DECANT_CORRUPTION_SEED=%d go test ./engine -run 'TestVerifyCorruption/%s')", seed, seed, strings.TrimSuffix(name, fmt.Sprint(seed)))
	rng := rand.New(rand.NewSource(seed))
	recs := genRecords(rng)
	keyType, rules := "integer", strings.HasSuffix(keys, "+rules")
	if strings.HasPrefix(keys, "text") {
		keyed(recs, rng)
		keyType = "text"
	}
	cfg, db := migrateCorruptible(t, vt, keyType, rules, recs)
	res, found := verifyFindings(t, cfg)
	if len(found) != 0 || !res.Clean {
		t.Fatalf("clean run: clean %v, findings %v; want none", res.Clean, found)
	}
	c := &corruption{t: t, db: db, pg: vt.name == "postgres", rng: rng, recs: recs,
		deleted: map[int]bool{}, touched: map[int]map[string]bool{}, diffs: map[int][]string{},
		kids: map[int]*kids{}, log: map[string][]string{}}
	if rules {
		c.rules = ruleKinds
	}
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
	s := res.Steps[0]
	if res.Clean || s.Missing+s.Extra+s.Diffs+s.Changes != len(found) || s.Duplicates != 0 || (s.Changes > 0) != rules {
		t.Errorf("clean %v, counts %+v; want not clean, the %d findings, no duplicate, changes only with rules", res.Clean, s.VerifyCounts, len(found))
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
