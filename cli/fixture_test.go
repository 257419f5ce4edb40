package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shop is a small plan on SQLite with three steps, two of them in group
// "sales", over files in one directory: what the usage, JSON, --only and
// --follow tests run. Its setup script creates the tables.
type shop struct {
	dir  string
	plan string
	db   string // the target's URL
}

func newShop(t *testing.T) *shop {
	t.Helper()
	s := &shop{dir: t.TempDir()}
	s.plan = filepath.Join(s.dir, "decant.yaml")
	s.db = "sqlite:" + filepath.Join(s.dir, "target.db")
	s.write(t, "schema.sql", `CREATE TABLE IF NOT EXISTS orders (id integer PRIMARY KEY, total integer NOT NULL);
CREATE TABLE IF NOT EXISTS customers (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE IF NOT EXISTS events (id integer PRIMARY KEY, kind text NOT NULL);
`)
	s.write(t, "decant.yaml", `version: 1
connections:
  orders: file:orders.jsonl
  customers: file:customers.csv
  events: file:events.jsonl
  target: sqlite:target.db
setup: [schema.sql]
steps:
  - name: orders
    group: sales
    from: {connection: orders, key: id}
    key: id
    to: {table: orders}
    map: {id: record.id, total: record.total}
    columns: {total: {type: int}}
  - name: customers
    group: sales
    from: {connection: customers, key: id}
    key: id
    to: {table: customers}
    map: {id: record.id, name: record.name}
  - name: events
    from: {connection: events, key: id}
    key: id
    to: {table: events}
    map: {id: record.id, kind: record.kind}
`)
	s.orders(t, 1, 3)
	s.write(t, "customers.csv", "id,name\n1,ann\n2,bob\n")
	s.write(t, "events.jsonl", `{"id":1,"kind":"signup"}`+"\n")
	return s
}

func (s *shop) write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// orders appends orders from to to (inclusive) to orders.jsonl; an id
// divisible by 10 has a total that is not a number, so it fails.
func (s *shop) orders(t *testing.T, from, to int) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(s.dir, "orders.jsonl"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for i := from; i <= to; i++ {
		total := fmt.Sprint(i * 100)
		if i%10 == 0 {
			total = `"lots"`
		}
		fmt.Fprintf(&b, "{\"id\":%d,\"total\":%s}\n", i, total)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		t.Fatal(err)
	}
}

// count is the number of rows of table in the shop's target.
func (s *shop) count(t *testing.T, table string) string {
	t.Helper()
	return queryRows(t, s.db, "SELECT count(*) FROM "+table)
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
