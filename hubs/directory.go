package hubs

import (
	"time"

	"github.com/shopspring/decimal"
)

// Organization is an organisation that runs services in the directory
// (HSDS organization).
type Organization struct {
	ID          string // a UUID
	Name        string
	Description string
	Email       string
	Website     string
	Phone       string
	Version     int64
	UpdatedAt   time.Time
}

// Listing is a service in the directory (HSDS service): what an
// organisation offers, when, where, to whom and at what cost. Editors
// write it; anyone may read it.
type Listing struct {
	ID             string // a UUID
	OrganizationID string
	Name           string
	Description    string
	URL            string
	Email          string
	Status         string // HSDS service status: "active", "inactive", "defunct", "temporarily closed"
	MinimumAge     *int   // eligibility: the youngest served, if limited
	MaximumAge     *int   // the oldest served, if limited
	Schedules      []Schedule
	Contacts       []Contact
	Costs          []CostOption
	TermIDs        []string            // taxonomy terms it is classified by
	AtLocations    []ServiceAtLocation // where it is delivered
	Version        int64
	UpdatedAt      time.Time // HSDS last_modified
}

// Schedule is when a service runs, as an iCal-style recurrence (HSDS
// schedule): every week (Freq "WEEKLY") on ByDay ("MO,WE"), from OpensAt
// to ClosesAt ("HH:MM").
type Schedule struct {
	ID          string    `json:"id,omitempty"`
	Freq        string    `json:"freq,omitempty"`
	ByDay       string    `json:"by_day,omitempty"`
	OpensAt     string    `json:"opens_at,omitempty"`
	ClosesAt    string    `json:"closes_at,omitempty"`
	ValidFrom   time.Time `json:"valid_from,omitempty"`
	ValidTo     time.Time `json:"valid_to,omitempty"`
	Description string    `json:"description,omitempty"`
}

// Contact is a named contact of a service (HSDS contact).
type Contact struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// CostOption is what a service costs (HSDS cost_option); a nil Amount is
// free or by arrangement, as Option says.
type CostOption struct {
	ID       string           `json:"id,omitempty"`
	Option   string           `json:"option,omitempty"`
	Amount   *decimal.Decimal `json:"amount,omitempty"`
	Currency string           `json:"currency,omitempty"` // ISO 4217, "GBP"
}

// ServiceAtLocation links a service to a location where it is delivered
// (HSDS service_at_location).
type ServiceAtLocation struct {
	ID         string `json:"id,omitempty"`
	LocationID string `json:"location_id,omitempty"`
}

// Location is a place services are delivered (HSDS location with its
// physical address).
type Location struct {
	ID   string // a UUID
	Name string
	// LocationType is HSDS location_type: "physical" (the default),
	// "postal" or "virtual".
	LocationType string
	Description  string
	Address1     string
	City         string
	Postcode     string
	Lat          float64
	Long         float64
	Ward         string
	PCN          string
	Hub          string // the hub it is part of, if any
	Version      int64
	UpdatedAt    time.Time
}

// TaxonomyTerm is a term services are classified by (HSDS taxonomy_term).
// Code is the term's code in its taxonomy; Service.Activities matches a
// need to the terms whose Code is the need.
type TaxonomyTerm struct {
	ID          string // a UUID
	Code        string
	Name        string
	Description string
	ParentID    string
	Taxonomy    string
	Version     int64
	UpdatedAt   time.Time
}

// Postcode is a postcode's centroid, loaded by the app from a postcode
// directory, used to measure distances.
type Postcode struct {
	ID      string // the postcode, upper case, one space: "RM15 5AA"
	Lat     float64
	Long    float64
	Version int64
}

// NewOrganization is what AddOrganization needs.
type NewOrganization struct {
	Name        string
	Description string
	Email       string
	Website     string
	Phone       string
}

// NewLocation is what AddLocation needs.
type NewLocation struct {
	Name         string
	LocationType string // "physical" when empty
	Description  string
	Address1     string
	City         string
	Postcode     string
	Lat          float64
	Long         float64
	Ward         string
	PCN          string
	Hub          string
}

// NewTerm is what AddTerm needs.
type NewTerm struct {
	Code        string
	Name        string
	Description string
	ParentID    string
	Taxonomy    string
}

// NewListing is what AddListing needs. Ids of schedules, contacts, costs
// and service-at-location links are made by the Service.
type NewListing struct {
	OrganizationID string
	Name           string
	Description    string
	URL            string
	Email          string
	Status         string
	MinimumAge     *int
	MaximumAge     *int
	Schedules      []Schedule
	Contacts       []Contact
	Costs          []CostOption
	TermIDs        []string
	LocationIDs    []string
}

// ListingFilter is what a Store's Listings narrows by; empty fields do not
// filter. Text matches listings whose name or description hold every
// word of it (case-insensitive, whole words).
type ListingFilter struct {
	Text           string
	TermID         string
	OrganizationID string
	Limit          int // 0: no limit
}

// Query is a directory search. Every field set narrows it (AND).
type Query struct {
	Text   string // words the name or description holds
	TermID string // a taxonomy term
	Area   string // a ward or PCN one of its locations is in
	Age    *int   // a person's age it serves
	// Day and At: open on that weekday (and at that "HH:MM", if At is set).
	Day *time.Weekday
	At  string
	// Postcode and Within: a location within Within metres of the
	// postcode's centroid (Within 0: any distance, sorted by it).
	Postcode string
	Within   int
	// Offset skips that many hits; Limit returns at most that many (0:
	// 50; below 0: every hit, for a caller that pages them itself).
	Offset int
	Limit  int
}

// Hit is a listing found by Search, with its nearest location's distance
// from the query's postcode in metres (-1 without a postcode).
type Hit struct {
	Listing *Listing
	Metres  int
}

// ActivityQuery asks for activities meeting any of Needs near Area: it has
// the shape of prescribing.ActivityQuery, in this package's types.
type ActivityQuery struct {
	Needs []string
	Area  string
}

// Activity is a listing as the social prescribing pilot sees it: it has
// the shape of prescribing.Activity. Metres is -1: an area has no
// centroid.
type Activity struct {
	ID     string
	Name   string
	Area   string
	Needs  []string
	Metres int
}
