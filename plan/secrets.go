package plan

import (
	"regexp"
	"slices"
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

// minSecret is the shortest value ExpandedSecrets keeps: hiding shorter
// ones would blank out ordinary words of the text they are hidden in.
const minSecret = 3

// lookupRemembering wraps lookup so that the values it gives for
// secret-looking names are kept for ExpandedSecrets.
func (p *Plan) lookupRemembering(lookup func(string) (string, bool)) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := lookup(name)
		if ok && len(v) >= minSecret && SecretEnvName(name) && !slices.Contains(p.envSecrets, v) {
			p.envSecrets = append(p.envSecrets, v)
			slices.SortStableFunc(p.envSecrets, func(a, b string) int { return len(b) - len(a) })
		}
		return v, ok
	}
}

// ExpandedSecrets returns the values that ${VAR} put into the plan from
// environment variables whose names look secret (SecretEnvName), longest
// first: text built from the plan's strings, such as a hook's command
// line, hides them before it is printed. A ${VAR:-default}'s default is
// written in the plan and is not among them.
func (p *Plan) ExpandedSecrets() []string { return slices.Clone(p.envSecrets) }

// SecretEnvName reports whether an environment variable of this name
// holds a secret: its name looks like a secret parameter's
// (decant.IsSecretParam: PASSWORD, TOKEN, SECRET, AUTH...), or one of its
// _-separated words is KEY, PASS, PW or SIG (HOOK_KEY, DB_PASS).
func SecretEnvName(name string) bool {
	if decant.IsSecretParam(name) {
		return true
	}
	for _, w := range strings.Split(strings.ToUpper(name), "_") {
		switch w {
		case "KEY", "PASS", "PW", "SIG":
			return true
		}
	}
	return false
}
