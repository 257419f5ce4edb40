package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// FindingPending is the kind of a finding a live migration explains: the
// key was written after the verify started reading the source, or a run
// that holds the scope has not written it yet. It is not comparable yet,
// and does not make a verify unclean (docs/verify.md, "Verifying while a
// migration runs").
const FindingPending verify.FindingKind = decant.FindingPending

// liveCheck tells the findings a live migration explains from differences,
// by the ledger: when decant last wrote each key, and whether a run holds
// the scope's lease.
type liveCheck struct {
	fs          decant.FindingStore
	sr          decant.StateReader
	scope, step string
	// since is the store's clock when the verify started reading the
	// step's source: a key written at or after it may be newer in the
	// target than in what the verify read, or the other way round.
	since time.Time
	// hashing is set when a run held the scope as the read started: each
	// record's source hash then goes with its expected rows, so that a
	// record the source changed and the run has not written yet is told
	// from a difference.
	hashing bool
	h       hasher
	// st and checkpoint tell whether a run is writing this step: the
	// lease covers the whole scope, and a run of other steps, or one that
	// has caught up, will not write the keys this step lacks.
	st         decant.Store
	checkpoint string
}

// sourceHashValue is the name, which no column can have, under which an
// expected row carries its record's source hash through the sort.
const sourceHashValue = "\x00source_hash"

// sourceHash hashes rec as the ledger's source_hash does, when hashing.
func (l *liveCheck) sourceHash(rec decant.Record) string {
	if l == nil || !l.hashing {
		return ""
	}
	v, err := transform.RecordValue(rec)
	if err != nil {
		return l.h.raw(rec.Raw)
	}
	return l.h.value(v)
}

// startLive reads the store's clock as the verify starts reading the
// step's source. A store that cannot say (no FindingStore or StateReader
// role) gets no live check: every finding stays what the merge found.
func (v *stepVerify) startLive(ctx context.Context) error {
	fs, ok := decant.As[decant.FindingStore](v.cfg.Store)
	if !ok {
		return nil
	}
	sr, ok := decant.As[decant.StateReader](v.cfg.Store)
	if !ok {
		return nil
	}
	l, err := fs.Live(ctx, v.cfg.Scope)
	if err != nil {
		return err
	}
	cp, err := v.cfg.Store.Checkpoint(ctx, v.cfg.Scope, v.step.Name)
	if err != nil {
		return err
	}
	v.live = &liveCheck{fs: fs, sr: sr, scope: v.cfg.Scope, step: v.step.Name, since: l.Now, hashing: l.Held(),
		st: v.cfg.Store, checkpoint: string(cp)}
	return nil
}

// writing reports whether a run holds the scope and has moved this step's
// checkpoint since the verify started: only then may a key the target
// lacks, or a source change it does not have, be on its way.
func (l *liveCheck) writing(ctx context.Context, lease decant.Live) (bool, error) {
	if !lease.Held() {
		return false, nil
	}
	cp, err := l.st.Checkpoint(ctx, l.scope, l.step)
	if err != nil {
		return false, err
	}
	return string(cp) != l.checkpoint, nil
}

// classify turns pending the findings a live migration explains, moving
// their counts in n from their kind to Pending:
//
//   - a key whose ledger row was written at or after since, whatever the
//     merge found: the migration wrote it while the verify read;
//   - a missing key without a ledger row while a run holds the scope's
//     lease: the migration has not reached it yet;
//   - a diff or change while a run holds the lease, when the source record
//     the verify read is not the one decant last wrote (the ledger's
//     source hash differs): the source changed and the run has not
//     written the change yet.
//
// It reads the ledger once for the range's findings, and the lease once
// when a finding needs it.
func (l *liveCheck) classify(ctx context.Context, found []pendingFinding, n *VerifyCounts) error {
	if l == nil || len(found) == 0 {
		return nil
	}
	keys := make([]string, len(found))
	for i, f := range found {
		keys[i] = findingKey(f.Key)
	}
	rows, err := l.sr.Ledger(ctx, l.scope, l.step, keys)
	if err != nil {
		return fmt.Errorf("read the ledger to tell a live migration's keys: %w", err)
	}
	ledger := make(map[string]decant.LedgerRow, len(rows))
	for _, r := range rows {
		ledger[r.Key] = r
	}
	// The store's clock now bounds the write times: a ledger row stamped
	// later (a writer's clock running ahead) is no evidence of a live
	// write, and its key stays a difference.
	lease, err := l.fs.Live(ctx, l.scope)
	if err != nil {
		return err
	}
	var moving *bool
	held := func() (bool, error) {
		if moving == nil {
			w, err := l.writing(ctx, lease)
			if err != nil {
				return false, err
			}
			moving = &w
		}
		return *moving, nil
	}
	for i := range found {
		f := &found[i]
		row, inLedger := ledger[keys[i]]
		var lagging bool
		if f.hash != "" && inLedger && row.SourceHash != f.hash &&
			(f.Kind == verify.FindingDiff || f.Kind == verify.FindingChange) {
			if lagging, err = held(); err != nil {
				return err
			}
		}
		switch {
		case inLedger && !row.Updated.Before(l.since) && !row.Updated.After(lease.Now):
			f.why = fmt.Sprintf("%s when compared, but decant wrote the key at %s, after this verify started reading the source (%s): verify again once the migration is done",
				f.Kind, row.Updated.UTC().Format(time.RFC3339Nano), l.since.UTC().Format(time.RFC3339Nano))
		case lagging:
			f.why = fmt.Sprintf("%s when compared, but the source record changed since decant wrote the key (at %s), and the migration run that holds the scope (%s) has not written the change yet: verify again once it is done",
				f.Kind, row.Updated.UTC().Format(time.RFC3339Nano), lease.Holder)
		case f.Kind == verify.FindingMissing && !inLedger:
			ok, err := held()
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			f.why = fmt.Sprintf("missing when compared, but a migration run (%s) holds the scope and has not written the key yet: verify again once it is done", lease.Holder)
		default:
			continue
		}
		n.uncount(f.Kind)
		n.count(FindingPending)
		f.Kind = FindingPending
	}
	return nil
}
