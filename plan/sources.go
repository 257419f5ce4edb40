package plan

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/decanthq/decant"
)

// SourceKinds tells the loader which options each kind of source reads, so
// that a step's from options are decoded and checked where they are
// written. connect.DefaultSources is decant's; package plan knows no source.
//
// An options type is a struct reached through a pointer. Each exported
// field with a yaml tag is one key under from, decoded strictly from the
// plan: string, bool (also "true"/"false" from ${VAR}), integers written
// in plain decimal digits (a `min:"N"` tag sets a lower bound), pointers
// to these (nil when the plan leaves the key out), time.Duration written as
// a Go duration ("30s"), and maps and lists of these. If the type has a
// Validate() error method, it runs after decoding; an error that wraps a
// *decant.OptionError is shown at that option's value.
type SourceKinds interface {
	// Schemes returns the URL schemes that some source reads, sorted.
	Schemes() []string
	// NewOptions returns a pointer to new zero options of the source that
	// reads URLs of the lower-case scheme, or nil when no source does.
	NewOptions(scheme string) any
}

// SourceOptions decodes the options of step s's source, every key of its
// from but connection, key and cursor, into the options type that kinds
// gives for the scheme of the step's connection, and validates them. It
// returns nil and no error when no kind reads the scheme: opening the
// connection reports that, naming the schemes that work. Errors are *Error,
// at the option's file:line:col.
func (p *Plan) SourceOptions(s *Step, kinds SourceKinds) (any, error) {
	raw := p.Connections[s.From.Connection]
	opts := kinds.NewOptions(scheme(raw))
	if opts == nil {
		// Opening the connection fails and names the schemes that work; a
		// plan that names a source decant does not read yet still loads.
		return nil, nil
	}
	d := optionDecoder{p: p, s: s, raw: raw, kinds: kinds}
	if err := d.decode(opts); err != nil {
		return nil, err
	}
	if v, ok := opts.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return nil, d.invalid(err)
		}
	}
	return opts, nil
}

// scheme returns the lower-case scheme of a connection URL, "" if it has
// none.
func scheme(raw string) string {
	i := strings.Index(raw, ":")
	if i < 0 {
		return ""
	}
	return strings.ToLower(raw[:i])
}

// optionDecoder decodes the from options of one step.
type optionDecoder struct {
	p     *Plan
	s     *Step
	raw   string
	kinds SourceKinds
}

func (d *optionDecoder) decode(opts any) error {
	v := reflect.ValueOf(opts)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("plan: source options %T: want a pointer to a struct", opts)
	}
	fields := optionFields(v.Elem().Type())
	for _, o := range d.s.From.options {
		i, ok := fields[o.name]
		if !ok {
			return d.unknown(o, fields)
		}
		if err := d.field(v.Elem().Field(i), v.Elem().Type().Field(i), o); err != nil {
			return err
		}
	}
	return nil
}

// optionFields maps each yaml key of an options struct to its field index.
func optionFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if name := yamlName(f); f.IsExported() && name != "" {
			m[name] = i
		}
	}
	return m
}

// OptionNames returns the keys an options type reads (see [SourceKinds]),
// in field order: what a source's docs section must list.
func OptionNames(opts any) []string {
	t := reflect.TypeOf(opts)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		if name := yamlName(t.Field(i)); t.Field(i).IsExported() && name != "" {
			names = append(names, name)
		}
	}
	return names
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// unknown is the error for a key the options type does not have: it
// belongs to another kind of source, or it is a typo.
func (d *optionDecoder) unknown(o option, fields map[string]int) error {
	for _, other := range d.kinds.Schemes() {
		if slices.Contains(OptionNames(d.kinds.NewOptions(other)), o.name) {
			return d.p.errNode(o.key, fmt.Sprintf("step %s: from.%s does not apply to connection %s (%s)",
				d.s.Name, o.name, d.s.From.Connection, decant.RedactURL(d.raw)))
		}
	}
	known := []string{"connection", "key", "cursor"}
	if _, ok := d.kinds.NewOptions(scheme(d.raw)).(ChunkedOptions); ok {
		known = append(known, "parallel")
	}
	known = append(known, sortedNames(fields)...)
	if near := nearest(o.name, known); near != "" {
		return d.p.errNode(o.key, fmt.Sprintf("step %s: unknown field %q in from (did you mean %s?)", d.s.Name, o.name, near))
	}
	return d.p.errNode(o.key, fmt.Sprintf("step %s: unknown field %q in from (connection %s reads %s)",
		d.s.Name, o.name, d.s.From.Connection, strings.Join(known, ", ")))
}

// invalid places an error of Validate at the option it names, else at from.
func (d *optionDecoder) invalid(err error) error {
	msg := fmt.Sprintf("step %s: from: %v", d.s.Name, err)
	var oe *decant.OptionError
	if errors.As(err, &oe) {
		msg = fmt.Sprintf("step %s: from.%s: %v", d.s.Name, oe.Option, oe.Err)
		for _, o := range d.s.From.options {
			if o.name == oe.Option {
				return d.p.errNode(o.value, msg)
			}
		}
	}
	for i, s := range d.p.Steps {
		if s == d.s {
			line, col := d.p.at(fmt.Sprintf("$.steps[%d].from", i))
			return d.p.errAt(line, col, msg)
		}
	}
	return d.p.errAt(1, 1, msg)
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	wholeNumber  = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
)

// field decodes one option into its field.
func (d *optionDecoder) field(fv reflect.Value, sf reflect.StructField, o option) error {
	where := fmt.Sprintf("step %s: from.%s", d.s.Name, o.name)
	t := fv.Type()
	switch {
	case t.Kind() == reflect.Pointer:
		ptr := reflect.New(t.Elem())
		if err := d.field(ptr.Elem(), sf, o); err != nil {
			return err
		}
		fv.Set(ptr)
		return nil
	case t == durationType:
		text := scalarText(o.value)
		v, err := time.ParseDuration(strings.TrimSpace(text))
		if err != nil {
			return d.p.errNode(o.value, fmt.Sprintf("%s: %q is not a duration (write e.g. 30s, 3m, 1h)", where, text))
		}
		fv.SetInt(int64(v))
		return nil
	case fv.CanInt():
		return d.integer(fv, sf, o, where)
	case t.Kind() == reflect.Bool:
		switch scalarText(o.value) {
		case "true":
			fv.SetBool(true)
		case "false":
			fv.SetBool(false)
		default: // the value is not repeated: ${VAR} may have put a secret there
			return d.p.errNode(o.value, where+" must be a boolean (true or false)")
		}
		return nil
	case t.Kind() == reflect.String:
		if _, ok := o.value.(ast.ScalarNode); !ok {
			if _, tagged := o.value.(*ast.TagNode); !tagged {
				return d.p.errNode(o.value, fmt.Sprintf("%s must be text, not %s", where, kindOfNode(o.value)))
			}
		}
	}
	if err := yaml.NodeToValue(o.value, fv.Addr().Interface(), yaml.Strict()); err != nil {
		return d.p.errNode(o.value, fmt.Sprintf("%s must be %s", where, describeType(t)))
	}
	return nil
}

// integer decodes a whole number written in plain decimal digits: the YAML
// decoder alone would truncate 2.5 to 2, read 0x10 and 1e3 as numbers and
// 010 as octal.
func (d *optionDecoder) integer(fv reflect.Value, sf reflect.StructField, o option, where string) error {
	text := strings.TrimSpace(scalarText(o.value))
	lo, hasMin := int64(0), false
	if m := sf.Tag.Get("min"); m != "" {
		lo, _ = strconv.ParseInt(m, 10, 64)
		hasMin = true
	}
	n, err := strconv.ParseInt(text, 10, fv.Type().Bits())
	if !wholeNumber.MatchString(text) || err != nil || (hasMin && n < lo) {
		want := "a whole number"
		if hasMin {
			want += fmt.Sprintf(" of at least %d", lo)
		}
		if text == "" {
			text = kindOfNode(o.value)
		}
		return d.p.errNode(o.value, fmt.Sprintf("%s must be %s, not %s", where, want, text))
	}
	fv.SetInt(n)
	return nil
}

// scalarText is a scalar's text after ${VAR} expansion, "" for a list or map.
func scalarText(n ast.Node) string {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.TagNode:
		return scalarText(v.Value)
	case ast.ScalarNode:
		return n.GetToken().Value
	}
	return ""
}

// describeType says in the plan's words what a value of type t is written as.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map:
		return "a map of " + strings.TrimPrefix(describeType(t.Elem()), "a ") + " values"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(describeType(t.Elem()), "a ") + " values"
	case reflect.String:
		return "text"
	}
	return "a " + kindName(t.Kind().String())
}

// kindOfNode names what a non-scalar node is, for errors.
func kindOfNode(n ast.Node) string {
	switch n.Type() {
	case ast.SequenceType:
		return "a list"
	case ast.MappingType, ast.MappingValueType:
		return "a map"
	}
	return "empty"
}

// nearest returns the name within edit distance 2 of s, if one is.
func nearest(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost 1.
func editDistance(a, b string) int {
	var prev2 []int
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1) // two letters swapped: tpye, tabel
			}
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)]
}

// errNode is an *Error at a node of the plan.
func (p *Plan) errNode(n ast.Node, msg string) *Error {
	pos := n.GetToken().Position
	return p.errAt(pos.Line, pos.Column, msg)
}
