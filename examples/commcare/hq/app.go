package hq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// ErrFenced is what a submission gets while its domain's writes are
// fenced: CommCare answered such a phone with HTTP 503, and the phone kept
// the form until later.
var ErrFenced = errors.New("503 Service Unavailable: the domain is being migrated; keep the form on the phone")

// App is the application side of a live migration: it takes form
// submissions into CouchDB, updating the case each one touches, and
// answers the migration's hooks by fencing a domain's writes (on_finish)
// or lifting the fence (on_unfinish).
type App struct {
	Couch *Couch

	// writes is held (read) by every submission from its fence check to
	// its last write, and (write) by a fence: once on_finish answers, no
	// submission is in flight, so draining the source after it misses none.
	writes sync.RWMutex
	mu     sync.Mutex
	fenced map[string]bool
	// hooks records each hook call, "on_finish alpha", in order.
	hooks []string
	n     int
}

// NewApp returns an App writing to db.
func NewApp(db *Couch) *App { return &App{Couch: db, fenced: map[string]bool{}} }

// Submit takes one follow-up form for the case, as a phone sends it: it
// stores the form and the case with its new action, unless the domain is
// fenced. at is the submission's time.
func (a *App) Submit(ctx context.Context, domain, caseID string, at time.Time) (Form, error) {
	a.writes.RLock()
	defer a.writes.RUnlock()
	a.mu.Lock()
	if a.fenced[domain] {
		a.mu.Unlock()
		return Form{}, ErrFenced
	}
	a.n++
	n := a.n
	a.mu.Unlock()
	var cs Case
	if err := a.Couch.Get(ctx, caseID, &cs); err != nil {
		return Form{}, fmt.Errorf("submission for case %s: %w", caseID, err)
	}
	f := Form{
		ID: fmt.Sprintf("%s-live-%05d", domain, n), DocType: FormType, Domain: domain,
		XMLNS: xmlnsList[1], ReceivedOn: stamp(at), UserID: cs.OwnerID,
		Form: map[string]any{"@name": "Follow-up", "case": map[string]any{"@case_id": cs.ID, "@date_modified": stamp(at)}, "visit_number": 9},
	}
	cs.Actions = append(cs.Actions, Action{ActionType: "update", Date: stamp(at), XFormID: f.ID})
	cs.ModifiedOn, cs.ServerModifiedOn = stamp(at), stamp(at)
	if _, err := a.Couch.Put(ctx, []any{f, cs}); err != nil {
		return Form{}, err
	}
	return f, nil
}

// Fenced reports whether domain's writes are fenced.
func (a *App) Fenced(domain string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.fenced[domain]
}

// Hooks returns the hook calls received so far, "on_finish alpha".
func (a *App) Hooks() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.hooks...)
}

// ServeHTTP answers decant's HTTP hooks: a POST whose JSON body names the
// scope (the domain) and the hook. on_finish fences the domain's writes,
// on_unfinish lifts the fence, on_commit is noted.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST a hook", http.StatusMethodNotAllowed)
		return
	}
	var call struct {
		Scope string `json:"scope"`
		Hook  string `json:"hook"`
	}
	if err := json.NewDecoder(r.Body).Decode(&call); err != nil || call.Scope == "" || call.Hook == "" {
		http.Error(w, "want a JSON body with scope and hook", http.StatusBadRequest)
		return
	}
	a.writes.Lock()
	defer a.writes.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	switch call.Hook {
	case "on_finish":
		a.fenced[call.Scope] = true
	case "on_unfinish":
		delete(a.fenced, call.Scope)
	case "on_commit":
	default:
		http.Error(w, "unknown hook "+call.Hook, http.StatusBadRequest)
		return
	}
	a.hooks = append(a.hooks, call.Hook+" "+call.Scope)
	fmt.Fprintf(w, "%s: %s done\n", call.Scope, call.Hook)
}
