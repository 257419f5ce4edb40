package engine

import "context"

// WithAfterExpect sets the hook a verify runs after a step's source is
// read and before its tables are compared, where a test's live migration
// writes.
func WithAfterExpect(o VerifyOptions, hook func(ctx context.Context, step string) error) VerifyOptions {
	o.afterExpect = hook
	return o
}

// WithStream sets how a verify bets on its source's order (see stream):
// off makes no bet, findings bounds what a stream holds (0: the
// default), settled hears how each bet ended.
func WithStream(o VerifyOptions, off bool, findings int, settled func(table string, won, reread bool)) VerifyOptions {
	o.noStream, o.streamFindings, o.settled = off, findings, settled
	return o
}
