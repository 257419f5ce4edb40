package couchdb

import (
	"encoding/json"
	"fmt"

	"github.com/decanthq/decant"
)

// selector returns the filter with every "${scope}" in its strings (keys
// and values) replaced by scope, as the JSON CouchDB receives; nil when
// there is no filter.
func selector(filter map[string]any, scope string) (json.RawMessage, error) {
	if len(filter) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(withScope(filter, scope))
	if err != nil {
		return nil, fmt.Errorf("not a Mango selector that JSON can hold: %w", err)
	}
	return b, nil
}

// withScope copies v, replacing "${scope}" in its strings.
func withScope(v any, scope string) any {
	switch v := v.(type) {
	case string:
		return decant.ExpandScope(v, scope, nil)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[decant.ExpandScope(k, scope, nil)] = withScope(e, scope)
		}
		return out
	case map[any]any: // a YAML map whose keys are not all strings
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[decant.ExpandScope(fmt.Sprint(k), scope, nil)] = withScope(e, scope)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = withScope(e, scope)
		}
		return out
	}
	return v
}

// bulkSelector is the selector of a filtered bulk page: the filter's, on
// the documents whose _id comes after last.
func bulkSelector(filter json.RawMessage, last string) map[string]any {
	return map[string]any{"$and": []any{
		map[string]any{"_id": map[string]any{"$gt": last}},
		filter,
	}}
}

// changesSelector is the selector of the filtered changes phase: the
// filter's, or any deletion. A tombstone holds only _id, _rev and
// _deleted, which a selector on the content never matches, so without the
// second half the deletions of a scope's documents would never be read.
// Deletions of other scopes' documents come too; the engine finds no rows
// of theirs in this scope.
func changesSelector(filter json.RawMessage) map[string]any {
	return map[string]any{"$or": []any{
		filter,
		map[string]any{"_deleted": true},
	}}
}
