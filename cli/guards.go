package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// guardTool checks, for a db or snapshot subcommand c that writes, the
// guards of the plan it reads its defaults from (the one -c names, else
// decant.yaml when it exists), before anything connects: guards.require
// always, and for a destructive one (db down, snapshot load) in a
// protected environment --yes and, on a terminal, the environment's name
// (asked on stderr under --json, so that stdout stays JSON). Without a
// plan there are no guards.
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
	asJSON, _ := c.Flags().GetBool("json")
	interactive := isTerminal(os.Stdout) && isTerminalIn(c.InOrStdin())
	return confirmProtected(d.guards, what, yes, interactive, c.InOrStdin(), promptTo(c.OutOrStdout(), c.ErrOrStderr(), asJSON))
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
	// Typed back as Protected matches it, without the spaces around it:
	// "production " could not be typed.
	env = strings.TrimSpace(env)
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

// checkJSON is check's --json: the engine's result, and the guards.
type checkJSON struct {
	*engine.CheckResult
	Guards *guardsReport `json:"guards,omitempty"`
}

// guardsReport is what the plan's guards make of this environment, so
// that check tells the operator which gates are up (ICMS's README and code
// disagreed on APP_ENV's case, and the gate was silently off).
type guardsReport struct {
	// Writes is "allowed", or why the commands that write are refused.
	Writes string `json:"writes"`
	// Protected is VAR=value when the environment is protected.
	Protected string `json:"protected,omitempty"`
}

// guardsOf reports the plan's guards here; nil when it has none.
func guardsOf(p *plan.Plan) *guardsReport {
	if p.Guards == nil {
		return nil
	}
	r := &guardsReport{Writes: "allowed"}
	if err := p.Guards.CheckWrite("every command that writes is", nil); err != nil {
		r.Writes = err.Error()
	}
	if name, env, ok := p.Guards.Protected(nil); ok {
		r.Protected = name + "=" + env
	}
	return r
}

func printGuards(w io.Writer, g *guardsReport) {
	if g == nil {
		return
	}
	if g.Writes == "allowed" {
		fmt.Fprintln(w, "ok   guards: the commands that write may run here")
	} else {
		fmt.Fprintf(w, "note guards: %s\n", g.Writes)
	}
	if g.Protected != "" {
		fmt.Fprintf(w, "note guards: a protected environment (%s): reset, db down, snapshot load and a migrate into tables holding rows decant did not write need --yes\n", g.Protected)
	}
}
