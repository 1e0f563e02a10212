package prescribing_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	rx "github.com/strongertogether/community/prescribing"
)

// TestNothingTellsAnotherPracticesPatients: no answer lets the staff of
// one practice tell whether a person is registered with another.
func TestNothingTellsAnotherPracticesPatients(t *testing.T) {
	w := newWorld(t)
	known := w.patient(w.tilbury, 1, "Tilbury") // Tilbury's patient
	aveley := call.As(w.gpAveley.ID)

	// Registering Tilbury's patient at Aveley answers as for a number
	// nobody knows: a new record of Aveley's.
	p1, err := w.svc.RegisterPatient(w.ctx, aveley.Key(w.key()), rx.NewPatient{Practice: w.aveley.ID, NHSNumber: nhs(1)})
	require.NoError(t, err)
	p2, err := w.svc.RegisterPatient(w.ctx, aveley.Key(w.key()), rx.NewPatient{Practice: w.aveley.ID, NHSNumber: nhs(2)})
	require.NoError(t, err)
	assert.NotEqual(t, known.ID, p1.ID)
	assert.Equal(t, w.aveley.ID, p1.Practice)
	assert.Equal(t, p1.Name, p2.Name, "nothing of Tilbury's record comes back")

	// Reading by id: another practice's patient and an unknown id give
	// the same error, word for word but the id.
	_, errKnown := w.svc.Patient(w.ctx, aveley, known.ID)
	_, errUnknown := w.svc.Patient(w.ctx, aveley, "pat-unknown")
	require.ErrorIs(t, errKnown, rx.ErrForbidden)
	require.ErrorIs(t, errUnknown, rx.ErrForbidden)
	assert.Equal(t, strings.ReplaceAll(errKnown.Error(), known.ID, "ID"), strings.ReplaceAll(errUnknown.Error(), "pat-unknown", "ID"))

	// Imports: Tilbury's patient in Aveley's score file is a new patient
	// of Aveley's, like any unknown number.
	set, err := w.svc.ImportScores(w.ctx, aveley.Key(w.key()), rx.ScoreImport{Practice: w.aveley.ID, Model: "PARR", ScoredOn: start,
		File: csvOf(nhs(1)+",10", nhs(3)+",20")})
	require.NoError(t, err)
	assert.Len(t, set.Scores, 2)
	assert.Equal(t, p1.ID, set.Scores[0].Patient, "Aveley's own record of the person")
}
