package prescribing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/strongertogether/community/call"
)

// change runs one write to a referral: it reads the referral, checks the
// actor works with its practice in one of roles (any role that may see
// patients when empty), lets f change it and add to the batch, and writes
// it with an audit event.
func (s *Service) change(ctx context.Context, w call.Write, id, op string, req any, roles []Role,
	f func(r *Referral, m *Staff, now time.Time, b *Batch) error,
) (*Referral, error) {
	actor := w.Actor.ID
	body := struct {
		Referral string
		Req      any
	}{id, req}
	// allow's reads serve the first build: the store refuses the batch
	// if the referral changed since (ErrConflict), and every rebuild
	// reads afresh.
	var seenRef *Referral
	var seenStaff *Staff
	allow := func(ctx context.Context) error {
		m, err := s.onRecord(ctx, actor, "referral", id, roles, func(ctx context.Context) (string, error) {
			r, err := s.store.Referral(ctx, id)
			if err != nil {
				return "", err
			}
			seenRef = r
			return r.Practice, nil
		})
		seenStaff = m
		return err
	}
	r, err := write(ctx, s, w, op, body, allow, func(now time.Time) (*Batch, string, error) {
		r, m := seenRef, seenStaff
		seenRef, seenStaff = nil, nil
		if r == nil || m == nil {
			var err error
			if r, err = s.store.Referral(ctx, id); err != nil {
				return nil, "", err
			}
			if m, err = s.atPractice(ctx, actor, r.Practice, roles...); err != nil {
				return nil, "", err
			}
		}
		version := r.Version
		b := &Batch{}
		if err := f(r, m, now, b); err != nil {
			return nil, "", err
		}
		if r.Version == version { // f changed no state: still a new version
			r.UpdatedAt, r.UpdatedBy = now, actor
			r.Version++
		}
		b.Referrals = append(b.Referrals, r)
		b.Events = append(b.Events, event(r.Practice, now, actor, op, r.ID, string(r.State)))
		return b, r.ID, nil
	}, s.store.Referral)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, id, err)
	}
	return r, nil
}

// to moves r to state, or returns ErrInvalidTransition. An on-hold
// referral only closes, declines or (through Resume) resumes.
func to(r *Referral, state State, now time.Time, actor, note string) error {
	if r.State == OnHold && !state.Final() {
		return fieldErr(ErrInvalidTransition, "State", "referral %s is on hold; resume it first", r.ID)
	}
	return move(r, state, now, actor, note)
}

// move moves r to state if the state machine allows it.
func move(r *Referral, state State, now time.Time, actor, note string) error {
	if err := transitions.Check(r.State, state); err != nil {
		return fieldErr(ErrInvalidTransition, "State", "referral %s: %v", r.ID, err)
	}
	r.move(state, now, actor, note)
	return nil
}

var advisorOnly = []Role{RoleAdvisor}

// caseOf checks that actor may work the referral's case: once an advisor
// has accepted it, only that advisor may. Others at the practice still
// see it, and anyone who may see patients may hold, resume, decline or
// close it, but the case work (contact, assessment, connecting, uptake,
// reviews and wellbeing) is the advisor's own. There is no override: a
// manager never sees patient data, and the scheme has no coordinator role.
func caseOf(r *Referral, actor string) error {
	if r.Advisor != "" && r.Advisor != actor {
		return fieldErr(ErrForbidden, "actor", "%s is not the advisor of referral %s", actor, r.ID)
	}
	return nil
}

// Accept takes a referred referral onto the actor's caseload: the actor
// must be an advisor linked to the practice, with room on their caseload.
// The caseload limit is enforced atomically by the store, so advisors
// accepting at once never exceed it. Errors: ErrForbidden,
// ErrInvalidTransition, ErrCaseloadFull.
func (s *Service) Accept(ctx context.Context, w call.Write, id string) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.accept", nil, advisorOnly, func(r *Referral, m *Staff, now time.Time, b *Batch) error {
		if err := to(r, Accepted, now, actor, ""); err != nil {
			return err
		}
		r.Advisor = actor
		b.Caseloads = map[string]int{actor: m.Caseload}
		return nil
	})
}

// Contact records the advisor's first contact with the person. Errors:
// ErrForbidden (not an advisor of the practice, or not the
// advisor who accepted the referral), ErrInvalidTransition.
func (s *Service) Contact(ctx context.Context, w call.Write, id, note string) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.contact", note, advisorOnly, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if err := caseOf(r, actor); err != nil {
			return err
		}
		note, err := trimNote("note", note, 2000)
		if err != nil {
			return err
		}
		return to(r, Contacted, now, actor, note)
	})
}

// Assessment is what the advisor records at the home visit or assessment:
// the person's needs, from the Needs list, and optionally their baseline
// wellbeing.
type Assessment struct {
	Needs     []Need
	Wellbeing *Wellbeing // its Stage is set to Baseline and At to now
	Note      string
}

// Assess records the home visit or assessment. Errors: ErrInvalid (no
// needs, an unknown need, a wellbeing item out of range),
// ErrForbidden (not an advisor of the practice, or not the advisor who
// accepted the referral), ErrInvalidTransition.
func (s *Service) Assess(ctx context.Context, w call.Write, id string, in Assessment) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.assess", in, advisorOnly, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if err := caseOf(r, actor); err != nil {
			return err
		}
		if err := checkNeeds("Needs", in.Needs, true); err != nil {
			return err
		}
		note, err := trimNote("Note", in.Note, 4000)
		if err != nil {
			return err
		}
		if in.Wellbeing != nil {
			w := *in.Wellbeing
			w.Stage, w.At = Baseline, now
			if err := w.Validate(); err != nil {
				return err
			}
			r.Wellbeing = append(r.Wellbeing, w)
		}
		r.Needs = append([]Need(nil), in.Needs...)
		return to(r, Assessed, now, actor, note)
	})
}

// Connect records the activities offered to the person (typically chosen
// from Match) and moves the referral to connected. Errors: ErrInvalid (no
// activity, one without an id, one offered twice),
// ErrForbidden (not an advisor of the practice, or not the advisor who
// accepted the referral), ErrInvalidTransition.
func (s *Service) Connect(ctx context.Context, w call.Write, id string, offers []Activity) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.connect", offers, advisorOnly, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if err := caseOf(r, actor); err != nil {
			return err
		}
		if len(offers) == 0 {
			return invalid("offers", "offer at least one activity")
		}
		for i, a := range offers {
			field := fmt.Sprintf("offers[%d]", i)
			if a.ID == "" {
				return invalid(field, "an activity needs an id (and a name up to 200 bytes)")
			}
			if err := checkTexts(text{field + ".ID", a.ID, 200}, text{field + ".Name", a.Name, 200}); err != nil {
				return err
			}
			if slices.ContainsFunc(r.Offers, func(o Offer) bool { return o.Activity == a.ID }) {
				return invalid(fmt.Sprintf("offers[%d]", i), "activity %s was offered already", a.ID)
			}
			var meets []Need
			for _, n := range r.Needs {
				if slices.Contains(a.Needs, n) {
					meets = append(meets, n)
				}
			}
			r.Offers = append(r.Offers, Offer{Activity: a.ID, Name: a.Name, Needs: meets, At: now, By: actor})
		}
		return to(r, Connected, now, actor, fmt.Sprintf("%d activities offered", len(offers)))
	})
}

// Uptake records that the person took up an offered activity and, when
// attended is true, that they attended it. Errors: ErrInvalid (the
// activity was not offered), ErrForbidden (not an advisor
// of the practice, or not the advisor who accepted the referral),
// ErrInvalidTransition (not connected or reviewing).
func (s *Service) Uptake(ctx context.Context, w call.Write, id, activity string, attended bool) (*Referral, error) {
	actor := w.Actor.ID
	req := struct {
		Activity string
		Attended bool
	}{activity, attended}
	return s.change(ctx, w, id, "referral.uptake", req, advisorOnly, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if err := caseOf(r, actor); err != nil {
			return err
		}
		if r.State != Connected && r.State != Reviewing {
			return fieldErr(ErrInvalidTransition, "State", "referral %s is %s; uptake is recorded once connected", r.ID, r.State)
		}
		if err := checkText("activity", activity, 200); err != nil {
			return err
		}
		i := slices.IndexFunc(r.Offers, func(o Offer) bool { return o.Activity == activity })
		if i < 0 {
			return invalid("activity", "%s was not offered", activity)
		}
		o := &r.Offers[i]
		if o.TakenUp == nil {
			o.TakenUp = &now
		}
		if attended && o.Attended == nil {
			o.Attended = &now
		}
		return nil
	})
}

// ReviewNotes is what the advisor records at a follow-up review.
type ReviewNotes struct {
	Wellbeing *Wellbeing // its Stage is set to FollowUp and At to now
	Note      string
}

// Review records a follow-up review. Errors: ErrInvalid,
// ErrForbidden (not an advisor of the practice, or not the advisor who
// accepted the referral), ErrInvalidTransition.
func (s *Service) Review(ctx context.Context, w call.Write, id string, in ReviewNotes) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.review", in, advisorOnly, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if err := caseOf(r, actor); err != nil {
			return err
		}
		note, err := trimNote("Note", in.Note, 4000)
		if err != nil {
			return err
		}
		if in.Wellbeing != nil {
			w := *in.Wellbeing
			w.Stage, w.At = FollowUp, now
			if err := w.Validate(); err != nil {
				return err
			}
			r.Wellbeing = append(r.Wellbeing, w)
		}
		return to(r, Reviewing, now, actor, note)
	})
}

// RecordWellbeing adds a wellbeing measurement without moving the
// referral, from first contact on. Errors: ErrInvalid,
// ErrForbidden (not an advisor of the practice, or not the advisor who
// accepted the referral), ErrInvalidTransition.
func (s *Service) RecordWellbeing(ctx context.Context, w call.Write, id string, in Wellbeing) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.wellbeing", in, advisorOnly, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		w := in
		if err := caseOf(r, actor); err != nil {
			return err
		}
		if !r.Open() || slices.Contains([]State{Identified, Referred, Accepted}, r.State) {
			return fieldErr(ErrInvalidTransition, "State", "referral %s is %s; wellbeing is measured from contact until closing", r.ID, r.State)
		}
		w.At = now
		if err := w.Validate(); err != nil {
			return err
		}
		r.Wellbeing = append(r.Wellbeing, w)
		return nil
	})
}

// CloseReferral closes a referral with a reason. Closing with ReasonDeclined
// records the SNOMED CT concept for declined. Any staff member who works
// with the practice and may see patients may close it. Errors: ErrInvalid
// (no or unknown reason), ErrForbidden, ErrInvalidTransition.
func (s *Service) CloseReferral(ctx context.Context, w call.Write, id string, reason CloseReason, note string) (*Referral, error) {
	actor := w.Actor.ID
	req := struct {
		Reason CloseReason
		Note   string
	}{reason, note}
	return s.change(ctx, w, id, "referral.close", req, nil, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if !slices.Contains(closeReasons, reason) || reason == NotReferred {
			return invalid("reason", "%q is not a reason for closing (goals-met, declined, moved-away, died, not-contactable)", reason)
		}
		note, err := trimNote("note", note, 2000)
		if err != nil {
			return err
		}
		if err := to(r, Closed, now, actor, note); err != nil {
			return err
		}
		r.CloseReason = reason
		if reason == ReasonDeclined {
			r.Code = SNOMEDDeclined
		}
		return nil
	})
}

// Decline records that the person declined social prescribing: the
// referral ends, with the SNOMED CT concept for declined. Errors:
// ErrForbidden, ErrInvalidTransition.
func (s *Service) Decline(ctx context.Context, w call.Write, id, note string) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.decline", note, nil, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		note, err := trimNote("note", note, 2000)
		if err != nil {
			return err
		}
		if err := to(r, Declined, now, actor, note); err != nil {
			return err
		}
		r.Code, r.CloseReason = SNOMEDDeclined, ReasonDeclined
		return nil
	})
}

// Hold puts a referral on hold (a hospital stay, say); Resume picks it up
// where it stopped. A reason is required. Errors: ErrInvalid,
// ErrForbidden, ErrInvalidTransition.
func (s *Service) Hold(ctx context.Context, w call.Write, id, reason string) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.hold", reason, nil, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		reason, err := trimNote("reason", reason, 2000)
		if err != nil {
			return err
		}
		if reason == "" {
			return invalid("reason", "is required")
		}
		from := r.State
		if err := to(r, OnHold, now, actor, reason); err != nil {
			return err
		}
		r.HeldFrom = from
		return nil
	})
}

// Resume returns an on-hold referral to the state it was held from.
// Errors: ErrForbidden, ErrInvalidTransition.
func (s *Service) Resume(ctx context.Context, w call.Write, id, note string) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.resume", note, nil, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if r.State != OnHold {
			return fieldErr(ErrInvalidTransition, "State", "referral %s is %s, not on hold", r.ID, r.State)
		}
		note, err := trimNote("note", note, 2000)
		if err != nil {
			return err
		}
		back := r.HeldFrom
		if err := move(r, back, now, actor, note); err != nil {
			return err
		}
		r.HeldFrom = ""
		return nil
	})
}

// RecordUsage records a person's use of A&E, non-elective admissions and
// GP contacts in the 12 months before referral, the 12 months after, or
// both: it sets the windows u gives (non-nil) and keeps the other as it
// was, so the before window can be recorded around the time of referral
// and the after window a year later. A window given again replaces the
// one recorded (a correction). The actor must be in the practice's
// clinical team. Errors: ErrInvalid (no window given — Field "Before" —
// or a negative or implausible count), ErrForbidden.
func (s *Service) RecordUsage(ctx context.Context, w call.Write, id string, u SecondaryCare) (*Referral, error) {
	return s.change(ctx, w, id, "referral.usage", u, clinical, func(r *Referral, _ *Staff, _ time.Time, _ *Batch) error {
		if err := u.validate(); err != nil {
			return err
		}
		r.Usage = r.Usage.merge(u)
		return nil
	})
}

// NewStory asks to attach a case study or story to a referral.
type NewStory struct {
	Title   string
	Text    string
	Consent Consent
}

// AddStory attaches a case study or story, told with the person's consent,
// to a referral. Errors: ErrInvalid (no consent, no text),
// ErrForbidden.
func (s *Service) AddStory(ctx context.Context, w call.Write, id string, in NewStory) (*Referral, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, id, "referral.story", in, nil, func(r *Referral, _ *Staff, now time.Time, _ *Batch) error {
		if !in.Consent.Given || in.Consent.On.IsZero() {
			return invalid("Consent", "a story is kept only with the person's consent, and the date they gave it")
		}
		title, err := trimNote("Title", in.Title, 200)
		if err != nil {
			return err
		}
		text, err := trimNote("Text", in.Text, 20000)
		if err != nil {
			return err
		}
		if title == "" || text == "" {
			return invalid("Text", "a story needs a title and text")
		}
		c := in.Consent
		c.On = norm(c.On)
		r.Stories = append(r.Stories, Story{ID: s.newID("sty", now), Title: title, Text: text, Consent: c, At: now, By: actor})
		return nil
	})
}

// Referral returns a referral, if the actor may see the practice's
// patients. Errors: ErrForbidden (also for an unknown id).
func (s *Service) Referral(ctx context.Context, a call.Actor, id string) (*Referral, error) {
	var r *Referral
	if _, err := s.onRecord(ctx, a.ID, "referral", id, nil, func(ctx context.Context) (string, error) {
		var err error
		if r, err = s.store.Referral(ctx, id); err != nil {
			return "", err
		}
		return r.Practice, nil
	}); err != nil {
		return nil, fmt.Errorf("referral %s: %w", id, err)
	}
	return r, nil
}

// Referrals lists a practice's referrals (f.Practice is required), if the
// actor may see its patients. Errors: ErrInvalid, ErrForbidden.
func (s *Service) Referrals(ctx context.Context, a call.Actor, f ReferralFilter) ([]*Referral, error) {
	if _, err := s.authorise(ctx, a.ID, nil); err != nil {
		return nil, fmt.Errorf("referrals: %w", err)
	}
	if f.Practice == "" {
		return nil, fmt.Errorf("referrals: %w", invalid("Practice", "is required"))
	}
	if _, err := s.atPractice(ctx, a.ID, f.Practice); err != nil {
		return nil, fmt.Errorf("referrals: %w", err)
	}
	return s.store.Referrals(ctx, f)
}

// Match finds activities for a referred person through dir and ranks them
// with Rank, by the needs recorded on the referral and the area the
// patient lives in (the practice's area if unknown). It writes nothing.
// The actor must be an advisor linked to the practice. limit 0 means all.
// Errors: ErrForbidden (also for an unknown referral), ErrInvalid (no
// needs recorded yet), and dir's errors.
func (s *Service) Match(ctx context.Context, a call.Actor, id string, dir Directory, limit int) ([]Match, error) {
	var r *Referral
	if _, err := s.onRecord(ctx, a.ID, "referral", id, advisorOnly, func(ctx context.Context) (string, error) {
		var err error
		if r, err = s.store.Referral(ctx, id); err != nil {
			return "", err
		}
		return r.Practice, nil
	}); err != nil {
		return nil, fmt.Errorf("match %s: %w", id, err)
	}
	if len(r.Needs) == 0 {
		return nil, fmt.Errorf("match %s: %w", id, invalid("Needs", "no needs are recorded yet"))
	}
	p, err := s.store.Patient(ctx, r.Patient)
	if err != nil {
		return nil, fmt.Errorf("match %s: %w", id, err)
	}
	area := p.Area
	if area == "" {
		pr, err := s.store.Practice(ctx, r.Practice)
		if err != nil {
			return nil, fmt.Errorf("match %s: %w", id, err)
		}
		area = pr.Area
	}
	acts, err := dir.Activities(ctx, ActivityQuery{Needs: append([]Need(nil), r.Needs...), Area: area})
	if err != nil {
		return nil, fmt.Errorf("match %s: directory: %w", id, err)
	}
	out := Rank(r.Needs, area, acts)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Events returns the audit trail of a practice (f.Practice is required),
// if the actor may see its patients. Errors: ErrInvalid, ErrForbidden.
func (s *Service) Events(ctx context.Context, a call.Actor, f EventFilter) ([]Event, error) {
	if _, err := s.authorise(ctx, a.ID, nil); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	if f.Practice == "" {
		return nil, fmt.Errorf("events: %w", invalid("Practice", "is required"))
	}
	if _, err := s.atPractice(ctx, a.ID, f.Practice); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return s.store.Events(ctx, f)
}
