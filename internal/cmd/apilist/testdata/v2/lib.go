// Package lib is the second version of a fixture package for apilist's test:
// Removed is gone, Member has a Phone, Change has a new signature.
package lib

import "context"

// Member is a person.
type Member struct {
	ID    string
	Email string
	Phone string
	note  string
}

// Status is a member's state.
type Status string

// Active is a Status.
const Active Status = "active"

// ErrGone is an error.
var ErrGone error

// Store keeps members.
type Store interface {
	Member(ctx context.Context, id string) (*Member, error)
}

// Change is the func whose signature changes.
func Change(id string, n int) (int, error) { return n, nil }

// Name is a method with a value receiver.
func (m Member) Name() string { return m.note }
