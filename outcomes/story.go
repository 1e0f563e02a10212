package outcomes

import (
	"log/slog"
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
//
// A story's title and body are what a person told, and may name them.
// EraseStory removes them: the title and body become "[erased]", the tags
// and consent are cleared, and the notes of the story's audit events
// (a withdrawal's reason) are emptied. What is kept — the framework,
// indicator, programme, date and who recorded it — says only that a story
// was told, so that counts of stories stay right.
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
	// StoryErased: the story's text was erased (EraseStory); only its
	// framework, indicator, programme and dates remain, for counts.
	StoryErased StoryStatus = "erased"
)

// erased is what an erased story's title and body read.
const erased = "[erased]"

// storyMoves is the story lifecycle.
var storyMoves = lifecycle.New(map[StoryStatus][]StoryStatus{
	StoryDraft:     {StoryPublished, StoryWithdrawn, StoryErased},
	StoryPublished: {StoryWithdrawn, StoryErased},
	StoryWithdrawn: {StoryErased},
})

// validate checks the story's fields.
func (s *Story) validate() error {
	if err := checkID("ID", s.ID); err != nil {
		return err
	}
	if err := checkID("Framework", s.Framework); err != nil {
		return err
	}
	if s.Indicator != "" {
		if err := checkID("Indicator", s.Indicator); err != nil {
			return err
		}
	}
	if err := checkTexts(maxName, "Programme", s.Programme, "Consent.RecordedBy", s.Consent.RecordedBy); err != nil {
		return err
	}
	if err := checkName("Title", s.Title, maxTitle); err != nil {
		return err
	}
	if strings.TrimSpace(s.Body) == "" {
		return invalid("Body", "is required")
	}
	if err := checkText("Body", s.Body, maxBody); err != nil {
		return err
	}
	switch {
	case s.Indicator == "" && s.Programme == "":
		return invalid("Indicator", "a story is attached to an indicator or a programme")
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
		if t == "" || len(t) > 50 || strings.ContainsAny(t, ",\r\n") || checkText("Tags", t, 50) != nil {
			return invalid("Tags", "%q is not a tag of 1 to 50 characters without commas", clip(t))
		}
	}
	switch s.Status {
	case StoryDraft, StoryPublished, StoryWithdrawn, StoryErased:
	default:
		return invalid("Status", "%q is not draft, published, withdrawn or erased", s.Status)
	}
	return nil
}

// String names the story by id and status, never by its text, which may
// name the person it is about.
func (s Story) String() string { return "story " + s.ID + " (" + string(s.Status) + ")" }

// GoString is String, so that %#v redacts too.
func (s Story) GoString() string { return s.String() }

// LogValue logs the story's ids and status, never its title, body or tags.
func (s Story) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", s.ID), slog.String("framework", s.Framework), slog.String("status", string(s.Status)))
}

// Clone returns a deep copy of s.
func (s *Story) Clone() *Story {
	c := *s
	c.Tags = append([]string(nil), s.Tags...)
	return &c
}
