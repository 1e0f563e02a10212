package sqlite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/prescribing/prescribingtest"
)

func newPrescribingStore(tb testing.TB) prescribing.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "rx.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = db.Close() })
	return sqlite.NewPrescribingStore(db)
}

func TestPrescribingConformance(t *testing.T) {
	t.Parallel()
	prescribingtest.Run(t, func(t *testing.T) prescribing.Store { return newPrescribingStore(t) })
}

func BenchmarkPrescribingTransition(b *testing.B) {
	prescribingtest.BenchmarkTransition(b, func(b *testing.B) prescribing.Store { return newPrescribingStore(b) })
}

// TestPrescribingErasureLeavesNoBytes: after a patient is erased, neither
// the database file nor its WAL holds their name or NHS number anywhere,
// in live rows, freed pages or old log frames.
func TestPrescribingErasureLeavesNoBytes(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "rx.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	svc := prescribing.NewService(sqlite.NewPrescribingStore(db))
	mgr := call.As("mgr")
	require.NoError(t, svc.Bootstrap(ctx, mgr))
	p, err := svc.RegisterPractice(ctx, mgr.Key("p"), prescribing.NewPractice{ODS: "F81001", Name: "One", Area: "Tilbury"})
	require.NoError(t, err)
	st, err := svc.AddStaff(ctx, mgr.Key("gp"), prescribing.NewStaff{Name: "Dr A", Role: prescribing.RoleGP, Practices: []string{p.ID}})
	require.NoError(t, err)
	gp := call.As(st.ID)
	const name, nhs = "Zebedee Quuxworth", "9990000018"
	pat, err := svc.RegisterPatient(ctx, gp.Key("reg"), prescribing.NewPatient{Practice: p.ID, NHSNumber: nhs, Name: name, Area: "Purfleet"})
	require.NoError(t, err)
	r, err := svc.Refer(ctx, gp.Key("refer"), p.ID, prescribing.NewReferral{Patient: pat.ID, Note: name + " lives alone"})
	require.NoError(t, err)
	for i := range 5 { // old versions of the referral in the WAL
		_, err = svc.Hold(ctx, gp.Key(fmt.Sprint("hold-", i)), r.ID, "Zebedee in hospital")
		require.NoError(t, err)
		_, err = svc.Resume(ctx, gp.Key(fmt.Sprint("resume-", i)), r.ID, "Quuxworth home")
		require.NoError(t, err)
	}
	raw := func() []byte {
		var all []byte
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if !os.IsNotExist(err) {
				require.NoError(t, err)
			}
			all = append(all, b...)
		}
		return all
	}
	require.Contains(t, string(raw()), "Zebedee", "the test looks where the name was")
	_, err = svc.ErasePatient(ctx, gp.Key("erase"), pat.ID)
	require.NoError(t, err)
	after := raw()
	for _, secret := range []string{"Zebedee", "Quuxworth", nhs} {
		assert.NotContains(t, string(after), secret)
	}
}
