package decant

import (
	"fmt"
	"strings"
)

// ScopeRef is how a plan names the run's scope in a source option, an
// expression or SQL: "${scope}". The plan keeps it as written when it
// loads (lowercase scope is never read from the environment), and each
// user of the value puts the scope in at run time, once it is known.
const ScopeRef = "${scope}"

// HasScopeRef reports whether s names the scope.
func HasScopeRef(s string) bool { return strings.Contains(s, ScopeRef) }

// ExpandScope returns s with every ${scope} replaced by scope, passed
// through escape first when escape is not nil (url.QueryEscape for a
// query parameter put back into a raw URL). Sources call it on their
// option strings in Read, which receives the scope. It is for text that
// is not code: SQL uses [BindScope], which never splices the scope in.
func ExpandScope(s, scope string, escape func(string) string) string {
	if !HasScopeRef(s) {
		return s
	}
	if escape != nil {
		scope = escape(scope)
	}
	return strings.ReplaceAll(s, ScopeRef, scope)
}

// BindScope returns sqlText with every ${scope} replaced by mark, the
// store's parameter placeholder ("$3" on PostgreSQL, "?3" on SQLite), to
// which the store binds the scope: the scope's text never becomes SQL, so
// a scope such as x' OR '1'='1 selects nothing but its own rows. A ${scope}
// inside a string literal becomes a concatenation with the parameter:
// '${scope}' is the parameter itself, and 'org-${scope}-%' is
// ('org-' || mark || '-%'), so that a pattern or a prefix keeps working.
// Comments and quoted identifiers are left as they are ([CheckScopeSQL]
// refuses a ${scope} in an identifier). ok is false when sqlText binds no
// scope, and the store then binds nothing.
func BindScope(sqlText, mark string) (bound string, ok bool) {
	if !HasScopeRef(sqlText) {
		return sqlText, false
	}
	var b strings.Builder
	scanSQL(sqlText, func(kind sqlPart, part string) {
		switch {
		case kind == sqlScope:
			b.WriteString(mark)
			ok = true
		case kind == sqlLiteral && part == "'"+ScopeRef+"'":
			b.WriteString(mark)
			ok = true
		case kind == sqlLiteral && HasScopeRef(part):
			b.WriteString("(" + strings.ReplaceAll(part, ScopeRef, "' || "+mark+" || '") + ")")
			ok = true
		default:
			b.WriteString(part)
		}
	})
	return b.String(), ok
}

// CheckScopeSQL reports a ${scope} of sqlText that [BindScope] cannot bind:
// one inside a quoted identifier ("t_${scope}"), which a parameter cannot
// name. Callers check plan SQL with it where they can say where it is.
func CheckScopeSQL(sqlText string) error {
	var bad string
	scanSQL(sqlText, func(kind sqlPart, part string) {
		if kind == sqlIdent && bad == "" && HasScopeRef(part) {
			bad = part
		}
	})
	if bad != "" {
		return fmt.Errorf("${scope} in the quoted name %s: a name cannot take the scope, which is bound as a value; "+
			"keep one name for every scope and tell the scopes' rows apart by a column (tenant = ${scope})", bad)
	}
	return nil
}

// sqlPart is the kind of a piece of SQL text that scanSQL gives.
type sqlPart int

const (
	sqlOther   sqlPart = iota // anything else, a byte at a time
	sqlScope                  // a bare ${scope}
	sqlComment                // -- to the end of the line, or /* */
	sqlLiteral                // a string literal, quotes included
	sqlIdent                  // a quoted identifier, quotes included
)

// scanSQL splits s into the pieces BindScope and CheckScopeSQL tell apart,
// in order; the pieces put together are s.
func scanSQL(s string, yield func(sqlPart, string)) {
	for i := 0; i < len(s); {
		rest := s[i:]
		kind, n := sqlOther, 1
		switch {
		case strings.HasPrefix(rest, ScopeRef):
			kind, n = sqlScope, len(ScopeRef)
		case strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "/*"):
			kind, n = sqlComment, commentLen(rest)
		case rest[0] == '\'':
			kind, n = sqlLiteral, quotedLen(rest)
		case rest[0] == '"':
			kind, n = sqlIdent, quotedLen(rest)
		}
		yield(kind, rest[:n])
		i += n
	}
}

// commentLen is the length of the SQL comment s starts with: to the end
// of the line for --, to */ for /*, or to the end of s.
func commentLen(s string) int {
	end := "\n"
	if s[1] == '*' {
		end = "*/"
	}
	n := strings.Index(s[2:], end)
	if n < 0 {
		return len(s)
	}
	return 2 + n + len(end)
}

// quotedLen is the length of the string literal or quoted identifier s
// starts with, its quotes included (a doubled quote inside it is a quote),
// or of the rest of s when it is not closed.
func quotedLen(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			i++
			continue
		}
		return i + 1
	}
	return len(s)
}
