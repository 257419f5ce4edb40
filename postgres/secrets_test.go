package postgres_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
)

// nastyPasswords hold every byte a URL parser reads as a delimiter; the
// issue's two among them.
var nastyPasswords = []string{"Sec/ret", "Tr0ub@dor:x9Zq", "Tr0ub@dor/x9Zq", "p#ss?w0rd", "pa%zzss", "50%25/@:off", "p ss w0rd"}

// pieces returns the parts of pw a parser may print after cutting it at a
// delimiter, those long enough to be told from ordinary words.
func pieces(pw string) []string {
	out := []string{pw}
	for _, p := range strings.FieldsFunc(pw, func(r rune) bool { return strings.ContainsRune("/@:#?% ", r) }) {
		if len(p) >= 3 {
			out = append(out, p)
		}
	}
	return out
}

// Ensure Open's errors never show a password, whole or in part, whether
// the URL does not parse, names no such host, or reaches a server that
// refuses the database.
//
// Failed before the fix: "Tr0ub@dor:x9Zq" gave "cannot parse
// `postgres://app:xxxxx@dor:xxxxxx@db:5432/w`" and "Tr0ub@dor/x9Zq" gave
// "lookup dor: no such host" with database "x9Zq@db:5432/w".
func TestOpenHidesNastyPasswords(t *testing.T) {
	t.Parallel()
	server, err := url.Parse(testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, pw := range nastyPasswords {
		for _, host := range []string{"db.invalid:5432", "127.0.0.1:1", server.Host} {
			// Raw, as a user types it, and %-escaped, as it should be.
			for _, userinfo := range []string{"app:" + pw, url.UserPassword("app", pw).String()} {
				u := "postgres://" + userinfo + "@" + host + "/no_such_db?connect_timeout=2&sslmode=disable"
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				s, err := postgres.Open(ctx, u, postgres.Config{})
				cancel()
				if err == nil {
					s.Close()
					t.Errorf("Open(%s) succeeded, want an error", host)
					continue
				}
				for _, p := range pieces(pw) {
					if strings.Contains(err.Error(), p) {
						t.Errorf("password %q, host %s: error %q shows %q", pw, host, err, p)
					}
				}
			}
		}
	}
}

// Ensure a password holding a raw '@' or '/' is refused with the fix named,
// before pgx takes part of it for a host.
func TestOpenRefusesAmbiguousPassword(t *testing.T) {
	t.Parallel()
	_, err := postgres.Open(context.Background(), "postgres://app:Tr0ub@dor/x9Zq@db.invalid/w", postgres.Config{})
	if err == nil || !strings.Contains(err.Error(), "%40") || !strings.Contains(err.Error(), "postgres://app:xxxxx@db.invalid/w") {
		t.Errorf("Open error = %v, want the redacted URL and how to write '@' and '/'", err)
	}
}

// Ensure a keyword/value connection string's password is hidden too.
func TestOpenHidesKeywordPassword(t *testing.T) {
	t.Parallel()
	_, err := postgres.Open(context.Background(), "host=127.0.0.1 port=1 user=app password=Kw-s3cret-pw dbname=w connect_timeout=2", postgres.Config{})
	if err == nil || strings.Contains(err.Error(), "Kw-s3cret-pw") {
		t.Errorf("Open error = %v, want an error without the password", err)
	}
}

// Ensure a URL without sslmode verifies TLS for a host that is not local,
// without a plain-text fallback, and leaves local connections without TLS;
// an sslmode in the URL or PGSSLMODE is obeyed as written.
//
// Failed before the fix: pgx's default, prefer, set InsecureSkipVerify and
// fell back to plain text for every host.
func TestParseConfigTLSDefault(t *testing.T) {
	for _, tt := range []struct {
		name, url string
		verify    bool // TLS required and verified against ServerName
		insecure  bool // TLS tried without verification (an explicit choice)
	}{
		{"RemoteHost", "postgres://app:pw@db.example:5432/w", true, false},
		{"RemoteIP", "postgres://app:pw@192.0.2.7/w", true, false},
		{"Keywords", "host=db.example user=app dbname=w", true, false},
		{"MultiHostOneRemote", "postgres://app@localhost:5432,db.example:5433/w", true, false},
		{"QueryWithoutSSLMode", "postgres://app@db.example/w?application_name=decant", true, false},
		{"Localhost", "postgres://app:pw@localhost/w", false, false},
		{"Loopback", "postgres://app:pw@127.0.0.1:5432/w", false, false},
		{"LoopbackIPv6", "postgres://app:pw@[::1]:5432/w", false, false},
		{"Socket", "postgres:///w?host=/var/run/postgresql", false, false},
		{"ExplicitRequire", "postgres://app:pw@db.example/w?sslmode=require", false, true},
		{"ExplicitDisable", "postgres://app:pw@db.example/w?sslmode=disable", false, false},
		{"ExplicitVerifyFull", "postgres://app:pw@db.example/w?sslmode=verify-full", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pc, err := postgres.ParseConfig(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			cc := pc.ConnConfig
			tc := cc.TLSConfig
			switch {
			case tt.verify:
				if tc == nil || tc.InsecureSkipVerify || tc.ServerName != cc.Host {
					t.Errorf("TLSConfig = %+v, want verification against %q", tc, cc.Host)
				}
				for _, fb := range cc.Fallbacks {
					if fb.TLSConfig == nil || fb.TLSConfig.InsecureSkipVerify {
						t.Errorf("fallback to %s without verified TLS", fb.Host)
					}
				}
			case tt.insecure:
				if tc == nil || !tc.InsecureSkipVerify {
					t.Errorf("TLSConfig = %+v, want the unverified TLS the URL asks for", tc)
				}
			default:
				if tc != nil || len(cc.Fallbacks) > 0 && cc.Fallbacks[0].TLSConfig != nil {
					t.Errorf("TLSConfig = %+v, want no TLS", tc)
				}
			}
		})
	}
}

// Ensure PGSSLMODE, like an sslmode in the URL, overrides decant's default.
func TestParseConfigTLSDefault_PGSSLMODE(t *testing.T) {
	t.Setenv("PGSSLMODE", "require")
	pc, err := postgres.ParseConfig("postgres://app@db.example/w")
	if err != nil {
		t.Fatal(err)
	}
	if tc := pc.ConnConfig.TLSConfig; tc == nil || !tc.InsecureSkipVerify {
		t.Errorf("TLSConfig = %+v, want PGSSLMODE=require's unverified TLS", tc)
	}
}

// Ensure Open, by default, refuses a server whose certificate it cannot
// verify, and says how to fix it; and refuses a server without TLS.
//
// Failed before the fix: sslmode prefer accepted the self-signed
// certificate (the fake server then hung up) and fell back to plain text.
func TestOpenRefusesUnverifiedServer(t *testing.T) {
	t.Parallel()
	host := nonLoopbackIP(t)
	for _, tt := range []struct {
		name    string
		offer   bool // answer the SSLRequest with 'S' and a self-signed certificate
		want    string
		tlsUsed bool
	}{
		{"SelfSigned", true, "sslrootcert=FILE", true},
		{"NoTLS", false, "sslmode=disable only on a network you trust", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, handshook := fakeServer(t, host, tt.offer)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s, err := postgres.Open(ctx, "postgres://app:pw@"+addr+"/w?connect_timeout=3", postgres.Config{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open error = %v, want the hint %q", err, tt.want)
			}
			if tt.tlsUsed && <-handshook {
				t.Errorf("the TLS handshake with a self-signed certificate succeeded")
			}
		})
	}
}

// nonLoopbackIP returns an address of this machine that is not a loopback
// one, so that decant's default treats it as remote.
func nonLoopbackIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no interface addresses: %v", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address to listen on")
	return ""
}

// fakeServer answers PostgreSQL's SSLRequest on host: with 'S' and a TLS
// handshake under a self-signed certificate when offer is true, else with
// 'N'. handshook reports whether the client accepted the certificate.
func fakeServer(t *testing.T, host string, offer bool) (addr string, handshook <-chan bool) {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Skipf("listen on %s: %v", host, err)
	}
	t.Cleanup(func() { ln.Close() })
	done := make(chan bool, 1)
	cert := selfSigned(t, host)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- false
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		req := make([]byte, 8) // length and the SSLRequest code
		if _, err := io.ReadFull(conn, req); err != nil {
			done <- false
			return
		}
		if !offer {
			conn.Write([]byte{'N'})
			io.Copy(io.Discard, conn) // the client hangs up
			done <- false
			return
		}
		conn.Write([]byte{'S'})
		tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{cert}})
		done <- tc.Handshake() == nil
	}()
	return ln.Addr().String(), done
}

// selfSigned makes a certificate for host signed by nobody decant trusts.
func selfSigned(t *testing.T, host string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP(host)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
