package snapshot

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// Errors returned by this package, for use with [errors.Is]; the errors
// returned say more, e.g. which snapshot, file or table.
var (
	// ErrNotFound: there is no snapshot of that name.
	ErrNotFound = errors.New("snapshot: no such snapshot")
	// ErrExists: Save was asked for a name that is taken.
	ErrExists = errors.New("snapshot: a snapshot of that name exists")
	// ErrCorrupt: a file of the snapshot is missing, truncated or altered.
	ErrCorrupt = errors.New("snapshot: corrupt or incomplete snapshot")
	// ErrIncompatible: the snapshot is of another dialect, or of a format
	// this version of decant cannot read.
	ErrIncompatible = errors.New("snapshot: snapshot does not fit")
	// ErrNewerRelease: the snapshot was taken by a newer release of the
	// application than the running one; the error is a [*ReleaseError].
	ErrNewerRelease = errors.New("snapshot: snapshot is from a newer release")
	// ErrMismatch: after loading, a table's row count or checksum differs from
	// the snapshot's (the load was rolled back).
	ErrMismatch = errors.New("snapshot: loaded data differs from the snapshot")
	// ErrReleaseBehind: Save was given a release older than a migration
	// the database has applied, which would let Load put the snapshot under
	// an application too old for it.
	ErrReleaseBehind = errors.New("snapshot: the release is older than the database")
	// ErrUnsupported: the database holds an object that snapshots cannot
	// carry, so Save refuses rather than leave it out.
	ErrUnsupported = errors.New("snapshot: the database holds objects snapshots cannot carry")
)

// ReleaseError is the refusal to load a snapshot taken by a newer release of
// the application. It matches [ErrNewerRelease].
type ReleaseError struct {
	Name       string // the snapshot
	Release    string // the release that took it
	AppRelease string // the running application's release
}

func (e *ReleaseError) Error() string {
	return fmt.Sprintf("snapshot %q is from release %s, newer than this application (%s); upgrade the application first",
		e.Name, e.Release, e.AppRelease)
}

// Is reports whether target is [ErrNewerRelease].
func (e *ReleaseError) Is(target error) bool { return target == ErrNewerRelease }

// Options are the settings of [Save] and [Load].
type Options struct {
	// Dir is the directory holding the snapshots, one subdirectory each.
	// Required. Save creates it if needed.
	Dir string

	// AppRelease is the running application's release, a semantic version
	// with or without a leading "v" ("1.4.0"). Required. Save records it;
	// Load refuses a snapshot whose release is newer.
	AppRelease string

	// DecantVersion is the version of decant, recorded by Save.
	DecantVersion string

	// Schemas are the PostgreSQL schemas a snapshot carries. Defaults to
	// ["public"]. Load drops and recreates the snapshot's own schemas,
	// whatever this says. Ignored for SQLite.
	Schemas []string

	// Ledger, when set, returns the migration ledger, which Save stores in
	// info.json (it must be JSON; [Info.Ledger] holds it compacted). Save
	// calls it before it starts reading the database, with no connection of
	// its own held.
	Ledger func(ctx context.Context, db *sql.DB) (json.RawMessage, error)

	// Migrate, when set, is called by Load after the snapshot is loaded and
	// committed, to apply the migrations newer than the snapshot. res says
	// what was loaded and the backup's name, so the hook can report them
	// before it starts.
	Migrate func(ctx context.Context, db *sql.DB, res *LoadResult) error

	// Now returns the current time. Defaults to [time.Now].
	Now func() time.Time
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) schemas() []string {
	if len(o.Schemas) == 0 {
		return []string{"public"}
	}
	return o.Schemas
}

func (o *Options) validate() error {
	if o.Dir == "" {
		return errors.New("snapshot: Options.Dir is required")
	}
	if o.AppRelease == "" {
		return errors.New("snapshot: Options.AppRelease is required")
	}
	if !semver.IsValid(vRelease(o.AppRelease)) {
		return fmt.Errorf("snapshot: Options.AppRelease %q is not a semantic version", o.AppRelease)
	}
	for _, s := range o.Schemas {
		if s == "" || strings.HasPrefix(s, "pg_") || s == "information_schema" {
			return fmt.Errorf("snapshot: Options.Schemas: %q is not a schema of the application", s)
		}
	}
	return nil
}

// vRelease returns release with the leading "v" that package semver wants.
func vRelease(release string) string { return "v" + strings.TrimPrefix(release, "v") }

// Info describes a snapshot; it is the content of its info.json.
type Info struct {
	// Format is the version of the snapshot format; this package writes and
	// reads 1.
	Format int `json:"format"`
	// Name is the snapshot's name: the name of its directory.
	Name string `json:"name"`
	// Dialect is "postgres" or "sqlite".
	Dialect string `json:"dialect"`
	// Release is the application release that took the snapshot, without "v".
	Release string `json:"release"`
	// DecantVersion is the version of decant that took it.
	DecantVersion string `json:"decant_version,omitempty"`
	// ServerVersion is the database server's version (SQLite: the library's).
	ServerVersion string `json:"server_version"`
	// Taken is when the snapshot was taken, in UTC.
	Taken time.Time `json:"taken"`
	// Schemas are the PostgreSQL schemas carried.
	Schemas []string `json:"schemas,omitempty"`
	// Ledger is the migration ledger, as returned by [Options.Ledger].
	Ledger json.RawMessage `json:"ledger,omitempty"`
	// Tables are the tables whose data the snapshot holds, in load order.
	Tables []TableInfo `json:"tables"`
	// Sequences are the values of the sequences (SQLite: of sqlite_sequence).
	Sequences []SequenceInfo `json:"sequences,omitempty"`
	// Files lists every file of the snapshot but info.json, with its size
	// and sha256.
	Files []FileInfo `json:"files"`
}

// TableInfo describes the data of one table in a snapshot.
type TableInfo struct {
	// Schema is the table's PostgreSQL schema; empty for SQLite.
	Schema string `json:"schema,omitempty"`
	// Name is the table's name.
	Name string `json:"name"`
	// Columns are the columns the data file holds, in order. Generated
	// columns are left out; a SQLite table's rowid is in as "rowid" (or
	// "_rowid_" or "oid", when a column has that name) unless a column is
	// an alias of it.
	Columns []string `json:"columns"`
	// Rows is the table's number of rows.
	Rows int64 `json:"rows"`
	// Checksum is the hex sha256 of the table's rows in canonical form:
	// ordered by primary key (else by the whole row), each row encoded as in
	// the data file. It is computed again from the database after a load.
	Checksum string `json:"checksum"`
	// File is the data file, relative to the snapshot's directory.
	File string `json:"file"`
}

// QualifiedName returns the table's name with its schema, if any, as in
// "public.orders".
func (t TableInfo) QualifiedName() string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// SequenceInfo is the state of one sequence.
type SequenceInfo struct {
	Schema string `json:"schema,omitempty"` // PostgreSQL schema; empty for SQLite
	Name   string `json:"name"`
	Value  int64  `json:"value"`            // last_value (SQLite: sqlite_sequence.seq)
	Called bool   `json:"called,omitempty"` // PostgreSQL is_called
}

// FileInfo is a file of a snapshot, as written.
type FileInfo struct {
	Path   string `json:"path"` // relative to the snapshot's directory, with "/"
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // hex
}

// LoadResult reports what [Load] did.
type LoadResult struct {
	// Snapshot is the snapshot loaded.
	Snapshot *Info `json:"snapshot"`
	// Backup is the name of the snapshot of the database saved before it was
	// replaced; empty when the database was empty and nothing was saved.
	Backup string `json:"backup,omitempty"`
	// Loaded says the snapshot's content was loaded, checked and committed.
	Loaded bool `json:"loaded"`
	// Migrated says whether [Options.Migrate] was called and succeeded.
	Migrated bool `json:"migrated"`
}

// Save writes a snapshot of db named name into opts.Dir and returns its
// description. The name may hold letters, digits, '.', '_' and '-', and may
// not start with '.' or '-'. A snapshot of that name must not exist.
//
// Save reads the database in one transaction (PostgreSQL: REPEATABLE READ,
// READ ONLY), so the snapshot is consistent while others write. It refuses,
// with [ErrUnsupported], a database holding objects it cannot carry.
func Save(ctx context.Context, db *sql.DB, name string, opts Options) (*Info, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	d, err := dialectOf(db)
	if err != nil {
		return nil, err
	}
	return save(ctx, db, d, name, opts, opts.schemas())
}

func save(ctx context.Context, db *sql.DB, d dialect, name string, opts Options, schemas []string) (*Info, error) {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	if err := absent(opts.Dir, name); err != nil {
		return nil, err
	}
	info := &Info{
		Format:        formatVersion,
		Name:          name,
		Dialect:       d.name(),
		Release:       strings.TrimPrefix(opts.AppRelease, "v"),
		DecantVersion: opts.DecantVersion,
		Taken:         opts.now().UTC(),
		Tables:        []TableInfo{},
	}
	if d.name() == dialectPostgres {
		info.Schemas = slices.Clone(schemas)
	}
	if opts.Ledger != nil {
		ledger, err := opts.Ledger(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("snapshot %q: ledger: %w", name, err)
		}
		if err := releaseCovers(opts.AppRelease, ledger); err != nil {
			return nil, fmt.Errorf("snapshot %q: %w", name, err)
		}
		if len(ledger) > 0 {
			var b bytes.Buffer
			if err := json.Compact(&b, ledger); err != nil {
				return nil, fmt.Errorf("snapshot %q: ledger is not JSON: %w", name, err)
			}
			info.Ledger = b.Bytes()
		}
	}
	w, err := newDirWriter(opts.Dir, name)
	if err != nil {
		return nil, fmt.Errorf("snapshot %q: %w", name, err)
	}
	defer w.abort()
	if err := d.save(ctx, w, info); err != nil {
		return nil, fmt.Errorf("snapshot %q: save: %w", name, err)
	}
	if err := w.commit(info); err != nil {
		return nil, fmt.Errorf("snapshot %q: %w", name, err)
	}
	return info, nil
}

// absent returns [ErrExists] when dir holds something called name.
func absent(dir, name string) error {
	_, err := os.Lstat(filepath.Join(dir, name))
	switch {
	case err == nil:
		return fmt.Errorf("snapshot %q in %s: %w", name, dir, ErrExists)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("snapshot: %w", err)
	}
}

// Load replaces the database's content by the snapshot called name.
//
// Before it changes anything, Load refuses a snapshot that is missing or
// whose info.json or other files do not match their checksums
// ([ErrNotFound], [ErrCorrupt]), of another dialect or an unknown format
// ([ErrIncompatible]), or taken by a newer release than opts.AppRelease
// ([ErrNewerRelease]). Then, unless the database is empty, it saves a
// backup snapshot named "backup-" and the time in UTC
// (backup-20260102T150405Z), reported in [LoadResult.Backup].
//
// Then, in one transaction, it drops the database's objects (PostgreSQL:
// DROP SCHEMA ... CASCADE for each of the snapshot's schemas; SQLite: every
// table, index, view and trigger), runs the pre-data part of
// schema_init.sql, loads the data, checks each table's row count and
// checksum (a difference rolls back everything with [ErrMismatch]), runs
// the post-data part (foreign keys, indexes, views, triggers, row-level
// security: no trigger fires during the load), sets the sequences, and
// commits. Last, it calls opts.Migrate.
//
// Stop the application first: PostgreSQL waits for other sessions' locks
// on the objects it drops, and SQLite for their write lock.
func Load(ctx context.Context, db *sql.DB, name string, opts Options) (*LoadResult, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	d, err := dialectOf(db)
	if err != nil {
		return nil, err
	}
	s, err := readSnapshot(opts.Dir, name)
	if err != nil {
		return nil, err
	}
	if s.info.Dialect != d.name() {
		return nil, fmt.Errorf("snapshot %q is of a %s database, this is %s: %w", name, s.info.Dialect, d.name(), ErrIncompatible)
	}
	if err := checkRelease(s.info, opts.AppRelease); err != nil {
		return nil, err
	}
	if err := s.verify(); err != nil {
		return nil, err
	}

	res := &LoadResult{Snapshot: s.info}
	empty, err := d.empty(ctx, s.info.Schemas)
	if err != nil {
		return nil, fmt.Errorf("snapshot %q: %w", name, err)
	}
	if !empty {
		backup, err := backupName(opts.Dir, opts.now())
		if err != nil {
			return nil, err
		}
		if _, err := save(ctx, db, d, backup, opts, s.info.Schemas); err != nil {
			return nil, fmt.Errorf("snapshot %q: backup before load: %w", name, err)
		}
		res.Backup = backup
	}
	if err := d.load(ctx, s); err != nil {
		return res, fmt.Errorf("snapshot %q: load: %w", name, err)
	}
	res.Loaded = true
	if opts.Migrate != nil {
		if err := opts.Migrate(ctx, db, res); err != nil {
			return res, fmt.Errorf("snapshot %q loaded, but migrate: %w", name, err)
		}
		res.Migrated = true
	}
	return res, nil
}

// checkRelease refuses a snapshot taken by a newer release than appRelease.
func checkRelease(info *Info, appRelease string) error {
	if !semver.IsValid(vRelease(info.Release)) {
		return fmt.Errorf("snapshot %q: release %q is not a semantic version: %w", info.Name, info.Release, ErrCorrupt)
	}
	if semver.Compare(vRelease(info.Release), vRelease(appRelease)) > 0 {
		return &ReleaseError{Name: info.Name, Release: info.Release, AppRelease: strings.TrimPrefix(appRelease, "v")}
	}
	return nil
}

// backupName returns a free name for a backup snapshot taken at now.
func backupName(dir string, now time.Time) (string, error) {
	base := "backup-" + now.UTC().Format("20060102T150405Z")
	name := base
	for i := 2; ; i++ {
		err := absent(dir, name)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, ErrExists) {
			return "", err
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// Verify reads the snapshot called name in dir and checks every file
// against its checksum, as [Load] does before changing anything.
func Verify(dir, name string) (*Info, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	s, err := readSnapshot(dir, name)
	if err != nil {
		return nil, err
	}
	if err := s.verify(); err != nil {
		return nil, err
	}
	return s.info, nil
}

// List returns the snapshots in dir, oldest first (by [Info.Taken], then
// name). A directory that does not exist holds none. Snapshots that cannot
// be read are left out and reported together in the error, so that one bad
// directory does not hide the others; the file checksums are not checked
// (see [Verify]).
func List(dir string) ([]Info, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot: list: %w", err)
	}
	var infos []Info
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		s, err := readSnapshot(dir, e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		infos = append(infos, *s.info)
	}
	slices.SortFunc(infos, func(a, b Info) int {
		if c := a.Taken.Compare(b.Taken); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return infos, errors.Join(errs...)
}

// checkName accepts the names Save may create.
func checkName(name string) error {
	ok := name != "" && len(name) <= 200 && name[0] != '.' && name[0] != '-'
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("snapshot: invalid name %q: use letters, digits, '.', '_' and '-', not first '.' or '-'", name)
	}
	return nil
}
