package outcomes

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// FingertipsColumns are the columns of a Fingertips data export (the
// "Export all data" CSV of fingertips.phe.org.uk) that an import reads;
// the first four are required. Other columns of the export ("Parent Code",
// "Recent Trend", "Compared to England value or percentiles", …) are
// ignored, since their names vary with the comparator.
var FingertipsColumns = []string{"Indicator ID", "Area Code", "Time period", "Value",
	"Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator", "Value note", "Category Type", "Sex", "Age"}

// FingertipsRow is one data row of a Fingertips export.
type FingertipsRow struct {
	Line         int
	IndicatorID  int64
	Area         string
	Period       Period
	Value        *Measurement // nil when the value is missing or suppressed
	CategoryType string
	Sex, Age     string
}

// ParseFingertipsCSV reads a Fingertips export without looking anything
// up. Rows with an empty value (suppressed or missing data) are returned
// with a nil Value; periods Fingertips writes as ranges ("2014 - 16") are
// problems, since a period here is one year, quarter, month or day.
func ParseFingertipsCSV(r io.Reader) ([]FingertipsRow, []RowError) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0 // every row has the header's field count
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []RowError{{Line: 1, Reason: "the file is empty; it needs a header line"}}
	}
	if err != nil {
		return nil, []RowError{{Line: 1, Reason: err.Error()}}
	}
	cols := map[string]int{}
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[name]; !dup {
			cols[name] = i
		}
	}
	for _, c := range FingertipsColumns[:4] {
		if _, ok := cols[strings.ToLower(c)]; !ok {
			return nil, []RowError{{Line: 1, Reason: fmt.Sprintf("missing column %q: is this a Fingertips export?", c)}}
		}
	}
	var out []FingertipsRow
	var errs []RowError
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, csv.ErrFieldCount) {
			if line, _ := cr.FieldPos(0); rows < MaxImportRows {
				errs = append(errs, RowError{Line: line, Reason: fmt.Sprintf("the line has %d fields but the header has %d; quote a value that holds a comma", len(rec), len(head))})
				continue
			}
			err = nil // past the row bound, which is reported below
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, RowError{Line: line, Reason: "cannot read the line: " + err.Error()})
			break
		}
		line, _ := cr.FieldPos(0)
		if rows >= MaxImportRows {
			errs = append(errs, RowError{Line: line, Reason: fmt.Sprintf("the file has more than %d rows; split it", MaxImportRows)})
			break
		}
		get := func(c string) string {
			i, ok := cols[strings.ToLower(c)]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		fail := func(field, format string, args ...any) {
			errs = append(errs, RowError{Line: line, Field: field, Reason: fmt.Sprintf(format, args...)})
		}
		bad := len(errs)
		row := FingertipsRow{Line: line, Area: get("Area Code"), CategoryType: get("Category Type"), Sex: get("Sex"), Age: get("Age")}
		if id, err := strconv.ParseInt(get("Indicator ID"), 10, 64); err != nil || id <= 0 {
			fail("Indicator ID", "%q is not an indicator id", clip(get("Indicator ID")))
		} else {
			row.IndicatorID = id
		}
		if row.Area == "" || len(row.Area) > 100 {
			fail("Area Code", "an area code of up to 100 characters is required")
		}
		if p, err := ParsePeriod(get("Time period")); err != nil {
			fail("Time period", "%v", err)
		} else {
			row.Period = p
		}
		if v := get("Value"); v != "" {
			m := &Measurement{Area: row.Area, Period: row.Period, Note: get("Value note"), Source: "Fingertips"}
			num := func(col string) *decimal.Decimal {
				s := get(col)
				if s == "" {
					return nil
				}
				d, err := parseNumber(s)
				if err != nil {
					fail(col, "%q is not a number", clip(s))
					return nil
				}
				return &d
			}
			if d := num("Value"); d != nil {
				m.Value = *d
			}
			m.Lower, m.Upper = num("Lower CI 95.0 limit"), num("Upper CI 95.0 limit")
			m.Count, m.Denominator = num("Count"), num("Denominator")
			row.Value = m
		}
		if len(errs) == bad {
			out = append(out, row)
		}
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, RowError{Line: 1, Reason: "the file has no data rows"})
	}
	return out, errs
}

// ImportFingertips reads a Fingertips export into a framework, so a
// council can pull national indicators in. A row is taken when its
// Indicator ID is the FingertipsID of one of the framework's indicators,
// it has a value, and it is not a breakdown (an empty "Category Type");
// other rows are counted as Skipped. Taken rows are checked as
// ImportMeasurements checks them; any problem rejects the whole file with
// an *ImportError and nothing is written.
func (s *Service) ImportFingertips(ctx context.Context, key, actor, framework string, r io.Reader) (*ImportResult, error) {
	rows, errs := ParseFingertipsCSV(r)
	if len(errs) > 0 {
		return nil, &ImportError{Rows: errs}
	}
	if framework == "" {
		return nil, invalid("Framework", "is required")
	}
	inds, err := s.store.Indicators(ctx, IndicatorFilter{Framework: &framework})
	if err != nil {
		return nil, err
	}
	byID := map[int64]string{}
	for _, ind := range inds {
		if ind.FingertipsID != 0 {
			byID[ind.FingertipsID] = ind.ID
		}
	}
	var lines []Line
	skipped := 0
	for _, row := range rows {
		id, ok := byID[row.IndicatorID]
		if !ok || row.Value == nil || row.CategoryType != "" {
			skipped++
			continue
		}
		m := *row.Value
		m.Indicator = id
		lines = append(lines, Line{Line: row.Line, Measurement: m})
	}
	return s.importLines(ctx, key, actor, "measurement.fingertips", framework, lines, skipped)
}
