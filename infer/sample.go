// Package infer reads sample records and infers from them what decant needs
// to migrate records like them: the target tables (typed columns, the key as
// primary key, child tables for arrays of objects), a migration that creates
// them (or, given the tables that exist, the next migration that adds what
// is new), and a plan that maps every field to its column. docs/infer.md
// describes the rules.
package infer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/transform"
)

// Sample is one sample record and where it was read.
type Sample struct {
	// Doc is the record: a JSON object decoded with json.Number for
	// numbers, or a CSV row as header -> string.
	Doc map[string]any
	// Place names the record in messages: "samples.jsonl:3" (a line of a
	// JSONL or CSV file) or "samples.json: record 3" (an element of a JSON
	// array, from 1).
	Place string
}

// Format is how a sample file is written.
type Format string

// The sample formats ReadSamples knows.
const (
	JSONL Format = "jsonl" // one JSON object per line
	JSON  Format = "json"  // an array of objects, or one object
	CSV   Format = "csv"   // a header row, then one record per row
)

// FormatOf picks a sample file's format from its extension, as decant's
// file source does (.jsonl, .ndjson, .csv), adding .json.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return JSONL, nil
	case ".json":
		return JSON, nil
	case ".csv":
		return CSV, nil
	}
	return "", fmt.Errorf("%s: cannot tell the format from the extension: name it .jsonl, .ndjson, .json or .csv", path)
}

// ReadSamples reads every record of the sample file at path. An empty file
// (no record at all) is an error, since nothing can be inferred from it.
func ReadSamples(path string) ([]Sample, error) {
	f, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	var out []Sample
	switch f {
	case JSONL:
		out, err = readJSONL(name, data)
	case JSON:
		out, err = readJSON(name, data)
	case CSV:
		out, err = readCSV(name, data)
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no sample records (%s): give at least one record to infer from", name, emptyReason(f, data))
	}
	return out, nil
}

// emptyReason says why a sample file of format f holding data gave no
// record.
func emptyReason(f Format, data []byte) string {
	switch {
	case len(data) == 0:
		return "the file is empty"
	case len(bytes.TrimSpace(data)) == 0:
		return "the file holds only blank lines"
	case f == JSON:
		return "an empty array"
	case f == CSV:
		return "a header row only"
	}
	return "only blank lines"
}

// decodeObject decodes one JSON object, keeping numbers as written so that
// 12.30 is a decimal and a 20-digit integer is not rounded.
func decodeObject(data []byte) (map[string]any, error) {
	if err := refused(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a record must be a JSON object, not %s", jsonKind(v))
	}
	return m, nil
}

func readJSONL(name string, data []byte) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		m, err := decodeObject(text)
		var r *refusal
		switch {
		case errors.As(err, &r):
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		case err != nil:
			return nil, fmt.Errorf("%s:%d: %v: each line must be one JSON object", name, line, err)
		}
		out = append(out, Sample{Doc: m, Place: fmt.Sprintf("%s:%d", name, line)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

func readJSON(name string, data []byte) ([]Sample, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, nil
	}
	// The document is cut into its elements first, each then read as
	// decant reads a record, so that a refusal names the element.
	dec := json.NewDecoder(bytes.NewReader(data))
	var doc json.RawMessage
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %v: want an array of JSON objects, or one object", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more than one JSON value: want one array of objects (for one object per line, name the file .jsonl)", name)
	}
	elements := []json.RawMessage{doc}
	if doc[0] == '[' {
		if err := json.Unmarshal(doc, &elements); err != nil {
			return nil, fmt.Errorf("%s: %v: want an array of JSON objects, or one object", name, err)
		}
	} else if doc[0] != '{' {
		return nil, fmt.Errorf("%s: want an array of JSON objects, or one object, not %s", name, jsonKind(decoded(doc)))
	}
	out := make([]Sample, 0, len(elements))
	for i, e := range elements {
		place := fmt.Sprintf("%s: record %d", name, i+1)
		m, err := decodeObject(e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", place, err)
		}
		out = append(out, Sample{Doc: m, Place: place})
	}
	return out, nil
}

// decoded is a JSON value that is no object or array, decoded, for
// messages.
func decoded(doc json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	_ = dec.Decode(&v)
	return v
}

func readCSV(name string, data []byte) ([]Sample, error) {
	// As decant's CSV source: a UTF-8 byte order mark is no part of the
	// first column's name.
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: header: %v", name, err)
	}
	if err := files.CheckHeader(name, header); err != nil {
		return nil, fmt.Errorf("%v (decant refuses such a file): fix the header", err)
	}
	if len(header) == 1 && strings.ContainsAny(header[0], ";\t") {
		return nil, fmt.Errorf("%s: the header has one column %q: infer reads a .csv file's fields separated by commas. Save the samples with commas; a source separated otherwise needs the plan's delimiter option (docs/plan.md)", name, header[0])
	}
	var out []Sample
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := r.FieldPos(0)
		m := make(map[string]any, len(row))
		for i, h := range header {
			m[h] = row[i]
		}
		out = append(out, Sample{Doc: m, Place: fmt.Sprintf("%s:%d", name, line)})
	}
}

// refused is decant's own verdict on a JSON document (transform.DecodeJSON):
// invalid UTF-8 or too deep a nesting make a record error when decant
// reads it (a name twice in one object does not: the last one wins), so infer refuses such a sample rather
// than type a field from it.
func refused(data []byte) error {
	if _, err := transform.DecodeJSON(data); err != nil {
		return &refusal{err}
	}
	return nil
}

// refusal is refused's error: its message says what to do, so callers add
// no advice of their own.
type refusal struct{ err error }

func (r *refusal) Error() string {
	return fmt.Sprintf("%v (decant would store such a record as an error): fix the sample", r.err)
}

func (r *refusal) Unwrap() error { return r.err }

// jsonKind names a decoded JSON value's kind for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
