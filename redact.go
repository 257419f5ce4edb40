package decant

import (
	"net/url"
	"slices"
	"strings"
)

// Redacted is what a hidden secret is shown as.
const Redacted = "xxxxx"

// RedactURL hides the password of a URL's user info and the values of query
// parameters that look secret (see [IsSecretParam]), so the URL can be
// printed, logged, stored or put in --json output. Every other byte is kept,
// in order. Text with nothing to hide is returned unchanged.
//
// It does not need the URL to parse: a password may hold any byte,
// including '@', ':', '/', '#', '?' and bad %-escapes. Where the end of the
// user info is ambiguous (an '@' in the password), everything up to the last
// '@' that is followed by something shaped like a host is hidden: it may
// hide more than the password, never less. A go-sql-driver DSN
// (user:pass@tcp(host:3306)/db) is understood too.
//
// s that does not start with a scheme (an error message, say) is treated as
// free text, as [RedactText] does.
func RedactURL(s string) string {
	if !isURL(s) && !isDriverDSN(s) {
		return RedactText(s)
	}
	m := newMask(s)
	m.url(0, len(s))
	return m.String()
}

// RedactText hides the secrets of every URL found in free text, such as a
// driver's error message, and the values of secret keyword parameters
// (password=..., as in a libpq keyword/value connection string).
//
// A URL inside text is taken to end at white space or a quote, so a
// password holding those cannot be found in text alone: when the URL is
// known, use [RedactError], which also hides its secrets by value.
func RedactText(s string) string {
	m := newMask(s)
	var inURL []bool // marks the bytes of the URLs found, for the keyword scan
	for i := 0; i < len(s); {
		start := urlStart(s, i)
		if start < 0 {
			break
		}
		end := tokenEnd(s, start)
		m.url(start, end)
		if inURL == nil {
			inURL = make([]bool, len(s))
		}
		for k := start; k < end; k++ {
			inURL[k] = true
		}
		i = end
	}
	m.keywords(inURL)
	return m.String()
}

// RedactError returns err with its message redacted as by [RedactText] and,
// in addition, with the secrets of the given URLs hidden wherever they
// appear: whole, %-decoded, or, when a driver split them at a delimiter
// ('/', '@', ':', ...), in pieces. errors.Is and errors.As still see err.
// It returns nil for a nil err, and err itself when there is nothing to hide.
func RedactError(err error, urls ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	out := RedactText(hideValues(msg, Secrets(urls...)))
	if out == msg {
		return err
	}
	return &redactedError{msg: out, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// minPiece is the shortest piece of a split secret that is hidden by value:
// shorter ones would blank out ordinary words of the message.
const minPiece = 3

// Secrets returns the secret values of the given URLs (or connection
// strings): user-info passwords and secret parameter values, as written and
// %-decoded, and, for a secret holding '/', '?', '#', '@', '%', '&', '=' or
// a space, where a parser may have cut it, its pieces of at least three
// bytes. Longest first, without duplicates.
func Secrets(urls ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if len(v) >= minPiece && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, u := range urls {
		m := newMask(u)
		if isURL(u) || isDriverDSN(u) {
			m.url(0, len(u))
		} else {
			m.keywords(nil)
		}
		for _, v := range m.hidden() {
			forms := []string{v}
			if d, err := url.PathUnescape(v); err == nil {
				forms = append(forms, d)
			}
			if d, err := url.QueryUnescape(v); err == nil {
				forms = append(forms, d)
			}
			for _, f := range forms {
				add(f)
				if strings.ContainsAny(f, "/?#@%&= ") { // a parser may have cut it
					for _, p := range strings.FieldsFunc(f, isDelimiter) {
						add(p)
					}
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// hideValues replaces every occurrence of each value in s.
func hideValues(s string, values []string) string {
	for _, v := range values {
		s = strings.ReplaceAll(s, v, Redacted)
	}
	return s
}

// isDelimiter reports the bytes at which URL and DSN parsers split text,
// and so where a misread secret may be cut into pieces.
func isDelimiter(r rune) bool {
	return strings.ContainsRune("/?#@:&=;, \t\r\n'\"`%\\()[]", r)
}

// IsSecretParam reports whether a query or keyword parameter of this name
// carries a credential: its name (in any case, ignoring '-', '_' and '.')
// contains password, passwd, passphrase, pwd, secret, token, apikey,
// accesskey, privatekey, signature, credential or auth, or is sig, key,
// pass or pw.
func IsSecretParam(name string) bool {
	if u, err := url.QueryUnescape(name); err == nil {
		name = u
	}
	n := strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.':
			return -1
		}
		return r
	}, strings.ToLower(name))
	switch n {
	case "sig", "key", "pass", "pw":
		return true
	}
	for _, s := range secretWords {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

var secretWords = []string{
	"password", "passwd", "passphrase", "pwd", "secret", "token", "apikey",
	"accesskey", "privatekey", "signature", "credential", "auth",
}

// mask marks the bytes of a text that are to be hidden.
type mask struct {
	s    string
	hide []bool
}

func newMask(s string) *mask { return &mask{s: s, hide: make([]bool, len(s))} }

func (m *mask) set(from, to int) {
	for k := from; k < to; k++ {
		m.hide[k] = true
	}
}

// String returns the text with each run of hidden bytes replaced by Redacted.
func (m *mask) String() string {
	var b strings.Builder
	for i := 0; i < len(m.s); i++ {
		if !m.hide[i] {
			b.WriteByte(m.s[i])
			continue
		}
		b.WriteString(Redacted)
		for i+1 < len(m.s) && m.hide[i+1] {
			i++
		}
	}
	return b.String()
}

// hidden returns the runs of hidden bytes.
func (m *mask) hidden() []string {
	var out []string
	for i := 0; i < len(m.s); i++ {
		if !m.hide[i] {
			continue
		}
		j := i
		for j < len(m.s) && m.hide[j] {
			j++
		}
		out = append(out, m.s[i:j])
		i = j
	}
	return out
}

// url marks the secrets of the URL s[from:to]: the password of its user
// info and the values of its secret parameters.
func (m *mask) url(from, to int) {
	m.userinfo(from, to)
	m.params(from, to)
}

// URLPassword returns the password of a URL's (or go-sql-driver DSN's)
// user info as written, %-escapes and all, found as [RedactURL] finds it:
// so for an '@' in the password it may hold more than the password. ok is
// false when there is no password.
func URLPassword(s string) (password string, ok bool) {
	from, to := passwordSpan(s)
	if from < 0 {
		return "", false
	}
	return s[from:to], true
}

// MisreadPassword reports whether net/url reads the password of the URL s
// differently from [URLPassword]: a raw '@', '/', '?' or '#' in it makes
// net/url take part of it for the host, path or query, which then appears
// in requests and messages. Callers refuse such a URL and ask for %-escapes.
func MisreadPassword(s string) bool {
	pw, ok := URLPassword(s)
	if !ok {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false // reported as a parse error, redacted
	}
	got, _ := u.User.Password()
	want, err := url.PathUnescape(pw)
	return err != nil || got != want
}

// userinfo marks the password of the URL (or go-sql-driver DSN) s[from:to].
func (m *mask) userinfo(from, to int) {
	if a, b := passwordSpan(m.s[from:to]); a >= 0 {
		m.set(from+a, from+b)
	}
}

// passwordSpan returns where the password of the URL (or go-sql-driver DSN)
// s is, or -1, -1. The user ends at the first ':'; the password runs from
// there to the last '@' followed by a host, else to the last '@'.
func passwordSpan(s string) (from, to int) {
	a := 0
	if i := strings.Index(s, "://"); i >= 0 && isScheme(s[:i]) {
		a = i + 3
	} else if !isDriverDSN(s) {
		return -1, -1
	}
	c := a + strings.IndexAny(s[a:], ":/?#@")
	if c < a || s[c] != ':' {
		return -1, -1 // no password: no user info, or a user alone
	}
	at := -1
	for k := len(s) - 1; k > c; k-- {
		if s[k] != '@' {
			continue
		}
		if at < 0 {
			at = k // the last '@', kept if no '@' is followed by a host
		}
		if hostFollows(s[k+1:]) {
			at = k
			break
		}
	}
	if at <= c+1 {
		return -1, -1
	}
	return c + 1, at
}

// hostFollows reports whether s starts with a host (and port) followed by a
// path, query, fragment or the end: no '@', '&', '=' or white space before
// them.
func hostFollows(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '/' || c == '?' || c == '#':
			return true
		case c == '@' || c == '&' || c == '=' || c <= ' ' || c == '"' || c == '\'' || c == '`':
			return false
		}
	}
	return true
}

// params marks the values of secret parameters in the URL s[from:to]: a
// name after '?', '&', ';' or '#', then '='. A value runs to the next
// "&name=" or the end, so a value holding '#', '?' or a lone '&' is hidden
// whole.
func (m *mask) params(from, to int) {
	s := m.s[from:to]
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("?&;#", rune(s[i])) {
			continue
		}
		eq := i + 1 + strings.IndexByte(s[i+1:], '=')
		if eq <= i || !IsSecretParam(s[i+1:eq]) || strings.ContainsAny(s[i+1:eq], "?&;#/ ") {
			continue
		}
		end := eq + 1 + nextParam(s[eq+1:])
		m.set(from+eq+1, from+end)
		i = end - 1
	}
}

// nextParam returns the index in s of the next "&name=", or len(s).
func nextParam(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		j := i + 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '=' {
			return i
		}
	}
	return len(s)
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c == '.' || c == '%' ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// keywords marks the values of secret keyword parameters in free text, as
// in "host=db password=s3cret" or "password='a b'", outside the bytes
// marked in skip (the URLs, already done).
func (m *mask) keywords(skip []bool) {
	s := m.s
	for i := 0; i < len(s); i++ {
		if s[i] != '=' || skip != nil && skip[i] {
			continue
		}
		n := i
		for n > 0 && isNameByte(s[n-1]) {
			n--
		}
		if n == i || !IsSecretParam(strings.TrimSpace(s[n:i])) {
			continue
		}
		end := keywordEnd(s, i+1)
		m.set(i+1, end)
		i = end - 1
	}
}

// keywordEnd returns where a keyword value starting at s[i] ends: after its
// closing quote if quoted (with \' escapes), else at white space.
func keywordEnd(s string, i int) int {
	if i < len(s) && s[i] == '\'' {
		for k := i + 1; k < len(s); k++ {
			if s[k] == '\\' {
				k++
				continue
			}
			if s[k] == '\'' {
				return k + 1
			}
		}
		return len(s)
	}
	k := i
	for k < len(s) && !isSpace(s[k]) {
		k++
	}
	return k
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// urlStart returns the index of the next "scheme://" in s at or after i, or
// -1.
func urlStart(s string, i int) int {
	for {
		k := strings.Index(s[i:], "://")
		if k < 0 {
			return -1
		}
		k += i
		b := k
		for b > 0 && isSchemeByte(s[b-1]) {
			b--
		}
		for b < k && !isAlpha(s[b]) { // a scheme starts with a letter
			b++
		}
		if b < k {
			return b
		}
		i = k + 3
	}
}

// tokenEnd returns where a URL that starts at s[i] ends in free text: at
// white space, a quote or an angle bracket.
func tokenEnd(s string, i int) int {
	for k := i; k < len(s); k++ {
		switch s[k] {
		case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>':
			return k
		}
	}
	return len(s)
}

// isURL reports whether s as a whole is a URL: "scheme://..." or, without
// white space, "scheme:..." (sqlite:out.db?...).
func isURL(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 || !isScheme(s[:i]) {
		return false
	}
	return strings.HasPrefix(s[i:], "://") || !strings.ContainsAny(s, " \t\r\n")
}

// isDriverDSN reports whether s is a go-sql-driver DSN with a password:
// user:pass@tcp(host:port)/db or @unix(/path)/db.
func isDriverDSN(s string) bool {
	c := strings.IndexAny(s, ":/@")
	return c >= 0 && s[c] == ':' && !strings.Contains(s[:c], " ") &&
		(strings.Contains(s[c:], "@tcp(") || strings.Contains(s[c:], "@unix("))
}

func isScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isSchemeByte(s[i]) {
			return false
		}
	}
	return true
}

func isSchemeByte(c byte) bool {
	return isAlpha(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
