package prescribing_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	rx "github.com/strongertogether/community/prescribing"
)

// practiceList is a 100,000-patient score set: PARR-like scores skewed to
// low risk, to two decimal places, so many patients tie.
func practiceList(n int) *rx.ScoreSet {
	r := rand.New(rand.NewPCG(42, 1))
	set := &rx.ScoreSet{ID: "scr", Practice: "p", Model: "PARR", Scores: make([]rx.PatientScore, n)}
	for i := range set.Scores {
		v := r.ExpFloat64() * 8
		if v > 100 {
			v = 100
		}
		set.Scores[i] = rx.PatientScore{Patient: fmt.Sprintf("pat_%08d", r.IntN(1<<30)), Score: rx.Score(int64(v*100) * 10_000)}
	}
	return set
}

// BenchmarkStratify selects the top 3% of a 100,000-patient list: the
// default sub-benchmark is Stratify (linear-time selection); "sort" is the
// full-sort baseline over the same list, so the gain is a ratio of one
// run's figures.
func BenchmarkStratify(b *testing.B) {
	set := practiceList(100_000)
	pct := dec("3")
	b.Run("select", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st := rx.Stratify(set, pct)
			if len(st.Selected) != 3000 {
				b.Fatal(len(st.Selected))
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/list")
	})
	b.Run("sort", func(b *testing.B) {
		b.ReportAllocs()
		list := make([]rx.Ranked, len(set.Scores))
		for b.Loop() {
			for i, s := range set.Scores {
				list[i] = rx.Ranked(s)
			}
			if top := rx.SortTop(list, rx.CohortSize(len(list), pct)); len(top) != 3000 {
				b.Fatal(len(top))
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/list")
	})
}
