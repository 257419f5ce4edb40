package plan

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/decanthq/decant"
)

// Guards is the plan's guards: section: environment variables that say
// whether this is an environment decant may write to, checked before any
// connection opens.
type Guards struct {
	// Require maps a variable to the value it must have for a command
	// that writes to run (ALLOW_DATA_MIGRATION: "true").
	Require map[string]string `yaml:"require"`
	// Protect maps a variable to the values that make the environment
	// protected (APP_ENV: [production]): a destructive command there needs
	// --yes and, on a terminal, the value typed back.
	Protect map[string]StringList `yaml:"protect"`
}

// GuardError is a command that writes refused by the plan's guards.
type GuardError struct {
	// Variable is the required variable that is unset or wrong.
	Variable string
	// Msg says what is wrong and how to fix it.
	Msg string
}

func (e *GuardError) Error() string { return e.Msg }

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// guards checks the guards: section: variable names, and values that a
// check could never meet.
func (c *compiler) guards() error {
	g := c.p.Guards
	if g == nil {
		return nil
	}
	for _, name := range sortedNames(g.Require) {
		if !envName.MatchString(name) {
			return c.errf("$.guards.require."+name, "guards.require: %q is not an environment variable name (letters, digits and _)", name)
		}
	}
	for _, name := range sortedNames(g.Protect) {
		path := "$.guards.protect." + name
		if !envName.MatchString(name) {
			return c.errf(path, "guards.protect: %q is not an environment variable name (letters, digits and _)", name)
		}
		if len(g.Protect[name]) == 0 || slices.Contains(g.Protect[name], "") {
			return c.errf(path, "guards.protect.%s: list the values that make the environment protected, as [production]; an empty value cannot be typed to confirm", name)
		}
	}
	return nil
}

// CheckWrite refuses a command that writes (named by what, as "migrate")
// when a variable that guards.require names is unset or has another
// value. lookup reads the environment; nil means os.LookupEnv. The value
// found is printed only when the variable's name does not look secret,
// and then with a URL's password hidden (decant.RedactURL).
func (g *Guards) CheckWrite(what string, lookup func(string) (string, bool)) error {
	if g == nil {
		return nil
	}
	if lookup == nil {
		lookup = os.LookupEnv
	}
	for _, name := range sortedNames(g.Require) {
		want := g.Require[name]
		got, ok := lookup(name)
		if ok && got == want {
			continue
		}
		found := "it is not set"
		switch {
		case ok && SecretEnvName(name):
			found = "it has another value"
		case ok:
			found = fmt.Sprintf("it is %q", decant.RedactURL(got))
		}
		return &GuardError{Variable: name, Msg: fmt.Sprintf(
			"%s refused by the plan's guards: %s must be %s, and %s; set it so only where decant may write (plan key guards.require)",
			what, name, showValue(name, want), found)}
	}
	return nil
}

// showValue is v, or a placeholder when name looks secret; a URL's
// password is hidden whatever the name.
func showValue(name, v string) string {
	if SecretEnvName(name) {
		return "the value the plan gives"
	}
	return fmt.Sprintf("%q", decant.RedactURL(v))
}

// Protected returns the variable and its value when the environment is
// protected: a variable of guards.protect holds one of its values. lookup
// reads the environment; nil means os.LookupEnv.
func (g *Guards) Protected(lookup func(string) (string, bool)) (variable, value string, ok bool) {
	if g == nil {
		return "", "", false
	}
	if lookup == nil {
		lookup = os.LookupEnv
	}
	for _, name := range sortedNames(g.Protect) {
		got, set := lookup(name)
		if !set {
			continue
		}
		for _, v := range g.Protect[name] {
			// Compared as written and without case: ICMS's README said
			// "Production" where its code compared "production".
			if strings.EqualFold(strings.TrimSpace(got), v) {
				return name, got, true
			}
		}
	}
	return "", "", false
}
