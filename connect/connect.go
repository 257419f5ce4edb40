// Package connect opens the stores and sources a plan's connection URLs name:
// postgres:// and sqlite: targets, http(s):// feeds and file: sources. It is
// the one place that knows every driver, so the engine need not.
//
// Relative sqlite: and file: paths are read relative to the plan file's
// directory, so a plan and its data can move together.
package connect

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/postgres"
	"github.com/decanthq/decant/sqlite"
)

// ErrScheme is returned for a URL whose scheme decant cannot use there.
var ErrScheme = fmt.Errorf("unsupported connection")

// Store opens the plan's target connection, creating a SQLite database
// file that does not exist yet. Commands that write use it; those that only
// read use [ExistingStore].
func Store(ctx context.Context, p *plan.Plan) (decant.Store, error) {
	return planStore(ctx, p, true)
}

// ExistingStore opens the plan's target connection like [Store], but
// refuses a SQLite database file that does not exist, with an error
// wrapping sqlite.ErrNoFile, instead of creating an empty one: a mistyped
// path must not pass for an empty database.
func ExistingStore(ctx context.Context, p *plan.Plan) (decant.Store, error) {
	return planStore(ctx, p, false)
}

func planStore(ctx context.Context, p *plan.Plan, create bool) (decant.Store, error) {
	raw := p.Connections[p.Target]
	st, err := openStore(ctx, raw, filepath.Dir(p.File), create)
	if errors.Is(err, sqlite.ErrNoFile) {
		return nil, fmt.Errorf("connection %s: %w; check the path (a relative one is read from the plan's directory), or run `decant migrate` to create the database", p.Target, err)
	}
	if err != nil {
		return nil, fmt.Errorf("connection %s: %w", p.Target, err)
	}
	return st, nil
}

// OpenStore opens a target by URL, creating a SQLite file that does not
// exist; relative SQLite paths are joined to dir.
func OpenStore(ctx context.Context, raw, dir string) (decant.Store, error) {
	return openStore(ctx, raw, dir, true)
}

func openStore(ctx context.Context, raw, dir string, create bool) (decant.Store, error) {
	switch scheme(raw) {
	case "postgres", "postgresql":
		return postgres.Open(ctx, raw, postgres.Config{})
	case "sqlite":
		return sqlite.Open(ctx, localPath(raw, "sqlite", dir), sqlite.Config{MustExist: !create})
	}
	return nil, fmt.Errorf("%w: %s cannot be a target (use postgres:// or sqlite:)", ErrScheme, decant.RedactURL(raw))
}

// Sources returns a function that opens the source of a plan's step.
func Sources(p *plan.Plan) func(ctx context.Context, s *plan.Step) (decant.Source, error) {
	dir := filepath.Dir(p.File)
	return func(ctx context.Context, s *plan.Step) (decant.Source, error) {
		raw := p.Connections[s.From.Connection]
		src, err := OpenSource(raw, dir, s.From)
		if err != nil {
			return nil, fmt.Errorf("connection %s: %w", s.From.Connection, err)
		}
		return src, nil
	}
}

// Warnings opens the sources of steps, without reading them, and returns
// what they warn about (httpfeed: TLS verification off, credentials over
// plain http), each once, prefixed with the connection's name and redacted
// URL. A source that does not open is skipped: opening it again for real
// reports that error.
func Warnings(p *plan.Plan, steps []*plan.Step) []string {
	dir := filepath.Dir(p.File)
	var out []string
	seen := map[string]bool{}
	for _, s := range steps {
		raw := p.Connections[s.From.Connection]
		src, err := OpenSource(raw, dir, s.From)
		if err != nil {
			continue
		}
		if w, ok := src.(interface{ Warnings() []string }); ok {
			for _, msg := range w.Warnings() {
				line := fmt.Sprintf("connection %s (%s): %s", s.From.Connection, decant.RedactURL(raw), msg)
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

// OpenSource opens a source by URL with a step's from options.
func OpenSource(raw, dir string, f plan.From) (decant.Source, error) {
	switch scheme(raw) {
	case "http", "https":
		cfg := httpfeed.Config{
			CursorParam: f.CursorParam, SizeParam: f.SizeParam, PageSize: f.PageSize,
			Items: f.Items, Key: f.Key, Cursor: f.Cursor, CursorType: f.CursorType, Start: f.Start,
			Username: f.Username, Password: f.Password, BearerToken: f.BearerToken, Header: f.Header,
			CAFile: f.CAFile, InsecureSkipVerify: f.InsecureSkipVerify,
			Timeout: f.Timeout.Std(), MaxBody: f.MaxBody,
		}
		cfg.Retries = feedRetries(f.Retries)
		return httpfeed.New(raw, cfg)
	case "file":
		return files.New(localPath(raw, "file", dir), files.Config{Format: f.Format, Key: f.Key, Cursor: f.Cursor, Delimiter: f.Delimiter})
	}
	return nil, fmt.Errorf("%w: %s cannot be a source yet (use http(s):// or file:)", ErrScheme, decant.RedactURL(raw))
}

// feedRetries turns the plan's retries into httpfeed's: absent keeps
// httpfeed's default (5), and 0 or less means none. httpfeed reads a zero
// Config.Retries as "the default" and a negative one as "none", so an
// explicit 0 in the plan must not be passed on as 0.
func feedRetries(r *int) int {
	switch {
	case r == nil:
		return 0
	case *r <= 0:
		return -1
	}
	return *r
}

func scheme(raw string) string {
	i := strings.Index(raw, ":")
	if i < 0 {
		return ""
	}
	return strings.ToLower(raw[:i])
}

// localPath takes the path out of sqlite:PATH, sqlite://PATH, file:PATH or
// file://PATH and joins a relative one to dir.
func localPath(raw, scheme, dir string) string {
	p := raw[len(scheme)+1:]
	p = strings.TrimPrefix(p, "//")
	if !filepath.IsAbs(p) && dir != "" {
		p = filepath.Join(dir, p)
	}
	return p
}
