package prescribing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// NewPractice asks to register a GP practice.
type NewPractice struct {
	ODS        string
	Name       string
	PCN        string
	Area       string
	TopPercent decimal.Decimal // zero means DefaultTopPercent
}

// RegisterPractice registers a practice. The actor must be a manager.
// Errors: ErrInvalid (a bad ODS code, an empty name or area, a percentage
// outside 3–5%), ErrForbidden.
func (s *Service) RegisterPractice(ctx context.Context, key, actor string, in NewPractice) (*Practice, error) {
	p, err := write(ctx, s, key, "practice.register", actor, in, func(now time.Time) (*Batch, string, error) {
		if _, err := s.manager(ctx, actor); err != nil {
			return nil, "", err
		}
		p := &Practice{
			ID: s.newID("prc", now), ODS: strings.ToUpper(strings.TrimSpace(in.ODS)), Name: strings.TrimSpace(in.Name),
			PCN: strings.TrimSpace(in.PCN), Area: strings.TrimSpace(in.Area), TopPercent: in.TopPercent,
			CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
		}
		if p.TopPercent.IsZero() {
			p.TopPercent = DefaultTopPercent
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

// AddManager adds a scheme manager without checking the actor, who is the
// council officer setting the scheme up (recorded in the audit trail). The
// app must let only such officers call it. Errors: ErrInvalid.
func (s *Service) AddManager(ctx context.Context, key, officer string, in NewStaff) (*Staff, error) {
	in.Role, in.Practices, in.Caseload = RoleManager, nil, 0
	return s.addStaff(ctx, key, officer, "staff.add-manager", in, false)
}

// AddStaff adds a GP, nurse, community matron, social worker, advisor or
// manager. The actor must be a manager. Every practice named must exist.
// Errors: ErrInvalid, ErrNotFound (a practice), ErrForbidden.
func (s *Service) AddStaff(ctx context.Context, key, actor string, in NewStaff) (*Staff, error) {
	return s.addStaff(ctx, key, actor, "staff.add", in, true)
}

func (s *Service) addStaff(ctx context.Context, key, actor, op string, in NewStaff, check bool) (*Staff, error) {
	m, err := write(ctx, s, key, op, actor, in, func(now time.Time) (*Batch, string, error) {
		if check {
			if _, err := s.manager(ctx, actor); err != nil {
				return nil, "", err
			}
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
		return &Batch{Staff: []*Staff{m}, Events: []Event{event("", now, actor, op, m.ID, string(m.Role))}}, m.ID, nil
	}, s.store.Staff)
	if err != nil {
		return nil, fmt.Errorf("add staff: %w", err)
	}
	return m, nil
}

// NewPatient asks to register a patient of a practice.
type NewPatient struct {
	Practice  string
	NHSNumber string // in any usual form; see ParseNHSNumber
	Name      string
	Area      string
}

// RegisterPatient registers a patient with a practice. The actor must work
// with the practice in a clinical role. Errors: ErrInvalid (a bad NHS
// number), ErrNotFound (the practice), ErrForbidden, ErrConflict (the NHS
// number is registered already).
func (s *Service) RegisterPatient(ctx context.Context, key, actor string, in NewPatient) (*Patient, error) {
	p, err := write(ctx, s, key, "patient.register", actor, in, func(now time.Time) (*Batch, string, error) {
		if _, err := s.store.Practice(ctx, in.Practice); err != nil {
			return nil, "", fmt.Errorf("Practice: %w", err)
		}
		if _, err := s.atPractice(ctx, actor, in.Practice, clinical...); err != nil {
			return nil, "", err
		}
		nhs, err := ParseNHSNumber(in.NHSNumber)
		if err != nil {
			return nil, "", err
		}
		if _, err := s.store.PatientByNHS(ctx, nhs); err == nil {
			return nil, "", fieldErr(ErrConflict, "NHSNumber", "the patient is registered already")
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

// Patient returns a patient, if the actor may see the practice's patients.
// Errors: ErrNotFound, ErrForbidden.
func (s *Service) Patient(ctx context.Context, actor, id string) (*Patient, error) {
	p, err := s.store.Patient(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("patient %s: %w", id, err)
	}
	if _, err := s.atPractice(ctx, actor, p.Practice); err != nil {
		return nil, fmt.Errorf("patient %s: %w", id, err)
	}
	return p, nil
}

// Practice returns a practice. Any active member of staff may read it.
// Errors: ErrNotFound, ErrForbidden.
func (s *Service) Practice(ctx context.Context, actor, id string) (*Practice, error) {
	if _, err := s.staffOf(ctx, actor); err != nil {
		return nil, err
	}
	return s.store.Practice(ctx, id)
}
