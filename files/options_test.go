package files_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
)

// Ensure Validate refuses a format or delimiter a file cannot have, naming
// the option so the plan loader can point at it.
func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		o      files.Options
		option string
	}{
		{files.Options{Format: "yaml"}, "format"},
		{files.Options{Delimiter: ";;"}, "delimiter"},
		{files.Options{Delimiter: `"`}, "delimiter"},
		{files.Options{Delimiter: "\n"}, "delimiter"},
	} {
		err := tt.o.Validate()
		var oe *decant.OptionError
		if !errors.As(err, &oe) || oe.Option != tt.option {
			t.Errorf("Validate(%+v) = %v, want a *decant.OptionError naming %s", tt.o, err, tt.option)
		}
	}
	for _, o := range []files.Options{{}, {Format: "csv", Delimiter: "\t"}, {Format: "jsonl"}} {
		if err := o.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", o, err)
		}
	}
}

// Ensure Open reads a file with the options' format and delimiter, and
// with every default when the options are nil.
func TestOpenUsesOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "orders.txt")
	if err := os.WriteFile(path, []byte("id;total\n7;12.50\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := files.Open(path, "id", "", &files.Options{Format: "csv", Delimiter: ";"})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rows, err := src.Read(context.Background(), decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next(context.Background()) || rows.Record().Key != "7" {
		t.Fatalf("did not read the row keyed 7: %v", rows.Err())
	}
	if _, err := files.Open(path, "id", "", nil); err == nil {
		t.Error("Open of a .txt file without a format succeeded")
	}
	if _, err := files.Open(path, "id", "", &files.Options{Format: "yaml"}); err == nil {
		t.Error("Open with format yaml succeeded")
	}
}
