package postgres

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/decanthq/decant/internal/testenv"
)

// ledgerTexts are a batch's worth of ledger-like texts.
func ledgerTexts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%032x", i*7919)
	}
	return out
}

// Ensure textArray encodes exactly as pgx encodes a []string, in both
// formats, and without an allocation an element (pgx's own []string
// takes one each, which is what textArray is for).
// Not parallel: AllocsPerRun counts the whole process's allocations.
func TestTextArrayEncodesAsStrings(t *testing.T) {
	m := pgtype.NewMap()
	texts := append(ledgerTexts(1000), "", "é \" \\ {a,b} NULL", " spaced ")
	for _, format := range []int16{pgtype.BinaryFormatCode, pgtype.TextFormatCode} {
		want, err := m.Encode(pgtype.TextArrayOID, format, texts, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Encode(pgtype.TextArrayOID, format, textArray(texts), nil)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("format %d: textArray encodes as %q (%v), []string as %q", format, got, err, want)
		}
	}
	if got, err := m.Encode(pgtype.TextArrayOID, pgtype.BinaryFormatCode, textArray(nil), nil); err != nil || got != nil {
		t.Errorf("nil textArray encodes as %q (%v), want NULL", got, err)
	}
	buf := make([]byte, 0, 64<<10)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := m.Encode(pgtype.TextArrayOID, pgtype.BinaryFormatCode, textArray(texts), buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 10 {
		t.Errorf("encoding %d texts took %.0f allocations, want a few", len(texts), allocs)
	}
}

// Ensure PostgreSQL reads a textArray parameter as the text[] of its
// strings, and a nil one as NULL.
func TestTextArrayRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	texts := append(ledgerTexts(50), "", "é \" \\ {a,b} NULL")
	var got []string
	if err := conn.QueryRow(ctx, `SELECT $1::text[]`, textArray(texts)).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, texts) {
		t.Errorf("PostgreSQL read %q, want %q", got, texts)
	}
	var isNull bool
	if err := conn.QueryRow(ctx, `SELECT $1::text[] IS NULL`, textArray(nil)).Scan(&isNull); err != nil || !isNull {
		t.Errorf("a nil textArray: IS NULL = %v (%v), want true", isNull, err)
	}
}

// BenchmarkLedgerArrays encodes a batch's four ledger arrays (5,000
// entries each) as pgx encodes them for insertBlockSQL: as []string
// before, as textArray now.
func BenchmarkLedgerArrays(b *testing.B) {
	m := pgtype.NewMap()
	texts := ledgerTexts(5000)
	buf := make([]byte, 0, 256<<10)
	for _, c := range []struct {
		name string
		v    any
	}{{"strings", texts}, {"textArray", textArray(texts)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for range 4 {
					if _, err := m.Encode(pgtype.TextArrayOID, pgtype.BinaryFormatCode, c.v, buf[:0]); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/5000, "ns/record")
		})
	}
}
