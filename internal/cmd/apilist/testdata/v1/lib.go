// Package lib is the first version of a fixture package for apilist's test.
package lib

import "context"

// Member is a person.
type Member struct {
	ID    string
	Email string
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
func Change(id string) error { return nil }

// Removed is the func that is removed.
func Removed() {}

// Name is a method with a value receiver.
func (m Member) Name() string { return m.note }
