package transform

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/decanthq/decant/internal/jsonkey"
)

// builtins is decant's expression library, on top of expr-lang's own
// (upper, trim, split, len, map, filter, ...). See docs/plan.md.
func builtins() map[string]Func {
	return map[string]Func{
		"json_decode": jsonDecodeFunc,
		"json_path":   jsonPathFunc,
		"to_json":     toJSONFunc,
		"fields":      fieldsFunc,
		"snake":       snakeFunc,
		"with":        withFunc,
		"without":     withoutFunc,
		"coalesce":    coalesceFunc,
		"parse_time":  parseTimeFunc,
		"unnest":      unnestFunc,
		"as_list":     asListFunc,
		"xml_text":    xmlTextFunc,
		"xml_value":   xmlFunc("xml_value", xmlValueResult),
		"xml_values":  xmlFunc("xml_values", xmlValuesResult),
		"xml_nodes":   xmlFunc("xml_nodes", xmlNodesResult),
	}
}

func argCount(name string, args []any, min, max int) error {
	if len(args) < min || len(args) > max {
		if min == max {
			return fmt.Errorf("%s takes %d arguments, got %d", name, min, len(args))
		}
		return fmt.Errorf("%s takes %d to %d arguments, got %d", name, min, max, len(args))
	}
	return nil
}

// jsonDecodeFunc decodes a JSON document held in a string (Drishti's
// double-encoded formInstance). A value that is already decoded is returned
// as it is, so plans keep working when a source stops double-encoding.
func jsonDecodeFunc(args ...any) (any, error) {
	if err := argCount("json_decode", args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case string:
		return DecodeJSON([]byte(v))
	case []byte:
		return DecodeJSON(v)
	default:
		return v, nil
	}
}

// jsonPathFunc reads a GJSON path from a JSON string or a decoded value.
func jsonPathFunc(args ...any) (any, error) {
	if err := argCount("json_path", args, 2, 2); err != nil {
		return nil, err
	}
	path, ok := args[1].(string)
	if !ok {
		return nil, fmt.Errorf("json_path: path must be a string")
	}
	var raw []byte
	switch v := args[0].(type) {
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	case nil:
		return nil, nil
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("json_path: %w", err)
		}
		raw = b
	}
	// A member chain takes the last of a name given twice, as DecodeJSON.
	r := jsonkey.Get(raw, path)
	if !r.Exists() {
		return nil, nil
	}
	return DecodeJSON([]byte(r.Raw))
}

func toJSONFunc(args ...any) (any, error) {
	if err := argCount("to_json", args, 1, 1); err != nil {
		return nil, err
	}
	b, err := json.Marshal(args[0])
	if err != nil {
		return nil, fmt.Errorf("to_json: %w", err)
	}
	return string(b), nil
}

// fieldsFunc turns [{name: n, value: v}, ...] into {n: v, ...}; the key
// names default to "name" and "value".
func fieldsFunc(args ...any) (any, error) {
	if err := argCount("fields", args, 1, 3); err != nil {
		return nil, err
	}
	nameKey, valueKey := "name", "value"
	if len(args) > 1 {
		nameKey, _ = args[1].(string)
	}
	if len(args) > 2 {
		valueKey, _ = args[2].(string)
	}
	out := map[string]any{}
	if args[0] == nil {
		return out, nil
	}
	list, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("fields: want a list of objects, got %T", args[0])
	}
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("fields: item %d is %T, not an object", i, item)
		}
		name, ok := m[nameKey].(string)
		if !ok {
			return nil, fmt.Errorf("fields: item %d has no string %q", i, nameKey)
		}
		out[name] = m[valueKey]
	}
	return out, nil
}

func snakeFunc(args ...any) (any, error) {
	if err := argCount("snake", args, 1, 1); err != nil {
		return nil, err
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("snake: want a string, got %T", args[0])
	}
	return Snake(s), nil
}

// Snake converts camelCase, PascalCase, kebab-case and spaced names to
// snake_case: "ttDose" -> "tt_dose", "HTTPServer" -> "http_server".
func Snake(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r == '-' || r == ' ' || r == '.':
			b.WriteByte('_')
		case unicode.IsUpper(r):
			if i > 0 && runes[i-1] != '_' && (unicode.IsLower(runes[i-1]) || unicode.IsDigit(runes[i-1]) ||
				(i+1 < len(runes) && unicode.IsLower(runes[i+1]) && unicode.IsUpper(runes[i-1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func withFunc(args ...any) (any, error) {
	if err := argCount("with", args, 3, 3); err != nil {
		return nil, err
	}
	m, err := copyMap("with", args[0])
	if err != nil {
		return nil, err
	}
	k, ok := args[1].(string)
	if !ok {
		return nil, fmt.Errorf("with: key must be a string, got %T", args[1])
	}
	m[k] = args[2]
	return m, nil
}

func withoutFunc(args ...any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("without takes a map and keys")
	}
	m, err := copyMap("without", args[0])
	if err != nil {
		return nil, err
	}
	for _, k := range args[1:] {
		// A null key drops nothing: without(r, cond ? "a" : nil).
		if s, ok := k.(string); ok {
			delete(m, s)
		}
	}
	return m, nil
}

func copyMap(fn string, v any) (map[string]any, error) {
	if v == nil {
		return map[string]any{}, nil
	}
	src, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: want a map, got %T", fn, v)
	}
	m := make(map[string]any, len(src)+1)
	for k, x := range src {
		m[k] = x
	}
	return m, nil
}

// coalesceFunc returns the first argument that is neither nil nor "".
func coalesceFunc(args ...any) (any, error) {
	for _, a := range args {
		if a == nil {
			continue
		}
		if s, ok := a.(string); ok && s == "" {
			continue
		}
		return a, nil
	}
	return nil, nil
}

// parseTimeFunc is parse_time(value, [layout], [zone]).
func parseTimeFunc(args ...any) (any, error) {
	if err := argCount("parse_time", args, 1, 3); err != nil {
		return nil, err
	}
	layout, zone := "", "UTC"
	if len(args) > 1 {
		layout, _ = args[1].(string)
	}
	if len(args) > 2 {
		zone, _ = args[2].(string)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("parse_time: zone %q: %w", zone, err)
	}
	if args[0] == nil {
		return nil, nil
	}
	return ParseTime(args[0], layout, loc)
}

// unnestFunc is unnest(list, field): for each object of list, each element
// of its field becomes an item, with "_parent" set to the object. Drishti's
// sub_forms[].instances[] become one list of instances that know their
// sub-form's name as item._parent.name.
func unnestFunc(args ...any) (any, error) {
	if err := argCount("unnest", args, 2, 2); err != nil {
		return nil, err
	}
	field, ok := args[1].(string)
	if !ok {
		return nil, fmt.Errorf("unnest: field must be a string")
	}
	list, _ := args[0].([]any)
	var out []any
	for i, x := range list {
		parent, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("unnest: item %d is %T, not an object", i, x)
		}
		children, _ := parent[field].([]any)
		for _, c := range children {
			m, err := copyMap("unnest", c)
			if err != nil {
				return nil, err
			}
			m["_parent"] = parent
			out = append(out, m)
		}
	}
	return out, nil
}

// asListFunc is as_list(v): v when it is a list, an empty list for null,
// else a list of v. An XML element that repeats is a list in its parent's
// record only when it does repeat (xmldoc.Record), so a plan reading
// children from it writes as_list(record.goods).
func asListFunc(args ...any) (any, error) {
	if err := argCount("as_list", args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case nil:
		return []any{}, nil
	case []any:
		return v, nil
	default:
		return []any{v}, nil
	}
}

// xmlTextFunc is xml_text(v): the text of a value an element became in a
// record (xmldoc.Record): a leaf's string as it is, the "#text" of an
// element with attributes ("" when it has none), null for null.
// <QTY unit="box">1</QTY> and <QTY>1</QTY> both give "1".
func xmlTextFunc(args ...any) (any, error) {
	if err := argCount("xml_text", args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case nil, string:
		return v, nil
	case map[string]any:
		s, _ := v["#text"].(string)
		return s, nil
	default:
		return nil, fmt.Errorf("xml_text: want an element's value (text or a record), got %T", v)
	}
}
