// The record types mirror the locality types field for field, so that
// converting one to the other fails to compile when a locality type
// changes shape: a change to the stored format is then made here, on
// purpose.

package localityrec

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/hubs/locality"
)

// Staff is the stored form of locality.Staff.
type Staff struct {
	ID        string          `json:"id,omitempty"`
	Roles     []locality.Role `json:"roles,omitempty"`
	Active    bool            `json:"active,omitempty"`
	Version   int64           `json:"version,omitempty"`
	CreatedAt time.Time       `json:"created_at,omitempty"`
	UpdatedAt time.Time       `json:"updated_at,omitempty"`
}

// Area is the stored form of locality.Area.
type Area struct {
	ID        string             `json:"id,omitempty"`
	Name      string             `json:"name,omitempty"`
	Programme locality.Programme `json:"programme,omitempty"`
	Wards     []string           `json:"wards,omitempty"`
	Panel     string             `json:"panel,omitempty"`
	Worker    string             `json:"worker,omitempty"`
	Since     time.Time          `json:"since,omitempty"`
	Version   int64              `json:"version,omitempty"`
	CreatedAt time.Time          `json:"created_at,omitempty"`
	UpdatedAt time.Time          `json:"updated_at,omitempty"`
}

// Goal is the stored form of locality.Goal.
type Goal struct {
	ID   string     `json:"id,omitempty"`
	Text string     `json:"text,omitempty"`
	Set  time.Time  `json:"set,omitempty"`
	Met  *time.Time `json:"met,omitempty"`
}

// Conversation is the stored form of locality.Conversation.
type Conversation struct {
	On    time.Time `json:"on,omitempty"`
	Notes string    `json:"notes,omitempty"`
	Goals []string  `json:"goals,omitempty"`
}

// Connection is the stored form of locality.Connection.
type Connection struct {
	On   time.Time               `json:"on,omitempty"`
	Kind locality.ConnectionKind `json:"kind,omitempty"`
	To   string                  `json:"to,omitempty"`
	Note string                  `json:"note,omitempty"`
}

// Coordination is the stored form of locality.Coordination.
type Coordination struct {
	On       time.Time `json:"on,omitempty"`
	Service  string    `json:"service,omitempty"`
	Agencies []string  `json:"agencies,omitempty"`
}

// Case is the stored form of locality.Case.
type Case struct {
	ID            string         `json:"id,omitempty"`
	Area          string         `json:"area,omitempty"`
	Coordinator   string         `json:"coordinator,omitempty"`
	Person        string         `json:"person,omitempty"`
	Route         locality.Route `json:"route,omitempty"`
	AgeBand       string         `json:"age_band,omitempty"`
	Name          string         `json:"name,omitempty"`
	Contact       string         `json:"contact,omitempty"`
	Introduced    time.Time      `json:"introduced,omitempty"`
	Conversations []Conversation `json:"conversations,omitempty"`
	Goals         []Goal         `json:"goals,omitempty"`
	Connections   []Connection   `json:"connections,omitempty"`
	Coordinated   []Coordination `json:"coordinated,omitempty"`
	Closed        *time.Time     `json:"closed,omitempty"`
	Outcome       string         `json:"outcome,omitempty"`
	Story         string         `json:"story,omitempty"`
	StoryConsent  bool           `json:"story_consent,omitempty"`
	Erased        bool           `json:"erased,omitempty"`
	Version       int64          `json:"version,omitempty"`
	CreatedAt     time.Time      `json:"created_at,omitempty"`
	UpdatedAt     time.Time      `json:"updated_at,omitempty"`
}

// Avoided is the stored form of locality.Avoided.
type Avoided struct {
	ID         string              `json:"id,omitempty"`
	Case       string              `json:"case,omitempty"`
	Area       string              `json:"area,omitempty"`
	Person     string              `json:"person,omitempty"`
	On         time.Time           `json:"on,omitempty"`
	Unit       string              `json:"unit,omitempty"`
	Quantity   decimal.Decimal     `json:"quantity"`
	Evidence   string              `json:"evidence,omitempty"`
	Confidence locality.Confidence `json:"confidence,omitempty"`
	Version    int64               `json:"version,omitempty"`
	CreatedAt  time.Time           `json:"created_at,omitempty"`
	UpdatedAt  time.Time           `json:"updated_at,omitempty"`
}

// Listening is the stored form of locality.Listening.
type Listening struct {
	ID            string    `json:"id,omitempty"`
	Area          string    `json:"area,omitempty"`
	Ward          string    `json:"ward,omitempty"`
	From          time.Time `json:"from,omitempty"`
	To            time.Time `json:"to,omitempty"`
	Conversations int64     `json:"conversations,omitempty"`
	Themes        []string  `json:"themes,omitempty"`
	Resident      string    `json:"resident,omitempty"`
	ResidentName  string    `json:"resident_name,omitempty"`
	Version       int64     `json:"version,omitempty"`
	CreatedAt     time.Time `json:"created_at,omitempty"`
	UpdatedAt     time.Time `json:"updated_at,omitempty"`
}

// Action is the stored form of locality.Action.
type Action struct {
	ID      string     `json:"id,omitempty"`
	On      time.Time  `json:"on,omitempty"`
	Title   string     `json:"title,omitempty"`
	Outcome string     `json:"outcome,omitempty"`
	Done    *time.Time `json:"done,omitempty"`
}

// Issue is the stored form of locality.Issue.
type Issue struct {
	ID        string    `json:"id,omitempty"`
	Area      string    `json:"area,omitempty"`
	Ward      string    `json:"ward,omitempty"`
	Raised    time.Time `json:"raised,omitempty"`
	Title     string    `json:"title,omitempty"`
	Themes    []string  `json:"themes,omitempty"`
	Actions   []Action  `json:"actions,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitempty"`
}

// Network is the stored form of locality.Network.
type Network struct {
	ID        string    `json:"id,omitempty"`
	Area      string    `json:"area,omitempty"`
	Ward      string    `json:"ward,omitempty"`
	On        time.Time `json:"on,omitempty"`
	Listeners int64     `json:"listeners,omitempty"`
	Activists int64     `json:"activists,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitempty"`
}

// Asset is the stored form of locality.Asset.
type Asset struct {
	ID          string             `json:"id,omitempty"`
	Area        string             `json:"area,omitempty"`
	Ward        string             `json:"ward,omitempty"`
	Kind        locality.AssetKind `json:"kind,omitempty"`
	Name        string             `json:"name,omitempty"`
	Description string             `json:"description,omitempty"`
	Person      string             `json:"person,omitempty"`
	PersonName  string             `json:"person_name,omitempty"`
	Consent     bool               `json:"consent,omitempty"`
	Listing     string             `json:"listing,omitempty"`
	Erased      bool               `json:"erased,omitempty"`
	Version     int64              `json:"version,omitempty"`
	CreatedAt   time.Time          `json:"created_at,omitempty"`
	UpdatedAt   time.Time          `json:"updated_at,omitempty"`
}

// Gift is the stored form of locality.Gift.
type Gift struct {
	ID         string            `json:"id,omitempty"`
	Area       string            `json:"area,omitempty"`
	Ward       string            `json:"ward,omitempty"`
	Kind       locality.GiftKind `json:"kind,omitempty"`
	Text       string            `json:"text,omitempty"`
	Person     string            `json:"person,omitempty"`
	PersonName string            `json:"person_name,omitempty"`
	Posted     time.Time         `json:"posted,omitempty"`
	Match      string            `json:"match,omitempty"`
	Matched    *time.Time        `json:"matched,omitempty"`
	Erased     bool              `json:"erased,omitempty"`
	Version    int64             `json:"version,omitempty"`
	CreatedAt  time.Time         `json:"created_at,omitempty"`
	UpdatedAt  time.Time         `json:"updated_at,omitempty"`
}

// Fair is the stored form of locality.Fair.
type Fair struct {
	ID          string    `json:"id,omitempty"`
	Area        string    `json:"area,omitempty"`
	Ward        string    `json:"ward,omitempty"`
	On          time.Time `json:"on,omitempty"`
	Place       string    `json:"place,omitempty"`
	Attendance  int64     `json:"attendance,omitempty"`
	Ideas       int64     `json:"ideas,omitempty"`
	Connections int64     `json:"connections,omitempty"`
	Version     int64     `json:"version,omitempty"`
	CreatedAt   time.Time `json:"created_at,omitempty"`
}

// Practice is the stored form of locality.Practice.
type Practice struct {
	ID         string    `json:"id,omitempty"`
	Area       string    `json:"area,omitempty"`
	Ward       string    `json:"ward,omitempty"`
	On         time.Time `json:"on,omitempty"`
	Place      string    `json:"place,omitempty"`
	Attendance int64     `json:"attendance,omitempty"`
	HubEvent   string    `json:"hub_event,omitempty"`
	Version    int64     `json:"version,omitempty"`
	CreatedAt  time.Time `json:"created_at,omitempty"`
}
