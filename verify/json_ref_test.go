package verify

// The implementation of jsonValue before the streaming canonicalizer,
// kept as the reference FuzzJSONCanonical holds the new one to: every
// input must give the same text, or the same error, byte for byte.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"golang.org/x/text/unicode/norm"
)

func refJSONValue(v any, o Options) (value, error) {
	doc := v
	if _, ok := v.(time.Time); ok {
		return foreign(v), nil
	}
	if s, ok := v.(string); ok {
		d := json.NewDecoder(bytes.NewReader([]byte(s)))
		d.UseNumber()
		if err := d.Decode(&doc); err != nil {
			return foreign(v), nil
		}
		if _, err := d.Token(); err != io.EOF {
			return foreign(v), nil // trailing data after the document
		}
	}
	var buf bytes.Buffer
	if err := refWriteJSON(&buf, doc, o); err != nil {
		return value{}, err
	}
	return value{text: buf.String()}, nil
}

func refWriteJSON(w *bytes.Buffer, v any, o Options) error {
	switch t := v.(type) {
	case nil:
		w.WriteString("null")
	case bool:
		w.WriteString(strconv.FormatBool(t))
	case string:
		refWriteJSONString(w, t, o)
	case json.Number:
		s, _, ok := normalDecimal(string(t))
		if !ok {
			return fmt.Errorf("json number %q: %w", t, ErrUnsupported)
		}
		w.WriteString(s)
	case float64, float32, int64, uint64, int, int32:
		num, err := decimalValue(refWiden(t))
		if err != nil {
			return err
		}
		w.WriteString(num.text)
	case map[string]any:
		return refWriteObject(w, t, o)
	case []any:
		w.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := refWriteJSON(w, e, o); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	default:
		return fmt.Errorf("json value of type %T: %w", v, ErrUnsupported)
	}
	return nil
}

// widen turns the integer types a decoded document may hold into int64.
func refWiden(v any) any {
	switch t := v.(type) {
	case int:
		return int64(t)
	case int32:
		return int64(t)
	}
	return v
}

// refWriteObject writes an object with its keys in byte order. With
// NormalizeUnicode, keys are normalized before they are sorted.
func refWriteObject(w *bytes.Buffer, m map[string]any, o Options) error {
	// Two keys may be one after normalization: visit them in order so the
	// same one wins every time.
	byKey := make(map[string]any, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		nk := k
		if o.NormalizeUnicode {
			nk = norm.NFC.String(k)
		}
		byKey[nk] = m[k]
	}
	keys := slices.Sorted(maps.Keys(byKey))
	w.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			w.WriteByte(',')
		}
		refWriteJSONString(w, k, o)
		w.WriteByte(':')
		if err := refWriteJSON(w, byKey[k], o); err != nil {
			return err
		}
	}
	w.WriteByte('}')
	return nil
}

// refWriteJSONString writes s as a JSON string without HTML escaping, so
// that "<" and "\u003c" are one spelling.
func refWriteJSONString(w *bytes.Buffer, s string, o Options) {
	if o.NormalizeUnicode {
		s = norm.NFC.String(s)
	}
	e := json.NewEncoder(w)
	e.SetEscapeHTML(false)
	_ = e.Encode(s)         // a string always encodes
	w.Truncate(w.Len() - 1) // Encode ends with a newline
}
