package call

import "fmt"

// Actor is who makes a call: the id of a member, officer or member of staff
// as the domain it is passed to knows them. The zero Actor is nobody, and
// every Service refuses it.
type Actor struct {
	// ID is the actor's id in the domain.
	ID string
}

// As returns the Actor with the given id.
func As(id string) Actor { return Actor{ID: id} }

// Key returns a write by a under the idempotency key k. k is the caller's
// own name for the request (a CRM's record id and version, a form's
// submission id): a retry sends the same key.
func (a Actor) Key(k string) Write { return Write{Actor: a, Key: k} }

// String returns the actor's id.
func (a Actor) String() string { return a.ID }

// Write is a write's caller: who sends it, and the idempotency key of the
// request, scoped to that actor.
type Write struct {
	Actor Actor
	Key   string
}

// String returns the actor's id and the key's length, never the key itself,
// which may hold personal data.
func (w Write) String() string { return fmt.Sprintf("%s (key of %d bytes)", w.Actor.ID, len(w.Key)) }
