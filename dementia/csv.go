package dementia

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/csvrow"
)

// maxRows bounds the rows of one import.
const maxRows = 100_000

// FriendsColumns returns the columns of a Dementia Friends CSV: date
// (YYYY-MM-DD), source (session or online), champion (for sessions: a
// registered Champion's id) and count.
func FriendsColumns() []string { return []string{"date", "source", "champion", "count"} }

// ReviewColumns returns the columns of a QOF care-plan review CSV: one row
// per practice and year, the numerator, the register and the personalised
// care adjustments by reason.
func ReviewColumns() []string {
	return []string{"practice", "pcn", "year", "numerator", "register", "unsuitable", "dissent", "no_response", "unavailable", "new"}
}

// RegisterColumns returns the columns of a register CSV: one row per
// practice, date, age band and sex, with the practice's diagnosed patients
// aged 65+ repeated on each of its rows.
func RegisterColumns() []string {
	return []string{"practice", "pcn", "date", "diagnosed", "band", "sex", "count"}
}

// importer collects a file's problems and the sentinels they stand for.
type importer struct {
	rd   *csvrow.Reader
	errs []error
}

func newImporter(r io.Reader, cols []string) (*importer, error) {
	rd, err := csvrow.NewReader(r, cols, nil, maxRows)
	if err != nil {
		return nil, &ImportError{Problems: []Problem{{Line: 1, Reason: err.Error()}}}
	}
	return &importer{rd: rd}, nil
}

// fail records err (a *FieldError) against row, prefixed with field.
func (im *importer) fail(row csvrow.Row, col string, err error) {
	var fe *FieldError
	if errors.As(err, &fe) {
		row.Fail(col, "%s", fe.Reason)
		im.errs = append(im.errs, fe.sentinel())
		return
	}
	row.Fail(col, "%s", err.Error())
}

func (im *importer) int(row csvrow.Row, col string) int64 {
	v := row.Get(col)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		row.Fail(col, "is not a whole number")
		return 0
	}
	return n
}

func (im *importer) date(row csvrow.Row, col string) time.Time {
	t, err := time.Parse(time.DateOnly, row.Get(col))
	if err != nil {
		row.Fail(col, "is not a date as YYYY-MM-DD")
	}
	return t
}

func (im *importer) done() error {
	if len(im.rd.Problems) == 0 {
		return nil
	}
	e := &ImportError{errs: im.errs}
	for _, p := range im.rd.Problems {
		e.Problems = append(e.Problems, Problem{Line: p.Line, Field: p.Field, Reason: p.Reason})
	}
	return e
}

// ImportFriends records every row of a Dementia Friends CSV (see
// FriendsColumns) in one write, or nothing: a file with any bad row is an
// *ImportError listing every one. Only a recorder may. It returns the
// number of rows recorded.
func (s *Service) ImportFriends(ctx context.Context, w call.Write, r io.Reader) (int, error) {
	fs, err := ParseFriends(r)
	if err != nil {
		return 0, fmt.Errorf("dementia.import friends: %w", err)
	}
	return write(ctx, s, w, "dementia.import.friends", fs, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			if err := s.unknownChampions(ctx, fs); err != nil {
				return nil, "", err
			}
			b := &Batch{}
			for _, f := range fs {
				b.Friends = append(b.Friends, &Friends{ID: s.newID("fr"), On: day(f.On), Source: f.Source, Champion: f.Champion, Count: f.Count, Version: 1, CreatedAt: now})
			}
			return b, strconv.Itoa(len(fs)), nil
		}, loadCount)
}

func loadCount(_ context.Context, n string) (int, error) { return strconv.Atoi(n) }

// ParseFriends reads a Dementia Friends CSV, checking every row. It
// returns an *ImportError listing every bad row.
func ParseFriends(r io.Reader) ([]NewFriends, error) {
	im, err := newImporter(r, FriendsColumns())
	if err != nil {
		return nil, err
	}
	var out []NewFriends
	for {
		row, ok := im.rd.Next()
		if !ok {
			break
		}
		n := len(im.rd.Problems)
		f := NewFriends{On: im.date(row, "date"), Source: Source(row.Get("source")), Champion: row.Get("champion"), Count: im.int(row, "count")}
		if len(im.rd.Problems) == n {
			if err := f.check(); err != nil {
				im.fail(row, "", err)
			}
		}
		out = append(out, f)
	}
	if err := im.done(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ImportError{Problems: []Problem{{Line: 2, Reason: "the file has no rows"}}}
	}
	return out, nil
}

// ImportReviews records every row of a QOF care-plan review CSV (see
// ReviewColumns) in one write, or nothing. Only a recorder may.
func (s *Service) ImportReviews(ctx context.Context, w call.Write, r io.Reader) (int, error) {
	rs, err := ParseReviews(r)
	if err != nil {
		return 0, fmt.Errorf("dementia.import reviews: %w", err)
	}
	return write(ctx, s, w, "dementia.import.reviews", rs, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			b, _, err := s.reviewBatch(ctx, rs, now)
			return b, strconv.Itoa(len(rs)), err
		}, loadCount)
}

// ParseReviews reads a QOF care-plan review CSV, checking every row: no
// negative count, adjustments within the register, the numerator within
// the register less its adjustments, one row per practice and year.
func ParseReviews(r io.Reader) ([]NewReview, error) {
	im, err := newImporter(r, ReviewColumns())
	if err != nil {
		return nil, err
	}
	var out []NewReview
	seen := map[string]int{}
	for {
		row, ok := im.rd.Next()
		if !ok {
			break
		}
		n := len(im.rd.Problems)
		v := NewReview{Practice: row.Get("practice"), PCN: row.Get("pcn"), Year: row.Get("year"),
			Numerator: im.int(row, "numerator"), Register: im.int(row, "register"),
			Adjustments: Adjustments{Unsuitable: im.int(row, "unsuitable"), Dissent: im.int(row, "dissent"), NoResponse: im.int(row, "no_response"),
				Unavailable: im.int(row, "unavailable"), New: im.int(row, "new")}}
		if len(im.rd.Problems) == n {
			if err := v.check(); err != nil {
				im.fail(row, "", err)
			} else if l, dup := seen[ReviewID(v.Practice, v.Year)]; dup {
				row.Fail("practice", "the practice and year are on line %d too", l)
			}
		}
		seen[ReviewID(v.Practice, v.Year)] = row.Line
		out = append(out, v)
	}
	if err := im.done(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ImportError{Problems: []Problem{{Line: 2, Reason: "the file has no rows"}}}
	}
	return out, nil
}

// ImportRegisters records every practice of a register CSV (see
// RegisterColumns) in one write, or nothing. Only a recorder may.
func (s *Service) ImportRegisters(ctx context.Context, w call.Write, r io.Reader) (int, error) {
	rs, err := ParseRegisters(r)
	if err != nil {
		return 0, fmt.Errorf("dementia.import registers: %w", err)
	}
	return write(ctx, s, w, "dementia.import.registers", rs, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			b, _, err := s.registerBatch(ctx, rs, now)
			return b, strconv.Itoa(len(rs)), err
		}, loadCount)
}

// ParseRegisters reads a register CSV into one NewRegister per practice
// and date, checking every row and every practice.
func ParseRegisters(r io.Reader) ([]NewRegister, error) {
	im, err := newImporter(r, RegisterColumns())
	if err != nil {
		return nil, err
	}
	var out []NewRegister
	at := map[string]int{}
	first := map[string]csvrow.Row{}
	for {
		row, ok := im.rd.Next()
		if !ok {
			break
		}
		n := len(im.rd.Problems)
		on := im.date(row, "date")
		diag := im.int(row, "diagnosed")
		c := BandCount{Band: row.Get("band"), Sex: Sex(row.Get("sex")), Count: im.int(row, "count")}
		p := row.Get("practice")
		if len(im.rd.Problems) > n {
			continue
		}
		k := RegisterID(p, on)
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			first[k] = row
			out = append(out, NewRegister{Practice: p, PCN: row.Get("pcn"), On: on, Diagnosed: diag})
		} else if out[i].Diagnosed != diag || out[i].PCN != row.Get("pcn") {
			row.Fail("diagnosed", "differs from line %d of the same practice and date", first[k].Line)
			continue
		}
		if err := checkText("band", c.Band, maxID, true); err != nil {
			im.fail(row, "band", err)
			continue
		}
		out[i].Population = append(out[i].Population, c)
	}
	for _, reg := range out {
		if err := reg.check(); err != nil {
			im.fail(first[RegisterID(reg.Practice, reg.On)], "", err)
		}
	}
	if err := im.done(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ImportError{Problems: []Problem{{Line: 2, Reason: "the file has no rows"}}}
	}
	return out, nil
}
