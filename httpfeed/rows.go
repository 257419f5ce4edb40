package httpfeed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/jsonkey"
)

// item is one element of a page's items array.
type item struct {
	raw string
	key string
	// cursor is the canonical text of the cursor value and num its value
	// for int cursors; hasCursor is false when it is missing or invalid.
	cursor    string
	num       int64
	hasCursor bool
}

// identity names an item in a position's seen list. A key that is not
// valid UTF-8 is Go-quoted: the list is JSON, where "k\xff" and "k\xfe"
// would both become "k\uFFFD", the key of another record.
func (it *item) identity() string {
	if it.key != "" && !utf8.ValidString(it.key) {
		return strconv.Quote(it.key)
	}
	if it.key != "" {
		return it.key
	}
	sum := sha256.Sum256([]byte(it.raw))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// rows drains the feed from a state, page after page.
type rows struct {
	src   *Source
	scope string // put in for the URL's and headers' ${scope}
	st    state
	size  int // batch size of the next request

	body       bytes.Buffer // response bodies, reused: parsePage copies what it keeps
	page       []item
	next       int    // index in page of the next item to look at
	where      string // "GET <redacted url>" of page
	fetched    bool   // page holds a response
	progressed bool   // page moved the state
	first      item   // first item of page with a cursor
	prev       item   // last item of page with a cursor, for the order check
	havePrev   bool
	// loose holds the identities of records without a cursor already
	// yielded, so a page fetched again does not yield them twice.
	loose map[string]struct{}

	rec  decant.Record
	err  error
	done bool
}

func newRows(s *Source, scope string, st state) *rows {
	return &rows{src: s, scope: scope, st: st, size: min(len(st.seen)+s.cfg.PageSize, s.cfg.MaxPageSize)}
}

// Next yields the next new record, fetching pages until one brings nothing new.
func (r *rows) Next(ctx context.Context) bool {
	if r.done {
		return false
	}
	for {
		for r.next < len(r.page) {
			i := r.next
			r.next++
			ok, err := r.take(i)
			if err != nil {
				return r.fail(err)
			}
			if ok {
				return true
			}
		}
		if r.fetched {
			done, err := r.plan()
			if err != nil {
				return r.fail(err)
			}
			if done {
				r.done = true
				return false
			}
		}
		if err := r.fetchPage(ctx); err != nil {
			return r.fail(err)
		}
	}
}

// Record is the record Next moved to.
func (r *rows) Record() decant.Record { return r.rec }

// Err is the error that ended the stream, nil at its end.
func (r *rows) Err() error { return r.err }

// Close ends the stream; it is safe to call more than once.
func (r *rows) Close() error {
	r.done = true
	r.page = nil
	return nil
}

func (r *rows) fail(err error) bool {
	r.err = fmt.Errorf("httpfeed: %w", err)
	r.done = true
	r.page = nil
	return false
}

func (r *rows) fetchPage(ctx context.Context) error {
	u := r.src.pageURL(r.scope, r.st.param(r.src.cfg), r.size)
	body, err := r.src.fetch(ctx, r.scope, u, r.src.cfg.Retries, &r.body)
	if err != nil {
		return err
	}
	where := decant.RedactURL(u)
	items, err := r.src.parsePage(body, where, r.size)
	if err != nil {
		return err
	}
	r.page, r.next, r.where = items, 0, "GET "+where
	r.fetched, r.progressed, r.havePrev = true, false, false
	return nil
}

// plan decides, once a page is consumed, whether the feed is drained and
// the size of the next request.
func (r *rows) plan() (done bool, err error) {
	cfg := r.src.cfg
	n := len(r.page)
	switch {
	case n == 0:
		return true, nil
	case r.progressed:
		// The next page starts with the len(seen) records at the current
		// value again; ask for PageSize more than those. A full page that
		// did not get past its first value is inside a wide value: double,
		// so crossing it costs log(width) requests rather than width/PageSize.
		next := len(r.st.seen) + cfg.PageSize
		if n >= r.size && r.havePrev && r.st.compare(cfg.CursorType, &r.first) == 0 {
			next = max(next, 2*r.size)
		}
		r.size = min(next, cfg.MaxPageSize)
		return false, nil
	case n < r.size:
		return true, nil
	case r.size >= cfg.MaxPageSize:
		return false, fmt.Errorf("%s: a full page of %d records brings nothing after cursor %s and %d records read at it; "+
			"more than the max page size (%d) share one value, or the items lack a cursor at %q",
			r.where, n, r.st.cursor, len(r.st.seen), cfg.MaxPageSize, cfg.Cursor)
	default:
		r.size = min(r.size*2, cfg.MaxPageSize)
		return false, nil
	}
}

// take looks at item i of the page and reports whether it is a new record,
// now in r.rec.
func (r *rows) take(i int) (bool, error) {
	it := &r.page[i]
	typ := r.src.cfg.CursorType
	if !it.hasCursor {
		id := it.identity()
		if _, dup := r.loose[id]; dup {
			return false, nil
		}
		if r.loose == nil {
			r.loose = map[string]struct{}{}
		}
		r.loose[id] = struct{}{}
		r.emit(it, i, r.st.cursor)
		return true, nil
	}
	if r.havePrev && compareCursors(typ, r.prev.cursor, r.prev.num, it.cursor, it.num) > 0 {
		return false, fmt.Errorf("%s item %d: cursor %s comes after %s: the feed is not sorted by cursor", r.where, i, it.cursor, r.prev.cursor)
	}
	if !r.havePrev {
		r.first = *it
	}
	r.prev, r.havePrev = *it, true
	switch c := r.st.compare(typ, it); {
	case c < 0:
		return false, nil // already read: the server sent more than asked for
	case c > 0:
		r.st.moveTo(it.cursor, it.num)
	}
	if !r.st.add(it.identity()) {
		return false, nil
	}
	r.st.start = false
	r.progressed = true
	r.emit(it, i, it.cursor)
	return true, nil
}

// emit makes it the current record. An item with a cursor comes in the
// feed's cursor order, its order of changes (decant.Record.Change); one
// without comes wherever the server put it.
func (r *rows) emit(it *item, i int, cursor string) {
	r.rec = decant.Record{
		Key:      it.key,
		Cursor:   cursor,
		Raw:      []byte(it.raw),
		Position: r.st.position(),
		Where:    r.itemWhere(i),
		Change:   it.hasCursor,
	}
}

// itemWhere is "GET <url> item i", built with one allocation.
func (r *rows) itemWhere(i int) string {
	var digits [20]byte
	n := strconv.AppendInt(digits[:0], int64(i), 10)
	var sb strings.Builder
	sb.Grow(len(r.where) + len(" item ") + len(n))
	sb.WriteString(r.where)
	sb.WriteString(" item ")
	sb.Write(n)
	return sb.String()
}

// parsePage finds the items array of a body and each item's key and cursor;
// size is the number of items expected. The items refer to a copy of body.
func (s *Source) parsePage(body []byte, where string, size int) ([]item, error) {
	doc := gjson.Parse(string(body))
	if s.cfg.Items != "" {
		doc = doc.Get(s.cfg.Items)
	}
	if !doc.IsArray() {
		if s.cfg.Items != "" {
			return nil, fmt.Errorf("get %s: items path %q is not an array", where, s.cfg.Items)
		}
		return nil, fmt.Errorf("get %s: body is not an array; set the items path", where)
	}
	items := make([]item, 0, size)
	doc.ForEach(func(_, v gjson.Result) bool {
		items = append(items, s.item(v.Raw))
		return true
	})
	return items, nil
}

func (s *Source) item(raw string) item {
	// Clone what outlives the page so a kept key does not pin the whole
	// body. Keys are read byte-exactly, so look-alikes stay apart.
	it := item{raw: raw, key: strings.Clone(jsonkey.Text(jsonkey.GetString(raw, s.cfg.Key)))}
	text := jsonkey.Text(jsonkey.GetString(raw, s.cfg.Cursor))
	// A cursor that is not valid UTF-8 cannot be kept exactly in a
	// position (JSON), so it cannot be resumed from: the item counts as
	// one without a cursor.
	if text == "" || !utf8.ValidString(text) {
		return it
	}
	if s.cfg.CursorType == CursorString {
		it.cursor, it.hasCursor = strings.Clone(text), true
		return it
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return it
	}
	it.cursor, it.num, it.hasCursor = strconv.FormatInt(n, 10), n, true
	return it
}
