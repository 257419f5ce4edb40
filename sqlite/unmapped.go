package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/decanthq/decant"
)

// writeUnmapped adds b's counts of fields that reached no column to what
// the step keeps; a kept example of null gives way to a value.
func writeUnmapped(ctx context.Context, t *tx, b *decant.Batch, now string) error {
	for _, f := range b.Unmapped {
		_, err := t.ExecContext(ctx, `INSERT INTO decant_unmapped (scope, step, tbl, path, records, example, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (scope, step, tbl, path) DO UPDATE SET
			    records = records + excluded.records,
			    example = CASE WHEN example = 'null' THEN excluded.example ELSE example END,
			    updated = excluded.updated`,
			b.Scope, b.Step, f.Table, f.Path, f.Records, f.Example, now)
		if err != nil {
			return fmt.Errorf("write unmapped fields: %w", err)
		}
	}
	return nil
}

const unmappedSQL = `SELECT step, tbl, path, records, example FROM decant_unmapped WHERE scope = ?`

// UnmappedFields returns what the state tables keep of the fields of
// scope's step that reached no column, ordered by table and path.
func (s *Store) UnmappedFields(ctx context.Context, scope, step string) ([]decant.UnmappedField, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: unmapped fields of %s: %w", step, err)
	}
	defer tx.Rollback()
	if exists, err := tableExists(ctx, tx, "decant_unmapped"); err != nil || !exists {
		if err != nil {
			return nil, fmt.Errorf("sqlite: unmapped fields of %s: %w", step, err)
		}
		return nil, nil
	}
	var out []decant.UnmappedField
	err = each(ctx, tx, unmappedSQL+" AND step = ? ORDER BY tbl, path", []any{scope, step}, func(r *sql.Rows) error {
		_, f, err := scanUnmapped(r)
		out = append(out, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: unmapped fields of %s: %w", step, err)
	}
	return out, nil
}

// scanUnmapped reads a row of unmappedSQL: the step and one field.
func scanUnmapped(r *sql.Rows) (step string, f decant.UnmappedField, err error) {
	err = r.Scan(&step, &f.Table, &f.Path, &f.Records, &f.Example)
	return step, f, err
}
