package chart_test

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
)

type fixture struct {
	name string
	row  *outcomes.Row
	opts []chart.Option
}

func fixtures() []fixture {
	lonely, england := lonelyRow()
	share, england2 := referralShareRow()
	base := []chart.Option{chart.WithClock(clock), chart.WithAreaName("Thurrock")}
	with := func(o ...chart.Option) []chart.Option { return append(append([]chart.Option{}, base...), o...) }
	return []fixture{
		{"diagnosis-rate", diagnosisRow(), with()},
		{"dementia-friends", friendsRow(), with()},
		{"single-point", singleRow(), with()},
		{"long-title", longTitleRow(), with()},
		{"financial-year", lonely, with(chart.WithBenchmark("England", england))},
		{"quarters", share, with(chart.WithBenchmark("England", england2))},
		{"months", hoursRow(), with()},
	}
}

// TestGallery writes every fixture's SVG and PNG to $CHART_OUT, to look at.
func TestGallery(t *testing.T) {
	dir := os.Getenv("CHART_OUT")
	for _, f := range fixtures() {
		var svg, png bytes.Buffer
		require.NoError(t, chart.SVG(&svg, f.row, f.opts...), f.name)
		require.NoError(t, chart.PNG(&png, f.row, f.opts...), f.name)
		var narrow bytes.Buffer
		require.NoError(t, chart.SVG(&narrow, f.row, append(append([]chart.Option{}, f.opts...), chart.WithSize(360, 300))...), f.name)
		if dir != "" {
			require.NoError(t, os.WriteFile(filepath.Join(dir, f.name+".svg"), svg.Bytes(), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, f.name+".narrow.svg"), narrow.Bytes(), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, f.name+".go.png"), png.Bytes(), 0o644))
		}
	}
}

// decimalYear is a tick label such as "2015.5" or "2016.".
var decimalYear = regexp.MustCompile(`^\d{4}\.\d*$`)

func TestPeriodLabels(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"diagnosis-rate", []string{"2016", "2017", "2018", "2019", "2020", "2021"}},
		{"financial-year", []string{"2019/20", "2020/21", "2021/22", "2022/23", "2023/24"}},
		{"quarters", []string{"2016/17 Q2", "2016/17 Q4", "2017/18 Q4"}},
		{"months", []string{"Sep 2016", "Mar 2017", "Mar 2018"}},
		{"single-point", []string{"2017"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fixture1(t, tc.name)
			d, _ := render(t, f.row, f.opts...)
			labels := d.texts("x-tick")
			require.NotEmpty(t, labels)
			for _, l := range labels {
				assert.False(t, decimalYear.MatchString(l), "decimal-year tick label %q", l)
				_, err := outcomes.ParsePeriod(l)
				assert.NoError(t, err, "tick label %q is not a period as the documents write it", l)
			}
			for _, w := range tc.want {
				assert.Contains(t, labels, w)
			}
			// The latest value's period is always labelled.
			last := f.row.Series[len(f.row.Series)-1].Period
			assert.Contains(t, labels, chart.PeriodLabel(last))
		})
	}
}

func TestPeriodLabel(t *testing.T) {
	for in, want := range map[string]string{
		"2016": "2016", "2015/16": "2015/16", "2016/17 Q3": "2016/17 Q3", "2016-04": "Apr 2016", "2016-04-30": "30 Apr 2016",
	} {
		assert.Equal(t, want, chart.PeriodLabel(outcomes.MustPeriod(in)), in)
	}
}

func fixture1(t *testing.T, name string) fixture {
	t.Helper()
	for _, f := range fixtures() {
		if f.name == name {
			return f
		}
	}
	t.Fatalf("no fixture %s", name)
	return fixture{}
}

// dataGlyphs are the classes of what is drawn from the data.
var dataGlyphs = []string{"point", "ci", "trajectory", "target", "benchmark"}

func TestLegendOutsideData(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			d, _ := render(t, f.row, f.opts...)
			legends := d.all("legend")
			require.Len(t, legends, 1, "one legend box")
			lb, _ := bbox(legends[0])
			n := 0
			for _, c := range dataGlyphs {
				for _, e := range d.all(c) {
					b, ok := bbox(e)
					require.True(t, ok)
					n++
					assert.False(t, lb.overlaps(b), "the legend %v overlaps %s %v", lb, e.class(), b)
				}
			}
			assert.Greater(t, n, 0, "no data glyphs")
			// The legend's symbols are inside its box, and none is a circle.
			for _, e := range d.all("legend-symbol") {
				b, _ := bbox(e)
				assert.NotEqual(t, "circle", e.name, "a legend symbol looks like a data point")
				assert.True(t, b.x0 >= lb.x0 && b.x1 <= lb.x1 && b.y0 >= lb.y0 && b.y1 <= lb.y1, "legend symbol %v outside %v", b, lb)
			}
		})
	}
}

func TestInsideViewBox(t *testing.T) {
	var all []fixture
	for _, f := range fixtures() {
		all = append(all, f)
		// And each drawn narrow, as on a phone.
		narrow := f
		narrow.name += "-narrow"
		narrow.opts = append(append([]chart.Option{}, f.opts...), chart.WithSize(360, 300))
		all = append(all, narrow)
	}
	for _, f := range all {
		t.Run(f.name, func(t *testing.T) {
			d, _ := render(t, f.row, f.opts...)
			for _, e := range d.els {
				b, ok := bbox(e)
				if !ok || e.class() == "background" {
					continue
				}
				assert.True(t, b.x0 >= 0 && b.y0 >= 0 && b.x1 <= d.w && b.y1 <= d.h,
					"%s %s %q at %v is outside the viewBox %gx%g", e.name, e.class(), e.text, b, d.w, d.h)
			}
			// The last value and its interval are inside the plot, left of
			// its right edge.
			axis := d.all("axis")
			require.NotEmpty(t, axis)
			right := axis[0].f("x2")
			for _, c := range []string{"point", "ci"} {
				for _, e := range d.all(c) {
					b, _ := bbox(e)
					assert.Less(t, b.x1, right, "%s at %v is clipped at the plot's right edge %g", c, b, right)
				}
			}
		})
	}
}

func TestTitleAndDesc(t *testing.T) {
	d, svg := render(t, diagnosisRow(), chart.WithClock(clock), chart.WithAreaName("Thurrock"))
	assert.Equal(t, "Estimated dementia diagnosis rate for people aged 65+ — Thurrock (E06000034)", d.title)
	require.NotEmpty(t, d.desc)
	// The desc says what the data are, in words.
	for _, w := range []string{"5 values, 2016 to 2020", "2018: 63.00% (95% CI 61.49% to 64.48%), worse than the target",
		"2020: 69.80%", "better than the target", "The target is 67.00% by 2021", "trajectory runs from 66.40% in 2016 to 67.00% in 2021"} {
		assert.Contains(t, d.desc, w)
	}
	assert.Equal(t, "img", d.root.attrs["role"])
	ids := strings.Fields(d.root.attrs["aria-labelledby"])
	require.Len(t, ids, 2)
	for _, id := range ids {
		assert.Contains(t, svg, `id="`+id+`"`)
	}
	for _, f := range fixtures() {
		d, _ := render(t, f.row, f.opts...)
		assert.NotEmpty(t, d.title, f.name)
		assert.NotEmpty(t, d.desc, f.name)
	}
}

func fills(d *doc) []string {
	var out []string
	for _, e := range d.all("point") {
		out = append(out, e.attrs["fill"])
	}
	return out
}

func TestPointColours(t *testing.T) {
	const better, similar, worse, lower, higher = "#00703C", "#FFDD00", "#D4351C", "#5694CA", "#003078"
	lonely, england := lonelyRow()
	share, england2 := referralShareRow()
	for _, tc := range []struct {
		name string
		row  *outcomes.Row
		opts []chart.Option
		want []string
	}{
		// Higher is better, against the 67% target: 66.4 (64.9–67.9)
		// similar, 64.1 and 63.0 worse, 66.9 similar, 69.8 (68.4–71.2)
		// better.
		{"against the target", diagnosisRow(), nil, []string{similar, worse, worse, similar, better}},
		// Lower is better, against England's value for the same year:
		// 2020/21's 10.8% (9.3–12.5) is worse.
		{"lower is better", lonely, []chart.Option{chart.WithBenchmark("England", england)}, []string{similar, worse, similar, similar, similar}},
		// No polarity: higher and lower, never better or worse.
		{"no polarity", share, []chart.Option{chart.WithBenchmark("England", england2)},
			[]string{lower, similar, similar, higher, higher, similar, lower, similar}},
		// Totals have no interval: not compared, no fill.
		{"no interval", friendsRow(), nil, []string{"none", "none", "none"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := render(t, tc.row, tc.opts...)
			assert.Equal(t, tc.want, fills(d))
			for _, e := range d.all("point") {
				assert.Equal(t, "#0B0C0C", e.attrs["stroke"], "every point has a black border")
			}
			tab, err := chart.Data(tc.row, tc.opts...)
			require.NoError(t, err)
			require.Len(t, tab.Rows, len(tc.want))
			for i, r := range tab.Rows {
				assert.Equal(t, tc.want[i], r.Colour, "table row %d", i)
				assert.Equal(t, chart.Colour(r.Comparison), r.Colour)
			}
		})
	}
}

// TestSameComparisonAsTheReport checks the latest point's colour against
// outcomes.Assess, which the report's "vs target" column comes from.
func TestSameComparisonAsTheReport(t *testing.T) {
	for _, row := range []*outcomes.Row{diagnosisRow(), longTitleRow(), friendsRow()} {
		for n := 1; n <= len(row.Series); n++ {
			st := outcomes.Assess(row.Indicator, outcomes.DefaultPolicy(), row.Series[:n], nil)
			tab, err := chart.Data(&outcomes.Row{Indicator: row.Indicator, Area: row.Area, Series: row.Series[:n]})
			require.NoError(t, err)
			assert.Equal(t, st.Significance, tab.Rows[n-1].Comparison, "%s, %d values", row.Indicator.ID, n)
		}
	}
}

func TestLongTitleWraps(t *testing.T) {
	row := longTitleRow()
	d, _ := render(t, row, chart.WithClock(clock))
	var lines []element
	for _, e := range d.all("title") {
		if e.name == "text" {
			lines = append(lines, e)
		}
	}
	require.GreaterOrEqual(t, len(lines), 2, "a long title is wrapped onto several lines")
	var words []string
	for i, l := range lines {
		b, _ := bbox(l)
		assert.GreaterOrEqual(t, b.y0, 8.0, "line %d touches the top edge", i)
		assert.LessOrEqual(t, b.x1, d.w-8, "line %d runs off the right", i)
		if i > 0 {
			assert.Greater(t, l.f("y")-lines[i-1].f("y"), l.f("font-size"), "lines %d and %d overlap", i-1, i)
		}
		words = append(words, l.text)
	}
	assert.Equal(t, row.Indicator.Title, strings.Join(words, " "), "the title is cut")

	// A short title stays on one line.
	d, _ = render(t, diagnosisRow(), chart.WithClock(clock))
	assert.Len(t, d.texts("title"), 1)

	// A title of one enormous word is broken, not cut.
	long := diagnosisRow()
	long.Indicator.Title = strings.Repeat("abcdefghij", 12)
	d, _ = render(t, long, chart.WithClock(clock))
	assert.Greater(t, len(d.texts("title")), 1)
	assert.Equal(t, long.Indicator.Title, strings.Join(d.texts("title"), ""))
}

// yTicks reads the y axis's labels back as numbers.
func yTicks(t *testing.T, d *doc) []float64 {
	var out []float64
	for _, l := range d.texts("y-tick") {
		v, err := strconv.ParseFloat(strings.NewReplacer(",", "", "%", "", "£", "").Replace(l), 64)
		require.NoError(t, err, l)
		out = append(out, v)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(out))) // highest first
	return out
}

func TestYAxis(t *testing.T) {
	t.Run("single point", func(t *testing.T) {
		d, _ := render(t, singleRow(), chart.WithClock(clock))
		ticks := yTicks(t, d)
		require.GreaterOrEqual(t, len(ticks), 3)
		span := ticks[0] - ticks[len(ticks)-1]
		assert.Greater(t, span, 10.0, "the axis of a single value of 26 is %v", ticks)
		assert.LessOrEqual(t, ticks[len(ticks)-1], 0.0, "a single count starts at zero: %v", ticks)
		assert.Equal(t, []string{"Count"}, d.texts("axis-unit"))
		assert.Contains(t, d.texts("legend-text"), "Target to be confirmed")
		assert.Contains(t, d.desc, "The target is to be confirmed.")
	})
	t.Run("counts", func(t *testing.T) {
		d, _ := render(t, friendsRow(), chart.WithClock(clock))
		labels := d.texts("y-tick")
		require.NotEmpty(t, labels)
		for _, l := range labels {
			assert.NotContains(t, l, ".", "count tick %q has decimals", l)
		}
		assert.Contains(t, labels, "3,000")
		ticks := yTicks(t, d)
		assert.GreaterOrEqual(t, ticks[0], 3750.0, "the target is on the axis")
		assert.LessOrEqual(t, ticks[len(ticks)-1], 2564.0)
	})
	t.Run("percentages", func(t *testing.T) {
		d, _ := render(t, diagnosisRow(), chart.WithClock(clock))
		labels := d.texts("y-tick")
		require.NotEmpty(t, labels)
		for _, l := range labels {
			assert.True(t, strings.HasSuffix(l, "%"), "percentage tick %q has no %% sign", l)
		}
		ticks := yTicks(t, d)
		assert.LessOrEqual(t, ticks[len(ticks)-1], 61.5, "the lowest interval is on the axis: %v", ticks)
		assert.GreaterOrEqual(t, ticks[0], 71.2)
		assert.LessOrEqual(t, ticks[0], 100.0)
		// Everything is drawn between the lowest and highest tick.
		top, bottom := math.Inf(1), math.Inf(-1)
		for _, e := range d.all("grid") {
			top, bottom = math.Min(top, e.f("y1")), math.Max(bottom, e.f("y1"))
		}
		for _, c := range []string{"point", "ci", "trajectory", "target"} {
			for _, e := range d.all(c) {
				b, _ := bbox(e)
				assert.True(t, (b.y0+b.y1)/2 >= top && (b.y0+b.y1)/2 <= bottom, "%s at %v is off the axis", c, b)
			}
		}
	})
	t.Run("hours", func(t *testing.T) {
		d, _ := render(t, hoursRow(), chart.WithClock(clock))
		assert.Equal(t, []string{"Hours"}, d.texts("axis-unit"))
		assert.Contains(t, d.texts("y-tick"), "1,200")
	})
}

func TestTargetAndTrajectory(t *testing.T) {
	d, _ := render(t, diagnosisRow(), chart.WithClock(clock))
	traj := d.all("trajectory")
	require.Len(t, traj, 1)
	assert.Equal(t, "polyline", traj[0].name)
	assert.Len(t, strings.Fields(traj[0].attrs["points"]), 6, "one vertex a year, 2016 to 2021")
	target := d.all("target")
	require.Len(t, target, 1)
	assert.Equal(t, "polygon", target[0].name, "the target is a diamond, not a round point")
	// The target sits at 2021 on the x axis and on the trajectory's end.
	tb, _ := bbox(target[0])
	pts := strings.Fields(traj[0].attrs["points"])
	end := strings.Split(pts[len(pts)-1], ",")
	ex, _ := strconv.ParseFloat(end[0], 64)
	ey, _ := strconv.ParseFloat(end[1], 64)
	assert.InDelta(t, (tb.x0+tb.x1)/2, ex, 0.01)
	assert.InDelta(t, (tb.y0+tb.y1)/2, ey, 0.01)
	assert.Contains(t, strings.Join(d.texts("legend-text"), "|"), "Target 67.00% by 2021")
	// Intervals: three strokes (a bar and two caps) per value.
	assert.Len(t, d.all("ci"), 15)
	assert.Contains(t, d.texts("legend-text"), "95% confidence interval")
}

func TestFootnote(t *testing.T) {
	d, _ := render(t, diagnosisRow(), chart.WithClock(clock), chart.WithAreaName("Thurrock"))
	note := strings.Join(d.texts("footnote"), " ")
	for _, w := range []string{"Source: NHS Digital, Recorded Dementia Diagnoses.", "Area: Thurrock (E06000034).", "Drawn 1 June 2021."} {
		assert.Contains(t, note, w)
	}
	d, _ = render(t, diagnosisRow(), chart.WithClock(clock), chart.WithSource("QOF 2019/20"))
	note = strings.Join(d.texts("footnote"), " ")
	assert.Contains(t, note, "Source: QOF 2019/20.")
	assert.Contains(t, note, "Area: E06000034.")
}

func TestData(t *testing.T) {
	tab, err := chart.Data(diagnosisRow(), chart.WithAreaName("Thurrock"))
	require.NoError(t, err)
	assert.Equal(t, "Estimated dementia diagnosis rate for people aged 65+ — Thurrock (E06000034)", tab.Caption)
	assert.Equal(t, []string{"Period", "Value", "95% confidence interval", "Count", "Compared with the target"}, tab.Columns)
	require.Len(t, tab.Rows, 5)
	assert.Equal(t, []string{"2018", "63.00%", "61.49% to 64.48%", "2,520 of 4,000", "worse than the target"}, tab.Rows[2].Cells())
	assert.Equal(t, outcomes.Worse, tab.Rows[2].Comparison)
	assert.Equal(t, "2020", tab.Rows[4].PeriodText)
	assert.Equal(t, "better than the target", tab.Rows[4].ComparisonText)

	tab, err = chart.Data(friendsRow())
	require.NoError(t, err)
	assert.Equal(t, []string{"2016", "2,564", "", "", "not compared (no interval)"}, tab.Rows[0].Cells())

	tab, err = chart.Data(hoursRow())
	require.NoError(t, err)
	assert.Equal(t, "Apr 2016", tab.Rows[0].PeriodText)
	assert.Equal(t, "700 h", tab.Rows[0].ValueText)
}

func TestLongSeries(t *testing.T) {
	// Ten years of days: labels thin out, and nothing leaves the chart.
	ind := &outcomes.Indicator{ID: "daily", Title: "Daily visits", Unit: outcomes.UnitCount, ValueType: outcomes.ValueCount,
		Polarity: outcomes.NoJudgement, PeriodType: outcomes.PointInTime}
	var series []*outcomes.Measurement
	day := per("2016-04-01")
	for i := range 3650 {
		series = append(series, total(ind, day.Add(int64(i)).String(), strconv.Itoa(100+i%37)))
	}
	d, _ := render(t, &outcomes.Row{Indicator: ind, Area: "E06000034", Series: series}, chart.WithClock(clock))
	labels := d.texts("x-tick")
	assert.Greater(t, len(labels), 2)
	assert.Less(t, len(labels), 15)
	assert.Contains(t, labels, "29 Mar 2026", "the latest day is labelled")
	assert.Less(t, len(d.all("x-tick-mark")), 100)
	assert.Contains(t, d.desc, "3650 values, 1 Apr 2016 to 29 Mar 2026")
}

func TestPNG(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, chart.PNG(&buf, diagnosisRow(), chart.WithClock(clock)))
	img, err := png.Decode(&buf)
	require.NoError(t, err, "not a valid PNG")
	b := img.Bounds()
	assert.Equal(t, 2*chart.DefaultWidth, b.Dx())
	assert.GreaterOrEqual(t, b.Dy(), 2*chart.DefaultHeight)
	counts := map[string]int{}
	want := map[string][3]uint8{"better": {0x00, 0x70, 0x3c}, "similar": {0xff, 0xdd, 0x00}, "worse": {0xd4, 0x35, 0x1c}}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for name, c := range want {
				if uint8(r>>8) == c[0] && uint8(g>>8) == c[1] && uint8(bl>>8) == c[2] {
					counts[name]++
				}
			}
		}
	}
	for name := range want {
		assert.Greater(t, counts[name], 50, "%s has %d pixels", name, counts[name])
	}
}

func TestNoData(t *testing.T) {
	ind := &outcomes.Indicator{ID: "x", Title: "Nothing yet", Unit: outcomes.UnitCount, PeriodType: outcomes.CalendarYear}
	d, _ := render(t, &outcomes.Row{Indicator: ind, Area: "E06000034"}, chart.WithClock(clock))
	assert.Equal(t, []string{"No data yet"}, d.texts("no-data"))
	assert.Contains(t, d.desc, "No values have been recorded yet")
	var buf bytes.Buffer
	assert.ErrorIs(t, chart.SVG(&buf, nil), chart.ErrNoIndicator)
	assert.ErrorIs(t, chart.PNG(&buf, &outcomes.Row{}), chart.ErrNoIndicator)
	_, err := chart.Data(nil)
	assert.ErrorIs(t, err, chart.ErrNoIndicator)
}

// failWriter fails every write.
type failWriter struct{}

var errDisk = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriteErrors(t *testing.T) {
	assert.ErrorIs(t, chart.SVG(failWriter{}, diagnosisRow()), errDisk)
	assert.ErrorIs(t, chart.PNG(failWriter{}, diagnosisRow()), errDisk)
}

// TestStepTrajectory checks a trajectory from a baseline to a target a
// year later (the micro-enterprises: 0 in 2016, 25 by 2017) is a line
// from the baseline's point to the target's mark, not a vertical step
// halfway between the periods, and that a step trajectory held past its
// target stays level after the mark.
func TestStepTrajectory(t *testing.T) {
	ind := &outcomes.Indicator{ID: "micro-enterprises", Title: "Number of micro-enterprises operating in the area",
		Unit: outcomes.UnitCount, ValueType: outcomes.ValueCount, Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.CalendarYear,
		Baseline:   &outcomes.Baseline{Value: dec("0"), Period: per("2016")},
		Target:     &outcomes.Target{Status: outcomes.TargetSet, Value: dec("25"), Period: per("2017")},
		Trajectory: &outcomes.Trajectory{Kind: outcomes.Step}}
	for name, tc := range map[string]struct {
		traj []outcomes.Point
		want int // points of the line
	}{
		"to the target":        {points("2016", "0", "2017", "25"), 2},
		"held past the target": {points("2016", "0", "2017", "25", "2018", "25"), 3},
	} {
		t.Run(name, func(t *testing.T) {
			row := &outcomes.Row{Indicator: ind, Area: "E06000034", Series: []*outcomes.Measurement{total(ind, "2016", "0")}, Trajectory: tc.traj}
			d, _ := render(t, row, chart.WithClock(clock))
			traj := d.all("trajectory")
			require.Len(t, traj, 1)
			line := xy(t, traj[0].attrs["points"])
			for i := 1; i < len(line); i++ {
				vertical := math.Abs(line[i][0]-line[i-1][0]) < 0.5 && math.Abs(line[i][1]-line[i-1][1]) > 0.5
				require.False(t, vertical, "segment %d is a vertical step: %v to %v", i, line[i-1], line[i])
				assert.Greater(t, line[i][0], line[i-1][0], "the line runs forward in time")
			}
			require.Len(t, line, tc.want, "one vertex per period")
			// It starts at the baseline's point...
			pts := d.all("point")
			require.Len(t, pts, 1)
			assert.InDelta(t, pts[0].f("cx"), line[0][0], 0.5)
			assert.InDelta(t, pts[0].f("cy"), line[0][1], 0.5)
			// ...and reaches the target's mark, a diamond centred on it.
			marks := d.all("target")
			var mark []element
			for _, m := range marks {
				if m.name == "polygon" {
					mark = append(mark, m)
				}
			}
			require.Len(t, mark, 1, "the target is marked")
			var cx, cy float64
			corners := xy(t, mark[0].attrs["points"])
			for _, c := range corners {
				cx, cy = cx+c[0]/float64(len(corners)), cy+c[1]/float64(len(corners))
			}
			assert.InDelta(t, cx, line[1][0], 0.5)
			assert.InDelta(t, cy, line[1][1], 0.5)
			assert.Less(t, line[1][1], line[0][1], "25 is drawn above 0")
			if len(line) > 2 {
				assert.InDelta(t, line[1][1], line[2][1], 0.01, "level after the target")
			}
		})
	}
}

// xy reads an SVG points attribute.
func xy(t *testing.T, s string) [][2]float64 {
	t.Helper()
	var out [][2]float64
	for _, p := range strings.Fields(s) {
		a, b, ok := strings.Cut(p, ",")
		require.True(t, ok, p)
		x, err := strconv.ParseFloat(a, 64)
		require.NoError(t, err)
		y, err := strconv.ParseFloat(b, 64)
		require.NoError(t, err)
		out = append(out, [2]float64{x, y})
	}
	return out
}
