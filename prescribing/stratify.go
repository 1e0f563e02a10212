package prescribing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
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

// ImportScores imports a score file as a new ScoreSet. Patients the
// practice does not know yet are registered with it (NHS number only);
// what other practices know is never consulted. The actor must be a GP of
// the practice, checked before the file is read; the file may be at most
// 64 MiB. Every problem of the file is reported at once in an
// *ImportError (a bad NHS number, a score outside the model's range, a
// patient listed twice) and then nothing is written. Errors: ErrForbidden,
// *ImportError (ErrInvalid), ErrInvalid (an unknown model, no date, a file
// over 64 MiB), ErrNotFound (the practice).
func (s *Service) ImportScores(ctx context.Context, w call.Write, in ScoreImport) (*ScoreSet, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		_, err := s.atPractice(ctx, actor, in.Practice, RoleGP)
		return err
	}
	if err := allow(ctx); err != nil {
		return nil, fmt.Errorf("import scores: %w", err)
	}
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
	set, err := write(ctx, s, w, "scores.import", req, allow, func(now time.Time) (*Batch, string, error) {
		if _, err := s.store.Practice(ctx, in.Practice); err != nil {
			return nil, "", fmt.Errorf("Practice: %w", err)
		}
		if err := checkText("Model", in.Model, 100); err != nil {
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
		known, err := s.store.Patients(ctx, PatientFilter{Practice: in.Practice, NHSNumbers: nhs})
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
			if p == nil {
				p = &Patient{ID: s.newID("pat", now), Practice: in.Practice, NHSNumber: r.nhs,
					CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1}
				b.Patients = append(b.Patients, p)
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
// practice. Errors: ErrForbidden (also for an unknown score set),
// ErrInvalid (a percentage outside 3–5%).
func (s *Service) Stratify(ctx context.Context, w call.Write, scoreSet string, percent decimal.Decimal) (*Stratification, error) {
	actor := w.Actor.ID
	req := struct {
		ScoreSet string
		Percent  string
	}{scoreSet, percent.String()}
	allow := func(ctx context.Context) error {
		_, err := s.onRecord(ctx, actor, "score set", scoreSet, []Role{RoleGP}, func(ctx context.Context) (string, error) {
			set, err := s.store.ScoreSet(ctx, scoreSet)
			if err != nil {
				return "", err
			}
			return set.Practice, nil
		})
		return err
	}
	st, err := write(ctx, s, w, "stratify", req, allow, func(now time.Time) (*Batch, string, error) {
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
		st := stratify(set, percent)
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

// stratify selects the top percent of a score set, without storing
// anything: the cohort size is CohortSize(len(set.Scores), percent) and
// the patients are chosen with Top. It runs in time linear in the list.
func stratify(set *ScoreSet, percent decimal.Decimal) *Stratification {
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
// a GP of the practice. Errors: ErrForbidden (also for an unknown
// stratification), ErrInvalid (no reason; adding a patient already in the
// cohort or removing one not in it), ErrNotFound (a patient the practice
// does not have, whether or not another practice has them).
func (s *Service) Adjust(ctx context.Context, w call.Write, stratification string, in AdjustRequest) (*Stratification, error) {
	actor := w.Actor.ID
	req := struct {
		Stratification string
		In             AdjustRequest
	}{stratification, in}
	allow := func(ctx context.Context) error {
		_, err := s.onRecord(ctx, actor, "stratification", stratification, []Role{RoleGP}, s.stratificationPractice(stratification))
		return err
	}
	st, err := write(ctx, s, w, "stratification.adjust", req, allow, func(now time.Time) (*Batch, string, error) {
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
// practice's patients. Errors: ErrForbidden (also for an unknown id).
func (s *Service) Stratification(ctx context.Context, a call.Actor, id string) (*Stratification, error) {
	var st *Stratification
	if _, err := s.onRecord(ctx, a.ID, "stratification", id, nil, func(ctx context.Context) (string, error) {
		var err error
		if st, err = s.store.Stratification(ctx, id); err != nil {
			return "", err
		}
		return st.Practice, nil
	}); err != nil {
		return nil, fmt.Errorf("stratification %s: %w", id, err)
	}
	return st, nil
}

// Stratifications lists a practice's stratifications ordered by id, if
// the actor may see its patients. Errors: ErrForbidden.
func (s *Service) Stratifications(ctx context.Context, a call.Actor, practice string) ([]*Stratification, error) {
	if _, err := s.atPractice(ctx, a.ID, practice); err != nil {
		return nil, fmt.Errorf("stratifications: %w", err)
	}
	return s.store.Stratifications(ctx, practice)
}

// ScoreSet returns a score set, if the actor may see the practice's
// patients. Errors: ErrForbidden (also for an unknown id).
func (s *Service) ScoreSet(ctx context.Context, a call.Actor, id string) (*ScoreSet, error) {
	var set *ScoreSet
	if _, err := s.onRecord(ctx, a.ID, "score set", id, nil, func(ctx context.Context) (string, error) {
		var err error
		if set, err = s.store.ScoreSet(ctx, id); err != nil {
			return "", err
		}
		return set.Practice, nil
	}); err != nil {
		return nil, fmt.Errorf("score set %s: %w", id, err)
	}
	return set, nil
}

// stratificationPractice returns a practiceOf for stratification id.
func (s *Service) stratificationPractice(id string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		st, err := s.store.Stratification(ctx, id)
		if err != nil {
			return "", err
		}
		return st.Practice, nil
	}
}

// patientOf checks that a patient is registered with practice. An unknown
// patient and one of another practice give the same error, so the answer
// never tells whether another practice has the patient.
func (s *Service) patientOf(ctx context.Context, field, patient, practice string) error {
	if patient == "" {
		return invalid(field, "is required")
	}
	p, err := s.store.Patient(ctx, patient)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%s: %w", field, err)
	}
	if err != nil || p.Practice != practice {
		return fieldErr(ErrNotFound, field, "patient %s is not registered with practice %s", patient, practice)
	}
	return nil
}
