package dementia

import (
	"log/slog"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Role is what a member of staff may do.
type Role string

// The roles.
const (
	// RoleAdmin grants roles.
	RoleAdmin Role = "admin"
	// RoleCoordinator runs the alliance and the recognition: members,
	// actions, meetings, communities, and reads contacts.
	RoleCoordinator Role = "coordinator"
	// RoleRecorder records counts: Dementia Friends, prevalence tables,
	// practice registers and QOF extracts.
	RoleRecorder Role = "recorder"
)

// Staff is a member of staff and their roles. An inactive member of staff
// holds no role.
type Staff struct {
	ID        string
	Roles     []Role
	Active    bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (s *Staff) has(r Role) bool { return s.Active && slices.Contains(s.Roles, r) }

// Area is one of the eight areas for action of BSI PAS 1365:2015.
type Area string

// The eight PAS 1365 areas.
const (
	AreaArts      Area = "arts"      // arts, culture, leisure and recreation
	AreaBusiness  Area = "business"  // businesses and shops
	AreaChildren  Area = "children"  // children, young people and students
	AreaCommunity Area = "community" // community, voluntary and faith groups
	AreaEmergency Area = "emergency" // emergency services
	AreaHealth    Area = "health"    // health and social care
	AreaHousing   Area = "housing"   // housing
	AreaTransport Area = "transport" // transport
)

// Areas returns the eight PAS 1365 areas, in the code's order.
func Areas() []Area {
	return []Area{AreaArts, AreaBusiness, AreaChildren, AreaCommunity, AreaEmergency, AreaHealth, AreaHousing, AreaTransport}
}

// Valid reports whether a is a PAS 1365 area.
func (a Area) Valid() bool { return slices.Contains(Areas(), a) }

// Sector is the sector an alliance member belongs to.
type Sector string

// The sectors.
const (
	SectorStatutory Sector = "statutory"
	SectorVoluntary Sector = "voluntary"
	SectorCommunity Sector = "community"
	SectorBusiness  Sector = "business"
)

// Sectors returns the sectors.
func Sectors() []Sector {
	return []Sector{SectorStatutory, SectorVoluntary, SectorCommunity, SectorBusiness}
}

// Member is an organisation that joined the Dementia Action Alliance, with
// its sector and the PAS 1365 areas it works in. Its contact is personal
// data: only a coordinator reads it, and erasing the member blanks it. An
// organisation joins once: its id is made from its name, so two joins of
// the same organisation cannot both succeed.
type Member struct {
	ID     string
	Name   string // the organisation's name
	Sector Sector
	Areas  []Area
	// Wards are the electoral wards the organisation works in or has
	// premises in, for the partnership's ward matrix (none when not
	// given).
	Wards   []string
	Contact Contact // personal data
	Joined  time.Time
	// Assessed holds the days the member completed its annual
	// self-assessment of its action plan, due before each anniversary of
	// joining.
	Assessed  []time.Time
	Erased    bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Contact is the person an organisation names as its contact.
type Contact struct {
	Name  string
	Email string
	Phone string
}

// String never shows the contact.
func (c Contact) String() string { return "contact (redacted)" }

// GoString keeps the contact out of %#v.
func (c Contact) GoString() string { return c.String() }

// LogValue logs nothing of the contact.
func (c Contact) LogValue() slog.Value { return slog.StringValue("redacted") }

// String returns the member's id.
func (m Member) String() string { return "member " + m.ID }

// GoString keeps the contact out of %#v.
func (m Member) GoString() string { return m.String() }

// LogValue logs the member by id.
func (m Member) LogValue() slog.Value { return slog.GroupValue(slog.String("id", m.ID)) }

// NewMember is what Join needs.
type NewMember struct {
	Name    string
	Sector  Sector
	Areas   []Area
	Wards   []string // where it works or has premises; optional
	Contact Contact
	Joined  time.Time // the day it joined
}

// String never shows the contact.
func (m NewMember) String() string { return "new member" }

// GoString keeps the contact out of %#v.
func (m NewMember) GoString() string { return m.String() }

// LogValue logs the sector only.
func (m NewMember) LogValue() slog.Value {
	return slog.GroupValue(slog.String("sector", string(m.Sector)))
}

// Status is where an action stands.
type Status string

// The statuses of an action.
const (
	StatusPlanned    Status = "planned"
	StatusInProgress Status = "in-progress"
	StatusDone       Status = "done"
	StatusDropped    Status = "dropped"
)

// Action is one action of a member's action plan: what, who owns it (a
// person: personal data, blanked when the member is erased), when it is
// due, where it stands, and the progress reported on it. A member has as
// many actions as it chooses. An action not done nor dropped by its due
// date is overdue.
type Action struct {
	ID        string
	Member    string
	Title     string
	Owner     string // personal data
	Due       time.Time
	Status    Status
	Progress  []Progress
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// String returns the action's id.
func (a Action) String() string { return "action " + a.ID }

// GoString keeps the owner out of %#v.
func (a Action) GoString() string { return a.String() }

// LogValue logs the action by id.
func (a Action) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", a.ID), slog.String("member", a.Member))
}

// Progress is one progress update on an action.
type Progress struct {
	On     time.Time
	Status Status
	Note   string
	By     string // the actor's id
}

// NewAction is what AddAction needs.
type NewAction struct {
	Member string
	Title  string
	Owner  string
	Due    time.Time
}

// String never shows the owner.
func (a NewAction) String() string { return "new action of " + a.Member }

// GoString keeps the owner out of %#v.
func (a NewAction) GoString() string { return a.String() }

// LogValue logs the member only.
func (a NewAction) LogValue() slog.Value { return slog.GroupValue(slog.String("member", a.Member)) }

// ActionUpdate is a progress report on an action: its new status (nil:
// unchanged) and a note.
type ActionUpdate struct {
	Status *Status
	Note   string
}

// Meeting is a meeting of the alliance and the members that attended.
type Meeting struct {
	ID        string
	On        time.Time
	Title     string
	Attended  []string // member ids
	Version   int64
	CreatedAt time.Time
}

// NewMeeting is what RecordMeeting needs.
type NewMeeting struct {
	On       time.Time
	Title    string
	Attended []string
}

// Criterion is one of the foundation criteria of recognition.
type Criterion string

// The foundation criteria.
const (
	CriterionGroup     Criterion = "local-group"    // form a local group
	CriterionLeader    Criterion = "leader"         // identify a leader
	CriterionAwareness Criterion = "awareness"      // raise awareness
	CriterionInvolve   Criterion = "involve-people" // involve people affected by dementia
	CriterionTell      Criterion = "tell-the-world" // tell the world about its work
)

// Criteria returns the foundation criteria.
func Criteria() []Criterion {
	return []Criterion{CriterionGroup, CriterionLeader, CriterionAwareness, CriterionInvolve, CriterionTell}
}

// Community is a community working towards recognition as dementia
// friendly. It registers, meets the foundation criteria (each met or not
// yet, with evidence), sends a progress update 6 months after registering
// and completes a self-assessment against the eight PAS 1365 areas before
// each anniversary of its registration. Every change is kept in its
// history, so progress shows year on year.
type Community struct {
	ID          string
	Name        string
	Registered  time.Time
	Criteria    []CriterionState
	Updates     []time.Time // progress updates sent
	Assessments []Assessment
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CriterionState is a foundation criterion's state from a date.
type CriterionState struct {
	Criterion Criterion
	Met       bool
	Evidence  string
	On        time.Time
}

// Assessment is a self-assessment: a score from 0 to 5 for each PAS 1365
// area the community assessed.
type Assessment struct {
	On     time.Time
	Scores map[Area]int
}

// NewCommunity is what RegisterCommunity needs.
type NewCommunity struct {
	Name       string
	Registered time.Time
}

// Source is how Dementia Friends were made.
type Source string

// The sources of Dementia Friends.
const (
	SourceSession Source = "session" // an information session run by a Champion
	SourceOnline  Source = "online"
)

// Friends is a count of Dementia Friends made on a date from one source
// (and, for sessions, by one Champion).
type Friends struct {
	ID        string
	On        time.Time
	Source    Source
	Champion  string // the Champion's id, for sessions
	Count     int64
	Version   int64
	CreatedAt time.Time
}

// Champion is a Dementia Friends Champion: a volunteer trained to run
// information sessions. The name is personal data: only a recorder or a
// coordinator reads it.
type Champion struct {
	ID        string
	Name      string // personal data
	Trained   time.Time
	Erased    bool
	Version   int64
	CreatedAt time.Time
}

// String returns the Champion's id.
func (c Champion) String() string { return "champion " + c.ID }

// GoString keeps the name out of %#v.
func (c Champion) GoString() string { return c.String() }

// LogValue logs the Champion by id.
func (c Champion) LogValue() slog.Value { return slog.GroupValue(slog.String("id", c.ID)) }

// NewChampion is what RegisterChampion needs: the Champion's id (the
// council's own, or Dementia Friends'), name and training date.
type NewChampion struct {
	ID      string
	Name    string
	Trained time.Time
}

// String never shows the name.
func (c NewChampion) String() string { return "new champion " + c.ID }

// GoString keeps the name out of %#v.
func (c NewChampion) GoString() string { return c.String() }

// LogValue logs the id only.
func (c NewChampion) LogValue() slog.Value { return slog.GroupValue(slog.String("id", c.ID)) }

// NewFriends is what RecordFriends needs.
type NewFriends struct {
	On       time.Time
	Source   Source
	Champion string
	Count    int64
}

// Sex is a sex as prevalence tables and registers count it.
type Sex string

// The sexes.
const (
	Female Sex = "female"
	Male   Sex = "male"
)

// Rate is the prevalence of dementia in an age band of one sex, as a
// proportion (0.017 for 1.7%).
type Rate struct {
	Band string // e.g. "65-69", "90+"
	Sex  Sex
	Rate decimal.Decimal
}

// Prevalence is a table of prevalence rates with its source (for example
// CFAS II). Each band has a rate for both sexes.
type Prevalence struct {
	ID        string
	Source    string
	Rates     []Rate
	Version   int64
	CreatedAt time.Time
}

// NewPrevalence is what LoadPrevalence needs.
type NewPrevalence struct {
	ID     string
	Source string
	Rates  []Rate
}

// BandCount is the number of registered patients of an age band and sex.
type BandCount struct {
	Band  string
	Sex   Sex
	Count int64
}

// Register is a practice's counts on a date: its registered population
// aged 65+ by band and sex, and the patients aged 65+ on its dementia
// register.
type Register struct {
	ID         string // practice and date
	Practice   string
	PCN        string
	On         time.Time
	Population []BandCount
	Diagnosed  int64
	Version    int64
	CreatedAt  time.Time
}

// NewRegister is what RecordRegister needs.
type NewRegister struct {
	Practice   string
	PCN        string
	On         time.Time
	Population []BandCount
	Diagnosed  int64
}

// Adjustments are QOF personalised care adjustments, by reason.
type Adjustments struct {
	Unsuitable  int64
	Dissent     int64 // informed dissent
	NoResponse  int64 // no response to invitations
	Unavailable int64 // service unavailable
	New         int64 // newly diagnosed or registered in the preceding 3 months
}

// Total returns the sum of the adjustments.
func (a Adjustments) Total() int64 {
	return a.Unsuitable + a.Dissent + a.NoResponse + a.Unavailable + a.New
}

// Review is a practice's DEM004-style counts for a year: patients whose
// care plan was reviewed face to face in the preceding 12 months
// (Numerator), the register, and the adjustments.
type Review struct {
	ID          string // practice and year
	Practice    string
	PCN         string
	Year        string // "2014/15"
	Numerator   int64
	Register    int64
	Adjustments Adjustments
	Version     int64
	CreatedAt   time.Time
}

// NewReview is what RecordReview needs.
type NewReview struct {
	Practice    string
	PCN         string
	Year        string
	Numerator   int64
	Register    int64
	Adjustments Adjustments
}
