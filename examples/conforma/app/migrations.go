package app

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/mail"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/decanthq/decant/migrations"
)

// Releases lists the releases this program can act as, oldest first.
var Releases = []string{"1.0.0", "1.1.0", "1.2.0"}

// Newest is the latest release, the default of [Config.Release].
const Newest = "1.2.0"

//go:embed migrations/*.sql
var files embed.FS

// goMigrations are the migrations written in Go. They are numbered in the
// same sequence as the files.
var goMigrations = []migrations.GoMigration{{
	Number: 6, Name: "normalise_emails", Release: "1.2.0",
	Fingerprint: "v1", // change it when normaliseEmails changes
	Up:          normaliseEmails,
}}

// Migrations returns the migrations that a build of release carries: the
// files and Go migrations of that release and of earlier ones.
//
// A real build of release 1.0.0 would embed only the files written by then.
// This program can act as any of the three releases, so it hides the later
// files here, and each release shows only its own migrations (-status; an
// older replica sees newer ones as missing). Options.Release alone would
// hold the later ones back: [migrations.Up] stops before them and still
// applies this release's repeatables, and [migrations.Ready] leaves them out.
func Migrations(release string) (fs.FS, []migrations.GoMigration, error) {
	if !slices.Contains(Releases, release) {
		return nil, nil, fmt.Errorf("release %q: this program knows %s", release, strings.Join(Releases, ", "))
	}
	all, err := fs.Sub(files, "migrations")
	if err != nil {
		return nil, nil, err
	}
	set, err := migrations.Load(all, nil)
	if err != nil {
		return nil, nil, err
	}
	later := shippedFS{FS: all, hidden: map[string]bool{}}
	for _, m := range slices.Concat(set.Versioned, set.Repeatable) {
		if after(m.Release, release) {
			later.hidden[m.File] = true
		}
	}
	var gos []migrations.GoMigration
	for _, g := range goMigrations {
		if !after(g.Release, release) {
			gos = append(gos, g)
		}
	}
	return later, gos, nil
}

// after reports whether release a comes after b. A migration without a
// release belongs to every release.
func after(a, b string) bool {
	return a != "" && semver.Compare("v"+a, "v"+b) > 0
}

// shippedFS is a migrations directory without its hidden files.
type shippedFS struct {
	fs.FS
	hidden map[string]bool
}

func (s shippedFS) Open(name string) (fs.File, error) {
	if s.hidden[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return s.FS.Open(name)
}

func (s shippedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(s.FS, name)
	if name != "." {
		return entries, err
	}
	return slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return s.hidden[e.Name()] }), err
}

// normaliseEmails is migration 6 (release 1.2.0): it trims e-mail addresses
// and lower-cases their domain. The part before the @ is left as typed, as
// it may be case-sensitive. That rule is awkward to write in SQL that both
// PostgreSQL and SQLite run, so this migration is Go. Addresses that
// net/mail cannot parse are left alone.
//
// Like every migration, it uses its own queries, never the application's
// current code, so that it still does what it did when it was written.
func normaliseEmails(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, email FROM applicant ORDER BY id`)
	if err != nil {
		return err
	}
	changed := map[int64]string{}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return err
		}
		if norm := normaliseEmail(email); norm != email {
			changed[id] = norm
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The updates wait until the rows are read: a connection cannot run a
	// statement while it is still sending a result.
	for id, email := range changed {
		if _, err := tx.ExecContext(ctx, `UPDATE applicant SET email = $1 WHERE id = $2`, email, id); err != nil {
			return fmt.Errorf("applicant %d: %w", id, err)
		}
	}
	return nil
}

func normaliseEmail(s string) string {
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return s
	}
	at := strings.LastIndexByte(addr.Address, '@')
	return addr.Address[:at] + strings.ToLower(addr.Address[at:])
}
