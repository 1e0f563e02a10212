package grantsrec

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/grants"
)

// maxIdea is the longest idea a Commit may claim, in bytes.
const maxIdea = 500

func invalid(field, format string, args ...any) error {
	return &grants.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// money checks an amount as grants.CheckMoney does.
func money(field string, d decimal.Decimal, positive bool) error {
	return grants.CheckMoney(field, d, positive)
}

// CheckCommit checks a Commit's fields; stores call it in Apply.
func CheckCommit(c grants.Commit) error {
	switch {
	case c.Fund == "":
		return invalid("Commits.Fund", "is required")
	case c.Application == "":
		return invalid("Commits.Application", "is required")
	case len(c.Idea) > maxIdea:
		return invalid("Commits.Idea", "is longer than %d bytes", maxIdea)
	}
	return money("Commits.Amount", c.Amount, false)
}

// CheckBudgetSet checks a BudgetSet's fields; stores call it in Apply.
func CheckBudgetSet(b grants.BudgetSet) error {
	switch {
	case b.Fund == "":
		return invalid("Budgets.Fund", "is required")
	case b.Year < 2000 || b.Year > 2200:
		return invalid("Budgets.Year", "year %d is out of range", b.Year)
	}
	return money("Budgets.Amount", b.Amount, false)
}

// CheckPay checks a Pay's fields; stores call it in Apply.
func CheckPay(p grants.Pay) error {
	if p.Application == "" {
		return invalid("Pays.Application", "is required")
	}
	return money("Pays.Amount", p.Amount, true)
}

// CheckIncome checks an Income's fields; stores call it in Apply. Its
// amount is not zero, pence-exact and within grants.MaxPounds either way,
// and its Year is the financial year of its Received.
func CheckIncome(x *grants.Income) error {
	switch {
	case x == nil:
		return invalid("Income", "nil income")
	case x.ID == "":
		return invalid("Income.ID", "is required")
	case x.Fund == "":
		return invalid("Income.Fund", "is required")
	case x.Source == "":
		return invalid("Income.Source", "is required")
	case x.Ref == "":
		return invalid("Income.Ref", "is required")
	case x.Amount.IsZero():
		return invalid("Income.Amount", "must not be zero")
	case x.Received.IsZero():
		return invalid("Income.Received", "is required")
	case x.Year != grants.FinancialYear(x.Received):
		return invalid("Income.Year", "%d is not the financial year of %s", x.Year, x.Received.Format(time.DateOnly))
	}
	return money("Income.Amount", x.Amount.Abs(), true)
}

// CheckBatch checks every budget, income, commit, pay and erasure of b.
func CheckBatch(b *grants.Batch) error {
	if b == nil {
		return invalid("Batch", "is nil")
	}
	for _, x := range b.Budgets {
		if err := CheckBudgetSet(x); err != nil {
			return err
		}
	}
	for _, x := range b.Income {
		if err := CheckIncome(x); err != nil {
			return err
		}
	}
	for _, c := range b.Commits {
		if err := CheckCommit(c); err != nil {
			return err
		}
	}
	for _, p := range b.Pays {
		if err := CheckPay(p); err != nil {
			return err
		}
	}
	for _, e := range b.Erasures {
		if e.Application == "" {
			return invalid("Erasures.Application", "is required")
		}
	}
	return nil
}
