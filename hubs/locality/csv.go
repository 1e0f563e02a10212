package locality

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/csvrow"
)

// ImportError reports every bad row of a CSV import. Nothing was written.
// It wraps ErrInvalid (and ErrNegative when a count was negative).
type ImportError struct {
	Problems []Problem
}

// Problem is one bad row of an import: its line (1 is the header), the
// column, and why. It quotes no cell of the file.
type Problem struct {
	Line   int
	Field  string
	Reason string
}

// Error implements error.
func (e *ImportError) Error() string {
	if len(e.Problems) == 0 {
		return ErrInvalid.Error() + ": import refused"
	}
	p := e.Problems[0]
	return fmt.Sprintf("%s: import refused: %d problem(s); first: line %d: %s: %s", ErrInvalid, len(e.Problems), p.Line, p.Field, p.Reason)
}

// Unwrap returns the sentinels the problems stand for.
func (e *ImportError) Unwrap() []error {
	errs := []error{ErrInvalid}
	for _, p := range e.Problems {
		if strings.Contains(p.Reason, "negative") {
			errs = append(errs, ErrNegative)
			break
		}
	}
	return errs
}

// The columns of a listening CSV file: one row per ward and period.
var (
	listeningRequired = []string{"area", "ward", "from", "to", "conversations"}
	listeningOptional = []string{"themes"}
)

// MaxImportRows bounds the rows of an import.
const MaxImportRows = 50_000

// ParseListening reads listening counts from CSV with the columns area,
// ward, from and to (YYYY-MM-DD), conversations and optionally themes
// (separated by ";"). A file names no resident. Any problem returns no
// rows and an *ImportError naming every problem.
func ParseListening(r io.Reader) ([]NewListening, error) {
	rd, err := csvrow.NewReader(r, listeningRequired, listeningOptional, MaxImportRows)
	if err != nil {
		return nil, fmt.Errorf("parse listening: %w", &ImportError{Problems: []Problem{{Line: 1, Field: "header", Reason: err.Error()}}})
	}
	var out []NewListening
	for {
		row, ok := rd.Next()
		if !ok {
			break
		}
		in := NewListening{Area: row.Get("area"), Ward: row.Get("ward")}
		bad := false
		for _, c := range []struct {
			col string
			to  *time.Time
		}{{"from", &in.From}, {"to", &in.To}} {
			t, err := time.Parse(time.DateOnly, row.Get(c.col))
			if err != nil {
				row.Fail(c.col, "is not a date as YYYY-MM-DD")
				bad = true
			}
			*c.to = t
		}
		n, err := strconv.ParseInt(row.Get("conversations"), 10, 64)
		if err != nil {
			row.Fail("conversations", "is not a whole number")
			bad = true
		}
		in.Conversations = n
		for _, t := range strings.Split(row.Get("themes"), ";") {
			if t = strings.TrimSpace(t); t != "" {
				in.Themes = append(in.Themes, t)
			}
		}
		if bad {
			continue
		}
		if err := checkText("area", in.Area, maxID, true); err != nil {
			row.Fail("area", "%s", reason(err))
			continue
		}
		if err := checkText("ward", in.Ward, maxName, false); err != nil {
			row.Fail("ward", "%s", reason(err))
			continue
		}
		if err := in.check(); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) && errors.Is(err, ErrNegative) {
				row.Fail("conversations", "is negative")
			} else {
				row.Fail(strings.ToLower(fieldOf(err)), "%s", reason(err))
			}
			continue
		}
		out = append(out, in)
	}
	if len(rd.Problems) > 0 {
		e := &ImportError{}
		for _, p := range rd.Problems {
			e.Problems = append(e.Problems, Problem(p))
		}
		return nil, fmt.Errorf("parse listening: %w", e)
	}
	return out, nil
}

func reason(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return "is refused"
}

func fieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return "row"
}

// ImportListening reads a listening CSV file (see ParseListening) and
// records every row in one write, or none: an unknown area or ward on any
// row refuses the whole file.
func (s *Service) ImportListening(ctx context.Context, w call.Write, r io.Reader) ([]*Listening, error) {
	rows, err := ParseListening(r)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i := range ids {
		ids[i] = s.newID()
	}
	return write(ctx, s, w, "locality.import_listening", rows, s.may(w.Actor, RoleOrganiser),
		func(now time.Time) (*Batch, string, error) {
			b := &Batch{}
			for i, in := range rows {
				l, err := s.listening(ctx, ids[i], in, now)
				if err != nil {
					return nil, "", fmt.Errorf("row %d: %w", i+2, err)
				}
				b.Listening = append(b.Listening, l)
			}
			return b, strings.Join(ids, ","), nil
		}, func(ctx context.Context, result string) ([]*Listening, error) {
			var out []*Listening
			for id := range strings.SplitSeq(result, ",") {
				if id == "" {
					continue
				}
				l, err := s.store.ListeningCount(ctx, id)
				if err != nil {
					return nil, err
				}
				out = append(out, l)
			}
			return slices.Clip(out), nil
		})
}
