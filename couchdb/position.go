package couchdb

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/decanthq/decant/internal/jsonquote"
)

// The phases of a read.
const (
	phaseBulk    = "bulk"
	phaseChanges = "changes"
)

// position is where a read is, as JSON:
//
//	{"phase":"bulk","since":17,"last":"doc-0042"}
//	{"phase":"changes","since":"23-g1AAAA…"}
//
// In the bulk phase, since is the database's update_seq taken before the
// bulk read began, where the changes phase will start, and last is the
// _id of the last document read (every document up to it is done). In the
// changes phase, since is the seq of the last change read. A seq is kept as
// the raw JSON the server gave (a number for pouchdb-server and CouchDB 1,
// a string for CouchDB 2 and 3) and is never compared as a number to order
// changes: only the server knows what it means.
type position struct {
	Phase string          `json:"phase"`
	Since json.RawMessage `json:"since"`
	Last  string          `json:"last,omitempty"`
}

// marshal writes p as json.Marshal would, but for <, > and & in strings,
// which it leaves as they are. Every record carries its position, and
// json.Marshal, checking the raw seq each time, cost more than the record.
// Since is the server's seq as decoded JSON gave it: a number or a string.
func (p position) marshal() []byte {
	b := make([]byte, 0, len(`{"phase":"changes","since":,"last":""}`)+len(p.Since)+len(p.Last))
	b = append(b, `{"phase":`...)
	b = jsonquote.Append(b, p.Phase)
	b = append(b, `,"since":`...)
	if since := bytes.TrimSpace(p.Since); len(since) > 0 {
		b = append(b, since...)
	} else {
		b = append(b, "null"...) // as json.Marshal writes a nil RawMessage; parsePosition refuses it
	}
	if p.Last != "" {
		b = append(b, `,"last":`...)
		b = jsonquote.Append(b, p.Last)
	}
	return append(b, '}')
}

// parsePosition reads a stored position; nil means "from the start".
func parsePosition(pos []byte) (*position, error) {
	if len(bytes.TrimSpace(pos)) == 0 || bytes.Equal(bytes.TrimSpace(pos), []byte("null")) {
		return nil, nil
	}
	var p position
	dec := json.NewDecoder(bytes.NewReader(pos))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("position %s is not a CouchDB position (%v): was the checkpoint written by another kind of source? reset the step's checkpoint", pos, err)
	}
	switch {
	case p.Phase != phaseBulk && p.Phase != phaseChanges:
		return nil, fmt.Errorf("position %s: phase %q: want %q or %q", pos, p.Phase, phaseBulk, phaseChanges)
	case seqType(p.Since) == "":
		return nil, fmt.Errorf("position %s: since %s is not a CouchDB seq (a number or a string)", pos, p.Since)
	case p.Phase == phaseChanges && p.Last != "":
		return nil, fmt.Errorf("position %s: a changes position has no last id", pos)
	}
	return &p, nil
}

// seqType is "number" or "string" for a seq of that JSON type, "" for
// anything else.
func seqType(seq json.RawMessage) string {
	seq = bytes.TrimSpace(seq)
	if len(seq) == 0 {
		return ""
	}
	switch c := seq[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(seq, &s) != nil {
			return ""
		}
		return "string"
	case c == '-' || (c >= '0' && c <= '9'):
		var n json.Number
		if json.Unmarshal(seq, &n) != nil {
			return ""
		}
		return "number"
	}
	return ""
}

// sinceParam is a seq as the since query parameter: a string seq without
// its JSON quotes (CouchDB wants since=23-g1AAAA…), a number as it is.
func sinceParam(seq json.RawMessage) string {
	var s string
	if json.Unmarshal(seq, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(seq))
}
