package plan_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

const guarded = `guards:
  require: {ALLOW_DATA_MIGRATION: "true", DB_PASS: s3cret}
  protect: {APP_ENV: [production, prod]}
`

// Ensure a command that writes is refused when a required variable is
// unset or wrong, naming the variable and the expected value, and that the
// value of a secret-looking variable is never printed.
func TestGuards_CheckWrite(t *testing.T) {
	t.Parallel()
	p := mustParse(t, header+liveStep+guarded, plan.Options{})
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string // "" when allowed
	}{
		{"Unset", map[string]string{"DB_PASS": "s3cret"}, `migrate refused by the plan's guards: ALLOW_DATA_MIGRATION must be "true", and it is not set`},
		{"Wrong", map[string]string{"ALLOW_DATA_MIGRATION": "yes", "DB_PASS": "s3cret"}, `ALLOW_DATA_MIGRATION must be "true", and it is "yes"`},
		{"SecretWrong", map[string]string{"ALLOW_DATA_MIGRATION": "true", "DB_PASS": "hunter2"}, "DB_PASS must be the value the plan gives, and it has another value"},
		{"Allowed", map[string]string{"ALLOW_DATA_MIGRATION": "true", "DB_PASS": "s3cret"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := p.Guards.CheckWrite("migrate", env(tt.env))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ge *plan.GuardError
			if !errors.As(err, &ge) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want a *plan.GuardError containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error prints a secret: %v", err)
			}
		})
	}
	var none *plan.Guards
	if err := none.CheckWrite("migrate", env(nil)); err != nil {
		t.Errorf("a plan without guards refuses: %v", err)
	}
}

// Ensure the environment is protected when a protected variable holds one
// of its values, in any case (ICMS's README said "Production" where its
// code compared "production"), and not otherwise.
func TestGuards_Protected(t *testing.T) {
	t.Parallel()
	p := mustParse(t, header+liveStep+guarded, plan.Options{})
	for _, tt := range []struct {
		value string
		set   bool
		want  bool
	}{{"production", true, true}, {"Production", true, true}, {"prod", true, true}, {"staging", true, false}, {"", false, false}} {
		set := map[string]string{}
		if tt.set {
			set["APP_ENV"] = tt.value
		}
		name, value, ok := p.Guards.Protected(env(set))
		if ok != tt.want || (ok && (name != "APP_ENV" || value != tt.value)) {
			t.Errorf("APP_ENV=%q: Protected = %s %q %v, want %v", tt.value, name, value, ok, tt.want)
		}
	}
}

// Ensure a required variable whose name does not look secret, holding a
// URL, has the URL's password hidden in the refusal, both the value the
// plan gives and the one found.
func TestGuards_CheckWriteHidesURLPasswords(t *testing.T) {
	t.Parallel()
	p := mustParse(t, header+liveStep+"guards:\n  require: {TARGET_URL: 'postgres://app:planpw@db/prod'}\n", plan.Options{})
	err := p.Guards.CheckWrite("migrate", env(map[string]string{"TARGET_URL": "postgres://app:envpw@db/staging"}))
	if err == nil || !strings.Contains(err.Error(), "TARGET_URL must be \"postgres://app:xxxxx@db/prod\", and it is \"postgres://app:xxxxx@db/staging\"") {
		t.Errorf("error = %v, want both URLs with their passwords hidden", err)
	}
	if err != nil && (strings.Contains(err.Error(), "planpw") || strings.Contains(err.Error(), "envpw")) {
		t.Errorf("the error prints a password: %v", err)
	}
}

// Ensure mistakes in guards: fail at load at their position.
func TestParse_GuardErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, extra, want string }{
		{"BadName", "guards: {require: {ALLOW-IT: 'true'}}\n", `guards.require: "ALLOW-IT" is not an environment variable name`},
		{"EmptyProtect", "guards: {protect: {APP_ENV: []}}\n", "guards.protect.APP_ENV: list the values that make the environment protected"},
		{"Unknown", "guards: {requires: {A: b}}\n", `unknown field "requires"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseErr(t, header+liveStep+tt.extra, plan.Options{})
			if e.Line != 12 || !strings.Contains(e.Msg, tt.want) {
				t.Errorf("error = %v, want line 12 and %q", e, tt.want)
			}
		})
	}
}
