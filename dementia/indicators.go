package dementia

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// maxBands bounds the age bands of a table or a population.
const maxBands = 1000

// z95 is the standard normal quantile of a 95% two-sided interval.
const z95 = 1.959963984540054

// Value is an indicator's value: a count over a denominator, as a
// percentage to 1 decimal place, with its 95% Wilson score interval.
type Value struct {
	Count       int64
	Denominator decimal.Decimal
	Percent     decimal.Decimal
	Lower       decimal.Decimal
	Upper       decimal.Decimal
}

// NewValue returns count over denominator with its Wilson interval. A
// zero denominator gives a zero value with an interval from 0 to 100.
func NewValue(count int64, denominator decimal.Decimal) Value {
	v := Value{Count: count, Denominator: denominator, Upper: decimal.NewFromInt(100)}
	if !denominator.IsPositive() {
		return v
	}
	v.Percent = decimal.NewFromInt(count).Mul(decimal.NewFromInt(100)).Div(denominator).Round(1)
	lo, hi := Wilson(float64(count), denominator.InexactFloat64())
	v.Lower = decimal.NewFromFloat(lo * 100).Round(1)
	v.Upper = decimal.NewFromFloat(hi * 100).Round(1)
	return v
}

// Wilson returns the 95% Wilson score interval of x successes in n trials,
// as proportions. The proportion x/n may exceed 1 for an estimated
// denominator (a diagnosis rate over 100%); the interval is then computed
// for the proportion as it is.
func Wilson(x, n float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	p := x / n
	z2 := z95 * z95
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z95 / den * math.Sqrt(math.Max(p*(1-p), 0)/n+z2/(4*n*n))
	return math.Max(centre-half, 0), centre + half
}

// Bands returns the age bands of a prevalence table, in order.
func (p *Prevalence) Bands() []string {
	var out []string
	for _, r := range p.Rates {
		if !slices.Contains(out, r.Band) {
			out = append(out, r.Band)
		}
	}
	return out
}

func (p NewPrevalence) check() error {
	if err := checkText("ID", p.ID, maxID, true); err != nil {
		return err
	}
	if err := checkText("Source", p.Source, maxText, true); err != nil {
		return err
	}
	if len(p.Rates) == 0 {
		return fieldErr(ErrIncompletePrevalence, "Rates", "the table has no rates")
	}
	if len(p.Rates) > 2*maxBands {
		return invalid("Rates", "has more than %d rates", 2*maxBands)
	}
	seen := map[string]map[Sex]bool{}
	var bands []string
	for i, r := range p.Rates {
		f := fmt.Sprintf("Rates[%d]", i)
		if err := checkText(f+".Band", r.Band, maxID, true); err != nil {
			return err
		}
		if r.Sex != Female && r.Sex != Male {
			return invalid(f+".Sex", "%q is not female or male", r.Sex)
		}
		if r.Rate.IsNegative() || r.Rate.GreaterThan(decimal.NewFromInt(1)) {
			return invalid(f+".Rate", "%s is not a proportion from 0 to 1", r.Rate)
		}
		if seen[r.Band] == nil {
			seen[r.Band] = map[Sex]bool{}
			bands = append(bands, r.Band)
		}
		if seen[r.Band][r.Sex] {
			return invalid(f, "band %s has two rates for %s", r.Band, r.Sex)
		}
		seen[r.Band][r.Sex] = true
	}
	for _, b := range bands {
		for _, sx := range []Sex{Female, Male} {
			if !seen[b][sx] {
				return fieldErr(ErrIncompletePrevalence, "Rates", "band %s has no rate for %s", b, sx)
			}
		}
	}
	return nil
}

// LoadPrevalence loads a prevalence table with its source, replacing the
// table of the same id. Every band needs a rate for both sexes
// (ErrIncompletePrevalence). Only a recorder may.
func (s *Service) LoadPrevalence(ctx context.Context, w call.Write, p NewPrevalence) (*Prevalence, error) {
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("dementia.prevalence: %w", err)
	}
	p.Rates = slices.Clone(p.Rates)
	return write(ctx, s, w, "dementia.prevalence", p, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			t := &Prevalence{ID: p.ID, Source: p.Source, Rates: p.Rates, Version: 1, CreatedAt: now}
			if old, err := s.store.Prevalence(ctx, p.ID); err == nil {
				t.Version, t.CreatedAt = old.Version+1, old.CreatedAt
			}
			return &Batch{Prevalence: []*Prevalence{t}}, t.ID, nil
		}, s.store.Prevalence)
}

// RegisterID is the id of a practice's register on a day.
func RegisterID(practice string, on time.Time) string {
	return practice + "@" + day(on).Format(time.DateOnly)
}

func (r NewRegister) check() error {
	if err := checkText("Practice", r.Practice, maxID, true); err != nil {
		return err
	}
	if strings.Contains(r.Practice, "@") {
		return invalid("Practice", "holds @")
	}
	if err := checkText("PCN", r.PCN, maxID, false); err != nil {
		return err
	}
	if err := checkDate("On", r.On); err != nil {
		return err
	}
	if err := checkCount("Diagnosed", r.Diagnosed); err != nil {
		return err
	}
	if len(r.Population) > maxBands {
		return invalid("Population", "has more than %d bands", maxBands)
	}
	var pop int64
	for i, c := range r.Population {
		if err := checkCount(fmt.Sprintf("Population[%d].Count", i), c.Count); err != nil {
			return err
		}
		if c.Sex != Female && c.Sex != Male {
			return invalid(fmt.Sprintf("Population[%d].Sex", i), "%q is not female or male", c.Sex)
		}
		pop += c.Count
	}
	if r.Diagnosed > pop {
		return fieldErr(ErrNumeratorOverDenominator, "Diagnosed", "%d diagnosed out of %d registered patients aged 65+", r.Diagnosed, pop)
	}
	return nil
}

// RecordRegister records a practice's population by band and its
// dementia register on a day, replacing an earlier record of that day.
// Only a recorder may.
func (s *Service) RecordRegister(ctx context.Context, w call.Write, r NewRegister) (*Register, error) {
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("dementia.register: %w", err)
	}
	r.Population = slices.Clone(r.Population)
	return write(ctx, s, w, "dementia.register", r, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			return s.registerBatch(ctx, []NewRegister{r}, now)
		}, func(ctx context.Context, id string) (*Register, error) {
			all, err := s.store.Registers(ctx, day(r.On))
			if err != nil {
				return nil, err
			}
			for _, x := range all {
				if x.ID == id {
					return x, nil
				}
			}
			return nil, fmt.Errorf("register %s: %w", id, ErrNotFound)
		})
}

func (s *Service) registerBatch(ctx context.Context, rs []NewRegister, now time.Time) (*Batch, string, error) {
	b := &Batch{}
	olds := map[time.Time]map[string]*Register{}
	for _, r := range rs {
		d := day(r.On)
		if olds[d] == nil {
			all, err := s.store.Registers(ctx, d)
			if err != nil {
				return nil, "", err
			}
			olds[d] = map[string]*Register{}
			for _, x := range all {
				olds[d][x.ID] = x
			}
		}
		x := &Register{ID: RegisterID(r.Practice, d), Practice: r.Practice, PCN: r.PCN, On: d, Population: r.Population, Diagnosed: r.Diagnosed, Version: 1, CreatedAt: now}
		if old := olds[d][x.ID]; old != nil {
			x.Version, x.CreatedAt = old.Version+1, old.CreatedAt
		}
		b.Registers = append(b.Registers, x)
	}
	return b, b.Registers[len(b.Registers)-1].ID, nil
}

// Diagnosis is the estimated diagnosis rate (65+) of one practice, PCN or
// the borough: the diagnosed patients over the expected number of people
// with dementia.
type Diagnosis struct {
	Name     string // a practice, a PCN, or "" for the borough
	Expected decimal.Decimal
	Value    Value
}

// DiagnosisReport is the diagnosis rate per practice, per PCN and for
// the borough, on a day, with the prevalence table's source.
type DiagnosisReport struct {
	On        time.Time
	Source    string
	Practices []Diagnosis
	PCNs      []Diagnosis
	Borough   Diagnosis
}

// Expected returns the expected number of people with dementia in a
// population: each band's count times its rate. A count for a band and
// sex the table lacks is ErrNoBand.
func Expected(p *Prevalence, pop []BandCount) (decimal.Decimal, error) {
	rates := make(map[string]decimal.Decimal, len(p.Rates))
	for _, r := range p.Rates {
		rates[r.Band+"\x00"+string(r.Sex)] = r.Rate
	}
	sum := decimal.Zero
	for i, c := range pop {
		rate, ok := rates[c.Band+"\x00"+string(c.Sex)]
		if !ok {
			return decimal.Zero, fieldErr(ErrNoBand, fmt.Sprintf("Population[%d]", i), "table %s has no rate for %s %s", p.ID, c.Band, c.Sex)
		}
		sum = sum.Add(rate.Mul(decimal.NewFromInt(c.Count)))
	}
	return sum, nil
}

// DiagnosisRate computes the diagnosis rate of each register, PCN and the
// borough with the prevalence table p.
func DiagnosisRate(p *Prevalence, regs []*Register) (*DiagnosisReport, error) {
	r := &DiagnosisReport{Source: p.Source, Practices: []Diagnosis{}, PCNs: []Diagnosis{}}
	type acc struct {
		n   int64
		exp decimal.Decimal
	}
	pcns := map[string]*acc{}
	var order []string
	var all acc
	for _, reg := range regs {
		exp, err := Expected(p, reg.Population)
		if err != nil {
			return nil, fmt.Errorf("practice %s: %w", reg.Practice, err)
		}
		r.On = reg.On
		r.Practices = append(r.Practices, Diagnosis{Name: reg.Practice, Expected: exp, Value: NewValue(reg.Diagnosed, exp)})
		if pcns[reg.PCN] == nil {
			pcns[reg.PCN] = &acc{}
			order = append(order, reg.PCN)
		}
		pcns[reg.PCN].n += reg.Diagnosed
		pcns[reg.PCN].exp = pcns[reg.PCN].exp.Add(exp)
		all.n += reg.Diagnosed
		all.exp = all.exp.Add(exp)
	}
	slices.Sort(order)
	for _, name := range order {
		a := pcns[name]
		r.PCNs = append(r.PCNs, Diagnosis{Name: name, Expected: a.exp, Value: NewValue(a.n, a.exp)})
	}
	r.Borough = Diagnosis{Expected: all.exp, Value: NewValue(all.n, all.exp)}
	return r, nil
}

// DiagnosisRate returns the diagnosis rate of the registers recorded on a
// day, with prevalence table prevalence. It holds counts only and is open.
func (s *Service) DiagnosisRate(ctx context.Context, prevalence string, on time.Time) (*DiagnosisReport, error) {
	p, err := get(ctx, s.store.Prevalence, "prevalence", prevalence)
	if err != nil {
		return nil, fmt.Errorf("dementia.diagnosis: %w", err)
	}
	regs, err := s.store.Registers(ctx, day(on))
	if err != nil {
		return nil, fmt.Errorf("dementia.diagnosis: %w", err)
	}
	r, err := DiagnosisRate(p, regs)
	if err != nil {
		return nil, fmt.Errorf("dementia.diagnosis: %w", err)
	}
	r.On = day(on)
	return r, nil
}

var yearRE = regexp.MustCompile(`^(\d{4})/(\d{2})$`)

// checkYear checks a financial year written as "2014/15".
func checkYear(field, y string) error {
	m := yearRE.FindStringSubmatch(y)
	if m == nil {
		return invalid(field, "%q is not a year as 2014/15", y)
	}
	var a, b int
	fmt.Sscan(m[1], &a)
	fmt.Sscan(m[2], &b)
	if (a+1)%100 != b {
		return invalid(field, "%q: the second year does not follow the first", y)
	}
	return nil
}

// ReviewID is the id of a practice's care-plan review counts of a year.
func ReviewID(practice, year string) string { return practice + "@" + year }

func (r NewReview) check() error {
	if err := checkText("Practice", r.Practice, maxID, true); err != nil {
		return err
	}
	if strings.Contains(r.Practice, "@") {
		return invalid("Practice", "holds @")
	}
	if err := checkText("PCN", r.PCN, maxID, false); err != nil {
		return err
	}
	if err := checkYear("Year", r.Year); err != nil {
		return err
	}
	a := r.Adjustments
	for f, n := range map[string]int64{"Numerator": r.Numerator, "Register": r.Register, "Adjustments.Unsuitable": a.Unsuitable,
		"Adjustments.Dissent": a.Dissent, "Adjustments.NoResponse": a.NoResponse, "Adjustments.Unavailable": a.Unavailable, "Adjustments.New": a.New} {
		if err := checkCount(f, n); err != nil {
			return err
		}
	}
	if a.Total() > r.Register {
		return fieldErr(ErrAdjustmentsOverRegister, "Adjustments", "%d adjustments on a register of %d", a.Total(), r.Register)
	}
	if r.Numerator > r.Register-a.Total() {
		return fieldErr(ErrNumeratorOverDenominator, "Numerator", "%d reviewed out of a denominator of %d", r.Numerator, r.Register-a.Total())
	}
	return nil
}

// RecordReview records a practice's care-plan review counts for a year,
// replacing earlier counts of that practice and year. Only a recorder
// may.
func (s *Service) RecordReview(ctx context.Context, w call.Write, r NewReview) (*Review, error) {
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("dementia.review: %w", err)
	}
	return write(ctx, s, w, "dementia.review", r, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) { return s.reviewBatch(ctx, []NewReview{r}, now) },
		func(ctx context.Context, id string) (*Review, error) { return s.review(ctx, r.Year, id) })
}

func (s *Service) review(ctx context.Context, year, id string) (*Review, error) {
	all, err := s.store.Reviews(ctx, year)
	if err != nil {
		return nil, err
	}
	for _, x := range all {
		if x.ID == id {
			return x, nil
		}
	}
	return nil, fmt.Errorf("review %s: %w", id, ErrNotFound)
}

func (s *Service) reviewBatch(ctx context.Context, rs []NewReview, now time.Time) (*Batch, string, error) {
	b := &Batch{}
	olds := map[string]map[string]*Review{}
	for _, r := range rs {
		if olds[r.Year] == nil {
			all, err := s.store.Reviews(ctx, r.Year)
			if err != nil {
				return nil, "", err
			}
			olds[r.Year] = map[string]*Review{}
			for _, x := range all {
				olds[r.Year][x.ID] = x
			}
		}
		x := &Review{ID: ReviewID(r.Practice, r.Year), Practice: r.Practice, PCN: r.PCN, Year: r.Year, Numerator: r.Numerator,
			Register: r.Register, Adjustments: r.Adjustments, Version: 1, CreatedAt: now}
		if old := olds[r.Year][x.ID]; old != nil {
			x.Version, x.CreatedAt = old.Version+1, old.CreatedAt
		}
		b.Reviews = append(b.Reviews, x)
	}
	return b, b.Reviews[len(b.Reviews)-1].ID, nil
}

// CarePlan is one practice's, PCN's or the borough's care-plan reviews in
// a year: achievement = numerator ÷ (register − adjustments) and coverage
// = numerator ÷ register, with the adjustments by reason.
type CarePlan struct {
	Name        string
	Register    int64
	Adjustments Adjustments
	Achievement Value
	Coverage    Value
}

// CarePlanReport is the care-plan review indicator of a year.
type CarePlanReport struct {
	Year      string
	Practices []CarePlan
	PCNs      []CarePlan
	Borough   CarePlan
}

func carePlan(name string, num, reg int64, a Adjustments) CarePlan {
	return CarePlan{Name: name, Register: reg, Adjustments: a,
		Achievement: NewValue(num, decimal.NewFromInt(reg-a.Total())),
		Coverage:    NewValue(num, decimal.NewFromInt(reg))}
}

func addAdj(a, b Adjustments) Adjustments {
	return Adjustments{a.Unsuitable + b.Unsuitable, a.Dissent + b.Dissent, a.NoResponse + b.NoResponse, a.Unavailable + b.Unavailable, a.New + b.New}
}

// CarePlanReviews computes the care-plan review indicator from the
// reviews of one year.
func CarePlanReviews(year string, reviews []*Review) *CarePlanReport {
	r := &CarePlanReport{Year: year, Practices: []CarePlan{}, PCNs: []CarePlan{}}
	type acc struct {
		num, reg int64
		adj      Adjustments
	}
	pcns := map[string]*acc{}
	var all acc
	for _, x := range reviews {
		r.Practices = append(r.Practices, carePlan(x.Practice, x.Numerator, x.Register, x.Adjustments))
		if pcns[x.PCN] == nil {
			pcns[x.PCN] = &acc{}
		}
		for _, a := range []*acc{pcns[x.PCN], &all} {
			a.num += x.Numerator
			a.reg += x.Register
			a.adj = addAdj(a.adj, x.Adjustments)
		}
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range pcns {
			if !yield(k) {
				return
			}
		}
	}) {
		a := pcns[name]
		r.PCNs = append(r.PCNs, carePlan(name, a.num, a.reg, a.adj))
	}
	r.Borough = carePlan("", all.num, all.reg, all.adj)
	return r
}

// CarePlanReviews returns the care-plan review indicator of a year. It
// holds counts only and is open.
func (s *Service) CarePlanReviews(ctx context.Context, year string) (*CarePlanReport, error) {
	if err := checkYear("year", year); err != nil {
		return nil, err
	}
	all, err := s.store.Reviews(ctx, year)
	if err != nil {
		return nil, fmt.Errorf("dementia.careplans: %w", err)
	}
	return CarePlanReviews(year, all), nil
}
