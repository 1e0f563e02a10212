package prescribing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// NewReferral asks to refer a patient directly, outside an MDT meeting.
type NewReferral struct {
	Patient string
	Needs   []Need // needs the referrer sees, if any; the advisor records them at assessment
	Note    string
}

// Refer refers a patient of the actor's practice to social prescribing,
// directly: the actor must be a GP (Source SourceGP) or a practice nurse,
// community matron or social worker (SourceProfessional) working with the
// patient's practice. An identified referral the patient has is moved on
// to referred; otherwise a new referral is made. Errors: ErrInvalid,
// ErrNotFound, ErrForbidden, ErrOpenReferral (the patient has an open
// referral past identified, perhaps made by a concurrent write; it is a
// kind of ErrInvalidTransition).
func (s *Service) Refer(ctx context.Context, w call.Write, practice string, in NewReferral) (*Referral, error) {
	actor := w.Actor.ID
	req := struct {
		Practice string
		In       NewReferral
	}{practice, in}
	allow := func(ctx context.Context) error {
		_, err := s.atPractice(ctx, actor, practice, clinical...)
		return err
	}
	r, err := write(ctx, s, w, "referral.refer", req, allow, func(now time.Time) (*Batch, string, error) {
		m, err := s.atPractice(ctx, actor, practice, clinical...)
		if err != nil {
			return nil, "", err
		}
		if err := s.patientOf(ctx, "Patient", in.Patient, practice); err != nil {
			return nil, "", err
		}
		if err := checkNeeds("Needs", in.Needs, false); err != nil {
			return nil, "", err
		}
		note, err := trimNote("Note", in.Note, 2000)
		if err != nil {
			return nil, "", err
		}
		src := SourceProfessional
		if m.Role == RoleGP {
			src = SourceGP
		}
		r, err := s.referPatient(ctx, now, actor, practice, in.Patient, src, "", note)
		if err != nil {
			return nil, "", err
		}
		r.Needs = append([]Need(nil), in.Needs...)
		return &Batch{Referrals: []*Referral{r}, Events: []Event{event(practice, now, actor, "referral.refer", r.ID, string(src))}}, r.ID, nil
	}, s.store.Referral)
	if err != nil {
		return nil, fmt.Errorf("refer: %w", err)
	}
	return r, nil
}

// referPatient returns the patient's identified referral moved on to
// referred, or a new referral in state referred. The check that the
// patient has no other open referral is made here for a clear error, and
// again atomically by the store (Store.Apply's ErrOpenReferral), which
// write answers by rebuilding the batch from fresh reads.
func (s *Service) referPatient(ctx context.Context, now time.Time, actor, practice, patient string, src Source, meeting, note string) (*Referral, error) {
	open := true
	rs, err := s.store.Referrals(ctx, ReferralFilter{Patient: patient, Open: &open})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.State != Identified {
			return nil, fieldErr(ErrOpenReferral, "Patient", "patient %s has an open referral %s, %s", patient, r.ID, r.State)
		}
	}
	if len(rs) > 0 {
		r := rs[0]
		r.Source, r.Referrer, r.Meeting = src, actor, meeting
		r.move(Referred, now, actor, note)
		return r, nil
	}
	r := &Referral{ID: s.newID("ref", now), Practice: practice, Patient: patient, Source: src, Referrer: actor,
		Meeting: meeting, State: Referred, Code: SNOMEDReferral,
		History:   []Transition{{To: Referred, At: now, By: actor, Note: note}},
		CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1}
	return r, nil
}

// move records a transition (checked by the caller) and bumps the version.
func (r *Referral) move(to State, now time.Time, actor, note string) {
	r.History = append(r.History, Transition{From: r.State, To: to, At: now, By: actor, Note: note})
	r.State = to
	r.UpdatedAt, r.UpdatedBy = now, actor
	r.Version++
}

// Identify makes an identified referral for every patient in a
// stratification's cohort who has no open referral, ready for the MDT to
// review, and returns them. The actor must be a GP of the practice.
// Errors: ErrForbidden (also for an unknown stratification).
func (s *Service) Identify(ctx context.Context, w call.Write, stratification string) ([]*Referral, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		_, err := s.onRecord(ctx, actor, "stratification", stratification, []Role{RoleGP}, s.stratificationPractice(stratification))
		return err
	}
	rs, err := write(ctx, s, w, "referral.identify", stratification, allow, func(now time.Time) (*Batch, string, error) {
		st, err := s.store.Stratification(ctx, stratification)
		if err != nil {
			return nil, "", err
		}
		if _, err := s.atPractice(ctx, actor, st.Practice, RoleGP); err != nil {
			return nil, "", err
		}
		open := true
		rs, err := s.store.Referrals(ctx, ReferralFilter{Practice: st.Practice, Open: &open})
		if err != nil {
			return nil, "", err
		}
		has := map[string]bool{}
		for _, r := range rs {
			has[r.Patient] = true
		}
		b := &Batch{}
		var made []string
		for _, p := range st.Cohort() {
			if has[p] {
				continue
			}
			r := &Referral{ID: s.newID("ref", now), Practice: st.Practice, Patient: p, Source: SourceMDT,
				State: Identified, Code: SNOMEDReferral,
				History:   []Transition{{To: Identified, At: now, By: actor, Note: "risk stratification " + st.ID}},
				CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1}
			b.Referrals = append(b.Referrals, r)
			made = append(made, r.ID)
		}
		b.Events = []Event{event(st.Practice, now, actor, "referral.identify", st.ID, fmt.Sprintf("%d identified", len(made)))}
		return b, strings.Join(made, " "), nil
	}, s.referralList)
	if err != nil {
		return nil, fmt.Errorf("identify: %w", err)
	}
	return rs, nil
}

// referralList loads the referrals whose ids a result lists.
func (s *Service) referralList(ctx context.Context, result string) ([]*Referral, error) {
	var out []*Referral
	for _, id := range strings.Fields(result) {
		r, err := s.store.Referral(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
