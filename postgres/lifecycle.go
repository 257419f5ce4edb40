package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

var _ decant.Lifecycler = (*Store)(nil)

// lifecycleVersion is the state version that keeps the scopes' lifecycle.
const lifecycleVersion = 7

// Lifecycle returns scope's lifecycle: new, with a zero Since, for a scope
// never seen or state tables older than version 7 (which kept none). It
// reads only.
func (s *Store) Lifecycle(ctx context.Context, scope string) (decant.Lifecycle, error) {
	l := decant.Lifecycle{Scope: scope, State: decant.StateNew}
	if v, err := s.stateVersion(ctx); err != nil || v < lifecycleVersion {
		return l, err
	}
	var state string
	var since *time.Time
	err := s.pool.QueryRow(ctx, "SELECT state, state_since, state_note FROM decant_scopes WHERE scope = $1", scope).
		Scan(&state, &since, &l.Note)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("postgres: read the lifecycle of scope %s: %w", scope, err)
	}
	l.State = decant.ScopeState(state)
	if since != nil {
		l.Since = since.UTC()
	}
	return l, nil
}

// Lifecycles lists the lifecycle of every scope with a row in
// decant_scopes (a lease or a transition made it), ordered by scope.
func (s *Store) Lifecycles(ctx context.Context) ([]decant.Lifecycle, error) {
	if v, err := s.stateVersion(ctx); err != nil || v < lifecycleVersion {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, "SELECT scope, state, state_since, state_note FROM decant_scopes ORDER BY scope")
	if err != nil {
		return nil, fmt.Errorf("postgres: read the scopes' lifecycles: %w", err)
	}
	defer rows.Close()
	var out []decant.Lifecycle
	for rows.Next() {
		var l decant.Lifecycle
		var state string
		var since *time.Time
		if err := rows.Scan(&l.Scope, &state, &since, &l.Note); err != nil {
			return nil, fmt.Errorf("postgres: read the scopes' lifecycles: %w", err)
		}
		l.State = decant.ScopeState(state)
		if since != nil {
			l.Since = since.UTC()
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Transition moves scope to state to when its state is one of from, and
// records the move in decant_scope_history, in one transaction that locks
// the scope's row: of two transitions racing from one state, the second
// waits for the first, sees its state and is refused with a
// *decant.TransitionError (whose Command and Next the caller fills in).
func (s *Store) Transition(ctx context.Context, scope string, from []decant.ScopeState, to decant.ScopeState, note string) (decant.Lifecycle, error) {
	var l decant.Lifecycle
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO decant_scopes (scope) VALUES ($1) ON CONFLICT (scope) DO NOTHING", scope); err != nil {
			return err
		}
		var cur string
		if err := tx.QueryRow(ctx, "SELECT state FROM decant_scopes WHERE scope = $1 FOR UPDATE", scope).Scan(&cur); err != nil {
			return err
		}
		if !slices.Contains(from, decant.ScopeState(cur)) {
			return &decant.TransitionError{Scope: scope, State: decant.ScopeState(cur)}
		}
		var since time.Time
		err := tx.QueryRow(ctx, `UPDATE decant_scopes SET state = $2, state_since = clock_timestamp(), state_note = $3, updated = now()
			WHERE scope = $1 RETURNING state_since`, scope, string(to), note).Scan(&since)
		if err != nil {
			return err
		}
		l = decant.Lifecycle{Scope: scope, State: to, Since: since.UTC(), Note: note}
		_, err = tx.Exec(ctx, `INSERT INTO decant_scope_history (scope, at, from_state, to_state, command, note)
			VALUES ($1, $2, $3, $4, $5, $6)`, scope, since, cur, string(to), decant.TransitionCommand(ctx), note)
		return err
	})
	var te *decant.TransitionError
	if errors.As(err, &te) {
		return decant.Lifecycle{}, te
	}
	if err != nil {
		return decant.Lifecycle{}, fmt.Errorf("postgres: move scope %s to %s: %w", scope, to, err)
	}
	return l, nil
}
