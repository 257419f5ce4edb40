package decant

// OptionError is a source option whose value a source refuses. Option is
// the option's key as a plan writes it under from (page_size), so that the
// plan loader can point at the value in the plan file; a source's options
// type returns it from its Validate method (see package plan, SourceKinds).
type OptionError struct {
	Option string
	Err    error
}

func (e *OptionError) Error() string { return e.Option + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *OptionError) Unwrap() error { return e.Err }
