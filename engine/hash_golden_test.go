package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// The ledger's source_hash and target_hash of a record must not change
// with the way they are computed: existing ledgers, and verify, compare
// against hashes written by earlier versions. These tests pin them, as
// computed before the client's CPU work of issue 12 changed how.

// goldenDocs are hashTextDocs and records whose strings and times take
// every path of the hashes' spelling: quotes, backslashes, control
// characters, non-ASCII, DEL, non-UTC offsets and fractions of a second.
func goldenDocs() []string {
	return append(hashTextDocs(),
		`{"id":20,"name":"quote \" back \\ slash","email":"tab\there","created_at":"2024-02-29T23:59:59.999999999+05:30","amount":"-0.01","attrs":{"k":"\u0000\u001f\u007f"}}`,
		`{"id":21,"name":"caf\u00e9 \u2028 \ud83d\ude00","email":"\u00ff","created_at":"2024-01-01T00:00:00.1-08:00","amount":"12345678901.99","attrs":[1,2,{"b":1,"a":2}]}`,
		"{\"id\":22,\"name\":\"\x7f del\",\"email\":\"nbsp\u00a0x\",\"created_at\":\"1999-12-31T23:59:59Z\",\"amount\":\"0\",\"attrs\":{\"\":null}}",
		`{"id":23,"name":"","email":"e","created_at":"2024-06-01 12:00:00","amount":"3","attrs":{"z":1.5e300,"y":-1e-9,"x":true}}`,
		`{"id":24,"name":"newline\nreturn\r","email":"e","created_at":"2024-06-01T12:00:00.000001Z","amount":"3.10","attrs":{"deep":{"b":{"d":1,"c":2},"a":[]}}}`,
	)
}

// Ensure the mapper stage gives the flat plan's records the source and
// target hashes it gave them before (the digest of every record's pair).
func TestMapBatchHashesGolden(t *testing.T) {
	t.Parallel()
	m := flatMapper(t)
	b := docBatch(goldenDocs())
	got := mapBatch([]*transform.Mapper{m}, decant.DefaultScope, b)
	h := sha256.New()
	for i := range b.recs {
		fmt.Fprintf(h, "%s %s %v\n", got.sums[i].source, got.sums[i].target, got.fails[i] != nil)
	}
	// The first benchmark-like records, one by one, then the digest of all.
	pins := map[int]sums{
		0: {"db014ee12bd4057f7a6dcc000851f671", "1e7e98e15733cb26a3cedf93b3a2d1b5"},
		1: {"7588ad73a8087ed7ad2177fa79ddaeab", "4ced5e463272415a442280633ffcadcd"},
		// Records with a name twice, refused until the last one won (issue
		// 13): only their sums changed then.
		5:   {"db6a6a8ec879722adecb823008455b9b", "8c72d8dae456b7ff289e92cc6e6d427b"},
		6:   {"05e9871f1a4b3e297ecc9e0e9270dfeb", "082b90f389895960074bc00a51239e2d"},
		15:  {"121faf58367354e960fdae272e6d327a", "79b68b41b021d0f685b77b57d511a236"},
		115: {"31d4fdef9ae81a66748c44c977dd1a2e", "5b0f71c80a01d47231618918b5fa9b51"},
		116: {"4da54ac1b2d35004e2796ad1b74e429a", "b951a3bf0a81f5fa028f1d32963d3367"},
		117: {"a98597b3096249ea54ea3929f9809308", "1650a42a8140fdb694c3cf1fbea13749"},
		118: {"c069318ca522dfd7bf17cc6b87654757", "6b37144995d1307014f4c9f57bd7c927"},
		119: {"94f2a534604f69aade8d1d2b007eec3a", "199f0c7586c500389ff6dc60530c6afd"},
	}
	for i, want := range pins {
		if got.sums[i] != want {
			t.Errorf("record %d (%.50s): sums %+v, want %+v", i+1, b.recs[i].Raw, got.sums[i], want)
		}
	}
	const want = "b9e8b081acc13c0f2cb487e236885ca7a5f0b18d310eea18f345398cd7fc5a1c"
	if d := hex.EncodeToString(h.Sum(nil)); d != want {
		t.Errorf("digest of the %d records' hashes = %s, want %s", len(b.recs), d, want)
		for i := range b.recs {
			t.Logf("%d: %+v", i, got.sums[i])
		}
	}
}

// Ensure hasher.rows spells every kind of column value as it did: the
// target hash of a row of each.
func TestHasherRowsGolden(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("x", -(3*3600 + 30*60))
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "74c2d417cfa8b82ba6cc8009335138ef"},
		{"plain ascii", "25095d86a25c2e409c8e0ad755a41dc9"},
		{"", "a83d88a1a0bed5bed89c71700c4df8c3"},
		{`quote " and \ back`, "fc910d29332e17ddf9563c9dbcbe3994"},
		{"tab\tnl\ncr\r nul\x00 del\x7f", "c64281123531f196be253e2ec98aa55f"},
		{"café ☕ \U0001F600 \u2028 \u00a0", "81395f56afaeb73957cf6fa32fa240cf"},
		{"bad \xff utf8", "699e12ff2cc478bd12a67bb8ab72889a"},
		{int64(-9223372036854775808), "9448f3494823700513bcb646cd4cc113"},
		{int64(42), "23e7f4b689055c58ac8dab00b9695355"},
		{3.5, "a92ea969d4abbcd1c81be2fac23e197f"},
		{1e21, "314a716e1cf26b45e2af20b2448071bc"},
		{math.Inf(1), "4cda9dae06b46b49f39144e260d48854"},
		{true, "60a96b63e49ae27d65887ff7ba25c339"},
		{false, "3e1fbfe5f44fe9113696d6989f86ee46"},
		{time.Date(2024, 2, 29, 23, 59, 59, 123456789, zone), "b50e4f3f783a2392e0004fcdf449a475"},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "116a2db5f51802e7e16edb13073cbdce"},
		{time.Date(2024, 1, 1, 0, 0, 0, 100000000, time.UTC), "01b00b5672a66dc46d46edf959e59aa9"},
		{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), "69fb5c4eb340a89aa7f20fc355070085"},
		{time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC), "95536bec249a49160f9a4a0f6dfbd1b9"},
		{decant.Decimal("-12.50"), "6d5ffd88d01632db086a35eb69b85386"},
		{decant.JSON(`{"a":[1,"x"]}`), "ad5070f12818a64d424e3c6ae469967b"},
		{decant.JSON(nil), "9dc1dbcfc02ed16cc5b1801628be69eb"},
		{[]byte("raw"), "0a13dd29d535aba5b74c5a1f3e301699"},
		{int32(7), "d8a43d3f287b8bb56f831921ad150997"},
	} {
		var h hasher
		row := []transform.Row{{Table: "t", Cols: []string{"id", "v"}, Vals: []any{int64(1), c.v}}}
		if got := h.rows(row); got != c.want {
			t.Errorf("rows(v=%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// Ensure appendQuoted spells every string as strconv.AppendQuote does,
// whether or not it takes its copying path: each byte alone and amid
// plain text.
func TestAppendQuoted(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		for _, s := range []string{string(rune(c)), string([]byte{byte(c)}), "ab" + string([]byte{byte(c)}) + "yz ~"} {
			if got, want := string(appendQuoted([]byte("x"), s)), string(strconv.AppendQuote([]byte("x"), s)); got != want {
				t.Errorf("appendQuoted(%q) = %s, want %s", s, got, want)
			}
		}
	}
}
