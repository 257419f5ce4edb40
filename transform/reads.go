package transform

import (
	"strings"

	"github.com/expr-lang/expr/ast"
)

// A step's report of unmapped fields needs to know, of each record, which
// members no expression reads. It is decided when the plan compiles, from
// the expressions' syntax: an expression reads a member chain it spells
// (record.customer.name reads customer.name and whatever is under it),
// and reads a variable whole when it uses it any other way (to_json(record),
// record[name], fields: record). A member that a let reads is read, even if
// no column uses the let: the report names what the plan never looks at.

// varRead is one read of a variable by an expression: the member names it
// follows, none when it uses the variable whole.
type varRead struct {
	root string
	path []string
}

// readsOf lists what the expression tree n reads of its variables.
func readsOf(n ast.Node) []varRead {
	c := &readCollector{inner: map[ast.Node]bool{}}
	ast.Walk(&n, c)
	var out []varRead
	for _, id := range c.idents {
		if !c.inner[id] {
			out = append(out, varRead{root: id.Value})
		}
	}
	for _, m := range c.members {
		if !c.inner[m] {
			if r, ok := memberRead(m); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// readCollector gathers the identifiers and member accesses of a tree, and
// marks those that are the base of another member access: only the
// outermost access of a chain says how far the chain reads.
type readCollector struct {
	idents  []*ast.IdentifierNode
	members []*ast.MemberNode
	inner   map[ast.Node]bool
}

func (c *readCollector) Visit(n *ast.Node) {
	switch v := (*n).(type) {
	case *ast.IdentifierNode:
		c.idents = append(c.idents, v)
	case *ast.MemberNode:
		c.members = append(c.members, v)
		c.inner[v.Node] = true
		if ch, ok := v.Node.(*ast.ChainNode); ok {
			// record?.["a"]["b"]: the optional chain in the middle wraps
			// the access it continues.
			c.inner[ch.Node] = true
		}
	}
}

// memberRead is the read of the member access m: its variable and the
// constant member names from it to the first that is not constant (an
// index, a computed name, a method).
func memberRead(m *ast.MemberNode) (varRead, bool) {
	var chain []*ast.MemberNode
	var n ast.Node = m
	for {
		switch v := n.(type) {
		case *ast.MemberNode:
			chain = append(chain, v)
			n = v.Node
			continue
		case *ast.ChainNode:
			n = v.Node
			continue
		case *ast.IdentifierNode:
			r := varRead{root: v.Value}
			for i := len(chain) - 1; i >= 0; i-- {
				name, ok := chain[i].Property.(*ast.StringNode)
				if !ok || chain[i].Method {
					break
				}
				r.path = append(r.path, name.Value)
			}
			return r, true
		}
		// A member of something else (a call's result, a literal) reads
		// no variable through this chain; the walk saw what is inside.
		return varRead{}, false
	}
}

// cover is the part of a value a step's expressions read: all of it
// (whole), or the members in kids and what they read of each, and every
// member whose name starts with one of prefixes.
type cover struct {
	whole    bool
	kids     map[string]*cover
	prefixes []string
}

// add marks path as read. A last name ending in * marks every member
// whose name starts with what comes before it.
func (c *cover) add(path []string) {
	for i, name := range path {
		if c.whole {
			return
		}
		if prefix, ok := strings.CutSuffix(name, "*"); ok && i == len(path)-1 {
			c.prefixes = append(c.prefixes, prefix)
			return
		}
		if c.kids == nil {
			c.kids = map[string]*cover{}
		}
		k := c.kids[name]
		if k == nil {
			k = &cover{}
			c.kids[name] = k
		}
		c = k
	}
	c.whole, c.kids = true, nil
}

// kid returns what is read of the member name: nil when nothing is.
func (c *cover) kid(name string) *cover {
	if c.whole {
		return c
	}
	if k := c.kids[name]; k != nil {
		return k
	}
	return c.byPrefix(name)
}

// byPrefix is a whole cover when name starts with one of c's prefixes,
// else nil.
func (c *cover) byPrefix(name string) *cover {
	for _, p := range c.prefixes {
		if strings.HasPrefix(name, p) {
			return &cover{whole: true}
		}
	}
	return nil
}

// unread calls found for each member of v, a decoded value, that c does
// not read, with its path from prefix. A value that is not an object has
// no members to report.
func (c *cover) unread(prefix string, v any, found func(path string, v any)) {
	if c == nil || c.whole {
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for name, x := range m {
		k := c.kid(name)
		if k == nil {
			found(prefix+"."+name, x)
			continue
		}
		k.unread(prefix+"."+name, x, found)
	}
}

// coverOf returns what the programs read of the variable root. lets are
// the step's let names: a let named root hides the variable, which then
// counts as read whole.
func coverOf(root string, lets []Named, progs ...*Program) *cover {
	c := &cover{}
	for _, l := range lets {
		if l.Name == root {
			c.whole = true
			return c
		}
	}
	for _, p := range progs {
		if p == nil {
			continue
		}
		for _, r := range p.reads {
			switch {
			case r.root == root:
				c.add(r.path)
			case isExprEnv(r.root) && len(r.path) == 0:
				// $env is every variable: what it reads, no one can tell.
				c.whole = true
			case isExprEnv(r.root) && r.path[0] == root:
				c.add(r.path[1:])
			}
		}
	}
	return c
}

// isExprEnv says whether name is expr-lang's name for the variables as a
// whole ($env.record.a is record.a).
func isExprEnv(name string) bool { return name == "$env" || name == "env" }
