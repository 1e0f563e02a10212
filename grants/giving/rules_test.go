package giving_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/grants/giving"
)

func TestPostcode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"rm17 6sl": "RM17 6SL", "RM176SL": "RM17 6SL", " ss17  0ab ": "SS17 0AB", "EC1A1BB": "EC1A 1BB"} {
		got, ok := giving.Postcode(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "12345", "RM17 6S", "notapostcode"} {
		_, ok := giving.Postcode(bad)
		assert.False(t, ok, bad)
	}
}

func TestScheduleName(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "House Martin", giving.ScheduleName("House-Martin", 35))
	assert.Equal(t, "Prof", giving.ScheduleName("Professor", 4))
	assert.Len(t, []rune(giving.ScheduleName(strings.Repeat("é", 50), 35)), 35)
}

func TestYears(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 2014, giving.FinancialYear(time.Date(2015, 3, 31, 23, 59, 0, 0, time.UTC)))
	assert.Equal(t, 2015, giving.FinancialYear(time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, 2014, giving.TaxYear(time.Date(2015, 4, 5, 12, 0, 0, 0, time.UTC)))
	assert.Equal(t, 2015, giving.TaxYear(time.Date(2015, 4, 6, 0, 0, 0, 0, time.UTC)))
}

func TestCovering(t *testing.T) {
	t.Parallel()
	made := time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC)
	g := func(id string, at time.Time) *giving.Gift {
		return &giving.Gift{ID: id, Kind: giving.Money, Received: at}
	}
	future := &giving.Declaration{Covers: giving.CoversFuture, Made: made}
	assert.True(t, future.Covering(g("a", made.AddDate(0, 1, 0))))
	assert.False(t, future.Covering(g("a", made.AddDate(0, -1, 0))), "not gifts before it was made")
	past := &giving.Declaration{Covers: giving.CoversPast4, Made: made}
	assert.True(t, past.Covering(g("a", made.AddDate(-3, 0, 0))))
	assert.False(t, past.Covering(g("a", made.AddDate(-5, 0, 0))))
	one := &giving.Declaration{Covers: giving.CoversOne, Gift: "a", Made: made}
	assert.True(t, one.Covering(g("a", made)))
	assert.False(t, one.Covering(g("b", made)))
	series := &giving.Declaration{Covers: giving.CoversSeries, Gift: "a", Made: made}
	assert.True(t, series.Covering(&giving.Gift{ID: "c", Series: "a", Received: made}))
	cancelled := &giving.Declaration{Covers: giving.CoversFuture, Made: made, Cancelled: made.AddDate(0, 2, 0)}
	assert.True(t, cancelled.Covering(g("a", made.AddDate(0, 1, 0))))
	assert.False(t, cancelled.Covering(g("a", made.AddDate(0, 3, 0))), "not gifts after it was cancelled")
	oral := &giving.Declaration{Covers: giving.CoversFuture, Made: made, Oral: true, Sent: made, Cancelled: made.AddDate(0, 0, 20)}
	assert.False(t, oral.Covering(g("a", made.AddDate(0, 0, 1))), "cancelled within 30 days of the written record: as if never made")
	late := &giving.Declaration{Covers: giving.CoversFuture, Made: made, Oral: true, Sent: made, Cancelled: made.AddDate(0, 0, 40)}
	assert.True(t, late.Covering(g("a", made.AddDate(0, 0, 1))))
}

func TestDeclarationContent(t *testing.T) {
	t.Parallel()
	ok := giving.NewDeclaration{Donor: "d", Charity: "TCF", First: "A", Last: "B", Address: giving.Address{House: "1", Postcode: "RM17 6SL"},
		Covers: giving.CoversFuture, Made: time.Now(), Asked: true, TaxTold: true}
	assert.NoError(t, ok.Validate())
	for name, change := range map[string]func(*giving.NewDeclaration){
		"no charity":        func(n *giving.NewDeclaration) { n.Charity = "" },
		"no initial":        func(n *giving.NewDeclaration) { n.First = "" },
		"no surname":        func(n *giving.NewDeclaration) { n.Last = "" },
		"no house":          func(n *giving.NewDeclaration) { n.Address.House = "" },
		"not asked":         func(n *giving.NewDeclaration) { n.Asked = false },
		"not told":          func(n *giving.NewDeclaration) { n.TaxTold = false },
		"unknown coverage":  func(n *giving.NewDeclaration) { n.Covers = "some" },
		"oral, no record":   func(n *giving.NewDeclaration) { n.Oral = true },
		"period, no period": func(n *giving.NewDeclaration) { n.Covers = giving.CoversPeriod },
	} {
		n := ok
		change(&n)
		assert.ErrorIs(t, n.Validate(), giving.ErrInvalid, name)
	}
	n := ok
	n.Address.Postcode = ""
	assert.ErrorIs(t, n.Validate(), giving.ErrNoPostcode)
}

func TestMatchDueNeverOverCap(t *testing.T) {
	t.Parallel()
	from := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	m := &giving.Match{Ratio: decimal.RequireFromString("0.5"), Cap: decimal.NewFromInt(30), From: from, To: from.AddDate(0, 1, 0)}
	gifts := []*giving.Gift{
		{Donor: "p", Kind: giving.Money, Amount: decimal.NewFromInt(40), Received: from},
		{Donor: "p", Kind: giving.Money, Amount: decimal.NewFromInt(100), Received: from.AddDate(0, 2, 0)}, // after To
		{Donor: "b", Kind: giving.Money, Amount: decimal.NewFromInt(100), Received: from},                  // a business
	}
	ind := map[string]bool{"p": true}
	assert.Equal(t, "20.00", m.Due(gifts, ind).StringFixed(2))
	gifts[0].Amount = decimal.NewFromInt(1000)
	assert.Equal(t, "30.00", m.Due(gifts, ind).StringFixed(2))
}

func TestLogsHoldNoNames(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	log := slog.New(slog.NewTextHandler(&b, nil))
	d := giving.Donor{ID: "dnr-1", Kind: giving.Individual, First: "Persephone", Last: "Wigglesworth", Address: giving.Address{Postcode: "SS17 9ZZ"}}
	log.Info("x", "donor", d, "new", giving.NewDonor{First: "Persephone"}, "dec", giving.Declaration{ID: "dec-1", Last: "Wigglesworth"})
	out := b.String() + d.String()
	for _, pii := range []string{"Persephone", "Wigglesworth", "SS17"} {
		assert.NotContains(t, out, pii)
	}
	assert.Contains(t, out, "dnr-1")
}
