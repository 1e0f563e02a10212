// The record types mirror the hubs types field for field, so that
// converting one to the other fails to compile when a hubs type changes
// shape: a change to the stored format is then made here, on purpose. The
// records that hold lists of nested values (Hub, Volunteer, Enterprise,
// Listing) hold them as record types too and are converted field by field
// (convert.go); a test checks that their fields match the hubs types'.

package hubsrec

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/hubs"
)

// Staff is the stored form of hubs.Staff: the same fields, named for JSON.
type Staff struct {
	ID        string      `json:"id,omitempty"`
	Roles     []hubs.Role `json:"roles,omitempty"`
	Active    bool        `json:"active,omitempty"`
	Version   int64       `json:"version,omitempty"`
	CreatedAt time.Time   `json:"created_at,omitempty"`
	UpdatedAt time.Time   `json:"updated_at,omitempty"`
}

// Hub is the stored form of hubs.Hub: the same fields, named for JSON.
type Hub struct {
	ID          string         `json:"id,omitempty"`
	Name        string         `json:"name,omitempty"`
	Ward        string         `json:"ward,omitempty"`
	PCN         string         `json:"pcn,omitempty"`
	Address     string         `json:"address,omitempty"`
	Postcode    string         `json:"postcode,omitempty"`
	Lat         float64        `json:"lat,omitempty"`
	Long        float64        `json:"long,omitempty"`
	Opened      time.Time      `json:"opened,omitempty"`
	Status      hubs.Status    `json:"status,omitempty"`
	History     []StatusChange `json:"history,omitempty"`
	Hours       []Hours        `json:"hours,omitempty"`
	Partners    []string       `json:"partners,omitempty"`
	Offer       []string       `json:"offer,omitempty"`
	OfferAgreed time.Time      `json:"offer_agreed,omitempty"`
	Version     int64          `json:"version,omitempty"`
	CreatedAt   time.Time      `json:"created_at,omitempty"`
	UpdatedAt   time.Time      `json:"updated_at,omitempty"`
}

// Volunteer is the stored form of hubs.Volunteer: the same fields, named for JSON.
type Volunteer struct {
	ID         string     `json:"id,omitempty"`
	Hub        string     `json:"hub,omitempty"`
	Name       string     `json:"name,omitempty"`
	Email      string     `json:"email,omitempty"`
	Phone      string     `json:"phone,omitempty"`
	Roles      []string   `json:"roles,omitempty"`
	Training   []Training `json:"training,omitempty"`
	Registered time.Time  `json:"registered,omitempty"`
	Erased     bool       `json:"erased,omitempty"`
	Version    int64      `json:"version,omitempty"`
	CreatedAt  time.Time  `json:"created_at,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at,omitempty"`
}

// Session is the stored form of hubs.Session: the same fields, named for JSON.
type Session struct {
	ID        string    `json:"id,omitempty"`
	Hub       string    `json:"hub,omitempty"`
	Volunteer string    `json:"volunteer,omitempty"`
	On        time.Time `json:"on,omitempty"`
	Minutes   int64     `json:"minutes,omitempty"`
	Role      string    `json:"role,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
	Version   int64     `json:"version,omitempty"`
}

// Visit is the stored form of hubs.Visit: the same fields, named for JSON.
type Visit struct {
	ID        string           `json:"id,omitempty"`
	Hub       string           `json:"hub,omitempty"`
	On        time.Time        `json:"on,omitempty"`
	Count     int64            `json:"count,omitempty"`
	Method    hubs.CountMethod `json:"method,omitempty"`
	CreatedAt time.Time        `json:"created_at,omitempty"`
	Version   int64            `json:"version,omitempty"`
}

// Baseline is the stored form of hubs.Baseline: the same fields, named for JSON.
type Baseline struct {
	ID        string    `json:"id,omitempty"`
	Hub       string    `json:"hub,omitempty"`
	Label     string    `json:"label,omitempty"`
	From      time.Time `json:"from,omitempty"`
	To        time.Time `json:"to,omitempty"`
	Visits    int64     `json:"visits,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
}

// Group is the stored form of hubs.Group: the same fields, named for JSON.
type Group struct {
	ID        string         `json:"id,omitempty"`
	Hub       string         `json:"hub,omitempty"`
	Name      string         `json:"name,omitempty"`
	Kind      hubs.GroupKind `json:"kind,omitempty"`
	Since     time.Time      `json:"since,omitempty"`
	Until     time.Time      `json:"until,omitempty"`
	Version   int64          `json:"version,omitempty"`
	CreatedAt time.Time      `json:"created_at,omitempty"`
}

// Event is the stored form of hubs.Event: the same fields, named for JSON.
type Event struct {
	ID         string         `json:"id,omitempty"`
	Hub        string         `json:"hub,omitempty"`
	Kind       hubs.EventKind `json:"kind,omitempty"`
	Title      string         `json:"title,omitempty"`
	On         time.Time      `json:"on,omitempty"`
	Attendance int64          `json:"attendance,omitempty"`
	Stalls     int64          `json:"stalls,omitempty"`
	Version    int64          `json:"version,omitempty"`
	CreatedAt  time.Time      `json:"created_at,omitempty"`
}

// Room is the stored form of hubs.Room: the same fields, named for JSON.
type Room struct {
	ID        string    `json:"id,omitempty"`
	Hub       string    `json:"hub,omitempty"`
	Name      string    `json:"name,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
}

// Surgery is the stored form of hubs.Surgery: the same fields, named for JSON.
type Surgery struct {
	ID          string    `json:"id,omitempty"`
	Hub         string    `json:"hub,omitempty"`
	Room        string    `json:"room,omitempty"`
	Title       string    `json:"title,omitempty"`
	Provider    string    `json:"provider,omitempty"`
	Starts      time.Time `json:"starts,omitempty"`
	Ends        time.Time `json:"ends,omitempty"`
	SlotMinutes int64     `json:"slot_minutes,omitempty"`
	Capacity    int64     `json:"capacity,omitempty"`
	Booked      []int64   `json:"booked,omitempty"`
	DropIns     int64     `json:"drop_ins,omitempty"`
	Version     int64     `json:"version,omitempty"`
	CreatedAt   time.Time `json:"created_at,omitempty"`
}

// Booking is the stored form of hubs.Booking: the same fields, named for JSON.
type Booking struct {
	ID        string             `json:"id,omitempty"`
	Hub       string             `json:"hub,omitempty"`
	Surgery   string             `json:"surgery,omitempty"`
	Slot      int                `json:"slot,omitempty"`
	Name      string             `json:"name,omitempty"`
	Contact   string             `json:"contact,omitempty"`
	Status    hubs.BookingStatus `json:"status,omitempty"`
	Waiting   string             `json:"waiting,omitempty"`
	Erased    bool               `json:"erased,omitempty"`
	Version   int64              `json:"version,omitempty"`
	CreatedAt time.Time          `json:"created_at,omitempty"`
	UpdatedAt time.Time          `json:"updated_at,omitempty"`
}

// Waiting is the stored form of hubs.Waiting: the same fields, named for JSON.
type Waiting struct {
	ID        string    `json:"id,omitempty"`
	Hub       string    `json:"hub,omitempty"`
	Surgery   string    `json:"surgery,omitempty"`
	Name      string    `json:"name,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	Booking   string    `json:"booking,omitempty"`
	Erased    bool      `json:"erased,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
}

// Placement is the stored form of hubs.Placement: the same fields, named for JSON.
type Placement struct {
	ID        string    `json:"id,omitempty"`
	Hub       string    `json:"hub,omitempty"`
	Title     string    `json:"title,omitempty"`
	Offered   time.Time `json:"offered,omitempty"`
	Filled    time.Time `json:"filled,omitempty"`
	Ended     time.Time `json:"ended,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
}

// Enterprise is the stored form of hubs.Enterprise: the same fields, named for JSON.
type Enterprise struct {
	ID          string             `json:"id,omitempty"`
	Hub         string             `json:"hub,omitempty"`
	Name        string             `json:"name,omitempty"`
	Paid        int64              `json:"paid,omitempty"`
	Unpaid      int64              `json:"unpaid,omitempty"`
	Independent bool               `json:"independent,omitempty"`
	Registered  bool               `json:"registered,omitempty"`
	History     []EnterpriseChange `json:"history,omitempty"`
	Version     int64              `json:"version,omitempty"`
	CreatedAt   time.Time          `json:"created_at,omitempty"`
}

// WorkOutcome is the stored form of hubs.WorkOutcome: the same fields, named for JSON.
type WorkOutcome struct {
	ID        string    `json:"id,omitempty"`
	Hub       string    `json:"hub,omitempty"`
	Volunteer string    `json:"volunteer,omitempty"`
	On        time.Time `json:"on,omitempty"`
	Consent   bool      `json:"consent,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
}

// Organization is the stored form of hubs.Organization: the same fields, named for JSON.
type Organization struct {
	ID          string    `json:"id,omitempty"`
	Name        string    `json:"name,omitempty"`
	Description string    `json:"description,omitempty"`
	Email       string    `json:"email,omitempty"`
	Website     string    `json:"website,omitempty"`
	Phone       string    `json:"phone,omitempty"`
	Version     int64     `json:"version,omitempty"`
	UpdatedAt   time.Time `json:"updated_at,omitempty"`
}

// Listing is the stored form of hubs.Listing: the same fields, named for JSON.
type Listing struct {
	ID             string              `json:"id,omitempty"`
	OrganizationID string              `json:"organization_id,omitempty"`
	Name           string              `json:"name,omitempty"`
	Description    string              `json:"description,omitempty"`
	URL            string              `json:"url,omitempty"`
	Email          string              `json:"email,omitempty"`
	Status         string              `json:"status,omitempty"`
	MinimumAge     *int                `json:"minimum_age,omitempty"`
	MaximumAge     *int                `json:"maximum_age,omitempty"`
	Schedules      []Schedule          `json:"schedules,omitempty"`
	Contacts       []Contact           `json:"contacts,omitempty"`
	Costs          []CostOption        `json:"costs,omitempty"`
	TermIDs        []string            `json:"term_ids,omitempty"`
	AtLocations    []ServiceAtLocation `json:"at_locations,omitempty"`
	Version        int64               `json:"version,omitempty"`
	UpdatedAt      time.Time           `json:"updated_at,omitempty"`
}

// Location is the stored form of hubs.Location: the same fields, named for JSON.
type Location struct {
	ID           string    `json:"id,omitempty"`
	Name         string    `json:"name,omitempty"`
	LocationType string    `json:"location_type,omitempty"`
	Description  string    `json:"description,omitempty"`
	Address1     string    `json:"address1,omitempty"`
	City         string    `json:"city,omitempty"`
	Postcode     string    `json:"postcode,omitempty"`
	Lat          float64   `json:"lat,omitempty"`
	Long         float64   `json:"long,omitempty"`
	Ward         string    `json:"ward,omitempty"`
	PCN          string    `json:"pcn,omitempty"`
	Hub          string    `json:"hub,omitempty"`
	Version      int64     `json:"version,omitempty"`
	UpdatedAt    time.Time `json:"updated_at,omitempty"`
}

// TaxonomyTerm is the stored form of hubs.TaxonomyTerm: the same fields, named for JSON.
type TaxonomyTerm struct {
	ID          string    `json:"id,omitempty"`
	Code        string    `json:"code,omitempty"`
	Name        string    `json:"name,omitempty"`
	Description string    `json:"description,omitempty"`
	ParentID    string    `json:"parent_id,omitempty"`
	Taxonomy    string    `json:"taxonomy,omitempty"`
	Version     int64     `json:"version,omitempty"`
	UpdatedAt   time.Time `json:"updated_at,omitempty"`
}

// Postcode is the stored form of hubs.Postcode: the same fields, named for JSON.
type Postcode struct {
	ID      string  `json:"id,omitempty"`
	Lat     float64 `json:"lat,omitempty"`
	Long    float64 `json:"long,omitempty"`
	Version int64   `json:"version,omitempty"`
}

// StatusChange is the stored form of hubs.StatusChange.
type StatusChange struct {
	Status hubs.Status `json:"status,omitempty"`
	On     time.Time   `json:"on,omitempty"`
	By     string      `json:"by,omitempty"`
}

// Hours is the stored form of hubs.Hours.
type Hours struct {
	Day    time.Weekday `json:"day,omitempty"`
	Opens  string       `json:"opens,omitempty"`
	Closes string       `json:"closes,omitempty"`
}

// Training is the stored form of hubs.Training.
type Training struct {
	Course    string    `json:"course,omitempty"`
	Completed time.Time `json:"completed,omitempty"`
}

// EnterpriseChange is the stored form of hubs.EnterpriseChange.
type EnterpriseChange struct {
	On         time.Time `json:"on,omitempty"`
	Registered bool      `json:"registered,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

// Schedule is the stored form of hubs.Schedule.
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

// Contact is the stored form of hubs.Contact.
type Contact struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// CostOption is the stored form of hubs.CostOption.
type CostOption struct {
	ID       string           `json:"id,omitempty"`
	Option   string           `json:"option,omitempty"`
	Amount   *decimal.Decimal `json:"amount,omitempty"`
	Currency string           `json:"currency,omitempty"`
}

// ServiceAtLocation is the stored form of hubs.ServiceAtLocation.
type ServiceAtLocation struct {
	ID         string `json:"id,omitempty"`
	LocationID string `json:"location_id,omitempty"`
}
