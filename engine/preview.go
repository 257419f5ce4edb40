package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// PreviewItem is a source record beside the rows it becomes.
type PreviewItem struct {
	Key    string             `json:"key"`
	Where  string             `json:"where"`
	Record json.RawMessage    `json:"record"`
	Rows   []PreviewRow       `json:"rows,omitempty"`
	Error  *transform.Failure `json:"error,omitempty"`
	// Deleted is set for a record the source reports deleted: Rows are
	// then the key columns of the rows its on_delete deletes or marks.
	Deleted bool `json:"deleted,omitempty"`
	// Unmapped lists the record's fields that would reach no column
	// (unless the step's unmapped is ignore).
	Unmapped []transform.UnmappedField `json:"unmapped_fields"`
}

// PreviewRow is one target row of a preview.
type PreviewRow struct {
	Table  string         `json:"table"`
	Values map[string]any `json:"values"`
}

// PreviewState is the state name whose checkpoint a preview of step reads
// its source from: the step's, or in a staged plan its extract's, which is
// where the next extract reads the source.
func PreviewState(p *plan.Plan, step string) string {
	if p.Staging {
		return decant.ExtractStep(step)
	}
	return step
}

// Preview reads the first n records of step (from its checkpoint, when the
// store has one) and maps them. It writes nothing, and returns no item when
// the source has no record after the checkpoint.
func Preview(ctx context.Context, cfg Config, step string, n int) ([]PreviewItem, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	s := cfg.Plan.Step(step)
	if s == nil {
		return nil, fmt.Errorf("preview: the plan has no step %q", step)
	}
	mappers, err := prepare(ctx, cfg.Store, []*plan.Step{s})
	if err != nil {
		return nil, err
	}
	// Before the first run there is no checkpoint (and no state table:
	// Checkpoint reads that as none): preview from the start.
	pos, err := cfg.Store.Checkpoint(ctx, cfg.Scope, PreviewState(cfg.Plan, s.Name))
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	var out []PreviewItem
	err = firstRecords(ctx, cfg, s, pos, n, func(rec decant.Record) {
		item := PreviewItem{Key: rec.Key, Where: rec.Where, Record: previewJSON(rec.Raw)}
		o, f := mappers[s.Name].Map(rec, cfg.Scope)
		if rec.Deleted { // a tombstone is not content: see engine/delete.go
			item.Deleted = true
			o, f = mappers[s.Name].MapDeleted(rec, cfg.Scope)
		}
		item.Error, item.Unmapped = f, o.Unmapped
		if item.Unmapped == nil {
			item.Unmapped = []transform.UnmappedField{} // a list, never null
		}
		for _, r := range o.Rows {
			pr := PreviewRow{Table: r.Table, Values: map[string]any{}}
			for i, c := range r.Cols {
				pr.Values[c] = previewValue(r.Vals[i])
			}
			item.Rows = append(item.Rows, pr)
		}
		out = append(out, item)
	})
	return out, err
}

// firstRecords calls fn with each of the first n records of s's source
// after pos (from the start when nil): what preview shows and check
// samples. It writes nothing.
func firstRecords(ctx context.Context, cfg Config, s *plan.Step, pos decant.Position, n int, fn func(decant.Record)) error {
	src, err := cfg.Sources(ctx, s)
	if err != nil {
		return fmt.Errorf("open source: %w", err)
	}
	defer src.Close()
	rows, err := src.Read(ctx, cfg.Scope, pos)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	defer rows.Close()
	for i := 0; i < n && rows.Next(ctx); i++ {
		fn(rows.Record())
	}
	return rows.Err()
}

func previewJSON(raw []byte) json.RawMessage {
	if json.Valid(raw) {
		return raw
	}
	b, _ := json.Marshal(string(raw))
	return b
}

func previewValue(v any) any {
	switch t := v.(type) {
	case decant.JSON:
		return json.RawMessage(t)
	case decant.Decimal:
		return json.Number(t)
	}
	return v
}
