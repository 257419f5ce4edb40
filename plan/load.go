package plan

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// Error is a problem in a plan file, with its position and the offending line.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
	// Source is the plan line the error points at, when known.
	Source string

	// quotable marks a YAML error that unquoted text may have caused, so
	// that wrap adds advice on quoting.
	quotable bool
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	if e.Source != "" {
		fmt.Fprintf(&b, "\n    %s\n    %s^", e.Source, strings.Repeat(" ", max(e.Col-1, 0)))
	}
	return b.String()
}

// Options change how a plan loads.
type Options struct {
	// Funcs are the expression functions; nil means the built-in library.
	Funcs *transform.Funcs
	// LookupEnv resolves ${VAR}; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Sources names the options of each kind of source, so that a step's
	// from options are decoded into From.Options and checked at load,
	// each error at its file:line:col. Pass connect.DefaultSources().
	// Nil leaves them as written: [Plan.SourceOptions] decodes them when
	// the source opens (connect.Sources does), with the same errors.
	Sources SourceKinds
}

// Load reads and validates the plan file at path.
func Load(path string, opts Options) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	return Parse(path, b, opts)
}

// Parse validates a plan held in memory; name is used in error messages.
func Parse(name string, src []byte, opts Options) (*Plan, error) {
	if opts.Funcs == nil {
		opts.Funcs = transform.NewFuncs()
	}
	if opts.LookupEnv == nil {
		opts.LookupEnv = osLookup
	}
	p := &Plan{File: name, src: src}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, p.wrap(err)
	}
	p.file = f
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, p.errAt(1, 1, "the plan must be one YAML document with connections and steps")
	}
	body := f.Docs[0].Body
	if err := checkTags(body); err != nil {
		return nil, p.wrap(err)
	}
	expanded, err := expandEnv(body, p.lookupRemembering(opts.LookupEnv))
	if err != nil {
		return nil, p.wrap(err)
	}
	boolsFromEnv(body, expanded)
	if err := yaml.NodeToValue(body, p, yaml.Strict()); err != nil {
		return nil, p.wrap(err)
	}
	c := &compiler{p: p, funcs: opts.Funcs, sources: opts.Sources}
	if err := c.run(); err != nil {
		return nil, err
	}
	return p, nil
}

// wrap turns a YAML or positioned error into an *Error with file and line.
func (p *Plan) wrap(err error) error {
	var pe *Error
	if errors.As(err, &pe) {
		if pe.quotable {
			return p.errAt(pe.Line, pe.Col, pe.Msg+p.quoteHint(pe.Line))
		}
		return p.errAt(pe.Line, pe.Col, pe.Msg)
	}
	var ue *yaml.UnknownFieldError
	if errors.As(err, &ue) && ue.Token != nil && p.file != nil && len(p.file.Docs) == 1 {
		return p.unknownKey(p.file.Docs[0].Body, ue.Token)
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && te.Token != nil {
		pos := te.Token.Position
		return p.errAt(pos.Line, pos.Column, fmt.Sprintf("%q is not a valid %s", te.Token.Value, kindName(te.DstType.Kind().String())))
	}
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		msg := ye.GetMessage()
		// Only YAML syntax can be an unquoted expression read as YAML;
		// other errors, and a key written twice (which the parser also
		// calls syntax), say what is wrong themselves.
		var se *yaml.SyntaxError
		if errors.As(err, &se) && !strings.Contains(msg, "already defined") {
			msg += p.quoteHint(pos.Line)
		}
		return p.errAt(pos.Line, pos.Column, msg)
	}
	return fmt.Errorf("%s: %w", p.File, err)
}

// quoteHint is advice on quoting for an error on line n of the plan, or "".
func (p *Plan) quoteHint(n int) string {
	lines := strings.Split(string(p.src), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return quoteHint(lines[n-1])
}

func (p *Plan) errAt(line, col int, msg string) *Error {
	e := &Error{File: p.File, Line: line, Col: col, Msg: msg}
	lines := strings.Split(string(p.src), "\n")
	if line >= 1 && line <= len(lines) {
		e.Source = redactLine(strings.TrimRight(lines[line-1], "\r"))
	}
	return e
}

// Redacted returns the connection URLs with passwords hidden, for printing.
func (p *Plan) Redacted() map[string]string {
	out := make(map[string]string, len(p.Connections))
	for k, v := range p.Connections {
		out[k] = decant.RedactURL(v)
	}
	return out
}

func kindName(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"):
		return "whole number"
	case strings.HasPrefix(k, "float"):
		return "number"
	case k == "bool":
		return "boolean (true or false)"
	case k == "slice":
		return "list"
	case k == "map", k == "struct":
		return "map"
	}
	return k
}
