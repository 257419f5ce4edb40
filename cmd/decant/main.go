// Command decant moves an application's data out of a legacy system into SQL
// and proves it arrived. See README.md and docs/commands.md.
package main

import (
	"context"
	"os"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/internal/gcfloor"
)

// gcFloor is the smallest heap goal decant lets the collector aim for.
const gcFloor = 64 << 20

func main() {
	// decant's memory is bounded by batch size x queue depth, so it can
	// trade some of it for less collecting: GOGC=200, and a heap goal of
	// at least 64 MB, since the live heap is often a few MB and GOGC alone
	// would collect every 12 MB (docs/benchmarks.md). GOGC in the
	// environment still wins.
	if os.Getenv("GOGC") == "" {
		gcfloor.Keep(gcFloor, 200)
	}
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr, nil))
}
