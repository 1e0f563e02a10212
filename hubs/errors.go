package hubs

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package and its stores return for a
// refused request wraps one of these, so callers match them with errors.Is.
// A refused request writes nothing.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("hubs: not found")
	// ErrInvalid: a field is missing, malformed, too long or out of range.
	// The error is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("hubs: invalid")
	// ErrConflict: the record changed since it was read, an id or day is
	// taken, or an idempotency key was reused for a different request.
	ErrConflict = errors.New("hubs: conflict")
	// ErrForbidden: the actor does not hold the role the request needs.
	ErrForbidden = errors.New("hubs: forbidden")
	// ErrUnknownHub: the hub named does not exist. It wraps ErrNotFound.
	ErrUnknownHub = fmt.Errorf("hubs: unknown hub: %w", ErrNotFound)
	// ErrNegative: a count or a duration is below zero. It wraps ErrInvalid.
	ErrNegative = fmt.Errorf("hubs: negative count: %w", ErrInvalid)
	// ErrBeforeOpening: a visit is dated before its hub opened (or the hub
	// has not opened). It wraps ErrInvalid.
	ErrBeforeOpening = fmt.Errorf("hubs: dated before the hub opened: %w", ErrInvalid)
	// ErrRoomTaken: the room holds another surgery at an overlapping time.
	ErrRoomTaken = errors.New("hubs: room taken by an overlapping surgery")
	// ErrSlotFull: every place in the slot is booked.
	ErrSlotFull = errors.New("hubs: slot full")
	// ErrSlotPast: the slot has started already.
	ErrSlotPast = errors.New("hubs: slot in the past")
	// ErrNotMicroEnterprise: the enterprise has more than eight workers or
	// is not independent of a larger organisation. It wraps ErrInvalid;
	// the *FieldError says why.
	ErrNotMicroEnterprise = fmt.Errorf("hubs: not a micro-enterprise: %w", ErrInvalid)
	// ErrNoConsent: an outcome about a person is recorded without their
	// consent. It wraps ErrInvalid.
	ErrNoConsent = fmt.Errorf("hubs: no consent: %w", ErrInvalid)
	// ErrDuplicateKey is returned by Store.Apply when the batch's receipt
	// key is recorded already. The Service turns it into the first result
	// or ErrConflict.
	ErrDuplicateKey = errors.New("hubs: idempotency key already used")
)

// FieldError reports bad input: which field and why. It wraps a sentinel
// (ErrInvalid unless stated), so errors.Is(err, ErrInvalid) holds.
type FieldError struct {
	Field  string // the field, as named in the Go struct (e.g. "Name", "Slots[2]")
	Reason string // why the value is refused, in plain words
	Err    error  // the sentinel; ErrInvalid when nil
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.sentinel().Error(), e.Field, e.Reason)
}

// Unwrap returns the sentinel the error stands for.
func (e *FieldError) Unwrap() error { return e.sentinel() }

func (e *FieldError) sentinel() error {
	if e.Err == nil {
		return ErrInvalid
	}
	return e.Err
}

// invalid returns a *FieldError wrapping ErrInvalid.
func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// fieldErr returns a *FieldError wrapping sentinel.
func fieldErr(sentinel error, field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Err: sentinel}
}

// ImportError reports every bad row of a CSV import. Nothing was written.
// It wraps ErrInvalid.
type ImportError struct {
	Problems []Problem
}

// Problem is one bad row of an import: its line (1 is the header), the
// column, and why. It quotes no personal data.
type Problem struct {
	Line   int
	Field  string
	Reason string
}

// Error implements error.
func (e *ImportError) Error() string {
	if len(e.Problems) == 0 {
		return ErrInvalid.Error() + ": import refused"
	}
	p := e.Problems[0]
	return fmt.Sprintf("%s: import refused: %d problem(s); first: line %d: %s: %s", ErrInvalid, len(e.Problems), p.Line, p.Field, p.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }
