package givingtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/grants/giving"
)

// BenchmarkReport measures a campaign's report over a store holding
// 20,000 donors (one in ten a business) and 100,000 gifts of money, each
// with its line of income, written straight through Apply.
func BenchmarkReport(b *testing.B, newStore func(b *testing.B) giving.Store) {
	ctx := context.Background()
	s := newStore(b)
	const donors, gifts = 20_000, 100_000
	c := &giving.Campaign{ID: "cmp-bench", Name: "Bench", Fund: "fund-bench", Starts: base, Ends: base.AddDate(1, 0, 0),
		Target: giving.Target{Money: decimal.NewFromInt(1_000_000), Volunteers: 500}, CreatedAt: base, Version: 1}
	if err := s.Apply(ctx, &giving.Batch{Campaigns: []*giving.Campaign{c},
		Staff: []*giving.Staff{{ID: "adm", Roles: []giving.Role{giving.RoleAdmin}, Active: true, CreatedAt: base, Version: 1}}}); err != nil {
		b.Fatal(err)
	}
	batch := &giving.Batch{}
	flush := func() {
		if err := s.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
		batch = &giving.Batch{}
	}
	for d := range donors {
		kind := giving.Individual
		if d%10 == 0 {
			kind = giving.Business
		}
		batch.Donors = append(batch.Donors, &giving.Donor{ID: fmt.Sprintf("dnr-%05d", d), Campaign: c.ID, Kind: kind,
			First: "Generated", Last: fmt.Sprintf("Donor %05d", d), CreatedAt: base, Version: 1})
		if len(batch.Donors) == 2000 {
			flush()
		}
	}
	flush()
	for g := range gifts {
		at := base.Add(time.Duration(g) * time.Minute)
		amt := decimal.New(int64(500+g%10_000), -2)
		batch.Gifts = append(batch.Gifts, &giving.Gift{ID: fmt.Sprintf("gft-%06d", g), Campaign: c.ID, Donor: fmt.Sprintf("dnr-%05d", g%donors),
			Kind: giving.Money, Amount: amt, Received: at, Pledged: at, CreatedAt: at, Version: 1})
		batch.Income = append(batch.Income, giving.Income{Fund: c.Fund, Campaign: c.ID, Year: giving.FinancialYear(at),
			Source: giving.FromGifts, Amount: amt, At: at, Ref: fmt.Sprintf("gft-%06d", g)})
		if len(batch.Gifts) == 5000 {
			flush()
		}
	}
	flush()
	svc := giving.NewService(s)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := svc.Report(ctx, c.ID, 2014)
		if err != nil {
			b.Fatal(err)
		}
		if r.Individuals+r.Businesses != donors {
			b.Fatalf("report counts %d donors, want %d", r.Individuals+r.Businesses, donors)
		}
	}
}
