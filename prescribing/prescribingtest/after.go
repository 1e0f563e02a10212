package prescribingtest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/prescribing"
)

// testEventsAfter: EventFilter.After keeps the events with a greater Seq,
// oldest first, with the other filters and paging, so a reader that
// remembers the last Seq it saw reads exactly what followed.
func testEventsAfter(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	for i := range 6 {
		practice := []string{"p1", "p2"}[i%2]
		h.apply(&prescribing.Batch{Events: []prescribing.Event{{Practice: practice, At: at(i), Actor: "adv",
			Action: "referral.accept", Subject: fmt.Sprintf("ref-%d", i)}}})
	}
	all, err := s.Events(h.ctx, prescribing.EventFilter{})
	require.NoError(t, err)
	require.Len(t, all, 6)
	after, err := s.Events(h.ctx, prescribing.EventFilter{After: all[2].Seq})
	require.NoError(t, err)
	assert.Equal(t, all[3:], after, "the events after the third")
	none, err := s.Events(h.ctx, prescribing.EventFilter{After: all[5].Seq})
	require.NoError(t, err)
	assert.Empty(t, none, "nothing after the last")
	p1, err := s.Events(h.ctx, prescribing.EventFilter{Practice: "p1", After: all[0].Seq, Limit: 1})
	require.NoError(t, err)
	require.Len(t, p1, 1)
	assert.Equal(t, all[2], p1[0], "the next p1 event after the first")
}
