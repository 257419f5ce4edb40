package engine

import "context"

// WithAfterExpect sets the hook a verify runs after a step's source is
// read and before its tables are compared, where a test's live migration
// writes.
func WithAfterExpect(o VerifyOptions, hook func(ctx context.Context, step string) error) VerifyOptions {
	o.afterExpect = hook
	return o
}
