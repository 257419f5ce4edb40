package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

// upsertUnmappedSQL adds a batch's counts of fields that reached no
// column. The rows go in (table, path) order, so that two batches of one
// step (chunks read in parallel) lock them in the same order and wait
// for each other rather than deadlock. A kept example of null gives way
// to a value.
const upsertUnmappedSQL = `
INSERT INTO decant_unmapped AS u (scope, step, tbl, path, records, example)
SELECT $1, $2, t, p, n, e FROM unnest($3::text[], $4::text[], $5::bigint[], $6::text[]) AS x(t, p, n, e)
ORDER BY t, p
ON CONFLICT (scope, step, tbl, path) DO UPDATE SET
    records = u.records + EXCLUDED.records,
    example = CASE WHEN u.example = 'null' THEN EXCLUDED.example ELSE u.example END,
    updated = now()`

// queueUnmapped adds the statement that writes b.Unmapped, if any.
func queueUnmapped(p *pipeline, b *decant.Batch) {
	if len(b.Unmapped) == 0 {
		return
	}
	fields := slices.Clone(b.Unmapped)
	slices.SortFunc(fields, func(x, y decant.UnmappedField) int {
		return cmp.Or(strings.Compare(x.Table, y.Table), strings.Compare(x.Path, y.Path))
	})
	tables, paths, examples := make([]string, len(fields)), make([]string, len(fields)), make([]string, len(fields))
	records := make([]int64, len(fields))
	for i, f := range fields {
		tables[i], paths[i], examples[i], records[i] = stateText(f.Table), stateText(f.Path), stateText(f.Example), f.Records
	}
	p.add("write unmapped fields", upsertUnmappedSQL, stateText(b.Scope), stateText(b.Step), tables, paths, records, examples)
}

const unmappedSQL = `SELECT step, tbl, path, records, example FROM decant_unmapped WHERE scope = $1`

// UnmappedFields returns what the state tables keep of the fields of
// scope's step that reached no column, ordered by table and path.
func (s *Store) UnmappedFields(ctx context.Context, scope, step string) ([]decant.UnmappedField, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, tableExistsSQL, "decant_unmapped").Scan(&exists); err != nil || !exists {
		if err != nil {
			return nil, fmt.Errorf("postgres: unmapped fields of %s: %w", step, err)
		}
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, unmappedSQL+" AND step = $2 ORDER BY tbl, path", stateText(scope), stateText(step))
	if err != nil {
		return nil, fmt.Errorf("postgres: unmapped fields of %s: %w", step, err)
	}
	defer rows.Close()
	var out []decant.UnmappedField
	for rows.Next() {
		_, f, err := scanUnmapped(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: unmapped fields of %s: %w", step, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: unmapped fields of %s: %w", step, err)
	}
	return out, nil
}

// scanUnmapped reads a row of unmappedSQL: the step and one field.
func scanUnmapped(r pgx.Rows) (step string, f decant.UnmappedField, err error) {
	err = r.Scan(&step, &f.Table, &f.Path, &f.Records, &f.Example)
	return step, f, err
}
