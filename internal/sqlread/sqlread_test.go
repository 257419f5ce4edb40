package sqlread

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	mariaLike = &Dialect{Quote: '`', Mark: func(int) string { return "?" }, RowValues: true, BackslashEscapes: true, HashComments: true}
	// oracleLike has no row values: the comparison is spelled out.
	oracleLike = &Dialect{Quote: '"', Mark: func(n int) string { return ":" + strconv.Itoa(n) },
		Limit: func(n int) string { return "FETCH FIRST " + strconv.Itoa(n) + " ROWS ONLY" }}
)

// Ensure bind turns ${scope} and :name into placeholders and leaves alone
// what only looks like one: literals, quoted names, comments and casts.
func TestBind(t *testing.T) {
	params := map[string]string{"since": "2020", "code": "x"}
	n := 0
	mark := func() string { n++; return "$" + strconv.Itoa(n) }
	for _, tc := range []struct {
		d       *Dialect
		in, out string
		names   []string
	}{
		{nil, "a = ${scope} AND b >= :since", "a = $1 AND b >= $2", []string{scopeParam, "since"}},
		{nil, "a = '${scope}' AND c = :code AND d = :code", "a = $1 AND c = $2 AND d = $3", []string{scopeParam, "code", "code"}},
		{nil, "t = '10:30' AND x::date > :since -- :nope\n AND \":odd\" = 1 /* :no */ AND :code = 'a'", "t = '10:30' AND x::date > $1 -- :nope\n AND \":odd\" = 1 /* :no */ AND $2 = 'a'", []string{"since", "code"}},
		{mariaLike, `s = 'it\'s :no' AND c = :code # :nope` + "\n AND `:x` = :since", `s = 'it\'s :no' AND c = $1 # :nope` + "\n AND `:x` = $2", []string{"code", "since"}},
		{nil, "a:code = 1", "a:code = 1", nil},
	} {
		p := params
		if tc.names == nil {
			p = nil
		}
		n = 0
		b, err := bind(tc.in, onlyUsed(p, tc.names), tc.d, mark)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if b.text != tc.out || !cmp.Equal(b.names, tc.names) {
			t.Errorf("%q: got %q %q, want %q %q", tc.in, b.text, b.names, tc.out, tc.names)
		}
	}
}

func onlyUsed(p map[string]string, names []string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		if v, ok := p[n]; ok {
			out[n] = v
		}
	}
	return out
}

// Ensure bind refuses what cannot be bound, saying how to fix it.
func TestBindErrors(t *testing.T) {
	for in, want := range map[string]string{
		"a = :since":            ":since is not among params",
		"a LIKE 'org-${scope}'": "${scope} inside 'org-${scope}'",
		`"t_${scope}".a = 1`:    `${scope} inside "t_${scope}"`,
		"a = 1":                 "params.x is not used",
	} {
		params := map[string]string{}
		if strings.HasSuffix(want, "not used") {
			params["x"] = "1"
		}
		_, err := bind(in, params, nil, func() string { return "?" })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

// Ensure a database without row values gets the comparison spelled out,
// with its arguments in the order of its marks, and its own LIMIT.
func TestAfterWithoutRowValues(t *testing.T) {
	st := &statement{d: oracleLike}
	q := query{cols: "*", from: `"T"`, qual: `"T"`, orderBy: []string{"a", "b"}, limit: 5}
	q.after(st, []string{"a", "b"}, []any{1, "x"})
	want := `SELECT * FROM "T" WHERE (("T"."a" > :1) OR ("T"."a" = :2 AND "T"."b" > :3)) ORDER BY "T"."a", "T"."b" FETCH FIRST 5 ROWS ONLY`
	if got := q.sql(oracleLike); got != want {
		t.Errorf("sql:\n got %s\nwant %s", got, want)
	}
	if diff := cmp.Diff([]any{1, 1, "x"}, st.args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
}

// Ensure a position is refused, not misread, when it does not fit the
// read: another shape, or another number of ordered columns.
func TestDecodePositionErrors(t *testing.T) {
	for _, pos := range []string{`{"after":[1]}`, `{"offset":5}`, `[1,2]`, `{"after":[null,1]}`} {
		if _, err := decodePosition([]byte(pos), []string{"a", "b"}, []Kind{KindInt, KindInt}); err == nil {
			t.Errorf("position %s was accepted", pos)
		}
	}
	got, err := decodePosition([]byte(`{"after":[18446744073709551615,"AP8=","2024-01-01T10:00:00Z"]}`), []string{"u", "b", "ts"}, []Kind{KindInt, KindBinary, KindTimestamp})
	if err != nil || got.after[0] != uint64(18446744073709551615) || string(got.after[1].([]byte)) != "\x00\xff" {
		t.Errorf("decode = %v, %v", got, err)
	}
}
