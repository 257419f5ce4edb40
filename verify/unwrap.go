package verify

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/decanthq/decant"
)

// unwrap reduces v to the few types the kinds handle: nil, string, bool,
// int64, uint64, float32, float64, time.Time, map[string]any and []any.
// Text in bytes becomes a string, and a nil slice is NULL, as the stores
// write it.
func unwrap(v any) (any, error) {
	for range 4 { // a Valuer may return another Valuer; stop a cycle
		switch t := v.(type) {
		case nil, string, bool, int64, uint64, float32, float64, time.Time, map[string]any, []any:
			return t, nil
		case []byte:
			return bytesText(t), nil
		case decant.JSON:
			return bytesText(t), nil
		case json.RawMessage:
			return bytesText(t), nil
		case decant.Decimal:
			return string(t), nil
		case json.Number:
			return string(t), nil
		case int:
			return int64(t), nil
		case int8:
			return int64(t), nil
		case int16:
			return int64(t), nil
		case int32:
			return int64(t), nil
		case uint:
			return uint64(t), nil
		case uint8:
			return uint64(t), nil
		case uint16:
			return uint64(t), nil
		case uint32:
			return uint64(t), nil
		case driver.Valuer:
			var err error
			if v, err = t.Value(); err != nil {
				return nil, fmt.Errorf("value of %T: %w", t, err)
			}
		default:
			return nil, fmt.Errorf("value of type %T: %w (scan the column into any, string, []byte or time.Time)", v, ErrUnsupported)
		}
	}
	return nil, fmt.Errorf("value of type %T: %w (its Value method returns Valuers without end)", v, ErrUnsupported)
}

func bytesText(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// foreign renders a value that does not belong to the column's kind so
// that it differs from every value of the kind and says what it is.
func foreign(v any) value {
	switch t := v.(type) {
	case string:
		return value{text: "text:" + quote(t)}
	case time.Time:
		return value{text: "time:" + t.UTC().Format(time.RFC3339Nano)}
	}
	return value{text: fmt.Sprintf("%T:%v", v, v)}
}
