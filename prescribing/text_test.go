package prescribing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	rx "github.com/strongertogether/community/prescribing"
)

// TestTextRefused: NUL bytes, other control characters, invalid UTF-8
// and text over its stated limit are refused by the domain with a
// *FieldError naming the field, before any store sees them.
func TestTextRefused(t *testing.T) {
	w := newWorld(t)
	gp := call.As(w.gp.ID)
	for _, c := range []struct {
		field, name string
	}{
		{"Name", "Ada\x00Quux"},
		{"Name", "Ada\xff"},
		{"Name", strings.Repeat("a", 201)},
		{"Name", "Ada\x1bQuux"},
	} {
		_, err := w.svc.RegisterPatient(w.ctx, gp.Key(w.key()), rx.NewPatient{Practice: w.tilbury.ID, NHSNumber: nhs(500), Name: c.name})
		fieldIs(t, err, rx.ErrInvalid, c.field)
	}
	p, err := w.svc.RegisterPatient(w.ctx, gp.Key(w.key()), rx.NewPatient{Practice: w.tilbury.ID, NHSNumber: nhs(500), Name: "Ada Quux\tthe second"})
	require.NoError(t, err, "a tab is text")
	for _, note := range []string{"lives\x00alone", "lives \xc3\x28 alone", strings.Repeat("x", 2001)} {
		_, err := w.svc.Refer(w.ctx, gp.Key(w.key()), w.tilbury.ID, rx.NewReferral{Patient: p.ID, Note: note})
		fieldIs(t, err, rx.ErrInvalid, "Note")
	}
	r, err := w.svc.Refer(w.ctx, gp.Key(w.key()), w.tilbury.ID, rx.NewReferral{Patient: p.ID, Note: strings.Repeat("é", 1000)})
	require.NoError(t, err, "2000 bytes is the limit")
	_, err = w.svc.Hold(w.ctx, gp.Key(w.key()), r.ID, "in\x00hospital")
	fieldIs(t, err, rx.ErrInvalid, "reason")
	_, err = w.svc.RegisterPractice(w.ctx, call.As(w.mgr.ID).Key(w.key()), rx.NewPractice{ODS: "F81009", Name: "Grays\x00", Area: "Grays"})
	fieldIs(t, err, rx.ErrInvalid, "Name")
	_, err = w.svc.AddStaff(w.ctx, call.As(w.mgr.ID).Key(w.key()), rx.NewStaff{Name: "Dr \xfe", Role: rx.RoleGP, Practices: []string{w.tilbury.ID}})
	fieldIs(t, err, rx.ErrInvalid, "Name")
}

// failReader fails the test if anything reads it.
type failReader struct{ t *testing.T }

func (f failReader) Read([]byte) (int, error) {
	f.t.Error("the file was read before the actor was checked")
	return 0, errors.New("read")
}

// TestImportsCheckTheActorFirst: a stranger's import is refused before a
// byte of the file is read; a file over 64 MiB is refused.
func TestImportsCheckTheActorFirst(t *testing.T) {
	w := newWorld(t)
	for _, actor := range []string{"stranger", w.mgr.ID, w.gpAveley.ID} {
		_, err := w.svc.ImportScores(w.ctx, call.As(actor).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "PARR", ScoredOn: start, File: failReader{t}})
		assert.ErrorIs(t, err, rx.ErrForbidden)
		_, err = w.svc.ImportUsage(w.ctx, call.As(actor).Key(w.key()), rx.UsageImport{Practice: w.tilbury.ID, File: failReader{t}})
		assert.ErrorIs(t, err, rx.ErrForbidden)
	}
	big := strings.NewReader(strings.Repeat("x", 64<<20+1))
	_, err := w.svc.ImportUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.UsageImport{Practice: w.tilbury.ID, File: big})
	fieldIs(t, err, rx.ErrInvalid, "File")
}
