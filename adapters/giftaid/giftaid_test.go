package giftaid_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/giftaid"
	"github.com/strongertogether/community/grants/giving"
)

var day = time.Date(2016, time.May, 9, 0, 0, 0, 0, time.UTC)

func lim(t testing.TB) giving.Limits {
	l, ok := giving.LimitsAt(giving.HMRCLimits(), day)
	require.True(t, ok)
	return l
}

func gift(id, donor, amount string, at time.Time) *giving.Gift {
	return &giving.Gift{ID: id, Donor: donor, Kind: giving.Money, Amount: decimal.RequireFromString(amount), Received: at, GiftAid: true}
}

func decl(title, first, last, house, postcode string) *giving.Declaration {
	return &giving.Declaration{Title: title, First: first, Last: last, Address: giving.Address{House: house, Postcode: postcode}}
}

func TestScheduleReadsBack(t *testing.T) {
	t.Parallel()
	l := lim(t)
	long := strings.Repeat("Abcdefghij", 4)
	entries := []giving.Entry{
		{Gift: gift("g1", "d1", "100.00", day), Declaration: decl("Professor", "Ann", "House-Martin", "12", "rm17 6sl")},
		{Gift: gift("g2", "d1", "20.50", day.AddDate(0, 0, 3)), Declaration: decl("Professor", "Ann", "House-Martin", "12", "rm17 6sl")},
		{Gift: gift("g3", "d2", "5", day), Declaration: decl("", long, "Smith", "Rose Cottage", "SS17 0AB")},
		{Gift: gift("g4", "d3", "9.99", day.AddDate(0, 0, 1)), Aggregate: true},
		{Gift: gift("g5", "d4", "10.01", day.AddDate(0, 0, 2)), Aggregate: true},
	}
	lines, err := giving.Schedule(entries, l, "Thursday club donors")
	require.NoError(t, err)
	c := &giving.Claim{ID: "clm-1", Lines: lines, Earliest: day, OverClaim: decimal.RequireFromString("2.5")}
	var buf bytes.Buffer
	require.NoError(t, giftaid.Write(&buf, c, l))

	// the mimetype entry is first and stored, as OpenDocument requires
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	require.Equal(t, "mimetype", z.File[0].Name)
	assert.Equal(t, zip.Store, z.File[0].Method)

	sh, err := giftaid.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	want := [][]string{
		{giftaid.EarliestLabel, "09/05/16"},
		{giftaid.AdjustmentLabel, "2.50"},
		giftaid.Columns(),
		{"1", "Prof", "Ann", "House Martin", "12", "RM17 6SL", "", "", "12/05/16", "120.50"},
		{"2", "", long[:35], "Smith", "Rose Cottage", "SS17 0AB", "", "", "09/05/16", "5.00"},
		{"3", "", "", "", "", "", "Thursday club donors", "", "11/05/16", "20.00"},
	}
	assert.Equal(t, want, sh.Rows)
}

func TestLimits(t *testing.T) {
	t.Parallel()
	l := lim(t)
	_, err := giving.Schedule([]giving.Entry{{Gift: gift("g1", "d1", "30.01", day), Aggregate: true}}, l, "x")
	assert.ErrorIs(t, err, giving.ErrLineLimit)
	old, ok := giving.LimitsAt(giving.HMRCLimits(), time.Date(2014, 6, 1, 0, 0, 0, 0, time.UTC))
	require.True(t, ok)
	_, err = giving.Schedule([]giving.Entry{{Gift: gift("g1", "d1", "20.01", day), Aggregate: true}}, old, "x")
	assert.ErrorIs(t, err, giving.ErrLineLimit, "in 2014 only gifts of £20 or less were aggregated")

	// 60 gifts of £20 make two aggregated lines: £1,000 and £200
	var es []giving.Entry
	for i := range 60 {
		es = append(es, giving.Entry{Gift: gift(fmt.Sprintf("g%02d", i), fmt.Sprintf("d%02d", i), "20", day), Aggregate: true})
	}
	lines, err := giving.Schedule(es, l, "Collection")
	require.NoError(t, err)
	require.Len(t, lines, 2)
	assert.Equal(t, "1000.00", lines[0].Amount.StringFixed(2))
	assert.Equal(t, "200.00", lines[1].Amount.StringFixed(2))

	over := giving.Line{Aggregated: "x", Amount: decimal.NewFromInt(1001), Date: day}
	err = giftaid.Write(io.Discard, &giving.Claim{ID: "c", Lines: []giving.Line{over}}, l)
	assert.ErrorIs(t, err, giving.ErrLineLimit)

	small := l
	small.Rows = 3
	parts := giving.Split(make([]giving.Line, 7), small)
	require.Len(t, parts, 3)
	assert.Len(t, parts[2], 1)
	err = giftaid.Write(io.Discard, &giving.Claim{ID: "c", Lines: make([]giving.Line, 4)}, small)
	assert.ErrorIs(t, err, giving.ErrInvalid)
}

func TestReadRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("mimetype")
	_, _ = w.Write([]byte("text/plain"))
	require.NoError(t, z.Close())
	_, err := giftaid.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	assert.Error(t, err)
}

func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	lines, _ := giving.Schedule([]giving.Entry{{Gift: gift("g1", "d1", "10", day), Declaration: decl("Mr", "A", "B", "1", "RM17 6SL")}}, lim(f), "x")
	_ = giftaid.Write(&buf, &giving.Claim{ID: "c", Lines: lines, Earliest: day}, lim(f))
	f.Add(buf.Bytes())
	f.Add([]byte("PK"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := giftaid.Read(bytes.NewReader(data), int64(len(data)))
		if err == nil && sh.MimeType != giftaid.MimeType {
			t.Fatalf("accepted mimetype %q", sh.MimeType)
		}
	})
}

// BenchmarkSchedule lays out and writes the schedule of 100,000 gifts from
// 20,000 donors (a fifth of them small gifts aggregated), split into
// HMRC-sized claims, as .ods.
func BenchmarkSchedule(b *testing.B) {
	l := lim(b)
	var es []giving.Entry
	for d := range 20_000 {
		dec := decl("Mx", fmt.Sprintf("First%05d", d), fmt.Sprintf("Last-%05d", d), fmt.Sprint(d%200+1), "RM17 6SL")
		for g := range 5 {
			agg := d%5 == 0 && g == 0
			amt := "25.00"
			if agg {
				amt = "10.00"
			}
			es = append(es, giving.Entry{Gift: gift(fmt.Sprintf("g%06d", d*5+g), fmt.Sprintf("d%05d", d), amt, day.AddDate(0, 0, g)), Declaration: dec, Aggregate: agg})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		lines, err := giving.Schedule(es, l, "Small gifts")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for i, part := range giving.Split(lines, l) {
			var buf bytes.Buffer
			if err := giftaid.Write(&buf, &giving.Claim{ID: fmt.Sprint(i), Lines: part, Earliest: day}, l); err != nil {
				b.Fatal(err)
			}
			n += buf.Len()
		}
		b.ReportMetric(float64(len(lines)), "lines")
		b.ReportMetric(float64(n), "ods-bytes")
	}
}
