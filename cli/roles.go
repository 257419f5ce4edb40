package cli

import "github.com/decanthq/decant"

// stateReader returns the role of st that status and errors read; decant's
// stores have it.
func stateReader(st decant.Store) (decant.StateReader, error) {
	return decant.Require[decant.StateReader](st, "report its state (status, errors)")
}
