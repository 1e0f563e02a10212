package chart

import (
	"bufio"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// A scene is a chart laid out as simple shapes in pixels, y downwards,
// ready for either writer: svg writes it as SVG by hand (so it carries a
// <title>, a <desc> and classes); png rasterises it with gonum's vgimg.
type scene struct {
	w, h        float64
	title, desc string
	id          string
	shapes      []shape
}

// shape is one drawn element. kind is "rect", "line", "polyline",
// "polygon", "circle" or "text"; class names what it shows.
type shape struct {
	kind   string
	class  string
	pts    []pt // line: 2 points; polyline, polygon: the points; rect: min, max; circle: centre
	r      float64
	fill   string // "" or "none" for no fill
	stroke string
	width  float64
	dash   []float64
	text   string
	size   float64
	bold   bool
	anchor string // "start", "middle" or "end"
	tip    string // a <title> for the element
}

type pt struct{ x, y float64 }

func (s *scene) add(sh shape) { s.shapes = append(s.shapes, sh) }

// fontFamily is the SVG font list. Liberation Sans has Arial's metrics,
// so text measured with it fits where Arial or Liberation is installed.
const fontFamily = "Arial, 'Liberation Sans', Helvetica, sans-serif"

var (
	fontsOnce sync.Once
	fonts     *font.Cache
)

// face returns Liberation Sans at size pixels (measured in points, so its
// widths come out in pixels).
func face(size float64, bold bool) font.Face {
	fontsOnce.Do(func() { fonts = font.NewCache(liberation.Collection()) })
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return fonts.Lookup(f, font.Length(size))
}

// textWidth is the width of s in pixels.
func textWidth(s string, size float64, bold bool) float64 {
	f := face(size, bold)
	return float64(f.Width(s))
}

// wrap breaks s into lines no wider than width, breaking at spaces; a
// word wider than the line is broken between characters. Nothing is cut.
func wrap(s string, size float64, bold bool, width float64) []string {
	var lines []string
	line := ""
	fits := func(t string) bool { return room(t, size, bold) <= width }
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if fits(try) {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		for !fits(word) {
			rs := []rune(word)
			n := len(rs) - 1
			for n > 1 && !fits(string(rs[:n])) {
				n--
			}
			lines = append(lines, string(rs[:n]))
			word = string(rs[n:])
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// room is the width to leave for s: its width in Liberation Sans (Arial's
// metrics) with room for a viewer that falls back to a wider font (DejaVu
// Sans is about 12% wider than Arial, and 20% in bold).
func room(s string, size float64, bold bool) float64 {
	if bold {
		return textWidth(s, size, bold) * 1.24
	}
	return textWidth(s, size, bold) * 1.15
}

// num writes a coordinate with at most two decimals.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			if r < 0x20 && r != '\t' && r != '\n' {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeSVG writes the scene as a standalone SVG document.
func (s *scene) writeSVG(w io.Writer) error {
	bw := bufio.NewWriter(w)
	tid, did := s.id+"-title", s.id+"-desc"
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-labelledby="%s %s" font-family="%s">`+"\n",
		num(s.w), num(s.h), num(s.w), num(s.h), tid, did, esc(fontFamily))
	fmt.Fprintf(bw, "<title id=\"%s\">%s</title>\n<desc id=\"%s\">%s</desc>\n", tid, esc(s.title), did, esc(s.desc))
	group := ""
	for _, sh := range s.shapes {
		cls := sh.class
		if i := strings.IndexByte(cls, ' '); i >= 0 {
			cls = cls[:i]
		}
		if cls != group {
			if group != "" {
				bw.WriteString("</g>\n")
			}
			group = cls
			fmt.Fprintf(bw, "<g class=\"%s\">\n", esc(group))
		}
		sh.writeSVG(bw)
	}
	if group != "" {
		bw.WriteString("</g>\n")
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

func (sh *shape) writeSVG(w *bufio.Writer) {
	var attrs strings.Builder
	a := func(k, v string) { fmt.Fprintf(&attrs, ` %s="%s"`, k, esc(v)) }
	a("class", sh.class)
	paint := func() {
		if sh.kind != "line" && sh.kind != "polyline" {
			if sh.fill == "" {
				a("fill", "none")
			} else {
				a("fill", sh.fill)
			}
		} else {
			a("fill", "none")
		}
		if sh.stroke != "" && sh.width > 0 {
			a("stroke", sh.stroke)
			a("stroke-width", num(sh.width))
			if len(sh.dash) > 0 {
				d := make([]string, len(sh.dash))
				for i, x := range sh.dash {
					d[i] = num(x)
				}
				a("stroke-dasharray", strings.Join(d, " "))
			}
		}
	}
	points := func() string {
		ps := make([]string, len(sh.pts))
		for i, p := range sh.pts {
			ps[i] = num(p.x) + "," + num(p.y)
		}
		return strings.Join(ps, " ")
	}
	var el string
	switch sh.kind {
	case "rect":
		el = "rect"
		a("x", num(sh.pts[0].x))
		a("y", num(sh.pts[0].y))
		a("width", num(sh.pts[1].x-sh.pts[0].x))
		a("height", num(sh.pts[1].y-sh.pts[0].y))
		paint()
	case "line":
		el = "line"
		a("x1", num(sh.pts[0].x))
		a("y1", num(sh.pts[0].y))
		a("x2", num(sh.pts[1].x))
		a("y2", num(sh.pts[1].y))
		paint()
	case "polyline", "polygon":
		el = sh.kind
		a("points", points())
		paint()
	case "circle":
		el = "circle"
		a("cx", num(sh.pts[0].x))
		a("cy", num(sh.pts[0].y))
		a("r", num(sh.r))
		paint()
	case "text":
		el = "text"
		a("x", num(sh.pts[0].x))
		a("y", num(sh.pts[0].y))
		a("font-size", num(sh.size))
		if sh.bold {
			a("font-weight", "bold")
		}
		if sh.anchor != "" && sh.anchor != "start" {
			a("text-anchor", sh.anchor)
		}
		a("fill", sh.fill)
		fmt.Fprintf(w, "<text%s>%s</text>\n", attrs.String(), esc(sh.text))
		return
	}
	if sh.tip != "" {
		fmt.Fprintf(w, "<%s%s><title>%s</title></%s>\n", el, attrs.String(), esc(sh.tip), el)
		return
	}
	fmt.Fprintf(w, "<%s%s/>\n", el, attrs.String())
}

// pngScale is the PNG's pixels per chart pixel: twice, so it is sharp on
// a high-density screen and in print.
const pngScale = 2

// writePNG rasterises the scene with gonum's vgimg.
func (s *scene) writePNG(w io.Writer) error {
	const ptPerPx = 0.75 // 96 px to the inch, 72 pt
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(s.w*ptPerPx), vg.Length(s.h*ptPerPx)), vgimg.UseDPI(96*pngScale))
	at := func(p pt) vg.Point { return vg.Point{X: vg.Length(p.x * ptPerPx), Y: vg.Length((s.h - p.y) * ptPerPx)} }
	for _, sh := range s.shapes {
		var path vg.Path
		switch sh.kind {
		case "rect":
			a, b := sh.pts[0], sh.pts[1]
			path.Move(at(a))
			path.Line(at(pt{b.x, a.y}))
			path.Line(at(b))
			path.Line(at(pt{a.x, b.y}))
			path.Close()
		case "line", "polyline", "polygon":
			for i, p := range sh.pts {
				if i == 0 {
					path.Move(at(p))
				} else {
					path.Line(at(p))
				}
			}
			if sh.kind == "polygon" {
				path.Close()
			}
		case "circle":
			c0 := at(sh.pts[0])
			path.Move(vg.Point{X: c0.X + vg.Length(sh.r*ptPerPx), Y: c0.Y})
			path.Arc(c0, vg.Length(sh.r*ptPerPx), 0, 2*math.Pi)
			path.Close()
		case "text":
			f := face(sh.size*ptPerPx, sh.bold)
			p := at(sh.pts[0])
			switch sh.anchor {
			case "middle":
				p.X -= f.Width(sh.text) / 2
			case "end":
				p.X -= f.Width(sh.text)
			}
			c.SetColor(hex(sh.fill))
			c.FillString(f, p, sh.text)
			continue
		}
		if sh.fill != "" && sh.fill != "none" && sh.kind != "line" && sh.kind != "polyline" {
			c.SetColor(hex(sh.fill))
			c.Fill(path)
		}
		if sh.stroke != "" && sh.width > 0 {
			c.SetColor(hex(sh.stroke))
			c.SetLineWidth(vg.Length(sh.width * ptPerPx))
			var ds []vg.Length
			for _, d := range sh.dash {
				ds = append(ds, vg.Length(d*ptPerPx))
			}
			c.SetLineDash(ds, 0)
			c.Stroke(path)
		}
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("chart: write png: %w", err)
	}
	return nil
}

// hex reads a "#RRGGBB" colour; anything else is black.
func hex(s string) color.Color {
	if len(s) != 7 || s[0] != '#' {
		return color.Black
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.Black
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}
