package dementia

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

func (f NewFriends) check() error {
	if err := checkDate("On", f.On); err != nil {
		return err
	}
	switch f.Source {
	case SourceSession:
		if err := checkText("Champion", f.Champion, maxID, true); err != nil {
			return err
		}
	case SourceOnline:
		if f.Champion != "" {
			return invalid("Champion", "online friends have no Champion")
		}
	default:
		return invalid("Source", "%q is not a source of Dementia Friends", f.Source)
	}
	return checkCount("Count", f.Count)
}

// RegisterChampion registers a Dementia Friends Champion. Only a recorder
// may; an id taken is ErrConflict.
func (s *Service) RegisterChampion(ctx context.Context, w call.Write, c NewChampion) (*Champion, error) {
	if err := checkText("ID", c.ID, maxID, true); err != nil {
		return nil, err
	}
	if err := checkText("Name", c.Name, maxName, true); err != nil {
		return nil, err
	}
	if err := checkDate("Trained", c.Trained); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "dementia.champion", c, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.store.Champion(ctx, c.ID); err == nil {
				return nil, "", fieldErr(ErrConflict, "ID", "%s is a Champion already", c.ID)
			}
			ch := &Champion{ID: c.ID, Name: c.Name, Trained: day(c.Trained), Version: 1, CreatedAt: now}
			return &Batch{Champions: []*Champion{ch}}, ch.ID, nil
		}, s.store.Champion)
}

// Champions returns every Champion with their names. Only a recorder or
// a coordinator may read them.
func (s *Service) Champions(ctx context.Context, a call.Actor) ([]*Champion, error) {
	if err := s.check(ctx, a, RoleRecorder, RoleCoordinator); err != nil {
		return nil, fmt.Errorf("dementia.champions: %w", err)
	}
	return s.store.Champions(ctx)
}

// unknownChampions returns an *ImportError naming the rows (by index+2,
// their line in a file with a header) whose Champion is not registered.
func (s *Service) unknownChampions(ctx context.Context, fs []NewFriends) error {
	known := map[string]bool{}
	all, err := s.store.Champions(ctx)
	if err != nil {
		return err
	}
	for _, c := range all {
		known[c.ID] = true
	}
	e := &ImportError{}
	for i, f := range fs {
		if f.Champion != "" && !known[f.Champion] {
			e.Problems = append(e.Problems, Problem{Line: i + 2, Field: "champion", Reason: "is not a registered Champion"})
			e.errs = append(e.errs, ErrNotFound)
		}
	}
	if len(e.Problems) > 0 {
		return e
	}
	return nil
}

// RecordFriends records Dementia Friends made on a day. Only a recorder
// may. A session's Champion must be registered (ErrNotFound).
func (s *Service) RecordFriends(ctx context.Context, w call.Write, f NewFriends) (*Friends, error) {
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("dementia.friends: %w", err)
	}
	return write(ctx, s, w, "dementia.friends", f, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			if f.Champion != "" {
				if _, err := get(ctx, s.store.Champion, "Champion", f.Champion); err != nil {
					return nil, "", err
				}
			}
			r := &Friends{ID: s.newID("fr"), On: day(f.On), Source: f.Source, Champion: f.Champion, Count: f.Count, Version: 1, CreatedAt: now}
			return &Batch{Friends: []*Friends{r}}, strconv.FormatInt(r.Count, 10), nil
		}, func(_ context.Context, n string) (*Friends, error) {
			c, _ := strconv.ParseInt(n, 10, 64)
			return &Friends{On: day(f.On), Source: f.Source, Champion: f.Champion, Count: c}, nil
		})
}

// FriendsTotal is the cumulative number of Dementia Friends on a day, by
// source, the Champions who ran the sessions, and the Champions trained by
// the day.
type FriendsTotal struct {
	On        time.Time
	Total     int64
	BySource  map[Source]int64
	Champions int // Champions who ran sessions counted in Total
	Trained   int // Champions trained on or before On
}

// Friends returns the cumulative count of Dementia Friends on a day
// (counts dated on or before it). It holds counts only and is open.
func (s *Service) Friends(ctx context.Context, on time.Time) (*FriendsTotal, error) {
	on = day(on)
	all, err := s.store.Friends(ctx, on.AddDate(0, 0, 1))
	if err != nil {
		return nil, fmt.Errorf("dementia.friends: %w", err)
	}
	t := &FriendsTotal{On: on, BySource: map[Source]int64{}}
	champs := map[string]bool{}
	for _, f := range all {
		t.Total += f.Count
		t.BySource[f.Source] += f.Count
		if f.Champion != "" {
			champs[f.Champion] = true
		}
	}
	t.Champions = len(champs)
	all2, err := s.store.Champions(ctx)
	if err != nil {
		return nil, fmt.Errorf("dementia.friends: %w", err)
	}
	for _, c := range all2 {
		if !c.Trained.After(on) {
			t.Trained++
		}
	}
	return t, nil
}

// Trajectory is a straight line from a baseline count to a target, and
// where the count stands against it on a day.
type Trajectory struct {
	From, To      time.Time
	Baseline      int64
	Target        int64
	Increase      int64 // Target − Baseline
	On            time.Time
	Actual        int64
	Expected      decimal.Decimal // the line's value on On, to 1 decimal place
	OnTrack       bool            // Actual >= Expected
	RemainingToGo int64
}

// FriendsTrajectory compares the cumulative count on a day with the
// straight line from the count on from (the baseline) to target on to.
// The baseline is computed from the records, not given.
func (s *Service) FriendsTrajectory(ctx context.Context, from, to time.Time, target int64, on time.Time) (*Trajectory, error) {
	if !to.After(from) {
		return nil, invalid("to", "is not after from")
	}
	if err := checkCount("target", target); err != nil {
		return nil, err
	}
	base, err := s.Friends(ctx, from)
	if err != nil {
		return nil, err
	}
	now, err := s.Friends(ctx, on)
	if err != nil {
		return nil, err
	}
	return TrajectoryOn(day(from), day(to), base.Total, target, day(on), now.Total), nil
}

// TrajectoryOn computes a trajectory from its figures.
func TrajectoryOn(from, to time.Time, baseline, target int64, on time.Time, actual int64) *Trajectory {
	t := &Trajectory{From: from, To: to, Baseline: baseline, Target: target, Increase: target - baseline, On: on, Actual: actual}
	span := decimal.NewFromInt(int64(to.Sub(from) / (24 * time.Hour)))
	done := decimal.NewFromInt(int64(on.Sub(from) / (24 * time.Hour)))
	if done.IsNegative() {
		done = decimal.Zero
	}
	if done.GreaterThan(span) {
		done = span
	}
	exp := decimal.NewFromInt(baseline).Add(decimal.NewFromInt(t.Increase).Mul(done).Div(span))
	t.Expected = exp.Round(1)
	t.OnTrack = decimal.NewFromInt(actual).GreaterThanOrEqual(exp)
	t.RemainingToGo = max(target-actual, 0)
	return t
}
