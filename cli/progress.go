package cli

import (
	"fmt"
	"io"
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
		return &bars{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40)), bars: map[string]*mpb.Bar{}}
	}
	return &logLines{w: w, every: 5 * time.Second, counts: map[string]*stepCount{}}
}

// bars draws one mpb bar per step: count, rate, and ETA when the source
// knows its size.
type bars struct {
	p      *mpb.Progress
	bars   map[string]*mpb.Bar
	closed bool
}

func (b *bars) StepStarted(step string, total int64) {
	t := total
	if t < 0 {
		t = 0
	}
	ds := []decor.Decorator{decor.CountersNoUnit("%d"), decor.Name(" "), decor.AverageSpeed(0, "%.0f rec/s")}
	if total > 0 {
		ds = append(ds, decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO))
	}
	b.bars[step] = b.p.AddBar(t, mpb.PrependDecorators(decor.Name(step, decor.WCSyncSpaceR)), mpb.AppendDecorators(ds...))
}

func (b *bars) Batch(step string, a decant.BatchAudit) {
	if bar := b.bars[step]; bar != nil {
		bar.IncrBy(a.Total)
	}
}

func (b *bars) StepDone(r engine.StepResult) {
	if bar := b.bars[r.Step]; bar != nil {
		bar.SetTotal(-1, true)
		delete(b.bars, r.Step)
	}
}

func (b *bars) RoundError(err error) { fmt.Fprintf(b.p, "error (will retry next round): %v\n", err) }

// Close waits for the bars to be drawn for the last time.
func (b *bars) Close() {
	if b.closed {
		return
	}
	b.closed = true
	for _, bar := range b.bars {
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
	counts map[string]*stepCount
}

type stepCount struct {
	read, failed int64
	start, last  time.Time
	cursor       string
}

func (l *logLines) StepStarted(step string, total int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.counts[step] = &stepCount{start: now, last: now}
	if total >= 0 {
		fmt.Fprintf(l.w, "%s step %s: started, %d records to read\n", now.Format(time.TimeOnly), step, total)
	}
}

func (l *logLines) Batch(step string, a decant.BatchAudit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.counts[step]
	if c == nil {
		return
	}
	c.read += int64(a.Total)
	c.failed += int64(a.Failed)
	if a.CursorTo != "" {
		c.cursor = a.CursorTo
	}
	if now := time.Now(); now.Sub(c.last) >= l.every {
		c.last = now
		rate := float64(c.read) / now.Sub(c.start).Seconds()
		fmt.Fprintf(l.w, "%s step %s: %d read, %d failed, cursor %s, %.0f rec/s\n", now.Format(time.TimeOnly), step, c.read, c.failed, c.cursor, rate)
	}
}

func (l *logLines) StepDone(r engine.StepResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s step %s: done, %d read, %d written, %d failed in %s\n", time.Now().Format(time.TimeOnly),
		r.Step, r.Read, r.Written, r.Failed, r.Duration.Round(time.Millisecond))
}

func (l *logLines) RoundError(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s error (will retry next round): %v\n", time.Now().Format(time.TimeOnly), err)
}
