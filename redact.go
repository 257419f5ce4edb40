package decant

import (
	"net/url"
	"regexp"
	"strings"
)

// secretParams are query parameter names whose values are hidden by RedactURL.
var secretParams = []string{"password", "passwd", "pwd", "token", "secret", "apikey", "api_key", "auth", "signature"}

// userPassword matches the password of a URL's user info, even in URLs
// that net/url rejects (mysql://u:p@tcp(host:3306)/db).
var userPassword = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*:)[^/]*@`)

// RedactURL hides the password of a URL's user info and the values of query
// parameters that look secret, so the URL can be printed, logged or put in
// --json output. Text with nothing to hide is returned unchanged.
func RedactURL(s string) string {
	out := userPassword.ReplaceAllString(s, "${1}xxxxx@")
	u, err := url.Parse(out)
	if err != nil || u.RawQuery == "" {
		return out
	}
	q := u.Query()
	changed := false
	for name := range q {
		if isSecretParam(name) {
			q.Set(name, "xxxxx")
			changed = true
		}
	}
	if !changed {
		return out
	}
	return strings.Replace(out, "?"+u.RawQuery, "?"+q.Encode(), 1)
}

func isSecretParam(name string) bool {
	n := strings.ToLower(name)
	for _, s := range secretParams {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
