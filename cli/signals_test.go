package cli

import (
	"bytes"
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

// runRecorder records what watchSignals asks of a run.
type runRecorder struct {
	stopped, aborted chan struct{}
}

func (r *runRecorder) Stop()  { close(r.stopped) }
func (r *runRecorder) Abort() { close(r.aborted) }

// The first SIGINT asks migrate's run to stop after the batches in flight;
// the second aborts it. Not parallel: the signal goes to the whole test
// process, and parallel tests that run migrate would see it too.
func TestSignalsStopThenAbort(t *testing.T) {
	var out syncBuffer
	r := &runRecorder{stopped: make(chan struct{}), aborted: make(chan struct{})}
	done := watchSignals(r, &out)
	defer done()
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := self.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the first SIGINT did not stop the run")
	}
	select {
	case <-r.aborted:
		t.Fatal("the first SIGINT aborted the run; want a graceful stop")
	default:
	}
	if err := self.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.aborted:
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
