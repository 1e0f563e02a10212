package outcomes_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// A measurement or Fingertips row with more fields than the header (an
// unquoted comma) is a row error naming its line, not a shifted value.
func TestImportFieldCount(t *testing.T) {
	lines, errs := outcomes.ParseMeasurementsCSV(strings.NewReader("indicator,area,period,value,note\n" +
		"loneliness,E06000034,2015/16,12.5,self-reported, weighted\n" +
		"loneliness,E06000034,2016/17,12.1,\"self-reported, weighted\"\n"))
	require.Len(t, errs, 1)
	assert.Equal(t, outcomes.RowError{Line: 2, Reason: "the line has 6 fields but the header has 5; quote a value that holds a comma"}, errs[0])
	require.Len(t, lines, 1)
	assert.Equal(t, "self-reported, weighted", lines[0].Measurement.Note)

	rows, errs := outcomes.ParseFingertipsCSV(strings.NewReader("Indicator ID,Area Code,Time period,Value,Value note\n" +
		"90366,E06000034,2016,1,234.5,\n" +
		"90366,E06000034,2017,1234.5,\n"))
	require.Len(t, errs, 1)
	assert.Equal(t, outcomes.RowError{Line: 2, Reason: "the line has 6 fields but the header has 5; quote a value that holds a comma"}, errs[0])
	require.Len(t, rows, 1)
	assert.Equal(t, 3, rows[0].Line)
}
