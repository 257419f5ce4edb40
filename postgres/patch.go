package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
// By columns and their values as JSON, each cast to its column's type.
// Both transactions fix the settings that change how a value renders
// (time zone, float digits, interval style), so that an image taken by
// one session compares with one taken by another.

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

// renderSettings make row_to_json give the same text in every session.
const renderSettings = `SET LOCAL TimeZone = 'UTC'; SET LOCAL extra_float_digits = 1; SET LOCAL IntervalStyle = 'postgres'`

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
	if _, err := t.Exec(ctx, renderSettings); err != nil {
		return err
	}
	uniq := uniqueTables(tables)
	if err := s.lockRecord(ctx, t, uniq); err != nil {
		return err
	}
	before, err := s.recordImage(ctx, t, uniq)
	if err != nil {
		return err
	}
	if err := s.setRecordRows(ctx, t, p.Tables, tables); err != nil {
		return err
	}
	after, err := s.recordImage(ctx, t, uniq)
	if err != nil {
		return err
	}
	stored, err := json.Marshal(uniq)
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

// uniqueTables keeps the first entry of each table: a child table whose
// rows carry different columns comes once per set of columns.
func uniqueTables(kts []patchTable) []patchTable {
	var out []patchTable
	for _, kt := range kts {
		if !slices.ContainsFunc(out, func(o patchTable) bool { return o.Table == kt.Table }) {
			out = append(out, kt)
		}
	}
	return out
}

// setRecordRows makes each table hold its rows for the record: a child
// table's rows are replaced, a parent's row upserted, or deleted when it
// has none. Deletes go first, children before parents, then writes,
// parents before children, so that foreign keys from child to parent
// hold at every statement.
func (s *Store) setRecordRows(ctx context.Context, t *tx, pts []decant.PatchTable, kts []patchTable) error {
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].Child || len(pts[i].Rows) == 0 {
			if err := s.deleteRecordRows(ctx, t, kts[i]); err != nil {
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

// recordWhere selects the rows of the table (as t) whose By columns equal
// the key object bound as $1, each value cast to its column's type.
func (s *Store) recordWhere(ctx context.Context, t *tx, kt patchTable) (*table, string, error) {
	tbl, err := s.table(ctx, t, kt.Table)
	if err != nil {
		return nil, "", err
	}
	conds := make([]string, len(kt.By))
	for i, c := range kt.By {
		j := slices.IndexFunc(tbl.columns, func(col decant.Column) bool { return col.Name == c })
		if j < 0 {
			return nil, "", fmt.Errorf("table %s has no column %s: %w", kt.Table, c, decant.ErrNotFound)
		}
		conds[i] = fmt.Sprintf("t.%s = ($1::json->>%s)::%s", pgx.Identifier{c}.Sanitize(), quoteLiteral(c), tbl.columns[j].DBType)
	}
	return tbl, " WHERE " + strings.Join(conds, " AND "), nil
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (s *Store) deleteRecordRows(ctx context.Context, t *tx, kt patchTable) error {
	tbl, where, err := s.recordWhere(ctx, t, kt)
	if err != nil {
		return err
	}
	if _, err := t.Exec(ctx, "DELETE FROM "+tbl.ident+" t"+where, string(kt.Key)); err != nil {
		return fmt.Errorf("delete the record's rows of %s: %w", kt.Table, err)
	}
	return nil
}

// lockRecord locks the record's rows until the transaction ends, so that
// no other writer changes them between the image and the write.
func (s *Store) lockRecord(ctx context.Context, t *tx, kts []patchTable) error {
	for _, kt := range kts {
		tbl, where, err := s.recordWhere(ctx, t, kt)
		if err != nil {
			return err
		}
		if _, err := t.Exec(ctx, "SELECT 1 FROM "+tbl.ident+" t"+where+" FOR UPDATE", string(kt.Key)); err != nil {
			return fmt.Errorf("lock the record's rows of %s: %w", kt.Table, err)
		}
	}
	return nil
}

// recordImage renders the record's rows of each table, each table's rows
// sorted by their text so that two images of the same rows are the same
// text.
func (s *Store) recordImage(ctx context.Context, t *tx, kts []patchTable) (string, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, kt := range kts {
		tbl, where, err := s.recordWhere(ctx, t, kt)
		if err != nil {
			return "", err
		}
		var rows string
		sql := "SELECT coalesce(json_agg(r ORDER BY r::text), '[]')::text FROM (SELECT row_to_json(t.*) AS r FROM " + tbl.ident + " t" + where + ") x"
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
        AND d.key = p.key AND d.kind IN ('diff', 'missing', 'extra', 'duplicate') AND d.found_at > p.patched_at)`

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
	if _, err := decodePatch(&p, findings, tables, before, after); err != nil {
		return p, fmt.Errorf("patch %d: %w", p.ID, err)
	}
	return p, nil
}

// decodePatch fills p from its stored JSON text and returns its tables.
// The images stay as stored; key values keep their digits (json.Number).
func decodePatch(p *decant.Patch, findings, tables, before, after string) ([]patchTable, error) {
	if err := json.Unmarshal([]byte(findings), &p.Findings); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	var kts []patchTable
	if err := json.Unmarshal([]byte(tables), &kts); err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	for _, kt := range kts {
		d := json.NewDecoder(bytes.NewReader(kt.Key))
		d.UseNumber()
		var key map[string]any
		if err := d.Decode(&key); err != nil {
			return nil, fmt.Errorf("tables: key of %s: %w", kt.Table, err)
		}
		pt := decant.PatchTable{Table: kt.Table, By: kt.By, Child: kt.Child}
		for _, c := range kt.By {
			pt.Key = append(pt.Key, key[c])
		}
		p.Tables = append(p.Tables, pt)
	}
	p.Before, p.After = json.RawMessage(before), json.RawMessage(after)
	return kts, nil
}

// RevertPatch puts the rows before patch id back and marks it reverted.
func (s *Store) RevertPatch(ctx context.Context, id int64, opts decant.RevertOptions) (*decant.Patch, error) {
	var out *decant.Patch
	err := pgx.BeginFunc(ctx, s.pool, func(ptx pgx.Tx) error {
		var err error
		out, err = s.revert(ctx, &tx{Tx: ptx, store: s}, id, opts)
		return err
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" { // foreign_key_violation
		err = fmt.Errorf("%w: rows of another table refer to the rows the revert would delete; it cannot leave them pointing at nothing", err)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: revert patch %d: %w", id, err)
	}
	return out, nil
}

func (s *Store) revert(ctx context.Context, t *tx, id int64, opts decant.RevertOptions) (*decant.Patch, error) {
	if _, err := t.Exec(ctx, renderSettings); err != nil {
		return nil, err
	}
	p, kts, err := lockPatch(ctx, t, id)
	if err != nil {
		return nil, err
	}
	if p.RevertedAt != nil {
		return nil, fmt.Errorf("%w at %s (%s)", decant.ErrPatchReverted, p.RevertedAt.UTC().Format(time.RFC3339), p.RevertReason)
	}
	var newer int64
	err = t.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM decant_patches
WHERE scope = $1 AND step = $2 AND key = $3 AND id > $4 AND reverted_at IS NULL`, p.Scope, p.Step, p.Key, id).Scan(&newer)
	if err != nil {
		return nil, err
	}
	if newer != 0 {
		return nil, fmt.Errorf("%s/%s key %q: patch %d: %w", p.Scope, p.Step, p.Key, newer, decant.ErrPatchNewer)
	}
	if err := s.lockRecord(ctx, t, kts); err != nil {
		return nil, err
	}
	now, err := s.recordImage(ctx, t, kts)
	if err != nil {
		return nil, err
	}
	if now != string(p.After) && !opts.Force {
		return nil, fmt.Errorf("%s/%s key %q: %w", p.Scope, p.Step, p.Key, decant.ErrPatchChanged)
	}
	if err := s.restoreImage(ctx, t, kts, p.Before); err != nil {
		return nil, err
	}
	err = t.QueryRow(ctx, "UPDATE decant_patches SET reverted_at = now(), revert_reason = $2 WHERE id = $1 RETURNING reverted_at",
		id, stateText(opts.Reason)).Scan(&p.RevertedAt)
	p.RevertReason = opts.Reason
	return p, err
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
		return nil, nil, translate("read the patch", "", err)
	}
	kts, err := decodePatch(&p, findings, tables, before, after)
	if err != nil {
		return nil, nil, fmt.Errorf("patch %d: %w", id, err)
	}
	return &p, kts, nil
}

// restoreImage makes each table hold exactly the image's rows for the
// record. A parent row that is there is updated in place, so that rows of
// other tables that refer to it stay; one that is not is inserted, and
// one the image lacks is deleted. A child table's rows are replaced.
// Deletes go children first, writes parents first.
func (s *Store) restoreImage(ctx context.Context, t *tx, kts []patchTable, image json.RawMessage) error {
	var tables []imageTable
	if err := json.Unmarshal(image, &tables); err != nil {
		return fmt.Errorf("read the rows before the patch: %w", err)
	}
	rows := make([][]json.RawMessage, len(kts))
	for i, kt := range kts {
		if i >= len(tables) || tables[i].Table != kt.Table {
			return fmt.Errorf("the rows before the patch do not name table %s", kt.Table)
		}
		if err := json.Unmarshal(tables[i].Rows, &rows[i]); err != nil {
			return fmt.Errorf("read the rows of %s before the patch: %w", kt.Table, err)
		}
	}
	for i := len(kts) - 1; i >= 0; i-- {
		if kts[i].Child || len(rows[i]) == 0 {
			if err := s.deleteRecordRows(ctx, t, kts[i]); err != nil {
				return err
			}
		}
	}
	for i, kt := range kts {
		if len(rows[i]) == 0 {
			continue
		}
		if !kt.Child {
			updated, err := s.updateRecordRow(ctx, t, kt, rows[i][0])
			if err != nil {
				return err
			}
			if updated {
				continue
			}
		}
		if err := insertImageRows(ctx, t, kt, tables[i].Rows); err != nil {
			return err
		}
	}
	return nil
}

// updateRecordRow writes row over the record's parent row, every column
// but the key, identity and generated ones; false when there is no row.
func (s *Store) updateRecordRow(ctx context.Context, t *tx, kt patchTable, row json.RawMessage) (bool, error) {
	tbl, where, err := s.recordWhere(ctx, t, kt)
	if err != nil {
		return false, err
	}
	cols, err := columnsOf(ctx, t, kt.Table, "attgenerated = '' AND attidentity = ''")
	if err != nil {
		return false, err
	}
	cols = slices.DeleteFunc(cols, func(c string) bool { return slices.Contains(kt.By, c) })
	if len(cols) == 0 {
		return true, nil // nothing but the key, which is there
	}
	list := quoteAll(cols)
	sql := fmt.Sprintf("UPDATE %s t SET (%s) = (SELECT %s FROM json_populate_record(NULL::%s, $2::json))%s",
		tbl.ident, list, list, tbl.ident, where)
	tag, err := t.Exec(ctx, sql, string(kt.Key), string(row))
	if err != nil {
		return false, fmt.Errorf("put back the row of %s: %w", kt.Table, err)
	}
	return tag.RowsAffected() > 0, nil
}

func insertImageRows(ctx context.Context, t *tx, kt patchTable, rows json.RawMessage) error {
	cols, err := columnsOf(ctx, t, kt.Table, "attgenerated = ''")
	if err != nil {
		return err
	}
	list := quoteAll(cols)
	sql := fmt.Sprintf("INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM json_populate_recordset(NULL::%s, $1::json)",
		ident(kt.Table), list, list, ident(kt.Table))
	if _, err := t.Exec(ctx, sql, string(rows)); err != nil {
		return fmt.Errorf("put back the rows of %s: %w", kt.Table, err)
	}
	return nil
}

// columnsOf lists a table's columns that match cond on pg_attribute.
func columnsOf(ctx context.Context, t *tx, table, cond string) ([]string, error) {
	rows, err := t.Query(ctx, `SELECT attname FROM pg_attribute
WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND `+cond+` ORDER BY attnum`, ident(table))
	var cols []string
	if err == nil {
		cols, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return nil, fmt.Errorf("describe table %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("table %s: %w", table, decant.ErrNotFound)
	}
	return cols, nil
}

func quoteAll(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}
