package files_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
)

// TestSize checks the estimate that gives progress bars their ETA: exact
// for a small JSON Lines or CSV file, counted from a checkpoint, and within
// a few percent when only the first MiB is sampled.
func TestSize(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()

	jsonl := filepath.Join(dir, "data.jsonl")
	writeFile(t, jsonl, "{\"id\":\"1\"}\n\n{\"id\":\"2\"}\n{\"id\":\"3\"}\n")
	src, err := files.New(jsonl, files.Config{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	assertSize(t, src, nil, 3)
	assertSize(t, src, decant.Position(`{"offset":11,"line":1}`), 2)
	assertSize(t, src, decant.Position(`{"offset":34,"line":4}`), 0)

	csvPath := filepath.Join(dir, "data.csv")
	writeFile(t, csvPath, "id,name\n1,a\n2,b\n")
	csvSrc, err := files.New(csvPath, files.Config{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	assertSize(t, csvSrc, nil, 2) // the header is not counted

	big := filepath.Join(dir, "big.jsonl")
	var b strings.Builder
	for i := range 60000 {
		fmt.Fprintf(&b, "{\"id\":\"%d\",\"pad\":\"%s\"}\n", i, strings.Repeat("x", i%40))
	}
	writeFile(t, big, b.String())
	bigSrc, err := files.New(big, files.Config{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	n, ok, err := bigSrc.Size(ctx, "default", nil)
	if err != nil || !ok || n < 57000 || n > 63000 {
		t.Fatalf("Size of a %d-byte file of 60000 records = %d, %t, %v; want within 5%% of 60000", b.Len(), n, ok, err)
	}

	missing, err := files.New(filepath.Join(dir, "nope.jsonl"), files.Config{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := missing.Size(ctx, "default", nil); err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Fatalf("Size of a missing file: err %v, want one naming the file", err)
	}
}

func assertSize(t *testing.T, src *files.Source, pos decant.Position, want int64) {
	t.Helper()
	n, ok, err := src.Size(context.Background(), "default", pos)
	if err != nil || !ok || n != want {
		t.Fatalf("Size(%s) = %d, %t, %v; want %d, true, nil", pos, n, ok, err, want)
	}
}
