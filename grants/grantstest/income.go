package grantstest

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/storetest"
)

// The staff of the income tests.
var (
	incAdmin   = call.As("inc-admin")
	incManager = call.As("inc-manager")
	incOfficer = call.As("inc-officer")
)

// incomeWorld sets up, straight through Apply, a fund with a 2014 budget
// of budget (scored by no panel), a round, n applications under review
// each asking amount and, when staffed, an admin, a fund manager and an
// officer. It returns a Service whose clock stands at at(60).
func incomeWorld(t *testing.T, s grants.Store, fundID, budget string, n int, amount string, staffed bool) (*grants.Service, []*grants.Application) {
	t.Helper()
	f := fund(fundID)
	f.Budgets = []grants.Budget{{Year: 2014, Amount: pounds(budget)}}
	f.Criteria, f.MaxScore, f.Quorum = nil, 0, 0
	b := &grants.Batch{Funds: []*grants.Fund{f}, Rounds: []*grants.Round{round(fundID+"-r", fundID, 2014)}, Budgets: budgetsOf(f)}
	if staffed {
		b.Staff = []*grants.Staff{staff(incAdmin.ID, grants.RoleAdmin), staff(incManager.ID, grants.RoleManager), staff(incOfficer.ID, grants.RoleOfficer)}
	}
	var apps []*grants.Application
	for i := range n {
		a := underReview(fmt.Sprintf("%s-a%02d", fundID, i), fundID, fundID+"-r", amount)
		a.Idea = fmt.Sprintf("%s idea %d", fundID, i)
		apps = append(apps, a)
	}
	b.Applications = apps
	require.NoError(t, s.Apply(t.Context(), b))
	var n0 atomic.Int64
	svc := grants.NewService(s, grants.WithClock(func() time.Time { return at(60) }),
		grants.WithIDs(func(p string, _ time.Time) string { return fmt.Sprintf("%s-%s-%d", p, fundID, n0.Add(1)) }))
	return svc, apps
}

// gift is income of amount to fund, received at(0) (financial year 2014).
func gift(fund, ref, amount string) grants.NewIncome {
	return grants.NewIncome{Fund: fund, Source: "Thurrock Giving: gifts", Ref: ref, Amount: pounds(amount), Received: at(0), Note: "raised in June"}
}

// totalsOf reads a fund's 2014 totals as strings: budget, income,
// committed, available.
func totalsOf(t *testing.T, s grants.Store, fund string) [4]string {
	t.Helper()
	tot, err := s.Totals(t.Context(), fund, 2014)
	require.NoError(t, err)
	return [4]string{tot.Budget.StringFixed(2), tot.Income.StringFixed(2), tot.Committed.StringFixed(2), tot.Available().StringFixed(2)}
}

// fieldOf returns the field a *grants.FieldError in err's chain names.
func fieldOf(err error) string {
	var fe *grants.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// testIncomeRaisesAvailable: income counts in the budget check. A fund
// with a £100 budget cannot award £200 until it has received £150; then
// it can, and its totals and report show the budget, the income, what is
// committed and what is available. Income of the next financial year
// counts in that year only, and a budget cut is checked against the
// budget plus the income.
func testIncomeRaisesAvailable(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, apps := incomeWorld(t, s, "inc", "100", 2, "200", true)
	_, err := svc.Approve(ctx, incOfficer.Key("approve-0"), apps[0].ID, pounds("200"), "meets the priorities")
	require.ErrorIs(t, err, grants.ErrOverBudget, "£200 of a £100 budget")

	inc, err := svc.RecordIncome(ctx, incManager.Key("gift-1"), gift("inc", "giving/june", "150"))
	require.NoError(t, err)
	assert.Equal(t, grants.Income{ID: inc.ID, Fund: "inc", Year: 2014, Source: "Thurrock Giving: gifts", Ref: "giving/june",
		Amount: pounds("150"), Received: at(0), Note: "raised in June", RecordedAt: at(60), RecordedBy: incManager.ID}, *inc)
	assert.False(t, inc.Reversal())
	assert.Equal(t, [4]string{"100.00", "150.00", "0.00", "250.00"}, totalsOf(t, s, "inc"))

	a, err := svc.Approve(ctx, incOfficer.Key("approve-0b"), apps[0].ID, pounds("200"), "meets the priorities")
	require.NoError(t, err, "£200 of £100 budget plus £150 income")
	assert.Equal(t, grants.Approved, a.Status)
	assert.Equal(t, [4]string{"100.00", "150.00", "200.00", "50.00"}, totalsOf(t, s, "inc"))
	_, err = svc.Approve(ctx, incOfficer.Key("approve-1"), apps[1].ID, pounds("50.01"), "meets the priorities")
	assert.ErrorIs(t, err, grants.ErrOverBudget, "a penny more than is available")

	tot, err := svc.Totals(ctx, "inc", 2014)
	require.NoError(t, err)
	assert.Equal(t, "50.00", tot.Available().StringFixed(2))
	r, err := svc.Report(ctx, "inc", 2014)
	require.NoError(t, err)
	assert.Equal(t, []string{"100.00", "150.00", "200.00", "50.00", "250.00"},
		[]string{r.Budget.StringFixed(2), r.Income.StringFixed(2), r.Committed.StringFixed(2), r.Available.StringFixed(2), r.Remaining.StringFixed(2)},
		"budget, income, committed, available, remaining (nothing awarded yet)")

	// Income received in April 2015 is the 2015 financial year's.
	next := gift("inc", "giving/april", "75")
	next.Received = time.Date(2015, time.April, 1, 9, 0, 0, 0, time.UTC)
	n, err := svc.RecordIncome(ctx, incManager.Key("gift-2"), next)
	require.NoError(t, err)
	assert.Equal(t, 2015, n.Year)
	assert.Equal(t, [4]string{"100.00", "150.00", "200.00", "50.00"}, totalsOf(t, s, "inc"), "2014 is unchanged")
	t15, err := s.Totals(ctx, "inc", 2015)
	require.NoError(t, err)
	assert.Equal(t, "75.00", t15.Income.StringFixed(2))
	lines, err := svc.Income(ctx, incManager, grants.IncomeFilter{Fund: "inc"})
	require.NoError(t, err)
	assert.Equal(t, []string{inc.ID, n.ID}, ids(lines, func(x *grants.Income) string { return x.ID }), "in the order received")
	lines, err = svc.Income(ctx, incOfficer, grants.IncomeFilter{Fund: "inc", Year: 2015})
	require.NoError(t, err, "an officer may read income")
	assert.Equal(t, []string{n.ID}, ids(lines, func(x *grants.Income) string { return x.ID }))
	_, err = svc.Income(ctx, call.As("stranger"), grants.IncomeFilter{Fund: "inc"})
	assert.ErrorIs(t, err, grants.ErrForbidden)

	// A budget cut counts the income: down to £50 (with £150 income,
	// the £200 committed) is allowed, below is not.
	_, err = svc.SetBudget(ctx, incAdmin.Key("cut-1"), "inc", 2014, pounds("49.99"))
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	_, err = svc.SetBudget(ctx, incAdmin.Key("cut-2"), "inc", 2014, pounds("50"))
	require.NoError(t, err)
	assert.Equal(t, [4]string{"50.00", "150.00", "200.00", "0.00"}, totalsOf(t, s, "inc"))

	// In the store: income and a commit in one batch count together (the
	// income is written first); a commit above budget plus income is
	// refused.
	h := newH(t, s)
	h.setBudget("inc-s", 2014, "10")
	in := &grants.Income{ID: "inc-s-1", Fund: "inc-s", Year: 2014, Source: "a funder", Ref: "r1", Amount: pounds("90"), Received: at(0), RecordedAt: at(1), RecordedBy: "m"}
	h.apply(&grants.Batch{Income: []*grants.Income{in}, Commits: []grants.Commit{commit("inc-s", 2014, "x1", "100")}})
	err = s.Apply(ctx, &grants.Batch{Commits: []grants.Commit{commit("inc-s", 2014, "x2", "0.01")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	assert.Equal(t, [4]string{"10.00", "90.00", "100.00", "0.00"}, totalsOf(t, s, "inc-s"))
}

// testIncomeReversal: a reversal (a refund, an over-claim) is income
// below zero; it may not take the fund's budget plus income below what is
// committed. The refused reversal is ErrOverdrawn on "Amount" and writes
// nothing; one that fits is recorded as a negative amount.
func testIncomeReversal(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, apps := incomeWorld(t, s, "rev", "100", 1, "200", true)
	_, err := svc.RecordIncome(ctx, incManager.Key("gift"), gift("rev", "giving/1", "150"))
	require.NoError(t, err)
	_, err = svc.Approve(ctx, incOfficer.Key("approve"), apps[0].ID, pounds("200"), "meets the priorities")
	require.NoError(t, err)
	events := func() int {
		ev, err := s.Events(ctx, grants.EventFilter{Fund: "rev"})
		require.NoError(t, err)
		return len(ev)
	}
	before := events()

	_, err = svc.ReverseIncome(ctx, incManager.Key("refund-1"), gift("rev", "giving/refund-1", "50.01"))
	require.ErrorIs(t, err, grants.ErrOverdrawn)
	assert.Equal(t, "Amount", fieldOf(err))
	assert.Equal(t, [4]string{"100.00", "150.00", "200.00", "50.00"}, totalsOf(t, s, "rev"), "nothing written")
	assert.Equal(t, before, events(), "no event")
	lines, err := svc.Income(ctx, incManager, grants.IncomeFilter{Fund: "rev"})
	require.NoError(t, err)
	assert.Len(t, lines, 1)

	rev, err := svc.ReverseIncome(ctx, incManager.Key("refund-2"), gift("rev", "giving/refund-2", "50"))
	require.NoError(t, err)
	assert.Equal(t, "-50.00", rev.Amount.StringFixed(2))
	assert.True(t, rev.Reversal())
	assert.Equal(t, [4]string{"100.00", "100.00", "200.00", "0.00"}, totalsOf(t, s, "rev"))
	assert.Equal(t, before+1, events())
	_, err = svc.ReverseIncome(ctx, incManager.Key("refund-3"), gift("rev", "giving/refund-3", "0.01"))
	assert.ErrorIs(t, err, grants.ErrOverdrawn, "nothing is left uncommitted")

	// Withdrawing the approval frees the money; then it may be reversed.
	_, err = svc.Withdraw(ctx, incOfficer.Key("withdraw"), apps[0].ID, "the group folded")
	require.NoError(t, err)
	_, err = svc.ReverseIncome(ctx, incManager.Key("refund-4"), gift("rev", "giving/refund-4", "100"))
	require.NoError(t, err)
	assert.Equal(t, [4]string{"100.00", "0.00", "0.00", "100.00"}, totalsOf(t, s, "rev"))

	// In the store: a reversal below what is committed is ErrOverdrawn,
	// and the batch writes nothing (not its receipt either).
	h := newH(t, s)
	h.setBudget("rev-s", 2014, "0")
	in := func(id, ref, amount string) *grants.Income {
		return &grants.Income{ID: id, Fund: "rev-s", Year: 2014, Source: "a funder", Ref: ref, Amount: pounds(amount), Received: at(0), RecordedAt: at(1), RecordedBy: "m"}
	}
	h.apply(&grants.Batch{Income: []*grants.Income{in("rs-1", "r1", "100")}, Commits: []grants.Commit{commit("rev-s", 2014, "y1", "60")}})
	err = s.Apply(ctx, &grants.Batch{Income: []*grants.Income{in("rs-2", "r2", "-40.01")}, Key: "k-rev", Hash: "h", Result: "rs-2", At: at(2)})
	assert.ErrorIs(t, err, grants.ErrOverdrawn)
	_, err = s.Receipt(ctx, "k-rev")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	h.apply(&grants.Batch{Income: []*grants.Income{in("rs-3", "r3", "-40")}})
	assert.Equal(t, [4]string{"0.00", "60.00", "60.00", "0.00"}, totalsOf(t, s, "rev-s"))
	got, err := s.Income(ctx, grants.IncomeFilter{Fund: "rev-s"})
	require.NoError(t, err)
	assert.Equal(t, []string{"rs-1", "rs-3"}, ids(got, func(x *grants.Income) string { return x.ID }))
}

// testConcurrentIncomeAwards: a fund with no budget lives on £1,000 of
// income. 20 officers approve £100 each while 5 fund managers reverse
// £100 each, all at once, through the Service. Each takes £100 of what is
// available, so exactly 10 succeed, the others are ErrOverBudget or
// ErrOverdrawn, and the fund never commits more than its budget plus its
// income. Then, in the store, 40 writers each commit £100 against a £500
// budget and £500 of income recorded in the same race: exactly 10 commit.
func testConcurrentIncomeAwards(t *testing.T, s grants.Store) {
	for n := range 3 {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ctx := t.Context()
			fundID := fmt.Sprintf("race-inc-%d", n)
			const officers, reversals = 20, 5
			svc, apps := incomeWorld(t, s, fundID, "0", officers, "100", n == 0)
			_, err := svc.RecordIncome(ctx, incManager.Key("gift-"+fundID), gift(fundID, "giving/all", "1000"))
			require.NoError(t, err)
			errs := storetest.Race(officers+reversals, func(i int) error {
				if i < officers {
					_, err := svc.Approve(ctx, incOfficer.Key(fmt.Sprintf("approve-%s-%d", fundID, i)), apps[i].ID, pounds("100"), "meets the priorities")
					return err
				}
				_, err := svc.ReverseIncome(ctx, incManager.Key(fmt.Sprintf("refund-%s-%d", fundID, i)), gift(fundID, fmt.Sprintf("refund-%d", i), "100"))
				return err
			})
			approved, over := storetest.Count(t, errs[:officers], grants.ErrOverBudget)
			reversed, overdrawn := storetest.Count(t, errs[officers:], grants.ErrOverdrawn)
			assert.Equal(t, 10, approved+reversed, "£1,000 is ten lots of £100: approvals %d, reversals %d", approved, reversed)
			assert.Equal(t, officers+reversals-10, over+overdrawn)
			want := [4]string{"0.00", fmt.Sprintf("%d.00", 1000-100*reversed), fmt.Sprintf("%d.00", 100*approved), "0.00"}
			assert.Equal(t, want, totalsOf(t, s, fundID), "budget, income, committed, available")
			list, err := s.Applications(ctx, grants.ApplicationFilter{Fund: fundID, Status: []grants.Status{grants.Approved}})
			require.NoError(t, err)
			assert.Len(t, list, approved, "an approval is written only with its commitment")
			lines, err := s.Income(ctx, grants.IncomeFilter{Fund: fundID})
			require.NoError(t, err)
			assert.Len(t, lines, 1+reversed, "a reversal is written only when it fits")
		})
	}
	t.Run("store", func(t *testing.T) {
		h := newH(t, s)
		f := "race-store"
		h.setBudget(f, 2014, "500")
		const writers = 40
		errs := storetest.Race(writers+1, func(i int) error {
			if i == writers {
				return s.Apply(h.ctx, &grants.Batch{Income: []*grants.Income{{ID: "rs-inc", Fund: f, Year: 2014, Source: "a funder", Ref: "all",
					Amount: pounds("500"), Received: at(0), RecordedAt: at(1), RecordedBy: "m"}}})
			}
			return s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit(f, 2014, fmt.Sprintf("%s-a%d", f, i), "100")}})
		})
		require.NoError(t, errs[writers], "the income")
		ok, over := storetest.Count(t, errs[:writers], grants.ErrOverBudget)
		assert.GreaterOrEqual(t, ok, 5, "the budget alone takes five")
		assert.LessOrEqual(t, ok, 10, "budget plus income take ten at most")
		assert.Equal(t, writers-ok, over)
		assert.Equal(t, [4]string{"500.00", "500.00", fmt.Sprintf("%d.00", 100*ok), fmt.Sprintf("%d.00", 1000-100*ok)}, totalsOf(t, s, f))
		// Whatever the order, what is left is committed by the next ones.
		for i := ok; i < 10; i++ {
			h.apply(&grants.Batch{Commits: []grants.Commit{commit(f, 2014, fmt.Sprintf("%s-late%d", f, i), "100")}})
		}
		err := s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit(f, 2014, f+"-over", "0.01")}})
		assert.ErrorIs(t, err, grants.ErrOverBudget)
		assert.Equal(t, [4]string{"500.00", "500.00", "1000.00", "0.00"}, totalsOf(t, s, f))
	})
}

// testIncomeIdempotent: income is recorded once per reference of a fund.
// A retry with the same key returns the first record; another key with
// the same reference and details returns it too and records nothing; the
// same reference with other details is ErrConflict on "Ref". Ten racing
// records of one reference record it once. In the store, a second line
// with a fund's reference (or an id) recorded is ErrConflict, and another
// fund may use the same reference.
func testIncomeIdempotent(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, _ := incomeWorld(t, s, "idem", "100", 0, "100", true)
	first, err := svc.RecordIncome(ctx, incManager.Key("k1"), gift("idem", "giving/cmp-1/2014/gifts/0", "120.50"))
	require.NoError(t, err)
	again, err := svc.RecordIncome(ctx, incManager.Key("k1"), gift("idem", "giving/cmp-1/2014/gifts/0", "120.50"))
	require.NoError(t, err)
	assert.Equal(t, first, again, "a retry returns the first record")
	rerun, err := svc.RecordIncome(ctx, incManager.Key("k2"), gift("idem", "giving/cmp-1/2014/gifts/0", "120.50"))
	require.NoError(t, err)
	assert.Equal(t, first, rerun, "a re-run under another key records nothing")
	_, err = svc.RecordIncome(ctx, incAdmin.Key("k1"), gift("idem", "giving/cmp-1/2014/gifts/0", "120.50"))
	require.NoError(t, err, "another actor's re-run too")
	_, err = svc.RecordIncome(ctx, incManager.Key("k3"), gift("idem", "giving/cmp-1/2014/gifts/0", "120.51"))
	require.ErrorIs(t, err, grants.ErrConflict)
	assert.Equal(t, "Ref", fieldOf(err))
	_, err = svc.RecordIncome(ctx, incManager.Key("k1"), gift("idem", "giving/cmp-1/2014/gifts/1", "5"))
	assert.ErrorIs(t, err, grants.ErrConflict, "a key reused for another request")
	_, err = svc.ReverseIncome(ctx, incManager.Key("k4"), gift("idem", "giving/cmp-1/2014/gifts/0", "120.50"))
	assert.ErrorIs(t, err, grants.ErrConflict, "a reversal under the reference of a receipt")
	assert.Equal(t, [4]string{"100.00", "120.50", "0.00", "220.50"}, totalsOf(t, s, "idem"))

	// A reference with spaces around it is the same reference, and a
	// retry sending 7 after 7.00 under the same key is the same request.
	padded, err := svc.RecordIncome(ctx, incManager.Key("k5"), gift("idem", " giving/cmp-1/2014/gifts/0 ", "120.50"))
	require.NoError(t, err, "the padded reference is the one recorded")
	assert.Equal(t, first.ID, padded.ID)
	sevens, err := svc.RecordIncome(ctx, incManager.Key("k6"), gift("idem", "giving/cmp-1/2014/gifts/7", "7.00"))
	require.NoError(t, err)
	seven, err := svc.RecordIncome(ctx, incManager.Key("k6"), gift("idem", "giving/cmp-1/2014/gifts/7", "7"))
	require.NoError(t, err, "7 and 7.00 are the same amount")
	assert.Equal(t, sevens.ID, seven.ID)
	_, err = svc.ReverseIncome(ctx, incManager.Key("k7"), gift("idem", "giving/cmp-1/2014/gifts/8", "7"))
	require.NoError(t, err)
	assert.Equal(t, [4]string{"100.00", "120.50", "0.00", "220.50"}, totalsOf(t, s, "idem"))

	errs := storetest.Race(10, func(i int) error {
		_, err := svc.RecordIncome(ctx, incManager.Key(fmt.Sprintf("race-%d", i)), gift("idem", "giving/cmp-1/2014/match/0", "30"))
		return err
	})
	ok, _ := storetest.Count(t, errs, grants.ErrConflict)
	assert.Equal(t, 10, ok, "every racer gets the one record")
	lines, err := svc.Income(ctx, incManager, grants.IncomeFilter{Fund: "idem"})
	require.NoError(t, err)
	assert.Len(t, lines, 4, "the gift, the £7 and its reversal, the match")
	assert.Equal(t, [4]string{"100.00", "150.50", "0.00", "250.50"}, totalsOf(t, s, "idem"))
	one, err := svc.Income(ctx, incManager, grants.IncomeFilter{Fund: "idem", Ref: "giving/cmp-1/2014/match/0"})
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.Equal(t, "30.00", one[0].Amount.StringFixed(2))

	h := newH(t, s)
	in := func(id, fund, ref string) *grants.Income {
		return &grants.Income{ID: id, Fund: fund, Year: 2014, Source: "a funder", Ref: ref, Amount: pounds("10"), Received: at(0), RecordedAt: at(1), RecordedBy: "m"}
	}
	h.apply(&grants.Batch{Income: []*grants.Income{in("st-1", "idem-s", "r1")}})
	for name, b := range map[string]*grants.Batch{
		"same ref":         {Income: []*grants.Income{in("st-2", "idem-s", "r1")}},
		"same id":          {Income: []*grants.Income{in("st-1", "idem-t", "r9")}},
		"twice in a batch": {Income: []*grants.Income{in("st-3", "idem-s", "r2"), in("st-4", "idem-s", "r2")}},
	} {
		assert.ErrorIs(t, s.Apply(ctx, b), grants.ErrConflict, name)
	}
	h.apply(&grants.Batch{Income: []*grants.Income{in("st-5", "idem-t", "r1")}})
	tot, err := s.Totals(ctx, "idem-s", 2014)
	require.NoError(t, err)
	assert.Equal(t, "10.00", tot.Income.StringFixed(2), "the refused batches wrote nothing")
	tot, err = s.Totals(ctx, "idem-t", 2014)
	require.NoError(t, err)
	assert.Equal(t, "10.00", tot.Income.StringFixed(2), "another fund's reference is its own")
}

// testIncomeBadInput: income with a negative, zero or fraction-of-a-penny
// amount, for an unknown fund, without a source, a reference or a date,
// or from someone who is not a fund manager, is refused with a sentinel
// error naming the field, and nothing is written. In the store, malformed
// lines are ErrInvalid and write nothing.
func testIncomeBadInput(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, _ := incomeWorld(t, s, "bad", "100", 0, "100", true)
	with := func(f func(*grants.NewIncome)) grants.NewIncome {
		in := gift("bad", "giving/bad", "10")
		f(&in)
		return in
	}
	for name, c := range map[string]struct {
		in    grants.NewIncome
		err   error
		field string
	}{
		"negative amount": {with(func(in *grants.NewIncome) { in.Amount = pounds("-10") }), grants.ErrInvalid, "Amount"},
		"zero amount":     {with(func(in *grants.NewIncome) { in.Amount = pounds("0") }), grants.ErrInvalid, "Amount"},
		"three places":    {with(func(in *grants.NewIncome) { in.Amount = pounds("10.001") }), grants.ErrInvalid, "Amount"},
		"too much":        {with(func(in *grants.NewIncome) { in.Amount = pounds("100000000.01") }), grants.ErrInvalid, "Amount"},
		"unknown fund":    {with(func(in *grants.NewIncome) { in.Fund = "no-such-fund" }), grants.ErrNotFound, "Fund"},
		"no fund":         {with(func(in *grants.NewIncome) { in.Fund = "" }), grants.ErrInvalid, "Fund"},
		"no source":       {with(func(in *grants.NewIncome) { in.Source = "  " }), grants.ErrInvalid, "Source"},
		"no ref":          {with(func(in *grants.NewIncome) { in.Ref = "" }), grants.ErrInvalid, "Ref"},
		"no date":         {with(func(in *grants.NewIncome) { in.Received = time.Time{} }), grants.ErrInvalid, "Received"},
		"NUL in source":   {with(func(in *grants.NewIncome) { in.Source = "gifts\x00" }), grants.ErrInvalid, "Source"},
	} {
		_, err := svc.RecordIncome(ctx, incManager.Key("record "+name), c.in)
		assert.ErrorIs(t, err, c.err, name)
		assert.Equal(t, c.field, fieldOf(err), name)
		_, err = svc.ReverseIncome(ctx, incManager.Key("reverse "+name), c.in)
		assert.ErrorIs(t, err, c.err, "reverse: "+name)
		assert.Equal(t, c.field, fieldOf(err), "reverse: "+name)
	}
	for _, who := range []call.Actor{incOfficer, call.As("stranger")} {
		_, err := svc.RecordIncome(ctx, who.Key("record"), gift("bad", "giving/bad", "10"))
		assert.ErrorIs(t, err, grants.ErrForbidden, "%s may not record income", who.ID)
		_, err = svc.ReverseIncome(ctx, who.Key("reverse"), gift("bad", "giving/bad", "10"))
		assert.ErrorIs(t, err, grants.ErrForbidden, "%s may not reverse income", who.ID)
	}
	lines, err := s.Income(ctx, grants.IncomeFilter{})
	require.NoError(t, err)
	assert.Empty(t, lines, "nothing written")
	assert.Equal(t, [4]string{"100.00", "0.00", "0.00", "100.00"}, totalsOf(t, s, "bad"))
	ev, err := s.Events(ctx, grants.EventFilter{Fund: "bad"})
	require.NoError(t, err)
	assert.Empty(t, ev)

	good := func() *grants.Income {
		return &grants.Income{ID: "i1", Fund: "bad", Year: 2014, Source: "a funder", Ref: "r1", Amount: pounds("10"), Received: at(0), RecordedAt: at(1), RecordedBy: "m"}
	}
	for name, f := range map[string]func(x *grants.Income){
		"no id":      func(x *grants.Income) { x.ID = "" },
		"no fund":    func(x *grants.Income) { x.Fund = "" },
		"no source":  func(x *grants.Income) { x.Source = "" },
		"no ref":     func(x *grants.Income) { x.Ref = "" },
		"zero":       func(x *grants.Income) { x.Amount = pounds("0") },
		"fraction":   func(x *grants.Income) { x.Amount = pounds("-0.005") },
		"no date":    func(x *grants.Income) { x.Received = time.Time{} },
		"wrong year": func(x *grants.Income) { x.Year = 2015 },
	} {
		x := good()
		f(x)
		err := s.Apply(ctx, &grants.Batch{Income: []*grants.Income{x}, Commits: []grants.Commit{commit("bad", 2014, "b1", "1")}})
		assert.ErrorIs(t, err, grants.ErrInvalid, name)
	}
	assert.ErrorIs(t, s.Apply(ctx, &grants.Batch{Income: []*grants.Income{nil}}), grants.ErrInvalid, "nil")
	assert.Equal(t, [4]string{"100.00", "0.00", "0.00", "100.00"}, totalsOf(t, s, "bad"), "no malformed batch wrote")
}
