package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
)

// Ensure DropStaged of one scope (its reset) waits for another scope's
// batch in flight in the same staging table, and then sees its rows and
// keeps the table: dropping it would lose that batch's staged records
// while its checkpoint, committed with them, says they are staged.
func TestDropStagedWaitsForOtherScopes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.Postgres(t)
	a, err := postgres.Open(ctx, url, postgres.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(ctx, url, postgres.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.PrepareStaging(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	stage := func(scope, key string) decant.Tx {
		tx, err := a.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Stage(ctx, tx, scope, "orders", []decant.StagedRecord{{Key: key, SourceKey: key, Raw: []byte(`{}`)}}); err != nil {
			t.Fatal(err)
		}
		return tx
	}
	if err := stage("B", "b1").Commit(ctx); err != nil {
		t.Fatal(err)
	}
	txA := stage("A", "a1") // scope A's extract, batch in flight
	done := make(chan error, 1)
	go func() { _, err := b.DropStaged(ctx, "B", "orders"); done <- err }() // reset of scope B
	time.Sleep(500 * time.Millisecond)
	if err := txA.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, err := a.ReadStaged(ctx, "A", "orders", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("scope A's committed staged records after scope B's reset: %v, want a1", got)
	}
}

// Ensure a store schema with a quote in its name stages: the sequence's
// name is bound, not spliced into the SQL.
func TestStagingSchemaWithQuote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := postgres.Open(ctx, testenv.Postgres(t), postgres.Config{Schema: "o'x"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.PrepareStaging(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if err := st.Stage(ctx, tx, "s", "orders", []decant.StagedRecord{{Key: "1", SourceKey: "1", Raw: []byte(`{}`)}}); err != nil {
		t.Errorf("Stage with schema o'x: %v", err)
	}
}
