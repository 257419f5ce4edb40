package couchdb

import (
	"cmp"
	"fmt"
	"time"

	"github.com/decanthq/decant"
)

// What Options.Conflicts may say.
const (
	// ConflictsWinner reads a conflicted document's winning revision, as
	// CouchDB itself shows it.
	ConflictsWinner = "winner"
	// ConflictsError makes a conflicted document an invalid record, which
	// the engine stores as a record error until someone resolves it.
	ConflictsError = "error"
)

// Options are a CouchDB source's options as a plan writes them under a
// step's from (docs/plan.md, "CouchDB databases"); each field's yaml tag is
// its key. A zero field means its default.
type Options struct {
	// PageSize is how many documents (or changes) a request asks for.
	// Defaults to 1000.
	PageSize int `yaml:"page_size" min:"1"`
	// Filter is a Mango selector: only the documents it matches are read,
	// in both phases. Every "${scope}" in its strings is replaced by the
	// scope of the run.
	Filter map[string]any `yaml:"filter"`
	// Conflicts is "winner" (the default: the winning revision is read) or
	// "error" (a conflicted document becomes a record error).
	Conflicts string `yaml:"conflicts"`
	// Attachments asks for attachment bodies (base64, inline) instead of
	// stubs.
	Attachments bool `yaml:"attachments"`

	// Username and Password send HTTP basic auth. A user and password in
	// the URL are used the same way.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// CAFile is a PEM file of certificates trusted in addition to the system pool.
	CAFile string `yaml:"ca_file"`
	// InsecureSkipVerify turns off TLS certificate verification.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`

	// Timeout bounds each request, body included. Defaults to 60s.
	Timeout time.Duration `yaml:"timeout"`
	// Retries is how many times a failed request is retried: nil (the key
	// left out) means the default, 5; 0 or less means none.
	Retries *int `yaml:"retries"`
	// MaxBody is the largest response body read, in bytes. Defaults to 256 MiB.
	MaxBody int64 `yaml:"max_body" min:"0"`

	// backoffBase is the first retry's maximum wait (500ms); tests shorten it.
	backoffBase time.Duration
}

// Validate checks what can be checked without the URL, each error a
// *decant.OptionError naming the option.
func (o *Options) Validate() error {
	switch {
	case o.PageSize < 0:
		return optionErr("page_size", "want at least 1, not %d", o.PageSize)
	case o.Conflicts != "" && o.Conflicts != ConflictsWinner && o.Conflicts != ConflictsError:
		return optionErr("conflicts", "want %q or %q, not %q", ConflictsWinner, ConflictsError, o.Conflicts)
	case o.Timeout < 0:
		return optionErr("timeout", "must not be negative, not %s", o.Timeout)
	case o.MaxBody < 0:
		return optionErr("max_body", "must not be negative, not %d", o.MaxBody)
	}
	if _, err := selector(o.Filter, decant.DefaultScope); err != nil {
		return optionErr("filter", "%v", err)
	}
	return nil
}

func optionErr(option, format string, args ...any) error {
	return &decant.OptionError{Option: option, Err: fmt.Errorf(format, args...)}
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	o.PageSize = cmp.Or(o.PageSize, 1000)
	o.Conflicts = cmp.Or(o.Conflicts, ConflictsWinner)
	o.Timeout = cmp.Or(o.Timeout, 60*time.Second)
	o.MaxBody = cmp.Or(o.MaxBody, 256<<20)
	o.backoffBase = cmp.Or(o.backoffBase, 500*time.Millisecond)
	return o
}

// retries is how many times a request is retried.
func (o *Options) retries() int {
	switch {
	case o.Retries == nil:
		return 5
	case *o.Retries <= 0:
		return 0
	}
	return *o.Retries
}

// MetadataFields names the members of a document that CouchDB keeps for
// itself: a plan that maps none of them has not dropped data
// (decant.MetadataFielder).
func (o *Options) MetadataFields() []string { return []string{"_rev"} }
