// Package dementiarec holds the stored format of the dementia domain,
// shared by adapters/memory, adapters/sqlite and adapters/postgres:
// explicit record types with JSON names, in an envelope with a format
// version, and the rows a store indexes them by.
package dementiarec

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/dementia"
)

// Version is the format version of the records written now.
const Version = 1

// The kinds of record.
const (
	KindStaff      = "staff"
	KindMember     = "member"
	KindAction     = "action"
	KindMeeting    = "meeting"
	KindCommunity  = "community"
	KindChampion   = "champion"
	KindFriends    = "friends"
	KindPrevalence = "prevalence"
	KindRegister   = "register"
	KindReview     = "review"
)

// Row is one record as a store keeps it: its kind and id (together
// unique), the columns it is selected by, its version, and its body.
type Row struct {
	Kind    string
	ID      string
	Parent  string // an action's member, a review's year
	On      int64  // the date it is listed by, as Unix microseconds (0: none)
	Version int64
	Body    []byte // the envelope
}

type envelope struct {
	V    int             `json:"v"`
	Kind string          `json:"kind"`
	Body json.RawMessage `json:"body"`
}

func encode(kind string, rec any) ([]byte, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("dementiarec: encode %s: %w", kind, err)
	}
	return json.Marshal(envelope{V: Version, Kind: kind, Body: body})
}

func decode(kind string, data []byte, rec any) error {
	var e envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return fmt.Errorf("dementiarec: decode %s: %w", kind, err)
	}
	if e.V != Version || e.Kind != kind {
		return fmt.Errorf("dementiarec: decode %s: stored as %s format %d, this code reads format %d", kind, e.Kind, e.V, Version)
	}
	if err := json.Unmarshal(e.Body, rec); err != nil {
		return fmt.Errorf("dementiarec: decode %s: %w", kind, err)
	}
	return nil
}

// Micros returns t as the Unix microseconds Row.On holds (0 for the zero
// time).
func Micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// Staff is the stored form of dementia.Staff.
type Staff struct {
	ID        string          `json:"id"`
	Roles     []dementia.Role `json:"roles,omitempty"`
	Active    bool            `json:"active,omitempty"`
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Member is the stored form of dementia.Member.
type Member struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Sector       dementia.Sector `json:"sector"`
	Areas        []dementia.Area `json:"areas,omitempty"`
	Wards        []string        `json:"wards,omitempty"`
	ContactName  string          `json:"contact_name,omitempty"`
	ContactEmail string          `json:"contact_email,omitempty"`
	ContactPhone string          `json:"contact_phone,omitempty"`
	Joined       time.Time       `json:"joined"`
	Assessed     []time.Time     `json:"assessed,omitempty"`
	Erased       bool            `json:"erased,omitempty"`
	Version      int64           `json:"version"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

// Progress is the stored form of dementia.Progress.
type Progress struct {
	On     time.Time       `json:"on"`
	Status dementia.Status `json:"status"`
	Note   string          `json:"note,omitempty"`
	By     string          `json:"by"`
}

// Action is the stored form of dementia.Action.
type Action struct {
	ID        string          `json:"id"`
	Member    string          `json:"member"`
	Title     string          `json:"title"`
	Owner     string          `json:"owner,omitempty"`
	Due       time.Time       `json:"due"`
	Status    dementia.Status `json:"status"`
	Progress  []Progress      `json:"progress,omitempty"`
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Meeting is the stored form of dementia.Meeting.
type Meeting struct {
	ID        string    `json:"id"`
	On        time.Time `json:"on"`
	Title     string    `json:"title"`
	Attended  []string  `json:"attended,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// Criterion is the stored form of dementia.CriterionState.
type Criterion struct {
	Criterion dementia.Criterion `json:"criterion"`
	Met       bool               `json:"met,omitempty"`
	Evidence  string             `json:"evidence,omitempty"`
	On        time.Time          `json:"on"`
}

// Assessment is the stored form of dementia.Assessment.
type Assessment struct {
	On     time.Time             `json:"on"`
	Scores map[dementia.Area]int `json:"scores"`
}

// Community is the stored form of dementia.Community.
type Community struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Registered  time.Time    `json:"registered"`
	Criteria    []Criterion  `json:"criteria,omitempty"`
	Updates     []time.Time  `json:"updates,omitempty"`
	Assessments []Assessment `json:"assessments,omitempty"`
	Version     int64        `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Champion is the stored form of dementia.Champion.
type Champion struct {
	ID        string    `json:"id"`
	Name      string    `json:"name,omitempty"`
	Trained   time.Time `json:"trained"`
	Erased    bool      `json:"erased,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// Friends is the stored form of dementia.Friends.
type Friends struct {
	ID        string          `json:"id"`
	On        time.Time       `json:"on"`
	Source    dementia.Source `json:"source"`
	Champion  string          `json:"champion,omitempty"`
	Count     int64           `json:"count"`
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
}

// Rate is the stored form of dementia.Rate.
type Rate struct {
	Band string          `json:"band"`
	Sex  dementia.Sex    `json:"sex"`
	Rate decimal.Decimal `json:"rate"`
}

// Prevalence is the stored form of dementia.Prevalence.
type Prevalence struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	Rates     []Rate    `json:"rates"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// BandCount is the stored form of dementia.BandCount.
type BandCount struct {
	Band  string       `json:"band"`
	Sex   dementia.Sex `json:"sex"`
	Count int64        `json:"count"`
}

// Register is the stored form of dementia.Register.
type Register struct {
	ID         string      `json:"id"`
	Practice   string      `json:"practice"`
	PCN        string      `json:"pcn,omitempty"`
	On         time.Time   `json:"on"`
	Population []BandCount `json:"population,omitempty"`
	Diagnosed  int64       `json:"diagnosed"`
	Version    int64       `json:"version"`
	CreatedAt  time.Time   `json:"created_at"`
}

// Adjustments is the stored form of dementia.Adjustments.
type Adjustments struct {
	Unsuitable  int64 `json:"unsuitable,omitempty"`
	Dissent     int64 `json:"dissent,omitempty"`
	NoResponse  int64 `json:"no_response,omitempty"`
	Unavailable int64 `json:"unavailable,omitempty"`
	New         int64 `json:"new,omitempty"`
}

// Review is the stored form of dementia.Review.
type Review struct {
	ID          string      `json:"id"`
	Practice    string      `json:"practice"`
	PCN         string      `json:"pcn,omitempty"`
	Year        string      `json:"year"`
	Numerator   int64       `json:"numerator"`
	Register    int64       `json:"register"`
	Adjustments Adjustments `json:"adjustments"`
	Version     int64       `json:"version"`
	CreatedAt   time.Time   `json:"created_at"`
}
