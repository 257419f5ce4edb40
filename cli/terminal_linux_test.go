//go:build linux

package cli_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
)

// migrate on a terminal draws a bar per step and ends each with its
// counts: the whole command, as a person runs it, on a pseudo-terminal.
func TestMigrateBarsOnTerminal(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	tty, output := cli.OpenPTY(t)
	var out bytes.Buffer
	o := cli.MigrateOpts{Common: cli.Common{Config: s.plan, Scope: decant.DefaultScope}, Stop: make(chan struct{})}
	if _, err := cli.RunMigrate(context.Background(), o, &out, tty); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	screen := regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`).ReplaceAllString(output(), "")
	if strings.Contains(screen, "%!") {
		t.Fatalf("a format error on the terminal:\n%s", screen)
	}
	for _, want := range []string{
		`orders .*\[=+\] done, 3 read, 3 written, 0 failed in \S+, \d+ rec/s`,
		`customers .*\[=+\] done, 2 read, 2 written, 0 failed`,
		`events .*done, 1 read, 1 written, 0 failed`,
	} {
		if !regexp.MustCompile(want).MatchString(screen) {
			t.Errorf("the terminal does not show %s:\n%s", want, screen)
		}
	}
	if !strings.Contains(out.String(), "STEP") {
		t.Errorf("no summary on stdout:\n%s", out.String())
	}
}
