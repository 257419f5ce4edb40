package jsonscan

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant/internal/jsonkey"
)

// plainDocs are valid plain documents: Plain must take each.
var plainDocs = []string{
	`{}`, `[]`, `0`, `-0`, `1.5e+10`, `-12.25E-3`, `"s"`, `""`, `true`, `false`, `null`,
	` {"a" : [1, 2 ,{"b":null}], "c":"x\"y\\z\/\b\f\n\r\t", "d":{}, "e":[]} `,
	"\t[\r\n1\n]\n",
	`{"id":1,"name":"juliet bravo 1","email":"user1@bravo.example.org","created_at":"2024-01-01T00:00:01.912Z","amount":"86368.59","attrs":{"tier":"silver","score":934,"tags":["juliet","bravo"],"active":true}}`,
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
}

// notPlain are documents Plain must not take: invalid ones, and valid
// ones with what it does not judge.
var notPlain = []string{
	``, ` `, `{`, `}`, `[`, `]`, `{]`, `[}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[,1]`, `{,}`, `{"a":1 "b":2}`,
	`[1 2]`, `{a:1}`, `{'a':1}`, `"`, `"abc`, `"a\"`, `"\x"`, `"\u0041"`, "\"\x01\"", "\"\x7f\"", "\"é\"",
	`01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `0x1`, `NaN`, `tru`, `nul`, `True`, `1 2`, `{} {}`, `{}x`,
	strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
	"\v1", "1\x00",
}

func TestPlain(t *testing.T) {
	for _, d := range plainDocs {
		if !Plain([]byte(d)) {
			t.Errorf("Plain(%q) = false, want true", d)
		}
	}
	for _, d := range notPlain {
		if Plain([]byte(d)) {
			t.Errorf("Plain(%q) = true, want false", d)
		}
	}
}

// Ensure Plain takes nothing that encoding/json or gjson refuse: every
// document made by cutting, dropping or changing a byte of the plain
// documents, and random documents.
func TestPlainImpliesValid(t *testing.T) {
	check := func(b []byte) {
		if Plain(b) && (!json.Valid(b) || !gjson.ValidBytes(b)) {
			t.Errorf("Plain(%q) = true; json.Valid %v, gjson.ValidBytes %v", b, json.Valid(b), gjson.ValidBytes(b))
		}
	}
	alphabet := []byte("{}[]\",:\\/ \t\n\r0123456789-+.eEtrufalsnbx\x00\x7f\xc3\xa9")
	for _, d := range append(plainDocs, notPlain...) {
		for i := range len(d) + 1 {
			check([]byte(d[:i]))
			check([]byte(d[:i] + d[min(i+1, len(d)):]))
			for _, c := range alphabet {
				if i < len(d) {
					b := []byte(d)
					b[i] = c
					check(b)
				}
				check([]byte(d[:i] + string(c) + d[i:]))
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		n := 1 + r.IntN(24)
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		check(b)
	}
}

func FuzzPlain(f *testing.F) {
	for _, d := range append(plainDocs, notPlain...) {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if Plain(b) && (!json.Valid(b) || !gjson.ValidBytes(b)) {
			t.Errorf("Plain(%q) = true; json.Valid %v, gjson.ValidBytes %v", b, json.Valid(b), gjson.ValidBytes(b))
		}
		if key, ok := PlainKey(b, "id"); ok && string(key) != jsonkey.Text(gjson.GetBytes(b, "id")) {
			t.Errorf("PlainKey(%q, id) = %q, gjson gives %q", b, key, jsonkey.Text(gjson.GetBytes(b, "id")))
		}
	})
}

func BenchmarkPlain(b *testing.B) {
	doc := []byte(plainDocs[len(plainDocs)-2])
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			if !Plain(doc) {
				b.Fatal("not plain")
			}
		}
	})
	b.Run("gjson", func(b *testing.B) {
		for b.Loop() {
			if !gjson.ValidBytes(doc) {
				b.Fatal("not valid")
			}
		}
	})
}

// Ensure PlainKey gives what jsonkey.Text(jsonkey.Get) gives whenever
// it is sure: for every name of the plain documents, their mutations and
// documents with repeated, nested and escaped members.
func TestPlainKeyAsGJSON(t *testing.T) {
	docs := append([]string{
		`{"id":1,"id":2}`, `{"id":1,"x":"id","id":2}`, `{"id":"a\"b","id":2}`, `{"id":1,"id":"a\"b"}`, `{"a":{"id":3},"id":"x"}`, `{"b":[{"id":1}],"id":true}`, `{"id":null}`, `{"id":{"k":1}}`,
		`{"id":[1]}`, `{"i\/d":1,"id":-0.5e3}`, `{"id":"a\"b"}`, `{"x":"}","id":"{"}`, ` { "id" : "s p" } `, `{}`,
		`{"ID":1}`, `{"id_2":7,"_":8}`, `[{"id":1}]`, `"id"`, `{"0":1}`, `{"id":""}`,
	}, plainDocs...)
	names := []string{"id", "ID", "id_2", "_", "0", "a.b", "i", "name", "attrs", "tier", "", "a", "@this", "id*"}
	check := func(doc string) {
		for _, name := range names {
			got, ok := PlainKey([]byte(doc), name)
			if !ok {
				continue
			}
			if want := jsonkey.Text(jsonkey.Get([]byte(doc), name)); string(got) != want {
				t.Errorf("PlainKey(%q, %q) = %q, jsonkey.Get gives %q", doc, name, got, want)
			}
		}
	}
	took := 0
	for _, d := range docs {
		if _, ok := PlainKey([]byte(d), "id"); ok {
			took++
		}
		check(d)
		for i := range len(d) {
			check(d[:i] + d[i+1:])
			check(d[:i] + `,"id":9` + d[i:])
		}
	}
	if took < 12 {
		t.Errorf("PlainKey was sure of %d documents' id, want most of them", took)
	}
}
