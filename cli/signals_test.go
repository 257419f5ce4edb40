package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the signal goroutine's writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The first SIGINT asks migrate to stop after the batches in flight (the
// stop channel --follow and the engine watch); the second aborts. Not
// parallel: the signal goes to the whole test process, and parallel tests
// that run migrate would see it too.
func TestSignalsStopThenAbort(t *testing.T) {
	var out syncBuffer
	ctx, stop, cancel := handleSignals(context.Background(), &out)
	defer cancel()
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := self.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-stop:
	case <-time.After(10 * time.Second):
		t.Fatal("the first SIGINT did not close the stop channel")
	}
	if ctx.Err() != nil {
		t.Fatal("the first SIGINT cancelled the run; want a graceful stop")
	}
	if err := self.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the second SIGINT did not abort")
	}
	got := out.String()
	for _, want := range []string{"stopping after the batches in flight (signal again to abort)", "aborting; the batch in flight rolls back"} {
		if !strings.Contains(got, want) {
			t.Errorf("the signals' messages lack %q:\n%s", want, got)
		}
	}
}
