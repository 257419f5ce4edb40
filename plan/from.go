package plan

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// From says where a step's records come from: a connection, the keys every
// source reads (key, cursor), and the options of the connection's kind of
// source. Those options belong to the source's package (httpfeed.Options,
// files.Options), whose types a [SourceKinds] names by URL scheme; the plan
// keeps them as written, with their positions, until one decodes them.
type From struct {
	// Connection names the connection the records come from. Required.
	Connection string `yaml:"connection"`
	// Key is the path of the record key in a source record: a GJSON path
	// into a JSON record, a column name for CSV.
	Key string `yaml:"key"`
	// Cursor is the path of the record's cursor value the same way (a
	// feed pages by it; a file only records it in the audit).
	Cursor string `yaml:"cursor"`
	// Parallel is how many readers read the source at once, each a key
	// range of its own (a chunk); 0 when the plan does not say, which is
	// 1: one reader. Only a source whose options say so
	// ([ChunkedOptions]) reads in chunks, and never with a Cursor.
	Parallel int `yaml:"parallel"`
	// Options are the source's own options, decoded from every other key
	// of from: a pointer to the options type of the kind of source that
	// reads the connection's scheme (*httpfeed.Options for http(s)://).
	// Load sets them when [Options].Sources knows the scheme; otherwise
	// they are nil until [Plan.SourceOptions] decodes them.
	Options any `yaml:"-"`

	// parallelSet is true when the plan writes parallel, so that 0 is
	// refused rather than read as the default.
	parallelSet bool
	// options are the keys of from other than connection, key, cursor and parallel,
	// in plan order, kept with their nodes for SourceOptions.
	options []option
}

// ChunkedOptions is implemented by the options type of a kind of source
// that can read a step in chunks (`parallel: N`): the relational sources.
// Its source implements [decant.Chunker].
type ChunkedOptions interface {
	// ReadsInChunks is true when the source can read in chunks.
	ReadsInChunks() bool
}

// option is one source option as the plan writes it.
type option struct {
	name       string
	key, value ast.Node
}

// OptionKeys returns the keys of from, other than connection, key and
// cursor and parallel, that the plan sets, in plan order: the options a
// source decodes.
func (f *From) OptionKeys() []string {
	keys := make([]string, len(f.options))
	for i, o := range f.options {
		keys[i] = o.name
	}
	return keys
}

// UnmarshalYAML reads connection, key, cursor and parallel and keeps every other key
// as written. The decoder hands the mapping over with anchors, aliases and
// merge keys (<<) resolved, as it does for the rest of the plan.
func (f *From) UnmarshalYAML(unmarshal func(any) error) error {
	var m map[ast.Node]ast.Node
	if err := unmarshal(&m); err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil && strings.Contains(ye.GetMessage(), "where mapping is expected") {
			p := ye.GetToken().Position
			return &Error{Line: p.Line, Col: p.Column, Msg: "from must be a map of options, e.g. from: {connection: NAME, key: PATH}"}
		}
		return err
	}
	keys := make([]ast.Node, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Map order is random; plan order makes the first error the first in the file.
	slices.SortFunc(keys, func(a, b ast.Node) int {
		return cmp.Compare(a.GetToken().Position.Offset, b.GetToken().Position.Offset)
	})
	seen := map[string]bool{}
	for _, k := range keys {
		name := keyName(k)
		if seen[name] { // a merge key and the mapping both set it
			p := k.GetToken().Position
			return &Error{Line: p.Line, Col: p.Column, Msg: "from." + name + " is set twice"}
		}
		seen[name] = true
		if err := f.set(name, k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

// set stores one key of from.
func (f *From) set(name string, key, value ast.Node) error {
	var dst *string
	switch name {
	case "connection":
		dst = &f.Connection
	case "key":
		dst = &f.Key
	case "cursor":
		dst = &f.Cursor
	case "parallel":
		if value == nil {
			return nil
		}
		f.parallelSet = true
		return yaml.NodeToValue(value, &f.Parallel, yaml.Strict())
	default:
		if value != nil { // null is the same as absent
			f.options = append(f.options, option{name: name, key: key, value: value})
		}
		return nil
	}
	if value == nil {
		return nil
	}
	return yaml.NodeToValue(value, dst, yaml.Strict())
}

// keyName is the text of a mapping key.
func keyName(k ast.Node) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	return k.GetToken().Value
}
