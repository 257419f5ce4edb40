package decant

// A RowDocument is a Document that is a row of text fields named by a
// header (a CSV row): its Value is an object of one string member per
// column. The engine maps and hashes such a row from its fields, without
// building that object: building it, and writing it again as JSON for the
// source hash, was a third of a CSV load's CPU.
type RowDocument interface {
	Document
	// Columns names the fields. Every row of one read returns the same
	// slice (the header's), which nothing changes, so that what a reader
	// of the rows works out from the names (their order, the field a map
	// entry reads) is worked out once for the read, not once a row.
	Columns() []string
	// Fields are the row's values, in the order of Columns; callers do not
	// modify them.
	Fields() []string
}
