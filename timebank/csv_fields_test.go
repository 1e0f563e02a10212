package timebank

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An import row with more fields than the header (an unquoted comma in the
// description) is a row error naming its line, never a description cut
// short.
func TestImportFieldCount(t *testing.T) {
	file := "date,giver,receiver,minutes,category,description\n" +
		"2024-06-01,A,B,60,garden,cut hedge, then mowed,EXTRA\n" +
		"2024-06-02,A,B,60,garden,\"cut hedge, then mowed\"\n"
	rows, errs := parseExchanges(strings.NewReader(file), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	require.Len(t, errs, 1)
	assert.Equal(t, 2, errs[0].Line)
	assert.Contains(t, errs[0].Reason, "the line has 8 fields but the header has 6")
	require.Len(t, rows, 1)
	assert.Equal(t, "cut hedge, then mowed", rows[0].description)
}
