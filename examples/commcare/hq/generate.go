// Package hq stands in for the CommCare HQ side of the example: it makes
// the documents a CommCare domain keeps in CouchDB (form submissions and
// the cases they open and update), puts them into a CouchDB-protocol server
// with its quirks (deleted documents, a conflicted case, a design
// document, a document of a type no table takes), and plays the
// application while a domain is migrated live: phones keep submitting
// forms until the migration fences the domain's writes, and then get 503
// as CommCare's phones did.
package hq

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Doc types, as CommCare names them.
const (
	FormType = "XFormInstance"
	CaseType = "CommCareCase"
)

// Epoch is the time of a domain's first submission. Every generated time
// is at or after it, and long before now, so that a live migration's lag
// window never holds generated documents back.
var Epoch = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

// A Domain is the generated content of one CommCare domain.
type Domain struct {
	Name  string
	Forms []Form
	Cases []Case
}

// Form is an XFormInstance document.
type Form struct {
	ID         string         `json:"_id"`
	Rev        string         `json:"_rev,omitempty"`
	DocType    string         `json:"doc_type"`
	Domain     string         `json:"domain"`
	XMLNS      string         `json:"xmlns"`
	ReceivedOn string         `json:"received_on"`
	UserID     string         `json:"user_id"`
	Form       map[string]any `json:"form"`
}

// Case is a CommCareCase document; Actions are the forms' changes to it,
// in order, which the example's plan writes as child rows.
type Case struct {
	ID               string   `json:"_id"`
	Rev              string   `json:"_rev,omitempty"`
	DocType          string   `json:"doc_type"`
	Domain           string   `json:"domain"`
	Type             string   `json:"type"`
	Name             string   `json:"name"`
	OwnerID          string   `json:"owner_id"`
	OpenedOn         string   `json:"opened_on"`
	ModifiedOn       string   `json:"modified_on"`
	ServerModifiedOn string   `json:"server_modified_on"`
	Closed           bool     `json:"closed"`
	Actions          []Action `json:"actions"`
}

// Action is one change a form made to a case.
type Action struct {
	ActionType string `json:"action_type"`
	Date       string `json:"date"`
	XFormID    string `json:"xform_id"`
}

var (
	firstNames = []string{"Asha", "Zoë", "Łukasz", "Nomvula", "Tarō", "Priya", "O'Neil", "Fatima", "Kofi", "Mei"}
	caseTypes  = []string{"mother", "child", "household"}
	xmlnsList  = []string{
		"http://openrosa.org/formdesigner/registration",
		"http://openrosa.org/formdesigner/followup",
		"http://openrosa.org/formdesigner/close",
	}
)

// Generate makes a domain of n cases, each opened by a registration form
// and followed up by zero to three more forms; a few are closed. The same
// name and n give the same documents.
func Generate(name string, n int) Domain {
	seed := uint64(0)
	for _, c := range name {
		seed = seed*31 + uint64(c)
	}
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	d := Domain{Name: name}
	at := Epoch
	for i := range n {
		c := Case{
			ID:      fmt.Sprintf("%s-case-%05d", name, i),
			DocType: CaseType,
			Domain:  name,
			Type:    caseTypes[rng.IntN(len(caseTypes))],
			Name:    fmt.Sprintf("%s %d", firstNames[rng.IntN(len(firstNames))], i),
			OwnerID: fmt.Sprintf("%s-user-%d", name, rng.IntN(5)),
		}
		followups := rng.IntN(4)
		for j := 0; j <= followups; j++ {
			at = at.Add(time.Duration(1+rng.IntN(600)) * time.Second)
			kind := 0
			if j > 0 {
				kind = 1
			}
			if j == followups && j > 0 && rng.IntN(4) == 0 {
				kind, c.Closed = 2, true
			}
			f := newForm(name, fmt.Sprintf("%s-form-%05d-%d", name, i, j), at, c, kind, rng)
			d.Forms = append(d.Forms, f)
			c.Actions = append(c.Actions, Action{ActionType: []string{"create", "update", "close"}[kind], Date: stamp(at), XFormID: f.ID})
			if j == 0 {
				c.OpenedOn = stamp(at)
			}
			c.ModifiedOn, c.ServerModifiedOn = stamp(at), stamp(at)
		}
		d.Cases = append(d.Cases, c)
	}
	return d
}

// newForm makes the form of kind (0 registration, 1 follow-up, 2 close)
// that touches case c at time at.
func newForm(domain, id string, at time.Time, c Case, kind int, rng *rand.Rand) Form {
	body := map[string]any{
		"@name": []string{"Registration", "Follow-up", "Close"}[kind],
		"case":  map[string]any{"@case_id": c.ID, "@date_modified": stamp(at)},
	}
	switch kind {
	case 0:
		body["age"] = 18 + rng.IntN(30)
		body["village"] = fmt.Sprintf("village %d", rng.IntN(20))
	case 1:
		body["weight"] = fmt.Sprintf("%d.%d", 45+rng.IntN(30), rng.IntN(10))
		body["visit_number"] = 1 + rng.IntN(5)
	case 2:
		body["reason"] = "moved away"
	}
	return Form{ID: id, DocType: FormType, Domain: domain, XMLNS: xmlnsList[kind], ReceivedOn: stamp(at), UserID: c.OwnerID, Form: body}
}

// stamp formats t as CommCare's JSON does: UTC with microseconds and Z.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
