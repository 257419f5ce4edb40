package connect

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/couchdb"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/mysql"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/postgres"
	"github.com/decanthq/decant/sqlite"
)

// DefaultSources returns the kinds of source decant reads, by URL scheme.
// Adding a source is a package of its own (its options type, defaults,
// validation and opener), one line here and one section in docs/plan.md.
func DefaultSources() *Registry {
	return NewRegistry(
		Kind(httpfeed.Open, "http", "https"),
		LocalKind(files.Open, "file"),
		Kind(couchdb.Open, couchdb.Schemes...),
		Kind(mysql.Open, mysql.Schemes...),
		Kind(postgres.OpenSource, "postgres", "postgresql"),
		LocalKind(sqlite.OpenSource, "sqlite"),
	)
}

// A SourceKind is one kind of source: the URL schemes it reads, the type of
// its options and how it opens. Build one with [Kind] or [LocalKind].
type SourceKind struct {
	schemes    []string
	newOptions func() any
	open       func(raw, dir string, f plan.From) (decant.Source, error)
}

// Kind is the kind of source that open opens for URLs of the schemes.
// open receives the connection's URL, the step's from.key and from.cursor,
// and the source's options O, decoded from the step's other from keys (see
// plan.SourceKinds for what an options type may hold).
func Kind[O any, S decant.Source](open func(url, key, cursor string, o *O) (S, error), schemes ...string) SourceKind {
	return kind(open, func(raw, _, _ string) string { return raw }, schemes)
}

// LocalKind is [Kind] for a source of local files: open receives the path
// of a scheme:PATH or scheme://PATH URL, a relative one joined to the plan
// file's directory.
func LocalKind[O any, S decant.Source](open func(path, key, cursor string, o *O) (S, error), schemes ...string) SourceKind {
	return kind(open, localPath, schemes)
}

func kind[O any, S decant.Source](open func(loc, key, cursor string, o *O) (S, error), locate func(raw, scheme, dir string) string, schemes []string) SourceKind {
	return SourceKind{
		schemes:    schemes,
		newOptions: func() any { return new(O) },
		open: func(raw, dir string, f plan.From) (decant.Source, error) {
			opts := new(O)
			if f.Options != nil {
				o, ok := f.Options.(*O)
				if !ok {
					return nil, fmt.Errorf("from options are %T, want %T", f.Options, opts)
				}
				opts = o
			}
			src, err := open(locate(raw, scheme(raw), dir), f.Key, f.Cursor, opts)
			if err != nil { // not a typed nil in a non-nil interface
				return nil, err
			}
			return src, nil
		},
	}
}

// Registry maps URL schemes to the kinds of source that read them. It is
// the plan.SourceKinds a plan loads with, so that every step's from
// options are checked at load.
type Registry struct {
	kinds map[string]SourceKind
}

// NewRegistry returns a registry of kinds. A scheme claimed by two kinds
// is a programming error and panics, as database/sql's Register does.
func NewRegistry(kinds ...SourceKind) *Registry {
	r := &Registry{kinds: map[string]SourceKind{}}
	for _, k := range kinds {
		for _, s := range k.schemes {
			s = strings.ToLower(s)
			if _, dup := r.kinds[s]; dup {
				panic("connect: two kinds of source read " + s + ": URLs")
			}
			r.kinds[s] = k
		}
	}
	return r
}

// Schemes returns the schemes of the registered sources, sorted.
func (r *Registry) Schemes() []string {
	out := make([]string, 0, len(r.kinds))
	for s := range r.kinds {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// NewOptions returns a pointer to new zero options of the source that reads
// URLs of scheme, or nil when none does.
func (r *Registry) NewOptions(scheme string) any {
	k, ok := r.kinds[strings.ToLower(scheme)]
	if !ok {
		return nil
	}
	return k.newOptions()
}

// Open opens a source by URL with a step's from: its key, cursor and
// Options (nil: the source's defaults); relative file paths are joined to
// dir. A URL whose scheme no source reads fails with [ErrScheme], naming
// the schemes that work.
func (r *Registry) Open(raw, dir string, f plan.From) (decant.Source, error) {
	k, ok := r.kinds[scheme(raw)]
	if !ok {
		return nil, fmt.Errorf("%w: %s cannot be a source yet (sources read %s URLs)", ErrScheme, decant.RedactURL(raw), strings.Join(r.Schemes(), ", "))
	}
	if f.Options == nil && len(f.OptionKeys()) > 0 {
		// Opening with defaults would drop what the plan asked for.
		return nil, fmt.Errorf("from sets %s, which nothing decoded: open the step through Sources, or load the plan with plan.Options{Sources: connect.DefaultSources()}",
			strings.Join(f.OptionKeys(), ", "))
	}
	return k.open(raw, dir, f)
}

// Sources returns a function that opens the source of a plan's step. A
// step whose options the plan did not decode at load (it was loaded without
// plan.Options.Sources) has them decoded here, with the same errors.
func (r *Registry) Sources(p *plan.Plan) func(ctx context.Context, s *plan.Step) (decant.Source, error) {
	return func(ctx context.Context, s *plan.Step) (decant.Source, error) {
		return r.openStep(p, s)
	}
}

// openStep opens the source of step s; opening does no I/O.
func (r *Registry) openStep(p *plan.Plan, s *plan.Step) (decant.Source, error) {
	f := s.From
	if f.Options == nil {
		opts, err := p.SourceOptions(s, r)
		if err != nil {
			return nil, err // a *plan.Error: file:line:col first
		}
		f.Options = opts
	}
	src, err := r.Open(p.Connections[f.Connection], filepath.Dir(p.File), f)
	if err != nil {
		return nil, fmt.Errorf("connection %s: %w", f.Connection, err)
	}
	return src, nil
}

// Warnings opens the sources of steps, without reading them, and returns
// what they warn about (httpfeed: TLS verification off, credentials over
// plain http), each once, prefixed with the connection's name and redacted
// URL. A source that does not open is skipped: opening it again for real
// reports that error.
func (r *Registry) Warnings(p *plan.Plan, steps []*plan.Step) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range steps {
		src, err := r.openStep(p, s)
		if err != nil {
			continue
		}
		if w, ok := src.(interface{ Warnings() []string }); ok {
			for _, msg := range w.Warnings() {
				line := fmt.Sprintf("connection %s (%s): %s", s.From.Connection, decant.RedactURL(p.Connections[s.From.Connection]), msg)
				if !seen[line] {
					seen[line] = true
					out = append(out, line)
				}
			}
		}
		src.Close()
	}
	return out
}

// Sources returns a function that opens the source of a plan's step with
// [DefaultSources].
func Sources(p *plan.Plan) func(ctx context.Context, s *plan.Step) (decant.Source, error) {
	return DefaultSources().Sources(p)
}

// Warnings returns what the sources of steps warn about, opened with
// [DefaultSources]; see [Registry.Warnings].
func Warnings(p *plan.Plan, steps []*plan.Step) []string {
	return DefaultSources().Warnings(p, steps)
}

// OpenSource opens a source by URL with a step's from, with
// [DefaultSources]; see [Registry.Open].
func OpenSource(raw, dir string, f plan.From) (decant.Source, error) {
	return DefaultSources().Open(raw, dir, f)
}
