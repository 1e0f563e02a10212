package grants

import (
	"context"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// Report is a fund's year in figures, as the council reports it: how
// many applied, how many were awarded and to how many groups, the money
// (budget, income, awarded, paid, remaining = budget + income − awarded,
// available = budget + income − committed, unpaid = awarded − paid), the average award, the volunteer time matched (pledged and
// delivered, and its value at the fund's hourly rate), and the spread of
// awards by ward and by priority.
type Report struct {
	Fund string
	Name string
	Year int

	Applications int // submitted, in any state after draft
	Awards       int // awarded, paid, monitored or closed
	Groups       int // distinct applicants among the awards
	Pending      int // approved, not yet awarded

	Budget       decimal.Decimal
	Income       decimal.Decimal // received in the year, net of reversals (see RecordIncome)
	Committed    decimal.Decimal // awards plus pending approvals
	Available    decimal.Decimal // budget + income − committed: what may still be awarded
	Awarded      decimal.Decimal
	Paid         decimal.Decimal
	Remaining    decimal.Decimal
	Unpaid       decimal.Decimal
	AverageAward decimal.Decimal // to the penny

	PledgedMinutes   int64
	DeliveredMinutes int64
	HourlyRate       decimal.Decimal // from the fund's match rule, if any
	MatchedValue     decimal.Decimal // pledged hours × HourlyRate
	DeliveredValue   decimal.Decimal // delivered hours × HourlyRate
	CashMatch        decimal.Decimal
	InKindMatch      decimal.Decimal

	ByWard     []Spread // ordered by name
	ByPriority []Spread
}

// Spread is the awards in one ward or for one priority.
type Spread struct {
	Name    string
	Awards  int
	Awarded decimal.Decimal
}

// Report builds a fund's report for financial year y from its
// applications. It returns only aggregates and checks no role: counts,
// money, minutes, and spreads by ward and priority, never an applicant.
// Errors: ErrInvalid, ErrNotFound (no such fund).
func (s *Service) Report(ctx context.Context, fundID string, y int) (*Report, error) {
	if err := checkID("fund", fundID); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	f, err := s.store.Fund(ctx, fundID)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	apps, err := s.store.Applications(ctx, ApplicationFilter{Fund: fundID, Year: y})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	t, err := s.store.Totals(ctx, fundID, y)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r := build(f, y, apps)
	r.Committed, r.Paid, r.Income = t.Committed, t.Paid, t.Income
	r.Unpaid = r.Awarded.Sub(r.Paid)
	r.Remaining = r.Budget.Add(r.Income).Sub(r.Awarded)
	r.Available = r.Budget.Add(r.Income).Sub(r.Committed)
	return r, nil
}

// build computes a report from a fund and its applications for year y
// (applications of other years are ignored). Committed and Paid come from
// the applications' own figures; Income is left zero, so Remaining and
// Available count the budget alone.
func build(f *Fund, y int, apps []*Application) *Report {
	r := &Report{Fund: f.ID, Name: f.Name, Year: y}
	r.Budget, _ = f.BudgetFor(y)
	rate := hourlyRate(f.Rules)
	r.HourlyRate = rate
	groups := map[string]bool{}
	wards, prios := map[string]*Spread{}, map[string]*Spread{}
	for _, a := range apps {
		if a.Fund != f.ID || a.Year != y || a.Status == Draft {
			continue
		}
		r.Applications++
		if committed(a.Status) {
			r.Committed = r.Committed.Add(a.Award)
		}
		if a.Status == Approved {
			r.Pending++
			continue
		}
		if !a.IsAwarded() {
			continue
		}
		r.Awards++
		r.Awarded = r.Awarded.Add(a.Award)
		r.Paid = r.Paid.Add(a.Paid)
		groups[groupKey(a)] = true
		r.PledgedMinutes += a.PledgedMinutes()
		r.DeliveredMinutes += a.DeliveredMinutes()
		r.CashMatch = r.CashMatch.Add(a.CashMatch)
		r.InKindMatch = r.InKindMatch.Add(a.InKindMatch)
		add(wards, a.Ward, a.Award)
		for _, p := range a.Priorities {
			if slices.Contains(f.Priorities, p) {
				add(prios, p, a.Award)
			}
		}
	}
	r.Groups = len(groups)
	r.Remaining = r.Budget.Sub(r.Awarded)
	r.Available = r.Budget.Sub(r.Committed)
	r.Unpaid = r.Awarded.Sub(r.Paid)
	if r.Awards > 0 {
		r.AverageAward = r.Awarded.DivRound(decimal.NewFromInt(int64(r.Awards)), 2)
	}
	r.MatchedValue = rate.Mul(decimal.NewFromInt(r.PledgedMinutes)).Div(hour).Round(2)
	r.DeliveredValue = rate.Mul(decimal.NewFromInt(r.DeliveredMinutes)).Div(hour).Round(2)
	r.ByWard, r.ByPriority = spreads(wards), spreads(prios)
	return r
}

// groupKey identifies an applicant: by organisation id, else by name.
func groupKey(a *Application) string {
	if a.Applicant.OrgID != "" {
		return a.Applicant.OrgID
	}
	return ideaKey(string(a.Applicant.Type) + " " + a.Applicant.Name)
}

func add(m map[string]*Spread, name string, amount decimal.Decimal) {
	if name == "" {
		name = "(none)"
	}
	s := m[name]
	if s == nil {
		s = &Spread{Name: name}
		m[name] = s
	}
	s.Awards++
	s.Awarded = s.Awarded.Add(amount)
}

func spreads(m map[string]*Spread) []Spread {
	out := make([]Spread, 0, len(m))
	for _, s := range m {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Spread) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out
}

// hourlyRate finds the first match rule's hourly rate, searching composed
// rules too.
func hourlyRate(rules []Rule) decimal.Decimal {
	for i := range rules {
		r := &rules[i]
		if r.Kind == KindMatch && r.HourlyRate != nil {
			return *r.HourlyRate
		}
		if d := hourlyRate(r.Rules); !d.IsZero() {
			return d
		}
	}
	return decimal.Zero
}
