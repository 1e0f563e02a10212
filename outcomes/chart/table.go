package chart

import (
	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// Table is a chart's data as a table, for a page to show beside the
// chart (and for anyone who cannot see it): one row per value, in period
// order, with its interval and its comparison, coloured and worded as
// the chart shows them.
type Table struct {
	// Caption names the indicator and the area.
	Caption string
	// Columns are the headings of Row.Cells.
	Columns []string
	Rows    []TableRow
	// ComparedWith is what the values are compared with ("the target",
	// "England"), or "" when they are not compared.
	ComparedWith string
}

// TableRow is one value of a Table. The Text fields are written as the
// chart writes them; the others are the figures.
type TableRow struct {
	Period      outcomes.Period
	Value       decimal.Decimal
	Lower       *decimal.Decimal
	Upper       *decimal.Decimal
	Count       *decimal.Decimal
	Denominator *decimal.Decimal
	Comparison  outcomes.Significance
	// Colour is the point's fill (Colour(Comparison)).
	Colour string

	PeriodText     string // "2016/17"
	ValueText      string // "66.40%"
	IntervalText   string // "64.30% to 68.41%", "" without an interval
	CountText      string // "1,328 of 2,000", "" without a count
	ComparisonText string // "similar to the target"
}

// Cells returns the row's text in Columns order.
func (r TableRow) Cells() []string {
	return []string{r.PeriodText, r.ValueText, r.IntervalText, r.CountText, r.ComparisonText}
}

// Data returns the chart's data as a table. It takes the same options
// as SVG, so a benchmark given to the chart is compared in the table too.
func Data(row *outcomes.Row, opts ...Option) (*Table, error) {
	if row == nil || row.Indicator == nil {
		return nil, ErrNoIndicator
	}
	c := newConfig(opts)
	p := newPlan(row, c)
	ind := row.Indicator
	cmpHead := "Compared with " + p.compared
	if p.compared == "" {
		cmpHead = "Comparison"
	}
	t := &Table{
		Caption:      ind.Title + " — " + areaText(row.Area, c.areaName),
		Columns:      []string{"Period", "Value", "95% confidence interval", "Count", cmpHead},
		ComparedWith: p.compared,
	}
	for _, pt := range p.points {
		m := pt.m
		r := TableRow{Period: m.Period, Value: m.Value, Lower: m.Lower, Upper: m.Upper, Count: m.Count, Denominator: m.Denominator,
			Comparison: pt.cmp, Colour: Colour(pt.cmp),
			PeriodText: PeriodLabel(m.Period), ValueText: Value(ind, m.Value), IntervalText: interval(ind, m.Lower, m.Upper)}
		if m.Count != nil {
			r.CountText = group(m.Count.String())
			if m.Denominator != nil {
				r.CountText += " of " + group(m.Denominator.String())
			}
		}
		switch {
		case pt.cmp != outcomes.NotCompared:
			r.ComparisonText = ComparisonText(pt.cmp, p.compared)
		case p.compared != "":
			r.ComparisonText = "not compared (no interval)"
		default:
			r.ComparisonText = "not compared (no target or benchmark)"
		}
		t.Rows = append(t.Rows, r)
	}
	return t, nil
}
