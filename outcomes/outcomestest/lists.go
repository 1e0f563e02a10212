package outcomestest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

func testListFrameworks(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{framework("c"), framework("a"), framework("b")}})
	ids := func(f outcomes.FrameworkFilter) []string {
		xs, err := s.Frameworks(ctx, f)
		require.NoError(t, err)
		var out []string
		for _, x := range xs {
			out = append(out, x.ID)
		}
		return out
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids(outcomes.FrameworkFilter{}))
	assert.Equal(t, []string{"b"}, ids(outcomes.FrameworkFilter{Offset: 1, Limit: 1}))
	assert.Empty(t, ids(outcomes.FrameworkFilter{Offset: 5}))
}

func testListIndicators(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	apply(t, s, &outcomes.Batch{Indicators: []*outcomes.Indicator{indicator("z", "f1"), indicator("b", "f2"), indicator("a", "f1"), indicator("m", "f1")}})
	ids := func(f outcomes.IndicatorFilter) []string {
		xs, err := s.Indicators(ctx, f)
		require.NoError(t, err)
		var out []string
		for _, x := range xs {
			out = append(out, x.ID)
		}
		return out
	}
	f1 := "f1"
	none := "none"
	assert.Equal(t, []string{"a", "b", "m", "z"}, ids(outcomes.IndicatorFilter{}))
	assert.Equal(t, []string{"a", "m", "z"}, ids(outcomes.IndicatorFilter{Framework: &f1}))
	assert.Equal(t, []string{"m"}, ids(outcomes.IndicatorFilter{Framework: &f1, Offset: 1, Limit: 1}))
	assert.Empty(t, ids(outcomes.IndicatorFilter{Framework: &none}))
}

func testListMeasurements(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	var ms []*outcomes.Measurement
	// Written out of order: two indicators, two areas, monthly periods
	// across a year boundary (so text order of periods would be wrong for
	// quarters; months sort the same either way).
	for _, ind := range []string{"ind-b", "ind-a"} {
		for _, area := range []string{"E2", "E1"} {
			for _, p := range []string{"2018/19 Q4", "2018/19 Q1", "2019/20 Q1", "2018/19 Q3"} {
				ms = append(ms, measurement(ind, area, p, 1, "1"))
			}
		}
	}
	apply(t, s, &outcomes.Batch{Measurements: ms})
	list := func(f outcomes.MeasurementFilter) []string {
		xs, err := s.Measurements(ctx, f)
		require.NoError(t, err)
		var out []string
		for _, x := range xs {
			out = append(out, fmt.Sprintf("%s/%s/%s", x.Indicator, x.Area, x.Period))
		}
		return out
	}
	all := list(outcomes.MeasurementFilter{})
	require.Len(t, all, 16)
	assert.Equal(t, []string{"ind-a/E1/2018/19 Q1", "ind-a/E1/2018/19 Q3", "ind-a/E1/2018/19 Q4", "ind-a/E1/2019/20 Q1"}, all[:4])
	assert.Equal(t, "ind-a/E2/2018/19 Q1", all[4])
	assert.Equal(t, "ind-b/E1/2018/19 Q1", all[8])
	assert.Equal(t, all[5:7], list(outcomes.MeasurementFilter{Offset: 5, Limit: 2}))
	assert.Equal(t, []string{"ind-b/E2/2018/19 Q1", "ind-b/E2/2018/19 Q3", "ind-b/E2/2018/19 Q4", "ind-b/E2/2019/20 Q1"},
		list(outcomes.MeasurementFilter{Indicators: []string{"ind-b", "nope"}, Areas: []string{"E2"}}))
	assert.Len(t, list(outcomes.MeasurementFilter{Areas: []string{"E1"}}), 8)
	assert.Len(t, list(outcomes.MeasurementFilter{Indicators: []string{"ind-a"}}), 8)
	from := period("2018/19 Q3").Start
	to := period("2019/20 Q1").Start
	assert.Equal(t, []string{"ind-a/E1/2018/19 Q3", "ind-a/E1/2018/19 Q4"},
		list(outcomes.MeasurementFilter{Indicators: []string{"ind-a"}, Areas: []string{"E1"}, From: &from, To: &to}))
	assert.Empty(t, list(outcomes.MeasurementFilter{Areas: []string{"none"}}))
}

func testListStories(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	a, b, c, d := story("a", "f1", 2), story("b", "f1", 1), story("c", "f2", 1), story("d", "f1", 1)
	b.Indicator, b.Tags = "i2", []string{"library"}
	d.Status = outcomes.StoryPublished
	apply(t, s, &outcomes.Batch{Stories: []*outcomes.Story{a, b, c, d}})
	ids := func(f outcomes.StoryFilter) []string {
		xs, err := s.Stories(ctx, f)
		require.NoError(t, err)
		var out []string
		for _, x := range xs {
			out = append(out, x.ID)
		}
		return out
	}
	f1, i2, tag, pub := "f1", "i2", "library", outcomes.StoryPublished
	assert.Equal(t, []string{"b", "c", "d", "a"}, ids(outcomes.StoryFilter{}), "by date, then id")
	assert.Equal(t, []string{"b", "d", "a"}, ids(outcomes.StoryFilter{Framework: &f1}))
	assert.Equal(t, []string{"b"}, ids(outcomes.StoryFilter{Indicator: &i2}))
	assert.Equal(t, []string{"b"}, ids(outcomes.StoryFilter{Tag: &tag}))
	assert.Equal(t, []string{"d"}, ids(outcomes.StoryFilter{Status: &pub}))
	assert.Equal(t, []string{"d"}, ids(outcomes.StoryFilter{Framework: &f1, Offset: 1, Limit: 1}))
}

func testListEvents(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	for i := range 5 {
		fw := "f1"
		if i%2 == 1 {
			fw = "f2"
		}
		apply(t, s, &outcomes.Batch{Events: []outcomes.Event{
			{Framework: fw, At: base, Actor: "a", Action: "x", Subject: fmt.Sprintf("s%d", i%3)},
		}})
	}
	es, err := s.Events(ctx, outcomes.EventFilter{})
	require.NoError(t, err)
	require.Len(t, es, 5)
	for i := 1; i < len(es); i++ {
		assert.Greater(t, es[i].Seq, es[i-1].Seq)
		assert.Equal(t, fmt.Sprintf("s%d", i%3), es[i].Subject)
	}
	f1, err := s.Events(ctx, outcomes.EventFilter{Framework: "f1"})
	require.NoError(t, err)
	assert.Len(t, f1, 3)
	s0, err := s.Events(ctx, outcomes.EventFilter{Framework: "f1", Subject: "s0"})
	require.NoError(t, err)
	assert.Len(t, s0, 1)
	pg, err := s.Events(ctx, outcomes.EventFilter{Offset: 1, Limit: 2})
	require.NoError(t, err)
	require.Len(t, pg, 2)
	assert.Equal(t, es[1].Seq, pg[0].Seq)
}

// testConcurrentRevisions has many writers each read the latest revision
// and write the next: the store must let exactly one writer make each
// revision, so the history is 1, 2, 3, … with no gap and no duplicate.
func testConcurrentRevisions(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	k := outcomes.MeasurementKey{Indicator: "i1", Area: "a", Period: period("2017")}
	apply(t, s, &outcomes.Batch{Measurements: []*outcomes.Measurement{measurement("i1", "a", "2017", 1, "0")}})
	const writers, tries = 8, 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range tries {
				cur, err := s.Measurement(ctx, k)
				if !assert.NoError(t, err) {
					return
				}
				m := measurement("i1", "a", "2017", cur.Revision+1, fmt.Sprintf("%d.%d", w, i))
				m.RecordedAt = base.Add(time.Duration(cur.Revision+1) * time.Hour)
				err = s.Apply(ctx, &outcomes.Batch{Measurements: []*outcomes.Measurement{m},
					Events: []outcomes.Event{{Framework: "f", At: base, Actor: "a", Action: "m", Subject: k.String()}}})
				if err == nil {
					mu.Lock()
					won++
					mu.Unlock()
				} else if !isConflict(err) {
					t.Errorf("writer %d: %v", w, err)
				}
			}
		}()
	}
	wg.Wait()
	revs, err := s.Revisions(ctx, k)
	require.NoError(t, err)
	require.Len(t, revs, won+1)
	for i, r := range revs {
		assert.Equal(t, int64(i+1), r.Revision)
	}
	es, err := s.Events(ctx, outcomes.EventFilter{})
	require.NoError(t, err)
	assert.Len(t, es, won, "an event for each successful write and none for the refused ones")
}

// testConcurrentUpdates has writers race to update one indicator from the
// same version: exactly one wins.
func testConcurrentUpdates(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	apply(t, s, &outcomes.Batch{Indicators: []*outcomes.Indicator{indicator("i1", "fw")}})
	const writers = 10
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ind := indicator("i1", "fw")
			ind.Version, ind.Title = 2, fmt.Sprintf("writer %d", w)
			errs[w] = s.Apply(ctx, &outcomes.Batch{Indicators: []*outcomes.Indicator{ind}})
		}()
	}
	wg.Wait()
	ok := 0
	winner := ""
	for w, err := range errs {
		if err == nil {
			ok++
			winner = fmt.Sprintf("writer %d", w)
		} else {
			assert.ErrorIs(t, err, outcomes.ErrConflict)
		}
	}
	assert.Equal(t, 1, ok)
	got, err := s.Indicator(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, winner, got.Title)
}

// testConcurrentKeys has writers race with one idempotency key: exactly
// one batch is written.
func testConcurrentKeys(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	const writers = 10
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = s.Apply(ctx, &outcomes.Batch{Frameworks: []*outcomes.Framework{framework(fmt.Sprintf("fw%d", w))},
				Key: "same", Hash: "h", Result: "r", At: base})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, outcomes.ErrDuplicateKey)
		}
	}
	assert.Equal(t, 1, ok)
	fs, err := s.Frameworks(ctx, outcomes.FrameworkFilter{})
	require.NoError(t, err)
	assert.Len(t, fs, 1)
}
