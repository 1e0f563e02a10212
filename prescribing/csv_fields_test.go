package prescribing

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A score or usage row with more or fewer fields than the header is a row
// error naming its line, and the reason quotes nothing of the file.
func TestImportFieldCount(t *testing.T) {
	_, errs := parseScores(strings.NewReader("nhs_number,score\n9990000018,12.5\n9990000026,1,5\n9990000034\n"), modelPARR)
	require.Len(t, errs, 2)
	assert.Equal(t, RowError{Line: 3, Reason: "the line has 3 fields but the header has 2; quote a value that holds a comma"}, errs[0])
	assert.Equal(t, 4, errs[1].Line)

	_, errs = parseUsage(strings.NewReader("nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts\n" +
		"9990000018,before,1,0,3\n9990000026,before,1,0,3,9990000034\n"))
	require.Len(t, errs, 1)
	assert.Equal(t, 3, errs[0].Line)
	assert.Contains(t, errs[0].Reason, "the line has 6 fields but the header has 5")
	assert.NotContains(t, errs[0].Reason, "999", "no NHS number in the reason")
}
