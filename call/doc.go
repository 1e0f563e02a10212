// Package call names who makes a call to a domain Service, and for a write
// the idempotency key that belongs to them.
//
// Every Service in this module takes its caller the same way, right after
// the context:
//
//	m, err := members.Member(ctx, call.As(officer), memberID)          // a read
//	x, err := bank.Confirm(ctx, call.As(bob).Key("x-2-bob"), exchangeID) // a write
//
// An Actor and a Write are structs, not strings, so the caller's id, the key
// and the record's id cannot be swapped and still compile.
//
// Keys are scoped to their actor: the same key sent by two actors is two
// requests. A retry with the same key and the same request returns the first
// result, after checking that the actor may still make it; the same key with
// a different request is refused with the domain's ErrConflict. Stores keep
// only a keyed hash of the actor and key (with a secret made for each
// database), never the key itself, so a key may name a person without the
// name being kept.
package call
