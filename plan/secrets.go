package plan

import (
	"regexp"
	"strings"

	"github.com/decanthq/decant"
)

// yamlPair finds "key: value" in a plan line, block or flow style. The value
// is quoted, or plain up to a comment, ',' or a bracket (redactLine extends a
// plain value to the end of the line outside a flow).
var yamlPair = regexp.MustCompile(`(^|[\s{,])([A-Za-z0-9_.-]+)[ \t]*:[ \t]+("(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|[^\s#,{}\[\]](?:[^\s,{}\[\]]|[ \t]+[^\s#,{}\[\]])*)`)

// envOnly matches a value that is only ${VAR} references, which reveal
// nothing and help to read the line.
var envOnly = regexp.MustCompile(`^["']?(\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}\s*)+["']?$`)

// redactLine hides the secrets of a plan line shown under a load error: the
// passwords and secret parameters of its URLs, and the value of a key that
// names a secret (password: ..., bearer_token: ..., Authorization: ...).
// A value is kept when it is only ${VAR} references or an expression on
// the record (a map entry such as password_hash: record.pw), and so is the
// step's key: field; neither holds a secret.
func redactLine(line string) string {
	locs := yamlPair.FindAllStringSubmatchIndex(line, -1)
	for i := len(locs) - 1; i >= 0; i-- { // from the end, so earlier offsets hold
		l := locs[i]
		key, from, to := line[l[4]:l[5]], l[6], l[7]
		if q := line[from]; q != '"' && q != '\'' && !inFlow(line[:l[4]]) {
			to = blockEnd(line, from)
		}
		value := strings.TrimSpace(line[from:to])
		switch {
		case key != "key" && decant.IsSecretParam(key) && value != "" && !envOnly.MatchString(value) &&
			!strings.Contains(value, "record."):
			line = line[:from] + decant.Redacted + line[to:]
		case strings.Contains(value, "://"):
			// The whole value is the URL, even where its password holds a
			// space or a quote that would end a URL in free text.
			line = line[:from] + redactValue(line[from:to]) + line[to:]
		}
	}
	return decant.RedactText(line)
}

// redactValue redacts a YAML scalar that holds a URL, inside its quotes.
func redactValue(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[:1] + decant.RedactURL(v[1:len(v)-1]) + v[len(v)-1:]
	}
	if v != "" && (v[0] == '\'' || v[0] == '"') { // no closing quote on this line
		return v[:1] + decant.RedactURL(v[1:])
	}
	return decant.RedactURL(v)
}

// blockEnd returns where a plain block-style value that starts at line[from]
// ends: before " #" (a comment) or trailing blanks.
func blockEnd(line string, from int) int {
	end := len(line)
	if k := strings.Index(line[from:], " #"); k >= 0 {
		end = from + k
	}
	return from + len(strings.TrimRight(line[from:end], " \t"))
}

// inFlow reports whether text ends inside a YAML flow mapping or sequence.
func inFlow(text string) bool {
	return strings.Count(text, "{")+strings.Count(text, "[") > strings.Count(text, "}")+strings.Count(text, "]")
}
