package transform

import (
	"fmt"

	"github.com/decanthq/decant"
)

// A verify that compares keys alone (--missing-only) needs of each record
// only its key: MapKey maps the key columns and nothing else. When every
// key column is a member chain of record (record.id), it reads them from
// the record's JSON text without decoding the rest into maps, which is
// most of what mapping a record costs.

// keyPlan is how MapKey finds a step's key columns; it is the same for a
// mapper and its clones.
type keyPlan struct {
	// cols holds, per key column (Spec.Key order), the map entry that sets
	// it; whole is set when one is not in map (fields gives it), and
	// MapKey then maps the whole record.
	cols  []*Named
	whole bool
	// order lists the key columns' indexes in map order, the order in
	// which Map coerces them, so the first failure is the same.
	order []int
	// fast is set when the key columns can be read from the JSON text: each
	// is record.NAME(.NAME...), the step has a fixed table, and no let is
	// named record. firsts are the distinct first member names; first[i]
	// is key column i's index in firsts.
	fast   bool
	firsts []string
	first  []int
	// text, when set, marks the firsts whose object or array value Map
	// keeps as its JSON text (Mapper.KeepJSONText); nil for MapKey.
	text []bool
	// canonJSON, for Map's plan, marks the firsts whose object or array
	// value MapCanonical takes as its canonical JSON: those of a single
	// entry, record.NAME, into a JSON column.
	canonJSON []bool
}

func newKeyPlan(spec Spec) *keyPlan {
	kp := &keyPlan{cols: make([]*Named, len(spec.Key)), first: make([]int, len(spec.Key))}
	for i, k := range spec.Key {
		for j := range spec.Map {
			if spec.Map[j].Name == k {
				kp.cols[i] = &spec.Map[j]
			}
		}
		kp.whole = kp.whole || kp.cols[i] == nil
	}
	for _, n := range spec.Map {
		for i, k := range spec.Key {
			if n.Name == k {
				kp.order = append(kp.order, i)
			}
		}
	}
	kp.fast = !kp.whole && spec.To.By == nil
	for _, l := range spec.Let {
		kp.fast = kp.fast && l.Name != "record"
	}
	for i, c := range kp.cols {
		if !kp.fast {
			break
		}
		path := c.Prog.path
		if len(path) < 2 || path[0] != "record" {
			kp.fast = false
			break
		}
		kp.first[i] = indexOrAppend(&kp.firsts, path[1])
	}
	return kp
}

func indexOrAppend(list *[]string, s string) int {
	for i, x := range *list {
		if x == s {
			return i
		}
	}
	*list = append(*list, s)
	return len(*list) - 1
}

// MapKey maps the key columns of one record and nothing else: a record
// fails when it cannot be read, has no key, its lets or route fail, or a
// key column fails to compute, to coerce, or maps to null, with the same
// failure Map gives then. Its other columns and its children are not
// evaluated, so a record whose other columns no longer map still gives its
// key. The output has one row, of the key columns, and no child rows; when
// a fields mapping gives a key column, it is Map's output.
func (m *Mapper) MapKey(rec decant.Record, scope string) (Output, *Failure) {
	if rec.Invalid != "" {
		return Output{}, invalidFailure(rec)
	}
	if m.keys.fast && rec.Doc == nil && rec.Key != "" {
		if vals, ok := m.readTopChains(rec.Raw, m.keys); ok {
			return m.keyOutput(rec, m.spec.To.Table, vals)
		}
	}
	value, err := RecordValue(rec)
	if err != nil {
		return Output{}, decodeFailure(rec.Where, err)
	}
	if m.keys.whole {
		return m.MapValue(rec, value, scope)
	}
	return m.mapKeyValue(rec, value, scope)
}

// mapKeyValue evaluates what the key columns may use (the lets, the
// route) and the key columns, as MapValue does.
func (m *Mapper) mapKeyValue(rec decant.Record, value any, scope string) (Output, *Failure) {
	table, f := m.begin(rec, value, scope)
	if f != nil {
		return Output{}, f
	}
	vals := make([]any, len(m.spec.Key))
	for _, i := range m.keys.order {
		c := m.keys.cols[i]
		v, err := m.env.Eval(c.Prog)
		if err != nil {
			return Output{}, evalFailure("cannot compute column "+c.Name, fmt.Sprintf("table %s, column %s = %s", table, c.Name, c.Prog.Source), err)
		}
		vals[i] = v
	}
	return m.keyOutput(rec, table, vals)
}

// keyOutput coerces the key values (Spec.Key order) as Map does and
// returns the row of the key columns.
func (m *Mapper) keyOutput(rec decant.Record, table string, vals []any) (Output, *Failure) {
	ti := m.tables[table]
	// Cols is the spec's slice, capped so that an append copies it.
	row := Row{Table: table, Cols: m.spec.Key[:len(m.spec.Key):len(m.spec.Key)], Vals: make([]any, len(vals))}
	for _, i := range m.keys.order {
		col := m.spec.Key[i]
		cv, err := ti.coerc[col].Apply(col, vals[i])
		if err != nil {
			return Output{}, &Failure{"invalid value for " + col, fmt.Sprintf("table %s: %v", table, err)}
		}
		row.Vals[i] = cv
	}
	for i, k := range m.spec.Key {
		if row.Vals[i] == nil {
			return Output{}, &Failure{"key column " + k + " is empty", fmt.Sprintf("%s: table %s: key column %s mapped to null", rec.Where, table, k)}
		}
	}
	return Output{Rows: []Row{row}, ParentKey: row.Vals[0]}, nil
}

// walkChains returns the values of kp's columns, given got, the values
// of the members their chains start with, in dst when it has room; false
// when a chain goes through a value that is not an object.
func walkChains(kp *keyPlan, got, dst []any) ([]any, bool) {
	vals := dst[:0]
	if cap(vals) < len(kp.cols) {
		vals = make([]any, len(kp.cols))
	} else {
		vals = vals[:len(kp.cols)]
	}
	for i, c := range kp.cols {
		v := got[kp.first[i]]
		for _, name := range c.Prog.path[2:] {
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			v = obj[name]
		}
		vals[i] = v
	}
	return vals, true
}
