package outcomes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/csvrow"
)

// MaxImportRows and MaxImportBytes bound one import file (of
// measurements or a Fingertips export). A larger file is refused whole:
// split it.
const (
	MaxImportRows  = 250_000
	MaxImportBytes = 64 << 20
)

// errTooLarge is the error a capped reader returns past MaxImportBytes.
var errTooLarge = fmt.Errorf("the file is larger than %d MiB; split it", MaxImportBytes>>20)

// capReader reads at most MaxImportBytes of r, and fails with errTooLarge
// when r holds more.
type capReader struct {
	r    io.Reader
	left int64
}

func capped(r io.Reader) *capReader { return &capReader{r: r, left: MaxImportBytes} }

// Read implements io.Reader.
func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var probe [1]byte
		n, err := c.r.Read(probe[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

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

// measurementColumns are the columns of a measurement import file (see
// ImportMeasurements).
var measurementColumns = []string{"indicator", "area", "period", "value", "count", "denominator", "lower", "upper", "source", "note"}

// line is a measurement read from a file, with the line it came from.
type line struct {
	Line        int
	Measurement NewMeasurement
}

// parseMeasurementsCSV reads a measurement import file without looking
// anything up: it checks each value's form and returns the rows and every
// problem found.
func parseMeasurementsCSV(r io.Reader) ([]line, []RowError) {
	rd, err := csvrow.NewReader(r, measurementColumns[:4], measurementColumns[4:], MaxImportRows)
	if err != nil {
		return nil, []RowError{{Line: 1, Reason: err.Error()}}
	}
	var out []line
	for rec, ok := rd.Next(); ok; rec, ok = rd.Next() {
		bad := len(rd.Problems)
		m := NewMeasurement{Indicator: rec.Get("indicator"), Area: rec.Get("area"), Source: rec.Get("source"), Note: rec.Get("note")}
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
			out = append(out, line{Line: rec.Line, Measurement: m})
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

// ImportMeasurements reads a measurement file into a framework. Its
// header names its columns: indicator, area, period and value are
// required; count, denominator, lower, upper, source and note are
// optional; periods are written as Period documents. Every row is checked
// against its indicator — a percentage over 100, a denominator of zero or
// below the count, a period of the wrong type, an indicator of another
// framework — and if any row is bad the whole file is rejected with an
// *ImportError listing every problem, and nothing is written. Rows equal
// to the latest revision are not written again. Contributors and above
// may import; the actor is checked before the file is read, and a file is
// read up to MaxImportBytes. It returns ErrForbidden, ErrInvalid (an
// *ImportError) and ErrConflict.
func (s *Service) ImportMeasurements(ctx context.Context, w call.Write, framework string, r io.Reader) (*ImportResult, error) {
	if err := s.allowImport(ctx, w, framework); err != nil {
		return nil, fmt.Errorf("import measurements: %w", err)
	}
	lines, errs := parseMeasurementsCSV(capped(r))
	if len(errs) > 0 {
		return nil, &ImportError{Rows: errs}
	}
	return s.importLines(ctx, w, "measurement.import", framework, lines, 0)
}

// allowImport checks, before any input is read, that w's actor may import
// into framework.
func (s *Service) allowImport(ctx context.Context, w call.Write, framework string) error {
	if err := checkActor(w.Actor); err != nil {
		return err
	}
	_, err := s.authorize(ctx, framework, w.Actor.ID, RoleContributor)
	return err
}

// digest fingerprints parsed lines for an import's receipt, so that the
// request is not held twice in memory as JSON.
func digest(lines []line) string {
	h := sha256.New()
	dec := func(d *decimal.Decimal) string {
		if d == nil {
			return "-"
		}
		return d.String()
	}
	for _, l := range lines {
		m := &l.Measurement
		fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%q\x00%q\n", l.Line, m.Indicator, m.Area, m.Period,
			m.Value, dec(m.Count), dec(m.Denominator), dec(m.Lower), dec(m.Upper), m.Source, m.Note)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// importLines writes parsed measurements of one framework in one batch.
func (s *Service) importLines(ctx context.Context, w call.Write, op, framework string, lines []line, skipped int) (*ImportResult, error) {
	actor := w.Actor.ID
	req := struct {
		Framework string
		Lines     string
		Count     int
		Skipped   int
	}{framework, digest(lines), len(lines), skipped}
	return write(ctx, s, w, op, req,
		func(ctx context.Context) error {
			_, err := s.authorize(ctx, framework, actor, RoleContributor)
			return err
		},
		func(now time.Time) (*Batch, string, error) {
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
				k := MeasurementKey{Indicator: m.Indicator, Area: m.Area, Period: m.Period}
				if first, dup := seen[k]; dup {
					fail("period", "%s appears twice for this indicator and area (first on line %d)", m.Period, first)
					continue
				}
				seen[k] = l.Line
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
			parts := strings.SplitN(result, "|", 5)
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
