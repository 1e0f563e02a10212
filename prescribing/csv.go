package prescribing

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/strongertogether/community/internal/csvrow"
)

// MaxImportRows bounds the rows of one import file: more than the largest
// practice list.
const MaxImportRows = 200_000

// RowError is one problem in an import file.
type RowError struct {
	Line   int    // line of the file; 1 is the header
	Field  string // the column
	Reason string
}

// String describes the problem with its line and column.
func (e RowError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// ImportError lists every problem found in an import file. It wraps
// ErrInvalid. When it is returned nothing of the file was written. Its
// reasons never repeat an NHS number.
type ImportError struct {
	Rows []RowError
}

// Error implements error, listing up to ten problems.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %d problem(s) in the file, nothing imported", ErrInvalid, len(e.Rows))
	for i, r := range e.Rows {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-10)
			break
		}
		b.WriteString("; " + r.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }

// ScoreColumns are the columns of a risk score file: "nhs_number" and
// "score" are required.
func ScoreColumns() []string { return []string{"nhs_number", "score"} }

// scoreRow is one parsed line of a score file.
type scoreRow struct {
	line  int
	nhs   NHSNumber
	score Score
}

// parseScores reads a score file without looking anything up: it checks
// each value's form and range and that no NHS number appears twice, and
// returns the rows and every problem.
func parseScores(r io.Reader, m Model) ([]scoreRow, []RowError) {
	// RedactHeader: a file without its header line has an NHS number
	// where a column name should be, which must not reach the error.
	rd, err := csvrow.NewReader(r, scoreColumns, nil, MaxImportRows, csvrow.RedactHeader())
	if err != nil {
		return nil, []RowError{{Line: 1, Reason: err.Error()}}
	}
	var rows []scoreRow
	seen := map[NHSNumber]int{}
	for rec, ok := rd.Next(); ok; rec, ok = rd.Next() {
		x := scoreRow{line: rec.Line}
		bad := len(rd.Problems)
		if nhs, err := ParseNHSNumber(rec.Get("nhs_number")); err != nil {
			rec.Fail("nhs_number", "%s", err.(*FieldError).Reason)
		} else if first, dup := seen[nhs]; dup {
			rec.Fail("nhs_number", "the same patient is on line %d", first)
		} else {
			seen[nhs] = rec.Line
			x.nhs = nhs
		}
		if v, err := ParseScore(rec.Get("score")); err != nil {
			rec.Fail("score", "is not a number with at most six decimal places")
		} else if err := m.check(v); err != nil {
			rec.Fail("score", "%s", err.(*FieldError).Reason)
		} else {
			x.score = v
		}
		if len(rd.Problems) == bad {
			rows = append(rows, x)
		}
	}
	errs := make([]RowError, len(rd.Problems))
	for i, p := range rd.Problems {
		errs[i] = RowError{Line: p.Line, Field: p.Field, Reason: p.Reason}
	}
	if len(rows) == 0 && len(errs) == 0 {
		errs = append(errs, RowError{Line: 1, Reason: "the file has no rows"})
	}
	return rows, errs
}

// readAll reads an import file into memory, bounded.
func readAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, 64<<20+1))
	if err != nil {
		return nil, err
	}
	if n > 64<<20 {
		return nil, invalid("File", "is larger than 64 MiB")
	}
	return buf.Bytes(), nil
}

// scoreColumns is ScoreColumns as the package reads files with it.
var scoreColumns = ScoreColumns()
