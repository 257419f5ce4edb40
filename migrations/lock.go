package migrations

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// lockName is the advisory lock key's source and the lease row's name.
const lockName = "decant_migrations"

// leaseTTL is how long a lease row lasts without a heartbeat.
const leaseTTL = 30 * time.Second

// lock takes the migration lock and returns its release. It waits, polling
// with jitter, until opts.LockTimeout; a run that cannot get it fails with
// ErrLocked instead of hanging a deployment.
func (c *conn) lock(ctx context.Context, opts Options) (func(), error) {
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	deadline := time.Now().Add(timeout)
	if c.d == Postgres && opts.Lock != LockTable {
		return c.advisoryLock(ctx, deadline)
	}
	return c.leaseLock(ctx, deadline)
}

func advisoryKey() int64 {
	h := fnv.New64a()
	h.Write([]byte(lockName))
	return int64(h.Sum64())
}

// advisoryLock holds a session advisory lock on a connection of its own,
// so migrations can use any connection of the pool.
func (c *conn) advisoryLock(ctx context.Context, deadline time.Time) (func(), error) {
	sc, err := c.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	key := advisoryKey()
	for {
		var got bool
		if err := sc.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
			sc.Close()
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		if got {
			return func() {
				_, _ = sc.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
				sc.Close()
			}, nil
		}
		if err := waitOrGiveUp(ctx, deadline); err != nil {
			sc.Close()
			return nil, err
		}
	}
}

func waitOrGiveUp(ctx context.Context, deadline time.Time) error {
	if time.Now().After(deadline) {
		return fmt.Errorf("%w (waited until %s)", ErrLocked, deadline.Format(time.RFC3339))
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(100*time.Millisecond + rand.N(400*time.Millisecond)):
		return nil
	}
}

// leaseLock holds a row of decant_migration_lock, renewed by a heartbeat,
// so it works where session state does not survive between statements
// (PgBouncer's transaction pooling) and on SQLite.
func (c *conn) leaseLock(ctx context.Context, deadline time.Time) (func(), error) {
	create := `CREATE TABLE IF NOT EXISTS decant_migration_lock (name text PRIMARY KEY, holder text NOT NULL, expires bigint NOT NULL)`
	if err := c.create(ctx, []string{create}); err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	holder := fmt.Sprintf("%s %x", c.by, rand.Uint64())
	for {
		ok, err := c.takeLease(ctx, holder)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		if err := waitOrGiveUp(ctx, deadline); err != nil {
			return nil, err
		}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(leaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_, _ = c.takeLease(ctx, holder)
			}
		}
	}()
	return func() {
		close(done)
		_, _ = c.db.ExecContext(context.WithoutCancel(ctx), c.q(`DELETE FROM decant_migration_lock WHERE name = $1 AND holder = $2`), lockName, holder)
	}, nil
}

// takeLease takes or renews the lease in one statement; expiry is in unix
// milliseconds of this machine's clock (the lease is a crash guard, and
// its TTL dwarfs any sane clock skew).
func (c *conn) takeLease(ctx context.Context, holder string) (bool, error) {
	now := time.Now().UnixMilli()
	res, err := c.db.ExecContext(ctx, c.q(`INSERT INTO decant_migration_lock AS l (name, holder, expires) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
WHERE l.holder = excluded.holder OR l.expires < $4`), lockName, holder, now+leaseTTL.Milliseconds(), now)
	if err != nil {
		return false, fmt.Errorf("migration lock: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
