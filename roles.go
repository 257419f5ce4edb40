package decant

import (
	"errors"
	"fmt"
	"reflect"
)

// StoreWrapper is a Store that wraps another, such as one that counts
// commits or answers Columns from a plan's pending migrations. [As],
// [Require] and [Roles] look through it, so a wrapper keeps the roles of the
// store it wraps without forwarding each one; it answers itself for the
// roles it implements. This is how net/http's ResponseController finds the
// optional interfaces of a wrapped ResponseWriter.
type StoreWrapper interface {
	// Unwrap returns the wrapped store.
	Unwrap() Store
}

// maxWrapDepth stops As on a chain of wrappers that loops.
const maxWrapDepth = 32

// As returns st's role R: st itself when it implements R, else the first
// store down its chain of [StoreWrapper]s that does. The second result is
// false when none does.
//
//	if l, ok := decant.As[decant.Leaser](st); ok { ... }
func As[R any](st Store) (R, bool) {
	for range maxWrapDepth {
		if st == nil {
			break
		}
		if r, ok := st.(R); ok {
			return r, true
		}
		w, ok := st.(StoreWrapper)
		if !ok {
			break
		}
		st = w.Unwrap()
	}
	var zero R
	return zero, false
}

// Require is [As] for a caller that cannot go on without the role: it
// returns a *[RoleError] naming the store, the role and need (what the
// caller wanted to do, as "hold the scope's lease") when st lacks it.
func Require[R any](st Store, need string) (R, error) {
	r, ok := As[R](st)
	if !ok {
		return r, &RoleError{Store: fmt.Sprintf("%T", st), Role: reflect.TypeFor[R]().String(), Need: need}
	}
	return r, nil
}

// RoleError reports a store that lacks a role its caller needs. It wraps
// errors.ErrUnsupported.
type RoleError struct {
	// Store is the store's Go type, as %T prints it.
	Store string
	// Role is the interface it lacks, as "decant.Leaser".
	Role string
	// Need says what the caller wanted to do with it.
	Need string
}

func (e *RoleError) Error() string {
	return fmt.Sprintf("decant: the target store (%s) cannot %s: it does not implement %s; "+
		"use a store that does (decant's postgres and sqlite stores implement every role), "+
		"and give a wrapping store an Unwrap method (decant.StoreWrapper) so its roles show through",
		e.Store, e.Need, e.Role)
}

// Unwrap returns errors.ErrUnsupported.
func (e *RoleError) Unwrap() error { return errors.ErrUnsupported }

// storeRoles are the roles [Roles] reports, in the order it reports them.
// A new role adds its line here.
var storeRoles = []struct {
	name string
	has  func(Store) bool
}{
	{"StateInitializer", has[StateInitializer]},
	{"Leaser", has[Leaser]},
	{"StateReader", has[StateReader]},
	{"Cataloger", has[Cataloger]},
	{"ErrorResolver", has[ErrorResolver]},
	{"ScriptRunner", has[ScriptRunner]},
	{"ScopedScriptRunner", has[ScopedScriptRunner]},
	{"Pinger", has[Pinger]},
	{"TargetReader", has[TargetReader]},
	{"JSONSpeller", has[JSONSpeller]},
	{"FindingStore", has[FindingStore]},
	{"Patcher", has[Patcher]},
	{"Lifecycler", has[Lifecycler]},
	{"ScopeResetter", has[ScopeResetter]},
	{"LedgerStatusLister", has[LedgerStatusLister]},
	{"LedgerCompactor", has[LedgerCompactor]},
	{"ChunkCheckpointer", has[ChunkCheckpointer]},
	{"UnmappedReader", has[UnmappedReader]},
}

func has[R any](st Store) bool {
	_, ok := As[R](st)
	return ok
}

// Roles names the roles st has, itself or through the stores it wraps (see
// [As]), as "Leaser", in a fixed order. It is for messages and tests, such
// as a test that a wrapper hides none of its store's roles. Savepointer is a
// role of a Tx, not of a Store, and is not listed.
func Roles(st Store) []string {
	var out []string
	for _, r := range storeRoles {
		if r.has(st) {
			out = append(out, r.name)
		}
	}
	return out
}
