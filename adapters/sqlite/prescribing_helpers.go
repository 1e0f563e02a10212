package sqlite

import (
	"cmp"
	"slices"
)

// sortByID sorts records by the id f returns.
func sortByID[T any](rs []*T, f func(*T) string) {
	slices.SortFunc(rs, func(a, b *T) int { return cmp.Compare(f(a), f(b)) })
}
