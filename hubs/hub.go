package hubs

import (
	"fmt"
	"log/slog"
	"time"
)

// Hub is a community hub: a building run with the community, where public
// services, advice, groups and volunteers come together. Coordinators
// create and change hubs; its status history is kept, dated, so a hub
// that closed and re-opened shows both. A hub's visits may be recorded
// only from the date it first opened (Opened).
type Hub struct {
	ID       string
	Name     string
	Ward     string
	PCN      string // the Primary Care Network area
	Address  string
	Postcode string
	Lat      float64
	Long     float64
	// Opened is the date the hub first opened or re-opened; zero while it
	// is planned.
	Opened  time.Time
	Status  Status
	History []StatusChange // oldest first
	Hours   []Hours        // the days and hours it opens
	// Partners are the organisations that run services from the hub.
	Partners []string
	// Offer is the local offer the hub co-designed with residents: its
	// priorities, most important first, and the date they were agreed.
	Offer       []string
	OfferAgreed time.Time

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Status is where a hub is in its life.
type Status string

// A hub's statuses.
const (
	StatusPlanned  Status = "planned"
	StatusOpen     Status = "open"
	StatusReopened Status = "re-opened"
	StatusClosed   Status = "closed"
)

// valid reports whether s is one of the statuses.
func (s Status) valid() bool {
	switch s {
	case StatusPlanned, StatusOpen, StatusReopened, StatusClosed:
		return true
	}
	return false
}

// StatusChange is one dated step of a hub's history.
type StatusChange struct {
	Status Status    `json:"status,omitempty"`
	On     time.Time `json:"on,omitempty"` // the day it took effect
	By     string    `json:"by,omitempty"` // the actor who recorded it
}

// Hours is when a hub opens on one day of the week, as "HH:MM" local times.
type Hours struct {
	Day    time.Weekday `json:"day,omitempty"`
	Opens  string       `json:"opens,omitempty"`
	Closes string       `json:"closes,omitempty"`
}

// NewHub is what CreateHub needs.
type NewHub struct {
	Name     string
	Ward     string
	PCN      string
	Address  string
	Postcode string
	Lat      float64
	Long     float64
	// Status is planned, open or re-opened; with open or re-opened, On is
	// the date it (re-)opened.
	Status   Status
	On       time.Time
	Hours    []Hours
	Partners []string
}

// Staff is someone who works the library: an administrator, a hub
// coordinator, a recorder of counts, or a directory editor. Roles are
// granted by an administrator; the first administrator is made by
// Service.Bootstrap.
type Staff struct {
	ID        string
	Roles     []Role
	Active    bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Role is what a member of staff may do.
type Role string

// The roles.
const (
	// RoleAdmin grants roles and may do everything.
	RoleAdmin Role = "admin"
	// RoleCoordinator runs hubs: hubs, volunteers, surgeries, bookings,
	// placements, enterprises, and reads personal data.
	RoleCoordinator Role = "coordinator"
	// RoleRecorder records counts: visits, sessions, events, drop-ins. It
	// reads no personal data.
	RoleRecorder Role = "recorder"
	// RoleEditor edits the directory.
	RoleEditor Role = "editor"
)

// has reports whether the active staff member holds r (an admin holds all).
func (s *Staff) has(r Role) bool {
	if s == nil || !s.Active {
		return false
	}
	for _, x := range s.Roles {
		if x == r || x == RoleAdmin {
			return true
		}
	}
	return false
}

// Volunteer is a person registered to volunteer at a hub, with the roles
// they take and the training they have done. Their name and contacts are
// personal data: only coordinators read them, they are redacted in logs,
// and EraseVolunteer removes them while keeping the hours given.
type Volunteer struct {
	ID         string
	Hub        string
	Name       string
	Email      string
	Phone      string
	Roles      []string // e.g. "welcome desk", "digital helper"
	Training   []Training
	Registered time.Time // the day they registered
	Erased     bool

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// LogValue logs a volunteer by id only.
func (v Volunteer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", v.ID), slog.String("hub", v.Hub))
}

// String returns the volunteer's id, never their name.
func (v Volunteer) String() string { return "volunteer " + v.ID }

// GoString is String, so that %#v redacts too.
func (v Volunteer) GoString() string { return v.String() }

// Training is a course a volunteer completed.
type Training struct {
	Course    string    `json:"course,omitempty"`
	Completed time.Time `json:"completed,omitempty"`
}

// NewVolunteer is what RegisterVolunteer needs.
type NewVolunteer struct {
	Hub        string
	Name       string
	Email      string
	Phone      string
	Roles      []string
	Training   []Training
	Registered time.Time
}

// LogValue logs the hub only.
func (v NewVolunteer) LogValue() slog.Value { return slog.GroupValue(slog.String("hub", v.Hub)) }

// String names the hub only.
func (v NewVolunteer) String() string { return "new volunteer at " + v.Hub }

// GoString is String, so that %#v redacts too.
func (v NewVolunteer) GoString() string { return v.String() }

// Session is time a volunteer gave at a hub on a day. The app may bank it
// in a time bank as credits; this package only counts it.
type Session struct {
	ID        string
	Hub       string
	Volunteer string
	On        time.Time // the day
	Minutes   int64
	Role      string
	CreatedAt time.Time
	Version   int64
}

// NewSession is what RecordSession needs.
type NewSession struct {
	Volunteer string
	On        time.Time
	Minutes   int64
	Role      string
}

// Visit is a hub's count of visits on one day.
type Visit struct {
	ID        string // the hub and the day
	Hub       string
	On        time.Time
	Count     int64
	Method    CountMethod
	CreatedAt time.Time
	Version   int64
}

// CountMethod is how visits were counted.
type CountMethod string

// The ways visits are counted.
const (
	ByDoorCounter CountMethod = "door counter"
	ByTally       CountMethod = "tally"
)

// NewVisit is one day's count for RecordVisits.
type NewVisit struct {
	Hub    string
	On     time.Time
	Count  int64
	Method CountMethod
}

// Baseline is footfall measured before the hub, for comparison: for
// example the visits the building had in its previous occupation.
type Baseline struct {
	ID     string
	Hub    string
	Label  string // e.g. "previous occupation (library)"
	From   time.Time
	To     time.Time // inclusive
	Visits int64
	// Version and CreatedAt are kept by the store.
	Version   int64
	CreatedAt time.Time
}

// NewBaseline is what SetBaseline needs.
type NewBaseline struct {
	Hub    string
	Label  string
	From   time.Time
	To     time.Time
	Visits int64
}

// Group is an advisory or social group that meets at a hub.
type Group struct {
	ID        string
	Hub       string
	Name      string
	Kind      GroupKind
	Since     time.Time
	Until     time.Time // zero while it still meets
	Version   int64
	CreatedAt time.Time
}

// GroupKind says what a group is for.
type GroupKind string

// The kinds of group.
const (
	GroupAdvisory GroupKind = "advisory"
	GroupSocial   GroupKind = "social"
)

// NewGroup is what AddGroup needs.
type NewGroup struct {
	Hub   string
	Name  string
	Kind  GroupKind
	Since time.Time
}

// Event is something held at a hub on a day, with its attendance.
type Event struct {
	ID         string
	Hub        string
	Kind       EventKind
	Title      string
	On         time.Time
	Attendance int64
	Stalls     int64 // groups, activities and stalls taking part
	Version    int64
	CreatedAt  time.Time
}

// EventKind is what kind of event it is.
type EventKind string

// The kinds of event.
const (
	EventFair    EventKind = "fair"
	EventClub    EventKind = "club"
	EventCourse  EventKind = "course"
	EventSurgery EventKind = "surgery"
	EventOther   EventKind = "other"
)

// NewEvent is what RecordEvent needs.
type NewEvent struct {
	Hub        string
	Kind       EventKind
	Title      string
	On         time.Time
	Attendance int64
	Stalls     int64
}

// Room is a bookable room of a hub. One room never holds two overlapping
// surgeries.
type Room struct {
	ID        string
	Hub       string
	Name      string
	Version   int64
	CreatedAt time.Time
}

// Surgery is an advice surgery held in a room: from Starts to Ends, cut
// into slots of SlotMinutes, each with Capacity places to book. Drop-ins
// (people seen without a booking) are counted separately.
type Surgery struct {
	ID          string
	Hub         string
	Room        string
	Title       string
	Provider    string
	Starts      time.Time
	Ends        time.Time
	SlotMinutes int64
	Capacity    int64
	Booked      []int64 // places booked, per slot
	DropIns     int64
	Version     int64
	CreatedAt   time.Time
}

// Slots returns the number of slots.
func (s *Surgery) Slots() int {
	if s.SlotMinutes <= 0 {
		return 0
	}
	return int(s.Ends.Sub(s.Starts) / (time.Duration(s.SlotMinutes) * time.Minute))
}

// SlotStart returns when slot i starts.
func (s *Surgery) SlotStart(i int) time.Time {
	return s.Starts.Add(time.Duration(int64(i)*s.SlotMinutes) * time.Minute)
}

// NewSurgery is what ScheduleSurgery needs.
type NewSurgery struct {
	Room        string
	Title       string
	Provider    string
	Starts      time.Time
	Ends        time.Time
	SlotMinutes int64
	Capacity    int64
}

// Booking is a place in a surgery's slot, booked for a person. The
// booker's name and contact are personal data.
type Booking struct {
	ID        string
	Hub       string
	Surgery   string
	Slot      int
	Name      string
	Contact   string
	Status    BookingStatus
	Waiting   string // the waiting-list entry it was offered from, if any
	Erased    bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// LogValue logs a booking by id only.
func (b Booking) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", b.ID), slog.String("surgery", b.Surgery))
}

// String returns the booking's id, never the booker's name.
func (b Booking) String() string { return "booking " + b.ID }

// GoString is String, so that %#v redacts too.
func (b Booking) GoString() string { return b.String() }

// BookingStatus is where a booking is.
type BookingStatus string

// The booking statuses.
const (
	Booked    BookingStatus = "booked"
	Cancelled BookingStatus = "cancelled"
	Attended  BookingStatus = "attended"
)

// NewBooking is what Book needs.
type NewBooking struct {
	Surgery string
	Slot    int
	Name    string
	Contact string
}

// LogValue logs the surgery and slot only.
func (b NewBooking) LogValue() slog.Value {
	return slog.GroupValue(slog.String("surgery", b.Surgery), slog.Int("slot", b.Slot))
}

// String names the surgery and slot only.
func (b NewBooking) String() string { return "booking for " + b.Surgery }

// GoString is String, so that %#v redacts too.
func (b NewBooking) GoString() string { return b.String() }

// Waiting is a person on a surgery's waiting list. When a booking is
// cancelled, the first person still waiting gets the place.
type Waiting struct {
	ID        string
	Hub       string
	Surgery   string
	Name      string
	Contact   string
	Booking   string // the booking they were given, once given one
	Erased    bool
	Version   int64
	CreatedAt time.Time
}

// LogValue logs a waiting-list entry by id only.
func (w Waiting) LogValue() slog.Value { return slog.GroupValue(slog.String("id", w.ID)) }

// String returns the entry's id, never the person's name.
func (w Waiting) String() string { return "waiting " + w.ID }

// GoString is String, so that %#v redacts too.
func (w Waiting) GoString() string { return w.String() }

// Placement is a council volunteer placement: offered, perhaps filled,
// perhaps ended.
type Placement struct {
	ID        string
	Hub       string // where it is, if at a hub
	Title     string
	Offered   time.Time
	Filled    time.Time // zero while unfilled
	Ended     time.Time // zero while it runs
	Version   int64
	CreatedAt time.Time
}

// NewPlacement is what OfferPlacement needs.
type NewPlacement struct {
	Hub     string
	Title   string
	Offered time.Time
}

// Enterprise is a micro community enterprise. To be registered it must
// have at most the Service's maximum of paid or unpaid workers (eight
// unless WithMaxWorkers says otherwise) and be totally
// independent of any larger organisation. Its dated history shows when it
// joined and left the register, and why.
type Enterprise struct {
	ID          string
	Hub         string
	Name        string
	Paid        int64
	Unpaid      int64
	Independent bool
	Registered  bool
	History     []EnterpriseChange // oldest first
	Version     int64
	CreatedAt   time.Time
}

// DefaultMaxWorkers is the most paid and unpaid workers a micro-enterprise
// has, as Thurrock's programme defines one; WithMaxWorkers changes it.
const DefaultMaxWorkers = 8

// EnterpriseChange is one dated step of an enterprise's registration.
type EnterpriseChange struct {
	On         time.Time `json:"on,omitempty"`
	Registered bool      `json:"registered,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

// NewEnterprise is what RegisterEnterprise needs.
type NewEnterprise struct {
	Hub         string
	Name        string
	Paid        int64
	Unpaid      int64
	Independent bool
	On          time.Time
}

// EnterpriseUpdate changes an enterprise's workers or independence on a
// day; nil fields are unchanged.
type EnterpriseUpdate struct {
	Paid        *int64
	Unpaid      *int64
	Independent *bool
	On          time.Time
	Reason      string
}

// WorkOutcome records that a volunteer moved into work, with their consent.
type WorkOutcome struct {
	ID        string
	Hub       string
	Volunteer string
	On        time.Time
	Consent   bool
	Version   int64
	CreatedAt time.Time
}

// String says which fields the update sets, never the contacts it gives.
func (u VolunteerUpdate) String() string {
	var set []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"Email", u.Email != nil}, {"Phone", u.Phone != nil}, {"Roles", u.Roles != nil}, {"Training", u.Training != nil}} {
		if f.set {
			set = append(set, f.name)
		}
	}
	return fmt.Sprintf("volunteer update %v", set)
}

// GoString is String, so that %#v redacts too.
func (u VolunteerUpdate) GoString() string { return u.String() }

// LogValue logs which fields the update sets, never their values.
func (u VolunteerUpdate) LogValue() slog.Value { return slog.StringValue(u.String()) }
