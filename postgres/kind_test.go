package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/decanthq/decant/postgres"
)

// Ensure KindOf reads a DDL spelling of a type as Columns reports the
// column once PostgreSQL has created it, aliases and modifiers included.
func TestKindOf(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	types := []string{"int", "int4", "serial", "int2", "smallint", "int8", "bigserial", "float4", "float8", "float",
		"double precision", "decimal(10, 2)", "numeric", "bool", "date", "timestamptz", "timestamp(3) with time zone",
		"timestamp", "TIMESTAMP WITHOUT TIME ZONE", "json", "jsonb", "text", "varchar(20)", "character varying", "uuid",
		"int[]", "text[]", "pg_catalog.int4"}
	var cols []string
	for i, typ := range types {
		cols = append(cols, "c"+strings.Repeat("x", i)+" "+typ)
	}
	if _, err := s.Pool().Exec(ctx, "CREATE TABLE kinds ("+strings.Join(cols, ", ")+")"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Columns(ctx, "kinds")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range got {
		if k := postgres.KindOf(types[i]); k != c.Kind {
			t.Errorf("KindOf(%q) = %s; the created column (%s) is %s", types[i], k, c.DBType, c.Kind)
		}
	}
}
