package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed samples are exactly what gen writes, so forms.go is their
// source and a hand edit of a sample shows here.
func TestCommittedSamplesAreGenerated(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	got, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	committed, _ := filepath.Glob(filepath.Join("..", "*.json"))
	if len(got) != len(committed) {
		t.Fatalf("gen writes %d files, %d are committed", len(got), len(committed))
	}
	for _, name := range got {
		a, _ := os.ReadFile(name)
		b, err := os.ReadFile(filepath.Join("..", filepath.Base(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("samples/%s differs from what gen writes: run go run ./examples/drishti/samples/gen", filepath.Base(name))
		}
	}
}
