package decant

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// CheckResolve checks a ResolveRequest before a store runs it: it needs a
// reason, and either error IDs or a step (all of whose open errors go).
func CheckResolve(r ResolveRequest) error {
	if strings.TrimSpace(r.Reason) == "" {
		return errors.New("resolve errors: give a reason (--reason TEXT); it is kept in each error's history")
	}
	if len(r.IDs) == 0 && r.Step == "" {
		return errors.New("resolve errors: name the errors by ID, or a step with --step S --all")
	}
	if r.Scope == "" {
		return errors.New("resolve errors: the scope is empty")
	}
	return nil
}

// MissingResolved returns an error wrapping ErrNotFound when r names IDs
// that are not among the errors a store resolved, so a mistyped ID fails
// the whole request instead of passing unnoticed.
func MissingResolved(r ResolveRequest, done []RecordError) error {
	var missing []string
	for _, id := range r.IDs {
		if !slices.ContainsFunc(done, func(e RecordError) bool { return e.ID == id }) {
			missing = append(missing, fmt.Sprint(id))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("resolve errors: no open error %s in scope %q%s (see decant errors list): %w",
		strings.Join(missing, ", "), r.Scope, stepNote(r.Step), ErrNotFound)
}

func stepNote(step string) string {
	if step == "" {
		return ""
	}
	return " and step " + step
}
