package ddl

import (
	"strings"

	"github.com/decanthq/decant"
)

// parse turns one statement into changes; statements it does not read
// give none.
func (m *Model) parse(origin string, st []token) []change {
	p := &parser{toks: st, m: m}
	switch {
	case p.word("CREATE"):
		return p.create(origin)
	case p.word("ALTER") && p.word("TABLE"):
		return p.alter(origin)
	case p.word("DROP") && p.word("TABLE"):
		return p.drop(origin)
	}
	return nil
}

type parser struct {
	toks []token
	i    int
	m    *Model
}

func (p *parser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{}
}

func (p *parser) next() token {
	t := p.peek()
	p.i++
	return t
}

// word consumes the keyword kw if it comes next.
func (p *parser) word(kw string) bool {
	if p.peek().is(kw) {
		p.i++
		return true
	}
	return false
}

// words consumes the keywords kws if they all come next, in order.
func (p *parser) words(kws ...string) bool {
	for k, kw := range kws {
		if p.i+k >= len(p.toks) || !p.toks[p.i+k].is(kw) {
			return false
		}
	}
	p.i += len(kws)
	return true
}

// ident reads a name as the database keeps it: an unquoted one lowercased
// when the model folds case (PostgreSQL).
func (p *parser) ident() (string, bool) {
	t := p.next()
	if t.kind != 'w' {
		return "", false
	}
	if !t.quoted && p.m.Fold {
		return strings.ToLower(t.text), true
	}
	return t.text, true
}

// tableName reads a possibly schema-qualified table name and returns its
// key and its spelling.
func (p *parser) tableName() (key, name string, ok bool) {
	name, ok = p.ident()
	if ok && p.peek().text == "." && p.peek().kind == 'p' {
		p.i++
		t, tok := p.ident()
		name, ok = name+"."+t, tok
	}
	return p.m.Key(name), name, ok
}

// create reads CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name (...).
func (p *parser) create(origin string) []change {
	for p.word("TEMP") || p.word("TEMPORARY") || p.word("UNLOGGED") || p.word("GLOBAL") || p.word("LOCAL") {
	}
	if !p.word("TABLE") {
		return nil
	}
	c := change{origin: origin, op: "create", ifNot: p.words("IF", "NOT", "EXISTS")}
	var ok bool
	if c.table, c.name, ok = p.tableName(); !ok || p.next().text != "(" {
		return nil // CREATE TABLE ... AS SELECT, PARTITION OF: left to the real run
	}
	for _, el := range p.list() {
		if col, ok := p.m.column(el); ok {
			c.cols = append(c.cols, col)
		}
	}
	return []change{c}
}

// alter reads ALTER TABLE [IF EXISTS] [ONLY] name action, action...
func (p *parser) alter(origin string) []change {
	p.words("IF", "EXISTS")
	p.word("ONLY")
	key, name, ok := p.tableName()
	if !ok {
		return nil
	}
	var out []change
	for _, act := range split(p.toks[p.i:], ",") {
		a := &parser{toks: act, m: p.m}
		c := change{origin: origin, table: key, name: name}
		switch {
		case a.word("ADD"):
			if a.word("CONSTRAINT") || a.word("PRIMARY") || a.word("UNIQUE") || a.word("CHECK") || a.word("FOREIGN") || a.word("EXCLUDE") {
				continue
			}
			a.word("COLUMN")
			c.ifNot = a.words("IF", "NOT", "EXISTS")
			col, ok := p.m.column(act[a.i:])
			if !ok {
				continue
			}
			c.op, c.cols = "add", []decant.Column{col}
		case a.word("DROP"):
			if a.word("CONSTRAINT") {
				continue
			}
			a.word("COLUMN")
			a.words("IF", "EXISTS")
			c.op = "dropcol"
			if c.col, ok = a.ident(); !ok {
				continue
			}
		case a.word("RENAME"):
			if a.word("TO") {
				c.op = "rename"
				if c.to, c.toName, ok = a.tableName(); !ok {
					continue
				}
				break
			}
			if a.word("CONSTRAINT") {
				continue
			}
			a.word("COLUMN")
			c.op = "renamecol"
			if c.col, ok = a.ident(); !ok || !a.word("TO") {
				continue
			}
			if c.to, ok = a.ident(); !ok {
				continue
			}
		case a.word("ALTER"):
			a.word("COLUMN")
			col, ok := a.ident()
			if !ok || !(a.word("TYPE") || a.words("SET", "DATA", "TYPE")) {
				continue // SET DEFAULT, SET NOT NULL, ...: no change to names or kinds
			}
			typ := typeText(act[a.i:], "USING", "COLLATE")
			c.op, c.col = "retype", col
			c.cols = []decant.Column{{Name: col, DBType: typ, Kind: p.m.kind(typ), Nullable: true}}
		default:
			continue
		}
		out = append(out, c)
	}
	return out
}

// drop reads DROP TABLE [IF EXISTS] name, name...
func (p *parser) drop(origin string) []change {
	p.words("IF", "EXISTS")
	var out []change
	for _, part := range split(p.toks[p.i:], ",") {
		a := &parser{toks: part, m: p.m}
		if key, name, ok := a.tableName(); ok {
			out = append(out, change{origin: origin, op: "drop", table: key, name: name})
		}
	}
	return out
}

// list reads a parenthesised, comma-separated list whose "(" was consumed,
// and returns its elements.
func (p *parser) list() [][]token {
	start, depth := p.i, 1
	for ; p.i < len(p.toks); p.i++ {
		switch p.toks[p.i].text {
		case "(":
			depth++
		case ")":
			depth--
		}
		if depth == 0 && p.toks[p.i].kind == 'p' {
			els := split(p.toks[start:p.i], ",")
			p.i++
			return els
		}
	}
	return split(p.toks[start:], ",")
}

// split cuts toks at sep outside parentheses.
func split(toks []token, sep string) [][]token {
	var out [][]token
	depth, start := 0, 0
	for i, t := range toks {
		if t.kind != 'p' {
			continue
		}
		switch t.text {
		case "(":
			depth++
		case ")":
			depth--
		case sep:
			if depth == 0 {
				out = append(out, toks[start:i])
				start = i + 1
			}
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

// constraintWords end a column's type.
var constraintWords = []string{"NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES",
	"CONSTRAINT", "COLLATE", "GENERATED", "AS", "AUTOINCREMENT", "ON"}

// column reads a column definition: name, type, constraints. Table
// constraints (PRIMARY KEY (...), UNIQUE, ...) are not columns.
func (m *Model) column(el []token) (decant.Column, bool) {
	if len(el) == 0 || el[0].kind != 'w' {
		return decant.Column{}, false
	}
	for _, kw := range []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"} {
		if el[0].is(kw) {
			return decant.Column{}, false
		}
	}
	p := &parser{toks: el, m: m}
	name, _ := p.ident()
	typ := typeText(el[1:], constraintWords...)
	col := decant.Column{Name: name, DBType: typ, Kind: m.kind(typ), Nullable: true}
	for i := 1; i < len(el); i++ {
		if el[i].is("NOT") && i+1 < len(el) && el[i+1].is("NULL") || el[i].is("PRIMARY") {
			col.Nullable = false
		}
	}
	return col, true
}

// typeText joins the tokens of a type up to the first of the stop words.
func typeText(toks []token, stop ...string) string {
	var b strings.Builder
	for _, t := range toks {
		for _, s := range stop {
			if t.is(s) {
				return b.String()
			}
		}
		if b.Len() > 0 && t.kind != 'p' && !strings.HasSuffix(b.String(), "(") {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

func (m *Model) kind(declared string) string {
	if m.Kind == nil {
		return decant.KindText
	}
	return m.Kind(declared)
}
