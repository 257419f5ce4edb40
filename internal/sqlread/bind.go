package sqlread

import (
	"fmt"
	"slices"
	"strings"

	"github.com/decanthq/decant"
)

// scopeParam stands for ${scope} in a bound statement's parameter names;
// no :name can spell it.
const scopeParam = "${scope}"

// bound is plan SQL with its ${scope} and :name parameters replaced by
// placeholders, and the names of the values those take, in order.
type bound struct {
	text  string
	names []string
}

// args are the values of the parameters for scope.
func (b bound) args(scope string, params map[string]string) []any {
	args := make([]any, len(b.names))
	for i, n := range b.names {
		if n == scopeParam {
			args[i] = scope
		} else {
			args[i] = params[n]
		}
	}
	return args
}

// bind replaces the parameters of sqlText with placeholders from mark,
// reading the SQL as d does (nil: standard SQL). ${scope} is a
// parameter bare or as a whole string literal ('${scope}'); anywhere else
// in a literal or a quoted name it is an error, as is a :name that params
// does not set or a param that sqlText does not use. String literals,
// quoted names, comments and casts (::text) are left as they are.
func bind(sqlText string, params map[string]string, d *Dialect, mark func() string) (bound, error) {
	var b strings.Builder
	var out bound
	sc := scanner{s: sqlText, d: d}
	for sc.i < len(sqlText) {
		kind, part := sc.next()
		switch {
		case kind == partScope, kind == partLiteral && part == "'"+decant.ScopeRef+"'":
			out.names = append(out.names, scopeParam)
			b.WriteString(mark())
		case kind == partParam:
			name := part[1:]
			if _, ok := params[name]; !ok {
				return out, fmt.Errorf("%s is not among params; set it (params: {%s: VALUE}) or write :: for a cast", part, name)
			}
			out.names = append(out.names, name)
			b.WriteString(mark())
		case (kind == partLiteral || kind == partIdent) && decant.HasScopeRef(part):
			return out, fmt.Errorf("${scope} inside %s: the scope is bound as a value, so write it outside quotes (tenant = ${scope}) and build text with the database's concatenation", part)
		default:
			b.WriteString(part)
		}
	}
	for name := range params {
		if !slices.Contains(out.names, name) {
			return out, fmt.Errorf("params.%s is not used: write :%s where its value goes", name, name)
		}
	}
	out.text = b.String()
	return out, nil
}

// partKind is the kind of a piece of SQL text the scanner gives.
type partKind int

const (
	partOther   partKind = iota // anything else, a byte or a cast at a time
	partScope                   // a bare ${scope}
	partParam                   // :name
	partComment                 // -- or # to the end of the line, or /* */
	partLiteral                 // a string literal, quotes included
	partIdent                   // a quoted name, quotes included
)

// scanner splits SQL into the pieces bind tells apart.
type scanner struct {
	s string
	i int
	d *Dialect
}

func (sc *scanner) next() (partKind, string) {
	rest := sc.s[sc.i:]
	kind, n := partOther, 1
	switch {
	case strings.HasPrefix(rest, decant.ScopeRef):
		kind, n = partScope, len(decant.ScopeRef)
	case strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "/*") || rest[0] == '#' && sc.d != nil && sc.d.HashComments:
		kind, n = partComment, commentLen(rest)
	case rest[0] == '\'':
		kind, n = partLiteral, sc.quotedLen(rest, sc.d != nil && sc.d.BackslashEscapes)
	case rest[0] == '"' || rest[0] == '`':
		kind, n = partIdent, sc.quotedLen(rest, false)
	case strings.HasPrefix(rest, "::"):
		n = 2
	case rest[0] == ':' && len(rest) > 1 && isNameStart(rest[1]) && (sc.i == 0 || !isNameByte(sc.s[sc.i-1])):
		kind, n = partParam, 2
		for n < len(rest) && isNameByte(rest[n]) {
			n++
		}
	}
	sc.i += n
	return kind, rest[:n]
}

// commentLen is the length of the comment s starts with.
func commentLen(s string) int {
	end := "\n"
	if strings.HasPrefix(s, "/*") {
		end = "*/"
	}
	n := strings.Index(s[1:], end)
	if n < 0 {
		return len(s)
	}
	return 1 + n + len(end)
}

// quotedLen is the length of the literal or quoted name s starts with,
// quotes included: a doubled quote (or, with backslash, an escaped
// character) stays inside.
func (sc *scanner) quotedLen(s string, backslash bool) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case backslash && s[i] == '\\':
			i++
		case s[i] != q:
		case i+1 < len(s) && s[i+1] == q:
			i++
		default:
			return i + 1
		}
	}
	return len(s)
}

func isNameStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isNameByte(c byte) bool { return isNameStart(c) || '0' <= c && c <= '9' }
