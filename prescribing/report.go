package prescribing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// Report is the scheme's KPIs over a set of practices and a period — the
// measures the Rotherham social prescribing evaluation used: referrals by
// source and by practice, the acceptance rate, waiting times per stage
// (time from referral to first contact above all), activities offered,
// taken up and attended, needs, the mean change in wellbeing with its 95%
// confidence interval (paired before/after only), use of secondary care in
// the 12 months before and after referral (paired too: only people with
// both windows recorded, with a count of those still waiting for one —
// see CareChange), and closures by reason. It
// holds counts only, no patient data, so managers may read it.
type Report struct {
	Practices []string
	From, To  time.Time

	Identified int // referrals made by stratification and not (yet) referred
	Referrals  int // referrals that reached referred
	BySource   map[Source]int
	ByPractice map[string]int
	Accepted   int // referrals that reached accepted
	Declined   int
	// AcceptanceRate is Accepted as a percentage of Referrals, to one
	// decimal place.
	AcceptanceRate decimal.Decimal
	Open           int
	Closed         map[CloseReason]int

	// Waits are the days between stages, over referrals that reached both.
	// The first is referral to first contact. They are computed from
	// whole microseconds and converted to days once (see Wait).
	Waits []Wait

	Needs    map[Need]int
	Offered  int // activities offered
	TakenUp  int
	Attended int
	// PeopleTakingUp counts people who took up at least one activity.
	PeopleTakingUp int

	Wellbeing     []Change
	SecondaryCare CareChange
	Stories       int // stories with consent to publish
}

// Wait is the time between two stages of referrals, in days to one
// decimal place: the exact mean and median of the waits, counted in
// microseconds, divided by the microseconds in a day and then rounded,
// halves away from zero.
type Wait struct {
	From, To State
	N        int
	Mean     decimal.Decimal
	Median   decimal.Decimal
}

// CareChange compares use of secondary care and GP contacts in the 12
// months before and after referral, paired: People counts the referrals
// with both windows recorded, and Before and After total those referrals
// only. A referral with one window so far (typically the before window,
// the after one arriving a year later) is left out of the comparison and
// counted in Incomplete. Change is the percentage change of each total,
// to one decimal place (negative is a fall).
type CareChange struct {
	People     int // referrals with both windows: the comparison's n
	Incomplete int // referrals with only one window recorded so far
	Before     Usage
	After      Usage
	Change     struct {
		AE, Admissions, GPContacts decimal.Decimal
	}
}

// ReportFilter selects what a report counts: referrals of the practices
// listed (all when empty) made in From ≤ CreatedAt < To (zero times do
// not bound).
type ReportFilter struct {
	Practices []string
	From, To  time.Time
}

// waitStages are the stage pairs reported in Report.Waits.
var waitStages = [][2]State{{Referred, Contacted}, {Referred, Accepted}, {Accepted, Contacted}, {Contacted, Assessed}, {Assessed, Connected}}

// Report computes the KPIs. It returns only aggregates (counts, rates,
// waits, paired changes; the ids of the practices counted), but the
// figures of a small practice can come close to a person, so it still
// checks the actor: a manager may report on any practices; other staff on
// the practices they work with. Errors: ErrForbidden.
func (s *Service) Report(ctx context.Context, a call.Actor, f ReportFilter) (*Report, error) {
	actor := a.ID
	m, err := s.staffOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	practices := slices.Clone(f.Practices)
	if len(practices) == 0 {
		ps, err := s.store.Practices(ctx, PracticeFilter{})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			practices = append(practices, p.ID)
		}
	}
	if m.Role != RoleManager {
		for _, p := range practices {
			if !m.worksWith(p) {
				return nil, fieldErr(ErrForbidden, "actor", "%s does not work with practice %s", actor, p)
			}
		}
	}
	var rs []*Referral
	for _, p := range practices {
		rf := ReferralFilter{Practice: p}
		if !f.From.IsZero() {
			rf.From = &f.From
		}
		if !f.To.IsZero() {
			rf.To = &f.To
		}
		got, err := s.store.Referrals(ctx, rf)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		rs = append(rs, got...)
	}
	rep := compute(rs)
	rep.Practices, rep.From, rep.To = practices, f.From, f.To
	return rep, nil
}

// compute computes the KPIs over referrals.
func compute(rs []*Referral) *Report {
	rep := &Report{BySource: map[Source]int{}, ByPractice: map[string]int{}, Closed: map[CloseReason]int{}, Needs: map[Need]int{}}
	waits := make([][]int64, len(waitStages))
	pairs := make(map[Measure][2][]decimal.Decimal)
	for _, r := range rs {
		referred := r.Entered(Referred)
		if referred == nil {
			if r.State == Identified {
				rep.Identified++
			}
			continue
		}
		rep.Referrals++
		rep.BySource[r.Source]++
		rep.ByPractice[r.Practice]++
		if r.Entered(Accepted) != nil {
			rep.Accepted++
		}
		switch r.State {
		case Declined:
			rep.Declined++
		case Closed:
			rep.Closed[r.CloseReason]++
		default:
			rep.Open++
		}
		for i, st := range waitStages {
			a, b := r.Entered(st[0]), r.Entered(st[1])
			if a != nil && b != nil {
				waits[i] = append(waits[i], int64(b.Sub(*a)/time.Microsecond))
			}
		}
		for _, n := range r.Needs {
			rep.Needs[n]++
		}
		took := false
		for _, o := range r.Offers {
			rep.Offered++
			if o.TakenUp != nil {
				rep.TakenUp++
				took = true
			}
			if o.Attended != nil {
				rep.Attended++
			}
		}
		if took {
			rep.PeopleTakingUp++
		}
		for _, m := range Measures() {
			if b, a, ok := r.Pair(m); ok {
				p := pairs[m]
				p[0], p[1] = append(p[0], b), append(p[1], a)
				pairs[m] = p
			}
		}
		if u := r.Usage; u.Complete() {
			c := &rep.SecondaryCare
			c.People++
			c.Before.AE += u.Before.AE
			c.Before.Admissions += u.Before.Admissions
			c.Before.GPContacts += u.Before.GPContacts
			c.After.AE += u.After.AE
			c.After.Admissions += u.After.Admissions
			c.After.GPContacts += u.After.GPContacts
		} else if u != nil && (u.Before != nil || u.After != nil) {
			rep.SecondaryCare.Incomplete++
		}
		for _, st := range r.Stories {
			if st.Consent.Given && st.Consent.Publish {
				rep.Stories++
			}
		}
	}
	rep.AcceptanceRate = percent(rep.Accepted, rep.Referrals)
	for i, st := range waitStages {
		rep.Waits = append(rep.Waits, summarise(st[0], st[1], waits[i]))
	}
	for _, m := range Measures() {
		p := pairs[m]
		rep.Wellbeing = append(rep.Wellbeing, pairedChange(m, p[0], p[1]))
	}
	c := &rep.SecondaryCare
	c.Change.AE = change(c.Before.AE, c.After.AE)
	c.Change.Admissions = change(c.Before.Admissions, c.After.Admissions)
	c.Change.GPContacts = change(c.Before.GPContacts, c.After.GPContacts)
	return rep
}

// percent returns n/d as a percentage to one decimal place (0 if d is 0).
func percent(n, d int) decimal.Decimal {
	if d == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(n)).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(int64(d)), 1)
}

// change returns the percentage change from before to after, to one
// decimal place (0 if before is 0).
func change(before, after int) decimal.Decimal {
	if before == 0 {
		return decimal.Zero
	}
	return percent(after-before, before)
}

// microsPerDay is the microseconds in a day: waits are counted in whole
// microseconds (the precision the Service keeps times to) and turned into
// days once, at the end, so the figures are exact before rounding.
var microsPerDay = decimal.NewFromInt(int64(24 * time.Hour / time.Microsecond))

// summarise gives the mean and median of waits, in microseconds, as days
// to one decimal place (halves rounded away from zero). The sum is exact
// in decimal, so no number of waits overflows it.
func summarise(from, to State, waits []int64) Wait {
	w := Wait{From: from, To: to, N: len(waits)}
	if w.N == 0 {
		return w
	}
	slices.Sort(waits)
	sum := decimal.Zero
	for _, d := range waits {
		sum = sum.Add(decimal.NewFromInt(d))
	}
	w.Mean = sum.DivRound(microsPerDay.Mul(decimal.NewFromInt(int64(w.N))), 1)
	if w.N%2 == 1 {
		w.Median = decimal.NewFromInt(waits[w.N/2]).DivRound(microsPerDay, 1)
	} else {
		mid := decimal.NewFromInt(waits[w.N/2-1]).Add(decimal.NewFromInt(waits[w.N/2]))
		w.Median = mid.DivRound(microsPerDay.Mul(decimal.NewFromInt(2)), 1)
	}
	return w
}
