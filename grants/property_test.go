package grants_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

// TestPropertyMoneyInvariants drives random sequences of approvals,
// withdrawals, payments, income and its reversals, and checks after each
// step that the fund never commits more than its budget plus its income,
// that the store's totals equal the sum over applications and over the
// income's lines, and that no application is paid more than its award.
func TestPropertyMoneyInvariants(t *testing.T) {
	for seed := range uint64(5) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			w := newWorld(t)
			budget := decimal.NewFromInt(int64(500 + rng.IntN(1500)))
			_, err := w.svc.SetBudget(w.ctx, w.as("admin"), w.fund.ID, 2014, budget)
			require.NoError(t, err)
			var apps []string
			for i := range 12 {
				apps = append(apps, w.reviewed(w.form(fmt.Sprintf("Idea %d", i))).ID)
			}
			recorded, reversed := 0, 0
			for step := range 60 {
				id := apps[rng.IntN(len(apps))]
				pence := decimal.NewFromInt(int64(rng.IntN(20001))).Div(decimal.NewFromInt(100))
				money := grants.NewIncome{Fund: w.fund.ID, Source: "Local Giving", Ref: fmt.Sprint("ref-", step), Amount: pence.Add(decimal.New(1, -2)), Received: start}
				switch rng.IntN(6) {
				case 4:
					_, err := w.svc.RecordIncome(w.ctx, w.as("admin"), money)
					require.NoError(t, err)
					recorded++
				case 5:
					if _, err := w.svc.ReverseIncome(w.ctx, w.as("admin"), money); err == nil {
						reversed++
					} else {
						require.ErrorIs(t, err, grants.ErrOverdrawn)
					}
				case 0:
					_, _ = w.svc.Approve(w.ctx, w.as("officer"), id, decimal.NewFromInt(50).Add(pence.Div(decimal.NewFromInt(2)).Round(2)), "ok")
				case 1:
					_, _ = w.svc.Award(w.ctx, w.as("officer"), id)
				case 2:
					_, _ = w.svc.Pay(w.ctx, w.as("officer"), id, pence.Add(decimal.New(1, -2)), "p")
				case 3:
					if rng.IntN(4) == 0 {
						_, _ = w.svc.Withdraw(w.ctx, w.as("applicant"), id, "changed plans")
					}
				}
				all, err := w.store.Applications(w.ctx, grants.ApplicationFilter{Fund: w.fund.ID})
				require.NoError(t, err)
				committed, paid := decimal.Zero, decimal.Zero
				for _, a := range all {
					require.False(t, a.Paid.GreaterThan(a.Award), "application %s paid %s of %s", a.ID, a.Paid, a.Award)
					switch a.Status {
					case grants.Approved, grants.Awarded, grants.Paid:
						committed = committed.Add(a.Award)
					default:
						require.True(t, a.Award.IsZero(), "%s %s holds %s", a.ID, a.Status, a.Award)
					}
					paid = paid.Add(a.Paid)
				}
				lines, err := w.store.Income(w.ctx, grants.IncomeFilter{Fund: w.fund.ID})
				require.NoError(t, err)
				income := decimal.Zero
				for _, l := range lines {
					income = income.Add(l.Amount)
				}
				tot, err := w.store.Totals(w.ctx, w.fund.ID, 2014)
				require.NoError(t, err)
				require.True(t, tot.Committed.Equal(committed), "store %s, applications %s", tot.Committed, committed)
				require.True(t, tot.Paid.Equal(paid))
				require.True(t, tot.Income.Equal(income), "store %s, lines %s", tot.Income, income)
				require.False(t, committed.GreaterThan(budget.Add(income)), "committed %s of %s and %s income", committed, budget, income)
				require.False(t, tot.Available().IsNegative())
			}
			require.Positive(t, recorded+reversed, "the sequence moved income")
		})
	}
}

// TestPropertyRulesRoundTripJSON checks that rules decode to what they
// encode from, and evaluate alike.
func TestPropertyRulesRoundTripJSON(t *testing.T) {
	w := newWorld(t)
	rules := grants.SmallSparksRules()
	rules = append(rules, grants.Rule{Kind: grants.KindNot, Rules: []grants.Rule{{Kind: grants.KindExclusions, Exclude: []string{"x"}}}})
	data, err := jsonMarshal(rules)
	require.NoError(t, err)
	back, err := grants.ParseRules(data)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		f := w.form(fmt.Sprint(i))
		f.Amount = decimal.NewFromInt(int64(rng.IntN(400)))
		f.Supporters = f.Supporters[:rng.IntN(4)]
		a := &grants.Application{Amount: f.Amount, Applicant: f.Applicant, Supporters: f.Supporters, Priorities: f.Priorities,
			Purposes: []string{[]string{"x", "gardening", "party-political"}[rng.IntN(3)]}}
		env := grants.Env{Fund: w.fund, FundedBefore: rng.IntN(2) == 0}
		require.Equal(t, grants.Evaluate(rules, a, env), grants.Evaluate(back, a, env))
	}
}
