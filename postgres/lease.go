package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

// acquireSQL takes the lease when it is free, expired or already ours, in
// one statement, so two runs racing for a scope cannot both win. Times are
// the server's, so the clocks of the machines running decant do not matter.
const acquireSQL = `
INSERT INTO decant_scopes AS s (scope, holder, holder_id, since, expires, updated)
VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4::float8), now())
ON CONFLICT (scope) DO UPDATE SET
    holder = EXCLUDED.holder, holder_id = EXCLUDED.holder_id,
    since = CASE WHEN s.holder_id = EXCLUDED.holder_id THEN s.since ELSE EXCLUDED.since END,
    expires = EXCLUDED.expires, updated = EXCLUDED.updated
WHERE s.holder_id IS NULL OR s.holder_id = EXCLUDED.holder_id OR s.expires < now()
RETURNING scope`

const releaseSQL = `
UPDATE decant_scopes SET holder = NULL, holder_id = NULL, since = NULL, expires = NULL, updated = now()
WHERE scope = $1 AND holder_id = $2`

// AcquireLease takes or renews the lease on scope for ttl. It returns a
// *decant.LeaseError naming the holder when another holder's lease has not
// expired.
func (s *Store) AcquireLease(ctx context.Context, scope string, h decant.Holder, ttl time.Duration) error {
	// The holder read after a refusal may have let go in between; then try again.
	for range 3 {
		var got string
		err := s.pool.QueryRow(ctx, acquireSQL, scope, h.String(), h.Key(), ttl.Seconds()).Scan(&got)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: acquire lease on %s: %w", scope, err)
		}
		held, err := s.leaseHolder(ctx, scope)
		if err != nil {
			return err
		}
		if held != nil {
			return held
		}
	}
	return fmt.Errorf("postgres: acquire lease on %s: %w", scope, decant.ErrLeaseHeld)
}

// leaseHolder describes the live lease on scope, nil when there is none.
func (s *Store) leaseHolder(ctx context.Context, scope string) (*decant.LeaseError, error) {
	e := &decant.LeaseError{Scope: scope}
	var holder *string
	var id string
	var since, expires *time.Time
	err := s.pool.QueryRow(ctx,
		"SELECT holder, holder_id, since, expires FROM decant_scopes WHERE scope = $1 AND holder_id IS NOT NULL AND expires >= now()",
		scope).Scan(&holder, &id, &since, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: read lease on %s: %w", scope, err)
	}
	if holder != nil {
		e.Holder = *holder
		e.HeldBy = decant.ParseHolderKey(id, *holder)
	}
	if since != nil {
		e.Since = *since
	}
	if expires != nil {
		e.Expires = *expires
	}
	return e, nil
}

// ReleaseLease gives up the lease on scope if h holds it.
func (s *Store) ReleaseLease(ctx context.Context, scope string, h decant.Holder) error {
	if _, err := s.pool.Exec(ctx, releaseSQL, scope, h.Key()); err != nil {
		return fmt.Errorf("postgres: release lease on %s: %w", scope, err)
	}
	return nil
}

// BreakLease clears the lease on scope if dead holds it, expired or not.
func (s *Store) BreakLease(ctx context.Context, scope string, dead decant.Holder) error {
	if _, err := s.pool.Exec(ctx, releaseSQL, scope, dead.Key()); err != nil {
		return fmt.Errorf("postgres: break lease on %s: %w", scope, err)
	}
	return nil
}
