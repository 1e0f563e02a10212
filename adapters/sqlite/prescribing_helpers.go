package sqlite

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/strongertogether/community/prescribing"
)

// sortByID sorts records by the id f returns.
func sortByID[T any](rs []*T, f func(*T) string) {
	slices.SortFunc(rs, func(a, b *T) int { return cmp.Compare(f(a), f(b)) })
}

// closingFirst orders a batch's referrals so that those the batch leaves
// closed (by the last record of each id) are written before the rest, in
// batch order otherwise. The partial unique index on open referrals per
// patient is checked row by row; written in this order, it refuses a
// batch exactly when the batch would end with a patient holding two open
// referrals.
func closingFirst(rs []*prescribing.Referral) []*prescribing.Referral {
	open := map[string]bool{}
	for _, r := range rs {
		if r != nil {
			open[r.ID] = r.Open()
		}
	}
	out := make([]*prescribing.Referral, 0, len(rs))
	for _, r := range rs {
		if r == nil || !open[r.ID] {
			out = append(out, r)
		}
	}
	for _, r := range rs {
		if r != nil && open[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// isOpenReferral reports whether err is a violation of the index keeping
// one open referral per patient (migration/0007_prescribing_open.sql, renamed in 0012).
func isOpenReferral(err error) bool {
	var e *sqliteError
	return errors.As(err, &e) && isUnique(err) && strings.Contains(e.msg, "prescribing_referrals.patient")
}
