package prescribing_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	rx "github.com/strongertogether/community/prescribing"
)

// exampleService returns a service over a memory store with a clock that
// moves a day per write and ids counted per kind.
func exampleService() (*rx.Service, context.Context) {
	now := time.Date(2016, time.October, 3, 9, 0, 0, 0, time.UTC)
	n := map[string]int{}
	return rx.NewService(memory.NewPrescribingStore(),
		rx.WithClock(func() time.Time { now = now.Add(24 * time.Hour); return now }),
		rx.WithIDs(func(prefix string, _ time.Time) string { n[prefix]++; return fmt.Sprintf("%s-%d", prefix, n[prefix]) }),
	), context.Background()
}

type exampleDirectory struct{}

func (exampleDirectory) Activities(context.Context, rx.ActivityQuery) ([]rx.Activity, error) {
	return []rx.Activity{
		{ID: "hub-tilbury-lunch", Name: "Tilbury Hub lunch club", Area: "Tilbury", Needs: []rx.Need{rx.NeedLoneliness, rx.NeedNutrition}, Metres: 800},
		{ID: "cab-grays", Name: "Citizens Advice, Grays", Area: "Grays", Needs: []rx.Need{rx.NeedDebt}, Metres: 5200},
		{ID: "walk-tilbury", Name: "Tilbury health walk", Area: "Tilbury", Needs: []rx.Need{rx.NeedPhysicalActivity}, Metres: 300},
	}, nil
}

// Example walks one person through the pilot: risk stratification of a
// practice list, the MDT, the referral to an advisor, activities and the
// change in their wellbeing.
func Example() {
	svc, ctx := exampleService()
	mgr, _ := svc.AddManager(ctx, "k1", "officer", rx.NewStaff{Name: "Scheme manager"})
	p, _ := svc.RegisterPractice(ctx, "k2", mgr.ID, rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre", PCN: "Tilbury and Chadwell", Area: "Tilbury"})
	gp, _ := svc.AddStaff(ctx, "k3", mgr.ID, rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	adv, _ := svc.AddStaff(ctx, "k4", mgr.ID, rx.NewStaff{Name: "B", Role: rx.RoleAdvisor, Practices: []string{p.ID}, Caseload: 30})

	// Risk stratification: a list of 40 scored by PARR; the top 3% is 2.
	var file strings.Builder
	file.WriteString("nhs_number,score\n")
	for i := range 40 {
		fmt.Fprintf(&file, "%s,%d.5\n", nhs(i), (i*37)%100)
	}
	set, err := svc.ImportScores(ctx, "k5", gp.ID, rx.ScoreImport{Practice: p.ID, Model: "PARR", ScoredOn: time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC), File: strings.NewReader(file.String())})
	if err != nil {
		fmt.Println(err)
		return
	}
	st, _ := svc.Stratify(ctx, "k6", gp.ID, set.ID, decimal.Zero)
	fmt.Printf("top %s%% of %d: %d patients, cut-off %s\n", st.Percent, st.ListSize, len(st.Selected), st.Cutoff)
	ident, _ := svc.Identify(ctx, "k7", gp.ID, st.ID)

	// The MDT refers the first to social prescribing.
	m, err := svc.HoldMeeting(ctx, "k8", gp.ID, rx.NewMeeting{Practice: p.ID, Date: time.Date(2016, 10, 10, 13, 0, 0, 0, time.UTC),
		Members: []string{gp.ID, adv.ID},
		Cases:   []rx.NewCase{{Patient: ident[0].Patient, Outcome: rx.OutcomeRefer}, {Patient: ident[1].Patient, Outcome: rx.OutcomeMedical}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	id := m.Cases[0].Referral

	// The advisor's work.
	svc.Accept(ctx, "k9", adv.ID, id)
	svc.Contact(ctx, "k10", adv.ID, id, "")
	svc.Assess(ctx, "k11", adv.ID, id, rx.Assessment{Needs: []rx.Need{rx.NeedLoneliness, rx.NeedDebt},
		Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{2, 2, 3, 2, 2, 2, 2}}})
	matches, _ := svc.Match(ctx, adv.ID, id, exampleDirectory{}, 2)
	for _, mt := range matches {
		fmt.Printf("match: %s (meets %v)\n", mt.Name, mt.Meets)
	}
	svc.Connect(ctx, "k12", adv.ID, id, []rx.Activity{matches[0].Activity})
	svc.Uptake(ctx, "k13", adv.ID, id, matches[0].ID, true)
	svc.Review(ctx, "k14", adv.ID, id, rx.ReviewNotes{Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{3, 3, 4, 3, 3, 4, 3}}})
	r, _ := svc.Close(ctx, "k15", adv.ID, id, rx.GoalsMet, "")

	before, after, _ := r.Pair(rx.MeasureSWEMWBS)
	fmt.Printf("%s: %s, SNOMED %s, SWEMWBS %s → %s\n", r.ID, r.State, r.Code, before, after)
	for _, t := range r.History {
		fmt.Printf("  %s %-10s → %s by %s\n", t.At.Format("2006-01-02"), t.From, t.To, t.By)
	}
	// Output:
	// top 3% of 40: 2 patients, cut-off 96.5
	// match: Tilbury Hub lunch club (meets [loneliness])
	// match: Citizens Advice, Grays (meets [debt])
	// ref-1: closed, SNOMED 871731000000106, SWEMWBS 15.84 → 20.73
	//   2016-10-10            → identified by stf-2
	//   2016-10-11 identified → referred by stf-2
	//   2016-10-12 referred   → accepted by stf-3
	//   2016-10-13 accepted   → contacted by stf-3
	//   2016-10-14 contacted  → assessed by stf-3
	//   2016-10-15 assessed   → connected by stf-3
	//   2016-10-17 connected  → reviewing by stf-3
	//   2016-10-18 reviewing  → closed by stf-3
}

// ExampleParseNHSNumber normalises an NHS number typed with spaces and
// refuses one whose check digit is wrong.
func ExampleParseNHSNumber() {
	n, err := rx.ParseNHSNumber("943 476 5919")
	fmt.Println(n, err)
	_, err = rx.ParseNHSNumber("943 476 5918")
	fmt.Println(err)
	// Output:
	// 9434765919 <nil>
	// prescribing: invalid: NHSNumber: is not a valid NHS number (the check digit is wrong)
}

// ExampleTop selects the two highest-risk patients; a tie on score goes to
// the smaller patient id.
func ExampleTop() {
	list := []rx.Ranked{{"p4", rx.MustScore("12")}, {"p2", rx.MustScore("55.5")}, {"p9", rx.MustScore("40")}, {"p1", rx.MustScore("55.5")}}
	fmt.Println(rx.Top(list, 2))
	// Output: [{p1 55.5} {p2 55.5}]
}

// ExampleService_ImportUsage imports the secondary care comparison — A&E
// attendances, non-elective admissions and GP contacts in the 12 months
// before and after referral — in the two parts real data arrives in: the
// before rows around referral, the after rows a year later. The report
// compares only people with both windows and counts the rest as
// incomplete. A bad file is refused whole, its problems listed by line and
// column without repeating any NHS number.
func ExampleService_ImportUsage() {
	svc, ctx := exampleService()
	mgr, _ := svc.AddManager(ctx, "k1", "officer", rx.NewStaff{Name: "Scheme manager"})
	p, _ := svc.RegisterPractice(ctx, "k2", mgr.ID, rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre", PCN: "Tilbury and Chadwell", Area: "Tilbury"})
	gp, _ := svc.AddStaff(ctx, "k3", mgr.ID, rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	for i, n := range []string{"943 476 5919", "401 023 2137"} {
		pt, _ := svc.RegisterPatient(ctx, fmt.Sprint("pat", i), gp.ID, rx.NewPatient{Practice: p.ID, NHSNumber: n})
		svc.Refer(ctx, fmt.Sprint("ref", i), gp.ID, p.ID, rx.NewReferral{Patient: pt.ID})
	}
	show := func() {
		rep, _ := svc.Report(ctx, mgr.ID, rx.ReportFilter{})
		c := rep.SecondaryCare
		fmt.Printf("%d people compared, %d incomplete: A&E %d → %d (%s%%), admissions %d → %d (%s%%), GP contacts %d → %d (%s%%)\n",
			c.People, c.Incomplete, c.Before.AE, c.After.AE, c.Change.AE, c.Before.Admissions, c.After.Admissions, c.Change.Admissions,
			c.Before.GPContacts, c.After.GPContacts, c.Change.GPContacts)
	}

	const head = "nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts\n"
	res, err := svc.ImportUsage(ctx, "usage-2016-before", gp.ID, rx.UsageImport{Practice: p.ID, File: strings.NewReader(head +
		"943 476 5919,before,4,2,18\n" +
		"401 023 2137,before,2,0,12\n")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("before windows recorded on", res.Referrals)
	show()

	// A year later.
	res, err = svc.ImportUsage(ctx, "usage-2017-after", gp.ID, rx.UsageImport{Practice: p.ID, File: strings.NewReader(head +
		"943 476 5919,after,1,1,9\n" +
		"401 023 2137,after,2,0,8\n")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after windows recorded on", res.Referrals)
	show()

	_, err = svc.ImportUsage(ctx, "usage-bad", gp.ID, rx.UsageImport{Practice: p.ID, File: strings.NewReader(head +
		"943 476 5918,before,1,0,3\n" +
		"401 023 2137,before,-1,0.5,3\n" +
		"401 023 2137,before,1,0,3\n")})
	var ie *rx.ImportError
	if errors.As(err, &ie) {
		for _, r := range ie.Rows {
			fmt.Println(r)
		}
	}
	// Output:
	// before windows recorded on [ref-1 ref-2]
	// 0 people compared, 2 incomplete: A&E 0 → 0 (0%), admissions 0 → 0 (0%), GP contacts 0 → 0 (0%)
	// after windows recorded on [ref-1 ref-2]
	// 2 people compared, 0 incomplete: A&E 6 → 3 (-50%), admissions 2 → 1 (-50%), GP contacts 30 → 17 (-43.3%)
	// line 2: nhs_number: is not a valid NHS number (the check digit is wrong)
	// line 3: ae_attendances: is negative; a count is 0 or more
	// line 3: non_elective_admissions: is not a whole number
	// line 4: period: the same patient's before window is on line 3
}
