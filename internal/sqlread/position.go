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
// read starts at the rows that come after them. A chunk of a parallel
// read adds its bounds: From, its first key, until a row of it is read
// (After null), and To, the first key of the next chunk, which its rows
// come before (none for the last chunk).
type position struct {
	After json.RawMessage `json:"after"`
	From  json.RawMessage `json:"from,omitempty"`
	To    json.RawMessage `json:"to,omitempty"`
}

// bounds are the values a read binds to start after (after), or at
// (from), and to end before (to), each nil when it has none; toJSON is to
// as its position holds it, which every record's position repeats.
type bounds struct {
	after, from, to []any
	toJSON          json.RawMessage
}

// encodePosition is the position after a row whose ordered columns hold
// vals, in the chunk that ends before to (nil: no end).
func encodePosition(vals []any, to json.RawMessage) (decant.Position, error) {
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
	b = append(b, ']')
	if to != nil {
		b = append(append(b, `,"to":`...), to...)
	}
	return append(b, '}'), nil
}

// decodePosition reads pos into the values to bind for the ordered
// columns cols of kinds kinds; none when pos is the start (nil, or the
// first chunk's {"after":null} when the read began at the start).
func decodePosition(pos decant.Position, cols []string, kinds []Kind) (bounds, error) {
	var b bounds
	raw := bytes.TrimSpace(pos)
	if len(raw) == 0 || string(raw) == "null" {
		return b, nil
	}
	var p position
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&p)
	if err == nil && dec.More() {
		err = fmt.Errorf("more than one object")
	}
	for _, f := range []struct {
		raw json.RawMessage
		to  *[]any
	}{{p.After, &b.after}, {p.From, &b.from}, {p.To, &b.to}} {
		if err == nil {
			*f.to, err = decodeValues(f.raw, kinds)
		}
	}
	if err != nil {
		return b, fmt.Errorf("position %s: want {\"after\":[...]} with a value for each of %v; was the step's key or cursor changed? (%w)", raw, cols, err)
	}
	b.toJSON = p.To
	return b, nil
}

// decodeValues reads a JSON array of one value per kind into the values
// to bind; nil for no array (absent or null).
func decodeValues(raw json.RawMessage, kinds []Kind) ([]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var vals []any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&vals); err != nil {
		return nil, err
	}
	if len(vals) != len(kinds) {
		return nil, fmt.Errorf("%d values, not %d", len(vals), len(kinds))
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		a, err := bindValue(kinds[i], v)
		if err != nil {
			return nil, fmt.Errorf("value %d: %w", i+1, err)
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
