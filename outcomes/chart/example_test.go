package chart_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
)

// Draw one indicator's chart — values with their intervals, trajectory
// and target — from a framework report, as SVG.
func ExampleSVG() {
	ctx := context.Background()
	svc := outcomes.NewService(memory.NewOutcomesStore(),
		outcomes.WithClock(func() time.Time { return time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC) }))
	lead := call.As("b3-lead")
	if err := svc.Bootstrap(ctx, lead); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.CreateFramework(ctx, lead.Key("create"), outcomes.NewFramework{ID: "b3", Title: "Objective B3", Area: "E06000034"}); err != nil {
		log.Fatal(err)
	}
	_, err := svc.PutIndicator(ctx, lead.Key("indicator"), outcomes.NewIndicator{ID: "dementia-rate", Framework: "b3",
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
	if _, err := svc.ImportMeasurements(ctx, lead.Key("import"), "b3", strings.NewReader(csv)); err != nil {
		log.Fatal(err)
	}
	r, err := svc.Report(ctx, "b3", outcomes.ReportOptions{})
	if err != nil {
		log.Fatal(err)
	}
	var svg bytes.Buffer
	if err := chart.SVG(&svg, &r.Rows[0]); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Rows[0].Indicator.ID, strings.Contains(svg.String(), "<svg"), strings.Contains(svg.String(), "Trajectory"))
	// Output: dementia-rate true true
}
