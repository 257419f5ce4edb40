package engine

import (
	"regexp"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/jsonkey"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// lagGate holds back, in a live round, the records the legacy application
// changed less than the plan's live.lag ago: the first such record ends the
// step's read, so that it and every record after it wait for a later round
// and the checkpoint stays before it. It runs in the reader's goroutine.
//
// It holds only records read in change order (decant.Record.Change): there,
// every record after a recent one is recent too, and what waits is only
// what the window is for. A read in key or file order (a CouchDB bulk
// phase, a file) finds recent records anywhere: holding the first would
// hold back all that follows, however old, for as long as that one record
// stays recent, and a busy source would never get past it. Such a record is
// migrated as it is; its next change is read as any change is (CouchDB's
// changes phase, a record appended to a file), and the finish drains what
// is left with the fence up.
type lagGate struct {
	live        *plan.Live
	cutoff      time.Time
	env         *transform.Env
	scope, step string
	// held is the key of the record that ended the read, "" when none did.
	held string
	// path, for a live.time that is a plain member chain (record.a.b), is
	// its gjson path: the gate then reads that one value out of a JSON
	// record instead of decoding the whole record in the reader's one
	// goroutine (BenchmarkLagGate).
	path string
}

// memberChain matches a live.time that names one field: record.a.b.
var memberChain = regexp.MustCompile(`^record(\.[A-Za-z_][A-Za-z0-9_]*)+$`)

// newLagGate returns the gate of one step's read in a live round, nil
// when the run holds nothing back (not live, or no live: in the plan).
func newLagGate(cfg Config, step string) *lagGate {
	if cfg.Mode != ModeLive || cfg.Plan.Live == nil || cfg.Plan.Live.TimeProg == nil {
		return nil
	}
	g := &lagGate{live: cfg.Plan.Live, cutoff: cfg.now().Add(-cfg.Plan.Live.LagDuration),
		env: transform.NewEnv(), scope: cfg.Scope, step: step}
	if src := strings.TrimSpace(cfg.Plan.Live.TimeProg.Source); memberChain.MatchString(src) {
		g.path = strings.TrimPrefix(src, "record.")
	}
	return g
}

// holds reports whether rec, read in change order, changed after the
// cutoff, and remembers its key when it did. A record not in change order
// is never held, nor one whose time is nil or cannot be read: either would
// otherwise hold back the whole step behind it.
func (g *lagGate) holds(rec decant.Record) bool {
	if g == nil || !rec.Change {
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
	if g.path != "" && rec.Doc == nil && rec.Invalid == "" {
		return g.fieldTime(rec.Raw)
	}
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

// fieldTime reads the time at g.path out of a JSON record, as the
// expression would: a string in the ISO forms, or a number of Unix
// seconds.
func (g *lagGate) fieldTime(raw []byte) (time.Time, bool) {
	r := jsonkey.Get(raw, g.path) // the last of a name given twice, as the record decodes
	var v any
	layout := ""
	switch r.Type {
	case gjson.String:
		v = r.Str
	case gjson.Number:
		v, layout = r.Num, "unix"
	default:
		return time.Time{}, false
	}
	t, err := transform.ParseTime(v, layout, g.live.Zone)
	return t, err == nil
}
