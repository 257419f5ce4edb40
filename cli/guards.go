package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant/plan"
)

// guardTool checks, for a db or snapshot subcommand c that writes, the
// guards of the plan it reads its defaults from (the one -c names, else
// decant.yaml when it exists), before anything connects: guards.require
// always, and for a destructive one (db down, snapshot load) in a
// protected environment --yes and, on a terminal, the environment's name.
// Without a plan there are no guards.
func guardTool(c *cobra.Command, destructive bool) error {
	d, err := planTarget(c)
	if err != nil || d.guards == nil {
		return err
	}
	what := c.CommandPath()
	what = strings.TrimPrefix(what, c.Root().Name()+" ")
	if err := d.guards.CheckWrite(what, nil); err != nil {
		return err
	}
	if !destructive {
		return nil
	}
	yes, _ := c.Flags().GetBool("yes")
	interactive := isTerminal(os.Stdout) && isTerminalIn(c.InOrStdin())
	return confirmProtected(d.guards, what, yes, interactive, c.InOrStdin(), c.OutOrStdout())
}

// confirmProtected stands between a destructive command (what, as
// "reset") and an environment that the plan's guards protect (plan key
// guards.protect): there it needs yes, and on a terminal (interactive) the
// environment's name typed back on in, asked on w. Elsewhere it lets the
// command go on as it would without guards.
func confirmProtected(g *plan.Guards, what string, yes, interactive bool, in io.Reader, w io.Writer) error {
	name, env, ok := g.Protected(nil)
	if !ok {
		return nil
	}
	if !yes {
		return usageError(fmt.Errorf("%s refused: this is a protected environment (%s=%s, plan key guards.protect): confirm with --yes, and on a terminal type %s when asked",
			what, name, env, env))
	}
	if !interactive {
		return nil
	}
	fmt.Fprintf(w, "%s in the protected environment %s (%s): type %s to go on: ", what, env, name, env)
	line, _ := bufio.NewReader(in).ReadString('\n')
	if strings.TrimSpace(line) != env {
		return &ExitError{Code: 1, Err: fmt.Errorf("%s declined: the answer was not %s; nothing was done", what, env)}
	}
	return nil
}
