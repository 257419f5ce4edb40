package migrations

import (
	"strings"
	"unicode/utf8"
)

// statement is one SQL statement of a file and where it starts.
type statement struct {
	text      string
	line, col int // 1-based position of the statement's first character
}

// split cuts SQL text into statements at semicolons outside quotes,
// dollar quotes and comments. line is the text's first line in its file.
// Statements that hold only comments are dropped.
func split(text string, line int) []statement {
	var out []statement
	start, startLine, startCol := -1, line, 1
	col := 1
	i, codeEnd := 0, 0 // codeEnd: after the last byte that is not space or comment
	begin := func() {
		if start < 0 {
			start, startLine, startCol = i, line, col
		}
	}
	advance := func(n int) { // moves i by n bytes, keeping line and col
		for _, r := range text[i : i+n] {
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		i += n
	}
	for i < len(text) {
		c := text[i]
		switch {
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			advance(lineEnd(text, i) - i)
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			advance(blockEnd(text, i) - i)
		case c == '\'' || c == '"':
			begin()
			advance(quoteEnd(text, i, c) - i)
			codeEnd = i
		case c == '$':
			begin()
			if tag, ok := dollarTag(text[i:]); ok {
				end := strings.Index(text[i+len(tag):], tag)
				if end < 0 {
					advance(len(text) - i)
				} else {
					advance(len(tag) + end + len(tag))
				}
			} else {
				advance(1)
			}
			codeEnd = i
		case c == ';':
			if start >= 0 {
				out = append(out, statement{strings.TrimSpace(text[start:i]), startLine, startCol})
				start = -1
			}
			advance(1)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			advance(1)
		default:
			begin()
			_, n := utf8.DecodeRuneInString(text[i:])
			advance(n)
			codeEnd = i
		}
	}
	if start >= 0 {
		if s := strings.TrimSpace(text[start:codeEnd]); s != "" {
			out = append(out, statement{s, startLine, startCol})
		}
	}
	return out
}

func lineEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s)
}

func blockEnd(s string, i int) int {
	if j := strings.Index(s[i+2:], "*/"); j >= 0 {
		return i + 2 + j + 2
	}
	return len(s)
}

// quoteEnd returns the index after the closing quote; a doubled quote is
// part of the text.
func quoteEnd(s string, i int, q byte) int {
	for j := i + 1; j < len(s); j++ {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// dollarTag recognises $$ or $tag$ at the start of s.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}

// oneLine shortens a statement for a message.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
