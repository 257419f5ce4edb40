package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/decanthq/decant"
)

var _ decant.Patcher = (*Store)(nil)

// A patch's rows are kept as SQLite stores them: each value with its
// storage class, so that a revert writes back the same class and bytes
// (an integer stays an integer, a real keeps every bit, text that is not
// UTF-8 keeps its bytes). In the JSON of an image a value is
//
//	null                       NULL
//	7                          an integer
//	{"real": "1.5"}            a real, as strconv.FormatFloat(f, 'g', -1, 64)
//	"text"                     text that is valid UTF-8
//	{"text_hex": "6bff"}       text that is not
//	{"blob_hex": "0001"}       a blob
//
// A record's key values are kept the same way, in the form the store wrote
// them (times as text, booleans as 0 or 1).

// patchTable is what decant_patches.tables keeps of one table of a patch.
type patchTable struct {
	Table string            `json:"table"`
	By    []string          `json:"by"`
	Key   []json.RawMessage `json:"key"`
	Child bool              `json:"child"`
}

// imageTable is one table's rows in a patch's before or after image.
type imageTable struct {
	Table string                       `json:"table"`
	Rows  []map[string]json.RawMessage `json:"rows"`
}

// ApplyPatch writes p's rows over the record's and stores the patch, in one
// transaction.
func (s *Store) ApplyPatch(ctx context.Context, p *decant.Patch) error {
	dtx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	t := dtx.(*tx)
	defer t.Rollback(ctx)
	if err := s.applyPatch(ctx, t, p); err != nil {
		for _, pt := range p.Tables {
			s.forget(pt.Table)
		}
		return fmt.Errorf("sqlite: patch %s/%s key %q: %w", p.Scope, p.Step, p.Key, err)
	}
	if err := t.Commit(ctx); err != nil {
		return fmt.Errorf("sqlite: patch %s/%s key %q: commit: %w", p.Scope, p.Step, p.Key, err)
	}
	return nil
}

func (s *Store) applyPatch(ctx context.Context, t *tx, p *decant.Patch) error {
	kts, err := s.patchTables(ctx, t, p)
	if err != nil {
		return err
	}
	findings, err := json.Marshal(p.Findings)
	if err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	uniq := uniqueTables(kts)
	before, err := s.recordImage(ctx, t, uniq)
	if err != nil {
		return err
	}
	if err := s.setRecordRows(ctx, t, p.Tables, kts); err != nil {
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
	now := time.Now()
	res, err := t.ExecContext(ctx, `INSERT INTO decant_patches (scope, step, key, findings, reason, tables, before, after, patched_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Scope, p.Step, p.Key, string(findings), p.Reason, string(stored), before, after, stamp(now))
	if err != nil {
		return translate("store the patch", err)
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	p.PatchedAt = parseStamp(stamp(now))
	p.Before, p.After = json.RawMessage(before), json.RawMessage(after)
	return nil
}

// patchTables checks p's tables and renders each one's key values as the
// store writes them.
func (s *Store) patchTables(ctx context.Context, t *tx, p *decant.Patch) ([]patchTable, error) {
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
		tbl, err := s.table(ctx, t, pt.Table)
		if err != nil {
			return nil, err
		}
		kt := patchTable{Table: pt.Table, By: pt.By, Child: pt.Child}
		for j, c := range pt.By {
			v, err := value(tbl.kind[c], pt.Key[j])
			if err != nil {
				return nil, fmt.Errorf("table %s: key column %s: %w", pt.Table, c, err)
			}
			raw, err := storedJSON(v)
			if err != nil {
				return nil, fmt.Errorf("table %s: key column %s: %w", pt.Table, c, err)
			}
			kt.Key = append(kt.Key, raw)
		}
		out[i] = kt
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

// recordWhere selects the record's rows by its key values.
func recordWhere(kt patchTable) (string, []any, error) {
	conds := make([]string, len(kt.By))
	args := make([]any, len(kt.By))
	for i, c := range kt.By {
		conds[i] = quote(c) + " = ?"
		v, err := fromStoredJSON(kt.Key[i])
		if err != nil {
			return "", nil, fmt.Errorf("table %s: key column %s: %w", kt.Table, c, err)
		}
		args[i] = v
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

func (s *Store) deleteRecordRows(ctx context.Context, t *tx, kt patchTable) error {
	where, args, err := recordWhere(kt)
	if err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, "DELETE FROM "+ident(kt.Table)+where, args...); err != nil {
		return translate("delete the record's rows of "+kt.Table, err)
	}
	return nil
}

// recordImage renders the record's rows of each table, each table's rows
// sorted by their text, so that two images of the same rows are the same
// text.
func (s *Store) recordImage(ctx context.Context, t *tx, kts []patchTable) (string, error) {
	image := make([]json.RawMessage, len(kts))
	for i, kt := range kts {
		rows, err := s.recordRows(ctx, t, kt)
		if err != nil {
			return "", err
		}
		name, _ := json.Marshal(kt.Table)
		image[i] = json.RawMessage(`{"table":` + string(name) + `,"rows":[` + strings.Join(rows, ",") + `]}`)
	}
	b, err := json.Marshal(image)
	return string(b), err
}

// recordRows returns the record's rows of one table, each as a JSON
// object of its stored values, sorted.
func (s *Store) recordRows(ctx context.Context, t *tx, kt patchTable) ([]string, error) {
	s.forget(kt.Table) // describe it afresh: the image must hold every column
	tbl, err := s.table(ctx, t, kt.Table)
	if err != nil {
		return nil, err
	}
	where, args, err := recordWhere(kt)
	if err != nil {
		return nil, err
	}
	sel := make([]string, len(tbl.columns))
	for i, c := range tbl.columns {
		q := quote(c.Name)
		sel[i] = fmt.Sprintf("typeof(%s), CASE WHEN typeof(%s) IN ('text', 'blob') THEN hex(%s) ELSE %s END", q, q, q, q)
	}
	rows, err := t.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+tbl.ident+where, args...)
	if err != nil {
		return nil, translate("read the record's rows of "+kt.Table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		row, err := scanStored(rows, tbl.columns)
		if err != nil {
			return nil, fmt.Errorf("read the record's rows of %s: %w", kt.Table, err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the record's rows of %s: %w", kt.Table, err)
	}
	slices.Sort(out)
	return out, nil
}

// scanStored reads one row of typeof/value pairs into a JSON object.
func scanStored(rows *sql.Rows, cols []decant.Column) (string, error) {
	dest := make([]any, 2*len(cols))
	types := make([]string, len(cols))
	vals := make([]any, len(cols))
	for i := range cols {
		dest[2*i], dest[2*i+1] = &types[i], &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return "", err
	}
	obj := make(map[string]json.RawMessage, len(cols))
	for i, c := range cols {
		v, err := storedValue(types[i], vals[i])
		if err != nil {
			return "", fmt.Errorf("column %s: %w", c.Name, err)
		}
		if obj[c.Name], err = storedJSON(v); err != nil {
			return "", fmt.Errorf("column %s: %w", c.Name, err)
		}
	}
	b, err := json.Marshal(obj) // keys sorted: one text per row
	return string(b), err
}

// storedValue turns a typeof/value pair back into the value SQLite holds.
func storedValue(typ string, v any) (any, error) {
	switch typ {
	case "null":
		return nil, nil
	case "integer", "real":
		return v, nil
	case "text", "blob":
		h, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("hex of a %s is a %T", typ, v)
		}
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, err
		}
		if typ == "text" {
			return string(b), nil
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown storage class %q", typ)
}

// storedJSON renders a stored value in an image's notation.
func storedJSON(v any) (json.RawMessage, error) {
	switch v := v.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case int64:
		return json.RawMessage(strconv.FormatInt(v, 10)), nil
	case float64:
		return json.Marshal(map[string]string{"real": strconv.FormatFloat(v, 'g', -1, 64)})
	case string:
		if !utf8.ValidString(v) {
			return json.Marshal(map[string]string{"text_hex": hex.EncodeToString([]byte(v))})
		}
		return json.Marshal(v)
	case []byte:
		return json.Marshal(map[string]string{"blob_hex": hex.EncodeToString(v)})
	}
	return nil, fmt.Errorf("value of type %T cannot be kept", v)
}

// fromStoredJSON reads a value of an image back into what the driver binds.
func fromStoredJSON(raw json.RawMessage) (any, error) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "null":
		return nil, nil
	case strings.HasPrefix(s, `"`):
		var str string
		err := json.Unmarshal(raw, &str)
		return str, err
	case strings.HasPrefix(s, "{"):
		var obj map[string]string
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, err
		}
		if r, ok := obj["real"]; ok {
			return strconv.ParseFloat(r, 64)
		}
		if h, ok := obj["text_hex"]; ok {
			b, err := hex.DecodeString(h)
			return string(b), err
		}
		if h, ok := obj["blob_hex"]; ok {
			return hex.DecodeString(h)
		}
		return nil, fmt.Errorf("unknown stored value %s", s)
	}
	return strconv.ParseInt(s, 10, 64)
}

const patchColumns = `id, scope, step, key, findings, reason, tables, before, after, patched_at, reverted_at, revert_reason,
    reverted_at IS NULL AND EXISTS (SELECT 1 FROM decant_diffs d WHERE d.scope = p.scope AND d.step = p.step
        AND d.key = p.key AND d.kind IN ('diff', 'missing', 'extra', 'duplicate') AND d.found_at > p.patched_at)`

// Patches lists stored patches, newest first. A patch is still different
// when a verify after it found its record different again.
func (s *Store) Patches(ctx context.Context, f decant.PatchFilter) ([]decant.Patch, error) {
	v, err := s.stateVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list patches: read the state version: %w", err)
	}
	if v < 5 {
		return nil, nil
	}
	var where []string
	var args []any
	for _, c := range []struct {
		cond string
		set  bool
		v    any
	}{{"scope = ?", f.Scope != "", f.Scope}, {"step = ?", f.Step != "", f.Step},
		{"key = ?", f.Key != "", f.Key}, {"id = ?", f.ID != 0, f.ID}} {
		if c.set {
			where, args = append(where, c.cond), append(args, c.v)
		}
	}
	q := "SELECT " + patchColumns + " FROM decant_patches p"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list patches: %w", err)
	}
	defer rows.Close()
	var out []decant.Patch
	for rows.Next() {
		p, _, err := scanPatch(rows, true)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list patches: %w", err)
		}
		out = append(out, *p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list patches: %w", err)
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

// scanPatch reads a patch row; still says the row has the still
// different column last.
func scanPatch(r scanner, still bool) (*decant.Patch, []patchTable, error) {
	var p decant.Patch
	var findings, tables, before, after, patched string
	var reverted sql.NullString
	dest := []any{&p.ID, &p.Scope, &p.Step, &p.Key, &findings, &p.Reason, &tables, &before, &after, &patched, &reverted, &p.RevertReason}
	if still {
		dest = append(dest, &p.StillDifferent)
	}
	if err := r.Scan(dest...); err != nil {
		return nil, nil, err
	}
	p.PatchedAt = parseStamp(patched)
	if reverted.Valid {
		at := parseStamp(reverted.String)
		p.RevertedAt = &at
	}
	if err := json.Unmarshal([]byte(findings), &p.Findings); err != nil {
		return nil, nil, fmt.Errorf("patch %d: findings: %w", p.ID, err)
	}
	var kts []patchTable
	if err := json.Unmarshal([]byte(tables), &kts); err != nil {
		return nil, nil, fmt.Errorf("patch %d: tables: %w", p.ID, err)
	}
	for _, kt := range kts {
		pt := decant.PatchTable{Table: kt.Table, By: kt.By, Child: kt.Child}
		for _, raw := range kt.Key {
			v, err := fromStoredJSON(raw)
			if err != nil {
				return nil, nil, fmt.Errorf("patch %d: key of %s: %w", p.ID, kt.Table, err)
			}
			pt.Key = append(pt.Key, v)
		}
		p.Tables = append(p.Tables, pt)
	}
	p.Before, p.After = json.RawMessage(before), json.RawMessage(after)
	return &p, kts, nil
}

// RevertPatch puts the rows before patch id back and marks it reverted.
// The transaction holds SQLite's write lock from its start, so two reverts
// of one patch take turns and the second is refused.
func (s *Store) RevertPatch(ctx context.Context, id int64, opts decant.RevertOptions) (*decant.Patch, error) {
	dtx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	t := dtx.(*tx)
	defer t.Rollback(ctx)
	p, err := s.revert(ctx, t, id, opts)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY constraint failed") {
			err = fmt.Errorf("%w: rows of another table refer to the rows the revert would delete; it cannot leave them pointing at nothing", err)
		}
		return nil, fmt.Errorf("sqlite: revert patch %d: %w", id, err)
	}
	if err := t.Commit(ctx); err != nil {
		return nil, fmt.Errorf("sqlite: revert patch %d: commit: %w", id, err)
	}
	return p, nil
}

func (s *Store) revert(ctx context.Context, t *tx, id int64, opts decant.RevertOptions) (*decant.Patch, error) {
	row := t.QueryRowContext(ctx, `SELECT id, scope, step, key, findings, reason, tables, before, after, patched_at, reverted_at, revert_reason
FROM decant_patches WHERE id = ?`, id)
	p, kts, err := scanPatch(row, false)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no patch %d: %w (decant patch list shows the patches)", id, decant.ErrNotFound)
	}
	if err != nil {
		return nil, translate("read the patch", err)
	}
	if p.RevertedAt != nil {
		return nil, fmt.Errorf("%w at %s (%s)", decant.ErrPatchReverted, p.RevertedAt.UTC().Format(time.RFC3339), p.RevertReason)
	}
	var newer int64
	err = t.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM decant_patches
WHERE scope = ? AND step = ? AND key = ? AND id > ? AND reverted_at IS NULL`, p.Scope, p.Step, p.Key, id).Scan(&newer)
	if err != nil {
		return nil, translate("read the patches", err)
	}
	if newer != 0 {
		return nil, fmt.Errorf("%s/%s key %q: patch %d: %w", p.Scope, p.Step, p.Key, newer, decant.ErrPatchNewer)
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
	at := time.Now()
	if _, err := t.ExecContext(ctx, "UPDATE decant_patches SET reverted_at = ?, revert_reason = ? WHERE id = ?",
		stamp(at), opts.Reason, id); err != nil {
		return nil, translate("mark the patch reverted", err)
	}
	at = parseStamp(stamp(at))
	p.RevertedAt, p.RevertReason = &at, opts.Reason
	return p, nil
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
	for i, kt := range kts {
		if i >= len(tables) || tables[i].Table != kt.Table {
			return fmt.Errorf("the rows before the patch do not name table %s", kt.Table)
		}
	}
	for i := len(kts) - 1; i >= 0; i-- {
		if kts[i].Child || len(tables[i].Rows) == 0 {
			if err := s.deleteRecordRows(ctx, t, kts[i]); err != nil {
				return err
			}
		}
	}
	for i, kt := range kts {
		if len(tables[i].Rows) == 0 {
			continue
		}
		if !kt.Child {
			updated, err := updateStored(ctx, t, kt, tables[i].Rows[0])
			if err != nil {
				return err
			}
			if updated {
				continue
			}
		}
		for _, row := range tables[i].Rows {
			if err := insertStored(ctx, t, kt.Table, row); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateStored writes row over the record's parent row, every column but
// the key; false when there is no row.
func updateStored(ctx context.Context, t *tx, kt patchTable, row map[string]json.RawMessage) (bool, error) {
	where, keyArgs, err := recordWhere(kt)
	if err != nil {
		return false, err
	}
	var set []string
	var args []any
	for _, c := range sortedColumns(row) {
		if slices.Contains(kt.By, c) {
			continue
		}
		v, err := fromStoredJSON(row[c])
		if err != nil {
			return false, fmt.Errorf("put back the row of %s: column %s: %w", kt.Table, c, err)
		}
		set, args = append(set, quote(c)+" = ?"), append(args, v)
	}
	if len(set) == 0 {
		return true, nil // nothing but the key, which is there
	}
	res, err := t.ExecContext(ctx, "UPDATE "+ident(kt.Table)+" SET "+strings.Join(set, ", ")+where, append(args, keyArgs...)...)
	if err != nil {
		return false, translate("put back the row of "+kt.Table, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func sortedColumns(row map[string]json.RawMessage) []string {
	cols := make([]string, 0, len(row))
	for c := range row {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	return cols
}

func insertStored(ctx context.Context, t *tx, table string, row map[string]json.RawMessage) error {
	cols := sortedColumns(row)
	args := make([]any, len(cols))
	for i, c := range cols {
		v, err := fromStoredJSON(row[c])
		if err != nil {
			return fmt.Errorf("put back a row of %s: column %s: %w", table, c, err)
		}
		args[i] = v
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", ident(table), columnList(cols), placeholders(len(cols)))
	if _, err := t.ExecContext(ctx, q, args...); err != nil {
		return translate("put back a row of "+table, err)
	}
	return nil
}
