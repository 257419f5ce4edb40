package httpfeed

import (
	"fmt"
	"strconv"
	"time"

	"github.com/decanthq/decant"
)

// Options are a feed's options as a plan writes them under a step's from
// (docs/plan.md, "HTTP and HTTPS feeds"); each field's yaml tag is its key.
// A zero field means its default. [Open] turns them into a [Config].
type Options struct {
	// Items is the gjson path of the array of records in a response.
	// Empty means the body itself is the array.
	Items string `yaml:"items"`
	// CursorParam is the query parameter carrying the cursor. Defaults to "timestamp".
	CursorParam string `yaml:"cursor_param"`
	// SizeParam is the query parameter carrying the page size. Defaults to "batch-size".
	SizeParam string `yaml:"size_param"`
	// CursorType is "int" (the default) or "string"; see [Config].
	CursorType string `yaml:"cursor_type"`
	// Start is the cursor parameter of the first request. Defaults to "0"
	// for int cursors and "" for string ones.
	Start string `yaml:"start"`
	// PageSize is how many new records a request asks for. Defaults to
	// 100; a plan that writes it must write at least 1.
	PageSize int `yaml:"page_size" min:"1"`

	// Username and Password send HTTP basic auth.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// BearerToken sends "Authorization: Bearer <token>"; it excludes basic auth.
	BearerToken string `yaml:"bearer_token"`
	// Header holds extra request headers.
	Header map[string]string `yaml:"header"`
	// CAFile is a PEM file of certificates trusted in addition to the system pool.
	CAFile string `yaml:"ca_file"`
	// InsecureSkipVerify turns off TLS certificate verification.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`

	// Timeout bounds each request, body included. Defaults to 30s.
	Timeout time.Duration `yaml:"timeout"`
	// Retries is how many times a failed request is retried: nil (the key
	// left out) means the default, 5; 0 or less means none. Unlike
	// [Config.Retries], an explicit 0 is kept: "retries: 0" in a plan
	// turns retries off.
	Retries *int `yaml:"retries"`
	// MaxBody is the largest response body read, in bytes. Defaults to 64 MiB.
	MaxBody int64 `yaml:"max_body" min:"0"`
}

// Validate checks what can be checked without the URL, each error a
// *decant.OptionError naming the option.
func (o *Options) Validate() error {
	switch {
	case o.CursorType != "" && o.CursorType != CursorInt && o.CursorType != CursorString:
		return optionErr("cursor_type", "want %q or %q, not %q", CursorInt, CursorString, o.CursorType)
	case o.PageSize < 0:
		return optionErr("page_size", "want at least 1, not %d", o.PageSize)
	case o.BearerToken != "" && o.Username != "":
		return optionErr("bearer_token", "cannot be used with username (basic auth)")
	case o.BearerToken != "" && o.Password != "":
		return optionErr("bearer_token", "cannot be used with password (basic auth)")
	case o.Timeout < 0:
		return optionErr("timeout", "must not be negative, not %s", o.Timeout)
	case o.MaxBody < 0:
		return optionErr("max_body", "must not be negative, not %d", o.MaxBody)
	}
	if o.Start != "" && o.CursorType != CursorString {
		if _, err := strconv.ParseInt(o.Start, 10, 64); err != nil {
			return optionErr("start", "%q is not an integer, which an int cursor needs (set cursor_type: string for text cursors)", o.Start)
		}
	}
	return nil
}

func optionErr(option, format string, args ...any) error {
	return &decant.OptionError{Option: option, Err: fmt.Errorf(format, args...)}
}

// Config returns the feed configuration of these options for records
// whose key and cursor are at the gjson paths key and cursor.
func (o *Options) Config(key, cursor string) Config {
	return Config{
		Items: o.Items, Key: key, Cursor: cursor, CursorParam: o.CursorParam, SizeParam: o.SizeParam,
		CursorType: o.CursorType, Start: o.Start, PageSize: o.PageSize,
		Username: o.Username, Password: o.Password, BearerToken: o.BearerToken, Header: o.Header,
		CAFile: o.CAFile, InsecureSkipVerify: o.InsecureSkipVerify,
		Timeout: o.Timeout, Retries: retries(o.Retries), MaxBody: o.MaxBody,
	}
}

// retries turns Options.Retries into Config.Retries, which reads 0 as the
// default and a negative value as none: absent keeps the default, and an
// explicit 0 or less must not be passed on as 0.
func retries(r *int) int {
	switch {
	case r == nil:
		return 0
	case *r <= 0:
		return -1
	}
	return *r
}

// Open returns a feed reading url with options o, for records whose key
// and cursor are at the gjson paths key and cursor. A nil o means every
// default.
func Open(url, key, cursor string, o *Options) (*Source, error) {
	if o == nil {
		o = &Options{}
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("httpfeed: %w", err)
	}
	return New(url, o.Config(key, cursor))
}
