// Command decant moves an application's data out of a legacy system into SQL
// and proves it arrived. See README.md and docs/commands.md.
package main

import (
	"context"
	"os"

	"github.com/decanthq/decant/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr, nil))
}
