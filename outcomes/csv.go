package outcomes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/strongertogether/community/internal/csvrow"
)

// MaxImportRows bounds the rows of one import file.
const MaxImportRows = 250_000

// RowError is one problem in an import file.
type RowError struct {
	Line   int    // line of the file; 1 is the header
	Field  string // the column
	Reason string
}

// String describes the problem with its line and column.
func (e RowError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// ImportError lists every problem found in an import file. It wraps
// ErrInvalid. When it is returned nothing of the file was written.
type ImportError struct {
	Rows []RowError
}

// Error implements error, listing up to ten problems.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %d problem(s) in the file, nothing imported", ErrInvalid, len(e.Rows))
	for i, r := range e.Rows {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-10)
			break
		}
		b.WriteString("; " + r.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }

// ImportResult says what an import wrote: measurements reported for the
// first time, new revisions of earlier ones, rows equal to what was
// already recorded (not written again), and rows skipped (Fingertips rows
// for indicators the framework does not hold, breakdowns, suppressed
// values).
type ImportResult struct {
	Framework string `json:"framework"`
	Recorded  int    `json:"recorded"`
	Revised   int    `json:"revised"`
	Unchanged int    `json:"unchanged"`
	Skipped   int    `json:"skipped"`
}

// MeasurementColumns are the columns of a measurement import file.
// "indicator", "area", "period" and "value" are required; periods are
// written as Period documents.
var MeasurementColumns = []string{"indicator", "area", "period", "value", "count", "denominator", "lower", "upper", "source", "note"}

// Line is a measurement read from a file, with the line it came from.
type Line struct {
	Line        int
	Measurement Measurement
}

// ParseMeasurementsCSV reads a measurement import file without looking
// anything up: it checks each value's form and returns the rows and every
// problem found.
func ParseMeasurementsCSV(r io.Reader) ([]Line, []RowError) {
	rd, err := csvrow.NewReader(r, MeasurementColumns[:4], MeasurementColumns[4:], MaxImportRows)
	if err != nil {
		return nil, []RowError{{Line: 1, Reason: err.Error()}}
	}
	var out []Line
	for rec, ok := rd.Next(); ok; rec, ok = rd.Next() {
		bad := len(rd.Problems)
		m := Measurement{Indicator: rec.Get("indicator"), Area: rec.Get("area"), Source: rec.Get("source"), Note: rec.Get("note")}
		if m.Indicator == "" {
			rec.Fail("indicator", "is required")
		}
		if m.Area == "" {
			rec.Fail("area", "is required")
		}
		if p, err := ParsePeriod(rec.Get("period")); err != nil {
			rec.Fail("period", "%v", err)
		} else {
			m.Period = p
		}
		m.Value = number(rec, "value", true)
		m.Count = optNumber(rec, "count")
		m.Denominator = optNumber(rec, "denominator")
		m.Lower = optNumber(rec, "lower")
		m.Upper = optNumber(rec, "upper")
		if len(rd.Problems) == bad {
			out = append(out, Line{Line: rec.Line, Measurement: m})
		}
	}
	if len(out) == 0 && len(rd.Problems) == 0 {
		rd.Add(1, "", "the file has no measurements")
	}
	return out, rowErrors(rd.Problems)
}

func rowErrors(ps []csvrow.Problem) []RowError {
	out := make([]RowError, len(ps))
	for i, p := range ps {
		out[i] = RowError(p)
	}
	return out
}

// number reads a decimal column.
func number(rec csvrow.Row, col string, required bool) decimal.Decimal {
	s := strings.ReplaceAll(rec.Get(col), ",", "")
	if s == "" {
		if required {
			rec.Fail(col, "is required")
		}
		return decimal.Decimal{}
	}
	d, err := parseNumber(s)
	if err != nil {
		rec.Fail(col, "%q is not a number", clip(s))
	}
	return d
}

// parseNumber reads a plain decimal number (no exponent, no NaN).
func parseNumber(s string) (decimal.Decimal, error) {
	if len(s) > 40 || strings.ContainsAny(s, "eEiInN_xX") {
		return decimal.Decimal{}, errors.New("not a number")
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return decimal.Decimal{}, err
	}
	return decimal.NewFromString(s)
}

func optNumber(rec csvrow.Row, col string) *decimal.Decimal {
	if rec.Get(col) == "" {
		return nil
	}
	d := number(rec, col, false)
	return &d
}

// ImportMeasurements reads a measurement file (MeasurementColumns) into a
// framework. Every row is checked against its indicator — a percentage
// over 100, a denominator of zero or below the count, a period of the
// wrong type, an indicator of another framework — and if any row is bad
// the whole file is rejected with an *ImportError listing every problem,
// and nothing is written. Rows equal to the latest revision are not
// written again. Contributors and above may import.
func (s *Service) ImportMeasurements(ctx context.Context, key, actor, framework string, r io.Reader) (*ImportResult, error) {
	lines, errs := ParseMeasurementsCSV(r)
	if len(errs) > 0 {
		return nil, &ImportError{Rows: errs}
	}
	return s.importLines(ctx, key, actor, "measurement.import", framework, lines, 0)
}

// importLines writes parsed measurements of one framework in one batch.
func (s *Service) importLines(ctx context.Context, key, actor, op, framework string, lines []Line, skipped int) (*ImportResult, error) {
	req := struct {
		Framework string
		Lines     []Line
		Skipped   int
	}{framework, lines, skipped}
	return write(ctx, s, key, op, actor, req,
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.allowed(ctx, framework, actor, RoleContributor); err != nil {
				return nil, "", err
			}
			res := ImportResult{Framework: framework, Skipped: skipped}
			inds := map[string]*Indicator{}
			seen := map[MeasurementKey]int{}
			var problems []RowError
			b := &Batch{}
			for _, l := range lines {
				m := l.Measurement
				fail := func(field, format string, args ...any) {
					problems = append(problems, RowError{Line: l.Line, Field: field, Reason: fmt.Sprintf(format, args...)})
				}
				ind, ok := inds[m.Indicator]
				if !ok {
					got, err := s.store.Indicator(ctx, m.Indicator)
					switch {
					case errors.Is(err, ErrNotFound):
					case err != nil:
						return nil, "", err
					case got.Framework == framework:
						ind = got
					}
					inds[m.Indicator] = ind
				}
				if ind == nil {
					fail("indicator", "no indicator %q in framework %s", clip(m.Indicator), framework)
					continue
				}
				if first, dup := seen[m.Key()]; dup {
					fail("period", "%s appears twice for this indicator and area (first on line %d)", m.Period, first)
					continue
				}
				seen[m.Key()] = l.Line
				nm, err := s.revision(ctx, ind, m, actor, now)
				if err != nil {
					var fe *FieldError
					if errors.As(err, &fe) {
						fail(strings.ToLower(fe.Field), "%s", fe.Reason)
						continue
					}
					return nil, "", err
				}
				if nm.Revision > 1 {
					old, err := s.store.Measurement(ctx, nm.Key())
					if err != nil {
						return nil, "", err
					}
					if sameFigures(old, nm) {
						res.Unchanged++
						continue
					}
					res.Revised++
				} else {
					res.Recorded++
				}
				b.Measurements = append(b.Measurements, nm)
			}
			if len(problems) > 0 {
				return nil, "", &ImportError{Rows: problems}
			}
			result := fmt.Sprintf("%s|%d|%d|%d|%d", framework, res.Recorded, res.Revised, res.Unchanged, res.Skipped)
			b.Events = []Event{event(framework, now, actor, op, framework,
				fmt.Sprintf("%d recorded, %d revised, %d unchanged, %d skipped", res.Recorded, res.Revised, res.Unchanged, res.Skipped))}
			return b, result, nil
		},
		func(_ context.Context, result string) (*ImportResult, error) {
			var r ImportResult
			parts := splitN(result, '|', 5)
			if len(parts) != 5 {
				return nil, fmt.Errorf("import result %q: %w", result, ErrInvalid)
			}
			r.Framework = parts[0]
			for i, p := range []*int{&r.Recorded, &r.Revised, &r.Unchanged, &r.Skipped} {
				n, err := strconv.Atoi(parts[i+1])
				if err != nil {
					return nil, fmt.Errorf("import result %q: %w", result, ErrInvalid)
				}
				*p = n
			}
			return &r, nil
		})
}

// sameFigures reports whether a new revision would say nothing new.
func sameFigures(a, b *Measurement) bool {
	eq := func(x, y *decimal.Decimal) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	return a.Value.Equal(b.Value) && eq(a.Count, b.Count) && eq(a.Denominator, b.Denominator) &&
		eq(a.Lower, b.Lower) && eq(a.Upper, b.Upper) && a.Source == b.Source && a.Note == b.Note
}
