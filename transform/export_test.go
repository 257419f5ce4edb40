package transform

import "github.com/decanthq/decant"

// MapDecoded is Map without the path that reads the values from the JSON
// text: the oracle the fast path is compared with.
func (m *Mapper) MapDecoded(rec decant.Record, scope string) (Output, *Failure) {
	return m.mapDecoded(rec, scope)
}

// ReadsText says whether Map reads raw's values from the text, without
// decoding the record.
func (m *Mapper) ReadsText(raw []byte) bool {
	if !m.fast.fast {
		return false
	}
	_, ok := m.readTopChains(raw, m.fast)
	return ok
}

// EquivDocs are DecodeJSON's edge documents (decode_equiv_test.go).
var EquivDocs = equivDocs

// RaceEnabled says the race detector is on (allocation counts differ).
const RaceEnabled = raceEnabled
