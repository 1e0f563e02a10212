package costs_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes/costs"
)

var d = decimal.RequireFromString

// TestSeedUnitCosts checks that every pound figure of seed 002's
// paragraph 3.2.2 (kept verbatim in testdata) is a low or high of the
// embedded unit costs, and that each unit cost prints as the seed writes
// it.
func TestSeedUnitCosts(t *testing.T) {
	text, err := os.ReadFile("testdata/seed002_3.2.2.txt")
	require.NoError(t, err)
	us := costs.SeedUnitCosts()
	require.Len(t, us, 3)
	var fromData []string
	for _, u := range us {
		require.NoError(t, u.Check())
		assert.NotEmpty(t, u.Source)
		assert.Equal(t, "2014/15", u.PriceBase)
		fromData = append(fromData, costs.Pounds(u.Low))
		if !u.High.Equal(u.Low) {
			fromData = append(fromData, costs.Pounds(u.High))
		}
		// The seed writes "£45 per session", "£1,220- £3,159 per week".
		seedForm := strings.ReplaceAll(u.String(), "–", "- ")
		assert.Contains(t, string(text), seedForm)
	}
	inSeed := regexp.MustCompile(`£[0-9,]+(\.[0-9]+)?`).FindAllString(string(text), -1)
	assert.ElementsMatch(t, inSeed, fromData)
	assert.Equal(t, []string{"£45 per session", "£1,220–£3,159 per week", "£544.80 per month"},
		[]string{us[0].String(), us[1].String(), us[2].String()})
}

type events []costs.Event

func (e events) AvoidedEvents(_ context.Context, from, to time.Time) ([]costs.Event, error) {
	var out []costs.Event
	for _, x := range e {
		if !x.On.Before(from) && x.On.Before(to) {
			out = append(out, x)
		}
	}
	return out, nil
}

func day(m time.Month, d int) time.Time { return time.Date(2014, m, d, 0, 0, 0, 0, time.UTC) }

// TestValuation checks the arithmetic against a hand calculation.
func TestValuation(t *testing.T) {
	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.Params{Deadweight: d("20"), Attribution: d("50"),
		OptimismBias: map[costs.Confidence]decimal.Decimal{costs.High: d("0"), costs.Medium: d("10"), costs.Low: d("50")}})
	require.NoError(t, err)
	src := events{
		{Programme: "lac", On: day(8, 1), Unit: "day-care-session", Quantity: d("10"), Evidence: "care plan", Confidence: costs.High},
		{Programme: "lac", On: day(8, 2), Unit: "bed-week", Quantity: d("2"), Evidence: "ward note", Confidence: costs.Medium},
		{Programme: "lac", On: day(8, 3), Unit: "direct-payment-month", Quantity: d("1"), Evidence: "family", Confidence: costs.Low},
		{Programme: "lac", On: day(9, 3), Unit: "bed-week", Quantity: d("100"), Evidence: "outside the period", Confidence: costs.High},
	}
	r, err := v.Report(t.Context(), src, day(8, 1), day(9, 1), map[string]decimal.Decimal{"lac": d("30000")})
	require.NoError(t, err)
	require.Len(t, r.Programmes, 1)
	p := r.Programmes[0]
	// Gross: 10×45 + 2×1220..2×3159 + 544.80 = 3434.80 .. 7312.80.
	assert.Equal(t, "3434.8", p.Gross.Low.String())
	assert.Equal(t, "7312.8", p.Gross.High.String())
	// Net: day care 450×0.8×0.5×1 = 180; beds 2440×0.4×0.9 = 878.4 ..
	// 6318×0.36 = 2274.48; payments 544.80×0.4×0.5 = 108.96.
	assert.Equal(t, "1167.36", p.Net.Low.String())
	assert.Equal(t, "2563.44", p.Net.High.String())
	assert.True(t, p.Gross.Sub(p.Deadweight).Sub(p.Attribution).Sub(p.OptimismBias).Low.Equal(p.Net.Low))
	assert.Equal(t, "687", p.Deadweight.Low.Round(0).String())
	require.NotNil(t, p.Cost)
	txt := r.Text()
	for _, want := range []string{"gross £3,435–£7,313", "less deadweight £687–£1,463", "net £1,167–£2,563",
		"deadweight 20%, attribution 50%", "programme cost £30,000", "prices 2014/15"} {
		assert.Contains(t, txt, want)
	}
}

func TestBadInput(t *testing.T) {
	_, err := costs.NewValuer(nil, costs.Params{Deadweight: d("101"), Attribution: d("50"), OptimismBias: costs.DefaultParams().OptimismBias})
	assert.ErrorIs(t, err, costs.ErrOutOfRange)
	p := costs.DefaultParams()
	p.OptimismBias[costs.Low] = d("-1")
	_, err = costs.NewValuer(nil, p)
	assert.ErrorIs(t, err, costs.ErrOutOfRange)

	u := costs.SeedUnitCosts()[0]
	u.Source = ""
	_, err = costs.NewValuer([]costs.UnitCost{u}, costs.DefaultParams())
	assert.ErrorIs(t, err, costs.ErrNoSource)
	u = costs.SeedUnitCosts()[0]
	u.PriceBase = " "
	assert.ErrorIs(t, u.Check(), costs.ErrNoSource)

	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
	require.NoError(t, err)
	good := costs.Event{Programme: "lac", On: day(8, 1), Unit: "bed-week", Quantity: d("1"), Evidence: "x", Confidence: costs.High}
	for name, c := range map[string]struct {
		mut  func(*costs.Event)
		want error
	}{
		"no evidence":   {func(e *costs.Event) { e.Evidence = "" }, costs.ErrNoEvidence},
		"no confidence": {func(e *costs.Event) { e.Confidence = "" }, costs.ErrNoEvidence},
		"negative":      {func(e *costs.Event) { e.Quantity = d("-1") }, costs.ErrNegative},
		"unknown unit":  {func(e *costs.Event) { e.Unit = "ae-attendance" }, costs.ErrUnknownUnit},
	} {
		e := good
		c.mut(&e)
		_, err := v.Value([]costs.Event{good, e}, day(1, 1), day(12, 1), nil)
		assert.ErrorIs(t, err, c.want, name)
		var fe *costs.FieldError
		assert.True(t, errors.As(err, &fe), name)
	}
}

func TestParseUnitCostsProblems(t *testing.T) {
	_, err := costs.ParseUnitCosts(strings.NewReader("id,name,unit,low,high,source,date,price_base\n" +
		"ae,A&E attendance,attendance,100,90,NHS reference costs,2019-01-01,2018/19\n" +
		"gp,GP appointment,appointment,x,30,,2019-01-01,2018/19\n"))
	require.ErrorIs(t, err, costs.ErrInvalid)
	assert.Contains(t, err.Error(), "line 2: high")
	assert.Contains(t, err.Error(), "line 3: low")
	_, err = costs.ParseUnitCosts(strings.NewReader("id,name,unit,low,high,source,date,price_base\n" +
		"gp,GP appointment,appointment,30,30,,2019-01-01,2018/19\n"))
	assert.ErrorIs(t, err, costs.ErrNoSource)
}

func FuzzParseUnitCosts(f *testing.F) {
	seed, err := os.ReadFile("unit_costs.csv")
	require.NoError(f, err)
	f.Add(seed)
	sec, err := os.ReadFile("secondary_care.csv")
	require.NoError(f, err)
	f.Add(sec)
	f.Add([]byte("id,name,unit,low,high,source,date,price_base\nx,y,z,1,2,s,2014-01-01,2014/15\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		us, err := costs.ParseUnitCosts(bytes.NewReader(b))
		if err != nil {
			require.ErrorIs(t, err, costs.ErrInvalid)
			require.Nil(t, us)
			return
		}
		for _, u := range us {
			require.NoError(t, u.Check())
		}
	})
}

func BenchmarkReport100k(b *testing.B) {
	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
	require.NoError(b, err)
	units := []string{"day-care-session", "bed-week", "direct-payment-month"}
	var es events
	for i := range 100_000 {
		es = append(es, costs.Event{Programme: []string{"lac", "hubs", "prescribing"}[i%3], Area: "a",
			On: day(1, 1).Add(time.Duration(i) * time.Minute), Unit: units[i%3], Quantity: decimal.NewFromInt(int64(1 + i%4)),
			Evidence: "case record", Confidence: costs.Confidences()[i%3]})
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := v.Value(es, day(1, 1), day(12, 31), nil)
		if err != nil || len(r.Programmes) != 3 {
			b.Fatal(err)
		}
	}
}

// TestByArea checks that the areas' values add up to the programme's.
func TestByArea(t *testing.T) {
	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
	require.NoError(t, err)
	var es []costs.Event
	for i := range 30 {
		es = append(es, costs.Event{Programme: "lac", Area: []string{"purfleet", "tilbury", "aveley"}[i%3], On: day(5, 1+i%28),
			Unit: []string{"day-care-session", "bed-week", "direct-payment-month"}[i%3], Quantity: decimal.NewFromInt(int64(1 + i%5)),
			Evidence: "record", Confidence: costs.Confidences()[(i/3)%3]})
	}
	r, err := v.Value(es, day(5, 1), day(6, 1), nil)
	require.NoError(t, err)
	p := r.Programmes[0]
	require.Len(t, p.Areas, 3)
	var sum costs.Range
	n := 0
	for _, a := range p.Areas {
		sum = sum.Add(a.Net)
		n += a.Events
		assert.True(t, a.Net.Low.LessThanOrEqual(a.Net.High))
		assert.True(t, a.Net.High.LessThanOrEqual(a.Gross.High))
	}
	assert.True(t, sum.Low.Equal(p.Net.Low) && sum.High.Equal(p.Net.High), "%s vs %s", sum, p.Net)
	assert.Equal(t, 30, n)
	assert.Equal(t, "aveley", p.Areas[0].Area)
	assert.Contains(t, r.Text(), "in tilbury: 10 events")
}

// TestValuationBounds checks, for many parameter sets, that each
// adjustment takes nothing negative away, that net never exceeds gross,
// and that low never exceeds high.
func TestValuationBounds(t *testing.T) {
	es := events{
		{Programme: "lac", On: day(8, 1), Unit: "day-care-session", Quantity: d("10"), Evidence: "e", Confidence: costs.High},
		{Programme: "lac", On: day(8, 2), Unit: "bed-week", Quantity: d("2.5"), Evidence: "e", Confidence: costs.Medium},
		{Programme: "lac", On: day(8, 3), Unit: "direct-payment-month", Quantity: d("3"), Evidence: "e", Confidence: costs.Low},
	}
	for dw := 0; dw <= 100; dw += 25 {
		for at := 0; at <= 100; at += 25 {
			for ob := 0; ob <= 100; ob += 50 {
				p := costs.Params{Deadweight: decimal.NewFromInt(int64(dw)), Attribution: decimal.NewFromInt(int64(at)),
					OptimismBias: map[costs.Confidence]decimal.Decimal{costs.High: decimal.Zero, costs.Medium: decimal.NewFromInt(int64(ob / 2)), costs.Low: decimal.NewFromInt(int64(ob))}}
				v, err := costs.NewValuer(costs.SeedUnitCosts(), p)
				require.NoError(t, err)
				r, err := v.Value(es, day(8, 1), day(9, 1), nil)
				require.NoError(t, err)
				g := r.Programmes[0]
				for _, x := range []costs.Range{g.Deadweight, g.Attribution, g.OptimismBias, g.Net} {
					assert.False(t, x.Low.IsNegative())
					assert.True(t, x.Low.LessThanOrEqual(x.High))
				}
				assert.True(t, g.Net.High.LessThanOrEqual(g.Gross.High))
				if dw == 100 || at == 0 {
					assert.True(t, g.Net.High.IsZero())
				}
				if dw == 0 && at == 100 && ob == 0 {
					assert.True(t, g.Net.Low.Equal(g.Gross.Low))
				}
			}
		}
	}
}

func TestSecondaryCareUnitCosts(t *testing.T) {
	us := costs.SecondaryCareUnitCosts()
	byID := map[string]costs.UnitCost{}
	for _, u := range us {
		require.NoError(t, u.Check())
		byID[u.ID] = u
	}
	assert.Equal(t, "£148 per attendance", byID["ae-attendance"].String())
	assert.Equal(t, "£1,590 per episode", byID["non-elective-episode"].String())
	assert.Equal(t, "£33–£44 per appointment", byID["gp-appointment"].String())
	assert.Equal(t, "2016/17", byID["ae-attendance"].PriceBase)
	// Valued beside the seed's costs, the report warns that price bases
	// differ.
	v, err := costs.NewValuer(append(costs.SeedUnitCosts(), us...), costs.DefaultParams())
	require.NoError(t, err)
	r, err := v.Value([]costs.Event{
		{Programme: "prescribing", On: day(5, 1), Unit: "ae-attendance", Quantity: d("3"), Evidence: "practice records", Confidence: costs.Medium},
		{Programme: "lac", On: day(5, 1), Unit: "day-care-session", Quantity: d("3"), Evidence: "care plan", Confidence: costs.High},
	}, day(5, 1), day(6, 1), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"2014/15", "2016/17"}, r.PriceBases)
	assert.Contains(t, r.Text(), "Warning: unit costs in 2 price bases")
}
