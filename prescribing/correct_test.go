package prescribing_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	rx "github.com/strongertogether/community/prescribing"
)

func ptr(s string) *string { return &s }

// A practice's clinician corrects a patient's name and area and finds the
// patient by NHS number; others may not; the audit event names the
// fields, not their values; an erased record is not filled in again.
func TestCorrectPatient(t *testing.T) {
	w := newWorld(t)
	p := w.patient(w.tilbury, 1, "Tilbury")
	gp, nurse := call.As(w.gp.ID), call.As(w.nurse.ID)

	found, err := w.svc.PatientByNHS(w.ctx, nurse, w.tilbury.ID, strings.ReplaceAll(nhs(1), " ", ""))
	require.NoError(t, err)
	assert.Equal(t, p.ID, found.ID)
	_, err = w.svc.PatientByNHS(w.ctx, call.As(w.gpAveley.ID), w.tilbury.ID, nhs(1))
	assert.ErrorIs(t, err, rx.ErrForbidden, "a GP of another practice")
	_, err = w.svc.PatientByNHS(w.ctx, gp, w.aveley.ID, nhs(1))
	assert.ErrorIs(t, err, rx.ErrForbidden, "the GP does not work with Aveley")
	_, err = w.svc.PatientByNHS(w.ctx, gp, w.tilbury.ID, nhs(2))
	assert.ErrorIs(t, err, rx.ErrNotFound)
	_, err = w.svc.PatientByNHS(w.ctx, gp, w.tilbury.ID, "123")
	assert.ErrorIs(t, err, rx.ErrInvalid)

	c, err := w.svc.CorrectPatient(w.ctx, nurse.Key("fix"), p.ID, rx.PatientCorrection{Name: ptr(" Patient Newname "), Area: ptr("Grays")})
	require.NoError(t, err)
	assert.Equal(t, "Patient Newname", c.Name)
	assert.Equal(t, "Grays", c.Area)
	assert.Equal(t, p.NHSNumber, c.NHSNumber)
	assert.Equal(t, p.Version+1, c.Version)
	again, err := w.svc.CorrectPatient(w.ctx, nurse.Key("fix"), p.ID, rx.PatientCorrection{Name: ptr(" Patient Newname "), Area: ptr("Grays")})
	require.NoError(t, err)
	assert.Equal(t, c.Version, again.Version, "a replay changes nothing")
	c, err = w.svc.CorrectPatient(w.ctx, gp.Key("fix-area"), p.ID, rx.PatientCorrection{Area: ptr("Tilbury")})
	require.NoError(t, err)
	assert.Equal(t, "Patient Newname", c.Name, "a nil field is left as it is")
	assert.Equal(t, "Tilbury", c.Area)

	same, err := w.svc.CorrectPatient(w.ctx, gp.Key("as-is"), p.ID, rx.PatientCorrection{Name: ptr("Patient Newname"), Area: ptr("Tilbury")})
	require.NoError(t, err)
	assert.Equal(t, c.Version, same.Version, "a correction to what the record holds changes nothing")
	_, err = w.svc.CorrectPatient(w.ctx, call.As(w.adv.ID).Key("adv"), p.ID, rx.PatientCorrection{Name: ptr("X")})
	assert.ErrorIs(t, err, rx.ErrForbidden, "an advisor is not clinical staff")
	_, err = w.svc.CorrectPatient(w.ctx, gp.Key("nobody"), "pat-nobody", rx.PatientCorrection{Name: ptr("X")})
	assert.ErrorIs(t, err, rx.ErrForbidden, "an unknown patient looks like a forbidden one")
	_, err = w.svc.CorrectPatient(w.ctx, gp.Key("empty"), p.ID, rx.PatientCorrection{})
	assert.ErrorIs(t, err, rx.ErrInvalid)
	_, err = w.svc.CorrectPatient(w.ctx, gp.Key("blank"), p.ID, rx.PatientCorrection{Name: ptr(strings.Repeat("x", 1000))})
	assert.ErrorIs(t, err, rx.ErrInvalid)

	evs, err := w.svc.Events(w.ctx, gp, rx.EventFilter{Practice: w.tilbury.ID})
	require.NoError(t, err)
	var notes []string
	for _, e := range evs {
		if e.Action == "patient.correct" {
			notes = append(notes, e.Note)
		}
	}
	assert.Equal(t, []string{"corrected name and area", "corrected area"}, notes)
	assert.NotContains(t, w.logs.String(), "Newname", "names are never logged")

	_, err = w.svc.ErasePatient(w.ctx, gp.Key("erase"), p.ID)
	require.NoError(t, err)
	_, err = w.svc.CorrectPatient(w.ctx, gp.Key("refill"), p.ID, rx.PatientCorrection{Name: ptr("Patient Name1")})
	assert.ErrorIs(t, err, rx.ErrConflict)
	_, err = w.svc.PatientByNHS(w.ctx, gp, w.tilbury.ID, nhs(1))
	assert.ErrorIs(t, err, rx.ErrNotFound, "an erased record has no NHS number to be found by")
}
