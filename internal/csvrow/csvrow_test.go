package csvrow

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReader(t *testing.T) {
	file := "\ufeffName , AGE\nann,42\n\nbob\n\"unterminated,3\n"
	rd, err := NewReader(strings.NewReader(file), []string{"name"}, []string{"age"}, 0)
	require.NoError(t, err)
	assert.True(t, rd.Has("age"))
	assert.False(t, rd.Has("town"))
	var rows []string
	for r, ok := rd.Next(); ok; r, ok = rd.Next() {
		rows = append(rows, r.Get("name")+"/"+r.Get("age")+"/"+r.Get("town"))
		if r.Get("age") == "" {
			r.Fail("age", "is required")
		}
	}
	assert.Equal(t, []string{"ann/42/", "bob//"}, rows, "blank lines skipped, short rows read as empty")
	require.Len(t, rd.Problems, 2)
	assert.Equal(t, Problem{Line: 4, Field: "age", Reason: "is required"}, rd.Problems[0])
	assert.Equal(t, 5, rd.Problems[1].Line, "an unreadable line is reported with its line")
}

func TestHeader(t *testing.T) {
	for name, c := range map[string]struct {
		file, want string
	}{
		"empty":    {"", "line 1: the file is empty"},
		"unknown":  {"name,colour\n", `unknown column "colour"`},
		"twice":    {"name,Name\n", `column "name" appears twice`},
		"missing":  {"age\n", `missing column "name"`},
		"redacted": {"9434765919,1\n", "column 1 is not a known column"},
	} {
		var opts []Option
		if name == "redacted" {
			opts = append(opts, RedactHeader())
		}
		_, err := NewReader(strings.NewReader(c.file), []string{"name"}, []string{"age"}, 0, opts...)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.want, name)
		if name == "redacted" {
			assert.NotContains(t, err.Error(), "9434765919", "a redacted header does not echo the value")
		}
	}
}

func TestMaxRows(t *testing.T) {
	rd, err := NewReader(strings.NewReader("name\na\nb\nc\n"), []string{"name"}, nil, 2)
	require.NoError(t, err)
	n := 0
	for _, ok := rd.Next(); ok; _, ok = rd.Next() {
		n++
	}
	assert.Equal(t, 2, n)
	require.Len(t, rd.Problems, 1)
	assert.Contains(t, rd.Problems[0].Reason, "more than 2 rows")
}
