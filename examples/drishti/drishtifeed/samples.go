package drishtifeed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// SamplesStart is the serverVersion [LoadSamples] gives the first sample
// file: 2014-03-03 00:00:00 UTC in milliseconds, the date most of the
// samples' answers carry.
const SamplesStart int64 = 1393804800000

// SampleVersion is the serverVersion of the sample file at position i
// (counted from 0) in file name order: one millisecond apart, so that every
// sample has its own serverVersion and the feed serves them in file order.
func SampleVersion(i int) int64 { return SamplesStart + int64(i) }

// LoadSamples reads every *.json file of dir, each one submission in the
// envelope the Drishti server sends (the example's samples/ directory holds
// one per form of the real form set), and returns them in file name order.
//
// Each submission's serverVersion is set to [SampleVersion] of its position,
// whatever its file says, so that a file added to the directory takes its
// place in the feed without editing the others; the example's files carry
// those same values. A file must hold exactly the eight string fields of the
// envelope, and its formInstance a JSON object encoded as a string (the
// double encoding of the real server): anything else is an error naming the
// file, since a sample that silently lost a key would prove nothing.
func LoadSamples(dir string) ([]Submission, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("drishtifeed: no *.json sample files in %s", dir)
	}
	slices.Sort(files)
	subs := make([]Submission, 0, len(files))
	for i, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		s, err := decodeSample(b)
		if err != nil {
			return nil, fmt.Errorf("drishtifeed: sample %s: %w", name, err)
		}
		s.ServerVersion = strconv.FormatInt(SampleVersion(i), 10)
		subs = append(subs, s)
	}
	return subs, nil
}

func decodeSample(b []byte) (Submission, error) {
	var s Submission
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, err
	}
	if dec.More() {
		return s, fmt.Errorf("more than one JSON value")
	}
	// Every key present: a missing one would decode as "" and pass unseen.
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return s, err
	}
	if len(keys) != 8 {
		return s, fmt.Errorf("%d envelope keys, want the 8 of a submission", len(keys))
	}
	var fi map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s.FormInstance), &fi); err != nil || fi["form"] == nil {
		return s, fmt.Errorf("formInstance is not a JSON object with a form, encoded as a string: %v", err)
	}
	if s.InstanceID == "" || s.FormName == "" {
		return s, fmt.Errorf("no instanceId or formName")
	}
	return s, nil
}
