package borough

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// FundManager is the member of grants staff SetUpCommunityFund adds to
// record the Community Fund's income.
const FundManager = "fund-manager"

// CommunityBudget is the Community Fund's own budget for a year: seed
// 004's £100,000 of community grants around agreed priorities.
var CommunityBudget = decimal.NewFromInt(100_000)

// SetUpCommunityFund creates, through svc's public operations (as the
// grants admin, GrantsAdmin), the Thurrock Community Fund with id id — the
// fund the Local Giving campaign raises for, managed by TCVS and funded by
// the council (seed 000) — with CommunityBudget for financial year y,
// awards of £250 to £5,000 around GivingPriorities, and a fund manager
// (FundManager) who records its income. The council that funds it is
// named as its funder: the borough has no register number for TCVS, and
// makes none up that could name a real charity.
func SetUpCommunityFund(ctx context.Context, svc *grants.Service, id string, y int) (*grants.Fund, error) {
	admin := call.As(GrantsAdmin)
	if _, err := svc.AddStaff(ctx, admin.Key("community-fund-manager"), grants.NewStaff{ID: FundManager, Name: "Community Fund manager",
		Roles: []grants.Role{grants.RoleManager}}); err != nil {
		return nil, fmt.Errorf("borough: community fund manager: %w", err)
	}
	f, err := svc.CreateFund(ctx, admin.Key("community-fund"), grants.NewFund{ID: id, Name: "Thurrock Community Fund",
		Description: "Community grants around the priorities the Local Giving campaign agreed, managed by TCVS, from the council's budget and the money the campaign raises",
		FunderName:  "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00tcf",
		Budgets:  []grants.Budget{{Year: y, Amount: CommunityBudget}},
		MinAward: decimal.NewFromInt(250), MaxAward: decimal.NewFromInt(5000), Priorities: GivingPriorities()})
	if err != nil {
		return nil, fmt.Errorf("borough: community fund: %w", err)
	}
	return f, nil
}

// AwardCommunityGrants makes, through svc's public operations, the
// Community Fund's award to each group f's monitoring counts (f.Grants:
// the group and the amount), in a round of financial year f.Year opened
// on 2 February of its last quarter: each group applies, and the grants
// officer (GrantsOfficer) checks, reviews, approves — against the fund's
// budget plus its income — and awards. set moves svc's clock. It returns
// the awards, in f's order.
func AwardCommunityGrants(ctx context.Context, svc *grants.Service, set func(time.Time), fund *grants.Fund, f *Funded) ([]*grants.Application, error) {
	now := time.Date(f.Year+1, time.February, 2, 9, 0, 0, 0, time.UTC)
	set(now)
	officer := call.As(GrantsOfficer)
	round, err := svc.OpenRound(ctx, officer.Key("community-round"), grants.NewRound{Fund: fund.ID, Name: "Local Giving grants", Year: f.Year,
		Opens: now, Closes: now.AddDate(0, 0, 28)})
	if err != nil {
		return nil, fmt.Errorf("borough: community round: %w", err)
	}
	prios := GivingPriorities()
	var out []*grants.Application
	for i, g := range f.Grants {
		group := call.As(fmt.Sprintf("community-group-%02d", i+1))
		a, err := svc.Draft(ctx, group.Key("apply"), grants.NewApplication{Fund: fund.ID, Round: round.ID,
			Title: fmt.Sprintf("%s: a year's project", g.Group), Description: "A project around the campaign's priorities",
			Applicant: grants.Applicant{Type: grants.Charity, Name: g.Group, OrgID: fmt.Sprintf("360G-%s-group-%d", fund.Prefix, i+1),
				ContactName: fmt.Sprintf("Contact %d", i+1), Email: fmt.Sprintf("group%d@example.org", i+1)},
			Amount: g.Awarded, Priorities: []string{prios[i%len(prios)]}})
		if err != nil {
			return nil, fmt.Errorf("borough: community grant %d: %w", i+1, err)
		}
		if a, err = svc.Submit(ctx, group.Key("submit"), a.ID); err != nil {
			return nil, fmt.Errorf("borough: community grant %d: %w", i+1, err)
		}
		for _, step := range []struct {
			name string
			do   func(context.Context, call.Write, string) (*grants.Application, error)
		}{{"check", svc.CheckEligibility}, {"review", svc.StartReview}} {
			if a, err = step.do(ctx, officer.Key(fmt.Sprintf("community-%s-%d", step.name, i+1)), a.ID); err != nil {
				return nil, fmt.Errorf("borough: community grant %d: %w", i+1, err)
			}
		}
		if a, err = svc.Approve(ctx, officer.Key(fmt.Sprintf("community-approve-%d", i+1)), a.ID, g.Awarded, "meets the campaign's priorities"); err != nil {
			return nil, fmt.Errorf("borough: community grant %d: %w", i+1, err)
		}
		if a, err = svc.Award(ctx, officer.Key(fmt.Sprintf("community-award-%d", i+1)), a.ID); err != nil {
			return nil, fmt.Errorf("borough: community grant %d: %w", i+1, err)
		}
		out = append(out, a)
	}
	return out, nil
}
