package engine

import (
	"cmp"
	"slices"
	"strings"

	"github.com/decanthq/decant"
)

// unmappedCounts counts, per table and field path, the records of b in
// [lo, hi) written without failing (the target's refusals included) that
// carried a field that reached no column. Every record counts, a key's
// earlier records in the batch too, so that the counts do not depend on
// how records fall into batches.
func unmappedCounts(b *mappedBatch, lo, hi int) []decant.UnmappedField {
	var out []decant.UnmappedField
	for i := lo; i < hi; i++ {
		if b.fails[i] != nil || b.recs[i].Deleted {
			continue
		}
		for _, f := range b.outs[i].Unmapped {
			out = addUnmapped(out, decant.UnmappedField{Table: f.Table, Path: f.Path, Records: 1, Example: f.Example})
		}
	}
	return out
}

// addUnmapped adds f to the counts in list, kept ordered by table and
// path: its records to an entry of the same field, whose example a null
// one gives way to f's.
func addUnmapped(list []decant.UnmappedField, f decant.UnmappedField) []decant.UnmappedField {
	i, found := slices.BinarySearchFunc(list, f, compareUnmapped)
	if !found {
		return slices.Insert(list, i, f)
	}
	list[i].Records += f.Records
	if list[i].Example == "null" {
		list[i].Example = f.Example
	}
	return list
}

// mergeUnmapped adds every count of src to dst.
func mergeUnmapped(dst, src []decant.UnmappedField) []decant.UnmappedField {
	for _, f := range src {
		dst = addUnmapped(dst, f)
	}
	return dst
}

func compareUnmapped(a, b decant.UnmappedField) int {
	return cmp.Or(strings.Compare(a.Table, b.Table), strings.Compare(a.Path, b.Path))
}
