package timebank

import "time"

// Exchange records that one member gave another help: who gave, who
// received, how many minutes, when and of what kind. It starts pending and
// holds nothing; when confirmed (as the bank's Confirmation says) a transfer
// pays the giver from the receiver's account. A coordinator may void a
// pending exchange, or reverse a confirmed one with a compensating transfer
// that points at the original, which is never changed.
type Exchange struct {
	ID          string
	Bank        string
	Giver       string // member who gave help and earns the credits
	Receiver    string // member who received help and pays
	Minutes     int64
	Date        time.Time // when the help was given
	Category    string    // e.g. "gardening", "befriending", "lifts"
	Description string
	Listing     string // the offer or request it answers, if any

	Status            ExchangeStatus
	GiverConfirmed    *Stamp
	ReceiverConfirmed *Stamp
	Approved          *Stamp // a coordinator's approval
	Transfer          string // the transfer that paid it, once confirmed
	Reversal          string // the transfer that reversed it, if reversed
	Reason            string // why it was voided or reversed

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// Stamp records who confirmed or approved, and when.
type Stamp struct {
	By string
	At time.Time
}

// ExchangeStatus is where an exchange is in its lifecycle.
type ExchangeStatus string

// Exchange statuses.
const (
	Pending   ExchangeStatus = "pending"
	Confirmed ExchangeStatus = "confirmed"
	Voided    ExchangeStatus = "voided"
	Reversed  ExchangeStatus = "reversed"
)

// Listing is an offer of help or a request for it, which members browse to
// find each other. An exchange may name the listing it answers.
type Listing struct {
	ID          string
	Bank        string
	Member      string
	Kind        ListingKind
	Category    string
	Title       string
	Description string
	Open        bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	UpdatedBy   string
	Version     int64
}

// ListingKind says whether a listing offers or asks for help.
type ListingKind string

// Listing kinds.
const (
	Offer   ListingKind = "offer"
	Request ListingKind = "request"
)
