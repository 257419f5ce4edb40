// Command gen writes the benchmark's flat records as JSONL and CSV.
//
//	go run ./bench/gen -n 1000000 -jsonl /tmp/flat.jsonl -csv /tmp/flat.csv
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/decanthq/decant/bench/flat"
)

func main() {
	n := flag.Int64("n", 1_000_000, "number of records")
	seed := flag.Uint64("seed", 1, "random seed")
	jsonl := flag.String("jsonl", "", "JSONL output file")
	csvPath := flag.String("csv", "", "CSV output file (with header)")
	flag.Parse()
	if *n <= 0 || (*jsonl == "" && *csvPath == "") {
		fmt.Fprintln(os.Stderr, "gen: need -n > 0 and -jsonl and/or -csv")
		os.Exit(2)
	}
	if err := write(*jsonl, func(f *os.File) error { return flat.WriteJSONL(f, *seed, *n) }); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := write(*csvPath, func(f *os.File) error { return flat.WriteCSV(f, *seed, *n) }); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(path string, fn func(*os.File) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
