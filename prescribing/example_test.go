package prescribing_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	rx "github.com/strongertogether/community/prescribing"
)

// Example walks one person through a scheme: risk stratification of a
// practice list, the MDT, the referral to an advisor, activities and the
// change in their wellbeing.
func Example() {
	ctx := context.Background()
	now := time.Date(2016, time.October, 3, 9, 0, 0, 0, time.UTC)
	n := map[string]int{}
	svc := rx.NewService(memory.NewPrescribingStore(),
		rx.WithClock(func() time.Time { now = now.Add(24 * time.Hour); return now }),
		rx.WithIDs(func(prefix string, _ time.Time) string { n[prefix]++; return fmt.Sprintf("%s-%d", prefix, n[prefix]) }))

	// The first manager is appointed once; managers add everyone else.
	mgr := call.As("stf-manager")
	if err := svc.Bootstrap(ctx, mgr); err != nil {
		log.Fatal(err)
	}
	p, err := svc.RegisterPractice(ctx, mgr.Key("practice-1"), rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre", PCN: "Tilbury and Chadwell", Area: "Tilbury"})
	if err != nil {
		log.Fatal(err)
	}
	gpStaff, err := svc.AddStaff(ctx, mgr.Key("gp-1"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	if err != nil {
		log.Fatal(err)
	}
	advStaff, err := svc.AddStaff(ctx, mgr.Key("advisor-1"), rx.NewStaff{Name: "B", Role: rx.RoleAdvisor, Practices: []string{p.ID}, Caseload: 30})
	if err != nil {
		log.Fatal(err)
	}
	gp, adv := call.As(gpStaff.ID), call.As(advStaff.ID)

	// Risk stratification: a list of 40 scored by PARR; the top 3% is 2.
	// The NHS numbers are from the 999 range kept for test data.
	var file strings.Builder
	file.WriteString("nhs_number,score\n")
	for i, stem := 0, 999000000; i < 40; stem++ {
		sum := 0
		for j, c := range fmt.Sprint(stem) {
			sum += int(c-'0') * (10 - j)
		}
		if check := (11 - sum%11) % 11; check != 10 {
			fmt.Fprintf(&file, "%d%d,%d.5\n", stem, check, (i*37)%100)
			i++
		}
	}
	set, err := svc.ImportScores(ctx, gp.Key("scores-2016-10"), rx.ScoreImport{Practice: p.ID, Model: "PARR",
		ScoredOn: time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC), File: strings.NewReader(file.String())})
	if err != nil {
		log.Fatal(err)
	}
	st, err := svc.Stratify(ctx, gp.Key("stratify-1"), set.ID, decimal.Zero)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("top %s%% of %d: %d patients, cut-off %s\n", st.Percent, st.ListSize, len(st.Selected), st.Cutoff)
	ident, err := svc.Identify(ctx, gp.Key("identify-1"), st.ID)
	if err != nil {
		log.Fatal(err)
	}

	// The MDT refers the first to social prescribing.
	m, err := svc.HoldMeeting(ctx, gp.Key("mdt-1"), rx.NewMeeting{Practice: p.ID, Date: time.Date(2016, 10, 10, 13, 0, 0, 0, time.UTC),
		Members: []string{gp.ID, adv.ID},
		Cases:   []rx.NewCase{{Patient: ident[0].Patient, Outcome: rx.OutcomeRefer}, {Patient: ident[1].Patient, Outcome: rx.OutcomeMedical}}})
	if err != nil {
		log.Fatal(err)
	}
	id := m.Cases[0].Referral

	// The advisor's work.
	if _, err := svc.Accept(ctx, adv.Key("accept"), id); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Contact(ctx, adv.Key("contact"), id, ""); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Assess(ctx, adv.Key("assess"), id, rx.Assessment{Needs: []rx.Need{rx.NeedLoneliness, rx.NeedDebt},
		Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{2, 2, 3, 2, 2, 2, 2}}}); err != nil {
		log.Fatal(err)
	}
	dir := activityList{
		{ID: "hub-tilbury-lunch", Name: "Tilbury Hub lunch club", Area: "Tilbury", Needs: []rx.Need{rx.NeedLoneliness, rx.NeedNutrition}, Metres: 800},
		{ID: "cab-grays", Name: "Citizens Advice, Grays", Area: "Grays", Needs: []rx.Need{rx.NeedDebt}, Metres: 5200},
		{ID: "walk-tilbury", Name: "Tilbury health walk", Area: "Tilbury", Needs: []rx.Need{rx.NeedPhysicalActivity}, Metres: 300},
	}
	matches, err := svc.Match(ctx, adv, id, dir, 2)
	if err != nil {
		log.Fatal(err)
	}
	for _, mt := range matches {
		fmt.Printf("match: %s (meets %v)\n", mt.Name, mt.Meets)
	}
	if _, err := svc.Connect(ctx, adv.Key("connect"), id, []rx.Activity{matches[0].Activity}); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Uptake(ctx, adv.Key("uptake"), id, matches[0].ID, true); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Review(ctx, adv.Key("review"), id, rx.ReviewNotes{Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{3, 3, 4, 3, 3, 4, 3}}}); err != nil {
		log.Fatal(err)
	}
	r, err := svc.CloseReferral(ctx, adv.Key("close"), id, rx.GoalsMet, "")
	if err != nil {
		log.Fatal(err)
	}

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
	//   2016-10-10            → identified by stf-1
	//   2016-10-11 identified → referred by stf-1
	//   2016-10-12 referred   → accepted by stf-2
	//   2016-10-13 accepted   → contacted by stf-2
	//   2016-10-14 contacted  → assessed by stf-2
	//   2016-10-15 assessed   → connected by stf-2
	//   2016-10-17 connected  → reviewing by stf-2
	//   2016-10-18 reviewing  → closed by stf-2
}

// activityList is a Directory of a fixed list of activities.
type activityList []rx.Activity

func (d activityList) Activities(context.Context, rx.ActivityQuery) ([]rx.Activity, error) {
	return d, nil
}

// ExampleService_Bootstrap appoints the first manager, who adds a GP. Once
// the GP is deactivated, repeating their earlier request returns nothing
// of it: a replay checks the actor again.
func ExampleService_Bootstrap() {
	ctx := context.Background()
	svc := rx.NewService(memory.NewPrescribingStore())
	mgr := call.As("stf-manager")
	if err := svc.Bootstrap(ctx, mgr); err != nil {
		log.Fatal(err)
	}
	// A second first manager is refused.
	fmt.Println(svc.Bootstrap(ctx, call.As("stf-someone-else")))

	p, err := svc.RegisterPractice(ctx, mgr.Key("practice-1"), rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre", Area: "Tilbury"})
	if err != nil {
		log.Fatal(err)
	}
	st, err := svc.AddStaff(ctx, mgr.Key("gp-1"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	if err != nil {
		log.Fatal(err)
	}
	gp := call.As(st.ID)
	reg := rx.NewPatient{Practice: p.ID, NHSNumber: "999 000 0018", Name: "A Person"}
	if _, err := svc.RegisterPatient(ctx, gp.Key("reg-1"), reg); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.DeactivateStaff(ctx, mgr.Key("gp-1-leaves"), gp.ID); err != nil {
		log.Fatal(err)
	}
	_, err = svc.RegisterPatient(ctx, gp.Key("reg-1"), reg)
	fmt.Println(errors.Is(err, rx.ErrForbidden))
	// Output:
	// bootstrap: prescribing: conflict: admin: the store has its first administrator already; an administrator grants every later role
	// true
}

// ExampleParseNHSNumber normalises an NHS number typed with spaces and
// refuses one whose check digit is wrong. Formatted with %v the number is
// redacted; it is shown only on purpose.
func ExampleParseNHSNumber() {
	n, err := rx.ParseNHSNumber("999 000 0018")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(n), n.Spaced(), n) // printed as it is, it is redacted
	_, err = rx.ParseNHSNumber("999 000 0019")
	fmt.Println(err)
	// Output:
	// 9990000018 999 000 0018 [nhs number]
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
	ctx := context.Background()
	n := map[string]int{}
	svc := rx.NewService(memory.NewPrescribingStore(),
		rx.WithIDs(func(prefix string, _ time.Time) string { n[prefix]++; return fmt.Sprintf("%s-%d", prefix, n[prefix]) }))
	mgr := call.As("stf-manager")
	if err := svc.Bootstrap(ctx, mgr); err != nil {
		log.Fatal(err)
	}
	p, err := svc.RegisterPractice(ctx, mgr.Key("practice-1"), rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre", PCN: "Tilbury and Chadwell", Area: "Tilbury"})
	if err != nil {
		log.Fatal(err)
	}
	st, err := svc.AddStaff(ctx, mgr.Key("gp-1"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	if err != nil {
		log.Fatal(err)
	}
	gp := call.As(st.ID)
	for i, nhs := range []string{"999 000 0018", "999 000 0026"} {
		pt, err := svc.RegisterPatient(ctx, gp.Key(fmt.Sprint("pat", i)), rx.NewPatient{Practice: p.ID, NHSNumber: nhs})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := svc.Refer(ctx, gp.Key(fmt.Sprint("ref", i)), p.ID, rx.NewReferral{Patient: pt.ID}); err != nil {
			log.Fatal(err)
		}
	}
	show := func() {
		rep, err := svc.Report(ctx, mgr, rx.ReportFilter{})
		if err != nil {
			log.Fatal(err)
		}
		c := rep.SecondaryCare
		fmt.Printf("%d people compared, %d incomplete: A&E %d → %d (%s%%), admissions %d → %d (%s%%), GP contacts %d → %d (%s%%)\n",
			c.People, c.Incomplete, c.Before.AE, c.After.AE, c.Change.AE, c.Before.Admissions, c.After.Admissions, c.Change.Admissions,
			c.Before.GPContacts, c.After.GPContacts, c.Change.GPContacts)
	}

	const head = "nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts\n"
	res, err := svc.ImportUsage(ctx, gp.Key("usage-2016-before"), rx.UsageImport{Practice: p.ID, File: strings.NewReader(head +
		"999 000 0018,before,4,2,18\n" +
		"999 000 0026,before,2,0,12\n")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("before windows recorded on", res.Referrals)
	show()

	// A year later.
	res, err = svc.ImportUsage(ctx, gp.Key("usage-2017-after"), rx.UsageImport{Practice: p.ID, File: strings.NewReader(head +
		"999 000 0018,after,1,1,9\n" +
		"999 000 0026,after,2,0,8\n")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after windows recorded on", res.Referrals)
	show()

	_, err = svc.ImportUsage(ctx, gp.Key("usage-bad"), rx.UsageImport{Practice: p.ID, File: strings.NewReader(head +
		"999 000 0019,before,1,0,3\n" +
		"999 000 0026,before,-1,0.5,3\n" +
		"999 000 0026,before,1,0,3\n")})
	var ie *rx.ImportError
	if !errors.As(err, &ie) {
		log.Fatal(err)
	}
	{
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

// ExampleService_ErasePatient erases a patient's identifying data: the NHS
// number, name and area go, and so does every note written about them;
// the referral stays, under its pseudonymous ids, for the reports.
func ExampleService_ErasePatient() {
	ctx := context.Background()
	svc := rx.NewService(memory.NewPrescribingStore())
	mgr := call.As("stf-manager")
	if err := svc.Bootstrap(ctx, mgr); err != nil {
		log.Fatal(err)
	}
	p, err := svc.RegisterPractice(ctx, mgr.Key("practice-1"), rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre", Area: "Tilbury"})
	if err != nil {
		log.Fatal(err)
	}
	st, err := svc.AddStaff(ctx, mgr.Key("gp-1"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	if err != nil {
		log.Fatal(err)
	}
	gp := call.As(st.ID)
	pat, err := svc.RegisterPatient(ctx, gp.Key("reg-1"), rx.NewPatient{Practice: p.ID, NHSNumber: "999 000 0018", Name: "A Person", Area: "Tilbury"})
	if err != nil {
		log.Fatal(err)
	}
	ref, err := svc.Refer(ctx, gp.Key("refer-1"), p.ID, rx.NewReferral{Patient: pat.ID, Note: "A Person lives alone"})
	if err != nil {
		log.Fatal(err)
	}
	erased, err := svc.ErasePatient(ctx, gp.Key("erase-1"), pat.ID)
	if err != nil {
		log.Fatal(err)
	}
	r, err := svc.Referral(ctx, gp, ref.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("NHS number %q, name %q; referral %s, note %q\n", string(erased.NHSNumber), erased.Name, r.State, r.History[0].Note)
	// Output: NHS number "", name ""; referral referred, note ""
}

// A practice finds its patient by NHS number and corrects the name its
// own system now has; the audit trail says what was corrected, not to
// what.
func ExampleService_CorrectPatient() {
	ctx := context.Background()
	svc := rx.NewService(memory.NewPrescribingStore())
	mgr := call.As("stf-manager")
	if err := svc.Bootstrap(ctx, mgr); err != nil {
		log.Fatal(err)
	}
	p, err := svc.RegisterPractice(ctx, mgr.Key("practice-1"), rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre", Area: "Tilbury"})
	if err != nil {
		log.Fatal(err)
	}
	st, err := svc.AddStaff(ctx, mgr.Key("gp-1"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	if err != nil {
		log.Fatal(err)
	}
	gp := call.As(st.ID)
	if _, err := svc.RegisterPatient(ctx, gp.Key("reg-1"), rx.NewPatient{Practice: p.ID, NHSNumber: "999 000 0018", Name: "A Persn", Area: "Tilbury"}); err != nil {
		log.Fatal(err)
	}
	pat, err := svc.PatientByNHS(ctx, gp, p.ID, "9990000018")
	if err != nil {
		log.Fatal(err)
	}
	name := "A Person"
	pat, err = svc.CorrectPatient(ctx, gp.Key("correct-1"), pat.ID, rx.PatientCorrection{Name: &name})
	if err != nil {
		log.Fatal(err)
	}
	evs, err := svc.Events(ctx, gp, rx.EventFilter{Practice: p.ID})
	if err != nil {
		log.Fatal(err)
	}
	last := evs[len(evs)-1]
	fmt.Printf("%s, %s, version %d; %s: %s\n", pat.Name, pat.Area, pat.Version, last.Action, last.Note)
	// Output: A Person, Tilbury, version 2; patient.correct: corrected name
}
