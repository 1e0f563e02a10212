package timebanktest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// testEventsAfter: EventFilter.After keeps the events with a greater Seq,
// oldest first, with the other filters and paging, so a reader that
// remembers the last Seq it saw reads exactly what followed.
func testEventsAfter(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	for i := range 6 {
		bank := []string{"b", "m"}[i%2]
		h.apply(&timebank.Batch{Events: []timebank.Event{{Bank: bank, At: at(time.Duration(i) * time.Minute), Actor: "coord",
			Action: "member.join", Subject: fmt.Sprintf("mem-%d", i)}}})
	}
	all, err := s.Events(h.ctx, timebank.EventFilter{})
	require.NoError(t, err)
	require.Len(t, all, 6)
	after, err := s.Events(h.ctx, timebank.EventFilter{After: all[2].Seq})
	require.NoError(t, err)
	assert.Equal(t, all[3:], after, "the events after the third")
	none, err := s.Events(h.ctx, timebank.EventFilter{After: all[5].Seq})
	require.NoError(t, err)
	assert.Empty(t, none, "nothing after the last")
	b, err := s.Events(h.ctx, timebank.EventFilter{Bank: "b", After: all[0].Seq, Limit: 1})
	require.NoError(t, err)
	require.Len(t, b, 1)
	assert.Equal(t, all[2], b[0], "the next event of bank b after the first")
}
