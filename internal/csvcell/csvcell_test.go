package csvcell

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil.example","Click")`: `'=HYPERLINK("http://evil.example","Click")`,
		"@SUM(A1:A9)":            "'@SUM(A1:A9)",
		"+44 1375 652 652":       "'+44 1375 652 652",
		"-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
		"\t=1+1":                 "'\t=1+1",
		"\r=1+1":                 "'\r=1+1",
		"-":                      "'-",
		"-.5":                    "'-.5",
		"-1.":                    "'-1.",
		"-1e5":                   "'-1e5",
		"-60":                    "-60",
		"-1.5":                   "-1.5",
		"+60":                    "+60",
		"60":                     "60",
		"":                       "",
		"cut hedge":              "cut hedge",
		"a=b":                    "a=b",
		"'=already":              "'=already",
	} {
		assert.Equal(t, want, Safe(in), "%q", in)
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	rec := []string{"@SUM(A1:A9)", "-60", "plain"}
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Write([]string{"=1+1"}))
	w.Flush()
	require.NoError(t, w.Error())
	assert.Equal(t, []string{"@SUM(A1:A9)", "-60", "plain"}, rec, "the caller's record is not changed")
	assert.Equal(t, "'@SUM(A1:A9),-60,plain\n'=1+1\n", buf.String())
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	got, err := r.ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"'@SUM(A1:A9)", "-60", "plain"}, {"'=1+1"}}, got)
}
