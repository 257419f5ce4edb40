package sqlread

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// position is the JSON shape of a relational source's position: the
// values of the columns the read is ordered by (the cursor, if any, then
// the key) in the last row read, as its document holds them. The next
// read starts at the rows that come after them. It is an object so that
// a chunk of a parallel read can later add its own field.
type position struct {
	After []any `json:"after"`
}

// encodePosition is the position after a row whose ordered columns hold vals.
func encodePosition(vals []any) (decant.Position, error) {
	b := append(make([]byte, 0, 64), `{"after":[`...)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = transform.AppendJSON(b, v); err != nil {
			return nil, err
		}
	}
	return append(b, "]}"...), nil
}

// decodePosition reads pos into the values to bind after the ordered
// columns cols of kinds kinds; nil when pos is the start.
func decodePosition(pos decant.Position, cols []string, kinds []Kind) ([]any, error) {
	raw := bytes.TrimSpace(pos)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var p position
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || dec.More() || len(p.After) != len(cols) {
		return nil, fmt.Errorf("position %s: want {\"after\":[...]} with a value for each of %v; was the step's key or cursor changed?", raw, cols)
	}
	args := make([]any, len(cols))
	for i, v := range p.After {
		a, err := bindValue(kinds[i], v)
		if err != nil {
			return nil, fmt.Errorf("position %s: %s: %w", raw, cols[i], err)
		}
		args[i] = a
	}
	return args, nil
}

// bindValue turns a document value of kind k back into a value the
// drivers compare with the column.
func bindValue(k Kind, v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, fmt.Errorf("a key or cursor cannot be NULL")
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return n, nil
		}
		if n, err := strconv.ParseUint(string(v), 10, 64); err == nil {
			return n, nil
		}
		return string(v), nil
	case string:
		return bindText(k, v)
	}
	return v, nil
}

func bindText(k Kind, s string) (any, error) {
	if isInfinity(s) {
		return s, nil // PostgreSQL reads its text as a time
	}
	switch k {
	case KindBinary:
		return base64.StdEncoding.DecodeString(s)
	case KindTimestamp:
		return time.Parse(time.RFC3339Nano, s)
	case KindDateTime:
		return time.Parse("2006-01-02T15:04:05.999999999", s)
	}
	return s, nil
}
