package main

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/examples/thurrock/replay"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/outcomes/costs"
)

var (
	yearFrom = time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	yearTo   = time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)
)

// TestMatrixData checks the matrix layout: a cell per ward and
// programme, active when its count is above zero, the active programmes
// per ward and the wards per programme.
func TestMatrixData(t *testing.T) {
	m := locality.Compose(yearFrom, yearTo, []string{"Aveley and Uplands", "Tilbury St Chads"},
		locality.Column{Programme: "hubs", Counts: map[string]int64{"Tilbury St Chads": 1}},
		locality.Column{Programme: "lac", Counts: map[string]int64{"Tilbury St Chads": 9, "Aveley and Uplands": 0}},
		locality.Column{Programme: "new-thing", Counts: map[string]int64{"Aveley and Uplands": 3, "Ockendon": 2}})
	p := matrixData(&replay.WardMatrix{Matrix: m, Columns: []replay.MatrixColumn{
		{Programme: "hubs", Title: "Hubs", Counts: "community hubs open at some time April 2014 to March 2015"},
		{Programme: "lac", Title: "LAC", Counts: "cases open"},
		{Programme: "new-thing", Title: "New thing"},
	}})
	assert.Equal(t, "1 April 2014 to 31 March 2015", p.Period)
	require.Len(t, p.Rows, 3, "a ward only a column names is added")
	assert.Equal(t, "Ockendon", p.Rows[2].Ward)
	assert.Equal(t, []int{1, 1, 2}, p.Reach)
	assert.Equal(t, 2, p.Rows[1].Active)
	assert.Equal(t, matrixCell{Count: 9, Active: true}, p.Rows[1].Cells[1])
	assert.Equal(t, matrixCell{}, p.Rows[0].Cells[1])
	assert.Equal(t, "Local Area Coordination", p.Columns[1].Title)
	assert.Equal(t, "LAC", p.Columns[1].Short, "the heading abbreviates, the key names it in full")
	assert.True(t, p.Columns[1].Abbr)
	assert.Equal(t, "New thing", p.Columns[2].Short)
	assert.Equal(t, "New thing", p.Columns[2].Title, "an unknown programme keeps the title it is given")
	assert.Equal(t, "Community hubs open at some time April 2014 to March 2015.", p.Columns[0].Counted)
	assert.Equal(t, "What the programme counted in the ward, 1 April 2014 to 31 March 2015.", p.Columns[2].Counted)
	assert.Equal(t, 3, p.Covered, "every ward has a programme")
}

// TestCostsData checks every step from gross to net is laid out as a
// low–high pair that adds up, with the stated parameters.
func TestCostsData(t *testing.T) {
	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
	require.NoError(t, err)
	r, err := v.Value([]costs.Event{
		{Programme: "lac", Area: "lac-tilbury", On: yearFrom.AddDate(0, 2, 0), Unit: "bed-week", Quantity: decimal.NewFromInt(2), Evidence: "case record", Confidence: costs.Medium},
		{Programme: "lac", Area: "lac-purfleet", On: yearFrom.AddDate(0, 3, 0), Unit: "day-care-session", Quantity: decimal.NewFromInt(24), Evidence: "case record", Confidence: costs.High},
	}, yearFrom, yearTo, nil)
	require.NoError(t, err)
	p := costsData(r, map[string]string{"lac-tilbury": "Tilbury"})
	require.Len(t, p.Programmes, 1)
	lac := p.Programmes[0]
	assert.Equal(t, "Local Area Coordination", lac.Title)
	require.Len(t, lac.Steps, 5)
	pr := r.Programmes[0]
	for i, want := range []costs.Range{pr.Gross, pr.Deadweight, pr.Attribution, pr.OptimismBias, pr.Net} {
		assert.Equal(t, cells(want), lac.Steps[i].Range, lac.Steps[i].ID)
	}
	assert.True(t, pr.Gross.Low.LessThan(pr.Gross.High), "a bed-week's cost is a range")
	assert.Equal(t, pr.Net, pr.Gross.Sub(pr.Deadweight).Sub(pr.Attribution).Sub(pr.OptimismBias))
	assert.Equal(t, "20%", p.Deadweight)
	assert.Equal(t, "75%", p.Attribution)
	assert.Contains(t, lac.Steps[2].Label, "25%")
	assert.Contains(t, lac.Steps[3].Label, "20% for medium")
	assert.Equal(t, "Tilbury", lac.Areas[1].Area)
	assert.Equal(t, "lac-purfleet", lac.Areas[0].Area, "an area without a name keeps its id")
	assert.Equal(t, "2 weeks", lac.Lines[0].Quantity)
	assert.Equal(t, []string{"2014/15"}, p.PriceBases)
}

func TestTopThemes(t *testing.T) {
	assert.Equal(t, "parking (3); litter (2)", topThemes(map[string]int{"litter": 2, "parking": 3, "trees": 1}, 2))
	assert.Equal(t, "a (1); b (1)", topThemes(map[string]int{"b": 1, "a": 1}, 5))
	assert.Equal(t, "none recorded", topThemes(nil, 3))
}
