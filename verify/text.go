package verify

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// textValue renders v for a text column. A non-text value is rendered as
// decant writes it to a text column (transform's text coercion), and as
// SQLite hands back a number that a column of NUMERIC affinity (a type
// such as STRING) turned the text into.
func textValue(col Column, v any, o Options) (value, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case int64:
		s = strconv.FormatInt(t, 10)
	case uint64:
		s = strconv.FormatUint(t, 10)
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	case float32:
		s = strconv.FormatFloat(float64(t), 'f', -1, 32)
	case bool:
		s = strconv.FormatBool(t)
	case time.Time:
		s = t.Format(time.RFC3339Nano)
	default:
		return foreign(v), nil
	}
	return value{text: normalText(col, s, o)}, nil
}

// normalText applies the column's padding and the rules to text.
func normalText(col Column, s string, o Options) string {
	if col.Padded {
		// character(n) pads with spaces only, and ignores only spaces.
		s = strings.TrimRight(s, " ")
	}
	switch col.Form {
	case FormUUID:
		s = uuidText(s)
	case FormTimeOfDay:
		s = clockText(s)
	case FormInet:
		s = inetText(s)
	case FormMAC:
		s = macText(s)
	}
	if o.Trim {
		s = strings.TrimSpace(s)
	}
	if o.NormalizeUnicode {
		s = norm.NFC.String(s)
	}
	return s
}

// uuidText spells a UUID as PostgreSQL prints it: lowercase, hyphens
// after the 8th, 12th, 16th and 20th digits. Its input may be in any case,
// in braces, with or without hyphens (PostgreSQL's uuid input forms). Text
// that is no UUID is returned as it is, and so differs from every UUID.
func uuidText(s string) string {
	t := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"), "-", "")
	if len(t) != 32 || strings.Trim(strings.ToLower(t), "0123456789abcdef") != "" {
		return s
	}
	t = strings.ToLower(t)
	return t[:8] + "-" + t[8:12] + "-" + t[12:16] + "-" + t[16:20] + "-" + t[20:]
}

// clockText spells a time of day as PostgreSQL prints a time: HH:MM:SS,
// then the fraction of a second without its trailing zeros. Its input is
// H:MM, H:MM:SS or H:MM:SS.fff; other text, which PostgreSQL may read
// otherwise (10:00 PM, allballs), is returned as it is.
func clockText(s string) string {
	hms, frac, hasFrac := strings.Cut(s, ".")
	parts := strings.Split(hms, ":")
	if len(parts) < 2 || len(parts) > 3 || hasFrac && (len(parts) != 3 || frac == "") {
		return s
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p[0] == '+' || p[0] == '-' || len(p) > 2 || i > 0 && len(p) != 2 {
			return s
		}
		n[i] = v
	}
	if strings.Trim(frac, "0123456789") != "" || len(frac) > 6 || n[0] > 24 || n[1] > 59 || n[2] > 59 {
		return s // more than microseconds PostgreSQL rounds: left to differ
	}
	out := fmt.Sprintf("%02d:%02d:%02d", n[0], n[1], n[2])
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		out += "." + frac
	}
	return out
}

// inetText spells an address as the target read gives a PostgreSQL inet
// or cidr: with its prefix length, IPv6 in lowercase and shortest. Text
// that is no address is returned as it is.
func inetText(s string) string {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.String()
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return netip.PrefixFrom(a, a.BitLen()).String()
	}
	return s
}

// macText spells a MAC address as PostgreSQL prints a macaddr: lowercase
// hexadecimal pairs and colons. Text that is no MAC address is returned as
// it is.
func macText(s string) string {
	if m, err := net.ParseMAC(s); err == nil {
		return m.String()
	}
	return s
}

// quote renders text unambiguously, for values shown inside another form.
func quote(s string) string { return strconv.Quote(s) }

// boolValue renders v for a boolean column: true or false. SQLite keeps
// booleans as the integers 0 and 1; text is read as PostgreSQL's boolean
// input reads it (true, t, yes, on, 1, and their opposites, in any case).
func boolValue(v any) value {
	switch t := v.(type) {
	case bool:
		return value{text: strconv.FormatBool(t)}
	case int64:
		if t == 0 || t == 1 {
			return value{text: strconv.FormatBool(t == 1)}
		}
	case uint64:
		if t == 0 || t == 1 {
			return value{text: strconv.FormatBool(t == 1)}
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "t", "yes", "y", "on", "1":
			return value{text: "true"}
		case "false", "f", "no", "n", "off", "0":
			return value{text: "false"}
		}
	}
	return foreign(v)
}
