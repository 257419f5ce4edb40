package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

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
	var state, note string
	var since sql.NullString
	err := s.read.QueryRowContext(ctx, "SELECT state, state_since, state_note FROM decant_scopes WHERE scope = ?", scope).
		Scan(&state, &since, &note)
	if errors.Is(err, sql.ErrNoRows) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("sqlite: read the lifecycle of scope %s: %w", scope, err)
	}
	l.State, l.Note = decant.ScopeState(state), note
	if since.Valid {
		l.Since = parseStamp(since.String)
	}
	return l, nil
}

// Lifecycles lists the lifecycle of every scope with a row in
// decant_scopes (a lease or a transition made it), ordered by scope.
func (s *Store) Lifecycles(ctx context.Context) ([]decant.Lifecycle, error) {
	if v, err := s.stateVersion(ctx); err != nil || v < lifecycleVersion {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, "SELECT scope, state, state_since, state_note FROM decant_scopes ORDER BY scope")
	if err != nil {
		return nil, fmt.Errorf("sqlite: read the scopes' lifecycles: %w", err)
	}
	defer rows.Close()
	var out []decant.Lifecycle
	for rows.Next() {
		var l decant.Lifecycle
		var state string
		var since sql.NullString
		if err := rows.Scan(&l.Scope, &state, &since, &l.Note); err != nil {
			return nil, fmt.Errorf("sqlite: read the scopes' lifecycles: %w", err)
		}
		l.State = decant.ScopeState(state)
		if since.Valid {
			l.Since = parseStamp(since.String)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Transition moves scope to state to when its state is one of from, and
// records the move in decant_scope_history, in one transaction under
// SQLite's write lock: of two transitions racing from one state, the
// second sees the first's state and is refused with a
// *decant.TransitionError (whose Command and Next the caller fills in).
func (s *Store) Transition(ctx context.Context, scope string, from []decant.ScopeState, to decant.ScopeState, note string) (decant.Lifecycle, error) {
	now := time.Now()
	l := decant.Lifecycle{Scope: scope, State: to, Since: now.UTC(), Note: note}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO decant_scopes (scope, updated) VALUES (?, ?) ON CONFLICT (scope) DO NOTHING",
			scope, stamp(now)); err != nil {
			return err
		}
		var cur string
		if err := tx.QueryRowContext(ctx, "SELECT state FROM decant_scopes WHERE scope = ?", scope).Scan(&cur); err != nil {
			return err
		}
		if !slices.Contains(from, decant.ScopeState(cur)) {
			return &decant.TransitionError{Scope: scope, State: decant.ScopeState(cur)}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE decant_scopes SET state = ?, state_since = ?, state_note = ?, updated = ? WHERE scope = ?",
			string(to), stamp(now), note, stamp(now), scope); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO decant_scope_history (scope, at, from_state, to_state, command, note)
			VALUES (?, ?, ?, ?, ?, ?)`, scope, stamp(now), cur, string(to), decant.TransitionCommand(ctx), note)
		return err
	})
	var te *decant.TransitionError
	if errors.As(err, &te) {
		return decant.Lifecycle{}, te
	}
	if err != nil {
		return decant.Lifecycle{}, fmt.Errorf("sqlite: move scope %s to %s: %w", scope, to, err)
	}
	return l, nil
}
