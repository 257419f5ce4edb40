package transform

import (
	"fmt"
	"sort"

	"github.com/decanthq/decant"
)

// Check compares a spec with the target tables (name -> columns; a missing
// name means the table does not exist) and returns every problem found:
// missing tables, mapped columns the tables lack, and column types that
// cannot hold the plan's coercion. It writes nothing; `decant check` and the
// start of every run use it so that no batch is written for a plan that
// cannot succeed.
func Check(spec Spec, tables map[string][]decant.Column) []string {
	var probs []string
	for _, t := range spec.To.All() {
		probs = append(probs, checkTable(t, tables, namesOf(spec.Map), spec.Key, spec.Columns)...)
	}
	for _, c := range spec.Children {
		for _, t := range c.To.All() {
			probs = append(probs, checkTable(t, tables, namesOf(c.Map), []string{c.ParentKey}, c.Columns)...)
		}
	}
	probs = append(probs, checkOnDelete(spec, tables)...)
	return probs
}

func namesOf(ns []Named) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Name
	}
	return out
}

func checkTable(table string, tables map[string][]decant.Column, mapped, key []string, coerc map[string]Coercion) []string {
	cols, ok := tables[table]
	if !ok {
		return []string{fmt.Sprintf("table %s does not exist in the target", table)}
	}
	byName := map[string]decant.Column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	var probs []string
	missing := func(what, col string) {
		probs = append(probs, fmt.Sprintf("table %s has no column %s (%s)", table, col, what))
	}
	for _, c := range mapped {
		if _, ok := byName[c]; !ok {
			missing("mapped", c)
		}
	}
	for _, c := range key {
		if _, ok := byName[c]; !ok {
			missing("key", c)
		}
	}
	names := make([]string, 0, len(coerc))
	for n := range coerc {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		col, ok := byName[n]
		if !ok {
			missing("in columns", n)
			continue
		}
		if k := coerc[n].Kind; k != "" && !Compatible(k, col.Kind) {
			probs = append(probs, fmt.Sprintf("table %s column %s is %s, which cannot hold the plan's type %s", table, n, col.DBType, k))
		}
	}
	return probs
}

// Compatible reports whether a column of kind dbKind can hold values coerced
// to planKind.
func Compatible(planKind, dbKind string) bool {
	if planKind == dbKind || dbKind == decant.KindText {
		return true
	}
	switch dbKind {
	case decant.KindFloat, decant.KindDecimal:
		return planKind == decant.KindInt || planKind == decant.KindFloat || planKind == decant.KindDecimal
	case decant.KindTimestamp:
		return planKind == decant.KindDate
	case decant.KindJSON:
		return true
	}
	return false
}
