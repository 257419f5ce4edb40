package engine

import (
	"regexp"
	"slices"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
)

// hookSecrets hides a hook's secrets in what is printed of it (its
// command line, URL, output and error; the hook log, HookError and --json
// show them): the values the plan put in from secret-looking environment
// variables, those found in the hook's command or URL, then, in any text,
// the secrets of URLs and of password=... parameters.
type hookSecrets struct {
	values []string // longest first
}

func newHookSecrets(p *plan.Plan) *hookSecrets {
	return &hookSecrets{values: p.ExpandedSecrets()}
}

// minHidden is the shortest value hidden wherever it appears: shorter ones
// would blank out ordinary words.
const minHidden = 3

// add adds values to hide wherever they appear.
func (s *hookSecrets) add(values ...string) {
	for _, v := range values {
		if len(v) >= minHidden && !slices.Contains(s.values, v) {
			s.values = append(s.values, v)
		}
	}
	slices.SortStableFunc(s.values, func(a, b string) int { return len(b) - len(a) })
}

// text returns t with the secrets hidden.
func (s *hookSecrets) text(t string) string {
	for _, v := range s.values {
		t = strings.ReplaceAll(t, v, decant.Redacted)
	}
	return decant.RedactText(t)
}

// url returns a hook's URL with its secrets hidden, and adds them to s.
func (s *hookSecrets) url(u string) string {
	s.add(decant.Secrets(u)...)
	for _, v := range s.values {
		u = strings.ReplaceAll(u, v, decant.Redacted)
	}
	return decant.RedactURL(u)
}

// secretFlag is a flag that names a secret, whose value is the next
// argument: --password, --token, --api-key.
var secretFlag = regexp.MustCompile(`^--?([A-Za-z][A-Za-z0-9_.-]*)$`)

// secretHeader is an HTTP header given as one argument (curl -H
// "Authorization: Bearer ..."): its value is hidden when its name looks
// secret.
var secretHeader = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(\S.*)$`)

// command returns a command hook's arguments as they may be printed, and
// adds the secrets it finds in them to s: the argument after a flag that
// names a secret, the value of a secret header, the passwords and secret
// parameters of URLs and password=... arguments.
func (s *hookSecrets) command(args []string) []string {
	shown := slices.Clone(args)
	hidden := make([]bool, len(args))
	for i, a := range args {
		if i > 0 && a != "" {
			if m := secretFlag.FindStringSubmatch(args[i-1]); m != nil && decant.IsSecretParam(m[1]) {
				s.add(a)
				shown[i], hidden[i] = decant.Redacted, true
				continue
			}
		}
		if m := secretHeader.FindStringSubmatch(a); m != nil && decant.IsSecretParam(m[1]) {
			s.add(m[2])
			shown[i], hidden[i] = m[1]+": "+decant.Redacted, true
			continue
		}
		s.add(decant.Secrets(strings.Fields(a)...)...)
	}
	for i := range shown { // once every secret is known: one may repeat in another argument
		if !hidden[i] {
			shown[i] = s.text(shown[i])
		}
	}
	return shown
}
