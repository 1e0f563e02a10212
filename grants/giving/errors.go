package giving

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package and its stores return wraps one
// of these, so callers match them with errors.Is.
var (
	// ErrNotFound: the campaign, donor, gift, match, claim, staff member
	// or receipt does not exist.
	ErrNotFound = errors.New("giving: not found")
	// ErrInvalid: a field is missing, malformed or out of range. The error
	// is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("giving: invalid")
	// ErrConflict: the record changed since it was read, an id is taken, or
	// an idempotency key was reused with a different request.
	ErrConflict = errors.New("giving: conflict")
	// ErrForbidden: the actor does not hold the role the operation needs.
	ErrForbidden = errors.New("giving: forbidden")
	// ErrDuplicateKey is returned by Store.Apply when the batch's receipt
	// key is recorded already. The Service turns it into the first result
	// or ErrConflict.
	ErrDuplicateKey = errors.New("giving: idempotency key already used")
	// ErrRetained: the record is one HMRC requires to be kept, and its
	// retention period has not ended.
	ErrRetained = errors.New("giving: kept for HMRC's retention period")

	// ErrNoPostcode: a Gift Aid declaration without the home postcode.
	ErrNoPostcode = fmt.Errorf("giving: declaration without a home postcode: %w", ErrInvalid)
	// ErrNotEligible: Gift Aid asked on a gift that cannot have it: a
	// business's, one with a benefit in return, or one not of money.
	ErrNotEligible = fmt.Errorf("giving: gift does not qualify for Gift Aid: %w", ErrInvalid)
	// ErrPrecision: an amount with more than two decimal places.
	ErrPrecision = fmt.Errorf("giving: amount has fractions of a penny: %w", ErrInvalid)
	// ErrMatchLimit: a match received beyond what is due under its cap, or
	// outside its dates.
	ErrMatchLimit = fmt.Errorf("giving: beyond the match's cap or dates: %w", ErrInvalid)
	// ErrOverRefund: a refund larger than what is left of the gift.
	ErrOverRefund = fmt.Errorf("giving: refund larger than the gift: %w", ErrInvalid)
	// ErrUnknownPriority: a restriction to a priority the campaign lacks.
	ErrUnknownPriority = fmt.Errorf("giving: not one of the campaign's priorities: %w", ErrInvalid)
	// ErrLineLimit: an aggregated schedule line over HMRC's limits (a gift
	// over the per-gift limit, or a line over the line limit).
	ErrLineLimit = fmt.Errorf("giving: aggregated line over HMRC's limit: %w", ErrInvalid)
)

// FieldError reports bad input: which field and why. It wraps a sentinel
// (ErrInvalid unless stated), so errors.Is(err, ErrInvalid) holds.
type FieldError struct {
	Field  string // the field, as named in the Go struct (e.g. "Amount", "Address.Postcode")
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
