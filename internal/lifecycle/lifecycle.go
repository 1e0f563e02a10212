package lifecycle

import (
	"fmt"
	"slices"
)

// Table is the set of allowed transitions between states of type S.
type Table[S comparable] struct {
	next map[S][]S
}

// New returns a table allowing exactly the moves listed: from each key to
// each state in its slice.
func New[S comparable](moves map[S][]S) *Table[S] {
	t := &Table[S]{next: make(map[S][]S, len(moves))}
	for from, to := range moves {
		t.next[from] = slices.Clone(to)
	}
	return t
}

// Allowed reports whether a record may move from one state to another.
func (t *Table[S]) Allowed(from, to S) bool { return slices.Contains(t.next[from], to) }

// Next returns the states a record may move to from a state.
func (t *Table[S]) Next(from S) []S { return slices.Clone(t.next[from]) }

// Final reports whether no move leaves a state.
func (t *Table[S]) Final(s S) bool { return len(t.next[s]) == 0 }

// Check returns nil if the move is allowed, or else a description of why
// not, for the domain to wrap in its ErrInvalidTransition.
func (t *Table[S]) Check(from, to S) error {
	if t.Allowed(from, to) {
		return nil
	}
	if t.Final(from) {
		return fmt.Errorf("%v is final; nothing follows it", from)
	}
	return fmt.Errorf("cannot go from %v to %v; from %v it can go to %v", from, to, from, t.next[from])
}
