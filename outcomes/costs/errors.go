package costs

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is. A refused input is never half
// used: a file with any problem yields no unit costs.
var (
	// ErrInvalid: a field is missing, malformed or out of range. The error
	// is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("costs: invalid")
	// ErrNoSource: a unit cost without its source, date or price base. It
	// wraps ErrInvalid.
	ErrNoSource = fmt.Errorf("costs: unit cost without source or price base: %w", ErrInvalid)
	// ErrNoEvidence: an avoided event without evidence or a confidence. It
	// wraps ErrInvalid.
	ErrNoEvidence = fmt.Errorf("costs: avoided event without evidence or confidence: %w", ErrInvalid)
	// ErrOutOfRange: a valuation parameter outside 0–100%. It wraps
	// ErrInvalid.
	ErrOutOfRange = fmt.Errorf("costs: parameter outside 0-100%%: %w", ErrInvalid)
	// ErrNegative: a negative quantity or price. It wraps ErrInvalid.
	ErrNegative = fmt.Errorf("costs: negative: %w", ErrInvalid)
	// ErrUnknownUnit: an event names a unit cost the catalogue lacks. It
	// wraps ErrInvalid.
	ErrUnknownUnit = fmt.Errorf("costs: unknown unit cost: %w", ErrInvalid)
)

// FieldError reports bad input: which field and why. It wraps a sentinel
// (ErrInvalid unless stated).
type FieldError struct {
	Field  string // the field or CSV column, with its line when from a file
	Reason string // why the value is refused
	Err    error  // the sentinel; ErrInvalid when nil
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.sentinel().Error(), e.Field, e.Reason)
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.sentinel() }

func (e *FieldError) sentinel() error {
	if e.Err == nil {
		return ErrInvalid
	}
	return e.Err
}

func fieldErr(sentinel error, field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Err: sentinel}
}
