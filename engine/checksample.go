package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// DefaultSample is how many records of each step Check maps when
// Config.Sample is 0.
const DefaultSample = 100

// sampleStep reads the first records of s's source, from its start, maps
// them and puts in sc the fields of theirs that reached no column: a note
// each, or, when the step's unmapped is error, a problem, since those
// records would fail. A source that cannot be read is a problem.
func sampleStep(ctx context.Context, cfg Config, s *plan.Step, sc *StepCheck) {
	n := cfg.Sample
	if n == 0 {
		n = DefaultSample
	}
	if n < 0 || s.Spec.Unmapped == transform.UnmappedIgnore {
		return
	}
	fields, read, err := sampleUnmapped(ctx, cfg, s, n)
	sc.Sampled = read
	if err != nil {
		sc.Problems = append(sc.Problems, "sample: "+decant.RedactText(err.Error()))
		return
	}
	if len(fields) == 0 {
		return
	}
	sc.Unmapped = fields
	var names []string
	for _, f := range fields {
		names = append(names, fmt.Sprintf("%s %s (%d of %d)", f.Table, f.Path, f.Records, read))
	}
	what := fmt.Sprintf("%d fields of the first %d records reach", len(fields), read)
	switch {
	case len(fields) == 1 && read == 1:
		what = "1 field of the first record reaches"
	case len(fields) == 1:
		what = fmt.Sprintf("1 field of the first %d records reaches", read)
	case read == 1:
		what = fmt.Sprintf("%d fields of the first record reach", len(fields))
	}
	msg := fmt.Sprintf("unmapped: %s no column: %s", what, strings.Join(names, ", "))
	if s.Spec.Unmapped == transform.UnmappedError {
		sc.Problems = append(sc.Problems, msg+"; the plan says unmapped: error, so such records would fail")
		return
	}
	sc.Notes = append(sc.Notes, msg)
}

// sampleUnmapped maps the first n records of s's source and counts their
// fields that reached no column, as a run counts them. The mapper
// reports them even under unmapped: error, where a run fails the record.
func sampleUnmapped(ctx context.Context, cfg Config, s *plan.Step, n int) ([]decant.UnmappedField, int, error) {
	spec := s.Spec
	spec.Unmapped = transform.UnmappedWarn
	tables, err := TargetColumns(ctx, cfg.Store, spec)
	if err != nil {
		return nil, 0, err
	}
	m, err := transform.NewMapper(spec, tables)
	if err != nil {
		return nil, 0, err
	}
	var out []decant.UnmappedField
	read := 0
	err = firstRecords(ctx, cfg, s, nil, n, func(rec decant.Record) {
		read++
		if rec.Deleted {
			return
		}
		o, f := m.Map(rec, cfg.Scope)
		if f != nil {
			return
		}
		for _, u := range o.Unmapped {
			out = addUnmapped(out, decant.UnmappedField{Table: u.Table, Path: u.Path, Records: 1, Example: u.Example})
		}
	})
	return out, read, err
}
