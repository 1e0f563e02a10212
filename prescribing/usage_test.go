package prescribing_test

import (
	"fmt"
	"github.com/strongertogether/community/call"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

// careOf is person i's generated use of services.
func careOf(i int) rx.SecondaryCare {
	return rx.SecondaryCare{
		Before: &rx.Usage{AE: i%4 + 1, Admissions: i % 3, GPContacts: 8 + i},
		After:  &rx.Usage{AE: i % 2, Admissions: (i + 1) % 3, GPContacts: 5 + i/2},
	}
}

// beforeOf and afterOf are one window of careOf: what arrives around
// referral, and what arrives a year later.
func beforeOf(i int) rx.SecondaryCare { return rx.SecondaryCare{Before: careOf(i).Before} }
func afterOf(i int) rx.SecondaryCare  { return rx.SecondaryCare{After: careOf(i).After} }

const usagePeople = 12

// usageWorld refers usagePeople patients of Tilbury directly; person 3's
// first referral is closed and they are referred again, person 5
// declines. It returns the world and each person's latest referral.
func usageWorld(t *testing.T) (*world, []*rx.Referral) {
	w := newWorld(t)
	var refs []*rx.Referral
	for i := range usagePeople {
		r := w.referred(i)
		w.advance(24 * 60 * 60 * 1e9)
		switch i {
		case 3:
			_, err := w.svc.CloseReferral(w.ctx, call.As(w.gp.ID).Key(w.key()), r.ID, rx.NotContactable, "")
			require.NoError(t, err)
			w.advance(60 * 1e9)
			r, err = w.svc.Refer(w.ctx, call.As(w.gp.ID).Key(w.key()), w.tilbury.ID, rx.NewReferral{Patient: r.Patient})
			require.NoError(t, err)
		case 5:
			_, err := w.svc.Decline(w.ctx, call.As(w.gp.ID).Key(w.key()), r.ID, "")
			require.NoError(t, err)
		}
		refs = append(refs, r)
	}
	return w, refs
}

// usageFile writes people's usage as a usage file, in a shuffled column
// order with NHS numbers in both forms, periods in any case and some
// people's after row first; a nil window has no row.
func usageFile(people []int, care func(int) rx.SecondaryCare) string {
	var b strings.Builder
	b.WriteString("gp_contacts,Period,NHS_Number,ae_attendances,non_elective_admissions\n")
	row := func(i int, period string, u *rx.Usage) {
		if u == nil {
			return
		}
		n := nhs(i)
		if i%2 == 1 {
			n = strings.ReplaceAll(n, " ", "")
		}
		fmt.Fprintf(&b, "%d,%s,%s,%d,%d\n", u.GPContacts, period, n, u.AE, u.Admissions)
	}
	for _, i := range people {
		c := care(i)
		if i%3 == 0 {
			row(i, "AFTER", c.After)
			row(i, "before", c.Before)
		} else {
			row(i, "Before", c.Before)
			row(i, " after", c.After)
		}
	}
	return b.String()
}

// TestImportUsageMatchesRecordUsage records the same generated usage in
// two identical schemes, one person at a time with RecordUsage and as one
// file with ImportUsage, and compares the referrals and the reports.
func TestImportUsageMatchesRecordUsage(t *testing.T) {
	one, oneRefs := usageWorld(t)
	file, fileRefs := usageWorld(t)
	people := seq(usagePeople)
	for i, r := range oneRefs {
		_, err := one.svc.RecordUsage(one.ctx, call.As(one.gp.ID).Key(one.key()), r.ID, careOf(i))
		require.NoError(t, err)
	}
	// Usage recorded earlier is replaced by the file's.
	_, err := file.svc.RecordUsage(file.ctx, call.As(file.gp.ID).Key(file.key()), fileRefs[0].ID, rx.SecondaryCare{Before: &rx.Usage{AE: 99}, After: &rx.Usage{GPContacts: 99}})
	require.NoError(t, err)
	events, err := file.store.Events(file.ctx, rx.EventFilter{Practice: file.tilbury.ID})
	require.NoError(t, err)

	res, err := file.svc.ImportUsage(file.ctx, call.As(file.nurse.ID).Key(file.key()), rx.UsageImport{Practice: file.tilbury.ID, File: strings.NewReader(usageFile(people, careOf))})
	require.NoError(t, err)
	assert.Equal(t, file.tilbury.ID, res.Practice)
	var want []string
	for _, r := range fileRefs {
		want = append(want, r.ID)
	}
	assert.ElementsMatch(t, want, res.Referrals, "every person's latest referral, person 3's second")
	assert.IsNonDecreasing(t, res.Referrals)

	for i := range people {
		a, err := one.store.Referral(one.ctx, oneRefs[i].ID)
		require.NoError(t, err)
		b, err := file.store.Referral(file.ctx, fileRefs[i].ID)
		require.NoError(t, err)
		require.NotNil(t, b.Usage, "person %d", i)
		assert.Equal(t, careOf(i), *b.Usage, "person %d", i)
		assert.Equal(t, a.Usage, b.Usage, "person %d", i)
		assert.Equal(t, file.nurse.ID, b.UpdatedBy)
	}
	first, err := file.store.Referrals(file.ctx, rx.ReferralFilter{Patient: fileRefs[3].Patient, State: rx.Closed})
	require.NoError(t, err)
	require.Len(t, first, 1)
	assert.Nil(t, first[0].Usage, "person 3's closed first referral is not the one compared")

	after, err := file.store.Events(file.ctx, rx.EventFilter{Practice: file.tilbury.ID})
	require.NoError(t, err)
	assert.Len(t, after, len(events)+usagePeople, "an audit event per referral")
	last := after[len(after)-1]
	assert.Equal(t, "referral.usage", last.Action)
	assert.Equal(t, file.nurse.ID, last.Actor)
	assert.Equal(t, file.clock(), last.At)

	repOne, err := one.svc.Report(one.ctx, call.As(one.mgr.ID), rx.ReportFilter{Practices: []string{one.tilbury.ID}})
	require.NoError(t, err)
	repFile, err := file.svc.Report(file.ctx, call.As(file.mgr.ID), rx.ReportFilter{Practices: []string{file.tilbury.ID}})
	require.NoError(t, err)
	assert.Equal(t, repOne.SecondaryCare, repFile.SecondaryCare)
	// The practices' ids differ between the two schemes; all else is equal.
	repOne.Practices, repFile.Practices = nil, nil
	repOne.ByPractice, repFile.ByPractice = nil, nil
	assert.Equal(t, repOne, repFile)

	// The figures, from the generated data.
	var before, aft rx.Usage
	for i := range people {
		c := careOf(i)
		before.AE, before.Admissions, before.GPContacts = before.AE+c.Before.AE, before.Admissions+c.Before.Admissions, before.GPContacts+c.Before.GPContacts
		aft.AE, aft.Admissions, aft.GPContacts = aft.AE+c.After.AE, aft.Admissions+c.After.Admissions, aft.GPContacts+c.After.GPContacts
	}
	c := repFile.SecondaryCare
	assert.Equal(t, usagePeople, c.People)
	assert.Zero(t, c.Incomplete)
	assert.Equal(t, before, c.Before)
	assert.Equal(t, aft, c.After)
	pct := func(b, a int) string {
		return dec(fmt.Sprint(a-b)).Mul(dec("100")).DivRound(dec(fmt.Sprint(b)), 1).String()
	}
	assert.Equal(t, pct(before.AE, aft.AE), c.Change.AE.String())
	assert.Equal(t, pct(before.Admissions, aft.Admissions), c.Change.Admissions.String())
	assert.Equal(t, pct(before.GPContacts, aft.GPContacts), c.Change.GPContacts.String())
}

// TestImportUsageIdempotent: a retry returns the first result and writes
// nothing; the key with another file is a conflict.
func TestImportUsageIdempotent(t *testing.T) {
	w, refs := usageWorld(t)
	body := usageFile([]int{0, 1, 2}, careOf)
	a, err := w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key("usage-1"), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(body)})
	require.NoError(t, err)
	r, err := w.store.Referral(w.ctx, refs[0].ID)
	require.NoError(t, err)
	w.advance(60 * 1e9)
	b, err := w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key("usage-1"), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(body)})
	require.NoError(t, err)
	assert.Equal(t, a, b)
	again, err := w.store.Referral(w.ctx, refs[0].ID)
	require.NoError(t, err)
	assert.Equal(t, r.Version, again.Version, "a retry writes nothing")
	_, err = w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key("usage-1"), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(usageFile([]int{0}, careOf))})
	fieldIs(t, err, rx.ErrConflict, "key")
	_, err = w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key(""), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(body)})
	fieldIs(t, err, rx.ErrInvalid, "key")
}

// TestImportUsageBadFile: a file with many bad rows lists every one, by
// line and column, quotes no NHS number and writes nothing.
func TestImportUsageBadFile(t *testing.T) {
	w, _ := usageWorld(t)
	aveley := w.patient(w.aveley, 200, "Aveley")
	_, err := w.svc.Refer(w.ctx, call.As(w.gpAveley.ID).Key(w.key()), w.aveley.ID, rx.NewReferral{Patient: aveley.ID})
	require.NoError(t, err)
	w.patient(w.tilbury, 201, "Tilbury") // registered, never referred
	events, err := w.store.Events(w.ctx, rx.EventFilter{})
	require.NoError(t, err)
	stored, err := w.store.Referrals(w.ctx, rx.ReferralFilter{})
	require.NoError(t, err)

	bad := strings.ReplaceAll(nhs(0), " ", "")
	bad = bad[:9] + string('0'+(bad[9]-'0'+1)%10) // wrong check digit
	lines := []string{
		"nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts",
		nhs(0) + ",before,2,1,10", // 2: good
		nhs(0) + ",after,1,0,6",   // 3: good
		bad + ",before,1,1,1",     // 4: bad NHS number
		nhs(1) + ",before,-1,0,3", // 5: negative
		nhs(1) + ",after,1,2.5,3", // 6: not a whole number
		nhs(2) + ",before,1,0,3",  // 7: good
		nhs(2) + ",before,1,0,3",  // 8: the same window twice
		nhs(2) + ",after,1,0,3",   // 9: good
		nhs(4) + ",before,1,0,3",  // 10: good: the after row comes later
		nhs(6) + ",during,1,0,3",  // 11: not a period
		nhs(6) + ",after,,0,3",    // 12: no count
		nhs(7) + ",before,1,0,2001",
		nhs(7) + ",after,1,0,3",      // 13-14: too many GP contacts
		nhs(200) + ",before,1,0,3",   // 15: another practice
		nhs(200) + ",after,1,0,3",    // 16
		nhs(201) + ",before,1,0,3",   // 17: never referred
		nhs(201) + ",after,1,0,3",    // 18
		nhs(999) + ",before,1,0,3",   // 19: not registered
		nhs(999) + ",after,1,0,3",    // 20
		nhs(8) + ",before,1,x 1,3",   // 21: not a number
		nhs(8) + ",after,1,0," + bad, // 22: an NHS number in a count column
	}
	_, err = w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(strings.Join(lines, "\n") + "\n")})
	require.ErrorIs(t, err, rx.ErrInvalid)
	var ie *rx.ImportError
	require.ErrorAs(t, err, &ie)
	type at struct {
		Line  int
		Field string
	}
	var got []at
	for _, r := range ie.Rows {
		got = append(got, at{r.Line, r.Field})
		assert.NotEmpty(t, r.Reason)
	}
	assert.Equal(t, []at{
		{4, "nhs_number"},
		{5, "ae_attendances"},
		{6, "non_elective_admissions"},
		{8, "period"},
		{11, "period"},
		{12, "ae_attendances"},
		{13, "gp_contacts"},
		{15, "nhs_number"}, {16, "nhs_number"},
		{17, "nhs_number"}, {18, "nhs_number"},
		{19, "nhs_number"}, {20, "nhs_number"},
		{21, "non_elective_admissions"},
		{22, "gp_contacts"},
	}, got, "%v", err)
	reasons := map[int]string{}
	for _, r := range ie.Rows {
		reasons[r.Line] = r.Reason
	}
	assert.Contains(t, reasons[5], "negative")
	assert.Contains(t, reasons[6], "whole number")
	assert.Contains(t, reasons[8], "line 7")
	assert.Contains(t, reasons[13], "more than 2000")
	assert.Equal(t, reasons[19], reasons[15], "another practice's patient reads as no patient")
	assert.Contains(t, reasons[17], "no referral")
	assert.Contains(t, reasons[19], "no patient")
	assert.Contains(t, err.Error(), "15 problem(s)")

	noNHS(t, err.Error(), append(seq(10), 200, 201, 999)...)
	assert.NotContains(t, err.Error(), bad)
	for _, r := range ie.Rows {
		noNHS(t, r.String(), append(seq(10), 200, 201, 999)...)
	}

	// Nothing was written.
	now, err := w.store.Referrals(w.ctx, rx.ReferralFilter{})
	require.NoError(t, err)
	assert.Equal(t, stored, now)
	for _, r := range now {
		assert.Nil(t, r.Usage)
	}
	after, err := w.store.Events(w.ctx, rx.EventFilter{})
	require.NoError(t, err)
	assert.Equal(t, events, after)

	// Whole-file problems.
	for name, body := range map[string]string{
		"empty":       "",
		"header only": "nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts\n",
		"no column":   "nhs_number,period,ae_attendances,gp_contacts\n" + nhs(0) + ",before,1,1\n",
		"no header":   nhs(0) + ",before,1,1,1\n" + nhs(0) + ",after,1,1,1\n",
	} {
		_, err := w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(body)})
		require.ErrorAs(t, err, &ie, name)
		require.Len(t, ie.Rows, 1, "%s: %v", name, err)
		assert.Equal(t, 1, ie.Rows[0].Line, "%s: %v", name, err)
		noNHS(t, err.Error(), 0)
	}
	_, err = w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.UsageImport{Practice: w.tilbury.ID})
	fieldIs(t, err, rx.ErrInvalid, "File")
}

// noNHS asserts s holds none of the people's NHS numbers, in either form,
// nor anything shaped like one.
func noNHS(t *testing.T, s string, people ...int) {
	t.Helper()
	for _, i := range people {
		assert.NotContains(t, s, nhs(i))
		assert.NotContains(t, s, strings.ReplaceAll(nhs(i), " ", ""))
	}
	assert.False(t, regexp.MustCompile(`\d{3} ?\d{3} ?\d{4}`).MatchString(s), "an NHS number in %q", s)
}

// TestImportUsageRoles: only the practice's clinical team imports usage.
func TestImportUsageRoles(t *testing.T) {
	w, refs := usageWorld(t)
	body := usageFile([]int{0, 1}, careOf)
	imp := func(actor, practice string) error {
		_, err := w.svc.ImportUsage(w.ctx, call.As(actor).Key(w.key()), rx.UsageImport{Practice: practice, File: strings.NewReader(body)})
		return err
	}
	fieldIs(t, imp(w.adv.ID, w.tilbury.ID), rx.ErrForbidden, "actor")      // an advisor
	fieldIs(t, imp(w.mgr.ID, w.tilbury.ID), rx.ErrForbidden, "actor")      // a manager never sees patient data
	fieldIs(t, imp(w.gpAveley.ID, w.tilbury.ID), rx.ErrForbidden, "actor") // another practice's GP
	fieldIs(t, imp("nobody", w.tilbury.ID), rx.ErrForbidden, "actor")
	// A GP of Aveley importing Tilbury's people as Aveley's: the rows are
	// refused, they are not Aveley's patients.
	var ie *rx.ImportError
	require.ErrorAs(t, imp(w.gpAveley.ID, w.aveley.ID), &ie)
	assert.Contains(t, ie.Rows[0].Reason, "no patient")
	require.ErrorIs(t, imp(w.gp.ID, "no-such-practice"), rx.ErrForbidden, "the actor is checked first")
	for _, r := range refs[:2] {
		got, err := w.store.Referral(w.ctx, r.ID)
		require.NoError(t, err)
		assert.Nil(t, got.Usage, "nothing written")
	}
	for _, actor := range []string{w.gp.ID, w.gp2.ID, w.nurse.ID} {
		require.NoError(t, imp(actor, w.tilbury.ID))
	}
	got, err := w.store.Referral(w.ctx, refs[1].ID)
	require.NoError(t, err)
	assert.Equal(t, careOf(1), *got.Usage)
}

// TestImportUsageInTwoParts: the before rows imported around referral and
// the after rows a year later record what one file with both does, and
// give the same report; in between, the report compares no one and
// counts everyone as incomplete.
func TestImportUsageInTwoParts(t *testing.T) {
	whole, wholeRefs := usageWorld(t)
	parts, partRefs := usageWorld(t)
	people := seq(usagePeople)
	_, err := whole.svc.ImportUsage(whole.ctx, call.As(whole.gp.ID).Key(whole.key()), rx.UsageImport{Practice: whole.tilbury.ID, File: strings.NewReader(usageFile(people, careOf))})
	require.NoError(t, err)

	res, err := parts.svc.ImportUsage(parts.ctx, call.As(parts.gp.ID).Key("usage-before"), rx.UsageImport{Practice: parts.tilbury.ID, File: strings.NewReader(usageFile(people, beforeOf))})
	require.NoError(t, err)
	assert.Len(t, res.Referrals, usagePeople)
	for i, r := range partRefs {
		got, err := parts.store.Referral(parts.ctx, r.ID)
		require.NoError(t, err)
		require.NotNil(t, got.Usage, "person %d", i)
		assert.Equal(t, careOf(i).Before, got.Usage.Before, "person %d", i)
		assert.Nil(t, got.Usage.After, "person %d: the after window is not yet recorded", i)
	}
	mid, err := parts.svc.Report(parts.ctx, call.As(parts.mgr.ID), rx.ReportFilter{Practices: []string{parts.tilbury.ID}})
	require.NoError(t, err)
	assert.Zero(t, mid.SecondaryCare.People, "no one has both windows yet")
	assert.Equal(t, usagePeople, mid.SecondaryCare.Incomplete)
	assert.Equal(t, rx.Usage{}, mid.SecondaryCare.Before, "a lone before window is not compared")
	assert.True(t, mid.SecondaryCare.Change.AE.IsZero())

	// A year later: the after rows, one of them listed twice at first.
	parts.advance(365 * 24 * 60 * 60 * 1e9)
	twice := usageFile(people, afterOf) + "1,after," + nhs(2) + ",0,0\n" // gp_contacts first
	_, err = parts.svc.ImportUsage(parts.ctx, call.As(parts.gp.ID).Key(parts.key()), rx.UsageImport{Practice: parts.tilbury.ID, File: strings.NewReader(twice)})
	var ie *rx.ImportError
	require.ErrorAs(t, err, &ie)
	require.Len(t, ie.Rows, 1, "%v", err)
	assert.Equal(t, "period", ie.Rows[0].Field)
	assert.Equal(t, usagePeople+2, ie.Rows[0].Line)
	got, err := parts.store.Referral(parts.ctx, partRefs[2].ID)
	require.NoError(t, err)
	assert.Nil(t, got.Usage.After, "a refused file writes nothing")

	after := rx.UsageImport{Practice: parts.tilbury.ID, File: strings.NewReader(usageFile(people, afterOf))}
	res, err = parts.svc.ImportUsage(parts.ctx, call.As(parts.nurse.ID).Key("usage-after"), after)
	require.NoError(t, err)
	assert.Len(t, res.Referrals, usagePeople)
	for i := range people {
		a, err := whole.store.Referral(whole.ctx, wholeRefs[i].ID)
		require.NoError(t, err)
		b, err := parts.store.Referral(parts.ctx, partRefs[i].ID)
		require.NoError(t, err)
		assert.Equal(t, careOf(i), *b.Usage, "person %d", i)
		assert.Equal(t, a.Usage, b.Usage, "person %d", i)
	}
	// A retry of the after import, by its key, writes nothing.
	v, err := parts.store.Referral(parts.ctx, partRefs[0].ID)
	require.NoError(t, err)
	again, err := parts.svc.ImportUsage(parts.ctx, call.As(parts.nurse.ID).Key("usage-after"), rx.UsageImport{Practice: parts.tilbury.ID, File: strings.NewReader(usageFile(people, afterOf))})
	require.NoError(t, err)
	assert.Equal(t, res, again)
	w, err := parts.store.Referral(parts.ctx, partRefs[0].ID)
	require.NoError(t, err)
	assert.Equal(t, v.Version, w.Version)

	repWhole, err := whole.svc.Report(whole.ctx, call.As(whole.mgr.ID), rx.ReportFilter{Practices: []string{whole.tilbury.ID}})
	require.NoError(t, err)
	repParts, err := parts.svc.Report(parts.ctx, call.As(parts.mgr.ID), rx.ReportFilter{Practices: []string{parts.tilbury.ID}})
	require.NoError(t, err)
	assert.Equal(t, usagePeople, repParts.SecondaryCare.People)
	assert.Zero(t, repParts.SecondaryCare.Incomplete)
	repWhole.Practices, repParts.Practices = nil, nil
	repWhole.ByPractice, repParts.ByPractice = nil, nil
	assert.Equal(t, repWhole, repParts)

	// A corrected before file replaces the before windows and keeps the
	// after ones.
	fix := func(i int) rx.SecondaryCare { return rx.SecondaryCare{Before: &rx.Usage{AE: 9, GPContacts: i}} }
	_, err = parts.svc.ImportUsage(parts.ctx, call.As(parts.gp.ID).Key(parts.key()), rx.UsageImport{Practice: parts.tilbury.ID, File: strings.NewReader(usageFile([]int{1}, fix))})
	require.NoError(t, err)
	got, err = parts.store.Referral(parts.ctx, partRefs[1].ID)
	require.NoError(t, err)
	assert.Equal(t, rx.SecondaryCare{Before: fix(1).Before, After: careOf(1).After}, *got.Usage)
}

// TestReportIncompleteUsage: a person with one window so far is counted
// in Incomplete and left out of the paired comparison.
func TestReportIncompleteUsage(t *testing.T) {
	w, refs := usageWorld(t)
	for i := range 4 {
		_, err := w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), refs[i].ID, careOf(i))
		require.NoError(t, err)
	}
	_, err := w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), refs[4].ID, beforeOf(4))
	require.NoError(t, err)
	_, err = w.svc.RecordUsage(w.ctx, call.As(w.nurse.ID).Key(w.key()), refs[6].ID, afterOf(6))
	require.NoError(t, err)

	rep, err := w.svc.Report(w.ctx, call.As(w.mgr.ID), rx.ReportFilter{Practices: []string{w.tilbury.ID}})
	require.NoError(t, err)
	c := rep.SecondaryCare
	assert.Equal(t, 4, c.People, "only people with both windows are compared")
	assert.Equal(t, 2, c.Incomplete, "person 4 (before only) and person 6 (after only)")
	var before, after rx.Usage
	for i := range 4 {
		b, a := careOf(i).Before, careOf(i).After
		before = rx.Usage{AE: before.AE + b.AE, Admissions: before.Admissions + b.Admissions, GPContacts: before.GPContacts + b.GPContacts}
		after = rx.Usage{AE: after.AE + a.AE, Admissions: after.Admissions + a.Admissions, GPContacts: after.GPContacts + a.GPContacts}
	}
	assert.Equal(t, before, c.Before, "person 4's before window is not in the totals")
	assert.Equal(t, after, c.After, "person 6's after window is not in the totals")
	assert.Equal(t, dec(fmt.Sprint(after.GPContacts-before.GPContacts)).Mul(dec("100")).DivRound(dec(fmt.Sprint(before.GPContacts)), 1).String(), c.Change.GPContacts.String())

	// Person 4's after window arrives: now compared, no longer incomplete.
	_, err = w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), refs[4].ID, afterOf(4))
	require.NoError(t, err)
	rep, err = w.svc.Report(w.ctx, call.As(w.mgr.ID), rx.ReportFilter{Practices: []string{w.tilbury.ID}})
	require.NoError(t, err)
	assert.Equal(t, 5, rep.SecondaryCare.People)
	assert.Equal(t, 1, rep.SecondaryCare.Incomplete)
	assert.Equal(t, before.AE+careOf(4).Before.AE, rep.SecondaryCare.Before.AE)
}

// TestRecordUsageOneWindow: RecordUsage sets the windows given and keeps
// the other; a window given again replaces the one recorded; at least one
// window is required and each is checked.
func TestRecordUsageOneWindow(t *testing.T) {
	w, refs := usageWorld(t)
	id := refs[0].ID
	before := rx.Usage{AE: 3, Admissions: 1, GPContacts: 14}
	r, err := w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), id, rx.SecondaryCare{Before: &before})
	require.NoError(t, err)
	assert.Equal(t, &rx.SecondaryCare{Before: &before}, r.Usage)
	assert.NotSame(t, &before, r.Usage.Before, "the caller's window is copied")

	w.advance(365 * 24 * 60 * 60 * 1e9)
	after := rx.Usage{AE: 1, GPContacts: 9}
	r, err = w.svc.RecordUsage(w.ctx, call.As(w.nurse.ID).Key(w.key()), id, rx.SecondaryCare{After: &after})
	require.NoError(t, err)
	got, err := w.store.Referral(w.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, r, got)
	assert.Equal(t, rx.SecondaryCare{Before: &before, After: &after}, *got.Usage, "the earlier before window is kept")
	assert.Equal(t, w.nurse.ID, got.UpdatedBy)

	// A correction of the before window keeps the after window.
	fixed := rx.Usage{AE: 2, Admissions: 1, GPContacts: 14}
	_, err = w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), id, rx.SecondaryCare{Before: &fixed})
	require.NoError(t, err)
	got, err = w.store.Referral(w.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, rx.SecondaryCare{Before: &fixed, After: &after}, *got.Usage)

	// Bad requests write nothing.
	_, err = w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), id, rx.SecondaryCare{})
	fieldIs(t, err, rx.ErrInvalid, "Before")
	_, err = w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), id, rx.SecondaryCare{After: &rx.Usage{AE: -1}})
	fieldIs(t, err, rx.ErrInvalid, "After.AE")
	_, err = w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), id, rx.SecondaryCare{Before: &rx.Usage{GPContacts: 2001}, After: &after})
	fieldIs(t, err, rx.ErrInvalid, "Before.GPContacts")
	_, err = w.svc.RecordUsage(w.ctx, call.As(w.adv.ID).Key(w.key()), id, rx.SecondaryCare{After: &after})
	fieldIs(t, err, rx.ErrForbidden, "actor")
	still, err := w.store.Referral(w.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, got, still)
}
