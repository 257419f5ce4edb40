package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/decanthq/decant"
)

var _ decant.Patcher = (*Store)(nil)

// A patch's rows are kept as PostgreSQL renders them: row_to_json of each
// row, which json_populate_recordset reads back into the same values
// (numeric scale, timestamps to the microsecond, bytea, json text as
// written). The record's rows of a table are picked by a key object, the
// By columns and their values as JSON, read with json_populate_record so
// that each value takes its column's type.

// patchTable is what decant_patches.tables keeps of one table of a patch.
type patchTable struct {
	Table string          `json:"table"`
	By    []string        `json:"by"`
	Key   json.RawMessage `json:"key"` // {"col": value, ...}
	Child bool            `json:"child"`
}

// imageTable is one table's rows in a patch's before or after image.
type imageTable struct {
	Table string          `json:"table"`
	Rows  json.RawMessage `json:"rows"`
}

// ApplyPatch writes p's rows over the record's and stores the patch, in one
// transaction.
func (s *Store) ApplyPatch(ctx context.Context, p *decant.Patch) error {
	tables, err := patchTables(p)
	if err != nil {
		return fmt.Errorf("postgres: patch %s/%s key %q: %w", p.Scope, p.Step, p.Key, err)
	}
	findings, err := json.Marshal(p.Findings)
	if err != nil {
		return fmt.Errorf("postgres: patch %s/%s key %q: findings: %w", p.Scope, p.Step, p.Key, err)
	}
	dtx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	t := dtx.(*tx)
	defer t.Rollback(ctx)
	if err := s.applyPatch(ctx, t, p, tables, findings); err != nil {
		s.forgetAll(p.Tables)
		return fmt.Errorf("postgres: patch %s/%s key %q: %w", p.Scope, p.Step, p.Key, translate("patch", "", err))
	}
	if err := t.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: patch %s/%s key %q: commit: %w", p.Scope, p.Step, p.Key, err)
	}
	return nil
}

func (s *Store) applyPatch(ctx context.Context, t *tx, p *decant.Patch, tables []patchTable, findings []byte) error {
	before, err := recordImage(ctx, t, tables)
	if err != nil {
		return err
	}
	if err := s.setRecordRows(ctx, t, p.Tables, tables); err != nil {
		return err
	}
	after, err := recordImage(ctx, t, tables)
	if err != nil {
		return err
	}
	stored, err := json.Marshal(tables)
	if err != nil {
		return err
	}
	err = t.QueryRow(ctx, `INSERT INTO decant_patches (scope, step, key, findings, reason, tables, before, after)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, patched_at`,
		p.Scope, p.Step, stateText(p.Key), string(findings), stateText(p.Reason), string(stored), before, after).
		Scan(&p.ID, &p.PatchedAt)
	if err != nil {
		return fmt.Errorf("store the patch: %w", err)
	}
	p.Before, p.After = json.RawMessage(before), json.RawMessage(after)
	return nil
}

// patchTables checks p's tables and renders each one's key object.
func patchTables(p *decant.Patch) ([]patchTable, error) {
	if len(p.Tables) == 0 {
		return nil, errors.New("the patch names no table")
	}
	out := make([]patchTable, len(p.Tables))
	for i, pt := range p.Tables {
		if len(pt.By) == 0 || len(pt.By) != len(pt.Key) {
			return nil, fmt.Errorf("table %s: %d key columns for %d key values", pt.Table, len(pt.By), len(pt.Key))
		}
		if !pt.Child && len(pt.Rows) > 1 {
			return nil, fmt.Errorf("table %s: %d rows for one key of a parent table", pt.Table, len(pt.Rows))
		}
		key := map[string]any{}
		for j, c := range pt.By {
			key[c] = pt.Key[j]
		}
		b, err := json.Marshal(key)
		if err != nil {
			return nil, fmt.Errorf("table %s: key: %w", pt.Table, err)
		}
		out[i] = patchTable{Table: pt.Table, By: pt.By, Key: b, Child: pt.Child}
	}
	return out, nil
}

// setRecordRows makes each table hold its rows for the record: a child
// table's rows are replaced, a parent's row upserted, or deleted when it
// has none. Deletes go first, children before parents, then writes,
// parents before children, so that foreign keys from child to parent
// hold at every statement.
func (s *Store) setRecordRows(ctx context.Context, t *tx, pts []decant.PatchTable, kts []patchTable) error {
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].Child || len(pts[i].Rows) == 0 {
			if err := deleteRecordRows(ctx, t, kts[i]); err != nil {
				return err
			}
		}
	}
	for _, pt := range pts {
		if len(pt.Rows) == 0 {
			continue
		}
		tr := &decant.TableRows{Table: pt.Table, Columns: pt.Columns, Rows: pt.Rows}
		if !pt.Child {
			tr.Key = pt.By
		}
		if err := s.writeRows(ctx, t, tr); err != nil {
			return err
		}
	}
	return nil
}

// recordWhere selects the rows of t whose By columns equal the key object
// bound as $1.
func recordWhere(kt patchTable) string {
	conds := make([]string, len(kt.By))
	for i, c := range kt.By {
		q := pgx.Identifier{c}.Sanitize()
		conds[i] = "t." + q + " = k." + q
	}
	return fmt.Sprintf("FROM %s t, json_populate_record(NULL::%s, $1::json) k WHERE %s",
		ident(kt.Table), ident(kt.Table), strings.Join(conds, " AND "))
}

func deleteRecordRows(ctx context.Context, t *tx, kt patchTable) error {
	conds := make([]string, len(kt.By))
	for i, c := range kt.By {
		q := pgx.Identifier{c}.Sanitize()
		conds[i] = "t." + q + " = k." + q
	}
	sql := fmt.Sprintf("DELETE FROM %s t USING json_populate_record(NULL::%s, $1::json) k WHERE %s",
		ident(kt.Table), ident(kt.Table), strings.Join(conds, " AND "))
	if _, err := t.Exec(ctx, sql, string(kt.Key)); err != nil {
		return fmt.Errorf("delete the record's rows of %s: %w", kt.Table, err)
	}
	return nil
}

// recordImage renders the record's rows of each table, each table's rows
// sorted by their text so that two images of the same rows are the same
// text.
func recordImage(ctx context.Context, t *tx, tables []patchTable) (string, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, kt := range tables {
		var rows string
		sql := "SELECT coalesce(json_agg(r ORDER BY r::text), '[]')::text FROM (SELECT row_to_json(t.*) AS r " + recordWhere(kt) + ") x"
		if err := t.QueryRow(ctx, sql, string(kt.Key)).Scan(&rows); err != nil {
			return "", fmt.Errorf("read the record's rows of %s: %w", kt.Table, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		// Built by hand: json.Marshal would compact the rows, and with
		// them the text of json columns, which must come back as written.
		name, _ := json.Marshal(kt.Table)
		fmt.Fprintf(&b, `{"table":%s,"rows":%s}`, name, rows)
	}
	b.WriteByte(']')
	return b.String(), nil
}

func (s *Store) forgetAll(tables []decant.PatchTable) {
	for _, pt := range tables {
		s.forget(pt.Table)
	}
}

const patchColumns = `id, scope, step, key, findings, reason, tables, before, after, patched_at, reverted_at, revert_reason,
    reverted_at IS NULL AND EXISTS (SELECT 1 FROM decant_diffs d WHERE d.scope = p.scope AND d.step = p.step
        AND d.key = p.key AND d.kind <> 'change' AND d.found_at > p.patched_at)`

// Patches lists stored patches, newest first. A patch is still different
// when a verify after it found its record different again.
func (s *Store) Patches(ctx context.Context, f decant.PatchFilter) ([]decant.Patch, error) {
	var where []string
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+" $"+strconv.Itoa(len(args)))
	}
	if f.Scope != "" {
		arg("scope =", f.Scope)
	}
	if f.Step != "" {
		arg("step =", f.Step)
	}
	if f.Key != "" {
		arg("key =", f.Key)
	}
	if f.ID != 0 {
		arg("id =", f.ID)
	}
	sql := "SELECT " + patchColumns + " FROM decant_patches p"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY id DESC"
	if f.Limit > 0 {
		sql += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	var out []decant.Patch
	if err == nil {
		out, err = pgx.CollectRows(rows, scanPatch)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table
		if v, verr := s.stateVersion(ctx); verr == nil && v < 5 {
			return nil, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: list patches: %w", err)
	}
	return out, nil
}

func scanPatch(r pgx.CollectableRow) (decant.Patch, error) {
	var p decant.Patch
	var findings, tables, before, after string
	if err := r.Scan(&p.ID, &p.Scope, &p.Step, &p.Key, &findings, &p.Reason, &tables, &before, &after,
		&p.PatchedAt, &p.RevertedAt, &p.RevertReason, &p.StillDifferent); err != nil {
		return p, err
	}
	if err := decodePatch(&p, findings, tables, before, after); err != nil {
		return p, fmt.Errorf("patch %d: %w", p.ID, err)
	}
	return p, nil
}

// decodePatch fills p from its stored JSON text. The images stay as
// stored; key values keep their digits (json.Number).
func decodePatch(p *decant.Patch, findings, tables, before, after string) error {
	if err := json.Unmarshal([]byte(findings), &p.Findings); err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	var kts []patchTable
	if err := json.Unmarshal([]byte(tables), &kts); err != nil {
		return fmt.Errorf("tables: %w", err)
	}
	for _, kt := range kts {
		d := json.NewDecoder(bytes.NewReader(kt.Key))
		d.UseNumber()
		var key map[string]any
		if err := d.Decode(&key); err != nil {
			return fmt.Errorf("tables: key of %s: %w", kt.Table, err)
		}
		pt := decant.PatchTable{Table: kt.Table, By: kt.By, Child: kt.Child}
		for _, c := range kt.By {
			pt.Key = append(pt.Key, key[c])
		}
		p.Tables = append(p.Tables, pt)
	}
	p.Before, p.After = json.RawMessage(before), json.RawMessage(after)
	return nil
}

// RevertPatch puts the rows before patch id back and marks it reverted.
func (s *Store) RevertPatch(ctx context.Context, id int64, opts decant.RevertOptions) (*decant.Patch, error) {
	var out *decant.Patch
	err := pgx.BeginFunc(ctx, s.pool, func(ptx pgx.Tx) error {
		t := &tx{Tx: ptx, store: s}
		p, kts, err := lockPatch(ctx, t, id)
		if err != nil {
			return err
		}
		if p.RevertedAt != nil {
			return fmt.Errorf("patch %d: %w at %s (%s)", id, decant.ErrPatchReverted, p.RevertedAt.UTC().Format(time.RFC3339), p.RevertReason)
		}
		now, err := recordImage(ctx, t, kts)
		if err != nil {
			return err
		}
		if now != string(p.After) && !opts.Force {
			return fmt.Errorf("patch %d of %s/%s key %q: %w", id, p.Scope, p.Step, p.Key, decant.ErrPatchChanged)
		}
		if err := restoreImage(ctx, t, kts, p.Before); err != nil {
			return err
		}
		err = t.QueryRow(ctx, "UPDATE decant_patches SET reverted_at = now(), revert_reason = $2 WHERE id = $1 RETURNING reverted_at",
			id, stateText(opts.Reason)).Scan(&p.RevertedAt)
		p.RevertReason = opts.Reason
		out = p
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: revert patch %d: %w", id, translate("revert", "", err))
	}
	return out, nil
}

// lockPatch reads patch id and locks its row until the transaction ends,
// so that two reverts of one patch take turns and the second is refused.
func lockPatch(ctx context.Context, t *tx, id int64) (*decant.Patch, []patchTable, error) {
	var p decant.Patch
	var findings, tables, before, after string
	err := t.QueryRow(ctx, `SELECT id, scope, step, key, findings, reason, tables, before, after, patched_at, reverted_at, revert_reason
FROM decant_patches WHERE id = $1 FOR UPDATE`, id).Scan(&p.ID, &p.Scope, &p.Step, &p.Key, &findings, &p.Reason,
		&tables, &before, &after, &p.PatchedAt, &p.RevertedAt, &p.RevertReason)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, fmt.Errorf("no patch %d: %w (decant patch list shows the patches)", id, decant.ErrNotFound)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := decodePatch(&p, findings, tables, before, after); err != nil {
		return nil, nil, fmt.Errorf("patch %d: %w", id, err)
	}
	var kts []patchTable
	if err := json.Unmarshal([]byte(tables), &kts); err != nil {
		return nil, nil, fmt.Errorf("patch %d: tables: %w", id, err)
	}
	return &p, kts, nil
}

// restoreImage makes each table hold exactly the image's rows for the
// record: the rows there now are deleted and the image's inserted, every
// column that is not generated, identity columns included.
func restoreImage(ctx context.Context, t *tx, kts []patchTable, image json.RawMessage) error {
	var tables []imageTable
	if err := json.Unmarshal(image, &tables); err != nil {
		return fmt.Errorf("read the rows before the patch: %w", err)
	}
	for i, kt := range kts {
		if i >= len(tables) || tables[i].Table != kt.Table {
			return fmt.Errorf("the rows before the patch do not name table %s", kt.Table)
		}
	}
	// Children before parents out, parents before children in: foreign
	// keys hold at every statement.
	for i := len(kts) - 1; i >= 0; i-- {
		if err := deleteRecordRows(ctx, t, kts[i]); err != nil {
			return err
		}
	}
	for i, kt := range kts {
		cols, err := writableColumns(ctx, t, kt.Table)
		if err != nil {
			return err
		}
		sql := fmt.Sprintf("INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM json_populate_recordset(NULL::%s, $1::json)",
			ident(kt.Table), cols, cols, ident(kt.Table))
		if _, err := t.Exec(ctx, sql, string(tables[i].Rows)); err != nil {
			return fmt.Errorf("put back the rows of %s: %w", kt.Table, err)
		}
	}
	return nil
}

// writableColumns lists a table's columns that an INSERT may give, quoted:
// all but generated ones.
func writableColumns(ctx context.Context, t *tx, table string) (string, error) {
	var cols []string
	rows, err := t.Query(ctx, `SELECT attname FROM pg_attribute
WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`, ident(table))
	if err == nil {
		cols, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return "", fmt.Errorf("describe table %s: %w", table, err)
	}
	if len(cols) == 0 {
		return "", fmt.Errorf("table %s: %w", table, decant.ErrNotFound)
	}
	for i, c := range cols {
		cols[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(cols, ", "), nil
}
