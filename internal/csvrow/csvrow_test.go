package csvrow

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReader(t *testing.T) {
	file := "\ufeffName , AGE\nann,42\n\nbob,\n\"unterminated,3\n"
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
	assert.Equal(t, []string{"ann/42/", "bob//"}, rows, "blank lines skipped, empty values read as empty")
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

// A row with more or fewer fields than the header is a problem naming its
// line, and the rows after it are still read.
func TestFieldCount(t *testing.T) {
	file := "date,giver,receiver,minutes,category,description\n" +
		"2024-06-01,A,B,60,garden,cut hedge\n" +
		"2024-06-01,A,B,60,garden,cut hedge, then mowed,EXTRA\n" +
		"2024-06-02,A,B,60,garden\n" +
		"\"2024-06-03\",A,B,60,garden,\"two\nlines\",more\n" +
		"2024-06-04,A,B,60,garden,\"cut hedge, then mowed\"\n"
	rd, err := NewReader(strings.NewReader(file), []string{"date", "giver", "receiver", "minutes", "category", "description"}, nil, 0)
	require.NoError(t, err)
	var got []string
	for r, ok := rd.Next(); ok; r, ok = rd.Next() {
		got = append(got, fmt.Sprintf("%d:%s", r.Line, r.Get("description")))
	}
	assert.Equal(t, []string{"2:cut hedge", "7:cut hedge, then mowed"}, got, "only rows with the header's field count are returned")
	require.Len(t, rd.Problems, 3)
	for i, c := range []struct{ line, fields int }{{3, 8}, {4, 5}, {5, 7}} {
		p := rd.Problems[i]
		assert.Equal(t, c.line, p.Line, "the problem names the line the row starts on")
		assert.Equal(t, fmt.Sprintf("the line has %d fields but the header has 6; quote a value that holds a comma", c.fields), p.Reason)
		assert.NotContains(t, p.Reason, "EXTRA", "the reason quotes no text of the file")
	}
}

// Rows with the wrong field count count towards the row bound, so a file
// of them cannot be read without end.
func TestFieldCountBound(t *testing.T) {
	file := "name,age\n" + strings.Repeat("a,1,x\n", 5)
	rd, err := NewReader(strings.NewReader(file), []string{"name"}, []string{"age"}, 3)
	require.NoError(t, err)
	_, ok := rd.Next()
	assert.False(t, ok)
	require.Len(t, rd.Problems, 4)
	assert.Equal(t, Problem{Line: 5, Reason: "the file has more than 3 rows; split it"}, rd.Problems[3])
}
