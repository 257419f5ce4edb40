package transform_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/decanthq/decant/transform"
)

// xmlRecord is a record whose details hold an ICMS-like import
// application, with a default namespace on one part and a prefixed one on
// another.
const xmlRecord = `{"id": 7, "details": "<IMA><APP_DETAILS><REF>IMA/2024/0007</REF><APPLICANT id=\"u1\">Asha</APPLICANT><EMPTY/>` +
	`<GOODS_LIST><GOODS><DESC>Rifle</DESC><QTY>2</QTY></GOODS><GOODS><DESC>Scope</DESC><QTY unit=\"box\">1</QTY></GOODS></GOODS_LIST></APP_DETAILS>` +
	`<ia:CHECKS xmlns:ia=\"urn:icms:ia\"><ia:CHECK>fir</ia:CHECK></ia:CHECKS>` +
	`<NOTES xmlns=\"urn:icms:notes\"><NOTE>one</NOTE></NOTES></IMA>", "bad": "<IMA>\n  <REF>x</REF>\n  <A></B>\n</IMA>", "none": null, "num": 5}`

func TestXMLFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "value", src: `xml_value(record.details, "/IMA/APP_DETAILS/REF")`, record: xmlRecord, want: "IMA/2024/0007"},
		{name: "attribute", src: `xml_value(record.details, "//APPLICANT/@id")`, record: xmlRecord, want: "u1"},
		{name: "first of several", src: `xml_value(record.details, "//GOODS/DESC")`, record: xmlRecord, want: "Rifle"},
		{name: "no match is null", src: `xml_value(record.details, "//MISSING")`, record: xmlRecord, want: nil},
		{name: "empty element is empty text", src: `xml_value(record.details, "//EMPTY")`, record: xmlRecord, want: ""},
		{name: "null document", src: `xml_value(record.none, "//REF")`, record: xmlRecord, want: nil},
		{name: "computed number", src: `xml_value(record.details, "count(//GOODS)")`, record: xmlRecord, want: float64(2)},
		{name: "predicate", src: `xml_value(record.details, "//GOODS[DESC='Scope']/QTY/@unit")`, record: xmlRecord, want: "box"},
		{name: "values", src: `xml_values(record.details, "//GOODS/DESC")`, record: xmlRecord, want: []any{"Rifle", "Scope"}},
		{name: "values none", src: `xml_values(record.details, "//MISSING")`, record: xmlRecord, want: []any{}},
		{name: "values of null", src: `xml_values(record.none, "//DESC")`, record: xmlRecord, want: []any{}},
		{name: "unprefixed name in a default namespace", src: `xml_value(record.details, "//NOTES/NOTE")`, record: xmlRecord, want: "one"},
		{name: "prefix bound in the call", src: `xml_value(record.details, "//x:CHECK", {x: "urn:icms:ia"})`, record: xmlRecord, want: "fir"},
		{name: "default namespace by prefix", src: `xml_value(record.details, "//n:NOTE", {n: "urn:icms:notes"})`, record: xmlRecord, want: "one"},
		{name: "prefix bound to another URI", src: `xml_value(record.details, "//x:CHECK", {x: "urn:other"})`, record: xmlRecord, want: nil},
		{name: "prefixed element is not matched by its bare name", src: `xml_value(record.details, "//CHECK")`, record: xmlRecord, want: nil},
		{name: "xpath from the record", src: `xml_value(record.details, "//" + "REF")`, record: xmlRecord, want: "IMA/2024/0007"},
		{name: "nodes", src: `xml_nodes(record.details, "//GOODS")`, record: xmlRecord, want: []any{
			map[string]any{"DESC": "Rifle", "QTY": "2"},
			map[string]any{"DESC": "Scope", "QTY": map[string]any{"@unit": "box", "#text": "1"}},
		}},
		{name: "nodes of a leaf", src: `xml_nodes(record.details, "//REF")`, record: xmlRecord, want: []any{map[string]any{"#text": "IMA/2024/0007"}}},
		{name: "nodes of attributes are their values", src: `xml_nodes(record.details, "//@id")`, record: xmlRecord, want: []any{"u1"}},
		{name: "repeated children are a list", src: `xml_nodes(record.details, "//GOODS_LIST")[0].GOODS[1].DESC`, record: xmlRecord, want: "Scope"},

		{name: "malformed names the argument, line and column", src: `xml_value(record.bad, "//REF")`, record: xmlRecord,
			wantErr: "xml_value: record.bad is not well-formed XML: line 3, column 6: element <A> closed by </B>"},
		{name: "not text", src: `xml_value(record.num, "//REF")`, record: xmlRecord, wantErr: "xml_value: record.num is int64, want XML text"},
		{name: "empty text", src: `xml_values(record.details2, "//REF")`, record: `{"details2": ""}`, wantErr: "no element"},
		{name: "truncated", src: `xml_nodes(record.t, "//REF")`, record: `{"t": "<a><b>"}`, wantErr: "line 1, column 7: the text ends inside <b>"},
		{name: "undeclared prefix", src: `xml_value(record.t, "//a")`, record: `{"t": "<x:a>1</x:a>"}`, wantErr: `namespace prefix "x" is not declared`},
		{name: "bad xpath at run time", src: `xml_value(record.details, "//" + "[")`, record: xmlRecord, wantErr: "xml_value: xpath"},
		{name: "unbound prefix at run time", src: `xml_value(record.details, "//" + "q:CHECK")`, record: xmlRecord, wantErr: "prefix q not defined"},
		{name: "nodes of a number", src: `xml_nodes(record.details, "count(//GOODS)")`, record: xmlRecord, wantErr: "gives a float64, not nodes"},
		{name: "as_list of one child", src: `as_list(xml_nodes(record.details, "//APP_DETAILS")[0].REF)`, record: xmlRecord, want: []any{"IMA/2024/0007"}},
		{name: "as_list of repeated children", src: `len(as_list(xml_nodes(record.details, "//GOODS_LIST")[0].GOODS))`, record: xmlRecord, want: 2},
		{name: "as_list of null", src: `as_list(record.none)`, record: xmlRecord, want: []any{}},
		{name: "xml_text of a leaf", src: `xml_text(xml_nodes(record.details, "//GOODS")[0].QTY)`, record: xmlRecord, want: "2"},
		{name: "xml_text of an element with attributes", src: `xml_text(xml_nodes(record.details, "//GOODS")[1].QTY)`, record: xmlRecord, want: "1"},
		{name: "xml_text without text", src: `xml_text(xml_nodes(record.details, "//APP_DETAILS")[0].GOODS_LIST)`, record: xmlRecord, want: ""},
		{name: "xml_text of a list", src: `xml_text(xml_nodes(record.details, "//GOODS_LIST")[0].GOODS)`, record: xmlRecord, wantErr: "xml_text: want an element's value"},
		{name: "second root refused", src: `xml_value(record.t, "/IMA/REF")`, record: `{"t": "<IMA><REF>A</REF></IMA><IMA><REF>B</REF></IMA>"}`,
			wantErr: "xml_value: record.t is not well-formed XML: line 1, column 24: a second root element <IMA>"},
		{name: "xml prefix bound without a declaration", src: `xml_value(record.t, "/a/@xml:lang")`, record: `{"t": "<a xml:lang='en'/>"}`, want: "en"},
		{name: "prefixed attribute keeps its prefix", src: `xml_nodes(record.t, "/a")`, record: `{"t": "<a xmlns:v='urn:v' v:id='L' id='1' xml:lang='en'/>"}`,
			want: []any{map[string]any{"@id": "1", "@v:id": "L", "@xml:lang": "en"}}},
		{name: "declared encoding of a column ignored", src: `xml_value(record.t, "/a")`, record: `{"t": "<?xml version='1.0' encoding='windows-1252'?><a>café</a>"}`, want: "café"},
		{name: "empty string read as null the documented way", src: `record.t == "" ? nil : xml_value(record.t, "/a")`, record: `{"t": ""}`, want: nil},
		{name: "arguments", src: `xml_value(record.details)`, record: xmlRecord, wantErr: "xml_value takes 2 to 3 arguments, got 1"},
	})
}

// TestXMLBadLiteralXPathFailsCompile: a literal XPath is compiled with the
// expression, so a plan with a bad one fails at load.
func TestXMLBadLiteralXPathFailsCompile(t *testing.T) {
	for _, src := range []string{
		`xml_value(record.x, "//[")`,
		`xml_values(record.x, "//q:a")`,
		`xml_nodes(record.x, "//q:a", {p: "urn:p"})`,
		`xml_values(record.x, "//ia:*", {ia: "urn:ia"})`, // never matches in antchfx/xpath: refused with a rewriting
	} {
		_, err := transform.Compile(src, transform.StepVars, transform.NewFuncs())
		if err == nil || !strings.Contains(err.Error(), "xpath") {
			t.Errorf("Compile(%s) = %v, want an xpath error", src, err)
		}
	}
	if _, err := transform.Compile(`xml_value(record.x, "//q:a", {q: "urn:q"})`, transform.StepVars, transform.NewFuncs()); err != nil {
		t.Errorf("a prefix bound in the call: %v", err)
	}
}

// TestXMLPlanNamespaces: prefixes bound for the plan work in every call,
// and a call's own binding wins.
func TestXMLPlanNamespaces(t *testing.T) {
	funcs := transform.NewFuncs().WithXMLNamespaces(map[string]string{"ia": "urn:icms:ia"})
	for src, want := range map[string]any{
		`xml_value(record.details, "//ia:CHECK")`:                        "fir",
		`xml_value(record.details, "//ia:CHECK", {ia: "urn:other"})`:     nil,
		`xml_value(record.details, "//" + "ia:CHECK")`:                   "fir",
		`xml_value(record.details, "//ia:CHECK", {n: "urn:icms:notes"})`: "fir",
	} {
		p, err := transform.Compile(src, transform.StepVars, funcs)
		if err != nil {
			t.Fatalf("Compile(%s): %v", src, err)
		}
		got, err := evalWith(t, p, xmlRecord)
		if err != nil || got != want {
			t.Errorf("%s = %#v, %v; want %#v", src, got, err, want)
		}
	}
	if _, err := transform.Compile(`xml_value(record.details, "//ia:CHECK")`, transform.StepVars, transform.NewFuncs()); err == nil {
		t.Error("the plan's prefix leaked into functions without it")
	}
}

// TestXMLReplacedFunction: a Go program that registers its own xml_value
// gets its calls as written, without the hidden arguments.
func TestXMLReplacedFunction(t *testing.T) {
	funcs := transform.NewFuncs()
	if err := funcs.Register("xml_value", func(args ...any) (any, error) { return len(args), nil }); err != nil {
		t.Fatal(err)
	}
	p, err := transform.Compile(`xml_value(record.details, "//[")`, transform.StepVars, funcs)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := evalWith(t, p, xmlRecord); err != nil || got != 2 {
		t.Errorf("got %v, %v; want 2 arguments", got, err)
	}
}

// TestXMLHugeDocument reads a document of 100,000 items: values are
// complete and in order.
func TestXMLHugeDocument(t *testing.T) {
	var b strings.Builder
	b.WriteString("<items>")
	for i := range 100000 {
		b.WriteString("<item n=\"")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("\"><v>")
		b.WriteString(strings.Repeat("y", i%5))
		b.WriteString("</v></item>")
	}
	b.WriteString("</items>")
	rec, _ := json.Marshal(map[string]any{"doc": b.String()})
	got, err := eval(t, `len(xml_values(record.doc, "//item/v"))`, string(rec))
	if err != nil || got != 100000 {
		t.Fatalf("got %v, %v; want 100000", got, err)
	}
	got, err = eval(t, `xml_values(record.doc, "/items/item/@n")[99999]`, string(rec))
	if err != nil || got != strings.Repeat("x", 99999%7) {
		t.Fatalf("last item = %v, %v", got, err)
	}
}

func evalWith(t *testing.T, p *transform.Program, recordJSON string) (any, error) {
	t.Helper()
	rec, err := transform.DecodeJSON([]byte(recordJSON))
	if err != nil {
		t.Fatal(err)
	}
	e := transform.NewEnv()
	e.Set("record", rec)
	return e.Eval(p)
}

// FuzzXMLFunctions: no text and no XPath makes an XML function panic.
func FuzzXMLFunctions(f *testing.F) {
	f.Add("<a><b x='1'>t</b></a>", "//b/@x")
	f.Add("<a><b>", "//b")
	f.Add("<x:a xmlns:x='u'/>", "count(//*)")
	f.Add("<?xml version='1.0'?><!DOCTYPE a><a>&amp;<![CDATA[c]]></a>", "string(/a)")
	f.Add("", "[")
	progs := map[string]*transform.Program{}
	for _, fn := range []string{"xml_value", "xml_values", "xml_nodes"} {
		p, err := transform.Compile(fn+"(record.doc, record.path)", transform.StepVars, transform.NewFuncs())
		if err != nil {
			f.Fatal(err)
		}
		progs[fn] = p
	}
	f.Fuzz(func(t *testing.T, doc, path string) {
		e := transform.NewEnv()
		e.Set("record", map[string]any{"doc": doc, "path": path})
		for fn, p := range progs {
			if _, err := e.Eval(p); err != nil && strings.Contains(err.Error(), "panic") {
				t.Fatalf("%s(%q, %q): %v", fn, doc, path, err)
			}
		}
	})
}

// TestXMLParsesOncePerRecord: expressions of one record that read the same
// document parse it once (a second read allocates a fraction of a parse),
// and a new record parses again.
func TestXMLParsesOncePerRecord(t *testing.T) {
	var b strings.Builder
	b.WriteString("<r>")
	for range 300 {
		b.WriteString("<item><v>x</v></item>")
	}
	b.WriteString("</r>")
	rec := map[string]any{"doc": b.String()}
	p, err := transform.Compile(`xml_value(record.doc, "/r/item[1]/v")`, transform.StepVars, transform.NewFuncs())
	if err != nil {
		t.Fatal(err)
	}
	e := transform.NewEnv()
	eval := func() {
		if v, err := e.Eval(p); err != nil || v != "x" {
			t.Fatalf("got %v, %v", v, err)
		}
	}
	newRecord := testing.AllocsPerRun(20, func() { e.Set("record", rec); eval() })
	sameRecord := testing.AllocsPerRun(20, eval)
	if newRecord < 1000 || sameRecord > newRecord/4 {
		t.Errorf("allocations: %v for a new record, %v for the same record again; want the document parsed once per record", newRecord, sameRecord)
	}
}
