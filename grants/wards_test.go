package grants_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

// TestWardCounts counts awards by the ward of their project, in the
// period they were awarded, and never an application that was only
// approved or submitted.
func TestWardCounts(t *testing.T) {
	w := newWorld(t)
	inWard := func(title, ward string) grants.NewApplication {
		f := w.form(title)
		f.Ward = ward
		return f
	}
	w.awarded(inWard("Planters", "Chadwell St Mary"), "240")
	w.awarded(inWard("Street party", "Chadwell St Mary"), "200")
	w.awarded(inWard("Lunch club", "Tilbury St Chads"), "150")
	approved := w.reviewed(inWard("Mural", "Belhus"))
	w.mustApprove(approved.ID, "100")
	w.submitted(inWard("Benches", "Belhus"))
	w.now = w.now.AddDate(0, 1, 0) // July: one more award
	w.awarded(inWard("Bulbs", "Tilbury St Chads"), "90")

	from := time.Date(2014, time.June, 1, 0, 0, 0, 0, time.UTC)
	c, err := w.svc.WardCounts(w.ctx, w.fund.ID, from, from.AddDate(0, 1, 0))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Chadwell St Mary": 2, "Tilbury St Chads": 1}, c, "June's awards only")

	all, err := w.svc.WardCounts(w.ctx, "", from, from.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Chadwell St Mary": 2, "Tilbury St Chads": 2}, all)

	// The year's counts agree with the fund's report by ward.
	r, err := w.svc.Report(w.ctx, w.fund.ID, 2014)
	require.NoError(t, err)
	byWard := map[string]int64{}
	for _, s := range r.ByWard {
		byWard[s.Name] = int64(s.Awards)
	}
	assert.Equal(t, byWard, all)

	_, err = w.svc.WardCounts(w.ctx, "no-such-fund", from, from.AddDate(1, 0, 0))
	assert.ErrorIs(t, err, grants.ErrNotFound)
	_, err = w.svc.WardCounts(w.ctx, w.fund.ID, from, from)
	fieldIs(t, err, grants.ErrInvalid, "to")
}
