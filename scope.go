package decant

import "strings"

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
// Comments are left as they are. ok is false when sqlText binds no scope,
// and the store then binds nothing.
func BindScope(sqlText, mark string) (bound string, ok bool) {
	if !HasScopeRef(sqlText) {
		return sqlText, false
	}
	var b strings.Builder
	for i := 0; i < len(sqlText); {
		rest := sqlText[i:]
		n := 1
		switch {
		case strings.HasPrefix(rest, ScopeRef):
			b.WriteString(mark)
			n, ok = len(ScopeRef), true
		case strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "/*"):
			n = commentLen(rest)
			b.WriteString(rest[:n])
		case rest[0] == '\'':
			n = literalLen(rest)
			lit := rest[:n]
			switch {
			case lit == "'"+ScopeRef+"'":
				b.WriteString(mark)
				ok = true
			case HasScopeRef(lit):
				b.WriteString("(" + strings.ReplaceAll(lit, ScopeRef, "' || "+mark+" || '") + ")")
				ok = true
			default:
				b.WriteString(lit)
			}
		default:
			b.WriteByte(rest[0])
		}
		i += n
	}
	return b.String(), ok
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

// literalLen is the length of the string literal s starts with, its
// quotes included (a doubled quote inside it is a quote), or of the rest of s when it
// is not closed.
func literalLen(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			i++
			continue
		}
		return i + 1
	}
	return len(s)
}
