package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// ErrNoIndicator is returned for a nil row or a row without its indicator.
var ErrNoIndicator = errors.New("chart: the row has no indicator")

// Option changes how a chart is drawn.
type Option func(*config)

type config struct {
	now       func() time.Time
	areaName  string
	source    string
	width     float64
	height    float64
	benchName string
	bench     []outcomes.Point
}

// WithClock sets the clock whose date the footnote gives as the date
// drawn; without it, time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithAreaName names the row's area ("Thurrock"); the footnote then reads
// "Thurrock (E06000034)". Without it the footnote gives the code alone.
func WithAreaName(name string) Option { return func(c *config) { c.areaName = name } }

// WithSource overrides the footnote's source, which is otherwise the
// indicator's Source.
func WithSource(source string) Option { return func(c *config) { c.source = source } }

// WithSize sets the chart's width and height in pixels (default 640 ×
// 420). The chart grows taller when a long title, legend or footnote
// would otherwise squeeze the plot.
func WithSize(width, height int) Option {
	return func(c *config) {
		if width > 0 {
			c.width = float64(width)
		}
		if height > 0 {
			c.height = float64(height)
		}
	}
}

// WithBenchmark draws a benchmark series (England, the region) as a black
// line, as Fingertips does, and — when the indicator has no target set —
// compares each value's interval with the benchmark's value for the same
// period. name is the benchmark's name ("England").
func WithBenchmark(name string, points []outcomes.Point) Option {
	return func(c *config) { c.benchName, c.bench = name, points }
}

// The default size, in pixels.
const (
	DefaultWidth  = 640
	DefaultHeight = 420
)

func newConfig(opts []Option) *config {
	c := &config{now: time.Now, width: DefaultWidth, height: DefaultHeight}
	for _, o := range opts {
		o(c)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.width < 320 {
		c.width = 320
	}
	return c
}

// SVG writes the row's chart as a standalone SVG document with a <title>
// and a <desc> that describes the data in words.
func SVG(w io.Writer, row *outcomes.Row, opts ...Option) error {
	s, err := draw(row, newConfig(opts))
	if err != nil {
		return err
	}
	if err := s.writeSVG(w); err != nil {
		return fmt.Errorf("chart: write svg: %w", err)
	}
	return nil
}

// PNG writes the row's chart as a PNG image at twice the SVG's pixel
// size.
func PNG(w io.Writer, row *outcomes.Row, opts ...Option) error {
	s, err := draw(row, newConfig(opts))
	if err != nil {
		return err
	}
	return s.writePNG(w)
}

// Drawing constants, in pixels.
const (
	margin      = 16.0
	titleSize   = 17.0
	titleLead   = 22.0
	subSize     = 13.0
	subLead     = 18.0
	tickSize    = 12.0
	legendSize  = 12.0
	legendLead  = 22.0
	noteSize    = 11.0
	noteLead    = 15.0
	minPlotH    = 150.0
	ink         = "#0B0C0C" // GOV.UK text colour
	grey        = "#505A5F" // secondary text
	gridColour  = "#DDDDDD"
	axisColour  = "#6F777B"
	trajColour  = "#6F777B"
	targetColor = "#0B0C0C"
	benchColour = "#0B0C0C"
)

// point is one measurement as drawn.
type point struct {
	m   *outcomes.Measurement
	cmp outcomes.Significance
}

// plan is what a row's chart shows, before it is laid out.
type plan struct {
	ind        *outcomes.Indicator
	row        *outcomes.Row
	points     []point
	bench      map[int64]decimal.Decimal
	compared   string // what points are compared with: "the target", "England", ""
	legendHead string
	i0, i1     int64 // the first and last period index on the x axis
	hasX       bool
}

func newPlan(row *outcomes.Row, c *config) *plan {
	ind := row.Indicator
	p := &plan{ind: ind, row: row}
	var benchFor func(m *outcomes.Measurement) *decimal.Decimal
	if len(c.bench) > 0 {
		p.bench = make(map[int64]decimal.Decimal, len(c.bench))
		for _, b := range c.bench {
			if b.Period.Type == ind.PeriodType {
				p.bench[b.Period.Index()] = b.Value
			}
		}
	}
	switch {
	case ind.Target.Set():
		v := ind.Target.Value
		benchFor = func(*outcomes.Measurement) *decimal.Decimal { return &v }
		p.compared = "the target"
		p.legendHead = "Compared with the target of " + Value(ind, v) + " by " + PeriodLabel(ind.Target.Period) + ":"
	case len(p.bench) > 0:
		benchFor = func(m *outcomes.Measurement) *decimal.Decimal {
			if v, ok := p.bench[m.Period.Index()]; ok {
				return &v
			}
			return nil
		}
		p.compared = c.benchName
		p.legendHead = "Compared with " + c.benchName + ":"
	default:
		benchFor = func(*outcomes.Measurement) *decimal.Decimal { return nil }
		p.legendHead = "Not compared: no target or benchmark"
	}
	for _, m := range row.Series {
		if m == nil || m.Period.Type != ind.PeriodType {
			continue
		}
		p.points = append(p.points, point{m: m, cmp: compare(ind.Polarity, m.Lower, m.Upper, benchFor(m))})
	}
	see := func(per outcomes.Period) {
		if per.Type != ind.PeriodType {
			return
		}
		i := per.Index()
		if !p.hasX {
			p.i0, p.i1, p.hasX = i, i, true
		}
		p.i0, p.i1 = min(p.i0, i), max(p.i1, i)
	}
	for _, pt := range p.points {
		see(pt.m.Period)
	}
	for _, t := range row.Trajectory {
		see(t.Period)
	}
	if ind.Target.Set() {
		see(ind.Target.Period)
	}
	return p
}

// yRange chooses the y axis: every value, interval, trajectory point,
// target and benchmark is inside it, a single value or a flat series gets
// a range in proportion to its size (never one unit), counts start at
// zero when the values are near it, and percentages stay within 0–100.
func (p *plan) yRange() (lo, hi, step float64, places int) {
	var vals []float64
	add := func(d decimal.Decimal) { vals = append(vals, d.InexactFloat64()) }
	for _, pt := range p.points {
		add(pt.m.Value)
		if pt.m.Lower != nil && pt.m.Upper != nil {
			add(*pt.m.Lower)
			add(*pt.m.Upper)
		}
	}
	for _, t := range p.row.Trajectory {
		add(t.Value)
	}
	if p.ind.Target.Set() {
		add(p.ind.Target.Value)
	}
	for i, v := range p.bench {
		if i >= p.i0 && i <= p.i1 {
			add(v)
		}
	}
	if len(vals) == 0 {
		vals = []float64{0, 1}
	}
	lo, hi = vals[0], vals[0]
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	nonNeg := lo >= 0 && p.ind.Unit != outcomes.UnitMoney || p.ind.Unit == outcomes.UnitPercentage
	if nonNeg && (lo <= 0.5*hi || len(p.points) <= 1 && len(p.row.Trajectory) <= 1) {
		lo = 0
	}
	minSpan := 0.1 * math.Max(math.Abs(lo), math.Abs(hi))
	if minSpan == 0 {
		minSpan = 1
	}
	if hi-lo < minSpan {
		pad := (minSpan - (hi - lo)) / 2
		lo, hi = lo-pad, hi+pad
		if nonNeg && lo < 0 {
			lo, hi = 0, hi-lo
		}
	}
	// Headroom, so no point sits on the frame.
	span := hi - lo
	hi += 0.05 * span
	if lo != 0 {
		lo -= 0.05 * span
	}
	if nonNeg && lo < 0 {
		lo = 0
	}
	step, places = niceStep(hi-lo, 5)
	if p.ind.Unit == outcomes.UnitCount && p.ind.Decimals == 0 && step < 1 {
		step, places = 1, 0
	}
	lo = math.Floor(lo/step+1e-9) * step
	hi = math.Ceil(hi/step-1e-9) * step
	if p.ind.Unit == outcomes.UnitPercentage {
		hi = math.Min(hi, 100)
		lo = math.Max(lo, 0)
	}
	if hi <= lo {
		hi = lo + step
	}
	return lo, hi, step, places
}

// draw lays the row's chart out as a scene.
func draw(row *outcomes.Row, c *config) (*scene, error) {
	if row == nil || row.Indicator == nil {
		return nil, ErrNoIndicator
	}
	ind := row.Indicator
	p := newPlan(row, c)
	s := &scene{w: c.width, id: svgID(ind.ID, row.Area)}
	s.title = ind.Title + " — " + areaText(row.Area, c.areaName)
	s.desc = describe(p, c)
	W := c.width
	textW := W - 2*margin

	// The header: the title, wrapped, and a subtitle.
	var header []shape
	y := margin + titleSize*0.8 + 2
	for _, l := range wrap(ind.Title, titleSize, true, textW) {
		header = append(header, shape{kind: "text", class: "title", pts: []pt{{margin, y}}, text: l, size: titleSize, bold: true, fill: ink})
		y += titleLead
	}
	y -= titleLead - subLead
	for _, l := range wrap(subtitle(p, c), subSize, false, textW) {
		header = append(header, shape{kind: "text", class: "subtitle", pts: []pt{{margin, y}}, text: l, size: subSize, fill: grey})
		y += subLead
	}
	unitY := y - 2
	plotTop := unitY + 10

	// The legend and footnote, measured first so the plot takes what is left.
	legend := p.legendItems()
	legendRows := flow(legend, textW-16)
	legendH := float64(len(legendRows))*legendLead + 10
	notes := wrap(footnote(p, c), noteSize, false, textW)
	footH := float64(len(notes))*noteLead + 4
	xAxisH := 6 + tickSize + 8
	bottom := xAxisH + 10 + legendH + 10 + footH + margin
	H := math.Max(c.height, plotTop+minPlotH+bottom)
	s.h = H
	plotBottom := H - bottom

	// The y axis: ticks, grid lines and labels; the left edge follows the
	// widest label.
	lo, hi, step, places := p.yRange()
	var ticks []float64
	for v := lo; v <= hi+step*1e-6; v += step {
		ticks = append(ticks, v)
	}
	labelW := 0.0
	for _, v := range ticks {
		labelW = math.Max(labelW, room(tick(ind, v, places), tickSize, false))
	}
	plotLeft := margin + labelW + 8
	plotRight := W - margin
	// The x axis has one slot per period, each value in the middle of its
	// slot, so the last one and its interval sit half a slot from the edge.
	slot := 0.0
	if p.hasX {
		n := float64(p.i1 - p.i0 + 1)
		slot = (plotRight - plotLeft) / n
		// Keep the first and last period labels inside the chart.
		first := room(PeriodLabel(outcomes.PeriodAt(ind.PeriodType, p.i0)), tickSize, false)
		last := room(PeriodLabel(outcomes.PeriodAt(ind.PeriodType, p.i1)), tickSize, false)
		plotLeft = math.Max(plotLeft, margin/2+first/2-slot/2)
		plotRight = math.Min(plotRight, W-margin/2-last/2+slot/2)
		slot = (plotRight - plotLeft) / n
		plotLeft = math.Max(plotLeft, margin/2+first/2-slot/2)
		plotRight = math.Min(plotRight, W-margin/2-last/2+slot/2)
		slot = (plotRight - plotLeft) / n
	}
	yAt := func(v float64) float64 { return plotBottom - (v-lo)/(hi-lo)*(plotBottom-plotTop) }

	s.add(shape{kind: "rect", class: "background", pts: []pt{{0, 0}, {W, H}}, fill: "#FFFFFF"})
	for _, h := range header {
		s.add(h)
	}
	s.add(shape{kind: "text", class: "axis-unit", pts: []pt{{margin, unitY}}, text: axisUnit(ind), size: tickSize, fill: grey})
	for _, v := range ticks {
		yy := yAt(v)
		s.add(shape{kind: "line", class: "grid", pts: []pt{{plotLeft, yy}, {plotRight, yy}}, stroke: gridColour, width: 1})
		s.add(shape{kind: "text", class: "y-tick", pts: []pt{{plotLeft - 6, yy + tickSize*0.35}}, text: tick(ind, v, places), size: tickSize, fill: ink, anchor: "end"})
	}
	s.add(shape{kind: "line", class: "axis", pts: []pt{{plotLeft, plotBottom}, {plotRight, plotBottom}}, stroke: axisColour, width: 1})

	if !p.hasX {
		s.add(shape{kind: "text", class: "no-data", pts: []pt{{(plotLeft + plotRight) / 2, (plotTop + plotBottom) / 2}}, text: "No data yet", size: subSize, fill: grey, anchor: "middle"})
	} else {
		xAt := func(per outcomes.Period) float64 { return plotLeft + (float64(per.Index()-p.i0)+0.5)*slot }
		p.xAxis(s, slot, xAt, plotBottom)
		p.drawData(s, slot, xAt, yAt, plotLeft, plotRight)
	}

	// The legend, in a box below the axis, then the footnote.
	ly := plotBottom + xAxisH + 10
	s.add(shape{kind: "rect", class: "legend", pts: []pt{{margin, ly}, {W - margin, ly + legendH}}, fill: "#FFFFFF", stroke: "#B1B4B6", width: 1})
	for i, r := range legendRows {
		x := margin + 8
		cy := ly + 5 + float64(i)*legendLead + legendLead/2
		for _, it := range r {
			it.draw(s, x, cy)
			x += it.width() + legendGap
		}
	}
	ny := ly + legendH + 10 + noteSize
	for _, l := range notes {
		s.add(shape{kind: "text", class: "footnote", pts: []pt{{margin, ny}}, text: l, size: noteSize, fill: grey})
		ny += noteLead
	}
	return s, nil
}

// xAxis labels the periods, as many as fit side by side, always
// including the latest value's.
func (p *plan) xAxis(s *scene, slot float64, xAt func(outcomes.Period) float64, y float64) {
	t := p.ind.PeriodType
	widest := 0.0
	for i := p.i0; i <= p.i1 && i-p.i0 < 400; i++ {
		widest = math.Max(widest, room(PeriodLabel(outcomes.PeriodAt(t, i)), tickSize, false))
	}
	steps := map[outcomes.PeriodType][]int64{
		outcomes.CalendarYear:  {1, 2, 5, 10, 20, 50, 100},
		outcomes.FinancialYear: {1, 2, 5, 10, 20, 50, 100},
		outcomes.Quarter:       {1, 2, 4, 8, 12, 20, 40, 80, 200},
		outcomes.Month:         {1, 2, 3, 6, 12, 24, 60, 120, 300},
		outcomes.PointInTime:   {1, 2, 7, 14, 28, 91, 182, 365, 730, 1826, 3652},
	}[t]
	k := int64(1)
	for _, k = range steps {
		if float64(k)*slot >= widest+10 {
			break
		}
	}
	anchor := p.i1
	if len(p.points) > 0 {
		anchor = p.points[len(p.points)-1].m.Period.Index()
	}
	for i := p.i0; i <= p.i1; i++ {
		per := outcomes.PeriodAt(t, i)
		x := xAt(per)
		labelled := (anchor-i)%k == 0
		if labelled || slot >= 4 { // a mark per period, unless they would crowd into a smear
			s.add(shape{kind: "line", class: "x-tick-mark", pts: []pt{{x, y}, {x, y + 4}}, stroke: axisColour, width: 1})
		}
		if !labelled {
			continue
		}
		s.add(shape{kind: "text", class: "x-tick", pts: []pt{{x, y + 6 + tickSize}}, text: PeriodLabel(per), size: tickSize, fill: ink, anchor: "middle"})
	}
}

// drawData draws the benchmark, the trajectory, the target, the
// intervals and the values, in that order, so values are on top.
func (p *plan) drawData(s *scene, slot float64, xAt func(outcomes.Period) float64, yAt func(float64) float64, left, right float64) {
	ind := p.ind
	f := func(d decimal.Decimal) float64 { return yAt(d.InexactFloat64()) }
	if len(p.bench) > 0 {
		var line []pt
		for i := p.i0; i <= p.i1; i++ {
			if v, ok := p.bench[i]; ok {
				line = append(line, pt{xAt(outcomes.PeriodAt(ind.PeriodType, i)), f(v)})
			}
		}
		if len(line) > 0 {
			s.add(shape{kind: "polyline", class: "benchmark", pts: line, stroke: benchColour, width: 1.5})
		}
	}
	if len(p.row.Trajectory) > 0 {
		var line []pt
		for _, t := range p.row.Trajectory {
			if t.Period.Type == ind.PeriodType {
				line = append(line, pt{xAt(t.Period), f(t.Value)})
			}
		}
		// The line joins the periods' expected values, a step trajectory's
		// too: it is level while the baseline holds and rises over the
		// period before the target's to meet the target's mark, never a
		// jump drawn between two periods (which would say the value was
		// reached at a date nobody set).
		if len(line) == 1 { // a one-period trajectory is a short level line
			line = []pt{{line[0].x - slot*0.4, line[0].y}, {line[0].x + slot*0.4, line[0].y}}
		}
		s.add(shape{kind: "polyline", class: "trajectory", pts: line, stroke: trajColour, width: 2, dash: []float64{6, 4}})
	}
	if ind.Target.Set() {
		ty := f(ind.Target.Value)
		s.add(shape{kind: "line", class: "target-line", pts: []pt{{left, ty}, {right, ty}}, stroke: targetColor, width: 1, dash: []float64{1, 3}})
		tx := xAt(ind.Target.Period)
		s.add(shape{kind: "polygon", class: "target", pts: diamond(tx, ty, 7), fill: targetColor, stroke: "#FFFFFF", width: 1,
			tip: "Target: " + Value(ind, ind.Target.Value) + " by " + PeriodLabel(ind.Target.Period)})
	}
	capW := math.Min(6, slot*0.3)
	r := math.Max(2.5, math.Min(5.5, slot*0.3))
	for _, pt0 := range p.points {
		m := pt0.m
		if m.Lower == nil || m.Upper == nil {
			continue
		}
		x, y1, y2 := xAt(m.Period), f(*m.Lower), f(*m.Upper)
		s.add(shape{kind: "line", class: "ci", pts: []pt{{x, y1}, {x, y2}}, stroke: ink, width: 1.25})
		s.add(shape{kind: "line", class: "ci", pts: []pt{{x - capW, y1}, {x + capW, y1}}, stroke: ink, width: 1.25})
		s.add(shape{kind: "line", class: "ci", pts: []pt{{x - capW, y2}, {x + capW, y2}}, stroke: ink, width: 1.25})
	}
	for _, pt0 := range p.points {
		m := pt0.m
		fill := Colour(pt0.cmp)
		// A white disc under each point, so a point with no fill does
		// not show the interval bar or the trajectory through it.
		s.add(shape{kind: "circle", class: "halo", pts: []pt{{xAt(m.Period), f(m.Value)}}, r: r, fill: "#FFFFFF"})
		s.add(shape{kind: "circle", class: "point " + string(pt0.cmp), pts: []pt{{xAt(m.Period), f(m.Value)}}, r: r,
			fill: fill, stroke: ink, width: 1, tip: pointText(p, pt0)})
	}
}

func diamond(x, y, r float64) []pt { return []pt{{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}} }

// legendGap is the space between legend items.
const legendGap = 18.0

// legendItem is one entry of the key: a symbol and its words, or (with no
// symbol) a heading.
type legendItem struct {
	symbol string // "", "swatch", "ci", "trajectory", "target", "benchmark"
	fill   string
	text   string
	bold   bool
}

const symbolW = 22.0

func (it legendItem) width() float64 {
	w := room(it.text, legendSize, it.bold)
	if it.symbol != "" {
		w += symbolW + 6
	}
	return w
}

func (it legendItem) draw(s *scene, x, cy float64) {
	tx := x
	switch it.symbol {
	case "swatch":
		// A wide box, unlike the round data points.
		s.add(shape{kind: "rect", class: "legend-symbol", pts: []pt{{x, cy - 6}, {x + symbolW, cy + 6}}, fill: it.fill, stroke: ink, width: 1})
	case "ci":
		mx := x + symbolW/2
		s.add(shape{kind: "line", class: "legend-symbol", pts: []pt{{mx, cy - 7}, {mx, cy + 7}}, stroke: ink, width: 1.25})
		s.add(shape{kind: "line", class: "legend-symbol", pts: []pt{{mx - 5, cy - 7}, {mx + 5, cy - 7}}, stroke: ink, width: 1.25})
		s.add(shape{kind: "line", class: "legend-symbol", pts: []pt{{mx - 5, cy + 7}, {mx + 5, cy + 7}}, stroke: ink, width: 1.25})
	case "trajectory":
		s.add(shape{kind: "line", class: "legend-symbol", pts: []pt{{x, cy}, {x + symbolW, cy}}, stroke: trajColour, width: 2, dash: []float64{6, 4}})
	case "target":
		s.add(shape{kind: "line", class: "legend-symbol", pts: []pt{{x, cy}, {x + symbolW, cy}}, stroke: targetColor, width: 1, dash: []float64{1, 3}})
		s.add(shape{kind: "polygon", class: "legend-symbol", pts: diamond(x+symbolW/2, cy, 6), fill: targetColor, stroke: "#FFFFFF", width: 1})
	case "benchmark":
		s.add(shape{kind: "line", class: "legend-symbol", pts: []pt{{x, cy}, {x + symbolW, cy}}, stroke: benchColour, width: 1.5})
	}
	if it.symbol != "" {
		tx += symbolW + 6
	}
	s.add(shape{kind: "text", class: "legend-text", pts: []pt{{tx, cy + legendSize*0.35}}, text: it.text, size: legendSize, bold: it.bold, fill: ink})
}

// legendItems lists the key: what the colours mean, then the lines and
// marks drawn.
func (p *plan) legendItems() []legendItem {
	var items []legendItem
	seen := map[outcomes.Significance]bool{}
	for _, pt := range p.points {
		seen[pt.cmp] = true
	}
	compared := p.compared != "" && p.anyInterval()
	if compared {
		items = append(items, legendItem{text: p.legendHead, bold: true})
		order := []outcomes.Significance{outcomes.Better, outcomes.Similar, outcomes.Worse}
		if p.ind.Polarity != outcomes.HigherIsBetter && p.ind.Polarity != outcomes.LowerIsBetter {
			order = []outcomes.Significance{outcomes.Lower, outcomes.Similar, outcomes.Higher}
		}
		for _, sg := range order {
			items = append(items, legendItem{symbol: "swatch", fill: Colour(sg), text: comparisonName(sg)})
		}
	}
	if seen[outcomes.NotCompared] || !compared {
		text := "Not compared"
		switch {
		case p.compared == "":
			text = "Not compared (no target or benchmark)"
		case !compared:
			text = "Not compared with " + p.compared + " (no confidence interval)"
		}
		items = append(items, legendItem{symbol: "swatch", fill: "none", text: text})
	}
	for _, pt := range p.points {
		if pt.m.Lower != nil && pt.m.Upper != nil {
			items = append(items, legendItem{symbol: "ci", text: "95% confidence interval"})
			break
		}
	}
	if len(p.row.Trajectory) > 0 {
		items = append(items, legendItem{symbol: "trajectory", text: "Trajectory"})
	}
	if p.ind.Target.Set() {
		items = append(items, legendItem{symbol: "target", text: "Target " + Value(p.ind, p.ind.Target.Value) + " by " + PeriodLabel(p.ind.Target.Period)})
	}
	if p.ind.Target != nil && !p.ind.Target.Set() {
		items = append(items, legendItem{text: "Target to be confirmed"})
	}
	if len(p.bench) > 0 {
		items = append(items, legendItem{symbol: "benchmark", text: p.benchmarkName()})
	}
	return items
}

// anyInterval reports whether any value has a confidence interval.
func (p *plan) anyInterval() bool {
	for _, pt := range p.points {
		if pt.m.Lower != nil && pt.m.Upper != nil {
			return true
		}
	}
	return false
}

func (p *plan) benchmarkName() string {
	if p.compared != "" && p.compared != "the target" {
		return p.compared
	}
	return "Benchmark"
}

// flow breaks the legend into rows no wider than width.
func flow(items []legendItem, width float64) [][]legendItem {
	var rows [][]legendItem
	var row []legendItem
	x := 0.0
	for _, it := range items {
		w := it.width()
		if len(row) > 0 && (x+w > width || it.symbol == "" && it.bold) {
			rows = append(rows, row)
			row, x = nil, 0
		}
		row = append(row, it)
		x += w + legendGap
		if it.symbol == "" && it.bold && x > width*0.6 {
			rows = append(rows, row)
			row, x = nil, 0
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// svgID makes an id for the SVG's title and desc from the indicator and
// area, so several charts can share a page.
func svgID(ind, area string) string {
	var b strings.Builder
	b.WriteString("chart")
	for _, part := range []string{ind, area} {
		b.WriteByte('-')
		for _, r := range part {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

func areaText(code, name string) string {
	switch {
	case name != "" && code != "" && name != code:
		return name + " (" + code + ")"
	case name != "":
		return name
	}
	return code
}

// subtitle names the area and the span of periods shown.
func subtitle(p *plan, c *config) string {
	area := areaText(p.row.Area, c.areaName)
	if c.areaName != "" {
		area = c.areaName
	}
	if len(p.points) == 0 {
		return area + ": no values yet"
	}
	first, last := p.points[0].m.Period, p.points[len(p.points)-1].m.Period
	if len(p.points) == 1 {
		return area + ", " + PeriodLabel(first)
	}
	return area + ", " + PeriodLabel(first) + " to " + PeriodLabel(last)
}

// footnote gives the source, the area, the method and the date drawn.
func footnote(p *plan, c *config) string {
	src := c.source
	if src == "" {
		src = p.ind.Source
	}
	if src == "" {
		src = "not stated"
	}
	parts := []string{"Source: " + strings.TrimSuffix(src, ".") + "."}
	parts = append(parts, "Area: "+areaText(p.row.Area, c.areaName)+".")
	if p.compared != "" && p.anyInterval() {
		m := "Each value's 95% confidence interval is compared with " + p.compared + " (Fingertips method)"
		for _, pt := range p.points {
			if pt.m.Lower == nil || pt.m.Upper == nil {
				m += "; values without an interval are not compared"
				break
			}
		}
		parts = append(parts, m+".")
	}
	parts = append(parts, "Drawn "+c.now().Format("2 January 2006")+".")
	return strings.Join(parts, " ")
}

// pointText describes one value in words.
func pointText(p *plan, pt point) string {
	m := pt.m
	s := PeriodLabel(m.Period) + ": " + Value(p.ind, m.Value)
	if iv := interval(p.ind, m.Lower, m.Upper); iv != "" {
		s += " (95% CI " + iv + ")"
	}
	if pt.cmp != outcomes.NotCompared {
		s += ", " + ComparisonText(pt.cmp, p.compared)
	} else if p.compared != "" {
		s += ", not compared (no interval)"
	}
	return s
}

// when is "in 2016/17", or "on 30 Apr 2016" for a day.
func when(p outcomes.Period) string {
	if p.Type == outcomes.PointInTime {
		return "on " + PeriodLabel(p)
	}
	return "in " + PeriodLabel(p)
}

// describe summarises the chart in words for a screen reader.
func describe(p *plan, c *config) string {
	ind := p.ind
	var b strings.Builder
	b.WriteString(ind.Title + " in " + areaText(p.row.Area, c.areaName) + ". ")
	switch n := len(p.points); {
	case n == 0:
		b.WriteString("No values have been recorded yet. ")
	case n == 1:
		b.WriteString("One value: " + pointText(p, p.points[0]) + ". ")
	case n <= 12:
		fmt.Fprintf(&b, "%d values, %s to %s: ", n, PeriodLabel(p.points[0].m.Period), PeriodLabel(p.points[n-1].m.Period))
		for i, pt := range p.points {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(pointText(p, pt))
		}
		b.WriteString(". ")
	default:
		lo, hi := p.points[0], p.points[0]
		for _, pt := range p.points {
			if pt.m.Value.LessThan(lo.m.Value) {
				lo = pt
			}
			if pt.m.Value.GreaterThan(hi.m.Value) {
				hi = pt
			}
		}
		fmt.Fprintf(&b, "%d values, %s to %s. First %s. Latest %s. Lowest %s %s; highest %s %s. ", n,
			PeriodLabel(p.points[0].m.Period), PeriodLabel(p.points[n-1].m.Period),
			pointText(p, p.points[0]), pointText(p, p.points[n-1]),
			Value(ind, lo.m.Value), when(lo.m.Period), Value(ind, hi.m.Value), when(hi.m.Period))
	}
	if tr := p.row.Trajectory; len(tr) > 0 {
		fmt.Fprintf(&b, "The trajectory runs from %s %s to %s %s. ", Value(ind, tr[0].Value), when(tr[0].Period),
			Value(ind, tr[len(tr)-1].Value), when(tr[len(tr)-1].Period))
	}
	if ind.Target.Set() {
		fmt.Fprintf(&b, "The target is %s by %s. ", Value(ind, ind.Target.Value), PeriodLabel(ind.Target.Period))
	} else if ind.Target != nil {
		b.WriteString("The target is to be confirmed. ")
	}
	return strings.TrimSpace(b.String())
}
