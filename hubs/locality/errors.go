package locality

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package and its stores return for a
// refused request wraps one of these, matched with errors.Is. A refused
// request writes nothing.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("locality: not found")
	// ErrInvalid: a field is missing, malformed, too long or out of range.
	// The error is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("locality: invalid")
	// ErrConflict: the record changed since it was read, an id is taken,
	// or an idempotency key was reused for a different request.
	ErrConflict = errors.New("locality: conflict")
	// ErrForbidden: the actor does not hold the role the request needs.
	ErrForbidden = errors.New("locality: forbidden")
	// ErrUnknownArea: the area named does not exist or runs another
	// programme. It wraps ErrInvalid.
	ErrUnknownArea = fmt.Errorf("locality: unknown area: %w", ErrInvalid)
	// ErrUnknownRoute: the route of an introduction is not one of Routes.
	// It wraps ErrInvalid.
	ErrUnknownRoute = fmt.Errorf("locality: unknown route: %w", ErrInvalid)
	// ErrNegative: a count is below zero. It wraps ErrInvalid.
	ErrNegative = fmt.Errorf("locality: negative count: %w", ErrInvalid)
	// ErrNoConsent: a story, a resident's name or a person's gift is
	// recorded without their consent. It wraps ErrInvalid.
	ErrNoConsent = fmt.Errorf("locality: no consent: %w", ErrInvalid)
	// ErrNoEvidence: an avoided event without evidence or confidence. It
	// wraps ErrInvalid.
	ErrNoEvidence = fmt.Errorf("locality: avoided event without evidence or confidence: %w", ErrInvalid)
	// ErrClosed: the case is closed.
	ErrClosed = errors.New("locality: case closed")
	// ErrDuplicateKey is returned by Store.Apply when the batch's receipt
	// key is recorded already. The Service turns it into the first result
	// or ErrConflict.
	ErrDuplicateKey = errors.New("locality: idempotency key already used")
)

// FieldError reports bad input: which field and why. It wraps a sentinel
// (ErrInvalid unless stated), so errors.Is(err, ErrInvalid) holds.
type FieldError struct {
	Field  string // the field, as named in the Go struct
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

func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

func fieldErr(sentinel error, field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Err: sentinel}
}
