package verify

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// quickColumns are columns of every kind and quirk, and one of a kind the
// rules do not know (canonical's error, which quickEqual must not hide).
var quickColumns = []Column{
	{Kind: decant.KindText}, {Kind: decant.KindText, Padded: true}, {Kind: decant.KindText, Form: FormUUID},
	{Kind: decant.KindText, Form: FormTimeOfDay}, {Kind: ""}, {Kind: decant.KindInt}, {Kind: decant.KindDecimal},
	{Kind: decant.KindFloat}, {Kind: decant.KindFloat, Single: true}, {Kind: decant.KindBool},
	{Kind: decant.KindDate}, {Kind: decant.KindTimestamp}, {Kind: decant.KindJSON}, {Kind: "interval"},
}

var quickOptions = []Options{
	{}, {Trim: true}, {NullEqualsEmpty: true}, {NormalizeUnicode: true}, {Tolerance: Tolerance{Abs: 1}},
	{Zone: time.FixedZone("X", 3600), Trim: true, NullEqualsEmpty: true, NormalizeUnicode: true},
}

// quickValues holds values of every type a side gives, with pairs that are
// equal by identity and pairs that are equal only canonically; with
// documents, the JSON seeds too.
func quickValues(documents bool) []any {
	paris := time.FixedZone("CET", 3600)
	at := time.Date(2024, 3, 1, 23, 30, 0, 5, time.UTC)
	vals := []any{
		nil, "", " ", "a", "a ", "é", "e\u0301", "1.5", "1.50", "12", "t", "true", "NaN",
		"2024-03-01T23:30:00.000000005Z", "550E8400-E29B-41D4-A716-446655440000", "9:05",
		int64(0), int64(1), int64(12), true, false,
		0.0, math.Copysign(0, -1), 1.5, 0.1, math.NaN(), math.Inf(1), float64(float32(0.1)),
		at, at.In(paris), at.Add(time.Nanosecond), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		decant.Decimal("1.5"), decant.Decimal("1.50"), decant.Decimal("12"),
		decant.JSON(nil), []byte(nil), []byte("a"), json.RawMessage(`{"a":1}`), json.Number("12"),
	}
	if !documents {
		return vals
	}
	docs := append(slices.Clone(jsonSeeds), `{"a":"\ufffd"}`, "{\"a\":\"\xff\"}", `{"a":1.234567e262143}`,
		`{"a":1234567e262143}`, `{"a":1.234567e262150}`, "\"\xef\xbf\xbd\"", `"\\ufffd"`, `[1e999,-0.0,1.50]`)
	for _, s := range docs {
		if len(s) <= 200 { // the deep ones are slow to render, and checked alone
			vals = append(vals, s, decant.JSON(s))
			// Its canonical form, which jsonEqual may take without
			// rendering it: it must render as the seed.
			if c, err := jsonText(s, Options{}); err == nil {
				vals = append(vals, decant.JSON(c.text))
			}
			if c, err := jsonText(s, Options{NormalizeUnicode: true}); err == nil {
				vals = append(vals, c.text)
			}
		}
	}
	return append(vals, decant.JSON(`{"a": 1, "b": [1.0, 2]}`), decant.JSON(`{"b":[1,2],"a":1}`),
		`{"tags": ["juliet", "bravo"], "tier": "silver", "score": 934, "active": true}`,
		decant.JSON(`{"active":true,"score":934,"tags":["juliet","bravo"],"tier":"silver"}`))
}

// TestQuickEqualAgrees holds the fast path to the rules: whenever
// quickEqual decides, its answer is compareCanonical's, and it never
// decides a pair compareCanonical fails on.
func TestQuickEqualAgrees(t *testing.T) {
	t.Parallel()
	decided := 0
	for _, col := range quickColumns {
		vals := quickValues(col.Kind == decant.KindJSON || col.Kind == decant.KindText && !col.Padded && col.Form == "")
		for _, o := range quickOptions {
			for _, e := range vals {
				for _, a := range vals {
					checkQuick(t, col, e, a, o, &decided)
				}
			}
		}
	}
	jsonb := Column{Kind: decant.KindJSON}
	for _, s := range jsonSeeds {
		if len(s) > 200 {
			for _, other := range []any{s, decant.JSON(s), "1", decant.JSON(jsonSeeds[len(jsonSeeds)-1])} {
				checkQuick(t, jsonb, decant.JSON(s), other, Options{}, &decided)
				checkQuick(t, jsonb, other, s, Options{NormalizeUnicode: true}, &decided)
			}
		}
	}
	if decided == 0 {
		t.Fatal("quickEqual decided no pair: the fast path is dead")
	}
}

func checkQuick(t *testing.T, col Column, e, a any, o Options, decided *int) {
	t.Helper()
	eq, ok := quickEqual(col, e, a, o)
	if !ok {
		return
	}
	*decided++
	want, err := compareCanonical(col, e, a, o)
	if err != nil {
		t.Fatalf("kind %q %+v: quickEqual(%#v, %#v) decided %v, but the rules fail: %v", col.Kind, o, e, a, eq, err)
	}
	if eq != want {
		t.Fatalf("kind %q %+v: quickEqual(%#v, %#v) = %v, the rules say %v", col.Kind, o, e, a, eq, want)
	}
}

// TestQuickEqualDecidesTheBenchRow checks that the common case is the
// fast one: a row as the plan maps it and PostgreSQL gives it back.
func TestQuickEqualDecidesTheBenchRow(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 1, 0, 0, 1, 912e6, time.UTC)
	for _, c := range []struct {
		col  Column
		e, a any
	}{
		{Column{Kind: decant.KindText}, "juliet bravo 1", "juliet bravo 1"},
		{Column{Kind: decant.KindInt}, int64(7), int64(7)},
		{Column{Kind: decant.KindTimestamp}, at.In(time.FixedZone("", 0)), at},
		{Column{Kind: decant.KindDecimal}, decant.Decimal("86368.59"), decant.Decimal("86368.59")},
		{Column{Kind: decant.KindJSON}, decant.JSON(`{"active":true,"score":934,"tags":["juliet","bravo"],"tier":"silver"}`),
			decant.JSON(`{"tags": ["juliet", "bravo"], "tier": "silver", "score": 934, "active": true}`)},
	} {
		if eq, ok := quickEqual(c.col, c.e, c.a, Options{}); !ok || !eq {
			t.Errorf("kind %s: quickEqual(%#v, %#v) = %v, decided %v; want equal, decided", c.col.Kind, c.e, c.a, eq, ok)
		}
	}
}

// FuzzQuickEqual holds quickEqual to the rules on any text, read as the
// types a scan gives.
func FuzzQuickEqual(f *testing.F) {
	for _, s := range jsonSeeds[:20] {
		f.Add(uint8(12), s, s, uint8(0), uint8(0), uint8(0))
	}
	f.Add(uint8(0), "ab", "ab", uint8(1), uint8(1), uint8(3))
	f.Add(uint8(7), "-0", "0", uint8(1), uint8(1), uint8(0))
	f.Fuzz(func(t *testing.T, kind uint8, a, b string, asA, asB, rules uint8) {
		col := quickColumns[int(kind)%len(quickColumns)]
		o := quickOptions[int(rules)%len(quickOptions)]
		var decided int
		checkQuick(t, col, quickValue(a, asA), quickValue(b, asB), o, &decided)
	})
}

func quickValue(s string, as uint8) any {
	switch as % 7 {
	case 1:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	case 2:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case 3:
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t
		}
	case 4:
		return []byte(s)
	case 5:
		return decant.JSON(s)
	case 6:
		return decant.Decimal(s)
	}
	return s
}

// BenchmarkQuickEqualJSON is the bench's attrs column: the plan's text
// against PostgreSQL's jsonb text of the same document.
func BenchmarkQuickEqualJSON(b *testing.B) {
	col := Column{Kind: decant.KindJSON}
	e := decant.JSON(`{"active":true,"score":934,"tags":["juliet","bravo"],"tier":"silver"}`)
	a := decant.JSON(`{"tags": ["juliet", "bravo"], "tier": "silver", "score": 934, "active": true}`)
	b.ReportAllocs()
	for b.Loop() {
		if eq, err := Compare(col, e, a, Options{}); err != nil || !eq {
			b.Fatal(eq, err)
		}
	}
}

// BenchmarkCanonicalJSON is the same pair by canonical text alone, the
// way before quickEqual.
func BenchmarkCanonicalJSON(b *testing.B) {
	col := Column{Kind: decant.KindJSON}
	e := decant.JSON(`{"active":true,"score":934,"tags":["juliet","bravo"],"tier":"silver"}`)
	a := decant.JSON(`{"tags": ["juliet", "bravo"], "tier": "silver", "score": 934, "active": true}`)
	b.ReportAllocs()
	for b.Loop() {
		if eq, err := compareCanonical(col, e, a, Options{}); err != nil || !eq {
			b.Fatal(eq, err)
		}
	}
}

// CanonicalJSON gives the text Compare finds equal to every spelling of
// the document, and leaves what it cannot render to the caller.
func TestCanonicalJSON(t *testing.T) {
	t.Parallel()
	col := Column{Kind: decant.KindJSON}
	for _, c := range []struct {
		text, want string
		ok         bool
		others     []string // spellings that compare equal
	}{
		{`{ "b" : [1.50, 2], "a": "\u00e9" }`, `{"a":"é","b":[1.5,2]}`, true, []string{`{"b":[1.5,2.0],"a":"é"}`, `{"a":"\u00e9","b":[15e-1,2]}`}},
		{`[ ]`, `[]`, true, []string{`[]`}},
		{`"x"`, `"x"`, true, nil},
		{`{"a":1,`, ``, false, nil},
		{`{"a":1,"a":2}`, `{"a":2}`, true, []string{`{"a":2}`}},
	} {
		got, ok := CanonicalJSON([]byte(c.text))
		if ok != c.ok || string(got) != c.want {
			t.Errorf("CanonicalJSON(%s) = %s, %v; want %s, %v", c.text, got, ok, c.want, c.ok)
			continue
		}
		for _, o := range c.others {
			if eq, err := Compare(col, decant.JSON(got), o, Options{}); err != nil || !eq {
				t.Errorf("Compare(%s, %s) = %v, %v; want equal", got, o, eq, err)
			}
			if eq, decided := jsonEqual(string(got), o, Options{}); !decided || !eq {
				t.Errorf("jsonEqual(%s, %s) = %v, %v; want equal at once", got, o, eq, decided)
			}
		}
	}
}
