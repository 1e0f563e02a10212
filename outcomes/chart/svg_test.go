package chart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"

	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
)

// element is one drawn SVG element, read back with encoding/xml.
type element struct {
	name  string
	attrs map[string]string
	text  string // a <text>'s characters, or a <title>/<desc>'s
	depth int
}

func (e element) f(k string) float64 {
	v, err := strconv.ParseFloat(e.attrs[k], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

func (e element) class() string { return e.attrs["class"] }

func (e element) hasClass(c string) bool {
	return strings.Contains(" "+e.attrs["class"]+" ", " "+c+" ")
}

// doc is a parsed chart.
type doc struct {
	root  element
	els   []element
	w, h  float64
	title string
	desc  string
}

func render(t *testing.T, row *outcomes.Row, opts ...chart.Option) (*doc, string) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, chart.SVG(&buf, row, opts...))
	return parse(t, buf.Bytes()), buf.String()
}

func parse(t *testing.T, b []byte) *doc {
	t.Helper()
	d := &doc{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []int // indexes into d.els, -1 for the root
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "the SVG is not well-formed XML")
		switch el := tok.(type) {
		case xml.StartElement:
			e := element{name: el.Name.Local, attrs: map[string]string{}, depth: depth}
			for _, a := range el.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			depth++
			if depth == 1 {
				require.Equal(t, "svg", e.name, "the root is not <svg>")
				d.root = e
				stack = append(stack, -1)
				continue
			}
			d.els = append(d.els, e)
			stack = append(stack, len(d.els)-1)
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] >= 0 {
				d.els[stack[len(stack)-1]].text += string(el)
			}
		case xml.EndElement:
			depth--
			stack = stack[:len(stack)-1]
		}
	}
	var vb [4]float64
	parts := strings.Fields(d.root.attrs["viewBox"])
	require.Len(t, parts, 4, "viewBox")
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		require.NoError(t, err)
		vb[i] = v
	}
	d.w, d.h = vb[2], vb[3]
	for _, e := range d.els {
		if e.depth == 1 && e.name == "title" {
			d.title = e.text
		}
		if e.depth == 1 && e.name == "desc" {
			d.desc = e.text
		}
	}
	return d
}

// all returns the elements with class c.
func (d *doc) all(c string) []element {
	var out []element
	for _, e := range d.els {
		if e.name != "g" && e.hasClass(c) {
			out = append(out, e)
		}
	}
	return out
}

func (d *doc) texts(c string) []string {
	var out []string
	for _, e := range d.all(c) {
		if e.name == "text" {
			out = append(out, e.text)
		}
	}
	return out
}

type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

var (
	measureFonts = font.NewCache(liberation.Collection())
)

// textWidth measures with Liberation Sans (Arial's metrics).
func textWidth(s string, size float64, bold bool) float64 {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	face := measureFonts.Lookup(f, font.Length(size))
	return float64(face.Width(s))
}

// bbox is an element's bounding box, strokes and text extents included.
func bbox(e element) (box, bool) {
	sw := e.f("stroke-width")
	if math.IsNaN(sw) {
		sw = 0
	}
	h := sw / 2
	switch e.name {
	case "rect":
		return box{e.f("x") - h, e.f("y") - h, e.f("x") + e.f("width") + h, e.f("y") + e.f("height") + h}, true
	case "line":
		return box{math.Min(e.f("x1"), e.f("x2")) - h, math.Min(e.f("y1"), e.f("y2")) - h,
			math.Max(e.f("x1"), e.f("x2")) + h, math.Max(e.f("y1"), e.f("y2")) + h}, true
	case "circle":
		r := e.f("r") + h
		return box{e.f("cx") - r, e.f("cy") - r, e.f("cx") + r, e.f("cy") + r}, true
	case "polyline", "polygon":
		b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, p := range strings.Fields(e.attrs["points"]) {
			xy := strings.Split(p, ",")
			x, _ := strconv.ParseFloat(xy[0], 64)
			y, _ := strconv.ParseFloat(xy[1], 64)
			b = box{math.Min(b.x0, x-h), math.Min(b.y0, y-h), math.Max(b.x1, x+h), math.Max(b.y1, y+h)}
		}
		return b, true
	case "text":
		size := e.f("font-size")
		w := textWidth(e.text, size, e.attrs["font-weight"] == "bold")
		x, y := e.f("x"), e.f("y")
		switch e.attrs["text-anchor"] {
		case "middle":
			x -= w / 2
		case "end":
			x -= w
		}
		return box{x, y - 0.8*size, x + w, y + 0.25*size}, true
	}
	return box{}, false
}
