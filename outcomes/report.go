package outcomes

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"
	"github.com/strongertogether/community/internal/csvcell"
)

// Report is a framework's status: one Row per indicator and area, with the
// series behind it and the trajectory, the framework's consistency
// warnings, and its published stories. It is written as a text table
// (WriteText), CSV (WriteCSV), JSON (WriteJSON) or a one-page summary of
// every indicator with its RAG (WriteSummary); outcomes/chart draws a row
// as an SVG or PNG chart.
type Report struct {
	Framework *Framework `json:"framework"`
	Generated time.Time  `json:"generated"`
	AsOf      *time.Time `json:"asOf,omitempty"`
	Areas     []string   `json:"areas"`
	Rows      []Row      `json:"rows"`
	Warnings  []Warning  `json:"warnings,omitempty"`
	Stories   []*Story   `json:"stories,omitempty"`
}

// Row is one indicator for one area.
type Row struct {
	Indicator  *Indicator     `json:"indicator"`
	Area       string         `json:"area"`
	Series     []*Measurement `json:"series"`
	Trajectory []Point        `json:"trajectory,omitempty"`
	Status     Status         `json:"status"`
}

// ReportOptions chooses what a report covers. Areas defaults to the
// framework's area; AsOf rebuilds the report from the measurements as they
// stood at that time (each at its latest revision recorded by then), while
// indicators, targets and trajectories are read as they are now; Policy
// overrides the framework's RAG policy.
type ReportOptions struct {
	Areas  []string
	AsOf   *time.Time
	Policy *Policy
}

// Report builds a framework's report. It returns ErrNotFound for an
// unknown framework.
func (s *Service) Report(ctx context.Context, framework string, opts ReportOptions) (*Report, error) {
	l, err := s.Framework(ctx, framework)
	if err != nil {
		return nil, err
	}
	f := l.Framework
	areas := opts.Areas
	if len(areas) == 0 {
		areas = []string{f.Area}
	}
	policy := f.Policy
	if opts.Policy != nil {
		policy = *opts.Policy
	}
	ids := make([]string, len(l.Indicators))
	fetch := slices.Clone(areas)
	for i, ind := range l.Indicators {
		ids[i] = ind.ID
		if ind.Comparator != "" && !slices.Contains(fetch, ind.Comparator) {
			fetch = append(fetch, ind.Comparator)
		}
	}
	ms, err := s.store.Measurements(ctx, MeasurementFilter{Indicators: ids, Areas: fetch, AsOf: opts.AsOf})
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", framework, err)
	}
	// Measurements come ordered by indicator, area, period: cut them into
	// series.
	type seriesKey struct{ ind, area string }
	series := make(map[seriesKey][]*Measurement)
	for i := 0; i < len(ms); {
		j := i + 1
		for j < len(ms) && ms[j].Indicator == ms[i].Indicator && ms[j].Area == ms[i].Area {
			j++
		}
		series[seriesKey{ms[i].Indicator, ms[i].Area}] = ms[i:j:j]
		i = j
	}
	r := &Report{Framework: f, Generated: s.clock(), AsOf: opts.AsOf, Areas: areas, Warnings: l.Warnings,
		Rows: make([]Row, 0, len(l.Indicators)*len(areas))}
	for _, ind := range l.Indicators {
		traj := TrajectoryPoints(ind)
		var comp []*Measurement
		if ind.Comparator != "" {
			comp = series[seriesKey{ind.ID, ind.Comparator}]
		}
		for _, a := range areas {
			sr := series[seriesKey{ind.ID, a}]
			st := Assess(ind, policy, sr, comp)
			st.Area = a
			r.Rows = append(r.Rows, Row{Indicator: ind, Area: a, Series: sr, Trajectory: traj, Status: st})
		}
	}
	published := StoryPublished
	stories, err := s.store.Stories(ctx, StoryFilter{Framework: &f.ID, Status: &published})
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", framework, err)
	}
	for _, st := range stories {
		if st.Consent.Given && (opts.AsOf == nil || !st.UpdatedAt.After(*opts.AsOf)) {
			r.Stories = append(r.Stories, st)
		}
	}
	return r, nil
}

// Status returns the status of one indicator for one area, from the store.
func (s *Service) Status(ctx context.Context, indicator, area string) (Status, error) {
	ind, err := s.indicator(ctx, indicator)
	if err != nil {
		return Status{}, err
	}
	f, err := s.store.Framework(ctx, ind.Framework)
	if err != nil {
		return Status{}, err
	}
	areas := []string{area}
	if ind.Comparator != "" {
		areas = append(areas, ind.Comparator)
	}
	ms, err := s.store.Measurements(ctx, MeasurementFilter{Indicators: []string{ind.ID}, Areas: areas})
	if err != nil {
		return Status{}, err
	}
	var own, comp []*Measurement
	for _, m := range ms {
		if m.Area == area {
			own = append(own, m)
		} else {
			comp = append(comp, m)
		}
	}
	st := Assess(ind, f.Policy, own, comp)
	st.Area = area
	return st, nil
}

// Format writes a value of ind to its Decimals with its unit ("66.52%").
func Format(ind *Indicator, v decimal.Decimal) string {
	s := v.StringFixed(ind.Decimals)
	switch ind.Unit {
	case UnitPercentage:
		return s + "%"
	case UnitMoney:
		return "£" + s
	case UnitRate:
		return s + " per " + decimal.NewFromInt(ind.Per).String()
	case UnitHours:
		return s + " h"
	}
	return s
}

// Columns are the columns of the report's table and CSV.
var Columns = []string{"indicator", "title", "area", "period", "value", "lower", "upper", "expected",
	"target", "target_period", "rag", "significance", "direction", "trend", "trend_points", "forecast", "forecast_value"}

// cells returns a row's cells in Columns order; human formats values
// with units.
func (row *Row) cells(human bool) []string {
	ind, st := row.Indicator, &row.Status
	val := func(d *decimal.Decimal, places int32) string {
		if d == nil {
			return ""
		}
		if human {
			return Format(ind, *d)
		}
		return d.StringFixed(places)
	}
	target, tperiod := "", ""
	switch {
	case ind.Target.Set():
		target, tperiod = val(&ind.Target.Value, ind.Decimals), ind.Target.Period.String()
	case ind.Target != nil:
		target = "to be confirmed"
	}
	period := st.Period.String()
	if st.Value == nil && human {
		period = "no data"
	}
	return []string{ind.ID, ind.Title, row.Area, period, val(st.Value, ind.Decimals),
		val(st.Lower, ind.Decimals+1), val(st.Upper, ind.Decimals+1), val(st.Expected, ind.Decimals),
		target, tperiod, string(st.RAG), string(st.Significance), string(st.Direction), string(st.Trend.Result),
		fmt.Sprint(st.Trend.Points), string(st.Forecast.Meets), val(st.Forecast.Value, ind.Decimals)}
}

// WriteCSV writes one line per row, with the header Columns. Values are
// plain decimals, without units. A text cell a spreadsheet would read as a
// formula (one starting with =, +, -, @, a tab or a carriage return) is
// written with a leading single quote.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csvcell.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for i := range r.Rows {
		if err := cw.Write(r.Rows[i].cells(false)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the whole report, series included, as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as an aligned text table, then its warnings.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s (%s)\n", r.Framework.Title, r.Framework.ID)
	fmt.Fprintln(tw, "indicator\tarea\tperiod\tvalue\t95% CI\texpected\ttarget\tRAG\tvs target\tdirection\ttrend\tforecast")
	for i := range r.Rows {
		c := r.Rows[i].cells(true)
		ci := ""
		if c[5] != "" {
			ci = c[5] + " – " + c[6]
		}
		target := c[8]
		if c[9] != "" {
			target += " by " + c[9]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			c[0], c[2], c[3], c[4], ci, c[7], target, c[10], c[11], c[12], c[13], c[15])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeWarnings(w, r.Warnings)
}

func writeWarnings(w io.Writer, ws []Warning) error {
	for _, x := range ws {
		if _, err := fmt.Fprintf(w, "warning: %s\n", x); err != nil {
			return err
		}
	}
	return nil
}

// WriteSummary writes a one-page summary: each indicator's RAG in the
// framework's area (or the first area), a count of ratings, the
// warnings, and how many stories there are.
func (r *Report) WriteSummary(w io.Writer) error {
	area := r.Framework.Area
	if len(r.Areas) > 0 && !slices.Contains(r.Areas, area) {
		area = r.Areas[0]
	}
	counts := map[RAG]int{}
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", r.Framework.Title, area)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for i := range r.Rows {
		row := &r.Rows[i]
		if row.Area != area {
			continue
		}
		st := row.Status
		counts[st.RAG]++
		value := "no data"
		if st.Value != nil {
			value = Format(row.Indicator, *st.Value) + " (" + st.Period.String() + ")"
		}
		target := "no target"
		switch {
		case row.Indicator.Target.Set():
			target = "target " + Format(row.Indicator, row.Indicator.Target.Value) + " by " + row.Indicator.Target.Period.String()
		case row.Indicator.Target != nil:
			target = "target to be confirmed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", strings.ToUpper(string(st.RAG)), row.Indicator.Title, value, target)
	}
	tw.Flush()
	fmt.Fprintf(&b, "green %d, amber %d, red %d, not rated %d\n", counts[Green], counts[Amber], counts[Red], counts[None])
	if len(r.Stories) > 0 {
		fmt.Fprintf(&b, "%d published stories\n", len(r.Stories))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return writeWarnings(w, r.Warnings)
}
