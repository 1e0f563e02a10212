package outcomes_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

func TestReportFormats(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	in := "indicator,area,period,value,count,denominator\n" +
		"dementia-diagnosis-rate,E06000034,2017,66.55,1331,2000\n" +
		"dementia-diagnosis-rate,E06000034,2018,66.70,1334,2000\n"
	_, err := f.svc.ImportMeasurements(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(in))
	require.NoError(t, err)
	r, err := f.svc.Report(ctx, "thurrock-b3", outcomes.ReportOptions{})
	require.NoError(t, err)
	require.Len(t, r.Rows, 5)

	var buf bytes.Buffer
	require.NoError(t, r.WriteCSV(&buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 6)
	assert.Equal(t, outcomes.Columns, recs[0])
	var diag []string
	for _, rec := range recs[1:] {
		if rec[0] == "dementia-diagnosis-rate" {
			diag = rec
		}
	}
	require.NotNil(t, diag)
	assert.Equal(t, []string{"dementia-diagnosis-rate", "E06000034", "2018", "66.70", "64.604", "68.732", "66.64", "67.00", "2021", "green", "similar", "improving"},
		[]string{diag[0], diag[2], diag[3], diag[4], diag[5], diag[6], diag[7], diag[8], diag[9], diag[10], diag[11], diag[12]})

	buf.Reset()
	require.NoError(t, r.WriteJSON(&buf))
	var back struct {
		Rows []struct {
			Indicator struct{ ID string }
			Status    outcomes.Status
			Series    []outcomes.Measurement
		}
		Warnings []outcomes.Warning
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	require.Len(t, back.Rows, 5)
	assert.Len(t, back.Warnings, 2)
	for _, row := range back.Rows {
		if row.Indicator.ID == "dementia-diagnosis-rate" {
			assert.Len(t, row.Series, 2)
			assert.Equal(t, outcomes.Green, row.Status.RAG)
			assert.Equal(t, "2018", row.Status.Period.String())
		}
	}

	buf.Reset()
	require.NoError(t, r.WriteText(&buf))
	text := buf.String()
	assert.Contains(t, text, "66.70%")
	assert.Contains(t, text, "64.60% – 68.73%")
	assert.Contains(t, text, "to be confirmed")
	assert.Contains(t, text, "warning: dementia-friends")
}

// Every text cell of the CSV report that a spreadsheet would read as a
// formula is quoted with a leading ', whether it came through the Service
// (titles, areas) or was set on a Report directly; numbers stay numbers.
func TestReportCSVNeutralisesFormulas(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateFramework(ctx, f.w("officer"), outcomes.NewFramework{ID: "fw", Title: "F", Area: "\tA1"})
	require.NoError(t, err)
	titles := []string{`=HYPERLINK("http://evil.example","Click")`, "@SUM(A1:A9)", "+1+cmd|' /C calc'!A0", "-2+3", "\tTab", "Plain"}
	for i, title := range titles {
		_, err := f.svc.PutIndicator(ctx, f.w("officer"), outcomes.NewIndicator{ID: fmt.Sprint("i", i), Framework: "fw", Title: title,
			Unit: outcomes.UnitCount, ValueType: outcomes.ValueTotal, Polarity: outcomes.NoJudgement, PeriodType: outcomes.CalendarYear, Decimals: 1})
		require.NoError(t, err)
	}
	_, err = f.svc.Record(ctx, f.w("officer"), outcomes.NewMeasurement{Indicator: "i0", Area: "\tA1", Period: outcomes.MustPeriod("2017"), Value: dec("-4.5")})
	require.NoError(t, err)
	r, err := f.svc.Report(ctx, "fw", outcomes.ReportOptions{})
	require.NoError(t, err)
	// A carriage return cannot reach a title through the Service; set one.
	r.Rows[len(r.Rows)-1].Area = "\rA2"

	var buf bytes.Buffer
	require.NoError(t, r.WriteCSV(&buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 1+len(titles))
	got := map[string]bool{}
	for _, rec := range recs[1:] {
		got[rec[1]] = true
		assert.Contains(t, []string{"'\tA1", "'\rA2"}, rec[2], "area cell")
	}
	for _, want := range []string{`'=HYPERLINK("http://evil.example","Click")`, "'@SUM(A1:A9)", "'+1+cmd|' /C calc'!A0", "'-2+3", "'\tTab", "Plain"} {
		assert.True(t, got[want], "no cell %q in %v", want, got)
	}
	assert.Equal(t, "-4.5", recs[1][4], "a negative value stays a number")
}
