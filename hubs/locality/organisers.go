package locality

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// NewListening is a count of listening conversations in a ward over
// [From, To). ResidentName is kept only with Consent.
type NewListening struct {
	Area          string
	Ward          string
	From, To      time.Time
	Conversations int64
	Themes        []string
	Resident      string
	ResidentName  string
	Consent       bool
}

func (in *NewListening) check() error {
	if err := checkCount("Conversations", in.Conversations); err != nil {
		return err
	}
	if in.From.IsZero() || !in.To.After(in.From) {
		return invalid("To", "the period must have a From and end after it")
	}
	if err := checkList("Themes", in.Themes, maxName); err != nil {
		return err
	}
	if err := checkOptionalID("Resident", in.Resident); err != nil {
		return err
	}
	if err := checkText("ResidentName", in.ResidentName, maxName, false); err != nil {
		return err
	}
	if (in.ResidentName != "" || in.Resident != "") && !in.Consent {
		return fieldErr(ErrNoConsent, "Consent", "a resident is named only when they agree")
	}
	in.From, in.To, in.Themes = utc(in.From), utc(in.To), slices.Clone(in.Themes)
	return nil
}

// RecordListening records an organiser's listening conversations in a
// ward of an organisers' area.
func (s *Service) RecordListening(ctx context.Context, w call.Write, in NewListening) (*Listening, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	id := s.newID()
	return write(ctx, s, w, "locality.record_listening", in, s.may(w.Actor, RoleOrganiser),
		func(now time.Time) (*Batch, string, error) {
			l, err := s.listening(ctx, id, in, now)
			if err != nil {
				return nil, "", err
			}
			return &Batch{Listening: []*Listening{l}}, id, nil
		}, s.store.ListeningCount)
}

func (s *Service) listening(ctx context.Context, id string, in NewListening, now time.Time) (*Listening, error) {
	a, err := s.area(ctx, in.Area, Organisers)
	if err != nil {
		return nil, err
	}
	wd, err := ward(a, in.Ward)
	if err != nil {
		return nil, err
	}
	return &Listening{ID: id, Area: a.ID, Ward: wd, From: in.From, To: in.To, Conversations: in.Conversations, Themes: in.Themes,
		Resident: in.Resident, ResidentName: in.ResidentName, Version: 1, CreatedAt: now, UpdatedAt: now}, nil
}

// NewIssue is an issue residents raised.
type NewIssue struct {
	Area   string
	Ward   string
	Raised time.Time
	Title  string
	Themes []string
}

// RaiseIssue records an issue raised in listening.
func (s *Service) RaiseIssue(ctx context.Context, w call.Write, in NewIssue) (*Issue, error) {
	if in.Raised.IsZero() {
		return nil, invalid("Raised", "is required")
	}
	if err := checkText("Title", in.Title, maxName, true); err != nil {
		return nil, err
	}
	if err := checkList("Themes", in.Themes, maxName); err != nil {
		return nil, err
	}
	in.Raised, in.Themes = utc(in.Raised), slices.Clone(in.Themes)
	id := s.newID()
	return write(ctx, s, w, "locality.raise_issue", in, s.may(w.Actor, RoleOrganiser),
		func(now time.Time) (*Batch, string, error) {
			a, err := s.area(ctx, in.Area, Organisers)
			if err != nil {
				return nil, "", err
			}
			wd, err := ward(a, in.Ward)
			if err != nil {
				return nil, "", err
			}
			is := &Issue{ID: id, Area: a.ID, Ward: wd, Raised: in.Raised, Title: in.Title, Themes: in.Themes, Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Issues: []*Issue{is}}, id, nil
		}, s.store.Issue)
}

func (s *Service) updateIssue(ctx context.Context, w call.Write, op, id string, req any, f func(is *Issue) error) (*Issue, error) {
	return write(ctx, s, w, op, struct {
		ID  string
		Req any
	}{id, req}, s.may(w.Actor, RoleOrganiser),
		func(now time.Time) (*Batch, string, error) {
			is, err := get(ctx, s.store.Issue, "issue", id)
			if err != nil {
				return nil, "", err
			}
			if err := f(is); err != nil {
				return nil, "", err
			}
			is.Version++
			is.UpdatedAt = now
			return &Batch{Issues: []*Issue{is}}, id, nil
		}, s.store.Issue)
}

// AddAction records an action residents took on an issue.
func (s *Service) AddAction(ctx context.Context, w call.Write, issueID string, on time.Time, title string) (*Issue, error) {
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	if err := checkText("title", title, maxName, true); err != nil {
		return nil, err
	}
	on = utc(on)
	aid := s.newID()
	return s.updateIssue(ctx, w, "locality.add_action", issueID, struct {
		On    time.Time
		Title string
	}{on, title}, func(is *Issue) error {
		is.Actions = append(is.Actions, Action{ID: aid, On: on, Title: title})
		return nil
	})
}

// ActionOutcome records what came of an action.
func (s *Service) ActionOutcome(ctx context.Context, w call.Write, issueID, actionID string, on time.Time, outcome string) (*Issue, error) {
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	if err := checkText("outcome", outcome, maxText, true); err != nil {
		return nil, err
	}
	on = utc(on)
	return s.updateIssue(ctx, w, "locality.action_outcome", issueID, struct {
		Action, Outcome string
		On              time.Time
	}{actionID, outcome, on}, func(is *Issue) error {
		i := slices.IndexFunc(is.Actions, func(a Action) bool { return a.ID == actionID })
		if i < 0 {
			return notFound("action", actionID)
		}
		is.Actions[i].Outcome, is.Actions[i].Done = outcome, &on
		return nil
	})
}

// NewNetwork counts a ward's listeners and activists on a date.
type NewNetwork struct {
	Area      string
	Ward      string
	On        time.Time
	Listeners int64
	Activists int64
}

// RecordNetwork records the size of a ward's network of listeners and
// activists.
func (s *Service) RecordNetwork(ctx context.Context, w call.Write, in NewNetwork) (*Network, error) {
	if in.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if err := checkCount("Listeners", in.Listeners); err != nil {
		return nil, err
	}
	if err := checkCount("Activists", in.Activists); err != nil {
		return nil, err
	}
	in.On = utc(in.On)
	id := s.newID()
	return write(ctx, s, w, "locality.record_network", in, s.may(w.Actor, RoleOrganiser),
		func(now time.Time) (*Batch, string, error) {
			a, err := s.area(ctx, in.Area, Organisers)
			if err != nil {
				return nil, "", err
			}
			wd, err := ward(a, in.Ward)
			if err != nil {
				return nil, "", err
			}
			n := &Network{ID: id, Area: a.ID, Ward: wd, On: in.On, Listeners: in.Listeners, Activists: in.Activists, Version: 1, CreatedAt: now}
			return &Batch{Networks: []*Network{n}}, id, nil
		}, s.store.Network)
}

// Listening returns the listening counts q selects, with any resident who
// agreed to be named. Organisers and managers may read them.
func (s *Service) Listening(ctx context.Context, a call.Actor, q Query) ([]*Listening, error) {
	if err := s.check(ctx, a, RoleOrganiser, RoleManager); err != nil {
		return nil, fmt.Errorf("listening: %w", err)
	}
	return s.store.Listening(ctx, q)
}

// Issues returns the issues q selects. Issues name no person; the read is
// open.
func (s *Service) Issues(ctx context.Context, q Query) ([]*Issue, error) {
	q.Person = ""
	return s.store.Issues(ctx, q)
}

// themeKey normalises a theme for counting.
func themeKey(t string) string { return strings.ToLower(strings.TrimSpace(t)) }
