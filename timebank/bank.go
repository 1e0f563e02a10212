package timebank

import (
	"strings"
	"time"
)

// Bank is a time bank: a ledger of time credits shared by its members.
//
// A borough bank (Parent empty) may have Mini Time Banks: banks run by one
// of its organisation members, with their own members and coordinators.
// A mini bank's figures roll up into its parent's reports, and members of a
// bank and of its mini banks may exchange with each other: the whole tree is
// one network whose balances, issuing account included, always sum to zero.
//
// Each bank has two accounts besides its members': the issuing account,
// through which new credits enter for voluntary work already being done,
// and the community pot, which members donate to and coordinators grant
// from. Coordinators of the bank (or of its parent) change its settings.
type Bank struct {
	ID     string
	Name   string
	Parent string // the borough bank of a Mini Time Bank; "" for a borough bank
	// Organisation is the member of Parent that runs this Mini Time Bank.
	Organisation string

	// Rounding is the unit, in minutes, every amount must be a multiple
	// of (15 for quarter hours). It is at least 1 and divides 60.
	Rounding int64
	// MinBalance is how far members may go, in minutes, below zero by
	// default (-600 lets a member owe 10 hours). Zero or negative.
	MinBalance int64
	// MaxBalance optionally caps what a member may hold, in minutes.
	MaxBalance *int64
	// Confirmation says how a recorded exchange becomes confirmed.
	Confirmation Confirmation

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	// Version counts the bank's changes; stores use it to refuse a change
	// made on a stale read (ErrConflict).
	Version int64
}

// IssuingAccount returns the id of the bank's issuing account.
func (b *Bank) IssuingAccount() string { return IssuingAccountID(b.ID) }

// PotAccount returns the id of the bank's community pot account.
func (b *Bank) PotAccount() string { return PotAccountID(b.ID) }

// IssuingAccountID returns the id of bank's issuing account.
func IssuingAccountID(bank string) string { return bank + "/issuing" }

// PotAccountID returns the id of bank's community pot account.
func PotAccountID(bank string) string { return bank + "/pot" }

// Validate reports the first field of b that is missing or out of range.
func (b *Bank) Validate() error {
	switch {
	case b.ID == "":
		return invalid("ID", "is required")
	case strings.TrimSpace(b.Name) == "":
		return invalid("Name", "is required")
	case checkText("Name", b.Name, maxName) != nil:
		return checkText("Name", b.Name, maxName)
	case b.Rounding < 1 || b.Rounding > 60 || 60%b.Rounding != 0:
		return invalid("Rounding", "must divide 60 minutes (1, 5, 15, 30 or 60), got %d", b.Rounding)
	case b.MinBalance > 0:
		return invalid("MinBalance", "must be zero or negative, got %d", b.MinBalance)
	case b.MinBalance%b.Rounding != 0:
		return invalid("MinBalance", "must be a multiple of the rounding (%d minutes)", b.Rounding)
	case b.MaxBalance != nil && *b.MaxBalance <= 0:
		return invalid("MaxBalance", "must be positive, got %d", *b.MaxBalance)
	case !b.Confirmation.valid():
		return invalid("Confirmation", "unknown mode %q", b.Confirmation)
	case (b.Parent == "") != (b.Organisation == ""):
		return invalid("Organisation", "a mini time bank names both its parent bank and the organisation that runs it")
	}
	return nil
}

// Confirmation is how a bank confirms exchanges.
type Confirmation string

// Confirmation modes.
const (
	// ConfirmBoth: the giver and the receiver both confirm (the one who
	// records it confirms by recording). A coordinator may confirm too.
	ConfirmBoth Confirmation = "both"
	// ConfirmCoordinator: a coordinator approves every exchange.
	ConfirmCoordinator Confirmation = "coordinator"
	// ConfirmTrusted: an exchange recorded by a trusted member or a
	// coordinator is confirmed at once; others need both parties.
	ConfirmTrusted Confirmation = "trusted"
)

func (c Confirmation) valid() bool {
	return c == ConfirmBoth || c == ConfirmCoordinator || c == ConfirmTrusted
}
