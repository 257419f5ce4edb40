// Package plan loads and validates decant.yaml into typed steps: strict
// decoding (unknown keys and wrong types fail with file:line:col), ${VAR} and
// ${VAR:-default} expansion in strings, and compilation of every expression
// when the plan loads. docs/plan.md documents every key.
package plan

import (
	"path/filepath"

	"github.com/goccy/go-yaml/ast"

	"github.com/decanthq/decant/transform"
)

// Plan is a loaded decant.yaml.
type Plan struct {
	// File is the path the plan was loaded from.
	File string `yaml:"-"`
	// Version is the plan format version; only 1 exists.
	Version int `yaml:"version"`
	// Target names the connection that holds the target tables and state.
	// Default "target".
	Target string `yaml:"target"`
	// Timezone reads timestamps that carry no offset. Default "UTC".
	Timezone string `yaml:"timezone"`
	// NullIf lists string values that become NULL in every column, unless a
	// step or column says otherwise.
	NullIf []string `yaml:"null_if"`
	// Unmapped is what every step does with a record's fields that reach
	// no column, unless the step says otherwise: warn (the default),
	// ignore or error (docs/plan.md, "Fields that reach no column").
	Unmapped string `yaml:"unmapped"`
	// Layouts are the default layouts of every date and timestamp column
	// that a step or the column itself does not give its own (ColumnSpec).
	Layouts []string `yaml:"layouts"`
	// DecimalComma reads the text of numbers with a decimal comma in every
	// int, float and decimal column, unless a step or column says otherwise.
	DecimalComma bool `yaml:"decimal_comma"`
	// BatchSize is the default number of records per batch. Default 1000.
	BatchSize int `yaml:"batch_size"`
	// Setup lists SQL files (relative to the plan file) that migrate runs,
	// in order, on the target before anything else. They must be idempotent
	// (CREATE TABLE IF NOT EXISTS ...), since they run every time.
	Setup []string `yaml:"setup"`
	// Migrations is a directory of versioned migrations (relative to the
	// plan file; see package migrations) that migrate applies to the
	// target, as `decant db up` does, after decant's state tables exist and
	// before the setup files and the steps.
	Migrations string `yaml:"migrations"`
	// Connections maps names to URLs.
	Connections map[string]string `yaml:"connections"`
	Steps       []*Step           `yaml:"steps"`
	// Live is what migrate --live holds back (plan/lifecycle.go).
	Live *Live `yaml:"live"`
	// Hooks run when a scope's lifecycle moves (plan/lifecycle.go).
	Hooks *Hooks `yaml:"hooks"`
	// Groups declares the steps' groups, in the order they run, each with
	// the aliases the command line accepts (plan/groups.go). Optional:
	// without it a step's group is a free label.
	Groups []*Group `yaml:"groups"`
	// Guards are the environment variables that say whether decant may
	// write here (plan/guards.go).
	Guards *Guards `yaml:"guards"`
	// XMLNamespaces binds XPath prefixes (prefix -> namespace URI) for
	// every XML function call of the plan (docs/plan.md, "XML").
	XMLNamespaces map[string]string `yaml:"xml_namespaces"`
	// Staging, when true, copies each step's source records, as read,
	// into staging tables in the target database (migrate --phase
	// extract) and maps them from there (migrate --phase load); a run
	// without --phase does both, every extract before the first load.
	Staging bool `yaml:"staging"`

	src  []byte
	file *ast.File // the parsed plan, for positions
	// envSecrets are the values ${VAR} put in from environment variables
	// whose names look secret (see ExpandedSecrets).
	envSecrets []string
}

// Path resolves a path written in the plan: relative paths are taken from
// the plan file's directory.
func (p *Plan) Path(rel string) string {
	if rel == "" || filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(filepath.Dir(p.File), rel)
}

// Step is one ordered unit of work.
type Step struct {
	Name      string                `yaml:"name"`
	Group     string                `yaml:"group"`
	From      From                  `yaml:"from"`
	Key       StringList            `yaml:"key"`
	BatchSize int                   `yaml:"batch_size"`
	To        To                    `yaml:"to"`
	Let       Exprs                 `yaml:"let"`
	Map       Exprs                 `yaml:"map"`
	Fields    *Expr                 `yaml:"fields"`
	Columns   map[string]ColumnSpec `yaml:"columns"`
	NullIf    *[]string             `yaml:"null_if"`
	// Layouts replaces the plan's layouts for this step's columns, its
	// children's included.
	Layouts []string `yaml:"layouts"`
	// DecimalComma replaces the plan's decimal_comma for this step's
	// columns, its children's included.
	DecimalComma *bool    `yaml:"decimal_comma"`
	Children     []*Child `yaml:"children"`
	// Verify holds what decant verify accepts of this step's tables:
	// known differences and the rows of its key space (plan/verify.go).
	Verify *Verify `yaml:"verify"`
	// OnDelete says what becomes of a record's rows when the source
	// reports it deleted; nil is delete (plan/ondelete.go).
	OnDelete *OnDelete `yaml:"on_delete"`
	// Unmapped is the plan's unmapped for this step's records.
	Unmapped string `yaml:"unmapped"`

	// Spec is the compiled mapping, set by Load.
	Spec transform.Spec `yaml:"-"`
}

// To says which table rows go to: a fixed table, or a route by an
// expression's value to one of several tables.
type To struct {
	Table string `yaml:"table"`
	// Route is an expression whose value picks the table.
	Route *Expr `yaml:"route"`
	// Routes maps each table to the other values (aliases) that route to it;
	// a table's own name always routes to it.
	Routes map[string][]string `yaml:"routes"`
	// Label names the routed value in errors ("unknown form name: X").
	// Default "route value".
	Label string `yaml:"label"`
}

// ColumnSpec is the coercion of one column.
type ColumnSpec struct {
	// Type is int, float, decimal, bool, date, timestamp, json or text.
	// Default: the target column's type.
	Type string `yaml:"type"`
	// Layout parses dates and timestamps: a Go layout or one of
	// transform.LayoutNames. It is Layouts of one; a column gives one or
	// the other.
	Layout string `yaml:"layout"`
	// Layouts parse dates and timestamps, tried in order: Go layouts or
	// names of transform.LayoutNames. Default: the step's, else the plan's,
	// else the ISO forms.
	Layouts []string `yaml:"layouts"`
	// Zone reads timestamps without an offset (IANA name). Default: the plan's timezone.
	Zone   string    `yaml:"zone"`
	NullIf *[]string `yaml:"null_if"`
	// DecimalComma reads the column's numbers written as text with a
	// decimal comma. Default: the step's, else the plan's.
	DecimalComma *bool `yaml:"decimal_comma"`
}

// Child maps a nested array of each record to rows of a child table.
type Child struct {
	Name string `yaml:"name"`
	// From is an expression that yields the list of items.
	From *Expr `yaml:"from"`
	To   To    `yaml:"to"`
	// ParentKey is the child column that receives the parent's key.
	ParentKey string                `yaml:"parent_key"`
	Let       Exprs                 `yaml:"let"`
	Map       Exprs                 `yaml:"map"`
	Fields    *Expr                 `yaml:"fields"`
	Columns   map[string]ColumnSpec `yaml:"columns"`
}

// Step returns the step named name, or nil.
func (p *Plan) Step(name string) *Step {
	for _, s := range p.Steps {
		if s.Name == name {
			return s
		}
	}
	return nil
}
