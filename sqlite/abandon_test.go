package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/decanthq/decant/internal/testenv"
)

// Ensure a transaction abandoned without Commit or Rollback (a panic
// recovered between Begin and Commit) gives the store's one write
// connection back once its ctx ends, so the next Begin does not wait for
// it forever.
func TestAbandonedTxGivesConnectionBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, testenv.SQLite(t), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	c1, cancel := context.WithCancel(ctx)
	func() {
		defer func() { recover() }()
		if _, err := s.Begin(c1); err != nil {
			t.Fatal(err)
		}
		panic("a bug between Begin and Commit")
	}()
	cancel()
	c2, cancel2 := context.WithTimeout(ctx, 3*time.Second)
	defer cancel2()
	dtx, err := s.Begin(c2)
	if err != nil {
		t.Fatalf("Begin after an abandoned transaction whose ctx ended: %v", err)
	}
	if err := dtx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
}
