package replay

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes/costs"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// stores are the database's stores the locality check reads afresh.
type stores struct {
	timebank    timebank.Store
	hubs        hubs.Store
	grants      grants.Store
	prescribing prescribing.Store
	dementia    dementia.Store
	locality    locality.Store
}

// between returns the part of out from the first line holding start to
// the next line holding end after it (to the end when end is "").
func between(t *testing.T, out, start, end string) string {
	t.Helper()
	i := strings.Index(out, start)
	require.GreaterOrEqual(t, i, 0, "no %q in the output", start)
	s := out[i:]
	if end != "" {
		j := strings.Index(s[len(start):], end)
		require.GreaterOrEqual(t, j, 0, "no %q after %q in the output", end, start)
		s = s[:len(start)+j]
	}
	return s
}

// checkLocality checks the LOCALITY, COSTS AVOIDED and WARD MATRIX
// sections: the Summary holds what the domains report afresh from the
// database st, and the output prints those figures.
func checkLocality(t *testing.T, ctx context.Context, out string, sum *Summary, st stores) {
	l := sum.Locality
	require.NotNil(t, l)
	svc := locality.NewService(st.locality)

	t.Run("locality", func(t *testing.T) {
		sec := between(t, out, "LOCALITY — ", "COSTS AVOIDED")
		lac, err := svc.LACReport(ctx, l.From, l.To)
		require.NoError(t, err)
		assert.Equal(t, lac, l.LAC)
		require.NotEmpty(t, lac)
		table := between(t, sec, "Local Area Coordination, by area", "How people came")
		routes := between(t, sec, "How people came", "Caseload by coordinator")
		for _, r := range lac {
			conns := 0
			for _, n := range r.Connections {
				conns += n
			}
			want := []int{r.Introduced, r.Open, r.Closed, r.GoalsSet, r.GoalsMet, conns, r.AvoidedEvents}
			assert.Equal(t, strs(want...), fields(t, table, l.areaName(r.Area)), r.Area)
			byRoute := 0
			for _, n := range r.ByRoute {
				byRoute += n
			}
			assert.Equal(t, r.Introduced, byRoute, "everyone introduced came by a route")
		}
		for _, rt := range locality.Routes() {
			var want []int
			for _, r := range lac {
				want = append(want, r.ByRoute[rt])
			}
			assert.Equal(t, strs(want...), fields(t, routes, routeTitles[rt]), rt)
		}
		loads, err := svc.Caseloads(ctx, l.To)
		require.NoError(t, err)
		assert.Equal(t, loads, l.Caseloads)
		open, cases := 0, 0
		for _, r := range lac {
			open += r.Open
		}
		for id, n := range loads {
			cases += n
			assert.Contains(t, sec, fmt.Sprintf(" %s %d", id, n))
		}
		assert.Equal(t, open, cases, "the coordinators' caseloads add up to the areas' open cases")

		org, err := svc.OrganisersReport(ctx, l.From, l.To)
		require.NoError(t, err)
		assert.Equal(t, org, l.Organisers)
		require.NotEmpty(t, org)
		orgSec := between(t, sec, "Community Organisers, by ward", "Community Builders")
		for _, r := range org {
			assert.Equal(t, []string{strconv.FormatInt(r.Conversations, 10), strconv.Itoa(r.Issues), strconv.Itoa(r.Actions), strconv.Itoa(r.ActionsDone)},
				fields(t, orgSec, r.Ward), r.Ward)
		}

		bld, err := svc.BuildersReport(ctx, l.From, l.To)
		require.NoError(t, err)
		assert.Equal(t, bld, l.Builders)
		require.NotEmpty(t, bld)
		bldSec := between(t, sec, "Community Builders", "")
		for _, r := range bld {
			want := []int{r.Assets[locality.Place], r.Assets[locality.Association], r.Assets[locality.GiftAsset] + r.Assets[locality.Skill],
				r.Offers + r.Requests, r.Matches, r.Fairs, r.Practices}
			assert.Equal(t, strs(want...), fields(t, bldSec, l.areaName(r.Area)), r.Area)
		}
	})

	t.Run("costs avoided", func(t *testing.T) {
		sec := between(t, out, "COSTS AVOIDED — ", "WARD MATRIX")
		v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
		require.NoError(t, err)
		r, err := v.Report(ctx, borough.LocalityCosts{Locality: svc, Manager: borough.LocalityStaff().Manager}, l.From, l.To, nil)
		require.NoError(t, err)
		assert.Equal(t, r, sum.Costs)
		require.NotEmpty(t, r.Programmes, "LAC recorded avoided service use in the year")
		for _, s := range []string{"deadweight " + r.Params.Deadweight.String() + "%", "attribution " + r.Params.Attribution.String() + "%",
			"optimism bias " + r.Params.OptimismBias[costs.High].String() + "% for high, " + r.Params.OptimismBias[costs.Medium].String() + "% for medium, " +
				r.Params.OptimismBias[costs.Low].String() + "% for low", "Prices: " + strings.Join(r.PriceBases, ", ")} {
			assert.Contains(t, sec, s)
		}
		for _, p := range r.Programmes {
			ps := between(t, sec, "\n  "+programmeTitle(p.Programme)+"\n", "")
			events := 0
			for _, ln := range p.Lines {
				got := fields(t, ps, ln.Unit.Name)
				assert.Equal(t, []string{ln.Quantity.String(), ln.Unit.Unit + "s", strconv.Itoa(ln.Events)}, got[:3], ln.Unit.ID)
				assert.Equal(t, ln.Gross.String(), got[len(got)-1], ln.Unit.ID)
				events += ln.Events
			}
			for label, want := range map[string]costs.Range{"Gross": p.Gross, "less deadweight": p.Deadweight, "less attribution": p.Attribution,
				"less optimism bias": p.OptimismBias, "Net costs avoided": p.Net} {
				assert.Equal(t, want.String(), field(t, ps, label), label)
				assert.True(t, want.Low.LessThanOrEqual(want.High), "%s is a low–high range", label)
			}
			// Net is gross less every adjustment, at both ends.
			assert.True(t, p.Gross.Sub(p.Deadweight).Sub(p.Attribution).Sub(p.OptimismBias).Low.Equal(p.Net.Low))
			assert.True(t, p.Gross.Sub(p.Deadweight).Sub(p.Attribution).Sub(p.OptimismBias).High.Equal(p.Net.High))
			assert.True(t, p.Net.High.LessThan(p.Gross.High), "the adjustments take something away")
			byArea := 0
			for _, a := range p.Areas {
				assert.Contains(t, ps, fmt.Sprintf("in %s: %d events, gross %s, net %s", l.areaName(a.Area), a.Events, a.Gross, a.Net))
				byArea += a.Events
			}
			assert.Equal(t, events, byArea)
			lacEvents := 0
			for _, a := range l.LAC {
				lacEvents += a.AvoidedEvents
			}
			assert.Equal(t, lacEvents, events, "every avoided event LAC recorded is valued")
		}
	})

	t.Run("ward matrix", func(t *testing.T) {
		sec := between(t, out, "WARD MATRIX — ", "Files written")
		m := sum.Matrix
		require.NotNil(t, m)
		from, to := m.Matrix.From, m.Matrix.To
		var cols []locality.Column
		col := func(name string, c map[string]int64, err error) {
			t.Helper()
			require.NoError(t, err, name)
			cols = append(cols, locality.Column{Programme: name, Counts: c})
		}
		c, err := timebank.NewService(st.timebank).WardCounts(ctx, sum.Bank, from, to)
		col("timebank", c, err)
		c, err = hubs.NewService(st.hubs).WardCounts(ctx, from, to)
		col("hubs", c, err)
		c, err = grants.NewService(st.grants).WardCounts(ctx, sum.Fund, from, to)
		col("grants", c, err)
		rx := prescribing.NewService(st.prescribing)
		c, err = rx.WardCounts(ctx, call.As(sum.Pilot.Manager), from, to)
		col("prescribing", c, err)
		_, err = rx.WardCounts(ctx, call.As("a-resident"), from, to)
		assert.ErrorIs(t, err, prescribing.ErrForbidden, "the referral counts are the scheme's to read")
		c, err = dementia.NewService(st.dementia).WardCounts(ctx, from, to)
		col("dementia", c, err)
		lc, err := svc.WardCounts(ctx, from, to)
		require.NoError(t, err)
		cols = append(cols, locality.Column{Programme: "lac", Counts: lc[locality.LAC]}, locality.Column{Programme: "organisers", Counts: lc[locality.Organisers]},
			locality.Column{Programme: "builders", Counts: lc[locality.Builders]})
		assert.Equal(t, locality.Compose(from, to, borough.Wards(), cols...), m.Matrix, "the matrix is the domains' counts, read afresh")
		require.Len(t, m.Columns, len(m.Matrix.Programmes))
		for j, c := range m.Columns {
			assert.Equal(t, m.Matrix.Programmes[j], c.Programme)
			assert.Contains(t, sec, c.Title+": "+c.Counts, "the table says what %s counts", c.Programme)
			active := 0
			for i := range m.Matrix.Wards {
				if m.Matrix.Counts[i][j] > 0 {
					active++
				}
			}
			assert.Positive(t, active, "%s is active in some ward", c.Programme)
		}
		assert.Equal(t, borough.Wards(), m.Matrix.Wards, "every count names one of the borough's wards")
		for i, ward := range m.Matrix.Wards {
			var want []string
			for _, n := range m.Matrix.Counts[i] {
				if n == 0 {
					want = append(want, "-")
				} else {
					want = append(want, strconv.FormatInt(n, 10))
				}
			}
			want = append(want, strconv.Itoa(m.Matrix.Active(i)))
			assert.Equal(t, want, fields(t, sec, ward), ward)
		}
	})
}

// strs formats ints as the report prints them.
func strs(ns ...int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return out
}
