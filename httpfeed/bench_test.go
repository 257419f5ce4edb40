package httpfeed_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// BenchmarkRead reads 100k Drishti-like records, two per serverVersion, in
// pages of 1000 from a local server.
func BenchmarkRead(b *testing.B) {
	const n = 100_000
	f := newFeed(b)
	for i := range n {
		f.add(fmt.Sprintf("d63b9ce5-0000-4000-8000-%012d", i), int64(1395689767509+i/2))
	}
	src := newSource(b, f.srv.URL, drishti(1000))
	ctx := context.Background()
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		rows, err := src.Read(ctx, decant.DefaultScope, nil)
		if err != nil {
			b.Fatal(err)
		}
		got := 0
		for rows.Next(ctx) {
			got++
		}
		if err := rows.Err(); err != nil || got != n {
			b.Fatalf("read %d records: %v", got, err)
		}
		_ = rows.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/time.Since(start).Seconds(), "records/s")
}
