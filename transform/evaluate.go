package transform

import (
	"cmp"
	"fmt"

	"github.com/decanthq/decant"
)

// Evaluation is what a step's mapping computes for one record (or one
// child item) before the target's columns filter it: the Mapper drops a
// fields entry that has no column, and decant infer, which types the
// columns a step would write, needs every one of them.
type Evaluation struct {
	// RouteValue is the route's value as text; "" for a fixed table.
	RouteValue string
	// Table is the table the route names: the fixed table, or the one the
	// route's Tables give the value; "" when the value is none of them.
	Table string
	// Map is the map's entries, in order, as their expressions gave them
	// (not coerced).
	Map []NamedValue
	// Fields is the value of the fields expression; nil without one.
	Fields map[string]any
	// Children are the step's children, in the order of the plan.
	Children []ChildEvaluation
}

// NamedValue is one evaluated map entry: its column, its value, and the
// expression that gave it.
type NamedValue struct {
	Name   string
	Value  any
	Source string
}

// ChildEvaluation is one children entry evaluated for a record: its
// items, each an Evaluation without children.
type ChildEvaluation struct {
	Name      string
	ParentKey string
	Items     []Evaluation
}

// Evaluate runs spec's lets, route, map, fields and children on one record
// without a target: nothing is coerced, and a route value outside the
// route's tables is no failure (Table is then "", and the expressions see
// the value itself as table). An expression that
// fails is a Failure, as Map would report it. The children see as parent
// the map's values and the fields' entries by snake_case name.
func Evaluate(spec Spec, rec decant.Record, scope string) (Evaluation, *Failure) {
	value, err := RecordValue(rec)
	if err != nil {
		return Evaluation{}, decodeFailure(rec.Where, err)
	}
	e := NewEnv()
	e.Set("record", value)
	e.Set("key", rec.Key)
	e.Set("scope", scope)
	e.Set("step", spec.Step)
	e.Set("table", nil)
	ev, f := evaluateRow(e, spec.To, spec.Let, spec.Map, spec.Fields, true)
	if f != nil {
		return Evaluation{}, f
	}
	parent := map[string]any{}
	for name, v := range ev.Fields {
		parent[Snake(name)] = v
	}
	for _, nv := range ev.Map {
		parent[nv.Name] = nv.Value
	}
	e.Set("parent", parent)
	for _, c := range spec.Children {
		ce, f := evaluateChild(e, c)
		if f != nil {
			return Evaluation{}, f
		}
		ev.Children = append(ev.Children, ce)
	}
	return ev, nil
}

// evaluateRow evaluates the lets, then the route, the map and the fields,
// in e. A record's route sets table; a child item's does not, as in Map,
// where a child's expressions see the parent's table.
func evaluateRow(e *Env, to Route, lets, cols []Named, fields *Program, top bool) (Evaluation, *Failure) {
	if f := evalLets(e, lets); f != nil {
		return Evaluation{}, f
	}
	var ev Evaluation
	if to.By == nil {
		ev.Table = to.Table
	} else {
		v, err := e.Eval(to.By)
		if err != nil {
			return Evaluation{}, evalFailure("cannot compute the route", "route "+to.By.Source, err)
		}
		if v != nil { // null: no value, as Map's "(missing)"
			s, _ := toText(v)
			ev.RouteValue, _ = s.(string)
			ev.Table = to.Tables[ev.RouteValue]
		}
	}
	if top {
		// A value outside the route's tables names a table to be (decant
		// infer's new route), which the children's routes build on.
		e.Set("table", cmp.Or(ev.Table, ev.RouteValue))
	}
	for _, c := range cols {
		v, err := e.Eval(c.Prog)
		if err != nil {
			return Evaluation{}, evalFailure("cannot compute column "+c.Name, fmt.Sprintf("column %s = %s", c.Name, c.Prog.Source), err)
		}
		ev.Map = append(ev.Map, NamedValue{Name: c.Name, Value: v, Source: c.Prog.Source})
	}
	if fields == nil {
		return ev, nil
	}
	fm, f := evalFields(e, fields)
	if f != nil {
		return Evaluation{}, f
	}
	ev.Fields = fm
	return ev, nil
}

// evaluateChild evaluates children entry c for the record set in e.
func evaluateChild(e *Env, c ChildSpec) (ChildEvaluation, *Failure) {
	out := ChildEvaluation{Name: c.Name, ParentKey: c.ParentKey}
	items, f := evalItems(e, c)
	if f != nil {
		return out, f
	}
	for i, item := range items {
		e.Set("item", item)
		e.Set("index", int64(i))
		ev, f := evaluateRow(e, c.To, c.Let, c.Map, c.Fields, false)
		if f != nil {
			return out, &Failure{f.Message, fmt.Sprintf("children %s item %d: %s", c.Name, i, f.Detail)}
		}
		out.Items = append(out.Items, ev)
	}
	return out, nil
}
