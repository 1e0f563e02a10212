package borough

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/prescribing"
)

// Pilot describes a social prescribing pilot to generate: the totals
// GeneratePilot holds fixed.
type Pilot struct {
	Manager  string          // the staff id of the scheme manager GeneratePilot appoints with Bootstrap
	Areas    []string        // one GP practice in each
	Wards    []string        // the ward of each area's practice, in Areas' order; nil or short for none
	ListSize int             // patients on each practice's list, all scored
	Percent  decimal.Decimal // the share of each list risk stratification selects (3–5)
	Start    time.Time       // the pilot's first day
	Months   int             // how long it runs; nothing happens after
}

// ThurrockPilot returns the pilot of seed document 000: 12 months from October
// 2016 in Aveley, Purfleet, Tilbury and East Tilbury, stratifying the top
// 3% of each practice's list. The list size is the generator's choice: a
// small practice's, so the example stays quick.
func ThurrockPilot() Pilot {
	return Pilot{Manager: "stf-scheme-manager", Areas: []string{"Aveley", "Purfleet", "Tilbury", "East Tilbury"},
		Wards:    []string{"Aveley and Uplands", "West Thurrock and South Stifford", "Tilbury St Chads", "East Tilbury"},
		ListSize: 1200, Percent: decimal.NewFromInt(3), Start: time.Date(2016, time.October, 3, 0, 0, 0, 0, time.UTC), Months: 12}
}

// Times returns the pilot n times the size (n ≥ 1): n practices in each
// area, the first keeping the area's name and the others numbered
// ("Aveley 2") and in the area's ward, each with the same list. Times(1)
// is p.
func (p Pilot) Times(n int) Pilot {
	if n <= 1 {
		return p
	}
	q := p
	q.Areas = make([]string, 0, len(p.Areas)*n)
	q.Areas = append(q.Areas, p.Areas...)
	q.Wards = nil
	for k := 1; k <= n; k++ {
		for i, a := range p.Areas {
			if k > 1 {
				q.Areas = append(q.Areas, fmt.Sprintf("%s %d", a, k))
			}
			ward := ""
			if i < len(p.Wards) {
				ward = p.Wards[i]
			}
			q.Wards = append(q.Wards, ward)
		}
	}
	return q
}

// End returns the first instant after the pilot.
func (p Pilot) End() time.Time { return p.Start.AddDate(0, p.Months, 0) }

// PilotRun is what GeneratePilot made: the ids an app needs to read it back.
type PilotRun struct {
	Manager   string                        // the scheme manager (reads the KPIs)
	Practices []*prescribing.Practice       // in the order of Pilot.Areas
	GPs       map[string]string             // practice id → its GP's staff id
	Advisors  map[string]string             // practice id → its advisor's staff id
	Strata    []*prescribing.Stratification // one per practice, as adjusted
	Meetings  []*prescribing.Meeting
	Referrals []string // every referral made, in the order made
}

// GeneratePilot runs a social prescribing pilot through svc's public
// operations, on an empty store: it appoints want.Manager the first
// manager (Service.Bootstrap), registers a practice in each of want.Areas with a GP,
// a practice nurse and an advisor (and a community matron and a social
// worker working with them all), imports a risk score file of
// want.ListSize patients per practice (PARR scores), stratifies the top
// want.Percent, lets the GP add a patient by clinical judgement and
// remove one, identifies the cohort, and holds three monthly MDT meetings
// per practice that review the whole cohort (most referred, some given a
// medical pathway or no action). A few patients outside the cohort are
// referred directly by a GP or a nurse.
//
// Each referral then runs its own course: the person may decline, the
// advisor may not reach them, or the advisor accepts, makes contact,
// assesses their needs and baseline wellbeing (SWEMWBS and ONS4), matches
// activities through dir (svc.Match) and connects them, records which they
// took up, perhaps holds and resumes the referral, reviews with a
// follow-up measurement and closes it. The person's use of secondary care
// is recorded in two parts, as real data arrives: the 12 months before
// referral when they are assessed, the 12 months after when the referral
// closes, so referrals still open at the pilot's end have only the before
// window (the report's CareChange.Incomplete). A couple of closed
// referrals get a story with consent.
// Whatever would happen after the pilot's end does not: those referrals
// stay open. The people, scores, needs, wellbeing and timings are
// pseudo-random from seed; only want's totals are fixed.
//
// set moves svc's clock: every operation happens at its own date, so the
// waits between stages are those generated.
func GeneratePilot(ctx context.Context, svc *prescribing.Service, set func(time.Time), dir prescribing.Directory, want Pilot, seed uint64) (*PilotRun, error) {
	g := &pilotGen{ctx: ctx, svc: svc, set: set, dir: dir, want: want, rnd: rand.New(rand.NewPCG(seed, seed^0x50c1a1)),
		run: &PilotRun{GPs: map[string]string{}, Advisors: map[string]string{}}, refs: map[string]*pilotRef{}}
	if err := g.setup(); err != nil {
		return nil, fmt.Errorf("generate pilot: %w", err)
	}
	for g.queue.Len() > 0 {
		s := heap.Pop(&g.queue).(*pilotStep)
		if !s.at.Before(want.End()) {
			continue
		}
		set(s.at)
		g.now = s.at
		if err := s.do(); err != nil {
			return nil, fmt.Errorf("generate pilot: %s: %w", s.at.Format(time.DateOnly), err)
		}
	}
	for i, st := range g.run.Strata {
		st, err := svc.Stratification(ctx, call.As(g.run.GPs[st.Practice]), st.ID)
		if err != nil {
			return nil, err
		}
		g.run.Strata[i] = st
	}
	return g.run, nil
}

type pilotGen struct {
	ctx   context.Context
	svc   *prescribing.Service
	set   func(time.Time)
	dir   prescribing.Directory
	want  Pilot
	rnd   *rand.Rand
	run   *PilotRun
	n     int
	seq   int
	queue pilotQueue
	refs  map[string]*pilotRef
	nurse map[string]string
	story int
	now   time.Time
}

type pilotRef struct {
	id, practice, advisor, gp string
	offers                    []prescribing.Activity
	baseline                  prescribing.Wellbeing
	before                    prescribing.Usage // the window recorded at assessment
}

// as returns a write by actor under a fresh key.
func (g *pilotGen) as(actor string) call.Write {
	g.n++
	return call.As(actor).Key(fmt.Sprintf("pilot-seed-%d", g.n))
}

// after schedules do at t.
func (g *pilotGen) after(t time.Time, do func() error) {
	g.seq++
	heap.Push(&g.queue, &pilotStep{at: t, seq: g.seq, do: do})
}

// days returns t plus lo to hi days, in working hours.
func (g *pilotGen) days(t time.Time, lo, hi int) time.Time {
	d := t.AddDate(0, 0, lo+g.rnd.IntN(hi-lo+1))
	return time.Date(d.Year(), d.Month(), d.Day(), 9+g.rnd.IntN(8), g.rnd.IntN(60), 0, 0, time.UTC)
}

func (g *pilotGen) setup() error {
	ctx, svc, want := g.ctx, g.svc, g.want
	g.set(want.Start.AddDate(0, 0, -21))
	if err := svc.Bootstrap(ctx, call.As(want.Manager)); err != nil {
		return err
	}
	mgr := struct{ ID string }{want.Manager}
	g.run.Manager = mgr.ID
	var ids []string
	if len(want.Areas)*want.ListSize > testNHSNumbers {
		return fmt.Errorf("%d practices of %d patients are more than the %d test NHS numbers", len(want.Areas), want.ListSize, testNHSNumbers)
	}
	for i, area := range want.Areas {
		ward := ""
		if i < len(want.Wards) {
			ward = want.Wards[i]
		}
		ods := fmt.Sprintf("F81%03d", 100+i*17+g.rnd.IntN(17))
		if i >= 4 { // a larger pilot's further practices: F82004 on
			ods = fmt.Sprintf("F8%04d", 2000+i)
		}
		p, err := svc.RegisterPractice(ctx, g.as(mgr.ID), prescribing.NewPractice{ODS: ods,
			Name: area + " Medical Centre", PCN: "Thurrock " + area, Area: area, Ward: ward, TopPercent: want.Percent})
		if err != nil {
			return err
		}
		g.run.Practices = append(g.run.Practices, p)
		ids = append(ids, p.ID)
	}
	g.nurse = map[string]string{}
	for i, p := range g.run.Practices {
		tag := string(rune('A' + i))
		if i >= 26 {
			tag = fmt.Sprint(i + 1)
		}
		for _, s := range []prescribing.NewStaff{
			{Name: "Dr " + tag, Role: prescribing.RoleGP},
			{Name: "Nurse " + tag, Role: prescribing.RolePracticeNurse},
			{Name: "Advisor " + tag, Role: prescribing.RoleAdvisor, Caseload: 150},
		} {
			s.Practices = []string{p.ID}
			st, err := svc.AddStaff(ctx, g.as(mgr.ID), s)
			if err != nil {
				return err
			}
			switch s.Role {
			case prescribing.RoleGP:
				g.run.GPs[p.ID] = st.ID
			case prescribing.RolePracticeNurse:
				g.nurse[p.ID] = st.ID
			default:
				g.run.Advisors[p.ID] = st.ID
			}
		}
	}
	var team []string
	for _, s := range []prescribing.NewStaff{{Name: "Community matron", Role: prescribing.RoleCommunityMatron}, {Name: "Social worker", Role: prescribing.RoleSocialWorker}} {
		s.Practices = ids
		st, err := svc.AddStaff(ctx, g.as(mgr.ID), s)
		if err != nil {
			return err
		}
		team = append(team, st.ID)
	}

	// Risk scores, stratification, clinical judgement and identification,
	// on the pilot's first day.
	g.set(want.Start.Add(8 * time.Hour))
	nhsBase := g.rnd.IntN(50) * 10_000 // where the generated NHS numbers start
	if room := testNHSNumbers - len(want.Areas)*want.ListSize; nhsBase >= room {
		nhsBase %= room // a large pilot's lists still fit the range
	}
	for i, p := range g.run.Practices {
		gp := g.run.GPs[p.ID]
		var file strings.Builder
		file.WriteString("nhs_number,score\n")
		for j := range want.ListSize {
			u := g.rnd.Float64()
			fmt.Fprintf(&file, "%s,%.1f\n", string(TestNHSNumber(nhsBase+i*want.ListSize+j)), 100*u*u*u*u)
		}
		set, err := svc.ImportScores(ctx, g.as(gp), prescribing.ScoreImport{Practice: p.ID, Model: "PARR",
			ScoredOn: want.Start.AddDate(0, 0, -10), File: strings.NewReader(file.String())})
		if err != nil {
			return err
		}
		st, err := svc.Stratify(ctx, g.as(gp), set.ID, want.Percent)
		if err != nil {
			return err
		}
		// The GP adds a patient just below the cut-off, and removes one
		// of the selected.
		in := map[string]bool{}
		for _, r := range st.Selected {
			in[r.Patient] = true
		}
		best := prescribing.PatientScore{Score: -1}
		for _, ps := range set.Scores {
			if !in[ps.Patient] && ps.Score > best.Score {
				best = ps
			}
		}
		if best.Patient != "" {
			if st, err = svc.Adjust(ctx, g.as(gp), st.ID, prescribing.AdjustRequest{Patient: best.Patient, Include: true,
				Reason: "lives alone since a bereavement; known to the practice nurse"}); err != nil {
				return err
			}
		}
		if len(st.Selected) > 1 {
			out := st.Selected[g.rnd.IntN(len(st.Selected))].Patient
			if st, err = svc.Adjust(ctx, g.as(gp), st.ID, prescribing.AdjustRequest{Patient: out, Include: false,
				Reason: "receiving end-of-life care"}); err != nil {
				return err
			}
		}
		g.run.Strata = append(g.run.Strata, st)
		ident, err := svc.Identify(ctx, g.as(gp), st.ID)
		if err != nil {
			return err
		}
		// Three monthly MDT meetings review the cohort.
		g.rnd.Shuffle(len(ident), func(a, b int) { ident[a], ident[b] = ident[b], ident[a] })
		members := append([]string{gp, g.nurse[p.ID], g.run.Advisors[p.ID]}, team...)
		for k := range 3 {
			var cases []prescribing.NewCase
			for j := k; j < len(ident); j += 3 {
				c := prescribing.NewCase{Patient: ident[j].Patient, Outcome: prescribing.OutcomeRefer}
				switch x := g.rnd.IntN(20); {
				case x < 5:
					c.Outcome, c.Notes = prescribing.OutcomeMedical, "needs a medication review first"
				case x < 7:
					c.Outcome, c.Notes = prescribing.OutcomeNoAction, "well supported by family"
				}
				cases = append(cases, c)
			}
			date := want.Start.AddDate(0, 0, 7+28*k+2*(i%4)).Add(13 * time.Hour)
			g.after(date, func() error { return g.meeting(p.ID, date, members, cases) })
		}
		// Direct referrals of patients outside the cohort.
		var others []string
		for _, ps := range set.Scores {
			if !st.InCohort(ps.Patient) {
				others = append(others, ps.Patient)
			}
		}
		for range 3 + g.rnd.IntN(4) {
			k := g.rnd.IntN(len(others))
			pat := others[k]
			others = append(others[:k], others[k+1:]...)
			by := gp
			if g.rnd.IntN(2) == 0 {
				by = g.nurse[p.ID]
			}
			g.after(g.days(want.Start, 14, 30*want.Months-14), func() error { return g.refer(p.ID, by, pat) })
		}
	}
	return nil
}

func (g *pilotGen) meeting(practice string, date time.Time, members []string, cases []prescribing.NewCase) error {
	m, err := g.svc.HoldMeeting(g.ctx, g.as(g.run.GPs[practice]), prescribing.NewMeeting{Practice: practice, Date: date, Members: members, Cases: cases})
	if err != nil {
		return err
	}
	g.run.Meetings = append(g.run.Meetings, m)
	for _, c := range m.Cases {
		if c.Outcome == prescribing.OutcomeRefer && c.Referral != "" {
			g.start(practice, c.Referral, date)
		}
	}
	return nil
}

func (g *pilotGen) refer(practice, by, patient string) error {
	r, err := g.svc.Refer(g.ctx, g.as(by), practice, prescribing.NewReferral{Patient: patient, Note: "seen in surgery; isolated"})
	if err != nil {
		return err
	}
	g.start(practice, r.ID, r.CreatedAt)
	return nil
}

// start schedules a new referral's course from t.
func (g *pilotGen) start(practice, id string, t time.Time) {
	r := &pilotRef{id: id, practice: practice, advisor: g.run.Advisors[practice], gp: g.run.GPs[practice]}
	g.refs[id] = r
	g.run.Referrals = append(g.run.Referrals, id)
	adv := r.advisor
	if g.rnd.IntN(100) < 8 { // the person says no when the practice calls
		g.after(g.days(t, 1, 6), func() error {
			_, err := g.svc.Decline(g.ctx, g.as(adv), id, "does not want to take part")
			return err
		})
		return
	}
	t = g.days(t, 1, 4)
	g.after(t, func() error { _, err := g.svc.Accept(g.ctx, g.as(adv), id); return err })
	if g.rnd.IntN(100) < 4 {
		g.after(g.days(t, 14, 21), func() error {
			_, err := g.svc.CloseReferral(g.ctx, g.as(adv), id, prescribing.NotContactable, "three calls and a letter unanswered")
			return err
		})
		return
	}
	t = g.days(t, 1, 12)
	g.after(t, func() error {
		_, err := g.svc.Contact(g.ctx, g.as(adv), id, "phoned; home visit booked")
		return err
	})
	if g.rnd.IntN(100) < 5 {
		g.after(g.days(t, 3, 10), func() error {
			_, err := g.svc.Decline(g.ctx, g.as(adv), id, "decided not to go on")
			return err
		})
		return
	}
	t = g.days(t, 2, 10)
	g.after(t, func() error { return g.assess(r) })
	t = g.days(t, 1, 5)
	g.after(t, func() error { return g.connect(r) })
	if g.rnd.IntN(100) < 6 {
		t = g.days(t, 3, 8)
		g.after(t, func() error { _, err := g.svc.Hold(g.ctx, g.as(adv), id, "in hospital"); return err })
		t = g.days(t, 14, 21)
		g.after(t, func() error { _, err := g.svc.Resume(g.ctx, g.as(adv), id, "home again"); return err })
	}
	u := g.days(t, 3, 10)
	g.after(u, func() error { return g.uptake(r) })
	t = g.days(t, 42, 70)
	g.after(t, func() error { return g.review(r) })
	t = g.days(t, 7, 21)
	g.after(t, func() error { return g.close(r) })
}

func (g *pilotGen) assess(r *pilotRef) error {
	needs := map[prescribing.Need]bool{}
	var list []prescribing.Need
	for range 1 + g.rnd.IntN(3) {
		n := pilotNeeds[g.rnd.IntN(len(pilotNeeds))]
		if !needs[n] {
			needs[n] = true
			list = append(list, n)
		}
	}
	var sw prescribing.SWEMWBS
	for i := range sw {
		sw[i] = 1 + g.rnd.IntN(3)
	}
	ons := prescribing.ONS4{Satisfied: 2 + g.rnd.IntN(5), Worthwhile: 2 + g.rnd.IntN(5), Happy: 2 + g.rnd.IntN(5), Anxious: 5 + g.rnd.IntN(5)}
	r.baseline = prescribing.Wellbeing{SWEMWBS: &sw, ONS4: &ons}
	w := r.baseline
	if _, err := g.svc.Assess(g.ctx, g.as(r.advisor), r.id, prescribing.Assessment{Needs: list, Wellbeing: &w, Note: "home visit"}); err != nil {
		return err
	}
	// The 12 months before referral arrive from the practice and hospital
	// systems around the time of referral; the after window comes later.
	before := prescribing.Usage{AE: g.rnd.IntN(5), Admissions: g.rnd.IntN(3), GPContacts: 4 + g.rnd.IntN(12)}
	r.before = before
	_, err := g.svc.RecordUsage(g.ctx, g.as(r.gp), r.id, prescribing.SecondaryCare{Before: &before})
	return err
}

// pilotNeeds weights the needs as a pilot meets them: loneliness most.
var pilotNeeds = []prescribing.Need{prescribing.NeedLoneliness, prescribing.NeedLoneliness, prescribing.NeedLoneliness,
	prescribing.NeedMentalWellbeing, prescribing.NeedMentalWellbeing, prescribing.NeedPhysicalActivity, prescribing.NeedMobility,
	prescribing.NeedDebt, prescribing.NeedBenefits, prescribing.NeedCarerSupport, prescribing.NeedBereavement,
	prescribing.NeedHousing, prescribing.NeedNutrition, prescribing.NeedDigital, prescribing.NeedEmployment}

func (g *pilotGen) connect(r *pilotRef) error {
	ms, err := g.svc.Match(g.ctx, call.As(r.advisor), r.id, g.dir, 3)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return fmt.Errorf("referral %s: the directory has no activity for its needs", r.id)
	}
	n := 1 + g.rnd.IntN(min(2, len(ms)))
	for _, m := range ms[:n] {
		r.offers = append(r.offers, m.Activity)
	}
	_, err = g.svc.Connect(g.ctx, g.as(r.advisor), r.id, r.offers)
	return err
}

func (g *pilotGen) uptake(r *pilotRef) error {
	for _, a := range r.offers {
		if g.rnd.IntN(100) < 75 {
			if _, err := g.svc.Uptake(g.ctx, g.as(r.advisor), r.id, a.ID, g.rnd.IntN(100) < 85); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *pilotGen) review(r *pilotRef) error {
	sw := *r.baseline.SWEMWBS
	for i := range sw {
		sw[i] = clamp(sw[i]+[]int{-1, 0, 0, 1, 1, 1, 2}[g.rnd.IntN(7)], 1, 5)
	}
	b := *r.baseline.ONS4
	step := func() int { return []int{-1, 0, 1, 1, 2, 3}[g.rnd.IntN(6)] }
	ons := prescribing.ONS4{Satisfied: clamp(b.Satisfied+step(), 0, 10), Worthwhile: clamp(b.Worthwhile+step(), 0, 10),
		Happy: clamp(b.Happy+step(), 0, 10), Anxious: clamp(b.Anxious-step(), 0, 10)}
	_, err := g.svc.Review(g.ctx, g.as(r.advisor), r.id, prescribing.ReviewNotes{Wellbeing: &prescribing.Wellbeing{SWEMWBS: &sw, ONS4: &ons}, Note: "follow-up"})
	return err
}

func (g *pilotGen) close(r *pilotRef) error {
	if _, err := g.svc.CloseReferral(g.ctx, g.as(r.advisor), r.id, prescribing.GoalsMet, "goals met"); err != nil {
		return err
	}
	before := r.before
	after := prescribing.Usage{AE: max(0, before.AE-g.rnd.IntN(3)), Admissions: max(0, before.Admissions-g.rnd.IntN(2)),
		GPContacts: max(0, before.GPContacts-3+g.rnd.IntN(5))}
	if _, err := g.svc.RecordUsage(g.ctx, g.as(r.gp), r.id, prescribing.SecondaryCare{After: &after}); err != nil {
		return err
	}
	if g.story < 2 {
		g.story++
		_, err := g.svc.AddStory(g.ctx, g.as(r.advisor), r.id, prescribing.NewStory{Title: "Back among neighbours",
			Text:    "After her husband died she rarely left the house. Her advisor found a lunch club at the hub; she now helps run it.",
			Consent: prescribing.Consent{Given: true, Publish: true, On: g.now}})
		return err
	}
	return nil
}

func clamp(v, lo, hi int) int { return min(hi, max(lo, v)) }

// pilotStep is one thing that happens at a time; ties go in the order
// scheduled.
type pilotStep struct {
	at  time.Time
	seq int
	do  func() error
}

type pilotQueue []*pilotStep

func (q pilotQueue) Len() int { return len(q) }
func (q pilotQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q pilotQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *pilotQueue) Push(x any)   { *q = append(*q, x.(*pilotStep)) }
func (q *pilotQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// testNHSNumbers is how many numbers TestNHSNumber gives.
const testNHSNumbers = 500_000

// TestNHSNumber returns the i-th NHS number of a deterministic sequence
// in the 999 range NHS England keeps for test data (999 000 0000 to
// 999 999 9999), each with a valid modulus-11 check digit, for 0 ≤ i <
// testNHSNumbers (500 000). Distinct i give distinct numbers.
func TestNHSNumber(i int) prescribing.NHSNumber {
	stem := 999_000_000 + 2*i
	for {
		s := fmt.Sprint(stem)
		sum := 0
		for j := range 9 {
			sum += int(s[j]-'0') * (10 - j)
		}
		c := 11 - sum%11
		if c == 11 {
			c = 0
		}
		if c != 10 {
			return prescribing.NHSNumber(fmt.Sprintf("%s%d", s, c))
		}
		stem++ // an even stem's successor is valid when it is not
	}
}
