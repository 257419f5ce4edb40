package snapshot

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// schema_init.sql is divided by marker lines, so that Load can run its
// parts separately and one statement at a time without parsing SQL:
//
//	-- decant: SECTION setup|pre-data|post-data
//	-- decant: KIND LABEL   (starts a statement; KIND and LABEL are for people)
//
// Everything between a statement's marker and the next marker is the
// statement. Text before the first marker is a comment.
const marker = "-- decant: "

// Sections of schema_init.sql.
const (
	sectionSetup = "setup"     // session settings for running the file by hand; Load sets its own
	sectionPre   = "pre-data"  // objects created before the data is loaded
	sectionPost  = "post-data" // objects created after: foreign keys, indexes, triggers...
)

// statement is one SQL statement of schema_init.sql.
type statement struct {
	kind  string // TABLE, INDEX, ...
	label string // the object's name
	sql   string
}

// script is the content of schema_init.sql.
type script struct {
	setup, pre, post []statement
}

func (s *script) add(section *[]statement, kind, label, sql string) {
	*section = append(*section, statement{kind: kind, label: label, sql: sql})
}

// check refuses statements that would not survive a round trip through
// render and parseScript.
func (s *script) check() error {
	for _, sec := range [][]statement{s.setup, s.pre, s.post} {
		for _, st := range sec {
			if strings.Contains("\n"+st.sql, "\n"+marker) {
				return fmt.Errorf("%s %s: a line starts with %q: %w", st.kind, st.label, marker, ErrUnsupported)
			}
			if strings.TrimSpace(st.sql) == "" {
				return fmt.Errorf("%s %s: empty statement", st.kind, st.label)
			}
		}
	}
	return nil
}

// render returns the text of schema_init.sql, header being comment lines.
func (s *script) render(header string) []byte {
	var b strings.Builder
	b.WriteString(header)
	for _, sec := range []struct {
		name  string
		stmts []statement
	}{{sectionSetup, s.setup}, {sectionPre, s.pre}, {sectionPost, s.post}} {
		fmt.Fprintf(&b, "\n%sSECTION %s\n", marker, sec.name)
		for _, st := range sec.stmts {
			label := strings.NewReplacer("\n", " ", "\r", " ").Replace(st.label)
			fmt.Fprintf(&b, "\n%s%s %s\n%s\n", marker, st.kind, label, strings.TrimSpace(st.sql))
		}
	}
	return []byte(b.String())
}

// parseScript reads the text of schema_init.sql.
func parseScript(b []byte) (*script, error) {
	s := new(script)
	var section *[]statement
	var cur *statement
	var body strings.Builder
	flush := func() {
		if cur != nil {
			cur.sql = strings.TrimSpace(body.String())
			*section = append(*section, *cur)
			cur = nil
		}
		body.Reset()
	}
	seen := map[string]bool{}
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, marker)
		if !ok {
			if cur != nil {
				body.WriteString(line)
			}
			continue
		}
		flush()
		rest = strings.TrimRight(rest, "\r\n")
		kind, label, _ := strings.Cut(rest, " ")
		if kind == "SECTION" {
			if seen[label] {
				return nil, fmt.Errorf("section %s twice", label)
			}
			seen[label] = true
			switch label {
			case sectionSetup:
				section = &s.setup
			case sectionPre:
				section = &s.pre
			case sectionPost:
				section = &s.post
			default:
				return nil, fmt.Errorf("unknown section %q", label)
			}
			continue
		}
		if section == nil {
			return nil, fmt.Errorf("statement %s %s before any section", kind, label)
		}
		cur = &statement{kind: kind, label: label}
	}
	flush()
	for _, name := range []string{sectionSetup, sectionPre, sectionPost} {
		if !seen[name] {
			return nil, fmt.Errorf("section %s is missing", name)
		}
	}
	for _, sec := range [][]statement{s.setup, s.pre, s.post} {
		for _, st := range sec {
			if st.sql == "" {
				return nil, fmt.Errorf("%s %s: empty statement", st.kind, st.label)
			}
		}
	}
	return s, nil
}

// run executes stmts with exec, each in a savepoint. Statements that fail
// are tried again after the others, for as long as some succeed, so that
// an object created before one it depends on (a function returning a
// table's rows, a view over a later view) still gets created.
func run(ctx context.Context, exec func(ctx context.Context, sql string) error, stmts []statement) error {
	pending := stmts
	for len(pending) > 0 {
		var failed []statement
		var errs []error
		for _, st := range pending {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := exec(ctx, "SAVEPOINT decant_snapshot"); err != nil {
				return err
			}
			if err := exec(ctx, st.sql); err != nil {
				if err2 := exec(ctx, "ROLLBACK TO SAVEPOINT decant_snapshot"); err2 != nil {
					return fmt.Errorf("%s %s: %w", st.kind, st.label, errors.Join(err, err2))
				}
				failed = append(failed, st)
				errs = append(errs, fmt.Errorf("%s %s: %w", st.kind, st.label, err))
				continue
			}
			if err := exec(ctx, "RELEASE SAVEPOINT decant_snapshot"); err != nil {
				return err
			}
		}
		if len(failed) == len(pending) {
			return errs[0]
		}
		pending = failed
	}
	return nil
}
