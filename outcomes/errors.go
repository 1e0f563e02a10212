package outcomes

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package and its stores return wraps one
// of these, so callers match them with errors.Is.
var (
	// ErrNotFound: the framework, indicator, measurement, story or
	// idempotency key does not exist.
	ErrNotFound = errors.New("outcomes: not found")
	// ErrInvalid: a field is missing, malformed or out of range — a
	// percentage over 100, a denominator of zero or below the count, a
	// period of the wrong type, a target before its baseline, a missing
	// polarity. The error is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("outcomes: invalid")
	// ErrConflict: the record changed since it was read, an id is taken, or
	// an idempotency key was reused with a different request.
	ErrConflict = errors.New("outcomes: conflict")
	// ErrForbidden: the actor does not hold the role the operation needs.
	ErrForbidden = errors.New("outcomes: forbidden")
	// ErrInvalidTransition: the story is not in a state that allows the
	// operation (publishing a withdrawn story, withdrawing twice).
	ErrInvalidTransition = errors.New("outcomes: invalid transition")
	// ErrDuplicateKey is returned by Store.Apply when the batch's
	// idempotency key is already recorded. The batch wrote nothing. The
	// Service turns it into the first result or ErrConflict.
	ErrDuplicateKey = errors.New("outcomes: idempotency key already used")
)

// FieldError reports bad input: which field and why. It wraps a sentinel
// (ErrInvalid unless stated), so errors.Is(err, ErrInvalid) holds.
type FieldError struct {
	Field  string // the field, as named in the Go struct or CSV header
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

// within prefixes the Field of a *FieldError with a parent name, so an
// error in a nested struct names its full path ("Target.Period").
func within(parent string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		c := *fe
		c.Field = parent + "." + fe.Field
		return &c
	}
	return err
}
