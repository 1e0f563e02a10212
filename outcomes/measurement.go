package outcomes

import (
	"math"
	"time"

	"github.com/shopspring/decimal"
)

// Measurement is an indicator's value for one area and period, as
// Fingertips publishes it: the value, optionally the count and the
// denominator it was computed from, and a 95% confidence interval
// (Lower, Upper) computed by the method the indicator's value type calls
// for (CIMethod) or supplied with the figures.
//
// Measurements are revised, never overwritten: recording a value for an
// indicator, area and period that has one makes a new Revision, and the
// earlier ones stay in the history (Store.Revisions), so a report can be
// rebuilt as it was at any time (MeasurementFilter.AsOf). RecordedAt and
// RecordedBy say who reported the revision and when.
type Measurement struct {
	Indicator   string           `json:"indicator"`
	Area        string           `json:"area"`
	Period      Period           `json:"period"`
	Value       decimal.Decimal  `json:"value"`
	Count       *decimal.Decimal `json:"count,omitempty"`
	Denominator *decimal.Decimal `json:"denominator,omitempty"`
	Lower       *decimal.Decimal `json:"lower,omitempty"`
	Upper       *decimal.Decimal `json:"upper,omitempty"`
	CIMethod    string           `json:"ciMethod,omitempty"`
	Source      string           `json:"source,omitempty"`
	Note        string           `json:"note,omitempty"`

	Revision   int64     `json:"revision"` // 1 for the first report
	RecordedAt time.Time `json:"recordedAt"`
	RecordedBy string    `json:"recordedBy"`
}

// The confidence interval methods a measurement names in CIMethod.
const (
	MethodWilson   = "wilson"
	MethodByar     = "byar"
	MethodExact    = "exact-poisson"
	MethodSupplied = "supplied"
)

// MeasurementKey names the series point a measurement is a revision of.
type MeasurementKey struct {
	Indicator string
	Area      string
	Period    Period
}

// Key returns the measurement's key.
func (m *Measurement) Key() MeasurementKey {
	return MeasurementKey{Indicator: m.Indicator, Area: m.Area, Period: m.Period}
}

// validate checks m against its indicator: the period is of the
// indicator's type, a percentage is from 0 to 100, a denominator is
// positive and not below the count, an interval contains the value.
func (m *Measurement) validate(ind *Indicator) error {
	if m.Indicator != ind.ID {
		return invalid("Indicator", "%q is not the indicator %q", m.Indicator, ind.ID)
	}
	if err := checkName("Area", m.Area, maxID); err != nil {
		return err
	}
	if err := checkText("Source", m.Source, maxName); err != nil {
		return err
	}
	if err := checkText("Note", m.Note, maxText); err != nil {
		return err
	}
	if err := ind.checkPeriod("Period", m.Period); err != nil {
		return err
	}
	if err := ind.checkValue("Value", m.Value); err != nil {
		return err
	}
	if m.Count != nil {
		if m.Count.IsNegative() || over(*m.Count, maxValue, maxValues) {
			return invalid("Count", "%s is not a count", m.Count)
		}
	}
	if m.Denominator != nil {
		switch {
		case !m.Denominator.IsPositive():
			return invalid("Denominator", "%s: a denominator must be more than zero", m.Denominator)
		case over(*m.Denominator, maxValue, maxValues):
			return invalid("Denominator", "%s is too large", m.Denominator)
		case m.Count != nil && m.Denominator.LessThan(*m.Count) && ind.ValueType == ValueProportion:
			return invalid("Denominator", "%s is smaller than the count %s", m.Denominator, m.Count)
		}
	}
	if (m.Lower == nil) != (m.Upper == nil) {
		return invalid("Lower", "give both limits of the interval or neither")
	}
	if m.Lower != nil {
		if m.Lower.GreaterThan(*m.Upper) {
			return invalid("Lower", "%s is above the upper limit %s", m.Lower, m.Upper)
		}
		if m.Value.LessThan(*m.Lower) || m.Value.GreaterThan(*m.Upper) {
			return invalid("Lower", "the interval %s to %s does not contain the value %s", m.Lower, m.Upper, m.Value)
		}
		if err := ind.checkValue("Lower", *m.Lower); err != nil {
			return err
		}
		if err := ind.checkValue("Upper", *m.Upper); err != nil {
			return err
		}
	}
	return nil
}

// Interval fills in m's 95% confidence interval from its count and
// denominator when it has none: the Wilson score method for a proportion
// (Count of Denominator, as a percentage), exact Poisson below 10 events
// and Byar's method from 10 for a count (Count, or the value itself) or a
// crude rate (Count per Denominator × Per), but not for a negative count
// (a no-judgement count may be a net change). A supplied interval is kept
// and named MethodSupplied. Limits are rounded to the indicator's Decimals
// plus one place.
func (m *Measurement) Interval(ind *Indicator) {
	if m.Lower != nil && m.Upper != nil {
		if m.CIMethod == "" {
			m.CIMethod = MethodSupplied
		}
		return
	}
	m.Lower, m.Upper, m.CIMethod = nil, nil, ""
	places := ind.Decimals + 1
	set := func(lo, hi float64, method string) {
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return
		}
		l := decimal.NewFromFloat(lo).Round(places)
		u := decimal.NewFromFloat(hi).Round(places)
		m.Lower, m.Upper, m.CIMethod = &l, &u, method
	}
	count := m.Count
	switch ind.ValueType {
	case ValueProportion:
		if count == nil || m.Denominator == nil || m.Denominator.LessThan(*count) {
			return
		}
		k, _ := count.Float64()
		n, _ := m.Denominator.Float64()
		lo, hi := wilson(k, n)
		set(lo*100, hi*100, MethodWilson)
	case ValueCount:
		if count == nil {
			count = &m.Value
		}
		o, _ := count.Float64()
		if o < 0 { // a no-judgement count may be a net change: no Poisson interval
			return
		}
		lo, hi, method := poissonInterval(o)
		set(lo, hi, method)
	case ValueCrudeRate:
		if count == nil || m.Denominator == nil {
			return
		}
		o, _ := count.Float64()
		n, _ := m.Denominator.Float64()
		lo, hi, method := poissonInterval(o)
		per := float64(ind.Per)
		set(lo/n*per, hi/n*per, method)
	}
}

// Clone returns a deep copy of m.
func (m *Measurement) Clone() *Measurement {
	c := *m
	c.Count = cloneDec(m.Count)
	c.Denominator = cloneDec(m.Denominator)
	c.Lower = cloneDec(m.Lower)
	c.Upper = cloneDec(m.Upper)
	return &c
}

func cloneDec(d *decimal.Decimal) *decimal.Decimal {
	if d == nil {
		return nil
	}
	c := *d
	return &c
}
