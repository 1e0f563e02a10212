package prescribing

import (
	"math/bits"

	"github.com/shopspring/decimal"
)

// Ranked is a patient with their score, as stratification ranks them.
type Ranked struct {
	Patient string
	Score   Score
}

// before is the order of risk: a higher score first, and between equal
// scores the smaller patient id first. It is a strict total order on
// distinct patients, so the top k are always the same set whatever order
// the list came in — the deterministic tie rule.
func before(a, b *Ranked) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.Patient < b.Patient
}

// CohortSize returns how many of n patients the top percent is: n ×
// percent / 100 rounded up, so that any list with a patient selects at
// least one, and never more than n.
func CohortSize(n int, percent decimal.Decimal) int {
	if n <= 0 || !percent.IsPositive() {
		return 0
	}
	k := int(decimal.NewFromInt(int64(n)).Mul(percent).Div(decimal.NewFromInt(100)).Ceil().IntPart())
	return min(k, n)
}

// Top moves the k highest-risk patients of list (in the order of before)
// to list[:k], sorts just those k by rank, and returns list[:k]. The rest
// of list is left in some order.
//
// It runs in O(n + k log k) time: introselect, a quickselect whose pivot
// is the median of three elements spread across the range, which falls
// back to the median of medians — a pivot guaranteed to split off at least
// 30% — whenever partitioning stops shrinking the range fast enough, so
// even an adversarial list costs O(n). It never sorts the whole list.
func Top(list []Ranked, k int) []Ranked {
	if k <= 0 {
		return list[:0]
	}
	if k >= len(list) {
		sortRanked(list)
		return list
	}
	selectK(list, k)
	sortRanked(list[:k])
	return list[:k]
}

// selectK rearranges a so that a[:k] are the k first in the order of
// before (in some order), 0 < k < len(a).
func selectK(a []Ranked, k int) {
	lo, hi := 0, len(a) // the k-th element lies in a[lo:hi]
	budget := 2 * bits.Len(uint(len(a)))
	for hi-lo > 16 {
		var p int
		if budget > 0 {
			budget--
			p = medianOf3(a, lo, lo+(hi-lo)/2, hi-1)
		} else {
			p = medianOfMedians(a, lo, hi)
		}
		lt, gt := partition3(a, lo, hi, p)
		switch {
		case k <= lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return // a[lt:gt] are equal to the pivot; k falls among them
		}
	}
	insertionSort(a[lo:hi])
}

// partition3 partitions a[lo:hi] around the element at p into those
// before it, those equal to it and those after it, and returns the bounds
// [lt, gt) of the equal part. Ranked elements of distinct patients are
// never equal, so the middle part is the pivot alone (or repeated
// entries for one patient).
func partition3(a []Ranked, lo, hi, p int) (lt, gt int) {
	pivot := a[p]
	lt, i, gt := lo, lo, hi
	for i < gt {
		switch {
		case before(&a[i], &pivot):
			a[lt], a[i] = a[i], a[lt]
			lt++
			i++
		case before(&pivot, &a[i]):
			gt--
			a[i], a[gt] = a[gt], a[i]
		default:
			i++
		}
	}
	return lt, gt
}

// medianOf3 returns the index of the median of a[i], a[j], a[k].
func medianOf3(a []Ranked, i, j, k int) int {
	if before(&a[j], &a[i]) {
		i, j = j, i
	}
	if before(&a[k], &a[j]) {
		j = k
		if before(&a[j], &a[i]) {
			j = i
		}
	}
	return j
}

// medianOfMedians returns the index of an element of a[lo:hi] with at
// least 30% of the range on either side of it: the median of the medians
// of groups of five, found recursively. It rearranges a[lo:hi].
func medianOfMedians(a []Ranked, lo, hi int) int {
	n := hi - lo
	if n <= 5 {
		insertionSort(a[lo:hi])
		return lo + n/2
	}
	m := lo // medians are gathered at the front of the range
	for g := lo; g < hi; g += 5 {
		e := min(g+5, hi)
		insertionSort(a[g:e])
		med := g + (e-g)/2
		a[m], a[med] = a[med], a[m]
		m++
	}
	mid := lo + (m-lo)/2
	selectRange(a, lo, m, mid)
	return mid
}

// selectRange puts at a[t] the element that belongs there in the order of
// before, within a[lo:hi], using median-of-medians pivots (linear time).
func selectRange(a []Ranked, lo, hi, t int) {
	for hi-lo > 5 {
		p := medianOfMedians(a, lo, hi)
		lt, gt := partition3(a, lo, hi, p)
		switch {
		case t < lt:
			hi = lt
		case t >= gt:
			lo = gt
		default:
			return
		}
	}
	insertionSort(a[lo:hi])
}

func insertionSort(a []Ranked) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && before(&a[j], &a[j-1]); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// sortRanked sorts a by rank.
func sortRanked(a []Ranked) { sortFunc(a) }
