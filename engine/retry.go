package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/jsonkey"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// RetryResult counts what a retry of stored errors did.
type RetryResult struct {
	Step     string `json:"step"`
	Retried  int    `json:"retried"`
	Resolved int    `json:"resolved"`
	Failed   int    `json:"failed"`
}

// Retry re-runs the stored payloads of unresolved errors through the current
// plan (cfg.Only limits the steps). A record that now maps and writes is
// resolved; one that fails again stays, with attempts+1 and the new
// messages. The source is not read and checkpoints do not move.
func Retry(ctx context.Context, cfg Config) ([]RetryResult, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	steps, err := selectSteps(cfg.Plan, cfg.Only)
	if err != nil {
		return nil, err
	}
	mappers, err := prepare(ctx, cfg.Store, steps)
	if err != nil {
		return nil, err
	}
	if err := initState(ctx, cfg.Store); err != nil {
		return nil, err
	}
	release, ctx, err := holdLease(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := refuseCommitted(ctx, cfg, "errors retry"); err != nil {
		return nil, err
	}
	var out []RetryResult
	for _, s := range steps {
		r, err := retryStep(ctx, cfg, s, mappers[s.Name])
		out = append(out, r)
		if err != nil {
			return out, fmt.Errorf("step %s: %w", s.Name, err)
		}
	}
	return out, nil
}

func retryStep(ctx context.Context, cfg Config, s *plan.Step, m *transform.Mapper) (RetryResult, error) {
	res := RetryResult{Step: s.Name}
	sr, err := decant.Require[decant.StateReader](cfg.Store, "list the stored errors to retry")
	if err != nil {
		return res, err
	}
	errs, err := sr.Errors(ctx, decant.ErrorFilter{Scope: cfg.Scope, Step: s.Name})
	if err != nil {
		return res, fmt.Errorf("list errors: %w", err)
	}
	w := &writer{cfg: cfg, step: s, children: m.ChildTables()}
	for lo := 0; lo < len(errs); lo += s.BatchSize {
		hi := min(lo+s.BatchSize, len(errs))
		rb := readBatch{started: time.Now()}
		var moved []decant.RecordError
		var movedTo []string
		for _, e := range errs[lo:hi] {
			rec, key := storedRecord(e, s.From.Key)
			if key != e.Key {
				moved, movedTo = append(moved, e), append(movedTo, key)
			}
			rb.recs, rb.keys = append(rb.recs, rec), append(rb.keys, key)
			rb.ids, rb.storedKeys = append(rb.ids, e.ID), append(rb.storedKeys, e.Key)
		}
		n, err := w.dropSuperseded(ctx, sr, &rb, moved, movedTo)
		if err != nil {
			return res, err
		}
		res.Retried, res.Resolved = res.Retried+n, res.Resolved+n
		if len(rb.recs) == 0 {
			continue
		}
		b := mapBatch([]*transform.Mapper{m}, cfg.Scope, rb)
		if err := w.commitRetry(ctx, b); err != nil {
			return res, err
		}
		for _, f := range b.fails {
			res.Retried++
			if f == nil {
				res.Resolved++
			} else {
				res.Failed++
			}
		}
	}
	return res, nil
}

// storedRecord rebuilds a record from a stored error and returns the
// ledger key to write it under. The key is the one the source gave
// (SourceKey), never read again from the payload, except for a record that
// had none: a plan change may have fixed its key path, so the payload is
// asked once more, with the sources' own rule for turning a JSON value into
// a key; if it answers, the record goes under its real key and leaves the
// stored "(no key)" error (see buildBatch). The record keeps the place it
// was read from, and a record the source could not read stays unreadable.
func storedRecord(e decant.RecordError, keyPath string) (decant.Record, string) {
	rec := decant.Record{Key: e.SourceKey, Raw: e.Payload, Invalid: e.SourceError,
		Where: cmp.Or(e.Place, "stored error #"+strconv.FormatInt(e.ID, 10))}
	if !strings.HasPrefix(e.Key, decant.NoKeyPrefix) {
		if rec.Key == "" { // stored before errors kept their source key
			rec.Key = e.Key
		}
		return rec, e.Key
	}
	if e.SourceError == "" {
		if k := keyAt(e.Payload, keyPath); k != "" {
			rec.Key = k
			return rec, decant.LedgerKey(k, e.Payload)
		}
	}
	return rec, e.Key
}

// keyAt is the key a JSON payload holds at keyPath (a step's from.key),
// by the sources' own rule for turning a JSON value into a key; "" when
// there is no path, the payload is not JSON, or it holds nothing there.
// A record that was read without a key (its key path was wrong then) is
// asked again with it: a retry of a stored error, a load of a staged one.
func keyAt(payload []byte, keyPath string) string {
	if keyPath == "" || !gjson.ValidBytes(payload) {
		return ""
	}
	return jsonkey.Text(jsonkey.Get(payload, keyPath))
}

// dropSuperseded takes out of rb the moved records (keyless errors that a
// fixed key path gives a key) whose key the source has written since their
// error was last stored: a retry must not put an old payload over a newer
// record. Their errors are resolved as moved and their "(no key)" ledger
// rows forgotten, in a transaction of their own; it returns how many.
func (w *writer) dropSuperseded(ctx context.Context, sr decant.StateReader, rb *readBatch, moved []decant.RecordError, keys []string) (int, error) {
	if len(moved) == 0 {
		return 0, nil
	}
	rows, err := sr.Ledger(ctx, w.cfg.Scope, w.step.Name, keys)
	if err != nil {
		return 0, fmt.Errorf("read the ledger of moved records: %w", err)
	}
	written := map[string]time.Time{}
	for _, r := range rows {
		written[r.Key] = r.Updated
	}
	gone := map[int64]bool{}
	batch := &decant.Batch{Scope: w.cfg.Scope, Step: w.step.Name}
	for i, e := range moved {
		if at, ok := written[keys[i]]; ok && at.After(e.Updated) {
			gone[e.ID] = true
			batch.Moved, batch.Forget = append(batch.Moved, e.ID), append(batch.Forget, e.Key)
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	kept := readBatch{started: rb.started}
	for i, id := range rb.ids {
		if !gone[id] {
			kept.recs, kept.keys = append(kept.recs, rb.recs[i]), append(kept.keys, rb.keys[i])
			kept.ids, kept.storedKeys = append(kept.ids, id), append(kept.storedKeys, rb.storedKeys[i])
		}
	}
	*rb = kept
	return len(gone), w.writeState(ctx, batch)
}

// writeState commits a batch that holds only state (resolutions, forgotten
// ledger keys) in a transaction of its own.
func (w *writer) writeState(ctx context.Context, b *decant.Batch) error {
	tx, err := w.cfg.Store.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := w.cfg.Store.WriteBatch(ctx, tx, b); err != nil {
		return errors.Join(err, tx.Rollback(context.WithoutCancel(ctx)))
	}
	return tx.Commit(ctx)
}

// commitRetry writes a batch of retried records without audit or
// checkpoint, isolating refused rows like a normal batch.
func (w *writer) commitRetry(ctx context.Context, b mappedBatch) error {
	audit := &decant.BatchAudit{Total: len(b.recs)}
	w.retry = true
	defer func() { w.retry = false }()
	return w.commit(ctx, b, audit)
}
