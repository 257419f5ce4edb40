package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// newProgress shows bars on a terminal and a log line every few seconds
// elsewhere (CI logs, systemd, files).
func newProgress(w io.Writer) engine.Progress {
	if isTerminal(w) {
		return newBars(w, 150*time.Millisecond)
	}
	return &logLines{w: w, every: 5 * time.Second, meters: map[string]*meter{}}
}

// meter is what a display knows of one running step: enough to say its
// count, rate and ETA at any moment. Both displays word a step alike.
type meter struct {
	start time.Time
	// total is the source's estimate, when the step started, of the records
	// left to read (decant.Sizer); -1 when the source cannot tell.
	total        int64
	read, failed int64
	cursor       string
	// done is set when the step ends, failed or not.
	done *engine.StepResult
}

func newMeter(now time.Time, total int64) *meter {
	return &meter{start: now, total: total}
}

func (m *meter) add(a decant.BatchAudit) {
	m.read += int64(a.Total)
	m.failed += int64(a.Failed)
	if a.CursorTo != "" {
		m.cursor = a.CursorTo
	}
}

// rate is records read per second since the step started: wall-clock
// time, so a run of sub-millisecond batches still has a rate.
func (m *meter) rate(now time.Time) float64 {
	el := now.Sub(m.start).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(m.read) / el
}

// eta is the time left at the rate so far; ok is false when the source
// gave no size, nothing was read yet, or the estimate was already passed.
func (m *meter) eta(now time.Time) (d time.Duration, ok bool) {
	r := m.rate(now)
	if m.total <= 0 || m.read >= m.total || r <= 0 {
		return 0, false
	}
	return time.Duration(float64(m.total-m.read) / r * float64(time.Second)), true
}

// status words a running step: "1200 of 3400 read, 2 failed, 400 rec/s,
// ETA 6s". The total is shown only while the estimate holds.
func (m *meter) status(now time.Time) string {
	var b strings.Builder
	if m.total > 0 && m.read <= m.total {
		fmt.Fprintf(&b, "%d of %d read", m.read, m.total)
	} else {
		fmt.Fprintf(&b, "%d read", m.read)
	}
	fmt.Fprintf(&b, ", %d failed, %.0f rec/s", m.failed, m.rate(now))
	if d, ok := m.eta(now); ok {
		b.WriteString(", ETA " + formatETA(d))
	}
	return b.String()
}

// summary words a step that ended: "done", "stopped", "aborted" or
// "FAILED", never two of them.
func summary(r engine.StepResult) string {
	word := "done"
	switch {
	case errors.Is(r.Err, ErrAborted):
		word = "aborted"
	case r.Err != nil:
		word = "FAILED"
	case r.Stopped:
		word = "stopped"
	}
	rate := 0.0
	if r.Duration > 0 {
		rate = float64(r.Read) / r.Duration.Seconds()
	}
	return fmt.Sprintf("%s, %d read, %d written, %d failed in %s, %.0f rec/s", word, r.Read, r.Written, r.Failed,
		r.Duration.Round(time.Millisecond), rate)
}

// formatETA rounds to whole seconds; under one second is "<1s".
func formatETA(d time.Duration) string {
	if d < time.Second {
		return "<1s"
	}
	return d.Round(time.Second).String()
}

// bars draws one bar per step on a terminal, with the step's status beside
// it. A bar is drawn only when the source gave a size; a bar that ended is
// printed once above the running ones (so --follow rounds scroll, not pile).
type bars struct {
	mu     sync.Mutex
	p      *mpb.Progress
	bars   map[string]*mpb.Bar
	meters map[string]*meter
	closed bool
}

// stepName is how progress names a step: a staged plan's extract, whose
// events carry the state name decant.ExtractStep gives it, as
// "orders (extract)".
func stepName(step string) string {
	if s, ok := decant.ExtractOf(step); ok {
		return s + " (extract)"
	}
	return step
}

func newBars(w io.Writer, refresh time.Duration) *bars {
	p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(30), mpb.WithRefreshRate(refresh), mpb.PopCompletedMode())
	return &bars{p: p, bars: map[string]*mpb.Bar{}, meters: map[string]*meter{}}
}

func (b *bars) StepStarted(step string, total int64) {
	m := newMeter(time.Now(), total)
	b.mu.Lock()
	b.meters[step] = m
	b.mu.Unlock()
	style := mpb.BarFillerBuilder(mpb.NopStyle())
	if total > 0 {
		style = mpb.BarStyle()
	}
	text := decor.Any(func(decor.Statistics) string { return b.text(m) })
	// Total 0 keeps mpb from ending the bar when an estimate is reached;
	// StepDone ends it.
	bar := b.p.New(0, style, mpb.PrependDecorators(decor.Name(stepName(step), decor.WCSyncSpaceR)), mpb.AppendDecorators(text))
	if total > 0 {
		bar.SetTotal(total, false)
	}
	b.mu.Lock()
	b.bars[step] = bar
	b.mu.Unlock()
}

// text is the status beside a bar, read by mpb's drawing goroutine.
func (b *bars) text(m *meter) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if m.done != nil {
		return summary(*m.done)
	}
	return m.status(time.Now())
}

func (b *bars) Batch(step string, a decant.BatchAudit) {
	b.mu.Lock()
	m, bar := b.meters[step], b.bars[step]
	grow := int64(0)
	if m != nil {
		m.add(a)
		if m.total > 0 && m.read > m.total {
			grow = m.read
		}
	}
	b.mu.Unlock()
	if bar == nil {
		return
	}
	bar.IncrBy(a.Total)
	if grow > 0 {
		// The estimate was short: grow the bar rather than overflow it.
		bar.SetTotal(grow, false)
	}
}

func (b *bars) StepDone(r engine.StepResult) {
	b.mu.Lock()
	bar := b.bars[r.Step]
	if m := b.meters[r.Step]; m != nil {
		m.done = &r
	}
	delete(b.bars, r.Step)
	b.mu.Unlock()
	if bar == nil {
		return
	}
	if r.Err != nil {
		bar.Abort(false)
		return
	}
	bar.SetTotal(-1, true)
}

func (b *bars) RoundError(err error) {
	fmt.Fprintf(b.p, "error (will retry next round): %v\n", err)
}

// Close draws the bars for the last time and waits for that. Bars of
// steps that never ended (an abort) are left as they were.
func (b *bars) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	left := make([]*mpb.Bar, 0, len(b.bars))
	for _, bar := range b.bars {
		left = append(left, bar)
	}
	b.mu.Unlock()
	for _, bar := range left {
		bar.Abort(false)
	}
	b.p.Wait()
}

// logLines prints one line per step at most every few seconds, and one when
// a step ends.
type logLines struct {
	mu     sync.Mutex
	w      io.Writer
	every  time.Duration
	meters map[string]*meter
	// last is when each step's last line was printed.
	last map[string]time.Time
}

func (l *logLines) StepStarted(step string, total int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.meters[step] = newMeter(now, total)
	if l.last == nil {
		l.last = map[string]time.Time{}
	}
	l.last[step] = now
	if total >= 0 {
		fmt.Fprintf(l.w, "%s step %s: started, about %d records to read\n", now.Format(time.TimeOnly), stepName(step), total)
	} else {
		fmt.Fprintf(l.w, "%s step %s: started\n", now.Format(time.TimeOnly), stepName(step))
	}
}

func (l *logLines) Batch(step string, a decant.BatchAudit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.meters[step]
	if m == nil {
		return
	}
	m.add(a)
	if now := time.Now(); now.Sub(l.last[step]) >= l.every {
		l.last[step] = now
		fmt.Fprintf(l.w, "%s step %s: %s, cursor %s\n", now.Format(time.TimeOnly), stepName(step), m.status(now), m.cursor)
	}
}

func (l *logLines) StepDone(r engine.StepResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s step %s: %s\n", time.Now().Format(time.TimeOnly), stepName(r.Step), summary(r))
}

func (l *logLines) RoundError(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s error (will retry next round): %v\n", time.Now().Format(time.TimeOnly), err)
}
