package verify_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/verify"
)

// upperRule accepts a name the target upper-cased, as a trigger would;
// it stands for the expression actual == upper(expected).
var upperRule = verify.Rule{Column: "name", Kind: verify.RuleExpr, Reason: "a trigger upper-cases names",
	Accept: func(e, a verify.ExprValue) (bool, error) {
		es, ok1 := e.Value.(string)
		as, ok2 := a.Value.(string)
		return ok1 && ok2 && as == strings.ToUpper(es), nil
	}}

// Ensure an expression rule turns the differences it accepts into changes
// with its reason, leaves the others diffs, and is asked only about values
// that differ.
func TestMerge_ExprRule(t *testing.T) {
	t.Parallel()
	calls := 0
	counted := upperRule
	counted.Accept = func(e, a verify.ExprValue) (bool, error) {
		calls++
		return upperRule.Accept(e, a)
	}
	got, c, err := merge(t, table(counted),
		[]verify.KeyedRow{exp(int64(1), "asha", nil), exp(int64(2), "ravi", nil), exp(int64(3), "same", nil)},
		[]decant.TargetRow{act(int64(1), "ASHA", nil), act(int64(2), "Ravi", nil), act(int64(3), "same", nil)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`change [1] name="asha"/"ASHA" expr(a trigger upper-cases names)`, `diff [2] name="ravi"/"Ravi"`}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
	if want := (verify.Counts{Checked: 3, OK: 1, Changes: 1, Diffs: 1}); c != want {
		t.Errorf("counts = %+v, want %+v", c, want)
	}
	if calls != 2 {
		t.Errorf("Accept called %d times, want 2 (only for the keys whose names differ)", calls)
	}
}

// Ensure an expression rule that fails, or an Accept that returns an
// error for a non-boolean result, stops the merge with an error naming the
// table, key and column, instead of accepting the difference.
func TestMerge_ExprRuleError(t *testing.T) {
	t.Parallel()
	boom := errors.New(`expression "actual == expected + 1" failed: invalid operation: string + int`)
	r := verify.Rule{Column: "name", Kind: verify.RuleExpr, Reason: "r",
		Accept: func(verify.ExprValue, verify.ExprValue) (bool, error) { return false, boom }}
	got, c, err := merge(t, table(r),
		[]verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(2), "b", nil)},
		[]decant.TargetRow{act(int64(1), "a", nil), act(int64(2), "B", nil)})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the Accept error", err)
	}
	if want := `table t: key (2): column "name": rule expr: expression`; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %q, want it to start with %q", err, want)
	}
	if len(got) != 0 || c.Changes != 0 || c.Checked != 1 {
		t.Errorf("findings %q, counts %+v: want only key 1, ok, before the error", got, c)
	}
}

// Ensure an expression rule is tried in its turn among the column's rules:
// an earlier rule that accepts is recorded, and the expression combines
// with no other rule.
func TestMerge_ExprRuleWithOthers(t *testing.T) {
	t.Parallel()
	trim := verify.Rule{Column: "name", Kind: verify.RuleTrim, Reason: "legacy pads names"}
	empty := verify.Rule{Column: "name", Kind: verify.RuleNullEqualsEmpty, Reason: "blank is unknown"}
	got, _, err := merge(t, table(trim, upperRule, empty),
		[]verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(2), "b", nil), exp(int64(3), nil, nil), exp(int64(4), "c", nil)},
		[]decant.TargetRow{act(int64(1), "a ", nil), act(int64(2), "B", nil), act(int64(3), " ", nil), act(int64(4), " C ", nil)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`change [1] name="a"/"a " trim(legacy pads names)`,
		`change [2] name="b"/"B" expr(a trigger upper-cases names)`,
		`change [3] name=NULL/" " trim(legacy pads names) null_equals_empty(blank is unknown)`,
		`diff [4] name="c"/" C "`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
}

// Ensure NewMerger refuses an expression rule without its test.
func TestNewMerger_ExprRuleWithoutAccept(t *testing.T) {
	t.Parallel()
	_, err := verify.NewMerger(table(verify.Rule{Column: "name", Kind: verify.RuleExpr, Reason: "r"}))
	if err == nil || !strings.Contains(err.Error(), `rule expr on column "name": no Accept function`) {
		t.Fatalf("NewMerger: %v, want an error for the missing Accept", err)
	}
}

// Ensure an expression sees each side as a Go value of the column's kind,
// read back from the canonical form, so that SQLite's spellings (1 for
// true, text for a time, 12.0 in an int column) read as PostgreSQL's do,
// and with the canonical text beside it.
func TestMerge_ExprValues(t *testing.T) {
	t.Parallel()
	kolkata := time.FixedZone("IST", 5*3600+1800)
	cases := []struct {
		name     string
		col      verify.Column
		e, a     any
		want     verify.ExprValue // what the actual side reads as
		wantExpr verify.ExprValue // and the expected side
	}{
		{"text", verify.Column{Kind: decant.KindText}, "ab", []byte("AB"),
			verify.ExprValue{Value: "AB", Text: "AB"}, verify.ExprValue{Value: "ab", Text: "ab"}},
		{"padded text", verify.Column{Kind: decant.KindText, Padded: true}, "ab", "AB   ",
			verify.ExprValue{Value: "AB", Text: "AB"}, verify.ExprValue{Value: "ab", Text: "ab"}},
		{"int from a SQLite float", verify.Column{Kind: decant.KindInt}, int32(12), 24.0,
			verify.ExprValue{Value: int64(24), Text: "24"}, verify.ExprValue{Value: int64(12), Text: "12"}},
		{"decimal", verify.Column{Kind: decant.KindDecimal}, decant.Decimal("1.50"), "150",
			verify.ExprValue{Value: 150.0, Text: "150"}, verify.ExprValue{Value: 1.5, Text: "1.5"}},
		{"float", verify.Column{Kind: decant.KindFloat}, float32(0.5), "0.25",
			verify.ExprValue{Value: 0.25, Text: "0.25"}, verify.ExprValue{Value: 0.5, Text: "0.5"}},
		{"bool from SQLite", verify.Column{Kind: decant.KindBool}, true, int64(0),
			verify.ExprValue{Value: false, Text: "false"}, verify.ExprValue{Value: true, Text: "true"}},
		{"timestamp from SQLite text", verify.Column{Kind: decant.KindTimestamp},
			time.Date(2024, 3, 1, 16, 0, 0, 0, kolkata), "2024-03-01T15:30:00.000000000Z",
			verify.ExprValue{Value: time.Date(2024, 3, 1, 15, 30, 0, 0, time.UTC), Text: "2024-03-01T15:30:00Z"},
			verify.ExprValue{Value: time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC), Text: "2024-03-01T10:30:00Z"}},
		{"date", verify.Column{Kind: decant.KindDate}, time.Date(2024, 3, 1, 2, 0, 0, 0, kolkata), "2024-03-02",
			verify.ExprValue{Value: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), Text: "2024-03-02"},
			verify.ExprValue{Value: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Text: "2024-03-01"}},
		{"json", verify.Column{Kind: decant.KindJSON}, decant.JSON(`{"a": 1}`), map[string]any{"a": 2},
			verify.ExprValue{Value: map[string]any{"a": 2.0}, Text: `{"a":2}`},
			verify.ExprValue{Value: map[string]any{"a": 1.0}, Text: `{"a":1}`}},
		{"NULL", verify.Column{Kind: decant.KindText}, "x", nil,
			verify.ExprValue{Null: true}, verify.ExprValue{Value: "x", Text: "x"}},
		{"not of the kind", verify.Column{Kind: decant.KindInt}, int64(12), "12abc",
			verify.ExprValue{Value: "12abc", Text: `text:"12abc"`}, verify.ExprValue{Value: int64(12), Text: "12"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var gotE, gotA verify.ExprValue
			r := verify.Rule{Column: "v", Kind: verify.RuleExpr, Reason: "r",
				Accept: func(e, a verify.ExprValue) (bool, error) { gotE, gotA = e, a; return true, nil }}
			m, err := verify.NewMerger(verify.Table{Name: "t", Key: []string{"id"}, Mapped: []string{"v"},
				Columns: map[string]verify.Column{"id": {Kind: decant.KindInt}, "v": tc.col}, Rules: []verify.Rule{r}})
			if err != nil {
				t.Fatal(err)
			}
			e := &expectedSlice{rows: []verify.KeyedRow{{Key: []any{int64(1)}, Values: map[string]any{"v": tc.e}}}}
			a := &actualSlice{rows: []decant.TargetRow{{Key: []any{int64(1)}, Values: []any{tc.a}}}}
			c, err := m.Merge(context.Background(), e, a, func(verify.Finding) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if c.Changes != 1 {
				t.Fatalf("counts = %+v, want one change", c)
			}
			if !reflect.DeepEqual(gotA, tc.want) {
				t.Errorf("actual = %#v, want %#v", gotA, tc.want)
			}
			if !reflect.DeepEqual(gotE, tc.wantExpr) {
				t.Errorf("expected = %#v, want %#v", gotE, tc.wantExpr)
			}
		})
	}
}
