// Package givingrec holds the stored format of the giving domain, shared
// by adapters/sqlite and adapters/postgres: explicit record types with
// JSON names (never the exported domain structs), in an envelope with a
// format version, and the rows a store indexes them by.
package givingrec

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Version is the format version of the records written now.
const Version = 1

// Kinds of record.
const (
	KindCampaign    = "campaign"
	KindStaff       = "staff"
	KindDonor       = "donor"
	KindDeclaration = "declaration"
	KindGift        = "gift"
	KindMatch       = "match"
	KindClaim       = "claim"
)

// Row is one record as a store keeps it.
type Row struct {
	Kind     string
	ID       string
	Campaign string // the campaign it belongs to ("" for staff)
	Donor    string // for declarations and gifts: the donor
	Version  int64
	Body     []byte
}

// IncomeRow is one line of income as a store keeps it.
type IncomeRow struct {
	Fund string
	Year int
	Body []byte
}

type envelope struct {
	V    int             `json:"v"`
	Kind string          `json:"kind"`
	Body json.RawMessage `json:"body"`
}

func encode(kind string, rec any) ([]byte, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("givingrec: encode %s: %w", kind, err)
	}
	return json.Marshal(envelope{V: Version, Kind: kind, Body: body})
}

func decode(kind string, data []byte, rec any) error {
	var e envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return fmt.Errorf("givingrec: decode %s: %w", kind, err)
	}
	if e.V != Version || e.Kind != kind {
		return fmt.Errorf("givingrec: decode %s: stored as %s format %d, this code reads format %d", kind, e.Kind, e.V, Version)
	}
	if err := json.Unmarshal(e.Body, rec); err != nil {
		return fmt.Errorf("givingrec: decode %s: %w", kind, err)
	}
	return nil
}

type stamp struct {
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	Version   int       `json:"version"`
}

type priorityRec struct {
	Name   string    `json:"name"`
	Agreed time.Time `json:"agreed"`
}

type championRec struct {
	Name         string `json:"name"`
	Organisation bool   `json:"organisation,omitempty"`
	Sector       string `json:"sector"`
}

type campaignRec struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Fund       string          `json:"fund"`
	Priorities []priorityRec   `json:"priorities"`
	Champions  []championRec   `json:"champions"`
	Money      decimal.Decimal `json:"target_money"`
	Volunteers int             `json:"target_volunteers"`
	Starts     time.Time       `json:"starts"`
	Ends       time.Time       `json:"ends"`
	stamp
}

type staffRec struct {
	ID     string   `json:"id"`
	Roles  []string `json:"roles"`
	Active bool     `json:"active"`
	stamp
}

type addressRec struct {
	House    string `json:"house,omitempty"`
	Line     string `json:"line,omitempty"`
	Postcode string `json:"postcode,omitempty"`
}

type donorRec struct {
	ID       string     `json:"id"`
	Campaign string     `json:"campaign"`
	Kind     string     `json:"kind"`
	Title    string     `json:"title,omitempty"`
	First    string     `json:"first,omitempty"`
	Last     string     `json:"last,omitempty"`
	Address  addressRec `json:"address"`
	Erased   bool       `json:"erased,omitempty"`
	stamp
}

type declarationRec struct {
	ID        string     `json:"id"`
	Donor     string     `json:"donor"`
	Charity   string     `json:"charity"`
	Title     string     `json:"title,omitempty"`
	First     string     `json:"first,omitempty"`
	Last      string     `json:"last,omitempty"`
	Address   addressRec `json:"address"`
	Covers    string     `json:"covers"`
	Gift      string     `json:"gift,omitempty"`
	From      time.Time  `json:"from"`
	To        time.Time  `json:"to"`
	Made      time.Time  `json:"made"`
	Asked     bool       `json:"asked"`
	TaxTold   bool       `json:"tax_told"`
	Oral      bool       `json:"oral,omitempty"`
	Recording string     `json:"recording,omitempty"`
	Sent      time.Time  `json:"sent"`
	Cancelled time.Time  `json:"cancelled"`
	Erased    bool       `json:"erased,omitempty"`
	stamp
}

type giftRec struct {
	ID          string          `json:"id"`
	Campaign    string          `json:"campaign"`
	Donor       string          `json:"donor"`
	Kind        string          `json:"kind"`
	Series      string          `json:"series,omitempty"`
	Priority    string          `json:"priority,omitempty"`
	Amount      decimal.Decimal `json:"amount"`
	Received    time.Time       `json:"received"`
	Refunded    decimal.Decimal `json:"refunded"`
	Benefit     bool            `json:"benefit,omitempty"`
	GiftAid     bool            `json:"gift_aid,omitempty"`
	Declaration string          `json:"declaration,omitempty"`
	Small       bool            `json:"small,omitempty"`
	Claim       string          `json:"claim,omitempty"`
	Claimed     decimal.Decimal `json:"claimed"`
	OverClaim   string          `json:"over_claim,omitempty"`
	Minutes     int64           `json:"minutes,omitempty"`
	Delivered   int64           `json:"delivered,omitempty"`
	Skill       string          `json:"skill,omitempty"`
	Rate        decimal.Decimal `json:"rate"`
	Pledged     time.Time       `json:"pledged"`
	stamp
}

type paymentRec struct {
	At     time.Time       `json:"at"`
	Amount decimal.Decimal `json:"amount"`
}

type matchRec struct {
	ID       string          `json:"id"`
	Campaign string          `json:"campaign"`
	Donor    string          `json:"donor"`
	Ratio    decimal.Decimal `json:"ratio"`
	Cap      decimal.Decimal `json:"cap"`
	From     time.Time       `json:"from"`
	To       time.Time       `json:"to"`
	Priority string          `json:"priority,omitempty"`
	Received decimal.Decimal `json:"received"`
	Payments []paymentRec    `json:"payments,omitempty"`
	stamp
}

type lineRec struct {
	Title      string          `json:"title,omitempty"`
	First      string          `json:"first,omitempty"`
	Last       string          `json:"last,omitempty"`
	House      string          `json:"house,omitempty"`
	Postcode   string          `json:"postcode,omitempty"`
	Aggregated string          `json:"aggregated,omitempty"`
	Sponsored  bool            `json:"sponsored,omitempty"`
	Date       time.Time       `json:"date"`
	Amount     decimal.Decimal `json:"amount"`
	Gifts      []string        `json:"gifts"`
}

type claimRec struct {
	ID        string          `json:"id"`
	Campaign  string          `json:"campaign"`
	Charity   string          `json:"charity"`
	Lines     []lineRec       `json:"lines"`
	Donations decimal.Decimal `json:"donations"`
	OverClaim decimal.Decimal `json:"over_claim"`
	Tax       decimal.Decimal `json:"tax"`
	Small     decimal.Decimal `json:"small"`
	SmallTax  decimal.Decimal `json:"small_tax"`
	Earliest  time.Time       `json:"earliest"`
	Made      time.Time       `json:"made"`
	Paid      time.Time       `json:"paid"`
	Erased    bool            `json:"erased,omitempty"`
	stamp
}

type incomeRec struct {
	Fund     string          `json:"fund"`
	Campaign string          `json:"campaign"`
	Year     int             `json:"year"`
	Priority string          `json:"priority,omitempty"`
	Source   string          `json:"source"`
	Amount   decimal.Decimal `json:"amount"`
	At       time.Time       `json:"at"`
	Ref      string          `json:"ref"`
}
