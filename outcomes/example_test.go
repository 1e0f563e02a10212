package outcomes_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// Load the seed's B3 outcome framework from its JSON file, see its
// trajectories and what Check found in it. The store's first
// administrator is appointed once, with Bootstrap; only an administrator
// loads or creates frameworks.
func Example_loadFramework() {
	ctx := context.Background()
	svc := outcomes.NewService(memory.NewOutcomesStore())
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	file, err := os.Open("../examples/frameworks/thurrock-b3.json")
	if err != nil {
		log.Fatal(err)
	}
	defer file.Close()
	l, err := svc.LoadFramework(ctx, officer.Key("load-b3"), file)
	if err != nil {
		log.Fatal(err)
	}
	for _, ind := range l.Indicators {
		var vals []string
		for _, p := range outcomes.TrajectoryPoints(ind) {
			vals = append(vals, p.Value.StringFixed(ind.Decimals))
		}
		if ind.Target != nil && ind.Target.Status == outcomes.TargetTBC {
			vals = append(vals, "target to be confirmed")
		}
		fmt.Printf("%s: %s\n", ind.ID, strings.Join(vals, " "))
	}
	for _, w := range l.Warnings {
		fmt.Println("warning:", w.Code, w.Indicator)
	}
	// Output:
	// dementia-care-plan-review: 70.70 71.96 73.22 74.48 75.74 77.00
	// dementia-diagnosis-rate: 66.40 66.52 66.64 66.76 66.88 67.00
	// dementia-friends: 2564 2801 3038 3276 3513 3750
	// micro-enterprises: 0 25 25 25 25 25
	// volunteering-hours: target to be confirmed
	// warning: baseline-as-of dementia-care-plan-review
	// warning: stated-change dementia-friends
}

// Create a framework and an indicator, let a contributor import a year of
// figures, and print the indicator's status. Status and Report are open:
// they return only aggregates.
func Example_status() {
	ctx := context.Background()
	svc := outcomes.NewService(memory.NewOutcomesStore(),
		outcomes.WithClock(func() time.Time { return time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC) }))
	lead, analyst := call.As("b3-lead"), call.As("analyst")
	if err := svc.Bootstrap(ctx, lead); err != nil {
		log.Fatal(err)
	}
	_, err := svc.CreateFramework(ctx, lead.Key("create-b3"), outcomes.NewFramework{ID: "b3", Title: "Objective B3",
		Area: "E06000034", Roles: map[string]outcomes.Role{analyst.ID: outcomes.RoleContributor}})
	if err != nil {
		log.Fatal(err)
	}
	_, err = svc.PutIndicator(ctx, lead.Key("dementia-rate"), outcomes.NewIndicator{ID: "dementia-rate", Framework: "b3",
		Title: "Estimated dementia diagnosis rate", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion,
		Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.CalendarYear, Decimals: 2,
		Baseline:   &outcomes.Baseline{Value: decimal.RequireFromString("66.4"), Period: outcomes.MustPeriod("2016")},
		Target:     &outcomes.Target{Status: outcomes.TargetSet, Value: decimal.RequireFromString("67"), Period: outcomes.MustPeriod("2021")},
		Trajectory: &outcomes.Trajectory{Kind: outcomes.Linear}})
	if err != nil {
		log.Fatal(err)
	}
	csv := "indicator,area,period,value,count,denominator\n" +
		"dementia-rate,E06000034,2017,66.30,1326,2000\n" +
		"dementia-rate,E06000034,2018,66.70,1334,2000\n"
	res, err := svc.ImportMeasurements(ctx, analyst.Key("import-2018"), "b3", strings.NewReader(csv))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("recorded", res.Recorded)
	st, err := svc.Status(ctx, "dementia-rate", "E06000034")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s%% (95%% CI %s–%s), expected %s: %s, %s\n",
		st.Value, st.Lower, st.Upper, st.Expected.StringFixed(2), st.RAG, st.Direction)
	// Output:
	// recorded 2
	// 66.7% (95% CI 64.604–68.732), expected 66.64: green, improving
}

// A story is what a person told, so reading one names the actor and needs
// a role in its framework. When the teller asks, EraseStory removes what
// they told.
func Example_stories() {
	ctx := context.Background()
	svc := outcomes.NewService(memory.NewOutcomesStore(),
		outcomes.WithIDs(func(prefix string, _ time.Time) string { return prefix + "-1" }))
	lead := call.As("b3-lead")
	if err := svc.Bootstrap(ctx, lead); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.CreateFramework(ctx, lead.Key("create-b3"), outcomes.NewFramework{ID: "b3", Title: "Objective B3", Area: "E06000034"}); err != nil {
		log.Fatal(err)
	}
	st, err := svc.AddStory(ctx, lead.Key("story-1"), outcomes.NewStory{Framework: "b3", Programme: "memory cafe",
		Title: "Back at the memory cafe", Body: "Mrs A came back every week.", Date: time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC),
		Consent: outcomes.Consent{Given: true, Date: time.Date(2018, 6, 2, 0, 0, 0, 0, time.UTC), RecordedBy: lead.ID, Scope: outcomes.ConsentPublic},
		Publish: true})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Story(ctx, call.As("stranger"), st.ID); err != nil {
		fmt.Println("stranger:", err)
	}
	if _, err := svc.EraseStory(ctx, lead.Key("erase-1"), st.ID); err != nil {
		log.Fatal(err)
	}
	got, err := svc.Story(ctx, lead, st.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Status, got.Title, got.Body)
	// Output:
	// stranger: story story-1: outcomes: forbidden: actor: stranger is not contributor of framework b3
	// erased [erased] [erased]
}
