package xmldoc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// xtoken is one lexical token of an XPath, with the byte offset where it
// starts in the expression.
type xtoken struct {
	text string
	at   int
}

// lexXPath splits an XPath into tokens: string literals, numbers, names
// (a prefixed name and prefix:* are one token), "::", "//", "..", and
// single characters otherwise. It never fails: the XPath library has
// already judged the syntax; this only reads what it accepted.
func lexXPath(expr string) []xtoken {
	var toks []xtoken
	for i := 0; i < len(expr); {
		r, size := utf8.DecodeRuneInString(expr[i:])
		n := size
		switch {
		case unicode.IsSpace(r):
			i += size
			continue
		case r == '"' || r == '\'':
			n = literalLen(expr[i:], byte(r))
		case r >= '0' && r <= '9' || r == '.' && i+1 < len(expr) && expr[i+1] >= '0' && expr[i+1] <= '9':
			n = numberLen(expr[i:])
		case isNameStart(r):
			n = qnameLen(expr[i:])
		case strings.HasPrefix(expr[i:], "::"), strings.HasPrefix(expr[i:], "//"), strings.HasPrefix(expr[i:], ".."):
			n = 2
		}
		toks = append(toks, xtoken{text: expr[i : i+n], at: i})
		i += n
	}
	return toks
}

func literalLen(s string, quote byte) int {
	if end := strings.IndexByte(s[1:], quote); end >= 0 {
		return end + 2
	}
	return len(s)
}

func numberLen(s string) int {
	n := 0
	for n < len(s) && (s[n] >= '0' && s[n] <= '9' || s[n] == '.') {
		n++
	}
	return n
}

// qnameLen is the length of the name at the start of s: an NCName, a
// prefixed name, or prefix:* (but not the axis of axis::name).
func qnameLen(s string) int {
	n := ncnameLen(s)
	if n+1 < len(s) && s[n] == ':' && s[n+1] != ':' {
		if s[n+1] == '*' {
			return n + 2
		}
		if m := ncnameLen(s[n+1:]); m > 0 {
			return n + 1 + m
		}
	}
	return n
}

func ncnameLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !isNameStart(r) && (n == 0 || !isNameChar(r)) {
			break
		}
		n += size
	}
	return n
}

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isNameChar(r rune) bool {
	return isNameStart(r) || r == '-' || r == '.' || unicode.IsDigit(r)
}

// isName reports whether a token is a name (or prefix:*).
func isName(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return isNameStart(r)
}
