package outcomes

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Indicator is one measure of an outcome framework, described the way
// Fingertips describes an indicator: what it counts (Definition), why
// (Rationale), where the figures come from (Source), its Unit and
// ValueType, its Polarity (whether higher is better), how its periods are
// counted (PeriodType) and who answers for it (Owner).
//
// An indicator may carry a Baseline, a Target and the Trajectory between
// them. A target may be "to be confirmed" (TargetTBC): the indicator is
// then reported with no RAG rating. Values are decimals, kept to Decimals
// places — the precision the framework states — so a trajectory prints as
// the framework's own table does.
//
// Indicators are created and changed by the framework's owner or editors
// (RoleEditor). Version counts changes: 1 when created.
type Indicator struct {
	ID         string     `json:"id"`
	Framework  string     `json:"framework"`
	Title      string     `json:"title"`
	Definition string     `json:"definition,omitempty"`
	Rationale  string     `json:"rationale,omitempty"`
	Source     string     `json:"source,omitempty"`
	Unit       Unit       `json:"unit"`
	Per        int64      `json:"per,omitempty"` // for UnitRate: the N of "per N"
	ValueType  ValueType  `json:"valueType"`
	Polarity   Polarity   `json:"polarity"`
	PeriodType PeriodType `json:"periodType"`
	Decimals   int32      `json:"decimals"` // places values and trajectories are rounded to
	Objective  string     `json:"objective,omitempty"`
	Strategy   string     `json:"strategy,omitempty"`
	Programme  string     `json:"programme,omitempty"`
	Owner      string     `json:"owner,omitempty"`
	// Comparator is the area whose value the indicator is compared with
	// (e.g. "E92000001", England), when not the target.
	Comparator string `json:"comparator,omitempty"`
	// FingertipsID is the indicator's id on Fingertips, for imports.
	FingertipsID int64 `json:"fingertipsId,omitempty"`

	Baseline   *Baseline   `json:"baseline,omitempty"`
	Target     *Target     `json:"target,omitempty"`
	Trajectory *Trajectory `json:"trajectory,omitempty"`
	// StatedChange is the change from baseline to target as the
	// framework's text states it ("an increase of 1180"); the framework's warnings say when
	// it does not match. StatedText quotes the text.
	StatedChange *decimal.Decimal `json:"statedChange,omitempty"`
	StatedText   string           `json:"statedText,omitempty"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// Unit is what an indicator's value is measured in.
type Unit string

// The units.
const (
	UnitCount      Unit = "count"
	UnitPercentage Unit = "percentage" // 0 to 100
	UnitRate       Unit = "rate"       // per Indicator.Per (e.g. per 100,000)
	UnitHours      Unit = "hours"
	UnitMoney      Unit = "money" // pounds
)

// valid reports whether u is one of the units.
func (u Unit) valid() bool {
	switch u {
	case UnitCount, UnitPercentage, UnitRate, UnitHours, UnitMoney:
		return true
	}
	return false
}

// ValueType is the kind of statistic a value is, which decides how its
// confidence interval is computed.
type ValueType string

// The value types.
const (
	// ValueCount is a number of events: Byar's method, exact Poisson
	// below 10.
	ValueCount ValueType = "count"
	// ValueProportion is count/denominator: the Wilson score method.
	ValueProportion ValueType = "proportion"
	// ValueCrudeRate is count/denominator × Per: Byar's method (exact
	// Poisson below 10) on the count, divided by the denominator.
	ValueCrudeRate ValueType = "crude-rate"
	// ValueTotal is a total or estimate with no sampling model (hours
	// given, money raised): no interval unless one is supplied.
	ValueTotal ValueType = "total"
	// ValueMean is a mean: no interval unless one is supplied.
	ValueMean ValueType = "mean"
)

// valid reports whether v is one of the value types.
func (v ValueType) valid() bool {
	switch v {
	case ValueCount, ValueProportion, ValueCrudeRate, ValueTotal, ValueMean:
		return true
	}
	return false
}

// Polarity says which way is better, as Fingertips' "RAG" polarity does.
type Polarity string

// The polarities.
const (
	HigherIsBetter Polarity = "higher-is-better"
	LowerIsBetter  Polarity = "lower-is-better"
	NoJudgement    Polarity = "no-judgement"
)

// valid reports whether p is one of the polarities.
func (p Polarity) valid() bool {
	switch p {
	case HigherIsBetter, LowerIsBetter, NoJudgement:
		return true
	}
	return false
}

// sign is +1 when higher is better, −1 when lower is better, 0 otherwise.
func (p Polarity) sign() int {
	switch p {
	case HigherIsBetter:
		return 1
	case LowerIsBetter:
		return -1
	}
	return 0
}

// Baseline is the value an indicator starts from. AsOf says, in the
// framework's words, when it was measured when that differs from Period
// ("April 2016", "2014/15").
type Baseline struct {
	Value  decimal.Decimal `json:"value"`
	Period Period          `json:"period"`
	AsOf   string          `json:"asOf,omitempty"`
}

// TargetStatus says whether a target has been set.
type TargetStatus string

// The target statuses.
const (
	TargetSet TargetStatus = "set"
	TargetTBC TargetStatus = "to-be-confirmed"
)

// Target is the value an indicator should reach by a period. A target
// "to be confirmed" (Status TargetTBC) has no value or period yet.
type Target struct {
	Status TargetStatus    `json:"status"`
	Value  decimal.Decimal `json:"value"`
	Period Period          `json:"period"`
	Note   string          `json:"note,omitempty"` // e.g. "by February 2017", "national average in 2014/15"
}

// Set reports whether t is a target with a value.
func (t *Target) Set() bool { return t != nil && t.Status == TargetSet }

// validate checks the indicator's fields, returning a *FieldError naming
// the first bad one.
func (ind *Indicator) validate() error {
	if err := checkID("ID", ind.ID); err != nil {
		return err
	}
	if err := checkID("Framework", ind.Framework); err != nil {
		return err
	}
	if err := checkName("Title", ind.Title, maxTitle); err != nil {
		return err
	}
	if err := checkTexts(maxText, "Definition", ind.Definition, "Rationale", ind.Rationale, "Source", ind.Source,
		"StatedText", ind.StatedText, "Objective", ind.Objective, "Strategy", ind.Strategy); err != nil {
		return err
	}
	if err := checkTexts(maxName, "Programme", ind.Programme, "Owner", ind.Owner, "Comparator", ind.Comparator); err != nil {
		return err
	}
	if b := ind.Baseline; b != nil {
		if err := checkText("Baseline.AsOf", b.AsOf, maxName); err != nil {
			return err
		}
	}
	if t := ind.Target; t != nil {
		if err := checkText("Target.Note", t.Note, maxText); err != nil {
			return err
		}
	}
	switch {
	case ind.Polarity == "":
		return invalid("Polarity", "is required: higher-is-better, lower-is-better or no-judgement")
	case !ind.Polarity.valid():
		return invalid("Polarity", "%q is not higher-is-better, lower-is-better or no-judgement", ind.Polarity)
	case !ind.Unit.valid():
		return invalid("Unit", "%q is not count, percentage, rate, hours or money", ind.Unit)
	case ind.Unit == UnitRate && ind.Per <= 0:
		return invalid("Per", "a rate needs a positive Per (e.g. 100000), got %d", ind.Per)
	case ind.Unit != UnitRate && ind.Per != 0:
		return invalid("Per", "is only for rates")
	case !ind.ValueType.valid():
		return invalid("ValueType", "%q is not count, proportion, crude-rate, total or mean", ind.ValueType)
	case ind.ValueType == ValueProportion && ind.Unit != UnitPercentage:
		return invalid("ValueType", "a proportion is measured as a percentage")
	case ind.ValueType == ValueCrudeRate && ind.Unit != UnitRate:
		return invalid("ValueType", "a crude rate is measured in unit rate")
	case !ind.PeriodType.valid():
		return invalid("PeriodType", "%q is not financial-year, calendar-year, quarter, month or point", ind.PeriodType)
	case ind.Decimals < 0 || ind.Decimals > 6:
		return invalid("Decimals", "must be 0 to 6, got %d", ind.Decimals)
	}
	if ind.Baseline != nil {
		if err := ind.checkValue("Baseline.Value", ind.Baseline.Value); err != nil {
			return err
		}
		if err := ind.checkPeriod("Baseline.Period", ind.Baseline.Period); err != nil {
			return err
		}
	}
	if t := ind.Target; t != nil {
		switch t.Status {
		case TargetTBC:
			if !t.Value.IsZero() || !t.Period.IsZero() {
				return invalid("Target.Value", "a target to be confirmed has no value or period yet")
			}
		case TargetSet:
			if err := ind.checkValue("Target.Value", t.Value); err != nil {
				return err
			}
			if err := ind.checkPeriod("Target.Period", t.Period); err != nil {
				return err
			}
			if ind.Baseline != nil && !ind.Baseline.Period.Before(t.Period) {
				return invalid("Target.Period", "%s is not after the baseline period %s", t.Period, ind.Baseline.Period)
			}
		default:
			return invalid("Target.Status", "%q is not set or to-be-confirmed", t.Status)
		}
	}
	if ind.Trajectory != nil {
		if err := ind.Trajectory.validate(ind); err != nil {
			return within("Trajectory", err)
		}
	}
	return nil
}

// checkValue refuses a value the unit cannot take.
func (ind *Indicator) checkValue(field string, v decimal.Decimal) error {
	switch {
	case ind.Unit == UnitPercentage && (v.IsNegative() || over(v, hundred, hundreds)):
		return invalid(field, "%s is not a percentage from 0 to 100", v)
	case ind.Unit != UnitMoney && v.IsNegative() && ind.Polarity != NoJudgement:
		return invalid(field, "%s is negative", v)
	case over(v, maxValue, maxValues) || v.Sign() < 0 && over(v.Neg(), maxValue, maxValues):
		return invalid(field, "%s is too large", v)
	}
	return nil
}

// checkPeriod refuses a period that is not of the indicator's type.
func (ind *Indicator) checkPeriod(field string, p Period) error {
	switch {
	case p.IsZero():
		return invalid(field, "is required")
	case p.Type != ind.PeriodType:
		return invalid(field, "%s is a %s period, but the indicator is counted by %s", p, p.Type, ind.PeriodType)
	}
	return nil
}

var (
	hundred  = decimal.NewFromInt(100)
	maxValue = decimal.New(1, 15)
	// hundreds and maxValues hold the bounds at exponents 0 to -12, so
	// that comparing a value with a bound at its own exponent allocates
	// nothing (decimal.Cmp rescales, and so allocates, across exponents).
	hundreds  = atExponents(100)
	maxValues = atExponents(1_000_000_000_000_000)
)

// atExponents returns n written at exponents 0, -1, …, -12 (index i is
// exponent -i), as far as the coefficient fits an int64.
func atExponents(n int64) []decimal.Decimal {
	var out []decimal.Decimal
	for e := int32(0); e <= 12; e++ {
		out = append(out, decimal.New(n, 0))
		if n > math.MaxInt64/10 {
			break
		}
		out[e] = decimal.New(n, -e)
		n *= 10
	}
	return out
}

// over reports whether v > bound, using bound's form at v's exponent from
// at when there is one.
func over(v, bound decimal.Decimal, at []decimal.Decimal) bool {
	if e := -int(v.Exponent()); e >= 0 && e < len(at) && at[e].Exponent() == v.Exponent() {
		return v.Cmp(at[e]) > 0
	}
	return v.GreaterThan(bound)
}

// checkID refuses a missing or unreasonable id.
func checkID(field, id string) error {
	switch {
	case id == "":
		return invalid(field, "is required")
	case len(id) > maxID:
		return invalid(field, "is longer than %d characters", maxID)
	case !utf8.ValidString(id) || strings.IndexByte(id, 0) >= 0:
		return invalid(field, "is not valid UTF-8 text")
	case strings.ContainsAny(id, " \t\r\n|"):
		return invalid(field, "%q contains a space or '|'", clip(id))
	}
	return nil
}

// String names the indicator for messages.
func (ind *Indicator) String() string { return fmt.Sprintf("%s (%s)", ind.ID, ind.Title) }

// Clone returns a deep copy of ind.
func (ind *Indicator) Clone() *Indicator {
	c := *ind
	if ind.Baseline != nil {
		b := *ind.Baseline
		c.Baseline = &b
	}
	if ind.Target != nil {
		t := *ind.Target
		c.Target = &t
	}
	if ind.Trajectory != nil {
		tr := *ind.Trajectory
		tr.Milestones = append([]Point(nil), ind.Trajectory.Milestones...)
		c.Trajectory = &tr
	}
	c.StatedChange = cloneDec(ind.StatedChange)
	return &c
}
