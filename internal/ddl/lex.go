package ddl

import (
	"strings"
	"unicode"
)

// token is one lexical unit of SQL text. Quoted identifiers keep their case
// and have quoted set; strings and dollar-quoted bodies are kept as kind
// 's' so that nothing inside them is read as DDL.
type token struct {
	text   string
	kind   byte // 'w' word or identifier, 's' string, 'p' punctuation, 'n' number
	quoted bool
}

// is reports whether t is the unquoted keyword kw (case-insensitive).
func (t token) is(kw string) bool {
	return t.kind == 'w' && !t.quoted && strings.EqualFold(t.text, kw)
}

// statements cuts SQL text into statements of tokens at semicolons outside
// quotes, comments and dollar-quoted bodies.
func statements(text string) [][]token {
	var out [][]token
	var cur []token
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ';':
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			i++
		case unicode.IsSpace(rune(c)):
			i++
		case strings.HasPrefix(text[i:], "--"):
			i = until(text, i, "\n")
		case strings.HasPrefix(text[i:], "/*"):
			i = until(text, i+2, "*/")
		case c == '\'':
			j := quoteEnd(text, i, '\'')
			cur = append(cur, token{text: text[i:j], kind: 's'})
			i = j
		case c == '"' || c == '`':
			j := quoteEnd(text, i, c)
			name := strings.ReplaceAll(text[i+1:max(j-1, i+1)], string([]byte{c, c}), string(c))
			cur = append(cur, token{text: name, kind: 'w', quoted: true})
			i = j
		case c == '[' && (i == 0 || !isWord(text[i-1]) && text[i-1] != ']'):
			// [name] quotes a name in SQLite; text[] is a PostgreSQL array type.
			j := until(text, i, "]")
			cur = append(cur, token{text: text[i+1 : max(j-1, i+1)], kind: 'w', quoted: true})
			i = j
		case c == '$' && dollarTag(text[i:]) != "":
			tag := dollarTag(text[i:])
			j := until(text, i+len(tag), tag)
			cur = append(cur, token{text: text[i:j], kind: 's'})
			i = j
		case isWord(c):
			j := i
			for j < len(text) && (isWord(text[j]) || text[j] >= '0' && text[j] <= '9' || text[j] == '$') {
				j++
			}
			cur = append(cur, token{text: text[i:j], kind: 'w'})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(text) && (text[j] >= '0' && text[j] <= '9' || text[j] == '.') {
				j++
			}
			cur = append(cur, token{text: text[i:j], kind: 'n'})
			i = j
		default:
			cur = append(cur, token{text: string(c), kind: 'p'})
			i++
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func isWord(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// until returns the index after the first end at or after i, or len(text).
func until(text string, i int, end string) int {
	if k := strings.Index(text[i:], end); k >= 0 {
		return i + k + len(end)
	}
	return len(text)
}

// quoteEnd returns the index after the quote that closes the one at i; a
// doubled quote stands for itself.
func quoteEnd(text string, i int, q byte) int {
	for j := i + 1; j < len(text); j++ {
		if text[j] == q {
			if j+1 < len(text) && text[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(text)
}

// dollarTag returns the $tag$ that opens a dollar-quoted string at the
// start of s, or "".
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '$':
			return s[:j+1]
		case !isWord(c) && (c < '0' || c > '9' || j == 1):
			return ""
		}
	}
	return ""
}
