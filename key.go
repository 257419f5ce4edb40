package decant

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxKeyBytes is the longest key the state tables keep as it is. A database
// index refuses entries past a few kilobytes (PostgreSQL's btree stops at
// 2704 bytes), and one refused ledger row would fail its batch on every
// rerun, so longer keys are abbreviated by LedgerKey.
const MaxKeyBytes = 512

// NoKeyPrefix starts the ledger key of a record that has no key of its own.
const NoKeyPrefix = "(no key) "

// LedgerKey is the key under which a record's ledger entry and error row
// are stored. It is the source's key when that is valid UTF-8 without NUL
// and at most MaxKeyBytes long, which is all keys in practice. Otherwise:
//
//   - a key that is not valid UTF-8 (or holds NUL) is Go-quoted, so that
//     "k\xff" and "k\xfe" stay two keys instead of both becoming "k\uFFFD"
//     in a text column; so is a key that could be taken for a quoted,
//     abbreviated or keyless one (it starts with a double quote or
//     NoKeyPrefix, or holds "…sha256:"), so no two keys ever meet;
//   - a key longer than MaxKeyBytes keeps its first 400 bytes, then "…" and
//     the SHA-256 of the whole key, so that it fits any index and two long
//     keys never meet;
//   - a record without a key is NoKeyPrefix and the SHA-256 of its payload,
//     which does not change however the record is read again (a feed page
//     asked for with another cursor, a file read from another offset).
//
// The whole key is kept with a stored error (RecordError.SourceKey).
func LedgerKey(key string, raw []byte) string {
	if key == "" {
		return NoKeyPrefix + "sha256:" + hashHex(raw)[:32]
	}
	if needsQuote(key) {
		key = strconv.Quote(key)
	}
	if len(key) <= MaxKeyBytes {
		return key
	}
	cut := 400
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return key[:cut] + abbreviation + hashHex([]byte(key))
}

// needsQuote reports whether key cannot stand for itself in a text column
// or could be mistaken for what LedgerKey makes of another key: a key that
// starts with a quote or NoKeyPrefix, or holds the abbreviation's marker,
// is quoted too, so that every ledger key comes from one source key.
func needsQuote(key string) bool {
	return !utf8.ValidString(key) || strings.ContainsRune(key, 0) ||
		strings.HasPrefix(key, `"`) || strings.HasPrefix(key, NoKeyPrefix) || strings.Contains(key, abbreviation)
}

// abbreviation marks a long key's abbreviated form.
const abbreviation = "…sha256:"

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// How stored errors are resolved, as their history says after the time.
const (
	ResolvedWritten = "resolved: the key was written by a later record"
	ResolvedRetried = "resolved: a retry wrote the record"
	ResolvedByHand  = "resolved by hand:"
	ResolvedMoved   = "resolved: a retry found the record's key; its fate is under that key now"
	ResolvedDeleted = "resolved: the source deleted the record"
)

// HistoryTime formats t for a line of an error's history.
func HistoryTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
