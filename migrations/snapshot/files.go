package snapshot

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// formatVersion is the version of the snapshot format written and read.
const formatVersion = 1

// File names inside a snapshot.
const (
	infoFile   = "info.json"
	sumFile    = "info.json.sha256"
	schemaFile = "schema_init.sql"
	dataDir    = "data"
)

// dataFile returns the path of the data file of the i'th table (from 0).
func dataFile(i int, table, ext string) string {
	var b strings.Builder
	for _, r := range table {
		if b.Len() >= 60 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return fmt.Sprintf("%s/%04d-%s.%s", dataDir, i+1, b.String(), ext)
}

// dirWriter writes a snapshot into a temporary directory of its parent and
// renames it into place on commit.
type dirWriter struct {
	parent, name string
	tmp          string
	files        []FileInfo
	done         bool
}

func newDirWriter(parent, name string) (*dirWriter, error) {
	tmp, err := os.MkdirTemp(parent, ".tmp-"+name+"-")
	if err != nil {
		return nil, err
	}
	if err := os.Mkdir(filepath.Join(tmp, dataDir), 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &dirWriter{parent: parent, name: name, tmp: tmp}, nil
}

// writeFile creates the file rel and lets fill write it; the file's size
// and sha256 are recorded for info.json.
func (w *dirWriter) writeFile(rel string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(filepath.Join(w.tmp, filepath.FromSlash(rel)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	bw := bufio.NewWriterSize(cw, 1<<16)
	if err := fill(bw); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	w.files = append(w.files, FileInfo{Path: rel, Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// commit writes info.json and its checksum, and moves the snapshot into place.
func (w *dirWriter) commit(info *Info) error {
	info.Files = slices.Clone(w.files)
	slices.SortFunc(info.Files, func(a, b FileInfo) int { return strings.Compare(a.Path, b.Path) })
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	sum := sha256.Sum256(b)
	for _, f := range []struct {
		name string
		data []byte
	}{
		{infoFile, b},
		{sumFile, []byte(hex.EncodeToString(sum[:]) + "  " + infoFile + "\n")},
	} {
		if err := writeSynced(filepath.Join(w.tmp, f.name), f.data); err != nil {
			return err
		}
	}
	for _, dir := range []string{filepath.Join(w.tmp, dataDir), w.tmp} {
		if err := syncDir(dir); err != nil {
			return err
		}
	}
	if err := absent(w.parent, w.name); err != nil {
		return err
	}
	if err := os.Rename(w.tmp, filepath.Join(w.parent, w.name)); err != nil {
		return err
	}
	w.done = true
	return syncDir(w.parent)
}

// abort removes the temporary directory unless the snapshot was committed.
func (w *dirWriter) abort() {
	if !w.done {
		os.RemoveAll(w.tmp)
	}
}

func writeSynced(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// rowHash computes a table's checksum from its rows in canonical form,
// written to it one row a line, and counts the rows.
type rowHash struct {
	h    hash.Hash
	rows int64
}

func newRowHash() *rowHash { return &rowHash{h: sha256.New()} }

func (r *rowHash) Write(p []byte) (int, error) {
	r.rows += int64(bytes.Count(p, []byte{'\n'}))
	return r.h.Write(p)
}

func (r *rowHash) sum() string { return hex.EncodeToString(r.h.Sum(nil)) }

// stored is a snapshot on disk, as read by readSnapshot.
type stored struct {
	dir  string // the snapshot's directory
	info *Info
	sql  *script // schema_init.sql, once verified
}

// readSnapshot reads the info.json of the snapshot name in dir and checks it
// against info.json.sha256. It does not read the other files: see verify.
func readSnapshot(dir, name string) (*stored, error) {
	sdir := filepath.Join(dir, name)
	b, err := os.ReadFile(filepath.Join(sdir, infoFile))
	if errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(sdir); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("snapshot %q in %s: %w", name, dir, ErrNotFound)
		}
		return nil, fmt.Errorf("snapshot %q: %s is missing: %w", name, infoFile, ErrCorrupt)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot %q: %w", name, err)
	}
	sums, err := os.ReadFile(filepath.Join(sdir, sumFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("snapshot %q: %s is missing: %w", name, sumFile, ErrCorrupt)
		}
		return nil, fmt.Errorf("snapshot %q: %w", name, err)
	}
	want, _, _ := strings.Cut(string(sums), " ")
	if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != strings.TrimSpace(want) {
		return nil, fmt.Errorf("snapshot %q: %s does not match its checksum in %s: %w", name, infoFile, sumFile, ErrCorrupt)
	}
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("snapshot %q: %s: %v: %w", name, infoFile, err, ErrCorrupt)
	}
	if head.Format != formatVersion {
		return nil, fmt.Errorf("snapshot %q is in format %d, this decant reads format %d: %w", name, head.Format, formatVersion, ErrIncompatible)
	}
	info := new(Info)
	if err := json.Unmarshal(b, info); err != nil {
		return nil, fmt.Errorf("snapshot %q: %s: %v: %w", name, infoFile, err, ErrCorrupt)
	}
	info.Name = name
	if len(info.Ledger) > 0 {
		var b bytes.Buffer
		if err := json.Compact(&b, info.Ledger); err == nil {
			info.Ledger = b.Bytes()
		}
	}
	if err := info.check(); err != nil {
		return nil, fmt.Errorf("snapshot %q: %s: %w: %w", name, infoFile, err, ErrCorrupt)
	}
	return &stored{dir: sdir, info: info}, nil
}

// check checks that info is whole and refers only to its own files.
func (info *Info) check() error {
	if info.Dialect != dialectPostgres && info.Dialect != dialectSQLite {
		return fmt.Errorf("unknown dialect %q", info.Dialect)
	}
	files := map[string]bool{}
	for _, f := range info.Files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) || path.Clean(f.Path) != f.Path || f.Path == infoFile || f.Path == sumFile {
			return fmt.Errorf("bad file path %q", f.Path)
		}
		files[f.Path] = true
	}
	if !files[schemaFile] {
		return fmt.Errorf("%s is not listed", schemaFile)
	}
	for _, t := range info.Tables {
		if t.Name == "" || !files[t.File] {
			return fmt.Errorf("table %q: data file %q is not listed", t.QualifiedName(), t.File)
		}
		if t.Rows < 0 || len(t.Checksum) != 64 {
			return fmt.Errorf("table %q: bad rows or checksum", t.QualifiedName())
		}
	}
	return nil
}

// path returns the local path of the snapshot's file rel.
func (s *stored) path(rel string) string { return filepath.Join(s.dir, filepath.FromSlash(rel)) }

// verify checks every file against its size and checksum and parses
// schema_init.sql.
func (s *stored) verify() error {
	if s.info.Dialect == dialectPostgres && len(s.info.Schemas) == 0 {
		return fmt.Errorf("snapshot %q: %s names no schemas: %w", s.info.Name, infoFile, ErrCorrupt)
	}
	for _, f := range s.info.Files {
		if err := verifyFile(s.path(f.Path), f); err != nil {
			return fmt.Errorf("snapshot %q: %w: %w", s.info.Name, err, ErrCorrupt)
		}
	}
	b, err := os.ReadFile(s.path(schemaFile))
	if err != nil {
		return fmt.Errorf("snapshot %q: %w", s.info.Name, err)
	}
	sc, err := parseScript(b)
	if err != nil {
		return fmt.Errorf("snapshot %q: %s: %w: %w", s.info.Name, schemaFile, err, ErrCorrupt)
	}
	s.sql = sc
	return nil
}

func verifyFile(name string, want FileInfo) error {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is missing", want.Path)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("%s: %v", want.Path, err)
	}
	if n != want.Size {
		return fmt.Errorf("%s has %d bytes, want %d (truncated?)", want.Path, n, want.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return fmt.Errorf("%s does not match its checksum", want.Path)
	}
	return nil
}
