package outcomes

import (
	"strings"
	"time"

	"github.com/strongertogether/community/internal/lifecycle"
)

// Story is a case study: what happened to a person or a group, told to
// show what the numbers cannot (the seed asks for "KPIs and also stories
// and case studies"). It is attached to an indicator or a programme of a
// framework, dated and tagged, and it carries the consent of the person it
// is about.
//
// A story is a draft until published; it can be published only with
// consent given, and withdrawn at any time (when consent is withdrawn),
// after which it is never shown again. Reports show published stories
// only. Contributors add stories; editors publish and withdraw them.
type Story struct {
	ID        string      `json:"id"`
	Framework string      `json:"framework"`
	Indicator string      `json:"indicator,omitempty"`
	Programme string      `json:"programme,omitempty"`
	Title     string      `json:"title"`
	Body      string      `json:"body"`
	Date      time.Time   `json:"date"` // when it happened
	Tags      []string    `json:"tags,omitempty"`
	Consent   Consent     `json:"consent"`
	Status    StoryStatus `json:"status"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// Consent records the permission to tell a story: whether it was given,
// when, to whom (the recorder's id) and how widely it may be shared.
type Consent struct {
	Given      bool         `json:"given"`
	Date       time.Time    `json:"date"`
	RecordedBy string       `json:"recordedBy,omitempty"`
	Scope      ConsentScope `json:"scope,omitempty"`
}

// ConsentScope is how widely a story may be shared.
type ConsentScope string

// The consent scopes.
const (
	ConsentInternal ConsentScope = "internal" // partners and the board only
	ConsentPublic   ConsentScope = "public"   // published reports too
)

// StoryStatus is where a story is in its life.
type StoryStatus string

// The story statuses.
const (
	StoryDraft     StoryStatus = "draft"
	StoryPublished StoryStatus = "published"
	StoryWithdrawn StoryStatus = "withdrawn"
)

// storyMoves is the story lifecycle.
var storyMoves = lifecycle.New(map[StoryStatus][]StoryStatus{
	StoryDraft:     {StoryPublished, StoryWithdrawn},
	StoryPublished: {StoryWithdrawn},
})

// Validate checks the story's fields.
func (s *Story) Validate() error {
	if err := checkID("ID", s.ID); err != nil {
		return err
	}
	if err := checkID("Framework", s.Framework); err != nil {
		return err
	}
	switch {
	case s.Indicator == "" && s.Programme == "":
		return invalid("Indicator", "a story is attached to an indicator or a programme")
	case len(s.Programme) > 200:
		return invalid("Programme", "is longer than 200 characters")
	case strings.TrimSpace(s.Title) == "" || len(s.Title) > 300:
		return invalid("Title", "a title of up to 300 characters is required")
	case strings.TrimSpace(s.Body) == "" || len(s.Body) > 20000:
		return invalid("Body", "a story of up to 20,000 characters is required")
	case s.Date.IsZero():
		return invalid("Date", "is required")
	case len(s.Tags) > 20:
		return invalid("Tags", "a story has at most 20 tags")
	case !s.Consent.Given && s.Status == StoryPublished:
		return invalid("Consent", "a story cannot be published without consent")
	case s.Consent.Given && s.Consent.Date.IsZero():
		return invalid("Consent.Date", "the date consent was given is required")
	case s.Consent.Given && s.Consent.Scope != ConsentInternal && s.Consent.Scope != ConsentPublic:
		return invalid("Consent.Scope", "%q is not internal or public", s.Consent.Scope)
	}
	for _, t := range s.Tags {
		if t == "" || len(t) > 50 || strings.ContainsAny(t, ",\r\n") {
			return invalid("Tags", "%q is not a tag of 1 to 50 characters without commas", clip(t))
		}
	}
	switch s.Status {
	case StoryDraft, StoryPublished, StoryWithdrawn:
	default:
		return invalid("Status", "%q is not draft, published or withdrawn", s.Status)
	}
	return nil
}

// Clone returns a deep copy of s.
func (s *Story) Clone() *Story {
	c := *s
	c.Tags = append([]string(nil), s.Tags...)
	return &c
}
