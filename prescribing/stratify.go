package prescribing

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// ScoreImport asks to import a practice's risk scores from a CSV file with
// the columns ScoreColumns: one row per patient, the NHS number in any
// usual form and the model's score.
type ScoreImport struct {
	Practice string
	Model    string    // a model the Service knows (PARR, CPM, QAdmissions, eFI, or WithModel)
	ScoredOn time.Time // when the model ran
	File     io.Reader
}

// ImportScores imports a score file as a new ScoreSet. Patients not yet
// known are registered with the practice (NHS number only). The actor must
// be a GP of the practice. Every problem of the file is reported at once
// in an *ImportError (a bad NHS number, a score outside the model's range,
// a patient listed twice, a patient registered with another practice) and
// then nothing is written. Errors: *ImportError (ErrInvalid), ErrInvalid
// (an unknown model, no date), ErrNotFound, ErrForbidden.
func (s *Service) ImportScores(ctx context.Context, key, actor string, in ScoreImport) (*ScoreSet, error) {
	if in.File == nil {
		return nil, fmt.Errorf("import scores: %w", invalid("File", "is required"))
	}
	file, err := readAll(in.File)
	if err != nil {
		return nil, fmt.Errorf("import scores: %w", err)
	}
	req := struct {
		Practice, Model string
		ScoredOn        time.Time
		File            []byte
	}{in.Practice, in.Model, in.ScoredOn, file}
	set, err := write(ctx, s, key, "scores.import", actor, req, func(now time.Time) (*Batch, string, error) {
		if _, err := s.store.Practice(ctx, in.Practice); err != nil {
			return nil, "", fmt.Errorf("Practice: %w", err)
		}
		if _, err := s.atPractice(ctx, actor, in.Practice, RoleGP); err != nil {
			return nil, "", err
		}
		m, ok := s.models[strings.ToLower(strings.TrimSpace(in.Model))]
		if !ok {
			return nil, "", invalid("Model", "%q is not a model the service knows", in.Model)
		}
		if in.ScoredOn.IsZero() || norm(in.ScoredOn).After(now) {
			return nil, "", invalid("ScoredOn", "is required and may not be in the future")
		}
		rows, problems := parseScores(bytes.NewReader(file), m)
		nhs := make([]NHSNumber, len(rows))
		for i, r := range rows {
			nhs[i] = r.nhs
		}
		known, err := s.store.Patients(ctx, PatientFilter{NHSNumbers: nhs})
		if err != nil {
			return nil, "", err
		}
		byNHS := make(map[NHSNumber]*Patient, len(known))
		for _, p := range known {
			byNHS[p.NHSNumber] = p
		}
		set := &ScoreSet{ID: s.newID("scr", now), Practice: in.Practice, Model: m.Name, ScoredOn: norm(in.ScoredOn),
			Scores: make([]PatientScore, 0, len(rows)), CreatedAt: now, CreatedBy: actor, Version: 1}
		b := &Batch{ScoreSets: []*ScoreSet{set}}
		for _, r := range rows {
			p := byNHS[r.nhs]
			switch {
			case p == nil:
				p = &Patient{ID: s.newID("pat", now), Practice: in.Practice, NHSNumber: r.nhs,
					CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1}
				b.Patients = append(b.Patients, p)
			case p.Practice != in.Practice:
				problems = append(problems, RowError{Line: r.line, Field: "nhs_number", Reason: "the patient is registered with another practice"})
				continue
			}
			set.Scores = append(set.Scores, PatientScore{Patient: p.ID, Score: r.score})
		}
		if len(problems) > 0 {
			return nil, "", &ImportError{Rows: problems}
		}
		b.Events = []Event{event(in.Practice, now, actor, "scores.import", set.ID,
			fmt.Sprintf("%s: %d scores, %d new patients", m.Name, len(set.Scores), len(b.Patients)))}
		return b, set.ID, nil
	}, s.store.ScoreSet)
	if err != nil {
		return nil, fmt.Errorf("import scores: %w", err)
	}
	return set, nil
}

// Stratify selects the top Percent of a score set's patients (zero means
// the practice's TopPercent), with Top. The actor must be a GP of the
// practice. Errors: ErrInvalid (a percentage outside 3–5%), ErrNotFound,
// ErrForbidden.
func (s *Service) Stratify(ctx context.Context, key, actor, scoreSet string, percent decimal.Decimal) (*Stratification, error) {
	req := struct {
		ScoreSet string
		Percent  string
	}{scoreSet, percent.String()}
	st, err := write(ctx, s, key, "stratify", actor, req, func(now time.Time) (*Batch, string, error) {
		set, err := s.store.ScoreSet(ctx, scoreSet)
		if err != nil {
			return nil, "", fmt.Errorf("score set %s: %w", scoreSet, err)
		}
		p, err := s.store.Practice(ctx, set.Practice)
		if err != nil {
			return nil, "", err
		}
		if _, err := s.atPractice(ctx, actor, p.ID, RoleGP); err != nil {
			return nil, "", err
		}
		if percent.IsZero() {
			percent = p.TopPercent
		}
		if err := checkPercent("Percent", percent); err != nil {
			return nil, "", err
		}
		st := Stratify(set, percent)
		st.ID, st.CreatedAt, st.CreatedBy, st.UpdatedAt, st.UpdatedBy, st.Version = s.newID("str", now), now, actor, now, actor, 1
		return &Batch{Stratifications: []*Stratification{st},
			Events: []Event{event(p.ID, now, actor, "stratify", st.ID, fmt.Sprintf("top %s%%: %d of %d", percent, len(st.Selected), st.ListSize))},
		}, st.ID, nil
	}, s.store.Stratification)
	if err != nil {
		return nil, fmt.Errorf("stratify: %w", err)
	}
	return st, nil
}

// Stratify selects the top percent of a score set, without storing
// anything: the cohort size is CohortSize(len(set.Scores), percent) and
// the patients are chosen with Top. It runs in time linear in the list.
func Stratify(set *ScoreSet, percent decimal.Decimal) *Stratification {
	list := make([]Ranked, len(set.Scores))
	for i, sc := range set.Scores {
		list[i] = Ranked(sc)
	}
	top := Top(list, CohortSize(len(list), percent))
	st := &Stratification{Practice: set.Practice, ScoreSet: set.ID, Model: set.Model, Percent: percent,
		ListSize: len(list), Selected: append([]Ranked(nil), top...)}
	if len(top) > 0 {
		st.Cutoff = top[len(top)-1].Score
	}
	return st
}

// AdjustRequest asks a GP's change to a cohort by clinical judgement.
type AdjustRequest struct {
	Patient string
	Include bool // add the patient (true) or remove them (false)
	Reason  string
}

// Adjust adds a patient to a stratification's cohort or removes one, by a
// GP's clinical judgement, recording the reason and who. The actor must be
// a GP of the practice. Errors: ErrInvalid (no reason; adding a patient
// already in the cohort or removing one not in it), ErrOtherPractice, ErrNotFound,
// ErrForbidden.
func (s *Service) Adjust(ctx context.Context, key, actor, stratification string, in AdjustRequest) (*Stratification, error) {
	req := struct {
		Stratification string
		In             AdjustRequest
	}{stratification, in}
	st, err := write(ctx, s, key, "stratification.adjust", actor, req, func(now time.Time) (*Batch, string, error) {
		st, err := s.store.Stratification(ctx, stratification)
		if err != nil {
			return nil, "", err
		}
		if _, err := s.atPractice(ctx, actor, st.Practice, RoleGP); err != nil {
			return nil, "", err
		}
		if err := s.patientOf(ctx, "Patient", in.Patient, st.Practice); err != nil {
			return nil, "", err
		}
		reason, err := trimNote("Reason", in.Reason, 2000)
		if err != nil {
			return nil, "", err
		}
		if reason == "" {
			return nil, "", invalid("Reason", "a GP's clinical judgement is recorded with its reason")
		}
		if st.InCohort(in.Patient) == in.Include {
			return nil, "", invalid("Include", "patient %s is already %s the cohort", in.Patient, map[bool]string{true: "in", false: "out of"}[in.Include])
		}
		st.Adjustments = append(st.Adjustments, Adjustment{Patient: in.Patient, Include: in.Include, Reason: reason, By: actor, At: now})
		st.UpdatedAt, st.UpdatedBy = now, actor
		st.Version++
		action := map[bool]string{true: "add", false: "remove"}[in.Include]
		return &Batch{Stratifications: []*Stratification{st},
			Events: []Event{event(st.Practice, now, actor, "stratification.adjust", st.ID, action+" "+in.Patient)}}, st.ID, nil
	}, s.store.Stratification)
	if err != nil {
		return nil, fmt.Errorf("adjust stratification %s: %w", stratification, err)
	}
	return st, nil
}

// Stratification returns a stratification, if the actor may see the
// practice's patients. Errors: ErrNotFound, ErrForbidden.
func (s *Service) Stratification(ctx context.Context, actor, id string) (*Stratification, error) {
	st, err := s.store.Stratification(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.atPractice(ctx, actor, st.Practice); err != nil {
		return nil, err
	}
	return st, nil
}

// patientOf checks that a patient exists and is registered with practice.
func (s *Service) patientOf(ctx context.Context, field, patient, practice string) error {
	if patient == "" {
		return invalid(field, "is required")
	}
	p, err := s.store.Patient(ctx, patient)
	if err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	if p.Practice != practice {
		return fieldErr(ErrOtherPractice, field, "patient %s is registered with practice %s, not %s", patient, p.Practice, practice)
	}
	return nil
}
