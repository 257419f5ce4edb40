package postgres

import "github.com/jackc/pgx/v5/pgtype"

// textArray is a text[] parameter that pgx encodes without an allocation
// an element. pgx encodes a []string as pgtype.FlatArray[string], whose
// Index returns each string in an interface, a copy of its header on the
// heap: 5,000 of them for each of a batch's ledger arrays, about 1.3
// allocations a record in a migration. textArray's Index returns a
// pointer into the slice instead, which an interface holds as it is, of a
// type that gives its text as a pgtype.TextValuer, which pgx's text codec
// writes straight from it (a plain *string would be dereferenced, and
// boxed again, by pgx).
type textArray []string

// arrayText is a text[] element, encoded through TextValue.
type arrayText string

// TextValue returns the element's text.
func (t *arrayText) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: string(*t), Valid: true}, nil
}

// Dimensions is pgtype.FlatArray's: nil (NULL) for a nil slice.
func (a textArray) Dimensions() []pgtype.ArrayDimension {
	if a == nil {
		return nil
	}
	return []pgtype.ArrayDimension{{Length: int32(len(a)), LowerBound: 1}}
}

// Index returns element i as a pointer, which needs no allocation.
func (a textArray) Index(i int) any { return (*arrayText)(&a[i]) }

// IndexType is the type of Index's elements, which pgx plans for.
func (a textArray) IndexType() any { return (*arrayText)(nil) }
