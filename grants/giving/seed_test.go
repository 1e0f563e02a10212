package giving_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/internal/borough"
)

// TestPeerYear builds, from generated data, a campaign year with the shape
// of seed 000's peer ("the Kensington and Chelsea Foundation raised
// £312,233 in 2014/15 benefitting 57 local charities and 14,393 local
// people") and reads the figures back from the report, checking them
// against the gifts counted independently.
func TestPeerYear(t *testing.T) {
	for _, seed := range []uint64{2014, 7} {
		ctx := context.Background()
		now := time.Time{}
		var funded borough.Funded
		svc := giving.NewService(memory.NewGivingStore(), giving.WithClock(func() time.Time { return now }), giving.WithMonitoring(&funded))
		want := borough.KensingtonChelsea
		c, f, err := borough.GenerateGiving(ctx, svc, func(t time.Time) { now = t }, want, seed)
		require.NoError(t, err)
		funded = *f

		r, err := svc.Report(ctx, c.ID, want.Year)
		require.NoError(t, err)
		assert.Equal(t, "312233.00", r.Raised.StringFixed(2), "£312,233 raised")
		assert.Equal(t, 57, r.Funded.Groups, "57 local charities")
		assert.Equal(t, 14393, r.Funded.People, "14,393 local people")
		assert.True(t, r.Raised.Equal(r.Gifts.Add(r.GiftAid).Add(r.Match)))
		assert.True(t, r.GiftAid.IsPositive() && r.Match.IsPositive())

		gifts, err := svc.Gifts(ctx, call.As(borough.GivingOfficer), c.ID, "")
		require.NoError(t, err)
		net, claimedOn := decimal.Zero, decimal.Zero
		vols := map[string]bool{}
		for _, g := range gifts {
			net = net.Add(g.Net())
			if g.Claim != "" {
				claimedOn = claimedOn.Add(g.Claimed)
			}
			if g.Kind == giving.Time {
				vols[g.Donor] = true
			}
		}
		assert.True(t, net.Equal(r.Gifts), "gifts %s, report %s", net, r.Gifts)
		assert.True(t, claimedOn.Mul(giving.Rate).Round(2).Sub(r.GiftAid).Abs().LessThan(decimal.NewFromInt(1)),
			"Gift Aid is 25%% of what was claimed on: %s vs %s", claimedOn, r.GiftAid)
		assert.Equal(t, len(vols), r.Volunteers)
		assert.Positive(t, r.Talents)
		assert.Less(t, r.DeliveredMinutes, r.PledgedMinutes)
		total := decimal.Zero
		for _, v := range r.ByPriority {
			total = total.Add(v)
		}
		assert.True(t, total.Equal(r.Raised), "every pound is restricted or unrestricted")
		assert.Equal(t, "83.3", r.MoneyProgress.String(), "the target is 120% of the peer's figure")
	}
}
