package plan

import (
	"fmt"
	"strings"

	"github.com/decanthq/decant"
)

// escapes are the characters a URL reads as delimiters, so that a raw one
// in a password ends the password early, with the %-escape to write
// instead.
var escapes = []struct{ char, escape string }{
	{"@", "%40"}, {"/", "%2F"}, {"?", "%3F"}, {"#", "%23"},
}

// passwordProblem says what is wrong with the password of the connection
// URL u and how to write it, or returns "" when it reads as written. A raw
// '@', '/', '?' or '#' is taken by URL parsers (net/url, pgx) for the end
// of the user info, so the host, port or database would be made of the
// password's pieces; a '%' not followed by two hex digits is a bad escape.
// The message never holds the password.
func passwordProblem(u string) string {
	pw, ok := decant.URLPassword(u)
	if !ok {
		return ""
	}
	var found, fixes []string
	for _, e := range escapes {
		if strings.Contains(pw, e.char) {
			found = append(found, "a raw '"+e.char+"'")
			fixes = append(fixes, "'"+e.char+"' as "+e.escape)
		}
	}
	if badEscape(pw) {
		found = append(found, "a '%' that starts no %-escape")
		fixes = append(fixes, "'%' as %25")
	}
	if len(found) == 0 {
		return ""
	}
	return fmt.Sprintf("the password in %q holds %s, which a URL misreads: write %s",
		decant.RedactURL(u), joinAnd(found), joinAnd(fixes))
}

// badEscape reports whether s holds a '%' not followed by two hex digits.
func badEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			return true
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// joinAnd joins items as "a", "a and b" or "a, b and c".
func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
