package replay

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
	"github.com/strongertogether/community/prescribing"
)

// lead is the officer who administers the outcome frameworks: the
// outcomes store's first administrator, and owner of both frameworks.
var lead = call.As("b3-lead")

// programmes is the framework of the programmes' own indicators, which
// the other domains' reports feed. B3 holds no indicator they can measure
// (its volunteering hours come from the CVS's State of the Sector survey,
// not the time bank), so they are kept beside it rather than mixed in.
var programmes = outcomes.NewFramework{
	ID: "stronger-together", Title: "Stronger Together programme indicators",
	Objective: "B3 – Build strong, well-connected communities", Strategy: "Stronger Together partnership",
	Area: "E06000034", Policy: outcomes.DefaultPolicy(),
}

// outcomes loads the B3 framework, records its published baselines,
// feeds the programme indicators from the other domains' reports, prints
// the status of every indicator and draws one chart each.
func (a *app) runOutcomes(ctx context.Context, w io.Writer, sum *Summary, out, frameworkFile string) error {
	if err := a.outcomes.Bootstrap(ctx, lead); err != nil {
		return fmt.Errorf("appoint the outcomes administrator: %w", err)
	}
	f, err := os.Open(frameworkFile)
	if err != nil {
		return err
	}
	defer f.Close()
	b3, err := a.outcomes.LoadFramework(ctx, lead.Key("load-b3"), f)
	if err != nil {
		return fmt.Errorf("load %s: %w", frameworkFile, err)
	}
	// The baselines the action plan publishes, as the first measurements;
	// the dementia indicators' from the dementia package's reports.
	fed := dementiaMeasurements(sum.Dementia)
	for _, ind := range b3.Indicators {
		if ind.Baseline == nil {
			continue
		}
		if m, ok := fed[ind.ID]; ok {
			m.Indicator, m.Area, m.Period = ind.ID, b3.Framework.Area, ind.Baseline.Period
			if _, err := a.outcomes.Record(ctx, lead.Key("dementia-"+ind.ID), m); err != nil {
				return fmt.Errorf("record %s from the dementia reports: %w", ind.ID, err)
			}
			continue
		}
		m := outcomes.NewMeasurement{Indicator: ind.ID, Area: b3.Framework.Area, Period: ind.Baseline.Period, Value: ind.Baseline.Value,
			Source: ind.Source, Note: "baseline published in the Health and Wellbeing Strategy action plan"}
		if ind.Baseline.AsOf != "" {
			m.Note += " (as of " + ind.Baseline.AsOf + ")"
		}
		if _, err := a.outcomes.Record(ctx, lead.Key("baseline-"+ind.ID), m); err != nil {
			return fmt.Errorf("record baseline of %s: %w", ind.ID, err)
		}
	}

	if err := a.programmeIndicators(ctx, sum); err != nil {
		return err
	}

	heading(w, "OUTCOMES — framework status")
	fmt.Fprintln(w, "\nHow each indicator is rated (RAG):")
	wrap(w, "  ", "  ", chart.RatingRule(outcomes.DefaultPolicy()), 100)
	wrap(w, "  ", "  ", "A value is compared with the target by its 95% confidence interval (Fingertips' method); "+
		"a change is called improving or worsening only when the two periods' intervals do not overlap. "+
		"A target is judged once: the value in the target's period against the target.", 100)
	for _, id := range []string{b3.Framework.ID, programmes.ID} {
		r, err := a.outcomes.Report(ctx, id, outcomes.ReportOptions{})
		if err != nil {
			return err
		}
		sum.Frameworks = append(sum.Frameworks, id)
		sum.Outcomes = append(sum.Outcomes, r)
		fmt.Fprintf(w, "\n%s — %s (ONS area code %s)\n", r.Framework.Title, areaName, r.Framework.Area)
		for i := range r.Rows {
			row := &r.Rows[i]
			printRow(w, row)
			path := filepath.Join(out, row.Indicator.ID+".svg")
			if err := writeChart(path, row); err != nil {
				return err
			}
			sum.Charts = append(sum.Charts, path)
		}
		for _, x := range r.Warnings {
			wrap(w, "  warning: ", "    ", x.String(), 100)
		}
	}
	fmt.Fprintf(w, "\n  Charts: %d SVG files, one per indicator\n", len(sum.Charts))
	return nil
}

// areaName is the name of the area the frameworks cover.
const areaName = "Thurrock"

// printRow prints one indicator: its title, what it counts, its latest
// value with its period, n and interval, its rating and its changes, in
// plain English.
func printRow(w io.Writer, row *outcomes.Row) {
	ind := row.Indicator
	fmt.Fprintf(w, "\n  %s [%s]\n", ind.Title, ind.ID)
	tw := table(w)
	fmt.Fprintf(tw, "    Counts\t%s, per %s; source: %s\n", unitWords(ind), periodWords(ind.PeriodType), ind.Source)
	fmt.Fprintf(tw, "    Latest\t%s\n", chart.Latest(row))
	if row.Status.Expected != nil && !chart.BaselineOnly(row) {
		fmt.Fprintf(tw, "    Expected\t%s on the trajectory\n", chart.Value(ind, *row.Status.Expected))
	}
	fmt.Fprintf(tw, "    Target\t%s\n", chart.TargetText(ind))
	fmt.Fprintf(tw, "    Rating\t%s\n", chart.Rating(row))
	fmt.Fprintf(tw, "    Change\t%s\n", chart.Change(row))
	fmt.Fprintf(tw, "    Trend\t%s\n", chart.TrendText(row))
	fmt.Fprintf(tw, "    Outlook\t%s\n", chart.Outlook(row))
	tw.Flush()
}

// unitWords says what an indicator's values are.
func unitWords(ind *outcomes.Indicator) string {
	switch ind.Unit {
	case outcomes.UnitPercentage:
		return "a percentage"
	case outcomes.UnitHours:
		return "hours"
	case outcomes.UnitMoney:
		return "pounds"
	case outcomes.UnitRate:
		return fmt.Sprintf("a rate per %d", ind.Per)
	}
	return "a count"
}

// periodWords names a period type.
func periodWords(t outcomes.PeriodType) string {
	switch t {
	case outcomes.Quarter:
		return "quarter (financial year quarters, April to June = Q1)"
	case outcomes.FinancialYear:
		return "financial year (April to March)"
	case outcomes.CalendarYear:
		return "calendar year"
	case outcomes.Month:
		return "month"
	}
	return "day"
}

func writeChart(path string, row *outcomes.Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := chart.SVG(f, row, chart.WithAreaName(areaName)); err != nil {
		f.Close()
		return fmt.Errorf("chart %s: %w", row.Indicator.ID, err)
	}
	return f.Close()
}

// programmeIndicators creates the programme framework and its indicators
// and pulls their measurements from the time bank, grants and social
// prescribing reports through outcomes.MeasurementSource.
func (a *app) programmeIndicators(ctx context.Context, sum *Summary) error {
	if _, err := a.outcomes.CreateFramework(ctx, lead.Key("create-programmes"), programmes); err != nil {
		return err
	}
	area := programmes.Area
	put := func(ind outcomes.NewIndicator) error {
		ind.Framework, ind.Objective, ind.Strategy = programmes.ID, "B3", "Stronger Together"
		_, err := a.outcomes.PutIndicator(ctx, lead.Key("indicator-"+ind.ID), ind)
		return err
	}

	// Sources report whole periods only: a part-quarter is not compared
	// with whole ones.
	//
	// Time bank hours per quarter, over the whole quarters of the seed's
	// period. Baseline: the first; target: the action plan's +10% a year
	// later.
	tb := outcomes.SourceFunc(func(ctx context.Context, from, to time.Time) ([]outcomes.NewMeasurement, error) {
		var ms []outcomes.NewMeasurement
		for p := (outcomes.Period{Type: outcomes.Quarter, Start: from}); !p.End().After(to); p = p.Add(1) {
			r, err := a.timebank.Report(ctx, sum.Bank, p.Start, p.End())
			if err != nil {
				return nil, err
			}
			ms = append(ms, outcomes.NewMeasurement{Indicator: "timebank-hours", Area: area, Period: p, Value: r.Hours().Round(0),
				Source: "time bank ledger"})
		}
		return ms, nil
	})
	tbFrom, tbTo := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), borough.TimebankTo
	first, err := tb.Measurements(ctx, tbFrom, (outcomes.Period{Type: outcomes.Quarter, Start: tbFrom}).End())
	if err != nil {
		return err
	}
	base := first[0]
	if err := put(outcomes.NewIndicator{ID: "timebank-hours", Title: "Hours exchanged through the Time Bank, per quarter",
		Source: "Time bank ledger", Programme: "time bank", Unit: outcomes.UnitHours, ValueType: outcomes.ValueTotal,
		Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.Quarter,
		Baseline:   &outcomes.Baseline{Value: base.Value, Period: base.Period},
		Target:     &outcomes.Target{Status: outcomes.TargetSet, Value: base.Value.Mul(growthTarget.Div(decimal.NewFromInt(100)).Add(decimal.NewFromInt(1))).Round(0), Period: base.Period.Add(4), Note: "increase the time bank by 10%"},
		Trajectory: &outcomes.Trajectory{Kind: outcomes.Linear},
	}); err != nil {
		return err
	}
	if _, err := a.outcomes.Pull(ctx, lead.Key("pull-timebank"), programmes.ID, tb, tbFrom, tbTo); err != nil {
		return fmt.Errorf("pull time bank: %w", err)
	}

	// Small Sparks: groups funded per financial year.
	gr := outcomes.SourceFunc(func(ctx context.Context, from, to time.Time) ([]outcomes.NewMeasurement, error) {
		var ms []outcomes.NewMeasurement
		for p := (outcomes.Period{Type: outcomes.FinancialYear, Start: from}); p.Start.Before(to); p = p.Add(1) {
			r, err := a.grants.Report(ctx, sum.Fund, grants.FinancialYear(p.Start))
			if err != nil {
				return nil, err
			}
			ms = append(ms, outcomes.NewMeasurement{Indicator: "small-sparks-groups", Area: area, Period: p,
				Value: decimal.NewFromInt(int64(r.Groups)), Source: "grants report"})
		}
		return ms, nil
	})
	if err := put(outcomes.NewIndicator{ID: "small-sparks-groups", Title: "Community groups awarded a Small Sparks grant",
		Source: "Grants report", Programme: "small sparks", Unit: outcomes.UnitCount, ValueType: outcomes.ValueTotal,
		Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.FinancialYear}); err != nil {
		return err
	}
	y := sum.Grants.Year
	if _, err := a.outcomes.Pull(ctx, lead.Key("pull-grants"), programmes.ID, gr, grants.YearStart(y), grants.YearStart(y+1)); err != nil {
		return fmt.Errorf("pull grants: %w", err)
	}

	// Social prescribing: the share of referrals an advisor accepted, per
	// quarter of the pilot, with its Wilson interval.
	ids := make([]string, len(sum.Pilot.Practices))
	for i, p := range sum.Pilot.Practices {
		ids[i] = p.ID
	}
	sp := outcomes.SourceFunc(func(ctx context.Context, from, to time.Time) ([]outcomes.NewMeasurement, error) {
		var ms []outcomes.NewMeasurement
		for p := (outcomes.Period{Type: outcomes.Quarter, Start: from}); !p.End().After(to); p = p.Add(1) {
			r, err := a.prescribing.Report(ctx, call.As(sum.Pilot.Manager), prescribing.ReportFilter{Practices: ids, From: p.Start, To: p.End()})
			if err != nil {
				return nil, err
			}
			if r.Referrals == 0 {
				continue
			}
			n, d := decimal.NewFromInt(int64(r.Accepted)), decimal.NewFromInt(int64(r.Referrals))
			ms = append(ms, outcomes.NewMeasurement{Indicator: "sp-acceptance-rate", Area: area, Period: p, Value: r.AcceptanceRate,
				Count: &n, Denominator: &d, Source: "social prescribing KPIs"})
		}
		return ms, nil
	})
	if err := put(outcomes.NewIndicator{ID: "sp-acceptance-rate", Title: "Social prescribing referrals accepted by an advisor",
		Source: "Social prescribing KPIs", Programme: "social prescribing", Unit: outcomes.UnitPercentage,
		ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.Quarter, Decimals: 1}); err != nil {
		return err
	}
	// From the start of the quarter the pilot starts in.
	spFrom := time.Date(pilot.Start.Year(), (pilot.Start.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.outcomes.Pull(ctx, lead.Key("pull-prescribing"), programmes.ID, sp, spFrom, pilot.End()); err != nil {
		return fmt.Errorf("pull social prescribing: %w", err)
	}
	return nil
}

func value(ind *outcomes.Indicator, v *decimal.Decimal) string {
	if v == nil {
		return "—"
	}
	return outcomes.Format(ind, *v)
}

func target(ind *outcomes.Indicator) string {
	switch {
	case ind.Target.Set():
		return outcomes.Format(ind, ind.Target.Value) + " by " + ind.Target.Period.String()
	case ind.Target != nil:
		return "to be confirmed"
	}
	return "—"
}

func forecast(ind *outcomes.Indicator, f outcomes.Forecast) string {
	if f.Value == nil {
		return string(f.Meets)
	}
	return fmt.Sprintf("%s (%s)", f.Meets, outcomes.Format(ind, *f.Value))
}

// wrap writes text in lines of at most width characters, the first
// after first and the rest after indent.
func wrap(w io.Writer, first, indent, text string, width int) {
	line := first
	for i, word := range strings.Fields(text) {
		if i > 0 && len([]rune(line))+1+len([]rune(word)) > width {
			fmt.Fprintln(w, line)
			line = indent + word
			continue
		}
		if i > 0 {
			line += " "
		}
		line += word
	}
	fmt.Fprintln(w, line)
}
