package files_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
)

const benchRecords = 100_000

func BenchmarkReadJSONL(b *testing.B) {
	path := benchFile(b, "orders.jsonl", "", func(i int) string {
		return fmt.Sprintf(`{"id":"ord-%07d","customer":"Customer %d","total":%d.%02d,"status":"paid","items":[{"sku":"A-%d","qty":%d}]}`,
			i, i%997, i%5000, i%100, i%31, 1+i%4)
	})
	benchRead(b, path, files.Config{Key: "id"})
}

func BenchmarkReadCSV(b *testing.B) {
	path := benchFile(b, "orders.csv", "id,customer,total,status,note\n", func(i int) string {
		return fmt.Sprintf(`ord-%07d,Customer %d,%d.%02d,paid,"ünï, ""quoted"""`, i, i%997, i%5000, i%100)
	})
	benchRead(b, path, files.Config{Key: "id"})
}

func benchFile(b *testing.B, name, head string, line func(i int) string) string {
	path := filepath.Join(b.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(head)
	for i := range benchRecords {
		w.WriteString(line(i))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchRead(b *testing.B, path string, cfg files.Config) {
	src := newSource(b, path, cfg)
	ctx := context.Background()
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		rows, err := src.Read(ctx, decant.DefaultScope, nil)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next(ctx) {
			if rows.Record().Key == "" {
				b.Fatalf("record %d has no key: %s", n, rows.Record().Raw)
			}
			n++
		}
		if err := rows.Err(); err != nil || n != benchRecords {
			b.Fatalf("read %d records: %v", n, err)
		}
		_ = rows.Close()
	}
	b.ReportMetric(float64(benchRecords)*float64(b.N)/time.Since(start).Seconds(), "records/s")
}
