package borough

import (
	"context"
	"fmt"

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
// (FundManager) who records its income. The funder's charity number is
// made up, as the borough is.
func SetUpCommunityFund(ctx context.Context, svc *grants.Service, id string, y int) (*grants.Fund, error) {
	admin := call.As(GrantsAdmin)
	if _, err := svc.AddStaff(ctx, admin.Key("community-fund-manager"), grants.NewStaff{ID: FundManager, Name: "Community Fund manager",
		Roles: []grants.Role{grants.RoleManager}}); err != nil {
		return nil, fmt.Errorf("borough: community fund manager: %w", err)
	}
	f, err := svc.CreateFund(ctx, admin.Key("community-fund"), grants.NewFund{ID: id, Name: "Thurrock Community Fund",
		Description: "Community grants around the priorities the Local Giving campaign agreed, from the council's budget and the money the campaign raises",
		FunderName:  "Thurrock Council for Voluntary Service (TCVS)", FunderID: "GB-CHC-9990015", Prefix: "a00tcf",
		Budgets:  []grants.Budget{{Year: y, Amount: CommunityBudget}},
		MinAward: decimal.NewFromInt(250), MaxAward: decimal.NewFromInt(5000), Priorities: GivingPriorities()})
	if err != nil {
		return nil, fmt.Errorf("borough: community fund: %w", err)
	}
	return f, nil
}
