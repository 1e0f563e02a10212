package chart_test

import (
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// The rows below are built from outcomes' data types directly, as a
// report would hold them, without a Service.

var drawn = time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return drawn }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { d := dec(s); return &d }

func per(s string) outcomes.Period { return outcomes.MustPeriod(s) }

// wilson returns a percentage with its 95% Wilson interval, as
// outcomes computes it for a proportion.
func wilson(ind *outcomes.Indicator, p string, count, den int64) *outcomes.Measurement {
	n, x := float64(den), float64(count)
	const z = 1.959963984540054
	ph := x / n
	centre := (ph + z*z/(2*n)) / (1 + z*z/n)
	half := z * math.Sqrt(ph*(1-ph)/n+z*z/(4*n*n)) / (1 + z*z/n)
	lo := decimal.NewFromFloat(100 * (centre - half)).Round(ind.Decimals + 1)
	hi := decimal.NewFromFloat(100 * (centre + half)).Round(ind.Decimals + 1)
	c, d := decimal.NewFromInt(count), decimal.NewFromInt(den)
	return &outcomes.Measurement{Indicator: ind.ID, Area: "E06000034", Period: per(p),
		Value: decimal.NewFromFloat(100 * ph).Round(ind.Decimals), Count: &c, Denominator: &d, Lower: &lo, Upper: &hi, CIMethod: outcomes.MethodWilson}
}

func total(ind *outcomes.Indicator, p, v string) *outcomes.Measurement {
	return &outcomes.Measurement{Indicator: ind.ID, Area: "E06000034", Period: per(p), Value: dec(v)}
}

func points(pairs ...string) []outcomes.Point {
	var out []outcomes.Point
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, outcomes.Point{Period: per(pairs[i]), Value: dec(pairs[i+1])})
	}
	return out
}

// diagnosisRow is the dementia diagnosis rate, 2016 to 2020, with Wilson
// intervals, a linear trajectory from 66.4% to the 67% target in 2021,
// and values better, similar and worse than the target.
func diagnosisRow() *outcomes.Row {
	ind := &outcomes.Indicator{ID: "dementia-diagnosis-rate", Framework: "thurrock-b3",
		Title: "Estimated dementia diagnosis rate for people aged 65+", Source: "NHS Digital, Recorded Dementia Diagnoses",
		Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter,
		PeriodType: outcomes.CalendarYear, Decimals: 2,
		Baseline: &outcomes.Baseline{Value: dec("66.4"), Period: per("2016"), AsOf: "April 2016"},
		Target:   &outcomes.Target{Status: outcomes.TargetSet, Value: dec("67"), Period: per("2021")}}
	return &outcomes.Row{Indicator: ind, Area: "E06000034",
		Series: []*outcomes.Measurement{
			wilson(ind, "2016", 2656, 4000), wilson(ind, "2017", 2564, 4000), wilson(ind, "2018", 2520, 4000),
			wilson(ind, "2019", 2676, 4000), wilson(ind, "2020", 2792, 4000)},
		Trajectory: points("2016", "66.40", "2017", "66.52", "2018", "66.64", "2019", "66.76", "2020", "66.88", "2021", "67.00"),
		Status:     outcomes.Status{Indicator: ind.ID, Area: "E06000034", RAG: outcomes.Green}}
}

// friendsRow is the number of Dementia Friends, 2,564 in 2016 towards
// 3,750 in 2021: totals with no interval, so not compared.
func friendsRow() *outcomes.Row {
	ind := &outcomes.Indicator{ID: "dementia-friends", Framework: "thurrock-b3",
		Title: "Number of dementia friends in Thurrock", Source: "Alzheimer's Society Thurrock",
		Unit: outcomes.UnitCount, ValueType: outcomes.ValueTotal, Polarity: outcomes.HigherIsBetter,
		PeriodType: outcomes.CalendarYear, Decimals: 0,
		Baseline: &outcomes.Baseline{Value: dec("2564"), Period: per("2016")},
		Target:   &outcomes.Target{Status: outcomes.TargetSet, Value: dec("3750"), Period: per("2021")}}
	return &outcomes.Row{Indicator: ind, Area: "E06000034",
		Series:     []*outcomes.Measurement{total(ind, "2016", "2564"), total(ind, "2017", "2890"), total(ind, "2018", "3105")},
		Trajectory: points("2016", "2564", "2017", "2801", "2018", "3038", "2019", "3276", "2020", "3513", "2021", "3750")}
}

// singleRow has one value and no target.
func singleRow() *outcomes.Row {
	ind := &outcomes.Indicator{ID: "micro-enterprises", Framework: "thurrock-b3",
		Title: "Number of micro-enterprises operating in the area", Source: "Adult Social Care",
		Unit: outcomes.UnitCount, ValueType: outcomes.ValueCount, Polarity: outcomes.HigherIsBetter,
		PeriodType: outcomes.CalendarYear, Target: &outcomes.Target{Status: outcomes.TargetTBC}}
	return &outcomes.Row{Indicator: ind, Area: "E06000034", Series: []*outcomes.Measurement{total(ind, "2017", "26")}}
}

// longTitleRow is the care-plan review indicator, whose title is long.
func longTitleRow() *outcomes.Row {
	ind := &outcomes.Indicator{ID: "dementia-care-plan-review", Framework: "thurrock-b3",
		Title:  "% of patients diagnosed with dementia whose care plan has been reviewed in a face-to-face review in the preceding 12 months",
		Source: "Quality and Outcomes Framework, DEM002",
		Unit:   outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter,
		PeriodType: outcomes.CalendarYear, Decimals: 2,
		Baseline: &outcomes.Baseline{Value: dec("70.7"), Period: per("2016")},
		Target:   &outcomes.Target{Status: outcomes.TargetSet, Value: dec("77.0"), Period: per("2021")}}
	return &outcomes.Row{Indicator: ind, Area: "E06000034",
		Series:     []*outcomes.Measurement{wilson(ind, "2016", 849, 1201), wilson(ind, "2017", 901, 1230), wilson(ind, "2018", 976, 1262)},
		Trajectory: points("2016", "70.70", "2017", "71.96", "2018", "73.22", "2019", "74.48", "2020", "75.74", "2021", "77.00")}
}

// lonelyRow is a lower-is-better percentage by financial year, with no
// target, compared with England.
func lonelyRow() (*outcomes.Row, []outcomes.Point) {
	ind := &outcomes.Indicator{ID: "adults-lonely-often-always", Framework: "thurrock-2022-26",
		Title: "Adults 16+ who feel lonely 'often or all of the time'", Source: "Resident survey",
		Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Polarity: outcomes.LowerIsBetter,
		PeriodType: outcomes.FinancialYear, Decimals: 1, Target: &outcomes.Target{Status: outcomes.TargetTBC}}
	row := &outcomes.Row{Indicator: ind, Area: "E06000034",
		Series: []*outcomes.Measurement{wilson(ind, "2019/20", 121, 1500), wilson(ind, "2020/21", 160, 1480),
			wilson(ind, "2021/22", 118, 1510), wilson(ind, "2022/23", 105, 1495), wilson(ind, "2023/24", 96, 1520)}}
	return row, points("2019/20", "7.2", "2020/21", "7.2", "2021/22", "7.1", "2022/23", "7.0", "2023/24", "7.1")
}

// referralShareRow is a no-judgement percentage by quarter, compared
// with England: higher, similar and lower.
func referralShareRow() (*outcomes.Row, []outcomes.Point) {
	ind := &outcomes.Indicator{ID: "sp-gp-share", Framework: "programmes",
		Title: "Share of social prescribing referrals made by GP practices", Source: "Social prescribing pilot records",
		Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Polarity: outcomes.NoJudgement,
		PeriodType: outcomes.Quarter, Decimals: 1}
	counts := [][2]int64{{40, 90}, {52, 95}, {61, 100}, {80, 120}, {95, 130}, {70, 140}, {66, 150}, {100, 160}}
	var series []*outcomes.Measurement
	q := per("2016/17 Q1")
	var bench []outcomes.Point
	for i, c := range counts {
		series = append(series, wilson(ind, q.Add(int64(i)).String(), c[0], c[1]))
		bench = append(bench, outcomes.Point{Period: q.Add(int64(i)), Value: dec("55")})
	}
	return &outcomes.Row{Indicator: ind, Area: "E06000034", Series: series}, bench
}

// hoursRow is time bank hours by month, two years of them, against a
// target of 1,200 hours a month by March 2018.
func hoursRow() *outcomes.Row {
	ind := &outcomes.Indicator{ID: "timebank-hours", Framework: "programmes",
		Title: "Hours exchanged through the time bank each month", Source: "Time bank ledger",
		Unit: outcomes.UnitHours, ValueType: outcomes.ValueTotal, Polarity: outcomes.HigherIsBetter,
		PeriodType: outcomes.Month, Decimals: 0,
		Target: &outcomes.Target{Status: outcomes.TargetSet, Value: dec("1200"), Period: per("2018-03")}}
	var series []*outcomes.Measurement
	m := per("2016-04")
	for i := range 24 {
		v := 700 + 12*i + (i%3)*40
		series = append(series, total(ind, m.Add(int64(i)).String(), decimal.NewFromInt(int64(v)).String()))
	}
	return &outcomes.Row{Indicator: ind, Area: "E06000034", Series: series}
}
