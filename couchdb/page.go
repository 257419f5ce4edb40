package couchdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// pageDecoder is a body that decodes itself instead of going through
// encoding/json (see attempt).
type pageDecoder interface {
	decodePage(body []byte) error
}

// docsPage is an answer of _all_docs. It is the bulk phase's every byte,
// so it is read with gjson after one check that the whole body is JSON:
// decoding it with encoding/json, which validates as it goes and then
// validates each raw document again, was a quarter of a migration's CPU.
type docsPage struct {
	Rows []docRow
}

var _ pageDecoder = (*docsPage)(nil)

// decodePage reads the rows' ids and documents; other members are skipped.
// A body that is not JSON, or whose rows are not an array of objects (or
// nulls) with a string id, is an error as encoding/json's would be; but a
// document nested deeper than encoding/json reads is left to the mapping,
// which fails that record alone (transform.MaxDepth) instead of the page. Unlike
// encoding/json, member names match exactly (not "ID" for "id"), and an id
// keeps its bytes when they are not UTF-8 (the engine refuses such a key
// as a record error instead of reading it as another, U+FFFD, key).
func (p *docsPage) decodePage(body []byte) error {
	s := string(body)
	if !gjson.Valid(s) {
		return errors.New("not JSON")
	}
	top := gjson.Parse(s)
	if !top.IsObject() && top.Type != gjson.Null {
		return fmt.Errorf("the body is %s, not an object", top.Type)
	}
	var rows gjson.Result
	top.ForEach(func(k, v gjson.Result) bool {
		if k.Str == "rows" {
			rows = v // the last one, as encoding/json takes it
		}
		return true
	})
	if rows.Type == gjson.Null {
		p.Rows = nil
		return nil
	}
	if !rows.IsArray() {
		return fmt.Errorf("rows is %s, not an array", rows.Type)
	}
	p.Rows = make([]docRow, 0, 64)
	var err error
	rows.ForEach(func(_, row gjson.Result) bool {
		if !row.IsObject() && row.Type != gjson.Null {
			err = fmt.Errorf("row %d is %s, not an object", len(p.Rows), row.Type)
			return false
		}
		var d docRow
		row.ForEach(func(k, v gjson.Result) bool {
			switch k.Str {
			case "id":
				if v.Type != gjson.String && v.Type != gjson.Null {
					err = fmt.Errorf("row %d has an id of %s, not a string", len(p.Rows), v.Type)
					return false
				}
				d.ID = v.Str
				if strings.Contains(v.Raw, `\u`) {
					// gjson reads an escaped lone surrogate and the
					// escape after it as one U+FFFD (\ud800\u0041), where
					// encoding/json, which the changes phase uses, reads
					// U+FFFD A: two ids would meet. Escaped ids are rare.
					if err = json.Unmarshal([]byte(v.Raw), &d.ID); err != nil {
						return false
					}
				}
			case "doc":
				d.Doc = []byte(v.Raw)
			}
			return true
		})
		p.Rows = append(p.Rows, d)
		return err == nil
	})
	return err
}
