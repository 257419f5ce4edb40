package snapshot

import (
	"encoding/json"
	"fmt"

	"golang.org/x/mod/semver"
)

// ledgerEntry is what Save reads of a migration ledger's entries: the
// shape of migrations.Ledger's, whatever else they carry.
type ledgerEntry struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Release string `json:"release"`
}

// releaseCovers refuses to record release for a database that holds a
// migration of a later release. Load refuses a snapshot from a release
// newer than the application's, and that refusal is only as good as the
// release the snapshot records: a snapshot saved as 1.0.0 from a database
// already at 2.0.0 would load under 1.0.0 and break it. A ledger that is
// not a list of entries with releases has nothing to check.
func releaseCovers(release string, ledger json.RawMessage) error {
	var entries []ledgerEntry
	if len(ledger) == 0 || json.Unmarshal(ledger, &entries) != nil {
		return nil
	}
	for _, e := range entries {
		if e.Release != "" && semver.Compare(vRelease(e.Release), vRelease(release)) > 0 {
			return fmt.Errorf("%w: release %s, but the database has migration %s (%s) of release %s applied; save it with the release of the application that runs on it",
				ErrReleaseBehind, release, e.ID, e.Name, e.Release)
		}
	}
	return nil
}
