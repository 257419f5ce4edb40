package postgres

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/decanthq/decant"
)

// ParseConfig parses a connection URL (postgres://...) or keyword/value
// string as [Open] does, with decant's TLS default applied:
//
//   - when neither the connection string nor PGSSLMODE names an sslmode,
//     a connection to a host other than a Unix socket or a loopback address
//     uses sslmode=verify-full: TLS is required and the server's certificate
//     must be valid for its host name (system roots, or sslrootcert);
//   - a local connection without sslmode uses sslmode=disable, since its
//     traffic does not cross a network.
//
// So decant never uses TLS it has not verified unless the URL asks for it
// (sslmode=require, prefer or allow). libpq's own default, prefer, accepts
// any certificate and falls back to plain text.
//
// A password holding a raw '@' or '/' is refused rather than misread (pgx
// would take part of it for the host); its errors never show the password.
func ParseConfig(connString string) (*pgxpool.Config, error) {
	if err := checkUserinfo(connString); err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", decant.RedactError(err, connString))
	}
	mode := defaultSSLMode(connString, pc)
	if mode == "" {
		return pc, nil
	}
	pc, err = pgxpool.ParseConfig(withParam(connString, "sslmode", mode))
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", decant.RedactError(err, connString))
	}
	return pc, nil
}

// checkUserinfo refuses a URL whose password holds a raw '@' or '/': pgx
// reads the user info up to the first '@', and net/url ends the host at the
// first '/', so such a password would be taken for a host, a port or a
// database name, and shown in the errors that follow.
func checkUserinfo(connString string) error {
	pw, ok := decant.URLPassword(connString)
	if !ok || !strings.ContainsAny(pw, "@/") {
		return nil
	}
	return fmt.Errorf("postgres: the password in %s holds '@' or '/', which a URL reads as delimiters: write '@' as %%40 and '/' as %%2F",
		decant.RedactURL(connString))
}

// defaultSSLMode returns the sslmode to add to a connection string that
// names none (see ParseConfig), or "" to leave it as it is.
func defaultSSLMode(connString string, pc *pgxpool.Config) string {
	if os.Getenv("PGSSLMODE") != "" || hasSSLMode(connString) {
		return ""
	}
	hosts := []string{pc.ConnConfig.Host}
	for _, fb := range pc.ConnConfig.Fallbacks {
		hosts = append(hosts, fb.Host)
	}
	for _, h := range hosts {
		if !isLocal(h) {
			return "verify-full"
		}
	}
	return "disable"
}

// hasSSLMode reports whether the connection string names an sslmode (or
// the URL-only ssl=true).
func hasSSLMode(connString string) bool {
	if !isURL(connString) {
		return strings.Contains(connString, "sslmode=")
	}
	u, err := url.Parse(connString)
	if err != nil {
		return strings.Contains(connString, "sslmode=") // pgx parsed it; stay on its side
	}
	q := u.Query()
	return q.Has("sslmode") || q.Has("ssl")
}

// isLocal reports whether host is a Unix socket directory or a loopback
// name or address.
func isLocal(host string) bool {
	if strings.HasPrefix(host, "/") || strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// withParam adds key=value to a URL's query or to a keyword/value string.
func withParam(connString, key, value string) string {
	if !isURL(connString) {
		return connString + " " + key + "=" + value
	}
	frag := ""
	if i := strings.LastIndexByte(connString, '#'); i > strings.LastIndexByte(connString, '@') {
		connString, frag = connString[:i], connString[i:]
	}
	sep := "?"
	if strings.Contains(connString[strings.LastIndexByte(connString, '@')+1:], "?") {
		sep = "&"
	}
	return connString + sep + key + "=" + value + frag
}

// tlsHint explains a TLS failure that decant's default may have caused.
func tlsHint(err error) string {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
	)
	switch {
	case strings.Contains(err.Error(), "server refused TLS connection"):
		return "the server does not offer TLS; decant requires verified TLS for a host that is not local " +
			"unless the URL names an sslmode: add sslmode=disable only on a network you trust"
	case errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		return "the server's TLS certificate could not be verified; decant verifies it for a host that is not local " +
			"unless the URL names an sslmode: add sslrootcert=FILE naming the CA that signed it"
	}
	return ""
}
