package plan

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"

	"github.com/decanthq/decant/transform"
)

// OnDelete is a step's on_delete: what becomes of a record's rows when its
// source reports it deleted. It is written as a word, delete (the
// default) or ignore, or as a map, {mark: COLUMN}.
type OnDelete struct {
	// Action is transform.OnDeleteDelete, OnDeleteIgnore or OnDeleteMark.
	Action string
	// Mark is the column mark sets.
	Mark      string
	Line, Col int
}

const onDeleteHint = "on_delete is delete, ignore or {mark: COLUMN}"

// UnmarshalYAML reads delete, ignore or {mark: COLUMN}.
func (o *OnDelete) UnmarshalYAML(n ast.Node) error {
	pos := n.GetToken().Position
	*o = OnDelete{Line: pos.Line, Col: pos.Column}
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) == 1 {
		n = m.Values[0]
	}
	if mv, ok := n.(*ast.MappingValueNode); ok {
		name := mv.Key.GetToken().Value
		kp := mv.Key.GetToken().Position
		o.Line, o.Col = kp.Line, kp.Column // the key, also in a block
		if name != transform.OnDeleteMark {
			return &Error{Line: kp.Line, Col: kp.Column, Msg: fmt.Sprintf("unknown on_delete key %q: %s", name, onDeleteHint)}
		}
		col, tk, err := scalar(mv.Value)
		if err != nil || col == "" || col == "nil" || !isName(col) {
			p := mv.Value.GetToken().Position
			if tk != nil {
				p = tk.Position
			}
			return &Error{Line: p.Line, Col: p.Column, Msg: "on_delete: mark needs a column name, as {mark: deleted_at}"}
		}
		o.Action, o.Mark = transform.OnDeleteMark, col
		return nil
	}
	word, _, err := scalar(n)
	switch {
	case err != nil:
		return &Error{Line: pos.Line, Col: pos.Column, Msg: onDeleteHint}
	case word == transform.OnDeleteDelete || word == transform.OnDeleteIgnore:
		o.Action = word
		return nil
	case word == transform.OnDeleteMark:
		return &Error{Line: pos.Line, Col: pos.Column, Msg: "on_delete: mark needs a column, as {mark: deleted_at}"}
	}
	return &Error{Line: pos.Line, Col: pos.Column, Msg: fmt.Sprintf("unknown on_delete %q: %s", word, onDeleteHint)}
}

// onDelete sets the spec's on_delete and, when the plan asks for delete or
// mark, checks that the step's key can be found from the source key
// alone: a deleted record holds nothing else.
func (c *compiler) onDelete(path string, s *Step, spec *transform.Spec) error {
	spec.SourceKey = s.From.Key
	o := s.OnDelete
	if o == nil {
		return nil
	}
	spec.OnDelete = transform.OnDelete{Action: o.Action, Mark: o.Mark, Where: fmt.Sprintf("%s:%d:%d", c.p.File, o.Line, o.Col)}
	if o.Action == transform.OnDeleteIgnore {
		return nil
	}
	if err := transform.KeyFromSourceKey(*spec); err != nil {
		return c.p.errAt(o.Line, o.Col, err.Error())
	}
	return nil
}
