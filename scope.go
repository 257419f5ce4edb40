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
// written inside quotes ('${scope}', as one would write a literal) is
// replaced with its quotes. ok is false when sqlText does not name the
// scope, and the store then binds nothing.
func BindScope(sqlText, mark string) (bound string, ok bool) {
	if !HasScopeRef(sqlText) {
		return sqlText, false
	}
	quoted := "'" + ScopeRef + "'"
	bound = strings.ReplaceAll(sqlText, quoted, mark)
	return strings.ReplaceAll(bound, ScopeRef, mark), true
}
