package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"time"
)

// The multi-row INSERTs of WriteBatch are prepared once on the write
// connection and kept for the batches that follow; they run through the
// driver's own statement interface (sql.Conn.Raw), which binds the values
// as given, without database/sql copying and checking each one first.
//
// A statement inserts a fixed number of rows, so that a few statements per
// table serve every batch: chunks of the table's full statement size, and
// the rest cut into chunks whose sizes are powers of two (at most
// bits.Len(full) more statements).

// maxStmts bounds the prepared statements the store keeps; past it they are
// all closed and prepared again as needed.
const maxStmts = 256

// stmtCache holds the statements prepared on the store's write connection.
type stmtCache struct {
	mu    sync.Mutex
	conn  any // the driver connection they were prepared on
	stmts map[stmtKey]driver.Stmt
}

// stmtKey names a statement: its shape (an insert's head, tail and
// parameters) and how many rows it inserts.
type stmtKey struct {
	shape string
	rows  int
}

// get returns the statement key prepared on conn, preparing query() when
// needed. Statements of another connection are forgotten, not closed: that
// connection is gone (the write pool has one), and finalizing them now
// would touch freed memory.
func (c *stmtCache) get(ctx context.Context, conn any, key stmtKey, query func() string) (driver.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != conn {
		c.conn, c.stmts = conn, map[stmtKey]driver.Stmt{}
	}
	if st, ok := c.stmts[key]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxStmts {
		c.closeLocked()
	}
	prep, ok := conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("driver connection %T cannot prepare statements", conn)
	}
	st, err := prep.PrepareContext(ctx, query())
	if err != nil {
		return nil, err
	}
	if _, ok := st.(driver.StmtExecContext); !ok {
		st.Close()
		return nil, fmt.Errorf("driver statement %T cannot execute with a context", st)
	}
	c.stmts[key] = st
	return st, nil
}

// close closes the statements prepared on conn.
func (c *stmtCache) close(conn any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != conn {
		return nil
	}
	return c.closeLocked()
}

func (c *stmtCache) closeLocked() error {
	var errs []error
	for _, st := range c.stmts {
		errs = append(errs, st.Close())
	}
	clear(c.stmts)
	return errors.Join(errs...)
}

// closeStmts closes the statements the store keeps, before the database
// closes. A transaction still open holds the connection: after a second
// of waiting for it the statements are left as they are, and the closed
// connection's memory is not freed (sqlite3_close_v2 waits for them).
func (s *Store) closeStmts() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error { return s.stmts.close(dc) })
}

// An insert is a multi-row INSERT of one shape:
//
//	head VALUES (?1, ..., ?fixed, ?, ...), (?1, ..., ?fixed, ?, ...), ... tail
//
// The first fixed parameters are bound once per statement and repeat in
// every row (the ledger's scope, step and time); each row binds ncols
// values of its own. head names the fixed columns first.
type insert struct {
	name       string // the table, for errors
	head, tail string
	fixed      int
	ncols      int
}

// shape tells in's statements from those of other inserts.
func (in *insert) shape() string {
	return fmt.Sprintf("%d %d %s\x00%s", in.fixed, in.ncols, in.head, in.tail)
}

// perStmt is how many rows the largest statement of in inserts.
func (in *insert) perStmt() int {
	return max(1, min(maxRowsPerStatement, (maxVars-in.fixed)/in.ncols))
}

// sql is the statement inserting rows rows.
func (in *insert) sql(rows int) string {
	var b strings.Builder
	b.WriteString(in.head)
	b.WriteString(" VALUES ")
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range in.fixed {
			fmt.Fprintf(&b, "?%d, ", i+1)
		}
		b.WriteString(placeholders(in.ncols))
		b.WriteByte(')')
	}
	b.WriteString(in.tail)
	return b.String()
}

// chunks returns the sizes of the statements that insert n rows, in order:
// full ones, then powers of two.
func chunks(n, full int) []int {
	out := make([]int, 0, n/full+bits.Len(uint(full)))
	for ; n >= full; n -= full {
		out = append(out, full)
	}
	for n > 0 {
		k := 1 << (bits.Len(uint(n)) - 1)
		out = append(out, k)
		n -= k
	}
	return out
}

// run inserts n rows: fixed are the fixed parameters' values, and row(i,
// dst) appends row i's ncols values to dst. Rows go in in order, so that
// when a key repeats the last row wins.
func (in *insert) run(ctx context.Context, t *tx, fixed []driver.Value, n int, row func(i int, dst []driver.NamedValue) ([]driver.NamedValue, error)) error {
	if n == 0 {
		return nil
	}
	shape := in.shape()
	return t.conn.Raw(func(dc any) error {
		first := 0
		for _, size := range chunks(n, in.perStmt()) {
			st, err := t.store.stmts.get(ctx, dc, stmtKey{shape, size}, func() string { return in.sql(size) })
			if err != nil {
				return translate("prepare insert into "+in.name, err)
			}
			args := t.args[:0]
			for _, v := range fixed {
				args = append(args, driver.NamedValue{Value: v})
			}
			for i := first; i < first+size; i++ {
				if args, err = row(i, args); err != nil {
					return err
				}
			}
			for i := range args {
				args[i].Ordinal = i + 1
			}
			t.args = args
			_, err = st.(driver.StmtExecContext).ExecContext(ctx, args)
			clear(args) // let the values go
			if err != nil {
				return translate(fmt.Sprintf("upsert rows %d-%d into %s", first+1, first+size, in.name), err)
			}
			first += size
		}
		return nil
	})
}
