package prescribing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/strongertogether/community/call"
)

// NewMeeting asks to record an MDT meeting.
type NewMeeting struct {
	Practice string
	Date     time.Time
	Members  []string // staff ids; each attends in their own role
	Cases    []NewCase
}

// NewCase is a case the MDT reviewed and its outcome.
type NewCase struct {
	Patient string
	Outcome Outcome
	Notes   string
}

// HoldMeeting records an MDT meeting of a practice and acts on its
// outcomes: a case referred to social prescribing moves the patient's
// identified referral on to referred, or makes a new one, with Source
// SourceMDT; a case given the medical pathway or no action closes the
// patient's identified referral (CloseReason NotReferred), if any. The
// actor must be a GP of the practice and attend; at least one GP attends;
// every member works with the practice in an MDT role (not manager).
// Errors: ErrForbidden (checked first), ErrInvalid, ErrNotFound (a patient the practice does not have),
// ErrOpenReferral (a patient referred who has an open referral past
// identified; a kind of ErrInvalidTransition).
func (s *Service) HoldMeeting(ctx context.Context, w call.Write, in NewMeeting) (*Meeting, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		_, err := s.atPractice(ctx, actor, in.Practice, RoleGP)
		return err
	}
	mt, err := write(ctx, s, w, "mdt.hold", in, allow, func(now time.Time) (*Batch, string, error) {
		if _, err := s.store.Practice(ctx, in.Practice); err != nil {
			return nil, "", fmt.Errorf("Practice: %w", err)
		}
		if in.Date.IsZero() || norm(in.Date).After(now) {
			return nil, "", invalid("Date", "is required and may not be in the future")
		}
		mt := &Meeting{ID: s.newID("mdt", now), Practice: in.Practice, Date: norm(in.Date), CreatedAt: now, CreatedBy: actor, Version: 1}
		gp := false
		for i, id := range in.Members {
			if slices.Contains(in.Members[:i], id) {
				return nil, "", invalid("Members", "%s is listed twice", id)
			}
			m, err := s.store.Staff(ctx, id)
			if err != nil {
				return nil, "", fmt.Errorf("Members[%d]: %w", i, err)
			}
			if m.Role == RoleManager || !m.worksWith(in.Practice) {
				return nil, "", invalid("Members", "%s is not an active MDT member for practice %s", id, in.Practice)
			}
			gp = gp || m.Role == RoleGP
			mt.Members = append(mt.Members, Member{Staff: id, Role: m.Role})
		}
		if !gp || !slices.Contains(in.Members, actor) {
			return nil, "", invalid("Members", "a GP chairs the MDT: the GP recording the meeting must attend")
		}
		if len(in.Cases) == 0 {
			return nil, "", invalid("Cases", "a meeting reviews at least one case")
		}
		b := &Batch{Meetings: []*Meeting{mt}}
		for i, c := range in.Cases {
			field := fmt.Sprintf("Cases[%d]", i)
			for _, d := range in.Cases[:i] {
				if d.Patient == c.Patient {
					return nil, "", invalid(field+".Patient", "patient %s is reviewed twice", c.Patient)
				}
			}
			if err := s.patientOf(ctx, field+".Patient", c.Patient, in.Practice); err != nil {
				return nil, "", err
			}
			notes, err := trimNote(field+".Notes", c.Notes, 4000)
			if err != nil {
				return nil, "", err
			}
			cs := Case{Patient: c.Patient, Outcome: c.Outcome, Notes: notes}
			switch c.Outcome {
			case OutcomeRefer:
				r, err := s.referPatient(ctx, now, actor, in.Practice, c.Patient, SourceMDT, mt.ID, "MDT "+mt.ID)
				if err != nil {
					return nil, "", err
				}
				cs.Referral = r.ID
				b.Referrals = append(b.Referrals, r)
				b.Events = append(b.Events, event(in.Practice, now, actor, "referral.refer", r.ID, "mdt "+mt.ID))
			case OutcomeMedical, OutcomeNoAction:
				open := true
				rs, err := s.store.Referrals(ctx, ReferralFilter{Patient: c.Patient, State: Identified, Open: &open})
				if err != nil {
					return nil, "", err
				}
				for _, r := range rs {
					r.CloseReason = NotReferred
					r.move(Closed, now, actor, "MDT "+mt.ID+": "+string(c.Outcome))
					b.Referrals = append(b.Referrals, r)
					b.Events = append(b.Events, event(in.Practice, now, actor, "referral.close", r.ID, string(NotReferred)))
				}
			default:
				return nil, "", invalid(field+".Outcome", "%q is not an outcome (refer, medical, no-action)", c.Outcome)
			}
			mt.Cases = append(mt.Cases, cs)
		}
		b.Events = append([]Event{event(in.Practice, now, actor, "mdt.hold", mt.ID, fmt.Sprintf("%d cases", len(mt.Cases)))}, b.Events...)
		return b, mt.ID, nil
	}, s.store.Meeting)
	if err != nil {
		return nil, fmt.Errorf("hold meeting: %w", err)
	}
	return mt, nil
}

// Meeting returns an MDT meeting, if the actor may see the practice's
// patients. Errors: ErrForbidden (also for an unknown id).
func (s *Service) Meeting(ctx context.Context, a call.Actor, id string) (*Meeting, error) {
	var m *Meeting
	if _, err := s.onRecord(ctx, a.ID, "meeting", id, nil, func(ctx context.Context) (string, error) {
		var err error
		if m, err = s.store.Meeting(ctx, id); err != nil {
			return "", err
		}
		return m.Practice, nil
	}); err != nil {
		return nil, fmt.Errorf("meeting %s: %w", id, err)
	}
	return m, nil
}

// Meetings lists a practice's MDT meetings ordered by date, if the actor
// may see its patients. Errors: ErrForbidden.
func (s *Service) Meetings(ctx context.Context, a call.Actor, practice string) ([]*Meeting, error) {
	if _, err := s.atPractice(ctx, a.ID, practice); err != nil {
		return nil, fmt.Errorf("meetings: %w", err)
	}
	return s.store.Meetings(ctx, practice)
}
