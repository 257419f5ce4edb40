// Package connect opens the stores and sources a plan's connection URLs name:
// postgres:// and sqlite: targets, http(s):// feeds and file: sources. It is
// the one place that knows every driver, so the engine need not. Sources
// are kept in a [Registry] by URL scheme (sources.go): each source package
// owns its options, and the plan decodes them with the registry's help.
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
	if decant.HasScopeRef(raw) {
		// One target holds every scope's rows and state; a scope's rows are
		// told apart by a column (map: {domain: scope}) and verify: where.
		return nil, fmt.Errorf("the target %s names ${scope}: a target holds every scope, so it cannot depend on one; "+
			"write the scope into a column (map: {tenant: scope}) and select it with verify: {where: \"tenant = ${scope}\"}", decant.RedactURL(raw))
	}
	switch scheme(raw) {
	case "postgres", "postgresql":
		return postgres.Open(ctx, raw, postgres.Config{})
	case "sqlite":
		return sqlite.Open(ctx, localPath(raw, "sqlite", dir), sqlite.Config{MustExist: !create})
	}
	return nil, fmt.Errorf("%w: %s cannot be a target (use postgres:// or sqlite:)", ErrScheme, decant.RedactURL(raw))
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
