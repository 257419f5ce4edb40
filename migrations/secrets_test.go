package migrations_test

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/decanthq/decant/migrations"
)

// Ensure Open reads a PostgreSQL URL as the store does: a password with a
// raw '@' is refused without being shown, even in part.
//
// Failed before the fix: sql.Open kept the URL, and pgx later took "dor"
// for the host.
func TestOpen_HidesPassword(t *testing.T) {
	t.Parallel()
	_, err := migrations.Open("postgres://app:Tr0ub@dor:x9Zq@db.invalid/w")
	if err == nil {
		t.Fatal("Open succeeded")
	}
	for _, part := range []string{"Tr0ub", "dor", "x9Zq"} {
		if strings.Contains(err.Error(), part) {
			t.Errorf("Open error %q shows %q", err, part)
		}
	}
}

// Ensure a database opened by URL without sslmode requires TLS from a
// server that is not local, instead of falling back to plain text.
//
// Failed before the fix: sql.Open used pgx's default, prefer, which sent
// the startup message in plain text after the server refused TLS.
func TestOpen_VerifiedTLSByDefault(t *testing.T) {
	t.Parallel()
	addr, plain := refusingTLS(t)
	db, err := migrations.Open("postgres://app:pw@" + addr + "/w?connect_timeout=3")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = db.PingContext(ctx)
	if err == nil || !strings.Contains(err.Error(), "server refused TLS connection") {
		t.Errorf("Ping error = %v, want the server's refusal of TLS", err)
	}
	if plain.Load() {
		t.Errorf("the client fell back to a plain-text startup message")
	}
}

// refusingTLS listens on an address of this machine that is not a
// loopback one and answers every SSLRequest with 'N' (no TLS); plain
// reports a connection that began without an SSLRequest.
func refusingTLS(t *testing.T) (addr string, plain *atomic.Bool) {
	t.Helper()
	var host string
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			host = n.IP.String()
			break
		}
	}
	if host == "" {
		t.Skip("no non-loopback IPv4 address to listen on")
	}
	plain = new(atomic.Bool)
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Skipf("listen on %s: %v", host, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(5 * time.Second))
				msg := make([]byte, 8) // length, then the SSLRequest code or a protocol version
				if _, err := io.ReadFull(conn, msg); err != nil {
					return
				}
				if binary.BigEndian.Uint32(msg[4:]) != sslRequest {
					plain.Store(true)
					return
				}
				conn.Write([]byte{'N'})
				io.Copy(io.Discard, conn)
			}()
		}
	}()
	return ln.Addr().String(), plain
}

// sslRequest is the code of PostgreSQL's SSLRequest message.
const sslRequest = 80877103
