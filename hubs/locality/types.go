package locality

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Role is what a member of staff may do.
type Role string

// The roles.
const (
	// RoleAdmin grants roles and sets up areas.
	RoleAdmin Role = "admin"
	// RoleManager reads every programme's records, personal data included,
	// and may erase a person.
	RoleManager Role = "manager"
	// RoleCoordinator is a Local Area Coordinator: introduces people and
	// keeps the cases of their areas.
	RoleCoordinator Role = "coordinator"
	// RoleOrganiser is a Community Organiser: records listening, issues,
	// actions and networks in their wards.
	RoleOrganiser Role = "organiser"
	// RoleBuilder is a Community Builder: keeps the asset map, the gift
	// board, ideas fairs and Community of Practice events.
	RoleBuilder Role = "builder"
)

// Roles returns every role.
func Roles() []Role {
	return []Role{RoleAdmin, RoleManager, RoleCoordinator, RoleOrganiser, RoleBuilder}
}

// Programme is one of the locality programmes.
type Programme string

// The programmes.
const (
	LAC        Programme = "lac"        // Local Area Coordination
	Organisers Programme = "organisers" // Community Organisers
	Builders   Programme = "builders"   // ABCD Community Builders
)

// Programmes returns the programmes.
func Programmes() []Programme { return []Programme{LAC, Organisers, Builders} }

// Route is how a person came to a Local Area Coordinator.
type Route string

// The routes seed 002 lists.
const (
	RouteGP           Route = "gp"
	RouteCouncillor   Route = "councillor"
	RouteProfessional Route = "professional"
	RouteHub          Route = "community-hub"
	RouteHousing      Route = "housing-association"
	RouteResident     Route = "resident"
)

// Routes returns the routes of seed 002, in its order.
func Routes() []Route {
	return []Route{RouteGP, RouteCouncillor, RouteProfessional, RouteHub, RouteHousing, RouteResident}
}

// AgeBands returns the age bands a case is recorded in (never a date of
// birth).
func AgeBands() []string {
	return []string{"18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"}
}

// Confidence grades the evidence of an avoided event.
type Confidence string

// The grades, strongest first.
const (
	High   Confidence = "high"   // recorded by or checked with the service
	Medium Confidence = "medium" // a professional's report
	Low    Confidence = "low"    // the person's or worker's own account
)

// Confidences returns the grades, strongest first.
func Confidences() []Confidence { return []Confidence{High, Medium, Low} }

// Staff is a member of staff of the programmes.
type Staff struct {
	ID        string
	Roles     []Role
	Active    bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (s *Staff) has(r Role) bool { return s.Active && slices.Contains(s.Roles, r) }

// Area is where a programme works: a Local Area Coordinator's area, an
// organiser's ward patch with its Community First panel, or a Community
// Builder's locality.
type Area struct {
	ID        string
	Name      string
	Programme Programme
	// Wards are the electoral wards the area covers.
	Wards []string
	// Panel names the Community First panel (organisers).
	Panel string
	// Worker is the member of staff working the area.
	Worker    string
	Since     time.Time
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Goal is one goal a good-life conversation set.
type Goal struct {
	ID   string
	Text string
	Set  time.Time
	Met  *time.Time
}

// Conversation is a "what a good life looks like" conversation.
type Conversation struct {
	On    time.Time
	Notes string
	Goals []string // ids of the goals it set
}

// ConnectionKind is what a person was connected to.
type ConnectionKind string

// The kinds of connection.
const (
	ToPerson  ConnectionKind = "person"
	ToGroup   ConnectionKind = "group"
	ToService ConnectionKind = "service" // a directory listing
)

// Connection is a connection a coordinator or a gift board made.
type Connection struct {
	On   time.Time
	Kind ConnectionKind
	// To is a directory listing id (ToService), or a name.
	To   string
	Note string
}

// Coordination is a service coordinated across boundaries.
type Coordination struct {
	On       time.Time
	Service  string
	Agencies []string
}

// Case is a person introduced to a Local Area Coordinator and the work
// with them, from introduction to close.
type Case struct {
	ID          string
	Area        string
	Coordinator string
	// Person is the person's id; the case id unless the caller gave one.
	Person        string
	Route         Route
	AgeBand       string
	Name          string
	Contact       string
	Introduced    time.Time
	Conversations []Conversation
	Goals         []Goal
	Connections   []Connection
	Coordinated   []Coordination
	// Closed is when the case closed; nil while open.
	Closed       *time.Time
	Outcome      string
	Story        string
	StoryConsent bool
	Erased       bool
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Avoided is a use of a service that a case made unnecessary: Quantity
// units of a unit cost (an id outcomes/costs knows, such as
// "day-care-session"), with evidence and its confidence.
type Avoided struct {
	ID         string
	Case       string
	Area       string
	Person     string
	On         time.Time
	Unit       string
	Quantity   decimal.Decimal
	Evidence   string
	Confidence Confidence
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Listening is a count of an organiser's listening conversations in a ward
// over a period, with the themes raised. Resident is set only when the one
// resident it records agreed to be named.
type Listening struct {
	ID            string
	Area          string
	Ward          string
	From, To      time.Time
	Conversations int64
	Themes        []string
	Resident      string
	ResidentName  string
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Action is what residents did about an issue, and what came of it.
type Action struct {
	ID      string
	On      time.Time
	Title   string
	Outcome string
	Done    *time.Time
}

// Issue is an issue residents raised in listening, and its actions.
type Issue struct {
	ID        string
	Area      string
	Ward      string
	Raised    time.Time
	Title     string
	Themes    []string
	Actions   []Action
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Network counts the listeners and activists of a ward on a date.
type Network struct {
	ID        string
	Area      string
	Ward      string
	On        time.Time
	Listeners int64
	Activists int64
	Version   int64
	CreatedAt time.Time
}

// AssetKind is what an asset of the map is.
type AssetKind string

// The kinds of asset.
const (
	GiftAsset   AssetKind = "gift" // a person's gift
	Skill       AssetKind = "skill"
	Association AssetKind = "association"
	Place       AssetKind = "place"
)

// AssetKinds returns the kinds of asset.
func AssetKinds() []AssetKind { return []AssetKind{GiftAsset, Skill, Association, Place} }

// Asset is an entry of a locality's strength-based asset map. A gift or
// skill is a person's and is kept only with their consent.
type Asset struct {
	ID          string
	Area        string
	Ward        string
	Kind        AssetKind
	Name        string
	Description string
	Person      string
	PersonName  string
	Consent     bool
	// Listing is the directory entry the asset became ("" if none).
	Listing   string
	Erased    bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// GiftKind says whether a gift-board card offers or asks.
type GiftKind string

// The kinds of gift-board card.
const (
	Offer   GiftKind = "offer"
	Request GiftKind = "request"
)

// Gift is a gift-board card: an offer or a request, and the card it was
// matched with.
type Gift struct {
	ID         string
	Area       string
	Ward       string
	Kind       GiftKind
	Text       string
	Person     string
	PersonName string
	Posted     time.Time
	Match      string
	Matched    *time.Time
	Erased     bool
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Fair is an ideas fair: who came, the ideas raised and the connections
// they led to.
type Fair struct {
	ID          string
	Area        string
	Ward        string
	On          time.Time
	Place       string
	Attendance  int64
	Ideas       int64
	Connections int64
	Version     int64
	CreatedAt   time.Time
}

// Practice is a Community of Practice event. HubEvent names the hubs
// event it was, when it was one.
type Practice struct {
	ID         string
	Area       string
	Ward       string
	On         time.Time
	Place      string
	Attendance int64
	HubEvent   string
	Version    int64
	CreatedAt  time.Time
}
