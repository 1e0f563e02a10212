package csvrow

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Problem is one thing wrong with a file: its line (1 is the header), the
// column or field, and why.
type Problem struct {
	Line   int
	Field  string
	Reason string
}

// Reader reads rows by column name.
type Reader struct {
	r        *csv.Reader
	cols     map[string]int
	Problems []Problem
	maxRows  int
	rows     int
	width    int // the header's field count
}

// Row is one record of the file.
type Row struct {
	Line   int
	fields []string
	rd     *Reader
}

// Option changes how NewReader reads a file.
type Option func(*options)

type options struct {
	redact bool
}

// RedactHeader makes NewReader name an unknown column by its position
// only, never by its text. Use it for files of personal data: when a file
// lacks its header line, the first line of data is read as the header,
// and quoting it in the error would put, say, an NHS number into an error
// message that callers log.
func RedactHeader() Option { return func(o *options) { o.redact = true } }

// NewReader reads the header of r. Column names are matched without regard
// to case or surrounding space. Every name in required must be present;
// names in neither list are refused, so a misspelt column is not silently
// ignored. maxRows bounds the rows read (0 means no bound). Errors about
// the header quote an unknown column's text unless RedactHeader is given;
// they quote no other text of the file.
func NewReader(r io.Reader, required, optional []string, maxRows int, opts ...Option) (*Reader, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	cr := csv.NewReader(r)
	// 0: every record must have as many fields as the header; the
	// reader reports any other count as csv.ErrFieldCount, which Next
	// turns into a problem with the row, so a value holding an unquoted
	// comma is refused rather than cut short.
	cr.FieldsPerRecord = 0
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("line 1: the file is empty; it needs a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	known := map[string]bool{}
	for _, n := range required {
		known[n] = true
	}
	for _, n := range optional {
		known[n] = true
	}
	rd := &Reader{r: cr, cols: map[string]int{}, maxRows: maxRows, width: len(head)}
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !known[name] {
			cols := strings.Join(append(slices.Clip(required), optional...), ", ")
			if o.redact {
				return nil, fmt.Errorf("line 1: column %d is not a known column (columns: %s); does the file start with its header line?", i+1, cols)
			}
			return nil, fmt.Errorf("line 1: unknown column %q (columns: %s)", h, cols)
		}
		if _, dup := rd.cols[name]; dup {
			return nil, fmt.Errorf("line 1: column %q appears twice", name)
		}
		rd.cols[name] = i
	}
	for _, n := range required {
		if _, ok := rd.cols[n]; !ok {
			return nil, fmt.Errorf("line 1: missing column %q", n)
		}
	}
	return rd, nil
}

// Has reports whether the file has the column.
func (rd *Reader) Has(name string) bool { _, ok := rd.cols[name]; return ok }

// Next returns the next row. It returns false at the end of the file, or
// after a line that cannot be read at all (recorded as a Problem), or past
// the row bound (recorded too). Blank lines are skipped. A row with more
// or fewer fields than the header is recorded as a Problem naming its line
// and skipped, and reading goes on: an unquoted comma in a value would
// otherwise shift or drop the fields after it.
func (rd *Reader) Next() (Row, bool) {
	for {
		rec, err := rd.r.Read()
		if errors.Is(err, io.EOF) {
			return Row{}, false
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
			rd.rows++
			if rd.maxRows > 0 && rd.rows > rd.maxRows {
				rd.Add(pe.StartLine, "", fmt.Sprintf("the file has more than %d rows; split it", rd.maxRows))
				return Row{}, false
			}
			rd.Add(pe.StartLine, "", fmt.Sprintf("the line has %d fields but the header has %d; quote a value that holds a comma", len(rec), rd.width))
			continue
		}
		return rd.row(rec, err)
	}
}

// row turns what the csv reader returned into a row, or a problem.
func (rd *Reader) row(rec []string, err error) (Row, bool) {
	if err != nil {
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.Line
		}
		rd.Add(line, "", "cannot read the line: "+err.Error())
		return Row{}, false
	}
	line, _ := rd.r.FieldPos(0)
	rd.rows++
	if rd.maxRows > 0 && rd.rows > rd.maxRows {
		rd.Add(line, "", fmt.Sprintf("the file has more than %d rows; split it", rd.maxRows))
		return Row{}, false
	}
	return Row{Line: line, fields: rec, rd: rd}, true
}

// Add records a problem.
func (rd *Reader) Add(line int, field, reason string) {
	rd.Problems = append(rd.Problems, Problem{Line: line, Field: field, Reason: reason})
}

// Get returns the trimmed value of a column, or "" if the row or the file
// lacks it.
func (r Row) Get(name string) string {
	i, ok := r.rd.cols[name]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Fail records a problem with this row.
func (r Row) Fail(field, format string, args ...any) {
	r.rd.Add(r.Line, field, fmt.Sprintf(format, args...))
}
