package grantstest

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

// testEventsAfter: EventFilter.After keeps the events with a greater Seq,
// oldest first, with the other filters and paging, so a reader that
// remembers the last Seq it saw reads exactly what followed.
func testEventsAfter(t *testing.T, s grants.Store) {
	h := newH(t, s)
	for i := range 6 {
		fund := []string{"f1", "f2"}[i%2]
		h.apply(&grants.Batch{Events: []grants.Event{{Fund: fund, At: at(i), Actor: "u", Action: "application.award",
			Subject: fmt.Sprintf("a%d", i), From: grants.Approved, To: grants.Awarded, Amount: eventAmount(i)}}})
	}
	all, err := s.Events(h.ctx, grants.EventFilter{})
	require.NoError(t, err)
	require.Len(t, all, 6)
	// Amounts come back as written, and an event without one holds the
	// zero Decimal.
	assert.Equal(t, decimal.Decimal{}, all[0].Amount)
	for i, e := range all[1:] {
		assert.True(t, eventAmount(i+1).Equal(e.Amount), "event %d: amount %s", i+1, e.Amount)
	}
	after, err := s.Events(h.ctx, grants.EventFilter{After: all[2].Seq})
	require.NoError(t, err)
	assert.Equal(t, all[3:], after, "the events after the third")
	none, err := s.Events(h.ctx, grants.EventFilter{After: all[5].Seq})
	require.NoError(t, err)
	assert.Empty(t, none, "nothing after the last")
	f1, err := s.Events(h.ctx, grants.EventFilter{Fund: "f1", After: all[0].Seq, Limit: 1})
	require.NoError(t, err)
	require.Len(t, f1, 1)
	assert.Equal(t, all[2], f1[0], "the next f1 event after the first")
}

// eventAmount is the amount testEventsAfter gives its event i: none for
// the first, pence for the others.
func eventAmount(i int) decimal.Decimal {
	if i == 0 {
		return decimal.Decimal{}
	}
	return decimal.New(int64(i)*12345, -2)
}
