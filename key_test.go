package decant_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/decanthq/decant"
)

// Ensure ledger keys are storable text that never merges two records.
func TestLedgerKey(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 2000) // 4000 bytes
	abbreviated := decant.LedgerKey(long, nil)
	keys := []string{"k\xff", "k\xfe", "k\xef\xbf\xbd", "k\x00", "k", long, long + "x", long[:3998] + "ü",
		// Keys spelled like what LedgerKey makes of others.
		`"k\xff"`, abbreviated, decant.LedgerKey("", []byte(`{"n":1}`)), `"` + long}
	seen := map[string]string{decant.LedgerKey("", []byte(`{"n":1}`)): "(keyless)"}
	for _, k := range keys {
		lk := decant.LedgerKey(k, nil)
		if !utf8.ValidString(lk) || strings.ContainsRune(lk, 0) {
			t.Errorf("LedgerKey(%q) = %q: not valid UTF-8 text", k, lk)
		}
		if len(lk) > decant.MaxKeyBytes {
			t.Errorf("LedgerKey of a %d-byte key is %d bytes, want at most %d", len(k), len(lk), decant.MaxKeyBytes)
		}
		if other, ok := seen[lk]; ok {
			t.Errorf("LedgerKey(%q) = LedgerKey(%q) = %q", k, other, lk)
		}
		seen[lk] = k
	}
	if got := decant.LedgerKey("ORD-7", nil); got != "ORD-7" {
		t.Errorf("an ordinary key changed: %q", got)
	}
	// A keyless record's key depends on its bytes only.
	a := decant.LedgerKey("", []byte(`{"n":1}`))
	if b := decant.LedgerKey("", []byte(`{"n":1}`)); a != b || !strings.HasPrefix(a, decant.NoKeyPrefix) {
		t.Errorf("keyless keys %q and %q, want equal with prefix %q", a, b, decant.NoKeyPrefix)
	}
	if c := decant.LedgerKey("", []byte(`{"n":2}`)); c == a {
		t.Errorf("two different keyless records share key %q", a)
	}
}

// Ensure a JSON value marshals as the document it holds, not as base64;
// text that is not JSON as a string, nil as null.
func TestJSON_MarshalJSON(t *testing.T) {
	got, err := json.Marshal([]any{decant.JSON(`{"a": [1, 2.50]}`), decant.JSON("not json"), decant.JSON(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"a":[1,2.50]},"not json",null]`; string(got) != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
}
