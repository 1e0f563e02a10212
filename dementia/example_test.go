package dementia_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
)

// clock is a clock an example moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(c *clock) (*dementia.Service, call.Actor, call.Actor) {
	ctx := context.Background()
	n := 0
	svc := dementia.NewService(memory.NewDementiaStore(), dementia.WithClock(c.now),
		dementia.WithIDs(func(p string) string { n++; return fmt.Sprintf("%s-%d", p, n) }))
	admin, coord, rec := call.As("admin"), call.As("coord"), call.As("rec")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Grant(ctx, admin.Key("g1"), coord.ID, dementia.RoleCoordinator); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Grant(ctx, admin.Key("g2"), rec.ID, dementia.RoleRecorder); err != nil {
		log.Fatal(err)
	}
	return svc, coord, rec
}

// An alliance member's year: a bus company joins in June 2016 with two
// actions, reports progress on one, and by the next June the coordinator's
// view shows the other overdue and the member silent for 6 months.
func Example_memberYear() {
	ctx := context.Background()
	c := &clock{time.Date(2016, 6, 1, 10, 0, 0, 0, time.UTC)}
	svc, coord, _ := newService(c)
	m, err := svc.Join(ctx, coord.Key("join"), dementia.NewMember{Name: "Thurrock Buses", Sector: dementia.SectorBusiness,
		Areas: []dementia.Area{dementia.AreaTransport}, Contact: dementia.Contact{Name: "A. Driver"}, Joined: c.t})
	if err != nil {
		log.Fatal(err)
	}
	train, err := svc.AddAction(ctx, coord.Key("a1"), dementia.NewAction{Member: m.ID, Title: "Dementia Friends session for drivers", Owner: "A. Driver", Due: time.Date(2016, 9, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.AddAction(ctx, coord.Key("a2"), dementia.NewAction{Member: m.ID, Title: "Quiet seats signed", Owner: "A. Driver", Due: time.Date(2017, 3, 31, 0, 0, 0, 0, time.UTC)}); err != nil {
		log.Fatal(err)
	}
	c.t = time.Date(2016, 10, 3, 10, 0, 0, 0, time.UTC)
	done := dementia.StatusDone
	if _, err := svc.UpdateAction(ctx, coord.Key("p1"), train.ID, dementia.ActionUpdate{Status: &done, Note: "40 drivers trained"}); err != nil {
		log.Fatal(err)
	}
	c.t = time.Date(2017, 6, 1, 10, 0, 0, 0, time.UTC)
	v, err := svc.Coordinator(ctx, coord)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range v.Overdue {
		fmt.Printf("overdue: %s, due %s\n", a.Title, a.Due.Format("2 Jan 2006"))
	}
	for _, s := range v.Silent {
		fmt.Printf("silent: %s, last reported %s\n", s.Member, s.LastReported.Format("2 Jan 2006"))
	}
	// Output:
	// overdue: Quiet seats signed, due 31 Mar 2017
	// silent: mem-thurrock-buses, last reported 3 Oct 2016
}

// A community's recognition year: it registers, meets the foundation
// criteria, sends its 6-month update, and self-assesses before its
// anniversary.
func Example_recognitionYear() {
	ctx := context.Background()
	c := &clock{time.Date(2016, 7, 1, 10, 0, 0, 0, time.UTC)}
	svc, coord, _ := newService(c)
	com, err := svc.RegisterCommunity(ctx, coord.Key("reg"), dementia.NewCommunity{Name: "Dementia Friendly Thurrock", Registered: c.t})
	if err != nil {
		log.Fatal(err)
	}
	for i, cr := range dementia.Criteria() {
		if _, err := svc.SetCriterion(ctx, coord.Key(fmt.Sprint("c", i)), com.ID, dementia.CriterionState{Criterion: cr, Met: true, Evidence: "minutes of the steering group", On: c.t}); err != nil {
			log.Fatal(err)
		}
	}
	c.t = time.Date(2016, 12, 20, 10, 0, 0, 0, time.UTC)
	r, err := svc.Recognition(ctx, com.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("foundation met:", r.Foundation, "update", r.UpdateState, "by", r.UpdateDue.Format(time.DateOnly))
	if _, err := svc.SendUpdate(ctx, coord.Key("u"), com.ID, c.t); err != nil {
		log.Fatal(err)
	}
	c.t = time.Date(2017, 6, 15, 10, 0, 0, 0, time.UTC)
	if r, err = svc.Recognition(ctx, com.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("assessment", r.AssessmentState, "by", r.AssessmentDue.Format(time.DateOnly))
	_, err = svc.SelfAssess(ctx, coord.Key("sa"), com.ID, dementia.Assessment{On: c.t, Scores: map[dementia.Area]int{dementia.AreaTransport: 3, dementia.AreaBusiness: 2}})
	if err != nil {
		log.Fatal(err)
	}
	if r, err = svc.Recognition(ctx, com.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("next assessment", r.AssessmentState, "by", r.AssessmentDue.Format(time.DateOnly), "score", r.Years[0].Total)
	// Output:
	// foundation met: true update due by 2017-01-01
	// assessment due by 2017-07-01
	// next assessment not-yet by 2018-07-01 score 5
}

// A diagnosis rate: a recorder loads a prevalence table with its source
// and one practice's counts; the rate is the register over the expected
// number, with its 95% Wilson interval.
func Example_diagnosisRate() {
	ctx := context.Background()
	c := &clock{time.Date(2016, 4, 30, 10, 0, 0, 0, time.UTC)}
	svc, _, rec := newService(c)
	d := decimal.RequireFromString
	_, err := svc.LoadPrevalence(ctx, rec.Key("p"), dementia.NewPrevalence{ID: "example", Source: "illustrative rates, not CFAS II",
		Rates: []dementia.Rate{{Band: "65-79", Sex: dementia.Female, Rate: d("0.03")}, {Band: "65-79", Sex: dementia.Male, Rate: d("0.025")},
			{Band: "80+", Sex: dementia.Female, Rate: d("0.16")}, {Band: "80+", Sex: dementia.Male, Rate: d("0.12")}}})
	if err != nil {
		log.Fatal(err)
	}
	_, err = svc.RecordRegister(ctx, rec.Key("r"), dementia.NewRegister{Practice: "P1", PCN: "Grays", On: c.t, Diagnosed: 83,
		Population: []dementia.BandCount{{Band: "65-79", Sex: dementia.Female, Count: 1000}, {Band: "65-79", Sex: dementia.Male, Count: 900},
			{Band: "80+", Sex: dementia.Female, Count: 400}, {Band: "80+", Sex: dementia.Male, Count: 250}}})
	if err != nil {
		log.Fatal(err)
	}
	r, err := svc.DiagnosisRate(ctx, "example", c.t)
	if err != nil {
		log.Fatal(err)
	}
	b := r.Borough
	fmt.Printf("expected %s, diagnosed %d: %s%% (%s–%s)\n", b.Expected, b.Value.Count, b.Value.Percent, b.Value.Lower, b.Value.Upper)
	// Output:
	// expected 146.5, diagnosed 83: 56.7% (48.6–64.4)
}

// The alliance's column of the partnership's ward matrix: members that
// had joined by the period's end, once in each ward they work in; a
// borough-wide member names no ward and is left out.
func ExampleService_WardCounts() {
	ctx := context.Background()
	c := &clock{time.Date(2016, 6, 1, 10, 0, 0, 0, time.UTC)}
	svc, coord, _ := newService(c)
	for i, m := range []dementia.NewMember{
		{Name: "Tilbury Pharmacy", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaHealth}, Wards: []string{"Tilbury St Chads"}},
		{Name: "Grays Library Friends", Sector: dementia.SectorCommunity, Areas: []dementia.Area{dementia.AreaArts}, Wards: []string{"Grays Riverside", "Grays Thurrock"}},
		{Name: "Thurrock Buses", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaTransport}},
	} {
		m.Joined = time.Date(2015, time.Month(3+3*i), 1, 0, 0, 0, 0, time.UTC)
		if _, err := svc.Join(ctx, coord.Key(fmt.Sprint("join-", i)), m); err != nil {
			log.Fatal(err)
		}
	}
	counts, err := svc.WardCounts(ctx, time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range []string{"Grays Riverside", "Grays Thurrock", "Tilbury St Chads"} {
		fmt.Println(w, counts[w])
	}
	fmt.Println(len(counts), "wards")
	// Output:
	// Grays Riverside 1
	// Grays Thurrock 1
	// Tilbury St Chads 1
	// 3 wards
}
