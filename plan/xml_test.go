package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

const xmlPlan = `connections:
  target: sqlite:t.db
  src: file:apps.jsonl
%s
steps:
  - name: apps
    from: {connection: src, key: id}
    key: id
    to: {table: apps}
    map:
      id: record.id
      ref: xml_value(record.details, "%s")
`

func xmlPlanText(namespaces, xpath string) string {
	return strings.Replace(strings.Replace(xmlPlan, "%s", namespaces, 1), "%s", xpath, 1)
}

// TestXMLNamespacesBindPrefixes: a prefix of xml_namespaces works in the
// plan's expressions; without it the literal XPath fails the load at the
// expression.
func TestXMLNamespacesBindPrefixes(t *testing.T) {
	mustParse(t, xmlPlanText("xml_namespaces: {ia: \"urn:icms:ia\"}", "//ia:REF"), plan.Options{})
	pe := parseErr(t, xmlPlanText("", "//ia:REF"), plan.Options{})
	if pe.Line != 12 || pe.Col != 12 || !strings.Contains(pe.Msg, "prefix ia not defined") {
		t.Errorf("got %d:%d %s; want 12:12 and the undefined prefix", pe.Line, pe.Col, pe.Msg)
	}
	pe = parseErr(t, xmlPlanText("", "//REF["), plan.Options{})
	if pe.Line != 12 || !strings.Contains(pe.Msg, `xml_value: xpath "//REF["`) {
		t.Errorf("bad xpath: got %d:%d %s", pe.Line, pe.Col, pe.Msg)
	}
}

// TestXMLNamespacesChecked: a prefix that is not a name, or an empty URI,
// fails the load at the prefix.
func TestXMLNamespacesChecked(t *testing.T) {
	for ns, want := range map[string]string{
		"xml_namespaces:\n  ia: \"\"":       "prefix ia has an empty namespace URI",
		"xml_namespaces:\n  \"i a\": urn:x": `prefix "i a" is not a name`,
	} {
		pe := parseErr(t, xmlPlanText(ns, "//REF"), plan.Options{})
		if pe.Line != 5 || !strings.Contains(pe.Msg, want) {
			t.Errorf("%s: got %d:%d %s; want line 5 and %q", ns, pe.Line, pe.Col, pe.Msg, want)
		}
	}
}
