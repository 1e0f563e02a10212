package prescribing

import (
	"context"
	"fmt"
	"time"

	"github.com/strongertogether/community/call"
)

// ErasePatient erases a patient's identifying data, everywhere the
// library keeps it: the NHS number, name and area on the patient record;
// every free-text note on their referrals (the notes of each move, the
// title and text of their stories); the MDT's notes on their cases; the
// reasons GPs gave for adding them to or removing them from a cohort;
// and the notes of the audit events about the patient and their
// referrals. What reports count stays, under pseudonymous ids (see the
// package documentation). The actor must be a GP of the patient's
// practice. Erasing an erased patient changes nothing more. Errors:
// ErrForbidden (also for an unknown patient).
func (s *Service) ErasePatient(ctx context.Context, w call.Write, id string) (*Patient, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		_, err := s.onRecord(ctx, actor, "patient", id, []Role{RoleGP}, s.patientPractice(id))
		return err
	}
	p, err := write(ctx, s, w, "patient.erase", id, allow, func(now time.Time) (*Batch, string, error) {
		p, err := s.store.Patient(ctx, id)
		if err != nil {
			return nil, "", err
		}
		if _, err := s.atPractice(ctx, actor, p.Practice, RoleGP); err != nil {
			return nil, "", err
		}
		b := &Batch{EraseNotes: []string{p.ID}}
		p.NHSNumber, p.Name, p.Area = "", "", ""
		p.UpdatedAt, p.UpdatedBy = now, actor
		p.Version++
		b.Patients = []*Patient{p}

		refs, err := s.store.Referrals(ctx, ReferralFilter{Patient: p.ID})
		if err != nil {
			return nil, "", err
		}
		for _, r := range refs {
			for i := range r.History {
				r.History[i].Note = ""
			}
			for i := range r.Stories {
				r.Stories[i].Title, r.Stories[i].Text = "", ""
			}
			r.UpdatedAt, r.UpdatedBy = now, actor
			r.Version++
			b.Referrals = append(b.Referrals, r)
			b.EraseNotes = append(b.EraseNotes, r.ID)
		}
		meetings, err := s.store.Meetings(ctx, p.Practice)
		if err != nil {
			return nil, "", err
		}
		for _, m := range meetings {
			changed := false
			for i := range m.Cases {
				if m.Cases[i].Patient == p.ID && m.Cases[i].Notes != "" {
					m.Cases[i].Notes, changed = "", true
				}
			}
			if changed {
				m.Version++
				b.Meetings = append(b.Meetings, m)
			}
		}
		strats, err := s.store.Stratifications(ctx, p.Practice)
		if err != nil {
			return nil, "", err
		}
		for _, st := range strats {
			changed := false
			for i := range st.Adjustments {
				if st.Adjustments[i].Patient == p.ID && st.Adjustments[i].Reason != "" {
					st.Adjustments[i].Reason, changed = "", true
				}
			}
			if changed {
				st.UpdatedAt, st.UpdatedBy = now, actor
				st.Version++
				b.Stratifications = append(b.Stratifications, st)
			}
		}
		b.Events = []Event{event(p.Practice, now, actor, "patient.erase", p.ID, "")}
		return b, p.ID, nil
	}, s.store.Patient)
	if err != nil {
		return nil, fmt.Errorf("erase patient %s: %w", id, err)
	}
	return p, nil
}
