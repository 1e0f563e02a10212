package chart

import (
	"errors"
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/strongertogether/community/outcomes"
)

// The series' legend names.
const (
	Measured   = "Measured"
	CI         = "95% CI"
	Trajectory = "Trajectory"
	Target     = "Target"
)

// The series' colours.
var (
	MeasuredColour   = color.RGBA{R: 0x1f, G: 0x4e, B: 0xb4, A: 0xff} // blue
	CIColour         = color.RGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff} // grey
	TrajectoryColour = color.RGBA{R: 0x00, G: 0x99, B: 0x3d, A: 0xff} // green
	TargetColour     = color.RGBA{R: 0xd6, G: 0x1f, B: 0x1f, A: 0xff} // red
)

// Size is the size charts are drawn at.
var Size = struct{ Width, Height vg.Length }{16 * vg.Centimeter, 10 * vg.Centimeter}

// Plot builds the chart of one report row. The x axis is the period
// (years, with fractions for quarters, months and days); the y axis the
// indicator's unit.
func Plot(row *outcomes.Row) (*plot.Plot, error) {
	if row == nil || row.Indicator == nil {
		return nil, errors.New("chart: no indicator")
	}
	ind := row.Indicator
	p := plot.New()
	p.Title.Text = ind.Title
	if len(p.Title.Text) > 70 {
		p.Title.Text = p.Title.Text[:67] + "…"
	}
	p.X.Label.Text = "period (" + string(ind.PeriodType) + ")"
	p.Y.Label.Text = string(ind.Unit)
	p.Legend.Top = true
	p.Add(plotter.NewGrid())

	if len(row.Trajectory) > 0 {
		xys := make(plotter.XYs, len(row.Trajectory))
		for i, pt := range row.Trajectory {
			xys[i] = plotter.XY{X: x(pt.Period), Y: pt.Value.InexactFloat64()}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: trajectory: %w", err)
		}
		l.Color = TrajectoryColour
		l.Width = vg.Points(2)
		l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(Trajectory, l)
	}
	if len(row.Series) > 0 {
		var pts plotter.XYs
		var bars ciBars
		for _, m := range row.Series {
			xy := plotter.XY{X: x(m.Period), Y: m.Value.InexactFloat64()}
			pts = append(pts, xy)
			if m.Lower != nil && m.Upper != nil {
				bars.XYs = append(bars.XYs, xy)
				bars.YErrors = append(bars.YErrors, struct{ Low, High float64 }{
					Low: xy.Y - m.Lower.InexactFloat64(), High: m.Upper.InexactFloat64() - xy.Y})
			}
		}
		if len(bars.XYs) > 0 {
			eb, err := plotter.NewYErrorBars(bars)
			if err != nil {
				return nil, fmt.Errorf("chart: intervals: %w", err)
			}
			eb.Color = CIColour
			eb.LineStyle.Width = vg.Points(1.5)
			p.Add(eb)
			p.Legend.Add(CI, barThumb{eb.LineStyle})
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("chart: values: %w", err)
		}
		s.GlyphStyle.Color = MeasuredColour
		s.GlyphStyle.Radius = vg.Points(4)
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		p.Add(s)
		p.Legend.Add(Measured, s)
	}
	if ind.Target.Set() {
		s, err := plotter.NewScatter(plotter.XYs{{X: x(ind.Target.Period), Y: ind.Target.Value.InexactFloat64()}})
		if err != nil {
			return nil, fmt.Errorf("chart: target: %w", err)
		}
		s.GlyphStyle.Color = TargetColour
		s.GlyphStyle.Radius = vg.Points(6)
		s.GlyphStyle.Shape = draw.PyramidGlyph{}
		p.Add(s)
		p.Legend.Add(Target, s)
	}
	if ind.Unit == outcomes.UnitPercentage {
		p.Y.Max = min(100, p.Y.Max+1)
	}
	return p, nil
}

// barThumb draws an error bar in the legend.
type barThumb struct{ style draw.LineStyle }

// Thumbnail implements plot.Thumbnailer.
func (b barThumb) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(b.style, x, c.Min.Y, x, c.Max.Y)
}

// ciBars feeds the error bars.
type ciBars struct {
	plotter.XYs
	plotter.YErrors
}

// x places a period on the x axis: its start, in years.
func x(p outcomes.Period) float64 {
	y := p.Start.Year()
	return float64(y) + float64(p.Start.YearDay()-1)/365.25
}

// SVG writes the row's chart as SVG.
func SVG(w io.Writer, row *outcomes.Row) error { return write(w, row, "svg") }

// PNG writes the row's chart as PNG.
func PNG(w io.Writer, row *outcomes.Row) error { return write(w, row, "png") }

func write(w io.Writer, row *outcomes.Row, format string) error {
	p, err := Plot(row)
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(Size.Width, Size.Height, format)
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	_, err = wt.WriteTo(w)
	return err
}
