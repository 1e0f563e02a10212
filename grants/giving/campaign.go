package giving

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Campaign is a Local Giving campaign: it raises money, time and talents
// for one fund (the grants fund whose id is Fund), around the priorities
// its partners agreed, led by champions from every sector, over a period,
// against targets. Only staff with RoleAdmin create one.
type Campaign struct {
	ID         string
	Name       string
	Fund       string // the id of the fund it raises for
	Priorities []Priority
	Champions  []Champion
	Target     Target
	Starts     time.Time
	Ends       time.Time

	CreatedAt time.Time
	CreatedBy string
	Version   int
}

// Priority is a local issue the campaign backs, and when it was agreed.
type Priority struct {
	Name   string
	Agreed time.Time
}

// Sector is where a champion comes from.
type Sector string

// The sectors champions come from (seed 000).
const (
	SectorBusiness  Sector = "business"
	SectorCommunity Sector = "community"
	SectorCharity   Sector = "charity"
	SectorPublic    Sector = "public"
)

// Sectors returns the sectors, in order.
func Sectors() []Sector {
	return []Sector{SectorBusiness, SectorCommunity, SectorCharity, SectorPublic}
}

// Champion is a person or organisation championing the campaign. Champions
// are named in public; they are not donors' personal data.
type Champion struct {
	Name         string
	Organisation bool // an organisation, not a person
	Sector       Sector
}

// Target is what a campaign aims to raise: money (gifts, Gift Aid and
// match together) and volunteers recruited.
type Target struct {
	Money      decimal.Decimal
	Volunteers int
}

// NewCampaign is the input to CreateCampaign.
type NewCampaign struct {
	Name       string
	Fund       string
	Priorities []Priority
	Champions  []Champion
	Target     Target
	Starts     time.Time
	Ends       time.Time
}

// Validate checks n, naming the field and the reason.
func (n *NewCampaign) Validate() error {
	if err := required("Name", n.Name, MaxName); err != nil {
		return err
	}
	if err := checkID("Fund", n.Fund); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, p := range n.Priorities {
		f := fmt.Sprintf("Priorities[%d]", i)
		if err := required(f+".Name", p.Name, MaxName); err != nil {
			return err
		}
		if seen[p.Name] {
			return invalid(f+".Name", "%q is listed twice", p.Name)
		}
		seen[p.Name] = true
		if p.Agreed.IsZero() {
			return invalid(f+".Agreed", "is required: the date the priority was agreed")
		}
	}
	for i, c := range n.Champions {
		f := fmt.Sprintf("Champions[%d]", i)
		if err := required(f+".Name", c.Name, MaxName); err != nil {
			return err
		}
		if !slices.Contains(Sectors(), c.Sector) {
			return invalid(f+".Sector", "%q is not one of %v", c.Sector, Sectors())
		}
	}
	if err := CheckMoney("Target.Money", n.Target.Money, false); err != nil {
		return err
	}
	if n.Target.Volunteers < 0 {
		return invalid("Target.Volunteers", "is negative")
	}
	if n.Starts.IsZero() || n.Ends.IsZero() {
		return invalid("Starts", "the period needs a start and an end")
	}
	if !n.Ends.After(n.Starts) {
		return invalid("Ends", "is not after Starts")
	}
	return nil
}

// HasPriority reports whether the campaign backs the named priority.
func (c *Campaign) HasPriority(name string) bool {
	return slices.ContainsFunc(c.Priorities, func(p Priority) bool { return p.Name == name })
}

// LogValue logs the campaign's id only.
func (c Campaign) LogValue() slog.Value { return slog.StringValue("campaign " + c.ID) }
