package prescribing

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package and its stores return wraps one
// of these, so callers match them with errors.Is.
var (
	// ErrNotFound: the practice, staff member, patient, score set,
	// stratification, meeting, referral or idempotency key does not exist.
	ErrNotFound = errors.New("prescribing: not found")
	// ErrInvalid: a field is missing, malformed or out of range (an NHS
	// number whose check digit is wrong, a score outside its model's
	// range). The error is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("prescribing: invalid")
	// ErrConflict: the record changed since it was read, an id or NHS
	// number is taken, or an idempotency key was reused with a different
	// request.
	ErrConflict = errors.New("prescribing: conflict")
	// ErrForbidden: the actor does not hold the role the operation needs,
	// or may not see this practice's patients.
	ErrForbidden = errors.New("prescribing: forbidden")
	// ErrInvalidTransition: the referral is not in a state that allows the
	// move (see State.Next).
	ErrInvalidTransition = errors.New("prescribing: invalid transition")
	// ErrCaseloadFull: the advisor's caseload is at its limit. Nothing
	// was written.
	ErrCaseloadFull = errors.New("prescribing: advisor caseload full")
	// ErrOpenReferral: the patient has an open referral already, and a
	// patient has at most one open referral at a time. Store.Apply returns
	// it when a batch would leave a patient with two; the Service returns
	// it (as a *FieldError on the patient) when asked to refer a patient
	// whose open referral is past identified. It is a kind of
	// ErrInvalidTransition, so errors.Is matches both.
	ErrOpenReferral error = &subError{"prescribing: patient has an open referral", ErrInvalidTransition}
	// ErrDuplicateKey is returned by Store.Apply when the batch's
	// idempotency key is already recorded. The batch wrote nothing. The
	// Service turns it into the first result or ErrConflict.
	ErrDuplicateKey = errors.New("prescribing: idempotency key already used")
)

// subError is a sentinel that is a kind of another sentinel.
type subError struct {
	msg    string
	parent error
}

func (e *subError) Error() string { return e.msg }
func (e *subError) Unwrap() error { return e.parent }

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
