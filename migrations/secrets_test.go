package migrations_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/sqlite"
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

// Ensure Open opens SQLite as the store does (sqlite.OpenDB), and
// OpenExisting refuses a missing file without creating it.
//
// Failed before: Open had its own pragmas (no synchronous NORMAL) and
// nothing but the CLI refused a missing file.
func TestOpenSQLiteAsTheStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	if _, err := migrations.OpenExisting("sqlite:" + missing); !errors.Is(err, sqlite.ErrNoFile) {
		t.Errorf("OpenExisting of a missing file: %v, want sqlite.ErrNoFile", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenExisting created the file (stat: %v)", err)
	}
	db, err := migrations.Open("sqlite:" + filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sync, journal string
	if err := db.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != "2" {
		t.Errorf("PRAGMA synchronous = %q, %v; want 2 (FULL), as the store has it", sync, err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&journal); err != nil || journal != "wal" {
		t.Errorf("PRAGMA journal_mode = %q, %v; want wal", journal, err)
	}
	if d, err := migrations.DialectOf(db); d != migrations.SQLite || err != nil {
		t.Errorf("DialectOf = %q, %v; want sqlite", d, err)
	}
	existing, err := migrations.OpenExisting("sqlite:" + filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatalf("OpenExisting of a file that exists: %v", err)
	}
	existing.Close()
}

// Ensure DialectOf tells a PostgreSQL handle from Open.
func TestOpenPostgresDialect(t *testing.T) {
	t.Parallel()
	db, err := migrations.OpenExisting(testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if d, err := migrations.DialectOf(db); d != migrations.Postgres || err != nil {
		t.Errorf("DialectOf = %q, %v; want postgres", d, err)
	}
}
