package dementia_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/internal/borough"
)

func mustDec(s string) decimal.Decimal   { return decimal.RequireFromString(s) }
func decimalInt(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// BenchmarkDiagnosisRate computes the diagnosis rate of a borough of 50
// practices and 300,000 registered patients aged 65+, from counts by band
// and sex.
func BenchmarkDiagnosisRate(b *testing.B) {
	w, err := borough.NewDementiaWorld(context.Background(), memory.NewDementiaStore(), 1)
	if err != nil {
		b.Fatal(err)
	}
	np := borough.SyntheticPrevalence("p")
	on := time.Date(2016, 4, 30, 0, 0, 0, 0, time.UTC)
	news, err := w.Registers(np, on, 50, 5, 300000, mustDec("0.664"))
	if err != nil {
		b.Fatal(err)
	}
	p := &dementia.Prevalence{ID: np.ID, Source: np.Source, Rates: np.Rates}
	regs := make([]*dementia.Register, len(news))
	var patients int64
	for i, r := range news {
		regs[i] = &dementia.Register{ID: dementia.RegisterID(r.Practice, on), Practice: r.Practice, PCN: r.PCN, On: on, Population: r.Population, Diagnosed: r.Diagnosed}
		for _, c := range r.Population {
			patients += c.Count
		}
	}
	if patients < 290000 || patients > 310000 {
		b.Fatalf("%d patients", patients)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := dementia.DiagnosisRate(p, regs)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Practices) != 50 {
			b.Fatal(len(r.Practices))
		}
	}
}
