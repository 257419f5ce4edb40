package cli_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Ensure errors that can never clear by retry (a record without a key, one
// fixed at the source and re-sent under its real key) can be closed by
// hand with a reason kept in their history, so status stops saying FAILED.
func TestErrorsResolve(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	f, err := os.OpenFile(filepath.Join(s.dir, "orders.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"total":5}` + "\n") // no key
	f.Close()
	s.orders(t, 4, 10) // order 10 fails
	c := []string{"-c", s.plan}
	mustRun(t, append([]string{"migrate"}, c...)...)

	var errs []struct {
		ID        int64    `json:"id"`
		Key       string   `json:"key"`
		SourceKey string   `json:"source_key"`
		Resolved  bool     `json:"resolved"`
		History   []string `json:"history"`
	}
	decodeJSON(t, mustRun(t, append([]string{"errors", "list", "--json"}, c...)...), &errs)
	if len(errs) != 2 || !strings.HasPrefix(errs[0].Key, "(no key) sha256:") || errs[1].SourceKey != "10" {
		t.Fatalf("errors = %+v, want the keyless record and order 10", errs)
	}
	keyless := errs[0].ID

	// Usage mistakes exit 2 and close nothing.
	for _, args := range [][]string{
		{"errors", "resolve", "1"},                      // no reason
		{"errors", "resolve", "--reason", "x"},          // nothing named
		{"errors", "resolve", "--all", "--reason", "x"}, // --all without --step
		{"errors", "resolve", "abc", "--reason", "x"},   // not an id
	} {
		if r := run(t, append(args, c...)...); r.code != 2 {
			t.Errorf("decant %s: exit %d, want 2:\n%s", strings.Join(args, " "), r.code, r)
		}
	}
	if r := run(t, append([]string{"errors", "resolve", "999", "--reason", "typo"}, c...)...); r.code == 0 || !strings.Contains(r.stderr, "999") {
		t.Errorf("resolving an unknown id: %s", r)
	}

	id := strconv.FormatInt(keyless, 10)
	r := mustRun(t, append([]string{"errors", "resolve", "--reason", "the source sends no id for these", id}, c...)...)
	if !strings.Contains(r.stdout, "1 error(s) resolved") {
		t.Errorf("resolve printed:\n%s", r)
	}
	show := mustRun(t, append([]string{"errors", "show", id}, c...)...)
	if !strings.Contains(show.stdout, "resolved by hand: the source sends no id for these") {
		t.Errorf("errors show lacks the history:\n%s", show)
	}
	mustRun(t, append([]string{"errors", "resolve", "--step", "orders", "--all", "--reason", "re-sent as ORD-10"}, c...)...)
	st := mustRun(t, append([]string{"status"}, c...)...)
	for _, line := range strings.Split(st.stdout, "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[0] == "orders" && f[4] != "0" { // STEP READ KEYS WRITTEN FAILED
			t.Errorf("status still counts failed orders after resolving every error:\n%s", st)
		}
	}
	// A retry leaves resolved errors alone.
	retry := mustRun(t, append([]string{"errors", "retry"}, c...)...)
	if !strings.Contains(retry.stdout, "retried 0") {
		t.Errorf("retry after resolving:\n%s", retry)
	}
}
