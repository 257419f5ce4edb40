// Command feed serves the benchmark's flat records as a Drishti-style feed
// on /records?timestamp=C&batch-size=K.
//
//	go run ./bench/feed -n 1000000 -addr 127.0.0.1:8089
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/decanthq/decant/bench/flat"
)

func main() {
	n := flag.Int64("n", 1_000_000, "number of records")
	seed := flag.Uint64("seed", 1, "random seed (as given to gen)")
	addr := flag.String("addr", "127.0.0.1:8089", "listen address")
	flag.Parse()
	mux := http.NewServeMux()
	mux.Handle("GET /records", &flat.Feed{Seed: *seed, N: *n})
	if err := http.ListenAndServe(*addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, "feed:", err)
		os.Exit(1)
	}
}
