package plan

import (
	"fmt"
	"net/url"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// LiveExprVars are the variables the live: time expression sees.
var LiveExprVars = []string{"record", "key", "scope", "step"}

// DefaultHookTimeout is how long a hook may run when its timeout is not set.
const DefaultHookTimeout = time.Minute

// Live is the plan's live: section, read by `decant migrate --live`: a
// record changed less than Lag ago is left for a later round, since the
// legacy application may still be writing it.
type Live struct {
	// Lag is a Go duration ("1h", "15m"); records whose Time is later than
	// now minus Lag wait. Required with Time.
	Lag string `yaml:"lag"`
	// Time is an expression over the record that gives when it last
	// changed: a time, an ISO 8601 string (read in the plan's timezone when
	// it has no offset) or a number of Unix seconds.
	Time *Expr `yaml:"time"`

	// LagDuration and TimeProg are Lag and Time compiled when the plan
	// loads; Zone is the plan's timezone, for times without an offset.
	LagDuration time.Duration      `yaml:"-"`
	TimeProg    *transform.Program `yaml:"-"`
	Zone        *time.Location     `yaml:"-"`
}

// Hooks are the plan's hooks: what decant runs when a scope's lifecycle
// moves, so that the legacy application can fence or release the scope.
type Hooks struct {
	// OnFinish runs before migrate --finish moves the scope to finishing:
	// it should fence the scope's writes in the legacy application.
	OnFinish *Hook `yaml:"on_finish"`
	// OnUnfinish runs before unfinish moves the scope back to live: it
	// should lift the fence.
	OnUnfinish *Hook `yaml:"on_unfinish"`
	// OnCommit runs before commit moves the scope to committed: it should
	// switch the scope over to the new system.
	OnCommit *Hook `yaml:"on_commit"`
}

// Hook is one hook: a command or an HTTP POST, never both.
type Hook struct {
	// Command is a program and its arguments, run without a shell.
	Command StringList `yaml:"command"`
	// URL receives a POST with a JSON body {scope, hook, state}.
	URL string `yaml:"url"`
	// Timeout is a Go duration; default DefaultHookTimeout.
	Timeout string `yaml:"timeout"`

	// Name is the hook's plan key ("on_finish"), set when the plan loads.
	Name string `yaml:"-"`
	// TimeoutDuration is Timeout parsed when the plan loads.
	TimeoutDuration time.Duration `yaml:"-"`
}

// liveAndHooks checks the live: and hooks: sections.
func (c *compiler) liveAndHooks() error {
	if l := c.p.Live; l != nil {
		if l.Lag == "" || l.Time == nil {
			return c.errf("$.live", "live needs both lag (as 1h) and time (an expression giving when the record last changed, as record.modified_on)")
		}
		d, err := time.ParseDuration(l.Lag)
		if err != nil || d < 0 {
			return c.errf("$.live.lag", "live.lag %q is not a duration: write it as 1h, 30m or 90s", l.Lag)
		}
		l.LagDuration, l.Zone = d, c.zone
		if l.TimeProg, err = c.expr("$.live.time", *l.Time, LiveExprVars); err != nil {
			return err
		}
		if usesNow(l.Time.Src) {
			return c.errf("$.live.time", "live.time %q uses now(): give the record's own change time, as record.modified_on; decant compares it with now minus lag", l.Time.Src)
		}
	}
	h := c.p.Hooks
	if h == nil {
		return nil
	}
	for _, hk := range []struct {
		name string
		hook *Hook
	}{{"on_finish", h.OnFinish}, {"on_unfinish", h.OnUnfinish}, {"on_commit", h.OnCommit}} {
		if hk.hook == nil {
			continue
		}
		if err := c.hook("$.hooks."+hk.name, hk.name, hk.hook); err != nil {
			return err
		}
	}
	return nil
}

func (c *compiler) hook(path, name string, h *Hook) error {
	h.Name = name
	switch {
	case len(h.Command) > 0 && h.URL != "":
		return c.errf(path, "hooks.%s sets both command and url: give one", name)
	case len(h.Command) == 0 && h.URL == "":
		return c.errf(path, "hooks.%s has neither command nor url: give a command ([program, args...]) or a url to POST to", name)
	case len(h.Command) > 0 && h.Command[0] == "":
		return c.errf(path+".command", "hooks.%s: the command's program is empty", name)
	}
	if h.URL != "" {
		if msg := passwordProblem(h.URL); msg != "" {
			return c.errf(path+".url", "hooks.%s: %s", name, msg)
		}
		u, err := url.Parse(h.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c.errf(path+".url", "hooks.%s: url %q is not an http:// or https:// URL", name, decant.RedactURL(h.URL))
		}
	}
	h.TimeoutDuration = DefaultHookTimeout
	if h.Timeout != "" {
		d, err := time.ParseDuration(h.Timeout)
		if err != nil || d <= 0 {
			return c.errf(path+".timeout", "hooks.%s: timeout %q is not a positive duration: write it as 30s or 2m", name, h.Timeout)
		}
		h.TimeoutDuration = d
	}
	return nil
}

// Hook returns the hook named name ("on_finish"), nil when the plan has
// none.
func (p *Plan) Hook(name string) *Hook {
	if p.Hooks == nil {
		return nil
	}
	switch name {
	case "on_finish":
		return p.Hooks.OnFinish
	case "on_unfinish":
		return p.Hooks.OnUnfinish
	case "on_commit":
		return p.Hooks.OnCommit
	}
	panic(fmt.Sprintf("plan: no hook %q", name))
}
