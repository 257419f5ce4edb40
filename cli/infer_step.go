package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/infer"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// mapped reports whether infer types what --step's mapping writes (its
// lets, route, map, fields and children run over each sample) rather than
// the step's source records as they are (--raw, for a new plan).
func (o *InferOpts) mapped() bool { return o.Step != "" && !o.Raw }

// readMapped reads the samples of --step (its source's first N records,
// or the sample files given) and runs the step's mapping over each.
func readMapped(ctx context.Context, o *InferOpts) (*inferInput, []infer.Mapped, error) {
	p, err := o.load()
	if err != nil {
		return nil, nil, err
	}
	st := p.Step(o.Step)
	if st == nil {
		return nil, nil, usageError(fmt.Errorf("--step %s: the plan %s has no such step", o.Step, o.Config))
	}
	if len(st.Spec.Key) == 0 {
		return nil, nil, fmt.Errorf("--step %s: the step has no key column", o.Step)
	}
	samples, err := stepSamples(ctx, o, p, st)
	if err != nil {
		return nil, nil, err
	}
	out := make([]infer.Mapped, 0, len(samples))
	for _, s := range samples {
		raw, err := json.Marshal(s.Doc)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.Place, err)
		}
		rec := decant.Record{Key: gjson.GetBytes(raw, st.From.Key).String(), Raw: raw, Where: s.Place}
		ev, f := transform.Evaluate(st.Spec, rec, o.Scope)
		if f != nil {
			return nil, nil, fmt.Errorf("%s: step %s: %s: %s; fix the sample or the step", s.Place, st.Name, f.Message, f.Detail)
		}
		m, err := infer.FromEvaluation(ev, s.Place)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, m)
	}
	in := &inferInput{name: baseName(st.Name), dialect: targetDialect(p), dir: filepath.Dir(p.File), key: st.Spec.Key[0], types: map[string]infer.Type{}}
	for col, co := range st.Spec.Columns {
		if t := infer.TypeOfKind(co.Kind); t != "" {
			in.types[col] = t
		}
	}
	return in, out, nil
}

// stepSamples reads the sample files given with --step, or the first N
// records of the step's source.
func stepSamples(ctx context.Context, o *InferOpts, p *plan.Plan, st *plan.Step) ([]infer.Sample, error) {
	if len(o.Files) == 0 {
		src, err := connect.Sources(p)(ctx, st)
		if err != nil {
			return nil, err
		}
		defer src.Close()
		return infer.ReadSource(ctx, src, o.Scope, "step "+st.Name, o.N)
	}
	var out []infer.Sample
	for _, f := range o.Files {
		s, err := infer.ReadSamples(f)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// applyAs sets the types --as names (TABLE.COLUMN=TYPE, TABLE * for every
// table with the column), after inference:
// a reviewed decision about a sample that misleads.
func applyAs(s *infer.Schema, as []string) error {
	for _, a := range as {
		target, typ, ok := strings.Cut(a, "=")
		table, column, ok2 := strings.Cut(target, ".")
		if !ok || !ok2 || table == "" || column == "" {
			return usageError(fmt.Errorf("--as %s: want TABLE.COLUMN=TYPE (--as delivery_plan.delivery_place=date)", a))
		}
		t, err := infer.ParseType(typ)
		if err != nil {
			return usageError(fmt.Errorf("--as %s: %w", a, err))
		}
		if err := s.SetType(table, column, t); err != nil {
			return usageError(fmt.Errorf("--as %s: %w", a, err))
		}
	}
	return nil
}
