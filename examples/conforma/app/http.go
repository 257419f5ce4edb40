package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/decanthq/decant/migrations"
)

// Applicant is an item of GET /applicants. FullName comes with release
// 1.1.0, Consent with 1.2.0.
type Applicant struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	FullName  string `json:"full_name,omitempty"`
	Consent   *bool  `json:"consent,omitempty"`
}

// Handler serves:
//
//	GET /healthz     200 while the process runs (liveness)
//	GET /readyz      200 once every migration of the release is applied,
//	                 503 with the reason until then (readiness)
//	GET /applicants  the applicants as JSON
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.HandleFunc("GET /applicants", a.applicants)
	return mux
}

// readyz takes no lock and costs a few queries, so a load balancer may
// probe it often. A replica stays out of rotation while its release's
// backfill runs, on whichever replica runs it.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	if err := migrations.Ready(r.Context(), a.db, a.fsys, a.opts); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintf(w, "ready: release %s\n", a.release)
}

func (a *App) applicants(w http.ResponseWriter, r *http.Request) {
	list, err := a.listApplicants(r.Context())
	if err != nil {
		a.log.Error("list applicants", "err", err)
		http.Error(w, "cannot list applicants", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}

// listApplicants reads the columns the release knows. Release 1.1.0
// serves before its backfill is done, so it computes full_name where the
// backfill has not been yet.
func (a *App) listApplicants(ctx context.Context) ([]Applicant, error) {
	cols := "id, first_name, last_name, email"
	withName, withConsent := !after("1.1.0", a.release), !after("1.2.0", a.release)
	if withName {
		cols += ", COALESCE(full_name, first_name || ' ' || last_name)"
	}
	if withConsent {
		cols += ", consent"
	}
	rows, err := a.db.QueryContext(ctx, "SELECT "+cols+" FROM applicant ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []Applicant{}
	for rows.Next() {
		var p Applicant
		dest := []any{&p.ID, &p.FirstName, &p.LastName, &p.Email}
		if withName {
			dest = append(dest, &p.FullName)
		}
		if withConsent {
			p.Consent = new(bool)
			dest = append(dest, p.Consent)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, rows.Err()
}
