package costs

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Confidence is how strong the evidence of an avoided event is.
type Confidence string

// The confidence grades, strongest first.
const (
	// High: recorded by the service itself (a care package ended, a
	// discharge date), or checked with it.
	High Confidence = "high"
	// Medium: reported by a professional, not checked with the service.
	Medium Confidence = "medium"
	// Low: the person's or the worker's own account.
	Low Confidence = "low"
)

// Confidences returns the grades, strongest first.
func Confidences() []Confidence { return []Confidence{High, Medium, Low} }

func (c Confidence) valid() bool { return slices.Contains(Confidences(), c) }

// Event is one avoided use of a service: Quantity units of the unit cost
// Unit no longer needed, on a date, for a programme in an area, with the
// evidence and its confidence. It names no person.
type Event struct {
	// Programme is the programme credited ("lac").
	Programme string
	// Area is where ("" when the source has none).
	Area string
	// On is when the service use was avoided.
	On time.Time
	// Unit is the id of the unit cost.
	Unit string
	// Quantity is how many units.
	Quantity decimal.Decimal
	// Evidence says how it is known.
	Evidence string
	// Confidence grades the evidence.
	Confidence Confidence
}

// Check refuses an event without a programme, unit, date, evidence or
// confidence (ErrNoEvidence for the last two), or with a negative
// quantity.
func (e Event) Check() error {
	switch {
	case strings.TrimSpace(e.Programme) == "":
		return fieldErr(ErrInvalid, "Programme", "is required")
	case strings.TrimSpace(e.Unit) == "":
		return fieldErr(ErrInvalid, "Unit", "is required")
	case e.On.IsZero():
		return fieldErr(ErrInvalid, "On", "is required")
	case strings.TrimSpace(e.Evidence) == "":
		return fieldErr(ErrNoEvidence, "Evidence", "is required: say how the avoided use is known")
	case !e.Confidence.valid():
		return fieldErr(ErrNoEvidence, "Confidence", "%q is not one of high, medium, low", e.Confidence)
	case e.Quantity.IsNegative():
		return fieldErr(ErrNegative, "Quantity", "is %s; a quantity is never negative", e.Quantity)
	}
	return nil
}

// Source gives the avoided events dated in [from, to). A domain that
// records avoided service use satisfies it through a small adapter in the
// app.
type Source interface {
	AvoidedEvents(ctx context.Context, from, to time.Time) ([]Event, error)
}

// Params are the stated adjustments of a valuation, each a percentage in
// 0–100.
type Params struct {
	// Deadweight is the share of the avoided use that would have been
	// avoided anyway, without the programme.
	Deadweight decimal.Decimal
	// Attribution is the share of what remains that is due to the
	// programme rather than to other help the person had.
	Attribution decimal.Decimal
	// OptimismBias is the reduction for each confidence of evidence.
	OptimismBias map[Confidence]decimal.Decimal
}

// DefaultParams returns this package's starting parameters: deadweight
// 20%, attribution 75%, optimism bias 0% for high, 20% for medium and 40%
// for low confidence. They are a starting point to be replaced by a
// council's own, stated in its report.
func DefaultParams() Params {
	return Params{Deadweight: decimal.NewFromInt(20), Attribution: decimal.NewFromInt(75),
		OptimismBias: map[Confidence]decimal.Decimal{High: decimal.Zero, Medium: decimal.NewFromInt(20), Low: decimal.NewFromInt(40)}}
}

var hundred = decimal.NewFromInt(100)

// Check refuses a parameter outside 0–100% (ErrOutOfRange) or a missing
// optimism bias for a confidence.
func (p Params) Check() error {
	pct := func(field string, v decimal.Decimal) error {
		if v.IsNegative() || v.GreaterThan(hundred) {
			return fieldErr(ErrOutOfRange, field, "is %s%%; a share is 0-100%%", v)
		}
		return nil
	}
	if err := pct("Deadweight", p.Deadweight); err != nil {
		return err
	}
	if err := pct("Attribution", p.Attribution); err != nil {
		return err
	}
	for _, c := range Confidences() {
		v, ok := p.OptimismBias[c]
		if !ok {
			return fieldErr(ErrInvalid, "OptimismBias["+string(c)+"]", "is required")
		}
		if err := pct("OptimismBias["+string(c)+"]", v); err != nil {
			return err
		}
	}
	return nil
}

// Range is an amount in pounds between Low and High.
type Range struct {
	Low, High decimal.Decimal
}

// Add returns r + o.
func (r Range) Add(o Range) Range { return Range{r.Low.Add(o.Low), r.High.Add(o.High)} }

// Sub returns r − o.
func (r Range) Sub(o Range) Range { return Range{r.Low.Sub(o.Low), r.High.Sub(o.High)} }

// String prints the range to the pound: "£1,220–£3,159", or one figure
// when both ends are equal.
func (r Range) String() string {
	lo, hi := r.Low.Round(0), r.High.Round(0)
	if lo.Equal(hi) {
		return Pounds(lo)
	}
	return Pounds(lo) + "–" + Pounds(hi)
}

func (r Range) mul(f decimal.Decimal) Range { return Range{r.Low.Mul(f), r.High.Mul(f)} }

// Line is the valuation of one unit cost within a programme.
type Line struct {
	Unit     UnitCost
	Quantity decimal.Decimal
	Events   int
	// Gross is Quantity × the unit cost.
	Gross Range
	// Deadweight, Attribution and OptimismBias are the amounts each
	// adjustment takes away, in the order they are applied.
	Deadweight, Attribution, OptimismBias Range
	// Net is Gross less the three adjustments.
	Net Range
}

// AreaValue is the gross and net value of a programme's avoided events in
// one area.
type AreaValue struct {
	Area       string
	Events     int
	Gross, Net Range
}

// Programme is the valuation of one programme's avoided events.
type Programme struct {
	Programme string
	Lines     []Line
	// Areas values the events by the area they name ("" for none), by
	// area.
	Areas []AreaValue
	Gross Range
	// Deadweight, Attribution and OptimismBias total the lines'.
	Deadweight, Attribution, OptimismBias Range
	Net                                   Range
	// Cost is what the programme cost in the period, when the caller
	// supplied it; nil otherwise.
	Cost *decimal.Decimal
}

// Report is a valuation of avoided service use over a period, with its
// assumptions. It names no person.
type Report struct {
	From, To   time.Time
	Params     Params
	PriceBases []string
	Programmes []Programme
	Gross, Net Range
}

// Valuer values avoided events against a catalogue of unit costs.
type Valuer struct {
	units  map[string]UnitCost
	params Params
}

// NewValuer returns a Valuer over units with params. It refuses bad
// params (ErrOutOfRange), a bad unit cost (ErrNoSource, ErrInvalid) or two
// with one id.
func NewValuer(units []UnitCost, params Params) (*Valuer, error) {
	if err := params.Check(); err != nil {
		return nil, fmt.Errorf("new valuer: %w", err)
	}
	v := &Valuer{units: map[string]UnitCost{}, params: cloneParams(params)}
	for i, u := range units {
		if err := u.Check(); err != nil {
			return nil, fmt.Errorf("new valuer: unit cost %d: %w", i, err)
		}
		if _, dup := v.units[u.ID]; dup {
			return nil, fmt.Errorf("new valuer: %w", fieldErr(ErrInvalid, fmt.Sprintf("units[%d].ID", i), "%s is given twice", u.ID))
		}
		v.units[u.ID] = u
	}
	return v, nil
}

func cloneParams(p Params) Params {
	q := p
	q.OptimismBias = map[Confidence]decimal.Decimal{}
	for k, v := range p.OptimismBias {
		q.OptimismBias[k] = v
	}
	return q
}

// Report values the events of src dated in [from, to). cost, when not
// nil, gives each programme's cost in the period to set beside it. An
// event that fails Event.Check or names an unknown unit cost is an error
// and no report is made.
func (v *Valuer) Report(ctx context.Context, src Source, from, to time.Time, cost map[string]decimal.Decimal) (*Report, error) {
	events, err := src.AvoidedEvents(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("costs report: %w", err)
	}
	return v.Value(events, from, to, cost)
}

// Value values events as Report does.
func (v *Valuer) Value(events []Event, from, to time.Time, cost map[string]decimal.Decimal) (*Report, error) {
	type key struct {
		prog, unit, area string
		conf             Confidence
	}
	sums := map[key]*struct {
		q decimal.Decimal
		n int
	}{}
	for i, e := range events {
		if err := e.Check(); err != nil {
			return nil, fmt.Errorf("costs report: event %d: %w", i, err)
		}
		if _, ok := v.units[e.Unit]; !ok {
			return nil, fmt.Errorf("costs report: event %d: %w", i, fieldErr(ErrUnknownUnit, "Unit", "%s is not in the catalogue", e.Unit))
		}
		k := key{e.Programme, e.Unit, e.Area, e.Confidence}
		s := sums[k]
		if s == nil {
			s = &struct {
				q decimal.Decimal
				n int
			}{}
			sums[k] = s
		}
		s.q = s.q.Add(e.Quantity)
		s.n++
	}
	keep := decimal.NewFromInt(1).Sub(v.params.Deadweight.Div(hundred))
	attr := v.params.Attribution.Div(hundred)
	lines := map[[2]string]*Line{}
	areas := map[[2]string]*AreaValue{}
	for k, s := range sums {
		u := v.units[k.unit]
		gross := Range{u.Low.Mul(s.q), u.High.Mul(s.q)}
		afterDW := gross.mul(keep)
		afterAttr := afterDW.mul(attr)
		net := afterAttr.mul(decimal.NewFromInt(1).Sub(v.params.OptimismBias[k.conf].Div(hundred)))
		lk := [2]string{k.prog, k.unit}
		l := lines[lk]
		if l == nil {
			l = &Line{Unit: u}
			lines[lk] = l
		}
		l.Quantity = l.Quantity.Add(s.q)
		l.Events += s.n
		l.Gross = l.Gross.Add(gross)
		l.Deadweight = l.Deadweight.Add(gross.Sub(afterDW))
		l.Attribution = l.Attribution.Add(afterDW.Sub(afterAttr))
		l.OptimismBias = l.OptimismBias.Add(afterAttr.Sub(net))
		l.Net = l.Net.Add(net)
		ak := [2]string{k.prog, k.area}
		a := areas[ak]
		if a == nil {
			a = &AreaValue{Area: k.area}
			areas[ak] = a
		}
		a.Events += s.n
		a.Gross, a.Net = a.Gross.Add(gross), a.Net.Add(net)
	}
	r := &Report{From: from, To: to, Params: cloneParams(v.params)}
	progs := map[string]*Programme{}
	bases := map[string]bool{}
	for lk, l := range lines {
		p := progs[lk[0]]
		if p == nil {
			p = &Programme{Programme: lk[0]}
			progs[lk[0]] = p
		}
		p.Lines = append(p.Lines, *l)
		p.Gross, p.Net = p.Gross.Add(l.Gross), p.Net.Add(l.Net)
		p.Deadweight = p.Deadweight.Add(l.Deadweight)
		p.Attribution = p.Attribution.Add(l.Attribution)
		p.OptimismBias = p.OptimismBias.Add(l.OptimismBias)
		bases[l.Unit.PriceBase] = true
	}
	for ak, a := range areas {
		p := progs[ak[0]]
		p.Areas = append(p.Areas, *a)
	}
	for name, c := range cost {
		if c.IsNegative() {
			return nil, fmt.Errorf("costs report: %w", fieldErr(ErrNegative, "cost["+name+"]", "is %s", c))
		}
		if progs[name] == nil {
			progs[name] = &Programme{Programme: name}
		}
		c := c
		progs[name].Cost = &c
	}
	for _, p := range progs {
		slices.SortFunc(p.Lines, func(a, b Line) int { return strings.Compare(a.Unit.ID, b.Unit.ID) })
		slices.SortFunc(p.Areas, func(a, b AreaValue) int { return strings.Compare(a.Area, b.Area) })
		r.Programmes = append(r.Programmes, *p)
		r.Gross, r.Net = r.Gross.Add(p.Gross), r.Net.Add(p.Net)
	}
	slices.SortFunc(r.Programmes, func(a, b Programme) int { return strings.Compare(a.Programme, b.Programme) })
	for b := range bases {
		r.PriceBases = append(r.PriceBases, b)
	}
	slices.Sort(r.PriceBases)
	return r, nil
}

// Text prints the report: the assumptions, then for each programme the
// gross range, each adjustment, the net range, and its cost when known.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Costs avoided %s to %s, prices %s\n", r.From.Format(time.DateOnly), r.To.Format(time.DateOnly), strings.Join(r.PriceBases, ", "))
	if len(r.PriceBases) > 1 {
		fmt.Fprintf(&b, "Warning: unit costs in %d price bases are added without uplift to one\n", len(r.PriceBases))
	}
	fmt.Fprintf(&b, "Assumptions: deadweight %s%%, attribution %s%%, optimism bias %s%% (high), %s%% (medium), %s%% (low)\n",
		r.Params.Deadweight, r.Params.Attribution, r.Params.OptimismBias[High], r.Params.OptimismBias[Medium], r.Params.OptimismBias[Low])
	for _, p := range r.Programmes {
		fmt.Fprintf(&b, "%s\n", p.Programme)
		for _, l := range p.Lines {
			fmt.Fprintf(&b, "  %s %s × %s: gross %s\n", l.Quantity, l.Unit.Unit, l.Unit, l.Gross)
		}
		fmt.Fprintf(&b, "  gross %s\n  less deadweight %s\n  less attribution %s\n  less optimism bias %s\n  net %s\n",
			p.Gross, p.Deadweight, p.Attribution, p.OptimismBias, p.Net)
		if len(p.Areas) > 1 {
			for _, a := range p.Areas {
				fmt.Fprintf(&b, "  in %s: %d events, gross %s, net %s\n", a.Area, a.Events, a.Gross, a.Net)
			}
		}
		if p.Cost != nil {
			fmt.Fprintf(&b, "  programme cost %s\n", Pounds(p.Cost.Round(0)))
		}
	}
	fmt.Fprintf(&b, "Total: gross %s, net %s\n", r.Gross, r.Net)
	return b.String()
}
