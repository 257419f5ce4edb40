package verify

import (
	"time"
)

// naiveLayouts are the timestamp texts without an offset that are read:
// SQLite's own (datetime(), CURRENT_TIMESTAMP), ISO 8601 with T, and a
// date alone (its midnight). Fractional seconds are accepted after the
// seconds of any of them.
var naiveLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	time.DateOnly,
}

// zonedLayouts are the texts with an offset that are read: RFC 3339 (as
// decant writes SQLite timestamps, 2006-01-02T15:04:05.000000000Z),
// with a space for the T, PostgreSQL's text output (+00, +05:30), and
// Go's time.Time.String form.
var zonedLayouts = []string{
	time.RFC3339,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02T15:04:05Z07",
	"2006-01-02 15:04:05Z07",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 -0700",
}

// parseTime reads a timestamp text; one without an offset is a wall time
// in zone.
func parseTime(s string, zone *time.Location) (time.Time, bool) {
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	for _, l := range naiveLayouts {
		if t, err := time.ParseInLocation(l, s, zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func zoneOf(o Options) *time.Location {
	if o.Zone == nil {
		return time.UTC
	}
	return o.Zone
}

// timestampValue renders v for a timestamp column: the instant, in UTC,
// RFC 3339 with as many fraction digits as it needs. A time.Time is an
// instant as it stands; pgx returns a timestamp without time zone as its
// wall time in UTC, which is how decant writes one (the UTC wall time of
// the instant), so both column types compare as instants.
func timestampValue(v any, o Options) value {
	t, ok := asTime(v, o)
	if !ok {
		return foreign(v)
	}
	return value{text: t.UTC().Format(time.RFC3339Nano)}
}

// dateValue renders v for a date column: the value's own calendar date,
// in its own zone or offset, as decant writes a time to a date column. A
// text with an offset has the date it names; a naive one too.
func dateValue(v any, o Options) value {
	t, ok := asTime(v, o)
	if !ok {
		return foreign(v)
	}
	return value{text: t.Format(time.DateOnly)}
}

// asTime reads v as a time: a time.Time as it is, text as parseTime reads
// it in the plan's zone; false for anything else.
func asTime(v any, o Options) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		return parseTime(x, zoneOf(o))
	}
	return time.Time{}, false
}
