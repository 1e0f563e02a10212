package timebank

import "time"

// MinutesPerCredit is the size of one Time Credit: one hour of help,
// whatever the skill.
const MinutesPerCredit = 60

// Account holds a balance of time, in minutes. Every member has one (its id
// is the member's id) and every bank has an issuing account and a community
// pot. Balances are never edited: a store maintains them from postings.
type Account struct {
	ID      string
	Bank    string
	Kind    AccountKind
	Balance int64     // minutes, maintained by the store from postings
	LastAt  time.Time // time of the latest posting; zero if none
}

// AccountKind says what an account is for.
type AccountKind string

// Account kinds.
const (
	MemberAccount  AccountKind = "member"
	IssuingAccount AccountKind = "issuing"
	PotAccount     AccountKind = "pot"
)

// TransferKind says why a transfer was made.
type TransferKind string

// Transfer kinds.
const (
	// KindExchange pays for help given: the receiver's account to the
	// giver's.
	KindExchange TransferKind = "exchange"
	// KindIssue brings new credits in from the issuing account for
	// voluntary work certified by an organisation.
	KindIssue TransferKind = "issue"
	// KindDonation moves credits from a member to the community pot.
	KindDonation TransferKind = "donation"
	// KindGrant moves credits from the community pot to a member.
	KindGrant TransferKind = "grant"
	// KindGroup is one payer to several receivers, or the reverse, in one
	// atomic transfer (a group activity).
	KindGroup TransferKind = "group"
	// KindReversal undoes a confirmed transfer; Reverses names it.
	KindReversal TransferKind = "reversal"
)

func (k TransferKind) valid() bool {
	switch k {
	case KindExchange, KindIssue, KindDonation, KindGrant, KindGroup, KindReversal:
		return true
	}
	return false
}

// Posting is one line of a transfer: an amount in minutes added to
// (positive) or taken from (negative) an account.
type Posting struct {
	Account string
	Amount  int64
}

// Transfer is an immutable, balanced movement of time between accounts:
// its postings sum to zero. A transfer is never changed or deleted; a
// mistake is corrected by a reversal that points at it.
type Transfer struct {
	ID       string
	Bank     string // the bank it was recorded in
	Kind     TransferKind
	Postings []Posting
	// At is the ledger time of the transfer: balances at a time t include
	// the transfers with At ≤ t. At never goes back for an account.
	At time.Time
	// Actor is the member who made the transfer happen.
	Actor string
	// Exchange is the exchange it pays for, if any.
	Exchange string
	// Reverses is the transfer a reversal undoes.
	Reverses string
	Memo     string
}

// Limits on one transfer, which keep every sum a store makes far from
// overflowing int64: MaxPostings postings of at most MaxAmount minutes
// (about two million years) each.
const (
	MaxPostings = 10_000
	MaxAmount   = 1 << 40
)

// Validate checks that t is well formed: an id, a known kind, two to
// MaxPostings postings on distinct accounts, no zero amounts and none
// beyond MaxAmount, a sum of zero.
func (t *Transfer) Validate() error {
	switch {
	case t.ID == "":
		return invalid("ID", "is required")
	case t.Bank == "":
		return invalid("Bank", "is required")
	case !t.Kind.valid():
		return invalid("Kind", "unknown transfer kind %q", t.Kind)
	case len(t.Postings) < 2:
		return invalid("Postings", "a transfer needs at least two postings, got %d", len(t.Postings))
	case len(t.Postings) > MaxPostings:
		return invalid("Postings", "a transfer has at most %d postings, got %d", MaxPostings, len(t.Postings))
	case t.At.IsZero():
		return invalid("At", "is required")
	case t.Kind == KindReversal && t.Reverses == "":
		return invalid("Reverses", "a reversal names the transfer it reverses")
	}
	var sum int64
	for i, p := range t.Postings {
		if p.Account == "" {
			return invalid("Postings", "posting %d has no account", i)
		}
		if p.Amount == 0 {
			return invalid("Postings", "posting %d to %s is zero", i, p.Account)
		}
		if p.Amount > MaxAmount || p.Amount < -MaxAmount {
			return invalid("Postings", "posting %d to %s is beyond %d minutes", i, p.Account, int64(MaxAmount))
		}
		for _, q := range t.Postings[:i] {
			if q.Account == p.Account {
				return invalid("Postings", "account %s appears twice", p.Account)
			}
		}
		sum += p.Amount
	}
	if sum != 0 {
		return invalid("Postings", "postings sum to %d minutes, not zero", sum)
	}
	return nil
}

// Entry is one line of an account's statement: a posting with the balance
// it left.
type Entry struct {
	Transfer string
	Account  string
	Kind     TransferKind
	Amount   int64     // minutes, positive in, negative out
	Balance  int64     // the account's balance after this entry
	At       time.Time // the transfer's At
	Memo     string
}

// Bounds are the balance limits a store enforces, atomically with the
// postings, for one account. A transfer that takes an account's balance
// down must leave it at or above Min; one that takes it up must leave it
// at or below Max. A nil bound is no limit.
type Bounds struct {
	Min *int64
	Max *int64
}

// Allows reports whether moving an account's balance from old by delta
// (the net of a transfer's postings to it) keeps within b. A transfer that
// moves the balance towards the allowed range is always allowed, even if it
// stays outside it (after limits were tightened).
func (b Bounds) Allows(old, delta int64) bool {
	n := old + delta
	if delta < 0 && b.Min != nil && n < *b.Min {
		return false
	}
	if delta > 0 && b.Max != nil && n > *b.Max {
		return false
	}
	return true
}
