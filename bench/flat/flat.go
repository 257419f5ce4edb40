// Package flat generates the benchmark's flat records and serves them as an
// HTTP feed. The same rows are written as JSONL (for decant) and as CSV (for
// psql's \copy, the ceiling decant is measured against).
package flat

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Columns are the target table's columns, in CSV order.
var Columns = []string{"id", "name", "email", "created_at", "amount", "attrs"}

var (
	tiers = []string{"bronze", "silver", "gold", "platinum"}
	words = []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"}
	epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Record is one generated row.
type Record struct {
	ID        int64
	Name      string
	Email     string
	CreatedAt time.Time
	Amount    string // decimal text with two places
	Attrs     string // a JSON object
}

// Make returns record i (1-based) of a run seeded with seed; the same
// arguments always give the same record.
func Make(seed uint64, i int64) Record {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	w1, w2 := words[r.IntN(len(words))], words[r.IntN(len(words))]
	cents := r.Int64N(10_000_000)
	return Record{
		ID:        i,
		Name:      fmt.Sprintf("%s %s %d", w1, w2, i),
		Email:     fmt.Sprintf("user%d@%s.example.org", i, w2),
		CreatedAt: epoch.Add(time.Duration(i)*time.Second + time.Duration(r.IntN(1000))*time.Millisecond),
		Amount:    fmt.Sprintf("%d.%02d", cents/100, cents%100),
		Attrs: fmt.Sprintf(`{"tier":%q,"score":%d,"tags":[%q,%q],"active":%t}`,
			tiers[r.IntN(len(tiers))], r.IntN(1000), w1, w2, r.IntN(2) == 0),
	}
}

// AppendJSON appends the record as one JSON object, amount as a string as
// legacy systems send it.
func (r Record) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, r.ID, 10)
	b = append(b, `,"name":`...)
	b = strconv.AppendQuote(b, r.Name)
	b = append(b, `,"email":`...)
	b = strconv.AppendQuote(b, r.Email)
	b = append(b, `,"created_at":"`...)
	b = r.CreatedAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","amount":"`...)
	b = append(b, r.Amount...)
	b = append(b, `","attrs":`...)
	b = append(b, r.Attrs...)
	return append(b, '}')
}

// CSV returns the record's fields in Columns order.
func (r Record) CSV() []string {
	return []string{strconv.FormatInt(r.ID, 10), r.Name, r.Email,
		r.CreatedAt.Format(time.RFC3339Nano), r.Amount, r.Attrs}
}

// WriteJSONL writes records 1..n, one per line.
func WriteJSONL(w io.Writer, seed uint64, n int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var b []byte
	for i := int64(1); i <= n; i++ {
		b = append(Make(seed, i).AppendJSON(b[:0]), '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteCSV writes a header and records 1..n.
func WriteCSV(w io.Writer, seed uint64, n int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for i := int64(1); i <= n; i++ {
		if err := cw.Write(Make(seed, i).CSV()); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
