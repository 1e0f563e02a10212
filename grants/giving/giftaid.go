package giving

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Rate is Gift Aid's value: 25p per £1 given (basic-rate relief at 20%,
// since 6 April 2008).
var Rate = decimal.RequireFromString("0.25")

// Limits are HMRC's limits for a claim, in force from a date. They are
// data: a council passes the table HMRC's guidance gives on the day, and
// LimitsAt picks the row for a date.
type Limits struct {
	From          time.Time       // in force from this date
	AggregateGift decimal.Decimal // the largest gift that may be aggregated with others' on one line
	AggregateLine decimal.Decimal // the largest total of one aggregated line
	Rows          int             // donation rows in one schedule (one claim)
	SmallGift     decimal.Decimal // GASDS: the largest small donation
	SmallYear     decimal.Decimal // GASDS: the most small donations a charity may claim on in a tax year
	Retention     int             // years Gift Aid records are kept after the accounting period's end
	Source        string          // where the figures come from
}

// HMRCLimits returns HMRC's limits as its guidance states them, oldest
// first: the Charities Online schedule (from 22 April 2013: aggregate gifts
// of £20 or less, a line of at most £1,000, 1,000 rows to a schedule;
// GASDS small donations of £20, up to £5,000 a year), and from 6 April
// 2016 GASDS small donations of £30 up to £8,000 a year, with the current
// guidance aggregating gifts under £30. Records are kept six years.
func HMRCLimits() []Limits {
	return []Limits{
		{From: time.Date(2013, time.April, 22, 0, 0, 0, 0, time.UTC),
			AggregateGift: decimal.NewFromInt(20), AggregateLine: decimal.NewFromInt(1000), Rows: 1000,
			SmallGift: decimal.NewFromInt(20), SmallYear: decimal.NewFromInt(5000), Retention: 6,
			Source: "HMRC, How to complete the Gift Aid donation schedule spreadsheet (2013); GASDS guidance (2013)"},
		{From: time.Date(2016, time.April, 6, 0, 0, 0, 0, time.UTC),
			AggregateGift: decimal.NewFromInt(30), AggregateLine: decimal.NewFromInt(1000), Rows: 1000,
			SmallGift: decimal.NewFromInt(30), SmallYear: decimal.NewFromInt(8000), Retention: 6,
			Source: "GOV.UK, Schedule spreadsheet to claim back tax on Gift Aid donations; GASDS from 6 April 2016"},
	}
}

// LimitsAt returns the row of table in force at t, or false if none is.
func LimitsAt(table []Limits, t time.Time) (Limits, bool) {
	var got Limits
	ok := false
	for _, l := range table {
		if !t.Before(l.From) && (!ok || l.From.After(got.From)) {
			got, ok = l, true
		}
	}
	return got, ok
}

// Line is one row of HMRC's claim schedule. For an aggregated line Title,
// First, Last, House and Postcode are empty and Aggregated describes the
// gifts; Date is the latest gift's date.
type Line struct {
	Title      string
	First      string
	Last       string
	House      string
	Postcode   string
	Aggregated string
	Sponsored  bool
	Date       time.Time
	Amount     decimal.Decimal
	Gifts      []string // the gifts on the line
}

// Claim is one Gift Aid repayment claim: its schedule of lines (no more
// than the limits' Rows), the over-claim carried from refunds of gifts
// claimed earlier, and the tax it claims.
type Claim struct {
	ID        string
	Campaign  string
	Charity   string
	Lines     []Line
	Donations decimal.Decimal // the total of the lines
	OverClaim decimal.Decimal // Gift Aid over-claimed before, deducted
	Tax       decimal.Decimal // Donations × Rate − OverClaim
	Small     decimal.Decimal // GASDS small donations claimed on
	SmallTax  decimal.Decimal // Small × Rate
	Earliest  time.Time
	Made      time.Time
	Paid      time.Time // when HMRC paid; zero until then
	Erased    bool

	CreatedAt time.Time
	CreatedBy string
	Version   int
}

// ScheduleName returns name shortened and cleaned as HMRC's schedule
// wants a name: at most max characters, a double-barrelled surname with a
// space for the hyphen.
func ScheduleName(name string, max int) string {
	s := strings.Join(strings.Fields(strings.ReplaceAll(name, "-", " ")), " ")
	r := []rune(s)
	if len(r) > max {
		r = r[:max]
	}
	return strings.TrimSpace(string(r))
}

// Entry is a gift to put on a schedule, with the declaration it is claimed
// under.
type Entry struct {
	Gift        *Gift
	Declaration *Declaration
	Aggregate   bool // may be aggregated with other donors' small gifts
}

// Schedule lays entries out as HMRC's schedule lines: one line per donor
// for their gifts (dated by the last), and gifts marked Aggregate and no
// larger than lim.AggregateGift added together on lines described by
// label, each at most lim.AggregateLine. A gift marked Aggregate over the
// per-gift limit is ErrLineLimit. Lines are ordered by donor surname, then
// first name, with aggregated lines last.
func Schedule(entries []Entry, lim Limits, label string) ([]Line, error) {
	byDonor := map[string]*Line{}
	var donors []*Line
	var agg []*Line
	var cur *Line
	for i, e := range entries {
		g, d := e.Gift, e.Declaration
		amt := g.Amount.Sub(g.Refunded)
		if amt.IsZero() {
			continue
		}
		if e.Aggregate {
			if amt.GreaterThan(lim.AggregateGift) {
				return nil, fieldErr(ErrLineLimit, fmt.Sprintf("entries[%d]", i), "£%s is over the £%s an aggregated gift may be", amt.StringFixed(2), lim.AggregateGift.StringFixed(2))
			}
			if cur == nil || cur.Amount.Add(amt).GreaterThan(lim.AggregateLine) {
				cur = &Line{Aggregated: ScheduleName(label, 35)}
				agg = append(agg, cur)
			}
			add(cur, g, amt)
			continue
		}
		l := byDonor[g.Donor]
		if l == nil {
			pc, _ := Postcode(d.Address.Postcode)
			l = &Line{Title: ScheduleName(d.Title, 4), First: ScheduleName(d.First, 35), Last: ScheduleName(d.Last, 35),
				House: d.Address.House, Postcode: pc}
			byDonor[g.Donor] = l
			donors = append(donors, l)
		}
		add(l, g, amt)
	}
	slices.SortStableFunc(donors, func(a, b *Line) int {
		if c := strings.Compare(a.Last, b.Last); c != 0 {
			return c
		}
		if c := strings.Compare(a.First, b.First); c != 0 {
			return c
		}
		return strings.Compare(a.Gifts[0], b.Gifts[0])
	})
	out := make([]Line, 0, len(donors)+len(agg))
	for _, l := range donors {
		out = append(out, *l)
	}
	for _, l := range agg {
		out = append(out, *l)
	}
	return out, nil
}

func add(l *Line, g *Gift, amt decimal.Decimal) {
	l.Amount = l.Amount.Add(amt)
	l.Gifts = append(l.Gifts, g.ID)
	if g.Received.After(l.Date) {
		l.Date = g.Received
	}
}

// CheckLine checks a line against lim: an aggregated line over the line
// limit is ErrLineLimit.
func CheckLine(l Line, lim Limits) error {
	if l.Aggregated != "" && l.Amount.GreaterThan(lim.AggregateLine) {
		return fieldErr(ErrLineLimit, "Amount", "an aggregated line of £%s is over £%s", l.Amount.StringFixed(2), lim.AggregateLine.StringFixed(2))
	}
	return CheckMoney("Amount", l.Amount, true)
}

// Split cuts lines into schedules of at most lim.Rows lines each: HMRC
// takes that many rows in one claim.
func Split(lines []Line, lim Limits) [][]Line {
	n := max(lim.Rows, 1)
	var out [][]Line
	for len(lines) > n {
		out = append(out, lines[:n:n])
		lines = lines[n:]
	}
	if len(lines) > 0 {
		out = append(out, lines)
	}
	return out
}
