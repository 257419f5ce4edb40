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
//     in a text column;
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
	if !utf8.ValidString(key) || strings.ContainsRune(key, 0) {
		key = strconv.Quote(key)
	}
	if len(key) <= MaxKeyBytes {
		return key
	}
	cut := 400
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return key[:cut] + "…sha256:" + hashHex([]byte(key))
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// How stored errors are resolved, as their history says after the time.
const (
	ResolvedWritten = "resolved: the key was written by a later record"
	ResolvedRetried = "resolved: a retry wrote the record"
	ResolvedByHand  = "resolved by hand:"
)

// HistoryTime formats t for a line of an error's history.
func HistoryTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
