package prescribingtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/prescribing"
)

// t0 is the suite's base time: not on a second, to check microseconds
// survive, and in a zone other than UTC is never written (stores get UTC).
var t0 = time.Date(2016, time.October, 3, 9, 30, 15, 123456000, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func ptr[T any](v T) *T { return &v }

// nhsNumber returns the i-th valid NHS number of a deterministic
// sequence, in the 999 range kept for test data (i < 140 000).
func nhsNumber(i int) prescribing.NHSNumber {
	for n := 999000000 + i*7; ; n++ {
		s := fmt.Sprintf("%09d", n)
		sum := 0
		for j := 0; j < 9; j++ {
			sum += int(s[j]-'0') * (10 - j)
		}
		c := 11 - sum%11
		if c == 10 {
			continue
		}
		if c == 11 {
			c = 0
		}
		return prescribing.NHSNumber(fmt.Sprintf("%s%d", s, c))
	}
}

func practice(id, area string) *prescribing.Practice {
	return &prescribing.Practice{ID: id, ODS: "F81001", Name: "Practice " + id, PCN: "Tilbury and Chadwell", Area: area, Ward: area + " ward",
		TopPercent: decimal.RequireFromString("3.5"), CreatedAt: at(0), CreatedBy: "mgr", UpdatedAt: at(0), UpdatedBy: "mgr", Version: 1}
}

func staff(id string, role prescribing.Role, caseload int, practices ...string) *prescribing.Staff {
	return &prescribing.Staff{ID: id, Name: "Staff " + id, Role: role, Practices: practices, Caseload: caseload, Active: true,
		CreatedAt: at(1), CreatedBy: "mgr", UpdatedAt: at(1), UpdatedBy: "mgr", Version: 1}
}

func patient(id, practice string, i int) *prescribing.Patient {
	return &prescribing.Patient{ID: id, Practice: practice, NHSNumber: nhsNumber(i), Name: "Name " + id, Area: "Tilbury",
		CreatedAt: at(2), CreatedBy: "gp", UpdatedAt: at(2), UpdatedBy: "gp", Version: 1}
}

func referral(id, practice, patient string, state prescribing.State, advisor string) *prescribing.Referral {
	return &prescribing.Referral{ID: id, Practice: practice, Patient: patient, Source: prescribing.SourceGP, Referrer: "gp",
		State: state, Advisor: advisor, Code: prescribing.SNOMEDReferral,
		History:   []prescribing.Transition{{To: prescribing.Referred, At: at(3), By: "gp", Note: "direct"}},
		CreatedAt: at(3), CreatedBy: "gp", UpdatedAt: at(3), UpdatedBy: "gp", Version: 1}
}

// h is a helper bound to a test and a store.
type h struct {
	t   *testing.T
	s   prescribing.Store
	ctx context.Context
}

func newH(t *testing.T, s prescribing.Store) *h { return &h{t: t, s: s, ctx: t.Context()} }

func (h *h) apply(b *prescribing.Batch) {
	h.t.Helper()
	require.NoError(h.t, h.s.Apply(h.ctx, b))
}

// base writes practice p1 (Tilbury), p2 (Aveley), a GP and an advisor of
// p1 with the given caseload, and n patients of p1 (pat-000…).
func (h *h) base(caseload, n int) {
	h.t.Helper()
	b := &prescribing.Batch{
		Practices: []*prescribing.Practice{practice("p1", "Tilbury"), practice("p2", "Aveley")},
		Staff:     []*prescribing.Staff{staff("gp", prescribing.RoleGP, 0, "p1"), staff("adv", prescribing.RoleAdvisor, caseload, "p1", "p2")},
	}
	for i := range n {
		b.Patients = append(b.Patients, patient(fmt.Sprintf("pat-%03d", i), "p1", i))
	}
	h.apply(b)
}
