package engine_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// useSource points the scope's step at another source: conn is the
// connection's URL, from the step's from options after connection. The
// target stays the one openLife made.
func (e *lifeEnv) useSource(t *testing.T, conn, from string) {
	t.Helper()
	path := filepath.Join(e.dir, "decant.yaml")
	b, err := os.ReadFile(path)
	must(t, err)
	src := string(b)
	for old, repl := range map[string]string{
		"  in: file:in.jsonl\n":                 "  in: " + conn + "\n",
		"    from: {connection: in, key: id}\n": "    from: {connection: in, " + from + "}\n",
	} {
		if !strings.Contains(src, old) {
			t.Fatalf("useSource: the plan has no %q", old)
		}
		src = strings.Replace(src, old, repl, 1)
	}
	must(t, os.WriteFile(path, []byte(src), 0o644))
	e.p, err = plan.Load(path, plan.Options{})
	must(t, err)
}

// serveFeed makes the scope's source a feed served from in.jsonl as
// Drishti's is: item n (from 1) has the cursor seq n, so the feed's order
// is the order the records were added in, their order of changes.
func (e *lifeEnv) serveFeed(t *testing.T) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, err1 := strconv.Atoi(r.URL.Query().Get("timestamp"))
		size, err2 := strconv.Atoi(r.URL.Query().Get("batch-size"))
		b, err3 := os.ReadFile(filepath.Join(e.dir, "in.jsonl"))
		if err1 != nil || err2 != nil || err3 != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var items []json.RawMessage
		sc := bufio.NewScanner(bytes.NewReader(b))
		for seq := 1; sc.Scan() && len(items) < size; seq++ {
			if seq > after {
				items = append(items, json.RawMessage(`{"seq":`+strconv.Itoa(seq)+`,`+strings.TrimPrefix(sc.Text(), "{")))
			}
		}
		if items == nil {
			items = []json.RawMessage{}
		}
		_ = json.NewEncoder(w).Encode(items)
	}))
	t.Cleanup(srv.Close)
	e.useSource(t, srv.URL+"/feed", "key: id, cursor: seq")
}

// stepLog records every step result of a run, in order.
type stepLog struct {
	mu    sync.Mutex
	steps []engine.StepResult
}

func (*stepLog) StepStarted(string, int64)       {}
func (*stepLog) Batch(string, decant.BatchAudit) {}
func (*stepLog) RoundError(error)                {}
func (l *stepLog) StepDone(r engine.StepResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.steps = append(l.steps, r)
}

func (l *stepLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var parts []string
	for _, s := range l.steps {
		parts = append(parts, "read "+strconv.FormatInt(s.Read, 10)+" held at "+strconv.Quote(s.HeldAt))
	}
	return strings.Join(parts, "; ")
}

// fenceHook is an on_finish hook that writes into at_fence how many rows
// the SQLite target held when the fence went up.
const fenceHook = `hooks:
  on_finish: {command: [sh, -c, "sqlite3 t.db 'SELECT count(*) FROM people' > at_fence"]}`

// atFence is what fenceHook wrote.
func (e *lifeEnv) atFence(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, "at_fence"))
	must(t, err)
	return strings.TrimSpace(string(b))
}

// Ensure a file, read in file order, is never held by the lag window: a
// record changed within the lag at the top of the file is migrated as it
// is with all the older records after it, in the first round, and
// --auto-finish raises the fence only once the whole file was migrated
// (it used to hold everything behind that one record, count the next
// round, which read nothing, as caught up, and drain the file under the
// fence).
func TestLifecycle_FileNeverHeld(t *testing.T) {
	t.Parallel()
	older := make([]int, 0, 200)
	for i := 3; i < 203; i++ {
		older = append(older, i)
	}
	t.Run("live", func(t *testing.T) {
		t.Parallel()
		e := openLife(t, "sqlite", "")
		e.add(t, 3*time.Hour, 1)
		e.add(t, 5*time.Minute, 2)
		e.add(t, 3*time.Hour, older...)
		res := e.live(t)
		if s := res.Steps[0]; s.Read != 202 || s.HeldAt != "" {
			t.Errorf("first live round: read %d, held at %q; want 202 read, none held: a file is not read in change order", s.Read, s.HeldAt)
		}
		if s := e.state(t); s != decant.StateLive {
			t.Errorf("state after the round = %s, want live", s)
		}
	})
	t.Run("auto-finish", func(t *testing.T) {
		t.Parallel()
		e := openLife(t, "sqlite", fenceHook)
		e.add(t, 3*time.Hour, 1)
		e.add(t, 5*time.Minute, 2)
		e.add(t, 3*time.Hour, older...)
		cfg := e.config(engine.ModeLive)
		cfg.AutoFinish = true
		log := &stepLog{}
		cfg.Progress = log
		res, err := engine.Run(t.Context(), cfg, nil)
		if err != nil || res.Lifecycle.State != decant.StateCommitted {
			t.Fatalf("auto-finish = %v, %+v; want committed", err, res.Lifecycle)
		}
		if n := e.atFence(t); n != "202" {
			t.Errorf("the fence went up with %s of 202 records migrated (steps: %s): the rest was read under the fence", n, log)
		}
	})
}
