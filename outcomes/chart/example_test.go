package chart_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
)

// Draw the dementia diagnosis rate against its 67% target, and list the
// chart's data as the table a dashboard shows beside it.
func Example() {
	d := decimal.RequireFromString
	p := outcomes.MustPeriod
	ind := &outcomes.Indicator{ID: "dementia-diagnosis-rate", Title: "Estimated dementia diagnosis rate for people aged 65+",
		Source: "NHS Digital, Recorded Dementia Diagnoses", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion,
		Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.FinancialYear, Decimals: 1,
		Target: &outcomes.Target{Status: outcomes.TargetSet, Value: d("67"), Period: p("2020/21")}}
	value := func(period, v, lo, hi string) *outcomes.Measurement {
		l, u := d(lo), d(hi)
		return &outcomes.Measurement{Indicator: ind.ID, Area: "E06000034", Period: p(period), Value: d(v), Lower: &l, Upper: &u}
	}
	row := &outcomes.Row{Indicator: ind, Area: "E06000034",
		Series: []*outcomes.Measurement{value("2016/17", "66.4", "64.9", "67.9"), value("2017/18", "63.0", "61.5", "64.5"),
			value("2018/19", "69.8", "68.4", "71.2")},
		Trajectory: []outcomes.Point{{Period: p("2016/17"), Value: d("66.4")}, {Period: p("2020/21"), Value: d("67")}}}
	opts := []chart.Option{chart.WithAreaName("Thurrock"),
		chart.WithClock(func() time.Time { return time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC) })}

	var svg bytes.Buffer
	if err := chart.SVG(&svg, row, opts...); err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(svg.Bytes(), []byte("<desc")))

	table, err := chart.Data(row, opts...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(table.Caption)
	for _, r := range table.Rows {
		fmt.Printf("%s  %s  (%s)  %s\n", r.PeriodText, r.ValueText, r.IntervalText, r.ComparisonText)
	}
	// Output:
	// true
	// Estimated dementia diagnosis rate for people aged 65+ — Thurrock (E06000034)
	// 2016/17  66.4%  (64.9% to 67.9%)  similar to the target
	// 2017/18  63.0%  (61.5% to 64.5%)  worse than the target
	// 2018/19  69.8%  (68.4% to 71.2%)  better than the target
}
