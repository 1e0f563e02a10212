package csvcell

import (
	"encoding/csv"
	"io"
	"strings"
)

// Safe returns v as a cell a spreadsheet will not evaluate: v with a
// leading single quote when it starts with =, +, -, @, a tab or a
// carriage return and is not just a number; v unchanged otherwise.
func Safe(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) || number(v) {
		return v
	}
	return "'" + v
}

// number reports whether v is a plain decimal number: an optional sign,
// digits, and optionally a point and more digits.
func number(v string) bool {
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	whole, frac, dot := strings.Cut(v, ".")
	return digits(whole) && (!dot || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Writer writes CSV records, each cell made Safe. It is encoding/csv's
// Writer with that one difference.
type Writer struct {
	w   *csv.Writer
	buf []string
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell made Safe; record itself is not
// changed. It returns the underlying writer's error.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, v := range record {
		w.buf = append(w.buf, Safe(v))
	}
	return w.w.Write(w.buf)
}

// Flush writes any buffered data to the underlying io.Writer; Error
// reports whether it failed.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports any error from a previous Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
