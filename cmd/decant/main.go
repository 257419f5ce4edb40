// Command decant moves an application's data out of a legacy system into SQL
// and proves it arrived. See README.md and docs/commands.md.
package main

import (
	"context"
	"os"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/internal/gcfloor"
)

func main() {
	gcfloor.KeepDefault() // GOGC=200 and a 64 MB heap floor, unless GOGC is set
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr, nil))
}
