package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant/plan"
)

// usageError is a mistake in how decant was called (an unknown command,
// flag, step or argument): exit code 2, so scripts can tell it from a run
// that failed.
func usageError(err error) error {
	var ee *ExitError
	if err == nil || errors.As(err, &ee) {
		return err // nil, or its exit code is chosen already
	}
	return &ExitError{Code: 2, Err: err}
}

// validator is an Opts value whose flags can be checked before it runs.
type validator interface{ Validate() error }

// validate checks o's flags: a value that Validate refuses is a mistake in
// how decant was called, so exit code 2, as for an unknown flag.
func validate(o validator) error {
	return usageError(o.Validate())
}

// strictUsage makes every command of the tree refuse what it does not know
// with exit code 2: an unknown subcommand (with a suggestion), a flag, a
// wrong number of arguments, a required flag left out. Cobra, left alone,
// prints the help and exits 0 for `decant errors lst`, and exits 1 for a
// required flag.
func strictUsage(root *cobra.Command) {
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError(fmt.Errorf("%s%w (see %s --help)", where(c), err, c.CommandPath()))
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.HasSubCommands() && !c.Runnable() {
			groupOnly(c)
			return
		}
		requireFlags(c)
		if args := c.Args; args != nil {
			c.Args = func(c *cobra.Command, a []string) error {
				if err := args(c, a); err != nil {
					return usageError(fmt.Errorf("%s%w (see %s --help)", where(c), err, c.CommandPath()))
				}
				return nil
			}
		}
	}
	walk(root)
}

// requireFlags makes a required flag left out (`db down` without --to) a
// usage error: cobra checks required flags after PreRunE and returns a
// plain error, so c checks them first.
func requireFlags(c *cobra.Command) {
	pre, preRun := c.PreRunE, c.PreRun
	c.PreRunE = func(c *cobra.Command, args []string) error {
		if err := c.ValidateRequiredFlags(); err != nil {
			return usageError(fmt.Errorf("%s%w (see %s --help)", where(c), err, c.CommandPath()))
		}
		if err := c.ValidateFlagGroups(); err != nil {
			return usageError(fmt.Errorf("%s%w (see %s --help)", where(c), err, c.CommandPath()))
		}
		if pre != nil {
			return pre(c, args)
		}
		if preRun != nil { // cobra runs PreRun only without PreRunE
			preRun(c, args)
		}
		return nil
	}
}

// groupOnly makes a command that only groups others print its help when
// called bare, and refuse an unknown subcommand.
func groupOnly(c *cobra.Command) {
	c.SuggestionsMinimumDistance = 2
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return c.Help()
		}
		return unknownCommand(c, args[0])
	}
}

// unknownCommand says that name is no subcommand of c, suggests the
// nearest ones and lists them all.
func unknownCommand(c *cobra.Command, name string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%sunknown command %q", where(c), name)
	if s := c.SuggestionsFor(name); len(s) > 0 {
		fmt.Fprintf(&b, "; did you mean %s?", strings.Join(s, " or "))
	}
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	fmt.Fprintf(&b, " (commands: %s)", strings.Join(names, ", "))
	return usageError(errors.New(b.String()))
}

// where names c in an error after Main's "decant: " prefix: "errors: ",
// or nothing for the root command.
func where(c *cobra.Command) string {
	if !c.HasParent() {
		return ""
	}
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ") + ": "
}

// checkSteps refuses a name in names that is not a step of p (nor a group
// or a group's alias, when groups is true), naming flag and listing the
// real ones, so a typo in --only or --step is caught before anything runs.
func checkSteps(p *plan.Plan, flag string, names []string, groups bool) error {
	for _, n := range names {
		if p.Step(n) != nil || (groups && p.GroupName(n) != "") {
			continue
		}
		if groups {
			return usageError(fmt.Errorf("%s %s: the plan has no step or group of that name; %s", flag, n, p.ValidNames()))
		}
		return usageError(fmt.Errorf("%s %s: the plan has no step of that name; its steps are %s", flag, n, strings.Join(stepNames(p.Steps), ", ")))
	}
	return nil
}

// stepNames lists the names of steps.
func stepNames(steps []*plan.Step) []string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	return names
}

// stepsOf returns the steps that --step name stands for: the steps of the
// group name, or name itself (a step of the plan, or one gone from it that
// may still have stored errors).
func stepsOf(p *plan.Plan, name string) []string {
	if p.Step(name) != nil {
		return []string{name}
	}
	if group := p.GroupSteps(name); len(group) > 0 {
		return stepNames(group)
	}
	return []string{name}
}
