package decant

import (
	"net/url"
	"strings"
)

// secretParams are query parameter names whose values are hidden by RedactURL.
var secretParams = []string{"password", "passwd", "pwd", "token", "secret", "apikey", "api_key", "auth", "signature"}

// RedactURL hides the password of a URL's user info and the values of query
// parameters that look secret, so the URL can be printed, logged or put in
// --json output. Text that is not a URL is returned unchanged.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return s
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for name := range q {
			if isSecretParam(name) {
				q.Set(name, "xxxxx")
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
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
