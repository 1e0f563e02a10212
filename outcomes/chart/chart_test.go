package chart_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
)

// reportRow loads the seed's B3 framework, records five years of the
// dementia diagnosis rate with counts (so each has a Wilson interval) and
// returns its report row.
func reportRow(t *testing.T) *outcomes.Row {
	t.Helper()
	ctx := context.Background()
	svc := outcomes.NewService(memory.NewOutcomesStore(),
		outcomes.WithClock(func() time.Time { return time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC) }))
	f, err := os.Open("../../examples/frameworks/thurrock-b3.json")
	require.NoError(t, err)
	defer f.Close()
	officer := call.As("officer")
	require.NoError(t, svc.Bootstrap(ctx, officer))
	_, err = svc.LoadFramework(ctx, officer.Key("load"), f)
	require.NoError(t, err)
	csv := "indicator,area,period,value,count,denominator\n" +
		"dementia-diagnosis-rate,E06000034,2016,66.40,1328,2000\n" +
		"dementia-diagnosis-rate,E06000034,2017,66.30,1326,2000\n" +
		"dementia-diagnosis-rate,E06000034,2018,66.70,1334,2000\n" +
		"dementia-diagnosis-rate,E06000034,2019,66.95,1339,2000\n" +
		"dementia-diagnosis-rate,E06000034,2020,67.10,1342,2000\n"
	_, err = svc.ImportMeasurements(ctx, officer.Key("import"), "thurrock-b3", strings.NewReader(csv))
	require.NoError(t, err)
	r, err := svc.Report(ctx, "thurrock-b3", outcomes.ReportOptions{})
	require.NoError(t, err)
	for i := range r.Rows {
		if r.Rows[i].Indicator.ID == "dementia-diagnosis-rate" {
			return &r.Rows[i]
		}
	}
	t.Fatal("no row")
	return nil
}

func TestSVG(t *testing.T) {
	row := reportRow(t)
	require.Len(t, row.Series, 5)
	var buf bytes.Buffer
	require.NoError(t, chart.SVG(&buf, row))

	// Valid XML whose root is <svg>, carrying every series' legend name.
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	var root string
	var texts []string
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is not well-formed XML")
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
			}
			inText = el.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	assert.Equal(t, "svg", root)
	all := strings.Join(texts, "|")
	for _, name := range []string{chart.Measured, chart.CI, chart.Trajectory, chart.Target, "Estimated dementia diagnosis rate"} {
		assert.Contains(t, all, name)
	}
	// Each series is drawn in its colour.
	svg := buf.String()
	for name, c := range map[string]string{chart.Measured: "fill:#1F4EB4", chart.CI: "stroke:#6B6B6B",
		chart.Trajectory: "stroke:#00993D", chart.Target: "fill:#D61F1F"} {
		assert.Greater(t, strings.Count(svg, c), 1, "series %s (%s) is not drawn", name, c)
	}
}

func TestPNG(t *testing.T) {
	row := reportRow(t)
	var buf bytes.Buffer
	require.NoError(t, chart.PNG(&buf, row))
	img, err := png.Decode(&buf)
	require.NoError(t, err, "not a valid PNG")
	b := img.Bounds()
	assert.Greater(t, b.Dx(), 300)
	assert.Greater(t, b.Dy(), 200)
	// Count pixels of each series' colour: every series is drawn.
	counts := map[string]int{}
	want := map[string][3]uint8{
		chart.Measured:   {0x1f, 0x4e, 0xb4},
		chart.CI:         {0x6b, 0x6b, 0x6b},
		chart.Trajectory: {0x00, 0x99, 0x3d},
		chart.Target:     {0xd6, 0x1f, 0x1f},
	}
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
		assert.Greater(t, counts[name], 10, "series %s has %d pixels", name, counts[name])
	}
}

func TestNoData(t *testing.T) {
	var buf bytes.Buffer
	ind := &outcomes.Indicator{ID: "x", Title: "Nothing yet", Unit: outcomes.UnitCount, PeriodType: outcomes.CalendarYear}
	require.NoError(t, chart.SVG(&buf, &outcomes.Row{Indicator: ind}))
	assert.Contains(t, buf.String(), "<svg")
	assert.Error(t, chart.SVG(&buf, nil))
}
