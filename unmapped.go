package decant

import "context"

// UnmappedField is a field of a step's records that reached no column of
// a table, as the state tables keep it.
type UnmappedField struct {
	Table string `json:"table"`
	// Path names the field as a plan would: record.a.b for a member of
	// the record no expression reads, item.x for a member of a child's
	// item, fields.name for an entry of a fields map that has no column
	// of its snake_case name.
	Path string `json:"path"`
	// Records counts the records that carried it with a value (not null,
	// not an empty string), since the step began or was last reset; a
	// record written again counts again.
	Records int64 `json:"records"`
	// Example is a value it had, as JSON, cut to about 120 bytes.
	Example string `json:"example"`
}

// UnmappedReader is the role of a Store that reports the fields of a
// step's records that reached no column (Batch.Unmapped, kept since state
// version 10).
type UnmappedReader interface {
	// UnmappedFields returns what the state tables keep of scope's step,
	// ordered by table and path; none when decant has not written there
	// yet or the state tables are older than version 10 (it creates no
	// table).
	UnmappedFields(ctx context.Context, scope, step string) ([]UnmappedField, error)
}

// MetadataFielder is an optional method of a source's options type
// (plan.From.Options): the members every record of the source carries for
// the source's own use, such as CouchDB's _rev, as paths (a.b); a last
// name ending in * stands for every name that starts with the rest
// (@xmlns* for an XML element's namespace declarations). The report of
// fields that reach no column leaves them out, as it leaves out the
// step's key and cursor.
type MetadataFielder interface {
	MetadataFields() []string
}
