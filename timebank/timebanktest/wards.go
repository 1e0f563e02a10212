package timebanktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// testWardCounts checks Service.WardCounts over what the store holds: the
// members of a bank and its Mini Time Banks who were members in the
// period, by the ward they name, and no one else.
func testWardCounts(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("borough")
	h.bank("other")
	h.apply(&timebank.Batch{Banks: []*timebank.Bank{newMiniBank("mini", "borough", "org")}})
	member := func(id, bank, ward string, joined int, left *int) *timebank.Member {
		m := newMember(id, bank)
		m.Ward, m.JoinedAt = ward, at(timeDays(joined))
		if left != nil {
			m.Status, m.LeftAt = timebank.Left, ptr(at(timeDays(*left)))
		}
		return m
	}
	org := member("org", "borough", "Tilbury St Chads", 0, nil)
	org.Kind = timebank.Organisation
	h.apply(&timebank.Batch{Members: []*timebank.Member{
		org,
		member("ann", "borough", "Tilbury St Chads", 1, nil),
		member("bob", "borough", "Grays Riverside", 2, ptr(5)), // left on day 5
		member("cat", "mini", "Grays Riverside", 3, nil),       // a Mini Time Bank's member counts in its borough bank
		member("dan", "borough", "", 1, nil),                   // names no ward
		member("eve", "borough", "Belhus", 20, nil),            // joins after the period
		member("fay", "other", "Tilbury St Chads", 1, nil),     // another borough's bank
	}})
	got, err := s.Member(h.ctx, "ann")
	require.NoError(t, err)
	assert.Equal(t, "Tilbury St Chads", got.Ward)

	svc := timebank.NewService(s)
	c, err := svc.WardCounts(h.ctx, "borough", at(timeDays(4)), at(timeDays(10)))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Tilbury St Chads": 2, "Grays Riverside": 2}, c, "org and ann; bob (still a member on day 4) and cat")
	c, err = svc.WardCounts(h.ctx, "borough", at(timeDays(6)), at(timeDays(30)))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Tilbury St Chads": 2, "Grays Riverside": 1, "Belhus": 1}, c, "bob left before the period")
	c, err = svc.WardCounts(h.ctx, "mini", at(0), at(timeDays(30)))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Grays Riverside": 1}, c, "a Mini Time Bank counts its own members")

	_, err = svc.WardCounts(h.ctx, "missing", at(0), at(timeDays(1)))
	assert.ErrorIs(t, err, timebank.ErrNotFound)
	_, err = svc.WardCounts(h.ctx, "borough", at(timeDays(1)), at(timeDays(1)))
	assert.ErrorIs(t, err, timebank.ErrInvalid)
}

// timeDays is n days of ledger time.
func timeDays(n int) time.Duration { return time.Duration(n) * day }
