package infer

import (
	"context"
	"fmt"

	"github.com/decanthq/decant"
)

// ReadSource reads the first n records of src, from its start, for scope,
// as samples. name names the source in messages ("connection feed"), and
// each record by its place in the read and its key ("connection feed:
// record 3 (key i-3)"). A record that is no JSON object decant would load
// is refused, as in a file.
func ReadSource(ctx context.Context, src decant.Source, scope, name string, n int) ([]Sample, error) {
	rows, err := src.Read(ctx, scope, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer rows.Close()
	var out []Sample
	for len(out) < n && rows.Next(ctx) {
		rec := rows.Record()
		place := fmt.Sprintf("%s: record %d (key %q)", name, len(out)+1, rec.Key)
		m, err := decodeObject(rec.Raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", place, err)
		}
		out = append(out, Sample{Doc: m, Place: place})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no sample records (the source gave none): infer needs at least one", name)
	}
	return out, nil
}
