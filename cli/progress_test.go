package cli

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// TestProgressLogLines reads the lines decant prints where its output is
// not a terminal (CI logs, systemd): count, rate and ETA while a step runs,
// and "done" or "FAILED" when it ends, never "done" for a failed step.
func TestProgressLogLines(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	prog := newProgress(&out)
	l, ok := prog.(*logLines)
	if !ok {
		t.Fatalf("newProgress(buffer) = %T; want *logLines", prog)
	}
	l.every = 0 // a line for every batch
	l.StepStarted("orders", 300)
	l.StepStarted("events", -1)
	time.Sleep(5 * time.Millisecond) // a rate needs time to pass
	l.Batch("orders", decant.BatchAudit{Total: 100, OK: 98, Failed: 2, CursorTo: "2024-05-01"})
	l.Batch("events", decant.BatchAudit{Total: 40, OK: 40})
	l.StepDone(engine.StepResult{Step: "orders", Read: 100, Written: 98, Failed: 2, Duration: 2 * time.Second})
	l.StepDone(engine.StepResult{Step: "events", Read: 40, Duration: time.Second, Err: errors.New("feed down")})
	l.StepDone(engine.StepResult{Step: "customers", Read: 10, Duration: time.Second, Err: ErrAborted})
	l.RoundError(errors.New("step events: feed down"))

	got := out.String()
	if strings.Contains(got, "%!") {
		t.Fatalf("a format error in the log:\n%s", got)
	}
	for _, want := range []string{
		`step orders: started, about 300 records to read`,
		`step events: started\n`,
		`step orders: 100 of 300 read, 2 failed, \d+ rec/s, ETA (<1s|\d+ms|[\dm.]+s), cursor 2024-05-01`,
		`step events: 40 read, 0 failed, \d+ rec/s, cursor \n`,
		`step orders: done, 100 read, 98 written, 2 failed in 2s, 50 rec/s`,
		`step events: FAILED, 40 read, 0 written, 0 failed in 1s, 40 rec/s`,
		`error \(will retry next round\): step events: feed down`,
		`step customers: aborted, 10 read, 0 written, 0 failed in 1s, 10 rec/s`,
	} {
		if !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("the log lacks %s:\n%s", want, got)
		}
	}
	if regexp.MustCompile(`events: done|events: .*ETA|customers: FAILED`).MatchString(got) {
		t.Errorf("a failed step said done, or a step without a size gave an ETA:\n%s", got)
	}
}

// TestMeter pins the arithmetic of count, rate and ETA.
func TestMeter(t *testing.T) {
	t.Parallel()
	start := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	m := newMeter(start, 1000)
	if _, ok := m.eta(start.Add(time.Second)); ok {
		t.Error("an ETA before anything was read")
	}
	m.add(decant.BatchAudit{Total: 250, Failed: 5})
	now := start.Add(5 * time.Second)
	if got, want := m.status(now), "250 of 1000 read, 5 failed, 50 rec/s, ETA 15s"; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	m.add(decant.BatchAudit{Total: 800})
	if got, want := m.status(now), "1050 read, 5 failed, 210 rec/s"; got != want {
		t.Errorf("status past the estimate = %q, want %q", got, want)
	}
	if got := newMeter(start, -1).status(start); got != "0 read, 0 failed, 0 rec/s" {
		t.Errorf("status of an unsized step at its start = %q", got)
	}
}
