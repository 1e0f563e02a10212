package outcomes_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// No cell of the CSV report is read as a formula by a spreadsheet, and a
// negative number stays a number.
func TestReportCSVCellsAreNotFormulas(t *testing.T) {
	neg := decimal.RequireFromString("-1.5")
	r := &outcomes.Report{Rows: []outcomes.Row{{
		Indicator: &outcomes.Indicator{ID: "+cmd", Title: `=HYPERLINK("http://evil.example","Click")`, Decimals: 1},
		Area:      "@SUM(A1:A9)",
		Status:    outcomes.Status{Value: &neg},
	}}}
	var buf bytes.Buffer
	require.NoError(t, r.WriteCSV(&buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, []string{"'+cmd", `'=HYPERLINK("http://evil.example","Click")`, "'@SUM(A1:A9)"}, recs[1][:3])
	assert.Equal(t, "-1.5", recs[1][4], "a negative value is a number, not text")
}
