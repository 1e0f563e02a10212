package dementia

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package and its stores return for a
// refused request wraps one of these, so callers match them with errors.Is.
// A refused request writes nothing.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("dementia: not found")
	// ErrInvalid: a field is missing, malformed, too long or out of range.
	// The error is a *FieldError naming the field and the reason.
	ErrInvalid = errors.New("dementia: invalid")
	// ErrConflict: the record changed since it was read, an id is taken,
	// or an idempotency key was reused for a different request.
	ErrConflict = errors.New("dementia: conflict")
	// ErrForbidden: the actor does not hold the role the request needs.
	ErrForbidden = errors.New("dementia: forbidden")
	// ErrDuplicateMember: an organisation of that name is a member
	// already. It wraps ErrConflict.
	ErrDuplicateMember = fmt.Errorf("dementia: already a member: %w", ErrConflict)
	// ErrUnknownAction: a progress update names an action that does not
	// exist. It wraps ErrNotFound.
	ErrUnknownAction = fmt.Errorf("dementia: unknown action: %w", ErrNotFound)
	// ErrUnknownArea: a self-assessment or a member names an area PAS 1365
	// does not have. It wraps ErrInvalid.
	ErrUnknownArea = fmt.Errorf("dementia: not a PAS 1365 area: %w", ErrInvalid)
	// ErrNegative: a count is below zero. It wraps ErrInvalid.
	ErrNegative = fmt.Errorf("dementia: negative count: %w", ErrInvalid)
	// ErrNumeratorOverDenominator: a numerator exceeds its denominator
	// (care plans reviewed over the register less its adjustments, or a
	// register over its population). It wraps ErrInvalid.
	ErrNumeratorOverDenominator = fmt.Errorf("dementia: numerator over denominator: %w", ErrInvalid)
	// ErrAdjustmentsOverRegister: the personalised care adjustments
	// exceed the register. It wraps ErrInvalid.
	ErrAdjustmentsOverRegister = fmt.Errorf("dementia: adjustments over register: %w", ErrInvalid)
	// ErrIncompletePrevalence: a prevalence table lacks a rate for an age
	// band of one sex. It wraps ErrInvalid.
	ErrIncompletePrevalence = fmt.Errorf("dementia: prevalence table incomplete: %w", ErrInvalid)
	// ErrNoBand: a population count is for an age band and sex the
	// prevalence table has no rate for. It wraps ErrInvalid.
	ErrNoBand = fmt.Errorf("dementia: no prevalence rate for the band: %w", ErrInvalid)
	// ErrDuplicateKey is returned by Store.Apply when the batch's receipt
	// key is recorded already. The Service turns it into the first result
	// or ErrConflict.
	ErrDuplicateKey = errors.New("dementia: idempotency key already used")
)

// FieldError reports bad input: which field and why. It wraps a sentinel
// (ErrInvalid unless stated), so errors.Is(err, ErrInvalid) holds.
type FieldError struct {
	Field  string // the field, as named in the Go struct (e.g. "Areas[2]")
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

// ImportError reports every bad row of a CSV import. Nothing was written.
// It wraps ErrInvalid, and every sentinel one of its problems stands for
// (ErrNegative, ErrNumeratorOverDenominator, ...).
type ImportError struct {
	Problems []Problem
	errs     []error
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

// Unwrap returns ErrInvalid and the sentinels of the problems.
func (e *ImportError) Unwrap() []error { return append([]error{ErrInvalid}, e.errs...) }
