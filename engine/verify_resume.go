package engine

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// DefaultVerifyChunk is the number of keys of a table a verify compares
// between two stores of its findings and progress, when
// VerifyOptions.ChunkKeys is 0.
const DefaultVerifyChunk = 10000

// ErrResumeRefused is wrapped by the error of a resume that cannot
// continue the unfinished run: it verified another plan or other steps.
var ErrResumeRefused = errors.New("the unfinished verify cannot be resumed")

// resumeRefused says why the unfinished run cannot go on: it verified
// other steps (name them, to resume with them), or the plan file changed.
func resumeRefused(last decant.VerifyRun, steps []string) error {
	if !slices.Equal(last.Steps, steps) {
		return fmt.Errorf("%w: run %s verified steps %s, and this verify chose %s: resume with --only %s, or run decant verify without --resume to start over",
			ErrResumeRefused, last.Run, strings.Join(last.Steps, ", "), strings.Join(steps, ", "), strings.Join(last.Steps, ","))
	}
	return fmt.Errorf("%w: run %s verified the same steps (%s) with another plan: the plan file changed since, and findings of two plans do not add up; run decant verify without --resume to start over",
		ErrResumeRefused, last.Run, strings.Join(steps, ", "))
}

// runProgress is what an earlier attempt of the run stored: per step, and
// per step and table, its progress row.
type runProgress struct {
	rows map[[2]string]decant.VerifyProgress
}

// startRun starts the verify run that keeps findings: a new one, or with
// opts.Resume the scope's latest unfinished run when it verified the same
// plan and steps. It returns the keeper and the progress to go on from.
func startRun(ctx context.Context, cfg Config, opts VerifyOptions, steps []*plan.Step) (*keeper, *runProgress, bool, error) {
	k, err := newKeeper(ctx, cfg)
	if err != nil {
		return nil, nil, false, err
	}
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	run := decant.VerifyRun{Scope: cfg.Scope, Run: k.run, Plan: fingerprint(cfg.Plan, names), Steps: names}
	prog := &runProgress{rows: map[[2]string]decant.VerifyProgress{}}
	resumed := false
	if opts.Resume {
		last, err := k.fs.VerifyRuns(ctx, cfg.Scope, 1)
		if err != nil {
			return nil, nil, false, err
		}
		if len(last) == 1 && (last[0].Status == decant.VerifyRunning || last[0].Status == decant.VerifyFailed) {
			if last[0].Plan != run.Plan {
				return nil, nil, false, resumeRefused(last[0], names)
			}
			run.Run, k.run, resumed = last[0].Run, last[0].Run, true
			rows, err := k.fs.VerifyProgress(ctx, cfg.Scope, run.Run)
			if err != nil {
				return nil, nil, false, err
			}
			for _, r := range rows {
				prog.rows[[2]string{r.Step, r.Table}] = r
			}
		}
	}
	if err := k.fs.StartVerify(ctx, run); err != nil {
		return nil, nil, false, err
	}
	return k, prog, resumed, nil
}

// fingerprint names what a run verifies: the plan file's bytes (the plan
// as loaded when there is no file) and the steps, so that a resume of a
// run of another plan is refused rather than mixing two plans' findings.
func fingerprint(p *plan.Plan, steps []string) string {
	h := sha256.New()
	if b, err := os.ReadFile(p.File); p.File != "" && err == nil {
		h.Write(b)
	} else {
		for _, s := range p.Steps {
			fmt.Fprintf(h, "%s %#v %#v\n", s.Name, s.Spec.Key, s.Spec.To.All())
		}
	}
	fmt.Fprintf(h, "\x00%q", steps)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// step returns the result of a step an earlier attempt verified whole.
func (p *runProgress) step(name string) (VerifyStepResult, bool, error) {
	var r VerifyStepResult
	if p == nil {
		return r, false, nil
	}
	row, ok := p.rows[[2]string{name, ""}]
	if !ok || !row.Done {
		return r, false, nil
	}
	if err := json.Unmarshal([]byte(row.Result), &r); err != nil {
		return r, false, fmt.Errorf("step %s: stored verify progress: %w: run decant verify without --resume", name, err)
	}
	return r, true, nil
}

// table returns where an earlier attempt left a table: whether it is
// done, the last key whose findings are stored, and the counts so far.
func (p *runProgress) table(step, table string) (done bool, after []any, tr VerifyTableResult, err error) {
	tr.Table = table
	if p == nil {
		return false, nil, tr, nil
	}
	row, ok := p.rows[[2]string{step, table}]
	if !ok {
		return false, nil, tr, nil
	}
	if err := json.Unmarshal([]byte(row.Result), &tr); err != nil {
		return false, nil, tr, fmt.Errorf("table %s: stored verify progress: %w: run decant verify without --resume", table, err)
	}
	if row.LastKey != "" {
		if after, err = decodeKey(row.LastKey); err != nil {
			return false, nil, tr, fmt.Errorf("table %s: stored verify progress: %w: run decant verify without --resume", table, err)
		}
	}
	return row.Done, after, tr, nil
}

// encodeKey keeps a key with its types, so that a resume reads the target
// after exactly that key: each value as ["i", "10"], ["s", "abc"],
// ["f", "1.5"] or ["b", base64].
func encodeKey(key []any) (string, error) {
	out := make([][2]string, len(key))
	for i, v := range key {
		switch v := v.(type) {
		case int64:
			out[i] = [2]string{"i", strconv.FormatInt(v, 10)}
		case string:
			out[i] = [2]string{"s", v}
		case float64:
			out[i] = [2]string{"f", strconv.FormatFloat(v, 'g', -1, 64)}
		case []byte:
			out[i] = [2]string{"b", base64.StdEncoding.EncodeToString(v)}
		default:
			return "", fmt.Errorf("key value %v of type %T cannot be kept as a resume point", v, v)
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeKey(s string) ([]any, error) {
	var in [][2]string
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("last key %q: %w", s, err)
	}
	key := make([]any, len(in))
	for i, v := range in {
		var err error
		switch v[0] {
		case "i":
			key[i], err = strconv.ParseInt(v[1], 10, 64)
		case "s":
			key[i] = v[1]
		case "f":
			key[i], err = strconv.ParseFloat(v[1], 64)
		case "b":
			key[i], err = base64.StdEncoding.DecodeString(v[1])
		default:
			err = fmt.Errorf("unknown type %q", v[0])
		}
		if err != nil {
			return nil, fmt.Errorf("last key %q: %w", s, err)
		}
	}
	return key, nil
}

// pendingFinding is a finding with, for a pending one, why it is, and
// the hash of the source record the verify read for its key ("" when not
// known).
type pendingFinding struct {
	verify.Finding
	why  string
	hash string
}

// chunker takes a table's findings in key order, ok included, and every
// size keys stores the range's findings and the table's progress (see
// keeper.storeRange), after the live check and the Finding callback.
type chunker struct {
	v     *stepVerify
	table string
	size  int   // keys per range; 0 makes the whole table one range
	after []any // the last key whose findings are stored
	last  []any // the last key taken
	n     int
	found []pendingFinding
	// unmapped is the table's columns not compared, kept in the progress
	// so that a finished table's result needs no merger.
	unmapped []string
	// hashes holds the source hash of the expected rows the merge has
	// taken and not yet given a finding for: a key or two at a time.
	hashes map[string]string
	total  VerifyCounts // of the ranges stored
	chunk  VerifyCounts // of the keys taken since
	// held, when set, holds the ranges instead of storing them: a
	// streamed comparison's, until its bet is won (see stream).
	held *heldRanges
}

func (v *stepVerify) newChunker(table string, size int, after []any, total VerifyCounts) *chunker {
	return &chunker{v: v, table: table, size: size, after: after, total: total}
}

// take counts one key's finding and stores the range when it is full.
func (c *chunker) take(ctx context.Context, f verify.Finding) error {
	c.chunk.count(f.Kind)
	c.last = f.Key
	c.n++
	hash := ""
	if len(c.hashes) > 0 {
		k := keyString(f.Key)
		hash = c.hashes[k]
		delete(c.hashes, k)
	}
	if f.Kind != verify.FindingOK {
		c.found = append(c.found, pendingFinding{Finding: f, hash: hash})
		if c.held != nil && c.held.findings+len(c.found) > c.held.max {
			return errStreamFull
		}
	}
	if c.size > 0 && c.n >= c.size {
		return c.flush(ctx, false)
	}
	return nil
}

// seen notes the source hash an expected row carries, for its finding.
func (c *chunker) seen(r verify.KeyedRow) {
	if h, ok := r.Values[sourceHashValue].(string); ok {
		if c.hashes == nil {
			c.hashes = map[string]string{}
		}
		c.hashes[keyString(r.Key)] = h
	}
}

// flush ends the range at the last key taken (final: at the table's end):
// findings written by a live migration become pending, each goes to the
// Finding callback, then the range is stored with the table's progress.
func (c *chunker) flush(ctx context.Context, final bool) error {
	if c.held != nil && !final {
		c.hold()
		return nil
	}
	if err := c.v.live.classify(ctx, c.found, &c.chunk); err != nil {
		return err
	}
	if c.v.opts.Finding != nil {
		for _, f := range c.found {
			if err := c.v.opts.Finding(c.v.step.Name, c.table, f.Finding); err != nil {
				return err
			}
		}
	}
	total := c.total
	total.plus(c.chunk)
	end := c.after
	if c.last != nil {
		end = c.last
	}
	if k := c.v.keep; k != nil {
		lastKey, err := encodeKey(end)
		if end == nil {
			lastKey, err = "", nil
		}
		if err != nil {
			return fmt.Errorf("table %s: %w", c.table, err)
		}
		res, err := json.Marshal(VerifyTableResult{Table: c.table, VerifyCounts: total, Unmapped: c.unmapped})
		if err != nil {
			return err
		}
		until := end
		if final {
			until = nil
		}
		p := decant.VerifyProgress{Scope: c.v.cfg.Scope, Run: k.run, Step: c.v.step.Name, Table: c.table,
			LastKey: lastKey, Done: final, Result: string(res)}
		if err := k.storeRange(ctx, c.v.step.Name, c.table, c.after, until, c.found, p); err != nil {
			return fmt.Errorf("table %s: keep findings: %w", c.table, err)
		}
	}
	c.total, c.after = total, end
	c.chunk, c.n, c.found, c.last = VerifyCounts{}, 0, c.found[:0], nil
	return nil
}

// afterRows leaves out the expected rows up to after, the last key a
// resumed table had done: the target is read after it too.
type afterRows struct {
	verify.ExpectedRows
	after []any
}

func (a *afterRows) Next(ctx context.Context) bool {
	for a.ExpectedRows.Next(ctx) {
		if a.after == nil || decant.CompareKeys(a.Row().Key, a.after) > 0 {
			return true
		}
	}
	return false
}

// count adds one key of kind k; uncount takes it back off, for a finding
// that turns pending.
func (c *VerifyCounts) count(k verify.FindingKind)   { c.bump(k, 1) }
func (c *VerifyCounts) uncount(k verify.FindingKind) { c.bump(k, -1) }

func (c *VerifyCounts) bump(k verify.FindingKind, d int) {
	c.Checked += d
	switch k {
	case verify.FindingOK:
		c.OK += d
	case verify.FindingMissing:
		c.Missing += d
	case verify.FindingExtra:
		c.Extra += d
	case verify.FindingDiff:
		c.Diffs += d
	case verify.FindingChange:
		c.Changes += d
	case verify.FindingDuplicate:
		c.Duplicates += d
	case FindingPending:
		c.Pending += d
	}
}

func (c *VerifyCounts) plus(o VerifyCounts) {
	c.Checked += o.Checked
	c.OK += o.OK
	c.Missing += o.Missing
	c.Extra += o.Extra
	c.Diffs += o.Diffs
	c.Changes += o.Changes
	c.Duplicates += o.Duplicates
	c.Pending += o.Pending
}

// tableDone reports whether an earlier attempt of the run finished table.
func (v *stepVerify) tableDone(table string) bool { return slices.Contains(v.done, table) }

// resumeTables notes the step's tables an earlier attempt of the run
// finished: their expected rows are not sorted again.
func (v *stepVerify) resumeTables() error {
	tables := slices.Clone(v.parents)
	for _, c := range v.children {
		tables = append(tables, c.Table)
	}
	for _, t := range tables {
		done, _, _, err := v.prog.table(v.step.Name, t)
		if err != nil {
			return err
		}
		if done {
			v.done = append(v.done, t)
		}
	}
	return nil
}

// compareChildKept compares a child table as one key range: the findings
// compareChild gives are held (they are bounded by the differences) and
// stored when the table ends. A resumed run compares an unfinished child
// table from its start again, and a finished one not at all.
func (v *stepVerify) compareChildKept(ctx context.Context, c transform.ChildTable) (VerifyTableResult, error) {
	done, _, stored, err := v.prog.table(v.step.Name, c.Table)
	if err != nil || done {
		return stored, err
	}
	ch := v.newChunker(c.Table, 0, nil, VerifyCounts{})
	next := v.opts.Finding
	v.opts.Finding = func(_, _ string, f verify.Finding) error {
		ch.found = append(ch.found, pendingFinding{Finding: f})
		return nil
	}
	tr, err := v.compareChild(ctx, c)
	v.opts.Finding = next
	if err != nil {
		return tr, err
	}
	ch.chunk, ch.unmapped = tr.VerifyCounts, tr.Unmapped
	if err := ch.flush(ctx, true); err != nil {
		return tr, err
	}
	tr.VerifyCounts = ch.total
	return tr, nil
}
