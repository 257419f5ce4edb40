// Command prof runs decant under a CPU profile, so that a benchmark's time
// can be broken down with `go tool pprof -top` (docs/benchmarks.md).
//
//	go build -o /tmp/prof ./bench/prof
//	/tmp/prof -cpuprofile cpu.out -- verify -c bench/jsonl.yaml --json
//	go tool pprof -top /tmp/prof cpu.out
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/internal/gcfloor"
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile to this file")
	mem := flag.String("memprofile", "", "write a heap profile (allocations) to this file at the end")
	flag.Parse()
	gcfloor.KeepDefault() // as cmd/decant runs
	os.Exit(run(*cpu, *mem, flag.Args()))
}

func run(cpu, mem string, args []string) int {
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			fmt.Fprintln(os.Stderr, "prof: -cpuprofile:", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "prof: -cpuprofile:", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	code := cli.Main(context.Background(), args, os.Stdout, os.Stderr, nil)
	if mem != "" {
		f, err := os.Create(mem)
		if err != nil {
			fmt.Fprintln(os.Stderr, "prof: -memprofile:", err)
			return 2
		}
		defer f.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintln(os.Stderr, "prof: -memprofile:", err)
			return 2
		}
	}
	return code
}
