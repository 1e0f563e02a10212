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
	over bool // r held more than MaxImportBytes
}

// tooLarge is the whole answer to a file over the cap, whatever else was
// found in it.
func (c *capReader) tooLarge(errs []RowError) []RowError {
	if c.over {
		return []RowError{{Line: 1, Reason: errTooLarge.Error()}}
	}
	return errs
}

func capped(r io.Reader) *capReader { return &capReader{r: r, left: MaxImportBytes} }

// Read implements io.Reader.
func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var probe [1]byte
		n, err := c.r.Read(probe[:])
		if n > 0 {
			c.over = true
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
// The import owns the measurement and fills in its revision in place.
type line struct {
	Line        int
	Measurement *Measurement
}

// measurementBlock is how many measurements a parse allocates at once.
const measurementBlock = 256

// parseMeasurementsCSV reads a measurement import file without looking
// anything up: it checks each value's form and returns the rows and every
// problem found.
func parseMeasurementsCSV(r io.Reader) ([]line, []RowError) {
	rd, err := csvrow.NewReader(r, measurementColumns[:4], measurementColumns[4:], MaxImportRows)
	if err != nil {
		return nil, []RowError{{Line: 1, Reason: err.Error()}}
	}
	var out []line
	sh := newShared()
	var block []Measurement
	for rec, ok := rd.Next(); ok; rec, ok = rd.Next() {
		bad := len(rd.Problems)
		if len(block) == 0 {
			block = make([]Measurement, measurementBlock)
		}
		m := &block[0]
		*m = Measurement{Indicator: sh.str(rec.Get("indicator")), Area: sh.str(rec.Get("area")),
			Source: sh.str(rec.Get("source")), Note: strings.Clone(rec.Get("note"))}
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
		if v := sh.number(rec, "value", true); v != nil {
			m.Value = *v
		}
		m.Count = sh.number(rec, "count", false)
		m.Denominator = sh.number(rec, "denominator", false)
		m.Lower = sh.number(rec, "lower", false)
		m.Upper = sh.number(rec, "upper", false)
		if m.Lower != nil && m.Upper != nil {
			m.CIMethod = MethodSupplied
		}
		if len(rd.Problems) == bad {
			block = block[1:]
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

// shared parses a file's numbers and holds its repeated strings once: a
// file repeats its indicators, areas, sources, denominators and many
// values, and a decimal is never changed in place, so equal ones share
// one. It keeps at most maxShared of each.
type shared struct {
	decs map[string]*decimal.Decimal
	strs map[string]string
}

const maxShared = 1 << 16

func newShared() *shared {
	return &shared{decs: map[string]*decimal.Decimal{}, strs: map[string]string{}}
}

// str returns s, or an equal string read before.
func (sh *shared) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := sh.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	if len(sh.strs) < maxShared {
		sh.strs[v] = v
	}
	return v
}

// dec parses s (see parseNumber), sharing an equal number read before.
func (sh *shared) dec(s string) (*decimal.Decimal, error) {
	if d, ok := sh.decs[s]; ok {
		return d, nil
	}
	d, err := parseNumber(s)
	if err != nil {
		return nil, err
	}
	if len(sh.decs) < maxShared {
		sh.decs[strings.Clone(s)] = &d
	}
	return &d, nil
}

// number reads a decimal column; nil when it is empty.
func (sh *shared) number(rec csvrow.Row, col string, required bool) *decimal.Decimal {
	s := rec.Get(col)
	if strings.IndexByte(s, ',') >= 0 {
		s = strings.ReplaceAll(s, ",", "")
	}
	if s == "" {
		if required {
			rec.Fail(col, "is required")
		}
		return nil
	}
	d, err := sh.dec(s)
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
	in := capped(r)
	lines, errs := parseMeasurementsCSV(in)
	if errs = in.tooLarge(errs); len(errs) > 0 {
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
// request is not held twice in memory as JSON. Each field is written with
// its length, so no two different requests run together the same way.
func digest(lines []line) string {
	h := sha256.New()
	var buf []byte
	str := func(s string) {
		buf = strconv.AppendInt(buf, int64(len(s)), 10)
		buf = append(buf, ':')
		buf = append(buf, s...)
	}
	dec := func(d *decimal.Decimal) {
		if d == nil {
			buf = append(buf, '-')
			return
		}
		str(d.String())
	}
	for i := range lines {
		l := &lines[i]
		m := l.Measurement
		buf = strconv.AppendInt(buf[:0], int64(l.Line), 10)
		str(m.Indicator)
		str(m.Area)
		str(string(m.Period.Type))
		buf = strconv.AppendInt(buf, m.Period.Start.Unix(), 10)
		str(m.Value.String())
		dec(m.Count)
		dec(m.Denominator)
		dec(m.Lower)
		dec(m.Upper)
		str(m.Source)
		str(m.Note)
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// seriesPoint names a measurement's key in a map without the time's
// location.
type seriesPoint struct {
	indicator, area string
	typ             PeriodType
	start           int64
}

func pointOf(indicator, area string, p Period) seriesPoint {
	return seriesPoint{indicator, area, p.Type, p.Start.UnixMicro()}
}

// latest reads, in one list, the latest revisions of every series point
// the lines name, by indicator, area and the span of their periods.
func (s *Service) latest(ctx context.Context, lines []line) (map[seriesPoint]*Measurement, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	var inds, areas []string
	seenInd, seenArea := map[string]bool{}, map[string]bool{}
	from, to := lines[0].Measurement.Period.Start, lines[0].Measurement.Period.Start
	for i := range lines {
		m := lines[i].Measurement
		if !seenInd[m.Indicator] {
			seenInd[m.Indicator] = true
			inds = append(inds, m.Indicator)
		}
		if !seenArea[m.Area] {
			seenArea[m.Area] = true
			areas = append(areas, m.Area)
		}
		if st := m.Period.Start; st.Before(from) {
			from = st
		} else if st.After(to) {
			to = st
		}
	}
	to = to.Add(time.Microsecond)
	ms, err := s.store.Measurements(ctx, MeasurementFilter{Indicators: inds, Areas: areas, From: &from, To: &to})
	if err != nil {
		return nil, fmt.Errorf("read the latest measurements: %w", err)
	}
	out := make(map[seriesPoint]*Measurement, len(ms))
	for _, m := range ms {
		out[pointOf(m.Indicator, m.Area, m.Period)] = m
	}
	return out, nil
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
			existing, err := s.latest(ctx, lines)
			if err != nil {
				return nil, "", err
			}
			seen := make(map[seriesPoint]int, len(lines))
			var problems []RowError
			b := &Batch{Measurements: make([]*Measurement, 0, len(lines))}
			for i := range lines {
				l := &lines[i]
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
				k := pointOf(m.Indicator, m.Area, m.Period)
				if first, dup := seen[k]; dup {
					fail("period", "%s appears twice for this indicator and area (first on line %d)", m.Period, first)
					continue
				}
				seen[k] = l.Line
				old := existing[k]
				nm := m
				if err := prepare(ind, nm, actor, now, old); err != nil {
					var fe *FieldError
					if errors.As(err, &fe) {
						fail(strings.ToLower(fe.Field), "%s", fe.Reason)
						continue
					}
					return nil, "", err
				}
				if old != nil {
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
