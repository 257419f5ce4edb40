package transform

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure a member chain evaluated without the VM gives what the VM gives,
// values and errors alike.
func TestEvalMemberPath(t *testing.T) {
	rec, err := DecodeJSON([]byte(`{"a":{"b":{"c":1.5}},"s":"x","n":null,"l":[1,2],"m":{"x y":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{
		`record`, `record.a.b.c`, `record.s`, `record.missing`, `record.n`, `record.l`,
		`record["m"]["x y"]`, `record.a["b"].c`, `record.n.x`, `record.s.x`, `record.missing.x`,
		`key`, `record?.a`, `record.l[0]`,
	} {
		p, err := Compile(src, []string{"record", "key"}, NewFuncs())
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		e := NewEnv()
		e.Set("record", rec)
		e.Set("key", "k1")
		got, gotErr := e.Eval(p)
		vmOnly := *p
		vmOnly.path = nil
		want, wantErr := e.Eval(&vmOnly)
		if diff := cmp.Diff(want, got); diff != "" || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("%s: got %#v, %v; the VM gives %#v, %v", src, got, gotErr, want, wantErr)
		}
	}
	fast := 0
	for _, src := range []string{`record.a.b.c`, `record["m"]`, `key`} {
		p, _ := Compile(src, []string{"record", "key"}, NewFuncs())
		if p.path != nil {
			fast++
		}
	}
	if fast != 3 {
		t.Errorf("%d of 3 plain member chains take the fast path", fast)
	}
}
