// Package statetest is the conformance suite of the CRM sync engine's
// durable State (record.State): crm.FileState, sqlite.CRMState and
// postgres.CRMState all pass Run. It imports only the plain record types,
// so a store's tests run it without the plugin machinery.
package statetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm/record"
)

// Marks is what a State offers a push feed: named marks it keeps, such as
// a high-water mark.
type Marks interface {
	Mark(ctx context.Context, name string) (string, error)
	SetMark(ctx context.Context, name, value string) error
}

// Full is the State the suite checks: record.State, the LinkReader's bulk
// read, and Marks.
type Full interface {
	record.State
	record.LinkReader
	Marks
}

// Open returns the state of source in one test's backing store: two
// calls with one source in a test return two handles on the same state,
// as a restarted host would open it; two sources are independent.
type Open func(t *testing.T, source string) Full

// Run checks the states open returns. Each sub-test starts from an empty
// backing store.
func Run(t *testing.T, open func(t *testing.T) Open) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, open Open)
	}{
		{"Empty", testEmpty},
		{"CommitAndReopen", testCommit},
		{"LinksInBulk", testLinks},
		{"SourcesApart", testSources},
		{"Marks", testMarks},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

func testEmpty(t *testing.T, open Open) {
	ctx := t.Context()
	s := open(t, "crm")
	cur, err := s.Cursor(ctx)
	require.NoError(t, err)
	assert.Empty(t, cur)
	_, ok, err := s.Link(ctx, record.Volunteer, "V1")
	require.NoError(t, err)
	assert.False(t, ok)
	m, err := s.Links(ctx, record.Volunteer, []string{"V1", "V2"})
	require.NoError(t, err)
	assert.Empty(t, m)
	v, err := s.Mark(ctx, "push")
	require.NoError(t, err)
	assert.Empty(t, v)
}

func key(k record.Kind, id string) record.LinkKey { return record.LinkKey{Kind: k, ExternalID: id} }

func testCommit(t *testing.T, open Open) {
	ctx := t.Context()
	s := open(t, "crm")
	require.NoError(t, s.Commit(ctx, "c1", map[record.LinkKey]record.Link{
		key(record.Volunteer, "V1"): {ID: "vol-1", Version: 1},
		key(record.Volunteer, "V2"): {ID: "vol-2", Version: 3},
		key(record.Person, "V1"):    {ID: "per-1", Version: 2}, // the same external id in another kind
	}))
	require.NoError(t, s.Commit(ctx, "c2", map[record.LinkKey]record.Link{
		key(record.Volunteer, "V1"): {ID: "vol-1", Version: 2},
	}))
	require.NoError(t, s.Commit(ctx, "c3", nil), "a batch that stored nothing moves the cursor")

	again := open(t, "crm")
	cur, err := again.Cursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, "c3", cur)
	for _, c := range []struct {
		k    record.Kind
		id   string
		want record.Link
	}{
		{record.Volunteer, "V1", record.Link{ID: "vol-1", Version: 2}},
		{record.Volunteer, "V2", record.Link{ID: "vol-2", Version: 3}},
		{record.Person, "V1", record.Link{ID: "per-1", Version: 2}},
	} {
		l, ok, err := again.Link(ctx, c.k, c.id)
		require.NoError(t, err)
		assert.True(t, ok, "%s %s", c.k, c.id)
		assert.Equal(t, c.want, l, "%s %s", c.k, c.id)
	}
	_, ok, err := again.Link(ctx, record.Person, "V2")
	require.NoError(t, err)
	assert.False(t, ok)
}

func testLinks(t *testing.T, open Open) {
	ctx := t.Context()
	s := open(t, "crm")
	links := map[record.LinkKey]record.Link{}
	var ids []string
	for i := range 300 {
		id := fmt.Sprintf("V%04d", i)
		ids = append(ids, id)
		if i%3 != 0 {
			links[key(record.Volunteer, id)] = record.Link{ID: "vol-" + id, Version: int64(i%5 + 1)}
		}
	}
	require.NoError(t, s.Commit(ctx, "c1", links))
	got, err := s.Links(ctx, record.Volunteer, append(ids, ids[1], "unknown"))
	require.NoError(t, err)
	assert.Len(t, got, 200, "every committed link of those asked, the rest left out")
	for i, id := range ids {
		l, ok := got[id]
		assert.Equal(t, i%3 != 0, ok, id)
		if ok {
			assert.Equal(t, record.Link{ID: "vol-" + id, Version: int64(i%5 + 1)}, l, id)
		}
	}
	none, err := s.Links(ctx, record.Person, ids)
	require.NoError(t, err)
	assert.Empty(t, none, "links are per kind")
	empty, err := s.Links(ctx, record.Volunteer, nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func testSources(t *testing.T, open Open) {
	ctx := t.Context()
	a, b := open(t, "crm-a"), open(t, "crm-b")
	require.NoError(t, a.Commit(ctx, "a1", map[record.LinkKey]record.Link{key(record.Volunteer, "V1"): {ID: "vol-a", Version: 1}}))
	require.NoError(t, a.SetMark(ctx, "push", "7"))
	cur, err := b.Cursor(ctx)
	require.NoError(t, err)
	assert.Empty(t, cur)
	_, ok, err := b.Link(ctx, record.Volunteer, "V1")
	require.NoError(t, err)
	assert.False(t, ok)
	v, err := b.Mark(ctx, "push")
	require.NoError(t, err)
	assert.Empty(t, v)
	require.NoError(t, b.Commit(ctx, "b1", map[record.LinkKey]record.Link{key(record.Volunteer, "V1"): {ID: "vol-b", Version: 4}}))
	l, ok, err := a.Link(ctx, record.Volunteer, "V1")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, record.Link{ID: "vol-a", Version: 1}, l)
	cur, err = a.Cursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, "a1", cur)
}

func testMarks(t *testing.T, open Open) {
	ctx := t.Context()
	s := open(t, "crm")
	require.NoError(t, s.SetMark(ctx, "push:awards", "2014-03-01T09:00:00Z#41"))
	require.NoError(t, s.SetMark(ctx, "push:referrals", "12"))
	require.NoError(t, s.SetMark(ctx, "push:referrals", "13"))
	require.NoError(t, s.Commit(ctx, "c1", nil))
	again := open(t, "crm")
	for name, want := range map[string]string{"push:awards": "2014-03-01T09:00:00Z#41", "push:referrals": "13", "never": ""} {
		v, err := again.Mark(ctx, name)
		require.NoError(t, err)
		assert.Equal(t, want, v, name)
	}
	cur, err := again.Cursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, "c1", cur, "marks and the cursor are apart")
}
