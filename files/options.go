package files

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/decanthq/decant"
)

// Options are a file's options as a plan writes them under a step's from
// (docs/plan.md, "Files"); each field's yaml tag is its key. A zero field
// means its default. [Open] turns them into a [Config].
type Options struct {
	// Format is "jsonl", "csv" or "xml". Defaults from the extension (see
	// [Config]).
	Format string `yaml:"format"`
	// Delimiter separates CSV fields: one character. Defaults to ","
	// (a tab for .tsv files).
	Delimiter string `yaml:"delimiter"`
	// Record is the XPath of an XML file's record elements; required for
	// XML.
	Record string `yaml:"record"`
	// Namespaces binds the prefixes Record uses (prefix -> namespace URI).
	Namespaces map[string]string `yaml:"namespaces"`
}

// Validate checks the options on their own (the format a file's extension
// implies is checked by [Open]), each error a *decant.OptionError naming
// the option.
func (o *Options) Validate() error {
	switch {
	case o.Format != "" && o.Format != FormatJSONL && o.Format != FormatCSV && o.Format != FormatXML:
		return &decant.OptionError{Option: "format", Err: fmt.Errorf("want %q, %q or %q, not %q", FormatJSONL, FormatCSV, FormatXML, o.Format)}
	case o.Delimiter != "" && !validDelimiter(o.Delimiter):
		return &decant.OptionError{Option: "delimiter", Err: fmt.Errorf("want one character other than a quote or a line break, not %q", o.Delimiter)}
	case o.Format == FormatXML && o.Record == "":
		return &decant.OptionError{Option: "record", Err: errors.New("an xml file needs record: the XPath of its record elements, such as //application")}
	case o.Format != "" && o.Format != FormatXML && (o.Record != "" || len(o.Namespaces) > 0):
		return &decant.OptionError{Option: "record", Err: fmt.Errorf("only for an xml file, not %s", o.Format)}
	}
	if o.Record != "" {
		if _, err := compileRecord(o.Record, o.Namespaces); err != nil {
			return &decant.OptionError{Option: "record", Err: err}
		}
	}
	return nil
}

// validDelimiter reports whether d can separate CSV fields.
func validDelimiter(d string) bool {
	return utf8.RuneCountInString(d) == 1 && !strings.ContainsAny(d, "\"\r\n") && d != string(utf8.RuneError)
}

// Config returns the file configuration of these options for records
// whose key and cursor are at key and cursor (gjson paths for JSON Lines,
// column names for CSV).
func (o *Options) Config(key, cursor string) Config {
	return Config{Format: o.Format, Delimiter: o.Delimiter, Record: o.Record, Namespaces: o.Namespaces, Key: key, Cursor: cursor}
}

// Open returns a source reading the file at path with options o, for
// records whose key and cursor are at key and cursor. A nil o means every
// default.
func Open(path, key, cursor string, o *Options) (*Source, error) {
	if o == nil {
		o = &Options{}
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return New(path, o.Config(key, cursor))
}

// MetadataFields names, for an XML file, the namespace declarations of a
// record element (@xmlns, @xmlns:q): a plan that maps none of them has
// not dropped data (decant.MetadataFielder). Other files have none.
func (o *Options) MetadataFields() []string {
	if o.Record == "" {
		return nil
	}
	return []string{"@xmlns*"}
}
