package mysql_test

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/mysql"
)

// proxy forwards TCP connections to a server until cut.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	t.Cleanup(p.cut)
	return p
}

// cut stops the proxy and drops every connection: the server went away.
func (p *proxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// Ensure the server going away in the middle of a read is an error, not
// a silent end: the records read so far are all the reader sees, and Err
// says what happened.
func TestServerGoesAwayMidRead(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE t (id INT PRIMARY KEY)")
	for i := 1; i <= 10; i++ {
		d.exec(t, "INSERT INTO t VALUES (?)", i)
	}
	cfg, err := mysql.Config(d.url)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, cfg.Addr)
	src, err := mysql.Open(strings.Replace(d.url, cfg.Addr, p.ln.Addr().String(), 1), "id", "", &mysql.Options{Table: "t", PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next(ctx) {
		n++
		if n == 3 {
			p.cut()
		}
	}
	if err := rows.Err(); err == nil {
		t.Fatalf("the read ended without an error after %d of 10 rows", n)
	} else if !strings.Contains(err.Error(), "table t") {
		t.Errorf("Err = %v, want it to name the table", err)
	}
	if n >= 10 {
		t.Errorf("read %d rows through a cut connection", n)
	}
}
