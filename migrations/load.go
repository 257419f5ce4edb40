package migrations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

// Set is a loaded, validated set of migrations.
type Set struct {
	// Versioned are ordered by number, without gaps or duplicates.
	Versioned []*Migration
	// Repeatable are ordered by name; they run after the versioned ones.
	Repeatable []*Migration
}

var (
	versionedName  = regexp.MustCompile(`^(\d+)_([A-Za-z0-9_]+)\.sql$`)
	repeatableName = regexp.MustCompile(`^R__([A-Za-z0-9_]+)\.sql$`)
)

// Load reads the .sql files at the top of fsys (other files are ignored)
// and adds the Go migrations. It fails with ErrLayout on a bad file name, a
// bad directive, a duplicate or missing number, or releases that go down
// as numbers go up (a migration filed under the wrong release).
func Load(fsys fs.FS, gos []GoMigration) (*Set, error) {
	set := &Set{}
	var probs []string
	if fsys != nil {
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			return nil, fmt.Errorf("read migrations: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || path.Ext(e.Name()) != ".sql" {
				continue
			}
			m, err := loadFile(fsys, e.Name())
			if err != nil {
				probs = append(probs, err.Error())
				continue
			}
			if m.Kind == KindRepeatable {
				set.Repeatable = append(set.Repeatable, m)
			} else {
				set.Versioned = append(set.Versioned, m)
			}
		}
	}
	for i := range gos {
		m, err := goMigration(&gos[i])
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		set.Versioned = append(set.Versioned, m)
	}
	sort.SliceStable(set.Versioned, func(i, j int) bool { return set.Versioned[i].Number < set.Versioned[j].Number })
	sort.Slice(set.Repeatable, func(i, j int) bool { return set.Repeatable[i].Name < set.Repeatable[j].Name })
	probs = append(probs, set.checkOrder()...)
	if len(probs) > 0 {
		return nil, fmt.Errorf("%w:\n  %s", ErrLayout, strings.Join(probs, "\n  "))
	}
	return set, nil
}

// checkOrder finds duplicate and missing numbers, and releases that go down.
func (s *Set) checkOrder() []string {
	var probs []string
	var lastRel *Migration
	for i, m := range s.Versioned {
		if m.Number < 1 {
			probs = append(probs, fmt.Sprintf("%s: numbers start at 1", m))
		}
		if i > 0 {
			prev := s.Versioned[i-1]
			switch {
			case m.Number == prev.Number:
				probs = append(probs, fmt.Sprintf("%s and %s have the same number %d", prev, m, m.Number))
			case m.Number > prev.Number+1:
				probs = append(probs, fmt.Sprintf("no migration numbered %d (between %s and %s)", prev.Number+1, prev, m))
			}
		} else if m.Number > 1 {
			probs = append(probs, fmt.Sprintf("no migration numbered 1 (the first is %s)", m))
		}
		if m.Release == "" {
			continue
		}
		if lastRel != nil && semver.Compare(v(m.Release), v(lastRel.Release)) < 0 {
			probs = append(probs, fmt.Sprintf("%s is for release %s but comes after %s for release %s: "+
				"a later number cannot belong to an earlier release", m, m.Release, lastRel, lastRel.Release))
		}
		lastRel = m
	}
	return probs
}

// v turns "1.4.0" into semver's "v1.4.0".
func v(release string) string {
	if strings.HasPrefix(release, "v") {
		return release
	}
	return "v" + release
}

func validRelease(r string) bool { return semver.IsValid(v(r)) }

func loadFile(fsys fs.FS, name string) (*Migration, error) {
	m := &Migration{File: name, Kind: KindSQL}
	if g := versionedName.FindStringSubmatch(name); g != nil {
		n, err := strconv.ParseInt(g[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: number too large", name)
		}
		m.Number, m.Name = n, g[2]
	} else if g := repeatableName.FindStringSubmatch(name); g != nil {
		m.Kind, m.Name = KindRepeatable, g[1]
	} else {
		return nil, fmt.Errorf("%s: not a migration name (want 0007_add_consent.sql, or R__views.sql for a repeatable one)", name)
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	text := string(b)
	m.Checksum = checksum(text)
	if err := m.parse(text); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// checksum hashes text with line endings and trailing spaces normalised, so
// that a checkout on another system does not look like an edit.
func checksum(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	norm := strings.TrimRight(strings.Join(lines, "\n"), "\n")
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// parse reads directives and cuts the up and down sections into statements.
func (m *Migration) parse(text string) error {
	upText, downText, downLine := text, "", 0
	lines := strings.Split(text, "\n")
	offset := 0
	for i, l := range lines {
		d, ok := strings.CutPrefix(strings.TrimSpace(l), "-- decant:")
		if ok {
			if d == "down" {
				upText, downText, downLine = text[:offset], text[offset+len(l):], i+1
				break
			}
			if err := m.directive(d, i+1); err != nil {
				return err
			}
		}
		offset += len(l) + 1
	}
	m.up = split(upText, 1)
	if downText != "" {
		m.down = split(downText, downLine)
	}
	if len(m.up) == 0 {
		return fmt.Errorf("no statements")
	}
	if m.Batch != nil && len(m.up) != 1 {
		return fmt.Errorf("a batched migration holds one statement, this one has %d", len(m.up))
	}
	if m.Batch != nil && (!strings.Contains(m.up[0].text, ":cursor") || !strings.Contains(m.up[0].text, ":size")) {
		return fmt.Errorf("a batched migration's statement must use :cursor and :size")
	}
	if m.Batch != nil && m.Kind == KindRepeatable {
		return fmt.Errorf("a repeatable migration cannot be batched")
	}
	return nil
}

func (m *Migration) directive(d string, line int) error {
	word, arg, _ := strings.Cut(strings.TrimSpace(d), " ")
	arg = strings.TrimSpace(arg)
	switch word {
	case "release":
		if !validRelease(arg) {
			return fmt.Errorf("line %d: release %q is not a semantic version such as 1.4.0", line, arg)
		}
		m.Release = arg
	case "no-transaction":
		m.NoTx = true
	case "rerunnable":
		m.Rerunnable = true
	case "guard":
		if arg == "" {
			return fmt.Errorf("line %d: guard needs a query", line)
		}
		m.Guard = arg
	case "batch":
		b, err := parseBatch(arg)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		m.Batch = b
	default:
		return fmt.Errorf("line %d: unknown directive %q (known: release, no-transaction, rerunnable, guard, batch, down)", line, word)
	}
	return nil
}

// parseBatch reads "size=1000 start=0".
func parseBatch(arg string) (*BatchSpec, error) {
	b := &BatchSpec{Size: 1000, Start: int64(0)}
	for _, f := range strings.Fields(arg) {
		k, val, ok := strings.Cut(f, "=")
		switch {
		case !ok:
			return nil, fmt.Errorf("batch: %q is not key=value", f)
		case k == "size":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("batch: size %q is not a whole number of at least 1", val)
			}
			b.Size = n
		case k == "start":
			if n, err := strconv.ParseInt(val, 10, 64); err == nil {
				b.Start = n
			} else {
				b.Start = strings.Trim(val, `'"`)
			}
		default:
			return nil, fmt.Errorf("batch: unknown setting %q (known: size, start)", k)
		}
	}
	return b, nil
}

func goMigration(g *GoMigration) (*Migration, error) {
	m := &Migration{Number: g.Number, Name: g.Name, Kind: KindGo, Release: g.Release,
		Rerunnable: g.Rerunnable, goMig: g}
	set := 0
	for _, f := range []bool{g.Up != nil, g.UpNoTx != nil, g.Batch != nil} {
		if f {
			set++
		}
	}
	switch {
	case set != 1:
		return nil, fmt.Errorf("%s: set exactly one of Up, UpNoTx and Batch", m)
	case g.Name == "":
		return nil, fmt.Errorf("go migration %d: Name is required", g.Number)
	case g.Release != "" && !validRelease(g.Release):
		return nil, fmt.Errorf("%s: release %q is not a semantic version", m, g.Release)
	}
	m.NoTx = g.UpNoTx != nil
	if g.Batch != nil {
		m.Batch = &BatchSpec{Size: g.BatchSize}
		if m.Batch.Size <= 0 {
			m.Batch.Size = 1000
		}
	}
	m.Checksum = checksum("go:" + g.Name + ":" + g.Fingerprint)
	return m, nil
}
