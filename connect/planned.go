package connect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/ddl"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/postgres"
	"github.com/decanthq/decant/sqlite"
)

// PlannedStore is a target store whose Columns also answers with what the
// plan's pending migrations and setup files would create, add, rename or
// drop, read from their SQL without running it (see internal/ddl). check,
// preview and `migrate --dry-run` use it, so that a new target whose tables
// a real run would create first does not fail them. Use it only to read:
// its other methods are the store's, and so are its other roles, which
// decant.As finds through Unwrap.
type PlannedStore struct {
	decant.Store
	catalog decant.Cataloger // the store's own
	model   *ddl.Model

	once   sync.Once
	tables map[string]*ddl.Table
	err    error
}

// Planned wraps st, the plan's target, in a PlannedStore that knows the
// plan's pending migrations (those the target lacks) and setup files. It
// returns st itself when the plan has neither. Migrations it cannot list
// (a bad directory, an unreachable target) are left out: check reports
// them on their own line, and a real run fails on them.
func Planned(ctx context.Context, p *plan.Plan, st decant.Store) (decant.Store, error) {
	if p.Migrations == "" && len(p.Setup) == 0 {
		return st, nil
	}
	cat, err := decant.Require[decant.Cataloger](st, "describe its tables, which check, preview and dry runs compare with the plan")
	if err != nil {
		return nil, err
	}
	m := &ddl.Model{}
	if _, ok := decant.As[*postgres.Store](st); ok {
		m.Kind, m.DefaultSchema, m.Fold = postgres.KindOf, "public", true
	} else if _, ok := decant.As[*sqlite.Store](st); ok {
		m.Kind, m.DefaultSchema = sqlite.KindOf, "main"
	}
	pending, _ := PendingMigrations(ctx, p)
	for _, s := range pending {
		if s.File == "" || s.State == migrations.StateDrifted {
			continue // Go migrations cannot be read; drifted ones ran already
		}
		text, err := os.ReadFile(filepath.Join(p.Path(p.Migrations), s.File))
		if err != nil {
			return nil, fmt.Errorf("migrations %s: %w", p.Migrations, err)
		}
		m.Add("migration "+s.File, upSection(string(text)))
	}
	for _, f := range p.Setup {
		text, err := os.ReadFile(p.Path(f))
		if err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
		m.Add("setup file "+f, string(text))
	}
	return &PlannedStore{Store: st, catalog: cat, model: m}, nil
}

// upSection cuts a migration file's down section off.
func upSection(text string) string {
	offset := 0
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.TrimSpace(l) == "-- decant:down" {
			return text[:offset]
		}
		offset += len(l)
	}
	return text
}

// Columns describes the table as a real run would find it after applying
// the pending migrations and setup files: ErrNotFound when it would not
// exist.
func (s *PlannedStore) Columns(ctx context.Context, table string) ([]decant.Column, error) {
	t, err := s.planned(ctx, table)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return s.catalog.Columns(ctx, table)
	}
	if !t.Exists {
		return nil, fmt.Errorf("table %s: %w", table, decant.ErrNotFound)
	}
	return t.Columns, nil
}

// Notes says what the pending migrations and setup files would do to
// table that check should tell: create it, or add or change its columns.
func (s *PlannedStore) Notes(ctx context.Context, table string) []string {
	t, err := s.planned(ctx, table)
	if err != nil || t == nil || !t.Exists {
		return nil
	}
	if t.CreatedBy != "" {
		return []string{fmt.Sprintf("table %s will be created by %s", table, t.CreatedBy)}
	}
	var notes []string
	for _, c := range t.Columns {
		if by := t.AddedBy[c.Name]; by != "" {
			notes = append(notes, fmt.Sprintf("column %s.%s will be added or changed by %s", table, c.Name, by))
		}
	}
	return notes
}

// Unwrap returns the store s wraps, so that decant.As finds its roles
// (leases, state reading, Ping, ...) through s.
func (s *PlannedStore) Unwrap() decant.Store { return s.Store }

// planned returns table as the scripts leave it, nil when they do not
// touch it. The tables they touch are read once, as they are now.
func (s *PlannedStore) planned(ctx context.Context, table string) (*ddl.Table, error) {
	s.once.Do(func() {
		before := map[string]*ddl.Table{}
		for _, name := range s.model.Tables() {
			cols, err := s.catalog.Columns(ctx, name)
			if errors.Is(err, decant.ErrNotFound) {
				continue
			}
			if err != nil {
				s.err = fmt.Errorf("read columns of %s: %w", name, err)
				return
			}
			before[s.model.Key(name)] = &ddl.Table{Name: name, Columns: cols, Exists: true}
		}
		s.tables = s.model.Apply(before)
	})
	if s.err != nil {
		return nil, s.err
	}
	return s.tables[s.model.Key(table)], nil
}

var (
	_ decant.Cataloger    = (*PlannedStore)(nil)
	_ decant.StoreWrapper = (*PlannedStore)(nil)
)
