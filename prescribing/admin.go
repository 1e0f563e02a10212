package prescribing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// NewPractice asks to register a GP practice.
type NewPractice struct {
	ODS        string
	Name       string
	PCN        string
	Area       string
	Ward       string          // the surgery's electoral ward; optional
	TopPercent decimal.Decimal // zero means defaultTopPercent
}

// RegisterPractice registers a practice. The actor must be a manager.
// Errors: ErrInvalid (a bad ODS code, an empty name or area, a percentage
// outside 3–5%), ErrForbidden.
func (s *Service) RegisterPractice(ctx context.Context, w call.Write, in NewPractice) (*Practice, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { _, err := s.manager(ctx, actor); return err }
	p, err := write(ctx, s, w, "practice.register", in, allow, func(now time.Time) (*Batch, string, error) {
		p := &Practice{
			ID: s.newID("prc", now), ODS: strings.ToUpper(strings.TrimSpace(in.ODS)), Name: strings.TrimSpace(in.Name),
			PCN: strings.TrimSpace(in.PCN), Area: strings.TrimSpace(in.Area), Ward: strings.TrimSpace(in.Ward), TopPercent: in.TopPercent,
			CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
		}
		if p.TopPercent.IsZero() {
			p.TopPercent = defaultTopPercent
		}
		if err := p.Validate(); err != nil {
			return nil, "", err
		}
		return &Batch{Practices: []*Practice{p}, Events: []Event{event(p.ID, now, actor, "practice.register", p.ID, "")}}, p.ID, nil
	}, s.store.Practice)
	if err != nil {
		return nil, fmt.Errorf("register practice: %w", err)
	}
	return p, nil
}

// NewStaff asks to add a member of staff.
type NewStaff struct {
	Name      string
	Role      Role
	Practices []string
	Caseload  int // advisors: their caseload limit
}

// AddStaff adds a GP, nurse, community matron, social worker, advisor or
// manager. The actor must be a manager (the first is made by Bootstrap).
// Every practice named must exist. Errors: ErrInvalid, ErrNotFound (a
// practice), ErrForbidden.
func (s *Service) AddStaff(ctx context.Context, w call.Write, in NewStaff) (*Staff, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { _, err := s.manager(ctx, actor); return err }
	m, err := write(ctx, s, w, "staff.add", in, allow, func(now time.Time) (*Batch, string, error) {
		if _, err := s.manager(ctx, actor); err != nil {
			return nil, "", err
		}
		m := &Staff{
			ID: s.newID("stf", now), Name: strings.TrimSpace(in.Name), Role: in.Role,
			Practices: append([]string(nil), in.Practices...), Caseload: in.Caseload, Active: true,
			CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
		}
		if err := m.Validate(); err != nil {
			return nil, "", err
		}
		for i, p := range m.Practices {
			if _, err := s.store.Practice(ctx, p); err != nil {
				return nil, "", fmt.Errorf("Practices[%d]: %w", i, err)
			}
		}
		return &Batch{Staff: []*Staff{m}, Events: []Event{event("", now, actor, "staff.add", m.ID, string(m.Role))}}, m.ID, nil
	}, s.store.Staff)
	if err != nil {
		return nil, fmt.Errorf("add staff: %w", err)
	}
	return m, nil
}

// DeactivateStaff marks a member of staff as no longer active: from then
// on every call they make, replays of their earlier keys included, is
// ErrForbidden. The actor must be a manager; a manager may not deactivate
// themself. Errors: ErrNotFound (no such member of staff), ErrInvalid,
// ErrForbidden.
func (s *Service) DeactivateStaff(ctx context.Context, w call.Write, id string) (*Staff, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { _, err := s.manager(ctx, actor); return err }
	m, err := write(ctx, s, w, "staff.deactivate", id, allow, func(now time.Time) (*Batch, string, error) {
		if id == actor {
			return nil, "", invalid("id", "a manager may not deactivate themself")
		}
		m, err := s.store.Staff(ctx, id)
		if err != nil {
			return nil, "", err
		}
		if m.Active {
			m.Active = false
			m.UpdatedAt, m.UpdatedBy = now, actor
			m.Version++
		}
		return &Batch{Staff: []*Staff{m}, Events: []Event{event("", now, actor, "staff.deactivate", m.ID, "")}}, m.ID, nil
	}, s.store.Staff)
	if err != nil {
		return nil, fmt.Errorf("deactivate staff %s: %w", id, err)
	}
	return m, nil
}

// Staff returns a member of staff. A manager may read anyone; others only
// themselves. Errors: ErrForbidden (also for an unknown id).
func (s *Service) Staff(ctx context.Context, a call.Actor, id string) (*Staff, error) {
	m, err := s.staffOf(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("staff %s: %w", id, err)
	}
	if m.Role != RoleManager && id != a.ID {
		return nil, fmt.Errorf("staff %s: %w", id, fieldErr(ErrForbidden, "actor", "%s may read only their own record", a.ID))
	}
	st, err := s.store.Staff(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("staff %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("staff %s: %w", id, err)
	}
	return st, nil
}

// NewPatient asks to register a patient of a practice.
type NewPatient struct {
	Practice  string
	NHSNumber string // in any usual form; see ParseNHSNumber
	Name      string
	Area      string
}

// RegisterPatient registers a patient with a practice. The actor must work
// with the practice in a clinical role. Each practice keeps its own record
// of a patient: an NHS number registered at another practice is unknown
// here, so the answer never tells whether another practice knows the
// person. Errors: ErrForbidden (checked first), ErrInvalid (a bad NHS
// number or field), ErrNotFound (the practice), ErrConflict (the NHS
// number is registered at this practice already).
func (s *Service) RegisterPatient(ctx context.Context, w call.Write, in NewPatient) (*Patient, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		_, err := s.atPractice(ctx, actor, in.Practice, clinical...)
		return err
	}
	p, err := write(ctx, s, w, "patient.register", in, allow, func(now time.Time) (*Batch, string, error) {
		if _, err := s.store.Practice(ctx, in.Practice); err != nil {
			return nil, "", fmt.Errorf("Practice: %w", err)
		}
		nhs, err := ParseNHSNumber(in.NHSNumber)
		if err != nil {
			return nil, "", err
		}
		if _, err := s.store.PatientByNHS(ctx, in.Practice, nhs); err == nil {
			return nil, "", fieldErr(ErrConflict, "NHSNumber", "the patient is registered with this practice already")
		} else if !errors.Is(err, ErrNotFound) {
			return nil, "", err
		}
		p := &Patient{ID: s.newID("pat", now), Practice: in.Practice, NHSNumber: nhs,
			Name: strings.TrimSpace(in.Name), Area: strings.TrimSpace(in.Area),
			CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1}
		if err := p.Validate(); err != nil {
			return nil, "", err
		}
		return &Batch{Patients: []*Patient{p}, Events: []Event{event(p.Practice, now, actor, "patient.register", p.ID, "")}}, p.ID, nil
	}, s.store.Patient)
	if err != nil {
		return nil, fmt.Errorf("register patient: %w", err)
	}
	return p, nil
}

// PatientByNHS returns the patient a practice registered with an NHS
// number (in any usual form), if the actor works with the practice in a
// clinical role, as RegisterPatient needs. Only that practice's record is
// searched. Errors: ErrForbidden (checked first), ErrInvalid (a bad NHS
// number), ErrNotFound (no patient of the practice has it, or the
// patient's record was erased).
func (s *Service) PatientByNHS(ctx context.Context, a call.Actor, practice, nhsNumber string) (*Patient, error) {
	if _, err := s.atPractice(ctx, a.ID, practice, clinical...); err != nil {
		return nil, fmt.Errorf("patient by NHS number: %w", err)
	}
	nhs, err := ParseNHSNumber(nhsNumber)
	if err != nil {
		return nil, fmt.Errorf("patient by NHS number: %w", err)
	}
	p, err := s.store.PatientByNHS(ctx, practice, nhs)
	if err != nil {
		return nil, fmt.Errorf("patient by NHS number: %w", err)
	}
	return p, nil
}

// PatientCorrection corrects a patient's record; a nil field is left as
// it is.
type PatientCorrection struct {
	Name *string
	Area *string
}

// CorrectPatient corrects the name or area of a patient's record, as the
// practice's own system has them now; a field given as it is already is
// left alone, and a correction that changes nothing writes only its
// receipt. The actor must work with the patient's practice in a clinical
// role. The audit event names the fields corrected, never their values.
// The NHS number is not corrected: a different number is a different
// patient. Errors: ErrForbidden (also for an unknown patient), ErrInvalid
// (a field), ErrConflict (the patient's record was erased: it is not
// filled in again).
func (s *Service) CorrectPatient(ctx context.Context, w call.Write, id string, c PatientCorrection) (*Patient, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		_, err := s.onRecord(ctx, actor, "patient", id, clinical, s.patientPractice(id))
		return err
	}
	req := struct {
		Patient    string
		Correction PatientCorrection
	}{id, c}
	p, err := write(ctx, s, w, "patient.correct", req, allow, func(now time.Time) (*Batch, string, error) {
		p, err := s.store.Patient(ctx, id)
		if err != nil {
			return nil, "", err
		}
		if p.NHSNumber == "" {
			return nil, "", fieldErr(ErrConflict, "ID", "the patient's record was erased; it is not filled in again")
		}
		if c.Name == nil && c.Area == nil {
			return nil, "", invalid("Name", "a correction names a field to correct")
		}
		var fields []string
		if c.Name != nil && strings.TrimSpace(*c.Name) != p.Name {
			p.Name = strings.TrimSpace(*c.Name)
			fields = append(fields, "name")
		}
		if c.Area != nil && strings.TrimSpace(*c.Area) != p.Area {
			p.Area = strings.TrimSpace(*c.Area)
			fields = append(fields, "area")
		}
		if len(fields) == 0 {
			// As the record is already: only the call's receipt is kept.
			return &Batch{}, p.ID, nil
		}
		p.UpdatedAt, p.UpdatedBy = now, actor
		p.Version++
		if err := p.Validate(); err != nil {
			return nil, "", err
		}
		return &Batch{Patients: []*Patient{p}, Events: []Event{event(p.Practice, now, actor, "patient.correct", p.ID,
			"corrected "+strings.Join(fields, " and "))}}, p.ID, nil
	}, s.store.Patient)
	if err != nil {
		return nil, fmt.Errorf("correct patient %s: %w", id, err)
	}
	return p, nil
}

// Patient returns a patient, if the actor may see the practice's patients.
// Errors: ErrForbidden (also for an unknown id, so that an id tells nobody
// whether a patient exists).
func (s *Service) Patient(ctx context.Context, a call.Actor, id string) (*Patient, error) {
	var p *Patient
	if _, err := s.onRecord(ctx, a.ID, "patient", id, nil, func(ctx context.Context) (string, error) {
		var err error
		if p, err = s.store.Patient(ctx, id); err != nil {
			return "", err
		}
		return p.Practice, nil
	}); err != nil {
		return nil, fmt.Errorf("patient %s: %w", id, err)
	}
	return p, nil
}

// Practice returns a practice. Any active member of staff may read it.
// Errors: ErrNotFound, ErrForbidden.
func (s *Service) Practice(ctx context.Context, a call.Actor, id string) (*Practice, error) {
	if _, err := s.staffOf(ctx, a.ID); err != nil {
		return nil, fmt.Errorf("practice %s: %w", id, err)
	}
	p, err := s.store.Practice(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("practice %s: %w", id, err)
	}
	return p, nil
}

// Practices lists practices, filtered and paged by f. Any active member
// of staff may read them. Errors: ErrForbidden.
func (s *Service) Practices(ctx context.Context, a call.Actor, f PracticeFilter) ([]*Practice, error) {
	if _, err := s.staffOf(ctx, a.ID); err != nil {
		return nil, fmt.Errorf("practices: %w", err)
	}
	return s.store.Practices(ctx, f)
}
