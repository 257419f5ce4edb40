package engine

import (
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// lagGate holds back, in a live round, the records the legacy application
// changed less than the plan's live.lag ago: the first such record ends the
// step's read, so that it and every record after it wait for a later round
// and the checkpoint stays before it. It runs in the reader's goroutine.
type lagGate struct {
	live        *plan.Live
	cutoff      time.Time
	env         *transform.Env
	scope, step string
	// held is the key of the record that ended the read, "" when none did.
	held string
}

// newLagGate returns the gate of one step's read in a live round, nil
// when the run holds nothing back (not live, or no live: in the plan).
func newLagGate(cfg Config, step string) *lagGate {
	if cfg.Mode != ModeLive || cfg.Plan.Live == nil || cfg.Plan.Live.TimeProg == nil {
		return nil
	}
	return &lagGate{live: cfg.Plan.Live, cutoff: cfg.now().Add(-cfg.Plan.Live.LagDuration),
		env: transform.NewEnv(), scope: cfg.Scope, step: step}
}

// holds reports whether rec changed after the cutoff, and remembers its
// key when it did. A record whose time is nil or cannot be read is not
// held: it would otherwise hold back the whole step for ever.
func (g *lagGate) holds(rec decant.Record) bool {
	if g == nil {
		return false
	}
	t, ok := g.changed(rec)
	if !ok || !t.After(g.cutoff) {
		return false
	}
	g.held = rec.Key
	return true
}

// changed evaluates live.time on rec.
func (g *lagGate) changed(rec decant.Record) (time.Time, bool) {
	v, err := transform.RecordValue(rec)
	if err != nil {
		return time.Time{}, false
	}
	g.env.Set("record", v)
	g.env.Set("key", rec.Key)
	g.env.Set("scope", g.scope)
	g.env.Set("step", g.step)
	out, err := g.env.Eval(g.live.TimeProg)
	if err != nil || out == nil {
		return time.Time{}, false
	}
	layout := ""
	switch out.(type) {
	case int, int64, float64, uint64, int32:
		layout = "unix"
	}
	t, err := transform.ParseTime(out, layout, g.live.Zone)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
