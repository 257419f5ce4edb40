package engine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/transform"
)

// BenchmarkReadMapCSV reads a CSV file and maps and hashes its records as
// the pipeline's reader and mapper stages do, without a store: the work
// that CSV records carrying their decoded row changes.
func BenchmarkReadMapCSV(b *testing.B) {
	const n = 20_000
	path := filepath.Join(b.TempDir(), "flat.csv")
	writeFlatCSV(b, path, n)
	src, err := files.New(path, files.Config{Key: "id"})
	if err != nil {
		b.Fatal(err)
	}
	m := flatCSVMapper(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		rows, err := src.Read(ctx, decant.DefaultScope, nil)
		if err != nil {
			b.Fatal(err)
		}
		rb := readBatch{}
		written := 0
		flush := func() {
			mb := mapBatch([]*transform.Mapper{m}, decant.DefaultScope, rb)
			for i, f := range mb.fails {
				if f != nil {
					b.Fatalf("record %q: %v", mb.recs[i].Key, f)
				}
			}
			written += len(mb.recs)
			rb = readBatch{}
		}
		for rows.Next(ctx) {
			if rb.recs = append(rb.recs, rows.Record()); len(rb.recs) == 1000 {
				flush()
			}
		}
		flush()
		if err := rows.Err(); err != nil || written != n {
			b.Fatalf("mapped %d records: %v", written, err)
		}
		_ = rows.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func writeFlatCSV(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("id,name,email,created_at,amount,attrs\n")
	for i := range n {
		fmt.Fprintf(w, "%d,Customer %d,c%d@example.com,2024-03-%02dT10:%02d:00Z,%d.%02d,\"{\"\"tier\"\":\"\"t%d\"\",\"\"n\"\":%d}\"\n",
			i+1, i%997, i, 1+i%28, i%60, i%5000, i%100, i%3, i%10)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// flatMapper maps the flat CSV's columns to a table of their kinds.
func flatMapper(tb testing.TB) *transform.Mapper {
	tb.Helper()
	spec, cols := flatSpec(tb)
	m, err := transform.NewMapper(spec, map[string][]decant.Column{"flat": cols})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// flatSpec is flatMapper's step: each column of the flat CSV mapped from
// the record's field of its name, and the columns.
func flatSpec(tb testing.TB) (transform.Spec, []decant.Column) {
	tb.Helper()
	cols := []decant.Column{{Name: "id", Kind: decant.KindInt}, {Name: "name", Kind: decant.KindText},
		{Name: "email", Kind: decant.KindText}, {Name: "created_at", Kind: decant.KindTimestamp},
		{Name: "amount", Kind: decant.KindDecimal}, {Name: "attrs", Kind: decant.KindJSON}}
	spec := transform.Spec{Step: "flat", Key: []string{"id"}, To: transform.Route{Table: "flat"}}
	for _, c := range cols {
		p, err := transform.Compile("record."+c.Name, transform.StepVars, transform.NewFuncs())
		if err != nil {
			tb.Fatal(err)
		}
		spec.Map = append(spec.Map, transform.Named{Name: c.Name, Prog: p})
	}
	return spec, cols
}

// flatCSVMapper is bench/csv.yaml's map of the flat CSV: flatMapper's,
// with the attrs field's document decoded (json_decode) into the JSON
// column, as a CSV field is text.
func flatCSVMapper(tb testing.TB) *transform.Mapper {
	tb.Helper()
	spec, cols := flatSpec(tb)
	p, err := transform.Compile("json_decode(record.attrs)", transform.StepVars, transform.NewFuncs())
	if err != nil {
		tb.Fatal(err)
	}
	spec.Map[len(spec.Map)-1].Prog = p
	m, err := transform.NewMapper(spec, map[string][]decant.Column{"flat": cols})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
