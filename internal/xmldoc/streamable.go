package xmldoc

import (
	"fmt"
	"slices"
	"strings"
)

// CheckStreamable refuses an XPath that a Stream would answer wrongly
// without a word: a Stream tests an element when it starts, against its
// open ancestors and its attributes, so it cannot know the element's
// content, its position among its siblings, or the siblings themselves.
// Every step must select elements by name (name, p:name, *, optionally
// with the child, descendant, descendant-or-self or self axis), and a
// predicate may read attributes and names only: no numbers (app[2] is a
// position), no position() or last(), no child paths (app[ref='x']), no
// text() or the element's own value.
func CheckStreamable(expr string) error {
	toks := lexXPath(expr)
	depth := 0          // of [ and ( together
	var test []string   // the node test of the step being read
	predicates := false // the step's predicates have started
	for i, t := range toks {
		if depth > 0 {
			if err := checkPredicateToken(toks, i); err != nil {
				return fmt.Errorf("xpath %q: %w", expr, err)
			}
		}
		switch {
		case t.text == "[" || t.text == "(":
			predicates = predicates || depth == 0 && t.text == "["
			depth++
		case t.text == "]" || t.text == ")":
			depth--
		case depth == 0 && (t.text == "/" || t.text == "//" || t.text == "|"):
			if err := checkStep(test, t.text == "|"); err != nil {
				return fmt.Errorf("xpath %q: %w", expr, err)
			}
			test, predicates = nil, false
			continue
		}
		if !predicates && (depth == 0 || t.text == "(" && depth == 1) {
			test = append(test, t.text) // a "(" at the top is a function's or a group's: not an element test
		}
	}
	if err := checkStep(test, true); err != nil {
		return fmt.Errorf("xpath %q: %w", expr, err)
	}
	return nil
}

// elementAxes are the axes along which a stream sees an element when it
// starts.
var elementAxes = []string{"child", "descendant", "descendant-or-self", "self"}

// checkStep checks a step's node test (the tokens before its
// predicates); last is set for the last step of a path, which must
// select elements.
func checkStep(texts []string, last bool) error {
	switch {
	case !last && (len(texts) == 0 || len(texts) == 1 && texts[0] == "."):
		return nil // the start of /a, //a or ./a
	case len(texts) == 1 && (texts[0] == "*" || isName(texts[0])) && !strings.HasSuffix(texts[0], ":*"):
		return nil
	case len(texts) == 3 && texts[1] == "::" && slices.Contains(elementAxes, texts[0]) && (texts[2] == "*" || isName(texts[2])):
		return nil
	}
	return fmt.Errorf("step %q does not select elements by name; a record XPath is a path of element names, "+
		"such as //application or /export/ia:application[@status='C'] (no @attribute, text(), .., or other axes)", strings.Join(texts, ""))
}

// nameFuncs may be called with no argument in a predicate: they read
// the element's name, not its content.
var nameFuncs = []string{"local-name", "name", "namespace-uri", "true", "false"}

// checkPredicateToken refuses a token of a predicate that reads what a
// stream does not have when the element starts.
func checkPredicateToken(toks []xtoken, i int) error {
	t := toks[i].text
	prev, next, after := "", "", ""
	if i > 0 {
		prev = toks[i-1].text
	}
	if i+1 < len(toks) {
		next = toks[i+1].text
	}
	if i+2 < len(toks) {
		after = toks[i+2].text
	}
	attr := prev == "@" || prev == "::" && i >= 2 && toks[i-2].text == "attribute"
	switch {
	case t[0] == '"' || t[0] == '\'':
		return nil
	case t[0] >= '0' && t[0] <= '9' || t[0] == '.' && len(t) > 1 && t != "..":
		return fmt.Errorf("a predicate with a number (%s) selects by position or compares numbers, which a stream cannot "+
			"know when an element starts; select by an attribute's text instead ([@seq='2'])", t)
	case t == "position" || t == "last":
		return fmt.Errorf("%s() in a predicate needs the element's siblings, which a stream does not keep; select by an attribute instead", t)
	case next == "(" && after == ")" && !slices.Contains(nameFuncs, t):
		return fmt.Errorf("%s() in a predicate reads the element's content, which a stream does not have when the element starts; select by an attribute instead", t)
	case next == "::" && t != "attribute":
		return fmt.Errorf("the axis %s:: in a predicate is not read by a stream; use attributes (@name) only", t)
	case (isName(t) || t == "*") && !attr && next != "(" && next != "::" && !slices.Contains([]string{"and", "or", "div", "mod"}, t):
		return fmt.Errorf("a predicate on a child element (%s) reads the element's content, which a stream does not have when "+
			"the element starts; select by an attribute ([@status='C']) and test the content in the step's map", t)
	case t == "." || t == ".." || t == "/" || t == "//" || t == "$":
		return fmt.Errorf("%q in a predicate reads the content or other elements, which a stream does not have when the "+
			"element starts; select by an attribute instead", t)
	}
	return nil
}
