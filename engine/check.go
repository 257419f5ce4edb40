package engine

import (
	"context"
	"sort"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// CheckResult is what `decant check` found.
type CheckResult struct {
	Connections []ConnectionCheck `json:"connections"`
	// Migrations is the state of the plan's versioned migrations, when it
	// names a directory of them.
	Migrations *MigrationsCheck `json:"migrations,omitempty"`
	Steps      []StepCheck      `json:"steps"`
}

// MigrationsCheck tells whether the target has the plan's migrations.
// Pending ones are not a problem (migrate applies them first); an error
// (a bad directory, an edited applied migration) is.
type MigrationsCheck struct {
	Dir string `json:"dir"`
	// Pending lists what the target lacks, as "file (state)".
	Pending []string `json:"pending,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// OK reports whether nothing is wrong.
func (r *CheckResult) OK() bool {
	for _, c := range r.Connections {
		if c.Error != "" {
			return false
		}
	}
	if r.Migrations != nil && r.Migrations.Error != "" {
		return false
	}
	for _, s := range r.Steps {
		if len(s.Problems) > 0 {
			return false
		}
	}
	return true
}

// ConnectionCheck is one connection's reachability. URL is redacted.
type ConnectionCheck struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Error string `json:"error,omitempty"`
}

// StepCheck lists the problems of one step against the target.
type StepCheck struct {
	Step     string   `json:"step"`
	Tables   []string `json:"tables"`
	Problems []string `json:"problems,omitempty"`
	// Notes tell what a real run would do to the step's tables before
	// writing (a pending migration that creates one), when the store knows
	// (see SchemaNotes). They are not problems.
	Notes []string `json:"notes,omitempty"`
	// Sampled is how many records of the step's source check mapped, and
	// Unmapped the fields of theirs that reached no column, with how
	// many of those records carried each.
	Sampled  int                    `json:"sampled"`
	Unmapped []decant.UnmappedField `json:"unmapped_fields"`
}

// SchemaNotes is an optional ability of a Store that answers Columns with
// the tables a real run would create first (connect.PlannedStore): it says
// what it foresees for a table, such as "table forms will be created by
// migration 0003_forms.sql".
type SchemaNotes interface {
	Notes(ctx context.Context, table string) []string
}

// Check reaches every source of the selected steps (through decant.Pinger)
// and compares each step's mapping with the target's tables and column
// types. It writes nothing, not even decant's state tables.
func Check(ctx context.Context, cfg Config) (*CheckResult, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	steps, err := selectSteps(cfg.Plan, cfg.Only)
	if err != nil {
		return nil, err
	}
	res := &CheckResult{}
	target := ConnectionCheck{Name: cfg.Plan.Target, URL: decant.RedactURL(cfg.Plan.Connections[cfg.Plan.Target])}
	if p, ok := decant.As[decant.Pinger](cfg.Store); ok {
		if err := p.Ping(ctx); err != nil {
			target.Error = decant.RedactURL(err.Error())
		}
	}
	res.Connections = append(res.Connections, target)
	seen := map[string]bool{cfg.Plan.Target: true}
	failed := map[string]bool{} // connections that did not answer
	for _, s := range steps {
		if !seen[s.From.Connection] {
			seen[s.From.Connection] = true
			cc := pingSource(ctx, cfg, s.From.Connection, s)
			failed[s.From.Connection] = cc.Error != ""
			res.Connections = append(res.Connections, cc)
		}
		srcProblems := checkSource(ctx, cfg, s)
		if target.Error != "" {
			// Every step would repeat the target's error.
			res.Steps = append(res.Steps, StepCheck{Step: s.Name, Unmapped: []decant.UnmappedField{},
				Problems: append(srcProblems, "not compared with the target, which did not answer (see its connection above)")})
			continue
		}
		sc := checkStep(ctx, cfg.Store, s)
		sc.Problems = append(srcProblems, sc.Problems...)
		if len(sc.Problems) == 0 && !failed[s.From.Connection] {
			sampleStep(ctx, cfg, s, &sc)
		}
		res.Steps = append(res.Steps, sc)
	}
	return res, nil
}

// checkStep compares one step's mapping with the target's tables.
func checkStep(ctx context.Context, st decant.Store, s *plan.Step) StepCheck {
	sc := StepCheck{Step: s.Name, Unmapped: []decant.UnmappedField{}} // a list, never null
	tables, err := TargetColumns(ctx, st, s.Spec)
	if err != nil {
		sc.Problems = append(sc.Problems, err.Error())
	} else {
		sc.Problems = transform.Check(s.Spec, tables)
	}
	for t := range tables {
		sc.Tables = append(sc.Tables, t)
	}
	sort.Strings(sc.Tables)
	if n, ok := decant.As[SchemaNotes](st); ok {
		for _, t := range sc.Tables {
			sc.Notes = append(sc.Notes, n.Notes(ctx, t)...)
		}
	}
	return sc
}

// checkSource asks the step's source what would stop its read
// (decant.SourceChecker): a relational source checks its key and its
// column types. A source that does not open or answer is reported with
// the connections.
func checkSource(ctx context.Context, cfg Config, s *plan.Step) []string {
	src, err := cfg.Sources(ctx, s)
	if err != nil {
		return nil
	}
	defer src.Close()
	c, ok := src.(decant.SourceChecker)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range c.CheckSource(ctx, cfg.Scope) {
		out = append(out, "source: "+decant.RedactText(p))
	}
	return out
}

func pingSource(ctx context.Context, cfg Config, name string, s *plan.Step) ConnectionCheck {
	cc := ConnectionCheck{Name: name, URL: decant.RedactURL(cfg.Plan.Connections[name])}
	src, err := cfg.Sources(ctx, s)
	if err != nil {
		cc.Error = decant.RedactURL(err.Error())
		return cc
	}
	defer src.Close()
	if p, ok := src.(decant.ScopePinger); ok {
		err = p.PingScope(ctx, cfg.Scope)
	} else if p, ok := src.(decant.Pinger); ok {
		err = p.Ping(ctx)
	}
	if err != nil {
		cc.Error = decant.RedactURL(err.Error())
	}
	return cc
}
