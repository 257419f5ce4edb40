package sqlite

// KindOf maps a declared column type to its decant kind, as [Store.Columns]
// would report the column once created (SQLite's affinity rules, and the
// conventional names of the kinds SQLite has no type for).
func KindOf(declared string) string { return kindOf(declared) }
