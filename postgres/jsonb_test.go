package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant/internal/testenv"
)

// jsonbDocs are documents whose jsonb spelling is easy to get wrong.
var jsonbDocs = []string{
	`{"b":1,"a":2,"aa":3,"B":4,"é":5,"":6}`,
	`{"a":1,"a":2,"b":{"a":[1,2,{}],"a":[]}}`,
	`[1.50, 15e-1, 1.5e3, 1E+2, -0, -0.00, 0.000, 1e-2, 1.0e-2, 123456789012345678901234567890.123, -12.5e1, 0e5]`,
	`"tab\there \"q\" back\\slash \/ \u00e9 \ud83d\ude00 \u001f \u007f \u2028"`,
	`{ "k" : [ true , false , null ] }`,
	`{"long key first":1,"z":2,"mid":3}`,
	`[]`, `{}`, `[[],[{}],{"a":[]}]`, `0`, `-1`, `"x"`, `true`, `null`,
	`{"m":1,"l":2,"k":3,"j":4,"i":5,"h":6,"g":7,"f":8,"e":9,"d":10,"c":11,"b":12,"a":13,"k":14,"bb":15,"\u00e9":16}`,
	`{"c":1,"b":2,"a":3,"b":4,"c":5,"a":6}`,
	`{"\u0000":1}`, `"\ud800"`, `"\udc00x"`, `[1,]`, `{"a" 1}`, `01`, `1.`, `.5`, `-`, `1e`, `[1e400]`,
}

// jsonbText spells a document exactly as PostgreSQL's jsonb gives it back,
// for every document PostgreSQL takes that it claims to spell.
func TestJSONBTextMatchesPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	docs := append([]string(nil), jsonbDocs...)
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		docs = append(docs, randomJSON(r, 0))
	}
	spelled := 0
	for _, doc := range docs {
		var want string
		pgErr := conn.QueryRow(ctx, `SELECT $1::text::jsonb::text`, doc).Scan(&want)
		got, ok := jsonbText([]byte(doc))
		// Appended after what a slab holds, the same text, or the slab as
		// it was.
		if app, aok := appendJSONB([]byte("p:"), []byte(doc)); aok != ok || string(app) != "p:"+string(got) {
			t.Errorf("%s: appendJSONB = %q, %v; jsonbText %q, %v", doc, app, aok, got, ok)
		}
		switch {
		case pgErr != nil && ok:
			t.Errorf("%s: PostgreSQL refuses it (%v), jsonbText spells it %s", doc, pgErr, got)
		case pgErr == nil && ok && string(got) != want:
			t.Errorf("%s: jsonbText = %s, PostgreSQL gives %s", doc, got, want)
		case pgErr == nil && ok:
			spelled++
		}
	}
	t.Logf("spelled %d of %d documents as PostgreSQL does", spelled, len(docs))
	if spelled < len(docs)*9/10 {
		t.Errorf("jsonbText spelled %d of %d documents, want nearly all: the comparison would go the slow way", spelled, len(docs))
	}
}

// randomJSON makes a document of the kinds jsonb spells differently from
// its input: keys of every length and order, twice, escaped; numbers with
// zeros, signs and exponents; strings with control characters and Unicode.
func randomJSON(r *rand.Rand, depth int) string {
	k := r.IntN(8)
	if depth > 3 {
		k = 4 + r.IntN(4)
	}
	switch k {
	case 0, 1:
		n := r.IntN(5)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = randomString(r) + " :" + randomJSON(r, depth+1)
		}
		if n > 1 && r.IntN(4) == 0 {
			parts = append(parts, parts[0][:strings.Index(parts[0], " :")]+":"+randomJSON(r, depth+1))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case 2, 3:
		n := r.IntN(4)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = randomJSON(r, depth+1)
		}
		return "[ " + strings.Join(parts, " ,") + "]"
	case 4:
		return randomString(r)
	case 5, 6:
		return randomNumber(r)
	}
	return []string{"true", "false", "null"}[r.IntN(3)]
}

func randomString(r *rand.Rand) string {
	pieces := []string{"a", "b", "zz", "key", "é", "日本", `\u00e9`, `\n`, `\t`, `\"`, `\\`, `\/`, `\u001b`, `\ud83d\ude00`, " ", "A", "\u007f", `\u2028`, "0"}
	n := r.IntN(4)
	var b strings.Builder
	b.WriteByte('"')
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	b.WriteByte('"')
	return b.String()
}

func randomNumber(r *rand.Rand) string {
	s := ""
	if r.IntN(3) == 0 {
		s = "-"
	}
	if r.IntN(4) == 0 {
		s += "0"
	} else {
		s += fmt.Sprint(1 + r.IntN(100000))
	}
	if r.IntN(2) == 0 {
		s += "." + []string{"0", "00", "5", "50", "125", "000001"}[r.IntN(6)]
	}
	if r.IntN(3) == 0 {
		s += []string{"e", "E", "e+", "e-", "E-"}[r.IntN(5)] + fmt.Sprint(r.IntN(12))
	}
	return s
}
