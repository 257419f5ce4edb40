package transform_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// drishtiNulls is the null_if list of the Drishti example.
var drishtiNulls = []string{"", "NaN", "Invalid Date"}

func TestCoercion_Apply(t *testing.T) {
	kolkata := mustZone(t, "Asia/Kolkata")
	newYork := mustZone(t, "America/New_York")
	text := transform.Coercion{Kind: decant.KindText}
	integer := transform.Coercion{Kind: decant.KindInt}
	float := transform.Coercion{Kind: decant.KindFloat}
	decimal := transform.Coercion{Kind: decant.KindDecimal}
	boolean := transform.Coercion{Kind: decant.KindBool}
	date := transform.Coercion{Kind: decant.KindDate}
	timestamp := transform.Coercion{Kind: decant.KindTimestamp, Zone: time.UTC}
	jsonKind := transform.Coercion{Kind: decant.KindJSON}
	with := func(c transform.Coercion, f func(*transform.Coercion)) transform.Coercion { f(&c); return c }
	nulls := func(c transform.Coercion) transform.Coercion {
		return with(c, func(c *transform.Coercion) { c.NullIf = drishtiNulls })
	}
	instant := time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC)

	for _, tt := range []struct {
		name    string
		co      transform.Coercion
		in      any
		want    any
		wantErr string
	}{
		// null_if and nil, for every kind.
		{"NilText", text, nil, nil, ""},
		{"NilInt", integer, nil, nil, ""},
		{"NilJSON", jsonKind, nil, nil, ""},
		{"NullIfEmptyDecimal", nulls(decimal), "", nil, ""},
		{"NullIfNaNFloat", nulls(float), "NaN", nil, ""},
		{"NullIfInvalidDateDate", nulls(date), "Invalid Date", nil, ""},
		{"NullIfInvalidDateTimestamp", nulls(timestamp), "Invalid Date", nil, ""},
		{"NullIfText", nulls(text), "", nil, ""},
		{"NullIfIsExact", nulls(text), "nan", "nan", ""},
		{"NullIfOnlyStrings", with(integer, func(c *transform.Coercion) { c.NullIf = []string{"0"} }), int64(0), int64(0), ""},
		{"NoNullIfEmptyText", text, "", "", ""},
		{"NoNullIfNaNFloat", float, "NaN", nil, "not a number"},
		{"NoNullIfInvalidDate", date, "Invalid Date", nil, "not an ISO 8601 time"},
		{"NoNullIfEmptyDecimal", decimal, "", nil, "not a decimal number"},

		// text
		{"TextString", text, "abc", "abc", ""},
		{"TextInt", text, int64(-5), "-5", ""},
		{"TextGoInt", text, 4, "4", ""},
		{"TextFloat", text, 2.5, "2.5", ""},
		{"TextBigFloat", text, 1e21, "1000000000000000000000", ""},
		{"TextNumber", text, json.Number("12345678901234567890.5"), "12345678901234567890.5", ""},
		{"TextBool", text, true, "true", ""},
		{"TextTime", text, time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), "2024-01-02T03:04:05.000000006Z", ""},
		{"TextDecimal", text, decant.Decimal("1.50"), "1.50", ""},
		{"TextMap", text, map[string]any{"b": int64(1), "a": "x"}, `{"a":"x","b":1}`, ""},
		{"TextList", text, []any{int64(1), "a"}, `[1,"a"]`, ""},

		// int
		{"IntInt64", integer, int64(7), int64(7), ""},
		{"IntGoInt", integer, 7, int64(7), ""},
		{"IntString", integer, " 12 ", int64(12), ""},
		{"IntStringDecimalZero", integer, "12.0", int64(12), ""},
		{"IntStringExponent", integer, "1e3", int64(1000), ""},
		{"IntNumber", integer, json.Number("12345678901234567"), int64(12345678901234567), ""},
		{"IntDecimal", integer, decant.Decimal("40.00"), int64(40), ""},
		{"IntWholeFloat", integer, 3.0, int64(3), ""},
		{"IntFractionFloat", integer, 3.5, nil, "not a whole number"},
		{"IntFractionString", integer, "3.5", nil, "not a whole number"},
		{"IntHugeFloat", integer, 1e300, nil, "not a whole number"},
		{"IntOverflow", integer, "9223372036854775808", nil, "cannot convert"},
		{"IntText", integer, "twelve", nil, "not a whole number"},
		{"IntBool", integer, true, nil, "a boolean is not a number"},
		{"IntMap", integer, map[string]any{}, nil, "unsupported value"},

		// float
		{"FloatFloat", float, 2.5, 2.5, ""},
		{"FloatInt", float, int64(2), 2.0, ""},
		{"FloatGoInt", float, 2, 2.0, ""},
		{"FloatString", float, " 1.25 ", 1.25, ""},
		{"FloatNumber", float, json.Number("0.1"), 0.1, ""},
		{"FloatNaN", float, "NaN", nil, "not a number"},
		{"FloatInf", float, "Inf", nil, "not a number"},
		{"FloatText", float, "abc", nil, "not a number"},
		{"FloatBool", float, false, nil, "unsupported value"},

		// decimal: exact, never through float64
		{"DecimalTrailingZero", decimal, "12.30", decant.Decimal("12.30"), ""},
		{"DecimalTenth", decimal, "0.1", decant.Decimal("0.1"), ""},
		{"DecimalTenthFloat", decimal, 0.1, decant.Decimal("0.1"), ""},
		{"DecimalTrimmed", decimal, " 7 ", decant.Decimal("7"), ""},
		{"DecimalLong", decimal, json.Number("12345678901234567890.123"), decant.Decimal("12345678901234567890.123"), ""},
		{"DecimalInt", decimal, int64(3), decant.Decimal("3"), ""},
		{"DecimalGoInt", decimal, 3, decant.Decimal("3"), ""},
		{"DecimalNegative", decimal, "-0.50", decant.Decimal("-0.50"), ""},
		{"DecimalExponent", decimal, "1e5", decant.Decimal("1e5"), ""},
		{"DecimalNaN", decimal, "NaN", nil, "not a decimal number"},
		{"DecimalInfinity", decimal, "Infinity", nil, "not a decimal number"},
		{"DecimalFraction", decimal, "1/3", nil, "not a decimal number"},
		{"DecimalHex", decimal, "0x10", nil, "not a decimal number"},
		{"DecimalPointOnly", decimal, ".", nil, "not a decimal number"},
		{"DecimalLeadingPoint", decimal, ".5", decant.Decimal(".5"), ""},
		{"DecimalSigned", decimal, "+5.", decant.Decimal("+5."), ""},
		{"DecimalExponentSigned", decimal, "-1.5E-3", decant.Decimal("-1.5E-3"), ""},
		{"DecimalExponentEmpty", decimal, "1e", nil, "not a decimal number"},
		{"DecimalExponentSignOnly", decimal, "1e+", nil, "not a decimal number"},
		{"DecimalTwoPoints", decimal, "1.2.3", nil, "not a decimal number"},
		{"DecimalSpaceInside", decimal, "1 000", nil, "not a decimal number"},
		{"DecimalOnlySign", decimal, "-", nil, "not a decimal number"},
		{"DecimalUnderscore", decimal, "1_000", nil, "not a decimal number"},
		{"DecimalText", decimal, "12,30", nil, "not a decimal number"},
		{"DecimalBool", decimal, true, nil, "unsupported value"},

		// bool
		{"BoolBool", boolean, false, false, ""},
		{"BoolOne", boolean, int64(1), true, ""},
		{"BoolZero", boolean, int64(0), false, ""},
		{"BoolFloatOne", boolean, 1.0, true, ""},
		{"BoolTwo", boolean, int64(2), nil, "not a boolean"},
		{"BoolTrue", boolean, "true", true, ""},
		{"BoolT", boolean, "T", true, ""},
		{"BoolYes", boolean, " Yes ", true, ""},
		{"BoolY", boolean, "y", true, ""},
		{"BoolOneString", boolean, "1", true, ""},
		{"BoolOn", boolean, "ON", true, ""},
		{"BoolFalse", boolean, "False", false, ""},
		{"BoolF", boolean, "f", false, ""},
		{"BoolNo", boolean, "no", false, ""},
		{"BoolN", boolean, "N", false, ""},
		{"BoolZeroString", boolean, "0", false, ""},
		{"BoolOff", boolean, "off", false, ""},
		{"BoolMaybe", boolean, "maybe", nil, "not a boolean"},
		{"BoolEmpty", boolean, "", nil, "not a boolean"},

		// date: the calendar date as written
		{"DateISO", date, "2024-03-10", time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC), ""},
		{"DateUnpadded", date, "1989-4-6", time.Date(1989, 4, 6, 0, 0, 0, 0, time.UTC), ""},
		{"DateHalfPadded", date, "1989-04-6", time.Date(1989, 4, 6, 0, 0, 0, 0, time.UTC), ""},
		{"TimestampUnpaddedDate", timestamp, "1989-4-16", time.Date(1989, 4, 16, 0, 0, 0, 0, time.UTC), ""},
		{"DateUnpaddedWithTime", date, "1989-4-16 10:00", nil, "not an ISO 8601 time"},
		{"DateRFC3339", date, "2024-03-10T23:30:00+05:30", time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC), ""},
		{"DateRFC3339UTC", with(date, func(c *transform.Coercion) { c.Zone = kolkata }), "2024-03-10T20:00:00Z", time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC), ""},
		{"DateTime", date, time.Date(2024, 3, 10, 23, 0, 0, 0, kolkata), time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC), ""},
		{"DateLayout", with(date, func(c *transform.Coercion) { c.Layouts = []string{"02/01/2006"} }), "10/03/2024", time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC), ""},
		{"DateUnixMs", with(date, func(c *transform.Coercion) { c.Layouts = []string{"unix_ms"} }), int64(1710028800000), time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC), ""},
		{"DateBadLayout", with(date, func(c *transform.Coercion) { c.Layouts = []string{"02/01/2006"} }), "2024-03-10", nil, `fits none of the layouts tried: 02/01/2006`},
		{"DateNumber", date, int64(20240310), nil, "want a string"},

		// timestamp
		{"TimestampRFC3339", timestamp, "2024-03-10T10:00:00+05:30", instant, ""},
		{"TimestampRFC3339Layout", with(timestamp, func(c *transform.Coercion) { c.Layouts = []string{"rfc3339"} }), "2024-03-10T04:30:00Z", instant, ""},
		{"TimestampNaiveUTC", timestamp, "2024-03-10 04:30:00", instant, ""},
		{"TimestampNaiveKolkata", with(timestamp, func(c *transform.Coercion) { c.Zone = kolkata }), "2024-03-10 10:00:00", instant, ""},
		{"TimestampNaiveKolkataT", with(timestamp, func(c *transform.Coercion) { c.Zone = kolkata }), "2024-03-10T10:00", instant, ""},
		{"TimestampNaiveNewYorkDST", with(timestamp, func(c *transform.Coercion) { c.Zone = newYork }), "2024-07-01T12:00:00", time.Date(2024, 7, 1, 16, 0, 0, 0, time.UTC), ""},
		{"TimestampOffsetWinsOverZone", with(timestamp, func(c *transform.Coercion) { c.Zone = kolkata }), "2024-03-10T04:30:00Z", instant, ""},
		{"TimestampNilZoneIsUTC", transform.Coercion{Kind: decant.KindTimestamp}, "2024-03-10 04:30:00", instant, ""},
		{"TimestampFraction", timestamp, "2024-03-10T04:30:00.123456Z", instant.Add(123456 * time.Microsecond), ""},
		{"TimestampUnix", with(timestamp, func(c *transform.Coercion) { c.Layouts = []string{"unix"} }), "1710045000", instant, ""},
		{"TimestampUnixMs", with(timestamp, func(c *transform.Coercion) { c.Layouts = []string{"unix_ms"} }), "1395689767509", time.UnixMilli(1395689767509), ""},
		{"TimestampUnixMsNumber", with(timestamp, func(c *transform.Coercion) { c.Layouts = []string{"unix_ms"} }), int64(1395689767509), time.UnixMilli(1395689767509), ""},
		{"TimestampGoLayoutKolkata", with(timestamp, func(c *transform.Coercion) { c.Layouts = []string{"02-01-2006 15:04"}; c.Zone = kolkata }), "10-03-2024 10:00", instant, ""},
		{"TimestampTime", timestamp, instant, instant, ""},
		{"TimestampInvalid", timestamp, "Invalid Date", nil, "not an ISO 8601 time"},
		{"TimestampUnixText", with(timestamp, func(c *transform.Coercion) { c.Layouts = []string{"unix"} }), "yesterday", nil, "fits none of the layouts tried: unix"},

		// json
		{"JSONMap", jsonKind, map[string]any{"b": int64(1), "a": []any{"x", nil}}, decant.JSON(`{"a":["x",null],"b":1}`), ""},
		{"JSONList", jsonKind, []any{int64(1), 2.5}, decant.JSON(`[1,2.5]`), ""},
		{"JSONNumberExact", jsonKind, map[string]any{"n": json.Number("12345678901234567890.5")}, decant.JSON(`{"n":12345678901234567890.5}`), ""},
		{"JSONScalar", jsonKind, int64(3), decant.JSON(`3`), ""},
		{"JSONString", jsonKind, "abc", decant.JSON(`"abc"`), ""},
		{"JSONStringIsNotParsed", jsonKind, `{"a":1}`, decant.JSON(`"{\"a\":1}"`), ""},
		{"JSONAlready", jsonKind, decant.JSON(`{"z":1}`), decant.JSON(`{"z":1}`), ""},

		{"UnknownKind", transform.Coercion{Kind: "money"}, "1", nil, `unknown type "money"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.co.Apply("col", tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Apply(%#v) = %#v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				var ce *transform.CoerceError
				if !errors.As(err, &ce) || ce.Column != "col" || ce.Kind != tt.co.Kind {
					t.Errorf("error %v is not a *CoerceError for column col, kind %s", err, tt.co.Kind)
				}
				if got != nil {
					t.Errorf("Apply returned %#v with its error, want nil", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply(%#v): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Apply(%#v) (-want +got):\n%s", tt.in, diff)
			}
			if want, ok := tt.want.(time.Time); ok && !got.(time.Time).Equal(want) {
				t.Errorf("Apply(%#v) = %v, want the instant %v", tt.in, got, want.UTC())
			}
		})
	}
}

// Ensure the error names the column, the value and the kind.
func TestCoerceError_Error(t *testing.T) {
	_, err := transform.Coercion{Kind: decant.KindInt}.Apply("weight", "3.5kg")
	if got, want := err.Error(), `column weight: cannot convert "3.5kg" to int: not a whole number`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = transform.Coercion{Kind: decant.KindBool}.Apply("ok", 2.5)
	if got, want := err.Error(), `column ok: cannot convert 2.5 (float64) to bool: not a boolean`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	long := strings.Repeat("x", 100)
	_, err = transform.Coercion{Kind: decant.KindDate}.Apply("d", long)
	if got := err.Error(); !strings.Contains(got, `"`+strings.Repeat("x", 80)+`..."`) || strings.Contains(got, long) {
		t.Errorf("Error() = %q, want the value cut at 80 characters", got)
	}
}

// Ensure a whole number of Go's int type (what expr-lang arithmetic,
// len() and count() return) converts to bool like an int64 does.
//
// Fails as of this writing: toBool (transform/coerce.go) handles int64 and
// float64 but not int, so `map: {active: len(record.roles)}` with a
// bool column gives "cannot convert 1 (int) to bool: not a boolean".
func TestCoercion_ApplyBoolFromGoInt(t *testing.T) {
	for in, want := range map[int]bool{0: false, 1: true} {
		got, err := transform.Coercion{Kind: decant.KindBool}.Apply("b", in)
		if err != nil || got != want {
			t.Errorf("Apply(int %d) = %#v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseTime_Zone(t *testing.T) {
	kolkata := mustZone(t, "Asia/Kolkata")
	got, err := transform.ParseTime("2024-03-10 10:00:00", "", kolkata)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("ParseTime = %v, want %v", got.UTC(), want)
	}
	if got.Location() != kolkata {
		t.Errorf("location = %v, want Asia/Kolkata", got.Location())
	}
}

// Ensure a column's layouts are tried in order, the names stand for their
// forms (rfc1123 with a zone's name or a numeric offset, iso8601 the
// default forms, unix), and a value that fits none fails naming the
// value, the column and every layout tried.
func TestCoercion_Layouts(t *testing.T) {
	t.Parallel()
	date := transform.Coercion{Kind: decant.KindDate, Zone: time.UTC}
	ts := transform.Coercion{Kind: decant.KindTimestamp, Zone: mustZone(t, "Asia/Kolkata")}
	layouts := func(co transform.Coercion, l ...string) transform.Coercion { co.Layouts = l; return co }
	day := time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		co   transform.Coercion
		in   any
		want time.Time
	}{
		{"RFC1123GMT", layouts(date, "rfc1123"), "Wed, 31 Dec 2014 00:00:00 GMT", day},
		{"RFC1123Offset", layouts(date, "rfc1123"), "Wed, 31 Dec 2014 23:00:00 +0530", day},
		{"RFC1123Instant", layouts(ts, "rfc1123"), "Wed, 31 Dec 2014 06:00:00 GMT", time.Date(2014, 12, 31, 6, 0, 0, 0, time.UTC)},
		{"SecondLayout", layouts(date, "rfc1123", "02/01/2006"), "31/12/2014", day},
		{"FirstThatFits", layouts(date, "02/01/2006", "01/02/2006"), "01/02/2014", time.Date(2014, 2, 1, 0, 0, 0, 0, time.UTC)},
		{"ISO8601Name", layouts(date, "rfc1123", "iso8601"), "2014-12-31", day},
		{"ISO8601Unpadded", layouts(date, "iso8601"), "2014-12-31T00:00:00Z", day},
		{"UnixAfterText", layouts(ts, "rfc3339", "unix"), int64(1420009200), time.Unix(1420009200, 0)},
	} {
		got, err := tt.co.Apply("edd", tt.in)
		if err != nil || !got.(time.Time).Equal(tt.want) {
			t.Errorf("%s: Apply(%v) = %v, %v; want %v", tt.name, tt.in, got, err, tt.want)
		}
	}
	_, err := layouts(date, "rfc1123", "2006-01-02").Apply("edd", "31/12/2014")
	if got, want := fmt.Sprint(err), `column edd: "31/12/2014" fits none of the layouts tried: rfc1123, 2006-01-02`; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
	var ce *transform.CoerceError
	if !errors.As(err, &ce) || ce.Column != "edd" {
		t.Errorf("error %v is not a *CoerceError of column edd", err)
	}
}

// Ensure decimal_comma reads "3,5" and "1.234,5" in int, float and
// decimal columns, refuses what the rule does not make certain, naming
// the value, and leaves numbers (not text) and columns without it alone.
func TestCoercion_DecimalComma(t *testing.T) {
	t.Parallel()
	dec := transform.Coercion{Kind: decant.KindDecimal, DecimalComma: true}
	flt := transform.Coercion{Kind: decant.KindFloat, DecimalComma: true}
	integer := transform.Coercion{Kind: decant.KindInt, DecimalComma: true}
	for _, tt := range []struct {
		co   transform.Coercion
		in   any
		want any
	}{
		{dec, "3,5", decant.Decimal("3.5")},
		{dec, "1.234,5", decant.Decimal("1234.5")},
		{dec, " -1.234.567,89 ", decant.Decimal("-1234567.89")},
		{dec, "1.234", decant.Decimal("1234")},
		{dec, "12", decant.Decimal("12")},
		{dec, "0,05", decant.Decimal("0.05")},
		{dec, 2.5, decant.Decimal("2.5")},
		{flt, "3,5", 3.5},
		{flt, "+1.000,25", 1000.25},
		{integer, "1.234", int64(1234)},
		{integer, "7", int64(7)},
		{transform.Coercion{Kind: decant.KindDecimal}, "1.234", decant.Decimal("1.234")},
	} {
		got, err := tt.co.Apply("amount", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("%s %v: Apply = %#v, %v; want %#v", tt.co.Kind, tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"1,234,5", "12.5", "1.23,4", "1234.567", "1,", ",", "1.,5", ".5", "1.234,5e3", "3,5kg", "", "-", "1 234,5"} {
		for _, co := range []transform.Coercion{dec, flt, integer} {
			_, err := co.Apply("amount", in)
			want := fmt.Sprintf("column amount: cannot convert %q to %s: not a number with a decimal comma", in, co.Kind)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s %q: error %v, want it to start %q", co.Kind, in, err, want)
			}
		}
	}
	if _, err := integer.Apply("n", "3,5"); err == nil || !strings.Contains(err.Error(), "not a whole number") {
		t.Errorf(`int "3,5": error %v, want not a whole number`, err)
	}
}
