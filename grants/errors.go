package grants

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package and its stores return wraps one
// of these, so callers match them with errors.Is.
var (
	// ErrNotFound: the fund, round, application, staff member or
	// idempotency key does not exist.
	ErrNotFound = errors.New("grants: not found")
	// ErrInvalid: a field is missing, malformed or out of range. The error
	// is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("grants: invalid")
	// ErrConflict: the record changed since it was read, an id is taken, or
	// an idempotency key was reused with a different request.
	ErrConflict = errors.New("grants: conflict")
	// ErrForbidden: the actor does not hold the role the operation needs.
	ErrForbidden = errors.New("grants: forbidden")
	// ErrInvalidTransition: the application is not in a state that allows
	// the operation (an award without an approval, paying a declined
	// application, submitting outside the round).
	ErrInvalidTransition = errors.New("grants: invalid transition")
	// ErrOverBudget: the approval would take the fund's awards and pending
	// approvals for the year above its budget plus its income (or a budget
	// cut would put them below it). Nothing was written.
	ErrOverBudget = errors.New("grants: over budget")
	// ErrOverdrawn: reversing income would leave the fund's budget plus
	// income for the year below what it has committed. Nothing was
	// written.
	ErrOverdrawn = errors.New("grants: income reversal would overdraw the fund")
	// ErrIdeaFunded: another application's award from the fund holds the
	// same idea; a fund funds an idea once. It wraps ErrInvalid, and the
	// Service reports it as a *FieldError on "Idea". Nothing was written.
	ErrIdeaFunded = fmt.Errorf("grants: idea funded already: %w", ErrInvalid)
	// ErrOverpaid: the payment would take the amount paid above the
	// award. Nothing was written.
	ErrOverpaid = errors.New("grants: payment exceeds award")
	// ErrDuplicateKey is returned by Store.Apply when the batch's
	// idempotency key is already recorded. The batch wrote nothing. The
	// Service turns it into the first result or ErrConflict.
	ErrDuplicateKey = errors.New("grants: idempotency key already used")
)

// FieldError reports bad input: which field and why. It wraps a sentinel
// (ErrInvalid unless stated), so errors.Is(err, ErrInvalid) holds.
type FieldError struct {
	Field  string // the field, as named in the Go struct (e.g. "Amount", "Applicant.Email")
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
