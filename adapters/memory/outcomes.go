package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// OutcomesStore is an outcomes.Store held in memory. It is safe for
// concurrent use: reads share a lock, Apply holds it alone. Records are
// copied in and out. Each series (indicator and area) keeps its periods in
// order, each with every revision, so a report reads series without
// sorting measurements.
type OutcomesStore struct {
	mu         sync.RWMutex
	frameworks map[string]*outcomes.Framework
	indicators map[string]*outcomes.Indicator
	stories    map[string]*outcomes.Story
	series     map[outSeriesKey]*outSeries
	receipts   map[string]outcomes.Receipt
	events     []outcomes.Event
	admins     map[string]outcomes.Admin
	secret     []byte
}

// outSeriesKey names one indicator's series for one area.
type outSeriesKey struct{ indicator, area string }

// outSeries is one indicator's measurements for one area: points ordered by
// period start, each with its revisions oldest first.
type outSeries struct {
	points []*outPoint
}

type outPoint struct {
	period    outcomes.Period
	revisions []*outcomes.Measurement
}

// find returns the index of the point for period p, and whether it exists.
func (s *outSeries) find(p outcomes.Period) (int, bool) {
	i, ok := slices.BinarySearchFunc(s.points, p, func(x *outPoint, p outcomes.Period) int {
		if c := x.period.Start.Compare(p.Start); c != 0 {
			return c
		}
		return cmp.Compare(x.period.Type, p.Type)
	})
	return i, ok
}

// NewOutcomesStore returns an empty store.
func NewOutcomesStore() *OutcomesStore {
	return &OutcomesStore{
		frameworks: map[string]*outcomes.Framework{},
		indicators: map[string]*outcomes.Indicator{},
		stories:    map[string]*outcomes.Story{},
		series:     map[outSeriesKey]*outSeries{},
		receipts:   map[string]outcomes.Receipt{},
		admins:     map[string]outcomes.Admin{},
		secret:     newSecret(),
	}
}

var _ outcomes.Store = (*OutcomesStore)(nil)

// Apply writes b atomically: it checks every part of b first and writes
// only when all of it is good. See outcomes.Store for the errors.
func (s *OutcomesStore) Apply(ctx context.Context, b *outcomes.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("apply batch: %w", &outcomes.FieldError{Field: "Batch", Reason: "is nil"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	for _, a := range b.Admins {
		a.GrantedAt = a.GrantedAt.UTC()
		s.admins[a.Actor] = a
	}
	for _, f := range b.Frameworks {
		c := f.Clone()
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		s.frameworks[f.ID] = c
	}
	for _, x := range b.Indicators {
		c := x.Clone()
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		s.indicators[x.ID] = c
	}
	for _, m := range b.Measurements {
		k := outSeriesKey{m.Indicator, m.Area}
		sr := s.series[k]
		if sr == nil {
			sr = &outSeries{}
			s.series[k] = sr
		}
		i, ok := sr.find(m.Period)
		if !ok {
			sr.points = slices.Insert(sr.points, i, &outPoint{period: m.Period})
		}
		c := m.Clone()
		c.RecordedAt = c.RecordedAt.UTC()
		sr.points[i].revisions = append(sr.points[i].revisions, c)
	}
	for _, x := range b.Stories {
		c := x.Clone()
		c.Date, c.Consent.Date = c.Date.UTC(), c.Consent.Date.UTC()
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		s.stories[x.ID] = c
	}
	if len(b.EraseNotes) > 0 {
		for i := range s.events {
			if slices.Contains(b.EraseNotes, s.events[i].Subject) {
				s.events[i].Note = ""
			}
		}
	}
	for _, e := range b.Events {
		e.Seq = int64(len(s.events) + 1)
		e.At = e.At.UTC()
		s.events = append(s.events, e)
	}
	if b.Key != "" {
		s.receipts[b.Key] = outcomes.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At.UTC()}
	}
	return nil
}

// check checks b against the stored state without changing anything.
func (s *OutcomesStore) check(b *outcomes.Batch) error {
	if b.Key != "" {
		if _, ok := s.receipts[b.Key]; ok {
			return fmt.Errorf("key %q: %w", b.Key, outcomes.ErrDuplicateKey)
		}
	}
	staged := map[string]bool{}
	for _, a := range b.Admins {
		if a.Actor == "" {
			return &outcomes.FieldError{Field: "Admins", Reason: "an administrator has no actor"}
		}
		if _, ok := s.admins[a.Actor]; ok || staged[a.Actor] {
			return fmt.Errorf("administrator %s exists: %w", a.Actor, outcomes.ErrConflict)
		}
		staged[a.Actor] = true
	}
	if err := outcomeVersions(s.frameworks, b.Frameworks, "framework",
		func(r *outcomes.Framework) string { return r.ID }, func(r *outcomes.Framework) int64 { return r.Version }); err != nil {
		return err
	}
	if err := outcomeVersions(s.indicators, b.Indicators, "indicator",
		func(r *outcomes.Indicator) string { return r.ID }, func(r *outcomes.Indicator) int64 { return r.Version }); err != nil {
		return err
	}
	latest := map[outcomes.MeasurementKey]int64{}
	for _, m := range b.Measurements {
		if m == nil || m.Indicator == "" || m.Area == "" || m.Period.IsZero() {
			return &outcomes.FieldError{Field: "Measurements", Reason: "a measurement has no indicator, area or period"}
		}
		k := m.Key()
		cur, staged := latest[k]
		if !staged {
			if sr := s.series[outSeriesKey{m.Indicator, m.Area}]; sr != nil {
				if i, ok := sr.find(m.Period); ok {
					cur = int64(len(sr.points[i].revisions))
				}
			}
		}
		if err := outCheckRevision(k, m.Revision, cur); err != nil {
			return err
		}
		latest[k] = m.Revision
	}
	return outcomeVersions(s.stories, b.Stories, "story",
		func(r *outcomes.Story) string { return r.ID }, func(r *outcomes.Story) int64 { return r.Version })
}

// outCheckRevision checks that revision follows cur, the latest stored (0 if
// none).
func outCheckRevision(k outcomes.MeasurementKey, revision, cur int64) error {
	switch {
	case revision < 1:
		return fmt.Errorf("measurement %s: %w", k, &outcomes.FieldError{Field: "Revision", Reason: fmt.Sprintf("must be 1 or more, got %d", revision)})
	case revision == 1 && cur > 0:
		return fmt.Errorf("measurement %s exists: %w", k, outcomes.ErrConflict)
	case revision > 1 && cur == 0:
		return fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
	case revision > 1 && cur != revision-1:
		return fmt.Errorf("measurement %s is at revision %d, not %d: %w", k, cur, revision-1, outcomes.ErrConflict)
	}
	return nil
}

// outcomeVersions checks creates and updates of versioned records,
// including several versions of one record in the same batch.
func outcomeVersions[T any](stored map[string]*T, recs []*T, kind string, id func(*T) string, version func(*T) int64) error {
	staged := map[string]int64{}
	for _, r := range recs {
		if r == nil || id(r) == "" {
			return &outcomes.FieldError{Field: kind, Reason: "a record has no id"}
		}
		k, v := id(r), version(r)
		cur, ok := staged[k]
		if !ok {
			if old, found := stored[k]; found {
				cur = version(old)
			}
		}
		switch {
		case v < 1:
			return fmt.Errorf("%s %s: %w", kind, k, &outcomes.FieldError{Field: "Version", Reason: fmt.Sprintf("must be 1 or more, got %d", v)})
		case v == 1 && cur > 0:
			return fmt.Errorf("%s %s exists: %w", kind, k, outcomes.ErrConflict)
		case v > 1 && cur == 0:
			return fmt.Errorf("%s %s: %w", kind, k, outcomes.ErrNotFound)
		case v > 1 && cur != v-1:
			return fmt.Errorf("%s %s is at version %d, not %d: %w", kind, k, cur, v-1, outcomes.ErrConflict)
		}
		staged[k] = v
	}
	return nil
}

// Framework returns the framework with the given id.
func (s *OutcomesStore) Framework(ctx context.Context, id string) (*outcomes.Framework, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.frameworks[id]
	if !ok {
		return nil, fmt.Errorf("framework %s: %w", id, outcomes.ErrNotFound)
	}
	return f.Clone(), nil
}

// Frameworks returns frameworks ordered by id.
func (s *OutcomesStore) Frameworks(ctx context.Context, f outcomes.FrameworkFilter) ([]*outcomes.Framework, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*outcomes.Framework
	for _, x := range s.frameworks {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *outcomes.Framework) int { return cmp.Compare(a.ID, b.ID) })
	out = pageOf(out, f.Offset, f.Limit)
	for i, x := range out {
		out[i] = x.Clone()
	}
	return out, nil
}

// Indicator returns the indicator with the given id.
func (s *OutcomesStore) Indicator(ctx context.Context, id string) (*outcomes.Indicator, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	x, ok := s.indicators[id]
	if !ok {
		return nil, fmt.Errorf("indicator %s: %w", id, outcomes.ErrNotFound)
	}
	return x.Clone(), nil
}

// Indicators returns indicators ordered by id.
func (s *OutcomesStore) Indicators(ctx context.Context, f outcomes.IndicatorFilter) ([]*outcomes.Indicator, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*outcomes.Indicator
	for _, x := range s.indicators {
		if f.Framework == nil || x.Framework == *f.Framework {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b *outcomes.Indicator) int { return cmp.Compare(a.ID, b.ID) })
	out = pageOf(out, f.Offset, f.Limit)
	for i, x := range out {
		out[i] = x.Clone()
	}
	return out, nil
}

// Measurement returns the latest revision of a measurement.
func (s *OutcomesStore) Measurement(ctx context.Context, k outcomes.MeasurementKey) (*outcomes.Measurement, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if sr := s.series[outSeriesKey{k.Indicator, k.Area}]; sr != nil {
		if i, ok := sr.find(k.Period); ok {
			revs := sr.points[i].revisions
			return revs[len(revs)-1].Clone(), nil
		}
	}
	return nil, fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
}

// Revisions returns every revision of a measurement, oldest first.
func (s *OutcomesStore) Revisions(ctx context.Context, k outcomes.MeasurementKey) ([]*outcomes.Measurement, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if sr := s.series[outSeriesKey{k.Indicator, k.Area}]; sr != nil {
		if i, ok := sr.find(k.Period); ok {
			out := make([]*outcomes.Measurement, len(sr.points[i].revisions))
			for j, m := range sr.points[i].revisions {
				out[j] = m.Clone()
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
}

// Measurements returns one revision per key, ordered by indicator, area
// and period start.
func (s *OutcomesStore) Measurements(ctx context.Context, f outcomes.MeasurementFilter) ([]*outcomes.Measurement, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var keys []outSeriesKey
	if len(f.Indicators) > 0 && len(f.Areas) > 0 && len(f.Indicators)*len(f.Areas) < len(s.series) {
		for _, ind := range f.Indicators {
			for _, a := range f.Areas {
				if _, ok := s.series[outSeriesKey{ind, a}]; ok {
					keys = append(keys, outSeriesKey{ind, a})
				}
			}
		}
	} else {
		for k := range s.series {
			if (len(f.Indicators) == 0 || slices.Contains(f.Indicators, k.indicator)) &&
				(len(f.Areas) == 0 || slices.Contains(f.Areas, k.area)) {
				keys = append(keys, k)
			}
		}
	}
	slices.SortFunc(keys, func(a, b outSeriesKey) int {
		return cmp.Or(cmp.Compare(a.indicator, b.indicator), cmp.Compare(a.area, b.area))
	})
	keys = slices.Compact(keys)
	n := 0
	for _, k := range keys {
		n += len(s.series[k].points)
	}
	if f.Limit > 0 {
		n = min(n, f.Limit)
	}
	out := make([]*outcomes.Measurement, 0, n)
	var copies outCopies
	skip := f.Offset
	for _, k := range keys {
		for _, p := range s.series[k].points {
			if f.From != nil && p.period.Start.Before(*f.From) || f.To != nil && !p.period.Start.Before(*f.To) {
				continue
			}
			m := outCurrent(p.revisions, f.AsOf)
			if m == nil {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, copies.clone(m))
			if f.Limit > 0 && len(out) == f.Limit {
				return out, nil
			}
		}
	}
	return out, nil
}

// outCopies copies measurements out as Measurement.Clone does, but
// allocates them, with their optional decimals, outBlock at a time: a
// report copies out a whole framework (240,000 measurements in
// BenchmarkReport), and one allocation per measurement and per decimal
// was most of its cost.
type outCopies struct{ block []outCopy }

// outCopy is a measurement with room for its optional decimals.
type outCopy struct {
	m outcomes.Measurement
	d [4]decimal.Decimal
}

// outBlock is how many measurements outCopies allocates at once.
const outBlock = 256

// clone returns a deep copy of m.
func (c *outCopies) clone(m *outcomes.Measurement) *outcomes.Measurement {
	if len(c.block) == 0 {
		c.block = make([]outCopy, outBlock)
	}
	r := &c.block[0]
	c.block = c.block[1:]
	r.m = *m
	for j, p := range [4]**decimal.Decimal{&r.m.Count, &r.m.Denominator, &r.m.Lower, &r.m.Upper} {
		if *p != nil {
			r.d[j] = **p
			*p = &r.d[j]
		}
	}
	return &r.m
}

// outCurrent returns the revision current at asOf (the latest if nil).
func outCurrent(revs []*outcomes.Measurement, asOf *time.Time) *outcomes.Measurement {
	if asOf == nil {
		return revs[len(revs)-1]
	}
	for i := len(revs) - 1; i >= 0; i-- {
		if !revs[i].RecordedAt.After(*asOf) {
			return revs[i]
		}
	}
	return nil
}

// Story returns the story with the given id.
func (s *OutcomesStore) Story(ctx context.Context, id string) (*outcomes.Story, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	x, ok := s.stories[id]
	if !ok {
		return nil, fmt.Errorf("story %s: %w", id, outcomes.ErrNotFound)
	}
	return x.Clone(), nil
}

// Stories returns stories ordered by Date, then id.
func (s *OutcomesStore) Stories(ctx context.Context, f outcomes.StoryFilter) ([]*outcomes.Story, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*outcomes.Story
	for _, x := range s.stories {
		if f.Framework != nil && x.Framework != *f.Framework ||
			f.Indicator != nil && x.Indicator != *f.Indicator ||
			f.Status != nil && x.Status != *f.Status ||
			f.Tag != nil && !slices.Contains(x.Tags, *f.Tag) {
			continue
		}
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *outcomes.Story) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})
	out = pageOf(out, f.Offset, f.Limit)
	for i, x := range out {
		out[i] = x.Clone()
	}
	return out, nil
}

// Admins returns the administrators, ordered by actor id.
func (s *OutcomesStore) Admins(ctx context.Context) ([]outcomes.Admin, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]outcomes.Admin, 0, len(s.admins))
	for _, a := range s.admins {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b outcomes.Admin) int { return cmp.Compare(a.Actor, b.Actor) })
	return out, nil
}

// Secret returns the store's secret for idempotency receipts, made when
// the store was.
func (s *OutcomesStore) Secret(context.Context) ([]byte, error) { return s.secret, nil }

// Receipt returns what was recorded under an idempotency key.
func (s *OutcomesStore) Receipt(ctx context.Context, key string) (*outcomes.Receipt, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.receipts[key]
	if !ok {
		return nil, fmt.Errorf("receipt %q: %w", key, outcomes.ErrNotFound)
	}
	return &r, nil
}

// Events returns the audit trail ordered by Seq.
func (s *OutcomesStore) Events(ctx context.Context, f outcomes.EventFilter) ([]outcomes.Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []outcomes.Event
	for _, e := range s.events {
		if (f.Framework == "" || e.Framework == f.Framework) && (f.Subject == "" || e.Subject == f.Subject) {
			out = append(out, e)
		}
	}
	return pageOf(out, f.Offset, f.Limit), nil
}
