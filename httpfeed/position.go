package httpfeed

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/decanthq/decant"
)

// position is the JSON shape of a feed position.
type position struct {
	// Cursor is the cursor value of the last record read.
	Cursor string `json:"cursor"`
	// Seen identifies the records read whose cursor is Cursor: their keys,
	// or "sha256:<hex>" of their bytes for records without a key.
	Seen []string `json:"seen"`
}

// state is where a read stands: the last cursor value and what was read at
// it. It is the decoded form of a position.
type state struct {
	cursor string // canonical text of the last value
	num    int64  // the value, for int cursors
	// cursorJSON and seenJSON are cursor and the seen list encoded once, so
	// each record's Position costs one append rather than a re-encoding.
	cursorJSON []byte
	seenJSON   []byte
	seen       map[string]struct{}
	// start is true until a record moves the state of a read from nil: the
	// request then sends Start unchanged and Position is nil.
	start bool
}

func (s *Source) parsePosition(pos decant.Position) (state, error) {
	st := state{seen: map[string]struct{}{}}
	raw := bytes.TrimSpace(pos)
	if len(raw) == 0 || string(raw) == "null" {
		st.start = true
		return st, st.setCursor(s.cfg.CursorType, s.cfg.Start)
	}
	var p position
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || dec.More() {
		return st, fmt.Errorf("position %s: want {\"cursor\":...,\"seen\":[...]}", raw)
	}
	if err := st.setCursor(s.cfg.CursorType, p.Cursor); err != nil {
		return st, fmt.Errorf("position %s: %w", raw, err)
	}
	for _, id := range p.Seen {
		st.add(id)
	}
	return st, nil
}

// setCursor parses v as a cursor value of type typ and moves the state to it.
func (st *state) setCursor(typ, v string) error {
	var n int64
	if typ == CursorInt {
		var err error
		if n, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Errorf("cursor %q is not an integer", v)
		}
	}
	st.moveTo(v, n)
	return nil
}

// moveTo makes v (num for int cursors) the current value, with nothing seen at it.
func (st *state) moveTo(v string, num int64) {
	st.cursor, st.num = v, num
	st.cursorJSON = appendJSONString(st.cursorJSON[:0], v)
	st.seenJSON = st.seenJSON[:0]
	clear(st.seen)
}

// add marks id as read at the current value; false if it already was.
func (st *state) add(id string) bool {
	if _, ok := st.seen[id]; ok {
		return false
	}
	st.seen[id] = struct{}{}
	if len(st.seenJSON) > 0 {
		st.seenJSON = append(st.seenJSON, ',')
	}
	st.seenJSON = appendJSONString(st.seenJSON, id)
	return true
}

// param is the cursor parameter of the next request: one below the current
// value for int cursors, so the records at it come again.
func (st *state) param(cfg Config) string {
	switch {
	case st.start:
		return cfg.Start
	case cfg.CursorType == CursorString || st.num == math.MinInt64:
		return st.cursor
	default:
		return strconv.FormatInt(st.num-1, 10)
	}
}

// compare orders an item's cursor against the current value.
func (st *state) compare(typ string, it *item) int {
	return compareCursors(typ, it.cursor, it.num, st.cursor, st.num)
}

// compareCursors orders two cursor values given as text and, for int
// cursors, as numbers.
func compareCursors(typ, a string, an int64, b string, bn int64) int {
	if typ == CursorInt {
		return cmp.Compare(an, bn)
	}
	return strings.Compare(a, b)
}

// position encodes the state; nil while nothing has been read from the start.
func (st *state) position() decant.Position {
	if st.start {
		return nil
	}
	b := make([]byte, 0, len(st.cursorJSON)+len(st.seenJSON)+len(`{"cursor":,"seen":[]}`))
	b = append(b, `{"cursor":`...)
	b = append(b, st.cursorJSON...)
	b = append(b, `,"seen":[`...)
	b = append(b, st.seenJSON...)
	return append(b, "]}"...)
}

// appendJSONString appends s as a JSON string. Plain ASCII, the common case
// for keys and cursors, is copied as is; anything else goes through
// encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
