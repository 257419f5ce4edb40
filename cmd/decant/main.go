// Command decant moves an application's data out of a legacy system into SQL
// and proves it arrived. See README.md and docs/commands.md.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/decanthq/decant/cli"
)

func main() {
	// decant's memory is bounded by batch size x queue depth, so it can
	// trade some of it for less collecting: at the default batch sizes
	// GOGC=200 costs about 40 MB and saves about a tenth of the CPU
	// (docs/benchmarks.md). GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr, nil))
}
