package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/decanthq/decant"
)

// acquireSQL takes the lease when it is free, expired or already ours, in
// one statement under SQLite's write lock, so two runs racing for a scope
// cannot both win. ?4 is now, ?5 the new expiry.
const acquireSQL = `
INSERT INTO decant_scopes (scope, holder, holder_id, since, expires, updated)
VALUES (?1, ?2, ?3, ?4, ?5, ?4)
ON CONFLICT (scope) DO UPDATE SET
    holder = excluded.holder, holder_id = excluded.holder_id,
    since = CASE WHEN decant_scopes.holder_id = excluded.holder_id THEN decant_scopes.since ELSE excluded.since END,
    expires = excluded.expires, updated = excluded.updated
WHERE decant_scopes.holder_id IS NULL OR decant_scopes.holder_id = excluded.holder_id OR decant_scopes.expires < ?4
RETURNING scope`

// AcquireLease takes or renews the lease on scope for ttl. It returns a
// *decant.LeaseError naming the holder when another holder's lease has not
// expired.
func (s *Store) AcquireLease(ctx context.Context, scope string, h decant.Holder, ttl time.Duration) error {
	// The holder read after a refusal may have let go in between; then try again.
	for range 3 {
		now := time.Now()
		var got string
		err := s.db.QueryRowContext(ctx, acquireSQL, scope, h.String(), h.Key(), stamp(now), stamp(now.Add(ttl))).Scan(&got)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlite: acquire lease on %s: %w", scope, err)
		}
		held, err := s.leaseHolder(ctx, scope)
		if err != nil {
			return err
		}
		if held != nil {
			return held
		}
	}
	return fmt.Errorf("sqlite: acquire lease on %s: %w", scope, decant.ErrLeaseHeld)
}

// leaseHolder describes the live lease on scope, nil when there is none.
func (s *Store) leaseHolder(ctx context.Context, scope string) (*decant.LeaseError, error) {
	var holder, id, since, expires sql.NullString
	err := s.db.QueryRowContext(ctx,
		"SELECT holder, holder_id, since, expires FROM decant_scopes WHERE scope = ? AND holder_id IS NOT NULL AND expires >= ?",
		scope, stamp(time.Now())).Scan(&holder, &id, &since, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read lease on %s: %w", scope, err)
	}
	return &decant.LeaseError{Scope: scope, Holder: holder.String, HeldBy: decant.ParseHolderKey(id.String, holder.String),
		Since: parseStamp(since.String), Expires: parseStamp(expires.String)}, nil
}

const releaseSQL = `UPDATE decant_scopes
SET holder = NULL, holder_id = NULL, since = NULL, expires = NULL, updated = ?
WHERE scope = ? AND holder_id = ?`

// ReleaseLease gives up the lease on scope if h holds it.
func (s *Store) ReleaseLease(ctx context.Context, scope string, h decant.Holder) error {
	if _, err := s.db.ExecContext(ctx, releaseSQL, stamp(time.Now()), scope, h.Key()); err != nil {
		return fmt.Errorf("sqlite: release lease on %s: %w", scope, err)
	}
	return nil
}

// BreakLease clears the lease on scope if dead holds it, expired or not.
func (s *Store) BreakLease(ctx context.Context, scope string, dead decant.Holder) error {
	if _, err := s.db.ExecContext(ctx, releaseSQL, stamp(time.Now()), scope, dead.Key()); err != nil {
		return fmt.Errorf("sqlite: break lease on %s: %w", scope, err)
	}
	return nil
}
