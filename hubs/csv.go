package hubs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/csvrow"
)

// MaxImport is the largest CSV file an import reads, in bytes.
const MaxImport = 64 << 20

// maxRows bounds the rows of one import.
const maxRows = 200_000

// readImport checks the actor, then reads at most MaxImport bytes of r.
func (s *Service) readImport(ctx context.Context, w call.Write, role Role, r io.Reader) ([]byte, error) {
	if err := s.check(ctx, w.Actor, role); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImport+1))
	if err != nil {
		return nil, fmt.Errorf("read the file: %w", err)
	}
	if len(data) > MaxImport {
		return nil, invalid("file", "is larger than %d MiB", MaxImport>>20)
	}
	return data, nil
}

// rows reads a CSV file with csvrow and calls each for every row.
func rows(data []byte, required, optional []string, each func(r csvrow.Row)) error {
	rd, err := csvrow.NewReader(bytes.NewReader(data), required, optional, maxRows, csvrow.RedactHeader())
	if err != nil {
		return &ImportError{Problems: []Problem{{Line: 1, Field: "header", Reason: err.Error()}}}
	}
	for {
		r, ok := rd.Next()
		if !ok {
			break
		}
		each(r)
	}
	return problems(rd.Problems)
}

// merge adds to the problems of a file's rows (err) those that build
// finds against the store in the rows that parsed, so that one answer
// lists every bad row.
func merge(err error, build func(time.Time) (*Batch, string, error), now time.Time) error {
	var ie *ImportError
	if !errors.As(err, &ie) {
		return err
	}
	_, _, berr := build(now)
	var more *ImportError
	if errors.As(berr, &more) {
		ie.Problems = append(ie.Problems, more.Problems...)
		slices.SortStableFunc(ie.Problems, func(a, b Problem) int { return a.Line - b.Line })
	}
	return ie
}

func problems(ps []csvrow.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	e := &ImportError{}
	for _, p := range ps {
		e.Problems = append(e.Problems, Problem{Line: p.Line, Field: p.Field, Reason: p.Reason})
	}
	return e
}

// fail records err, a *FieldError, against row r.
func fail(r csvrow.Row, col string, err error) {
	var fe *FieldError
	if errors.As(err, &fe) {
		r.Fail(col, "%s", fe.Reason)
		return
	}
	r.Fail(col, "%s", err.Error())
}

func parseDate(r csvrow.Row, col string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, r.Get(col))
	if err != nil {
		r.Fail(col, "is not a date as YYYY-MM-DD")
		return time.Time{}, false
	}
	return t, true
}

func parseInt(r csvrow.Row, col string, optional bool) (int64, bool) {
	v := r.Get(col)
	if v == "" && optional {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.Fail(col, "is not a whole number")
		return 0, false
	}
	if n < 0 {
		r.Fail(col, "is negative; counts are never negative")
		return 0, false
	}
	return n, true
}

// ImportVisits reads daily visit counts from CSV (columns hub, date
// YYYY-MM-DD, count, and method: "door counter" or "tally", by default
// tally) and records them all, or, if any row is bad, none: the
// *ImportError lists every bad row. The actor (a recorder) is checked
// before the file is read; the file may hold at most MaxImport bytes. It
// returns how many days were recorded.
func (s *Service) ImportVisits(ctx context.Context, w call.Write, r io.Reader) (int, error) {
	data, err := s.readImport(ctx, w, RoleRecorder, r)
	if err != nil {
		return 0, fmt.Errorf("import visits: %w", err)
	}
	var in []NewVisit
	lines := map[int]int{}
	err = rows(data, []string{"hub", "date", "count"}, []string{"method"}, func(r csvrow.Row) {
		on, ok1 := parseDate(r, "date")
		n, ok2 := parseInt(r, "count", false)
		m := CountMethod(r.Get("method"))
		if m == "" {
			m = ByTally
		}
		v := NewVisit{Hub: r.Get("hub"), On: day(on), Count: n, Method: m}
		if err := validVisit(v); err != nil && ok1 && ok2 {
			fail(r, "method", err)
			return
		}
		if ok1 && ok2 {
			lines[len(in)] = r.Line
			in = append(in, v)
		}
	})
	build := func(now time.Time) (*Batch, string, error) {
		b := &Batch{}
		var ps []Problem
		seen := map[string]bool{}
		for i, v := range in {
			x, err := s.newVisit(ctx, v, now)
			if err == nil && seen[x.ID] {
				err = invalid("date", "the hub's day appears twice in the file")
			}
			if err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) {
					return nil, "", err
				}
				ps = append(ps, Problem{Line: lines[i], Field: "hub/date", Reason: fe.Reason})
				continue
			}
			seen[x.ID] = true
			b.Visits = append(b.Visits, x)
		}
		if len(ps) > 0 {
			return nil, "", &ImportError{Problems: ps}
		}
		return b, fmt.Sprint(len(b.Visits)), nil
	}
	if err != nil {
		return 0, fmt.Errorf("import visits: %w", merge(err, build, s.clock()))
	}
	return write(ctx, s, w, "hubs.import_visits", in, s.may(w.Actor, RoleRecorder), build,
		func(_ context.Context, r string) (int, error) { return strconv.Atoi(r) })
}

// ImportSessions reads volunteer sessions from CSV (columns volunteer,
// date, minutes, role) and records them all, or none, as ImportVisits
// does. A recorder may.
func (s *Service) ImportSessions(ctx context.Context, w call.Write, r io.Reader) (int, error) {
	data, err := s.readImport(ctx, w, RoleRecorder, r)
	if err != nil {
		return 0, fmt.Errorf("import sessions: %w", err)
	}
	var in []NewSession
	lines := map[int]int{}
	err = rows(data, []string{"volunteer", "date", "minutes"}, []string{"role"}, func(r csvrow.Row) {
		on, ok1 := parseDate(r, "date")
		n, ok2 := parseInt(r, "minutes", false)
		if !ok1 || !ok2 {
			return
		}
		x := NewSession{Volunteer: r.Get("volunteer"), On: day(on), Minutes: n, Role: r.Get("role")}
		if err := validSession(x); err != nil {
			fail(r, "minutes", err)
			return
		}
		lines[len(in)] = r.Line
		in = append(in, x)
	})
	build := func(now time.Time) (*Batch, string, error) {
		b := &Batch{}
		var ps []Problem
		for i, x := range in {
			v, err := s.newSession(ctx, x, now)
			if err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) {
					return nil, "", err
				}
				ps = append(ps, Problem{Line: lines[i], Field: "volunteer", Reason: fe.Reason})
				continue
			}
			b.Sessions = append(b.Sessions, v)
		}
		if len(ps) > 0 {
			return nil, "", &ImportError{Problems: ps}
		}
		return b, fmt.Sprint(len(b.Sessions)), nil
	}
	if err != nil {
		return 0, fmt.Errorf("import sessions: %w", merge(err, build, s.clock()))
	}
	return write(ctx, s, w, "hubs.import_sessions", in, s.may(w.Actor, RoleRecorder), build,
		func(_ context.Context, r string) (int, error) { return strconv.Atoi(r) })
}

// ImportEvents reads events with their attendance from CSV (columns hub,
// kind, title, date, attendance, stalls) and records them all, or none,
// as ImportVisits does. A recorder may.
func (s *Service) ImportEvents(ctx context.Context, w call.Write, r io.Reader) (int, error) {
	data, err := s.readImport(ctx, w, RoleRecorder, r)
	if err != nil {
		return 0, fmt.Errorf("import events: %w", err)
	}
	var in []NewEvent
	lines := map[int]int{}
	err = rows(data, []string{"hub", "kind", "title", "date", "attendance"}, []string{"stalls"}, func(r csvrow.Row) {
		on, ok1 := parseDate(r, "date")
		n, ok2 := parseInt(r, "attendance", false)
		st, ok3 := parseInt(r, "stalls", true)
		if !ok1 || !ok2 || !ok3 {
			return
		}
		e := NewEvent{Hub: r.Get("hub"), Kind: EventKind(r.Get("kind")), Title: r.Get("title"), On: day(on), Attendance: n, Stalls: st}
		if err := validEvent(e); err != nil {
			var fe *FieldError
			col := "title"
			if errors.As(err, &fe) {
				col = fe.Field
			}
			fail(r, col, err)
			return
		}
		lines[len(in)] = r.Line
		in = append(in, e)
	})
	build := func(now time.Time) (*Batch, string, error) {
		b := &Batch{}
		var ps []Problem
		for i, x := range in {
			e, err := s.newEvent(ctx, x, now)
			if err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) {
					return nil, "", err
				}
				ps = append(ps, Problem{Line: lines[i], Field: "hub/date", Reason: fe.Reason})
				continue
			}
			b.Events = append(b.Events, e)
		}
		if len(ps) > 0 {
			return nil, "", &ImportError{Problems: ps}
		}
		return b, fmt.Sprint(len(b.Events)), nil
	}
	if err != nil {
		return 0, fmt.Errorf("import events: %w", merge(err, build, s.clock()))
	}
	return write(ctx, s, w, "hubs.import_events", in, s.may(w.Actor, RoleRecorder), build,
		func(_ context.Context, r string) (int, error) { return strconv.Atoi(r) })
}
