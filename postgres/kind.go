package postgres

import (
	"regexp"
	"strings"
)

// KindOf maps a column type as DDL spells it (int4, varchar(20),
// timestamptz, numeric(10,2), ...) to its decant kind, as [Store.Columns]
// would report the column once created. Types it does not know, such as
// domains and enums, are decant.KindText, which takes any value.
func KindOf(declared string) string {
	t := strings.Join(strings.Fields(strings.ToLower(modifiers.ReplaceAllString(declared, ""))), " ")
	t = strings.TrimPrefix(t, "pg_catalog.")
	if strings.HasSuffix(t, "]") {
		return kindOf("array")
	}
	if a, ok := typeAliases[t]; ok {
		t = a
	}
	return kindOf(t)
}

// modifiers matches a type's modifiers: (20), (10, 2), (3).
var modifiers = regexp.MustCompile(`\([^)]*\)`)

// typeAliases maps DDL spellings to the names format_type prints.
var typeAliases = map[string]string{
	"int": "integer", "int4": "integer", "serial": "integer", "serial4": "integer",
	"int2": "smallint", "smallserial": "smallint", "serial2": "smallint",
	"int8": "bigint", "bigserial": "bigint", "serial8": "bigint",
	"float4": "real", "float8": "double precision", "float": "double precision",
	"decimal": "numeric", "bool": "boolean",
	"timestamptz": "timestamp with time zone", "timestamp": "timestamp without time zone",
}
