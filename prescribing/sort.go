package prescribing

import "slices"

func sortFunc(a []Ranked) {
	slices.SortFunc(a, func(x, y Ranked) int {
		switch {
		case before(&x, &y):
			return -1
		case before(&y, &x):
			return 1
		}
		return 0
	})
}

// sortTop is the full-sort baseline Top is measured against: it sorts the
// whole list by rank and returns its first k. It gives the same result as
// Top.
func sortTop(list []Ranked, k int) []Ranked {
	sortFunc(list)
	return list[:max(0, min(k, len(list)))]
}
