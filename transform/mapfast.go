package transform

import (
	"fmt"

	"github.com/decanthq/decant"
)

// Most steps map member chains of the record and nothing else
// (name: record.name), and mapping them is mostly decoding the whole
// record into maps. Map reads such a step's values from the record's JSON
// text instead, as MapKey reads key columns: the text is read with every
// check DecodeJSON makes, but only the members the chains start with are
// decoded. Anything unusual (invalid JSON, a duplicate name, a chain
// through a value that is not an object) sends the record down the
// decoding path, whose values and failures are then the same by
// construction.

// newMapPlan returns how Map reads a step's columns from the JSON text:
// a plan whose fast is set when every map entry is record.NAME(.NAME...)
// and nothing else can see the record or fail (no let, no fields, no
// children, a fixed table). Its cols are the map's entries, in order.
func newMapPlan(spec Spec) *keyPlan {
	mp := &keyPlan{cols: make([]*Named, len(spec.Map)), first: make([]int, len(spec.Map))}
	mp.fast = spec.To.By == nil && len(spec.Let) == 0 && spec.Fields == nil && len(spec.Children) == 0
	for i := range spec.Map {
		mp.cols[i] = &spec.Map[i]
		path := spec.Map[i].Prog.path
		if !mp.fast || len(path) < 2 || path[0] != "record" {
			mp.fast = false
			continue
		}
		mp.first[i] = indexOrAppend(&mp.firsts, path[1])
	}
	return mp
}

// mapRead is MapValue of a step whose plan is fast, given the values of
// its map entries (in map order) read from the record's text: it coerces
// each in turn and checks the key as MapValue does.
func (m *Mapper) mapRead(rec decant.Record, vals []any) (Output, *Failure) {
	table := m.spec.To.Table
	coercs := m.mapCoerc[table]
	row := Row{Table: table, Cols: m.mapNames[:0:0], Vals: make([]any, 0, len(vals))}
	for i, v := range vals {
		cv, f := coerce(table, &coercs[i], m.mapNames[i], v)
		if f != nil {
			return Output{}, f
		}
		row.Vals = append(row.Vals, cv)
	}
	// Capped, as row leaves them, so that an append copies them.
	row.Cols = m.mapNames[:len(vals):len(vals)]
	m.unmark(&row)
	out := Output{Rows: []Row{row}}
	for i, k := range m.spec.Key {
		v := valueOf(row, k)
		if v == nil {
			return Output{}, &Failure{"key column " + k + " is empty", fmt.Sprintf("%s: table %s: key column %s mapped to null", rec.Where, table, k)}
		}
		if i == 0 {
			out.ParentKey = v
		}
	}
	return out, nil
}
