package sqlite_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/prescribing"
)

// The prescribing golden fixture, testdata/golden/prescribing.sqlite, is a
// database written by the release whose store kept each record as JSON of
// the exported domain struct (tables rx_*, migrations up to 0009). It holds
// one record of every kind with every field set, as goldenPrescribing
// describes. It must never be regenerated: it is the stored format councils'
// databases hold, and the golden test proves the current code reads it.

var gt0 = time.Date(2016, time.October, 3, 9, 30, 15, 123456000, time.UTC)

func gat(minutes int) time.Time { return gt0.Add(time.Duration(minutes) * time.Minute) }

func gptr[T any](v T) *T { return &v }

// goldenNHS is the fixture patient's NHS number, from the 999 range kept
// for test data.
const goldenNHS = "9990000018"

// goldenPrescribing is what the fixture holds.
type goldenPrescribing struct {
	practice       *prescribing.Practice
	gp, adv, mgr   *prescribing.Staff
	patient        *prescribing.Patient
	scoreSet       *prescribing.ScoreSet
	stratification *prescribing.Stratification
	meeting        *prescribing.Meeting
	referral       *prescribing.Referral
	events         []prescribing.Event
}

func goldenPrescribingRecords() goldenPrescribing {
	var g goldenPrescribing
	g.practice = &prescribing.Practice{ID: "prc-1", ODS: "F81001", Name: "Tilbury Health Centre", PCN: "Tilbury and Chadwell",
		Area: "Tilbury", TopPercent: decimal.RequireFromString("3.5"),
		CreatedAt: gat(0), CreatedBy: "stf-mgr", UpdatedAt: gat(1), UpdatedBy: "stf-mgr2", Version: 2}
	g.mgr = &prescribing.Staff{ID: "stf-mgr", Name: "Scheme Manager", Role: prescribing.RoleManager, Active: true,
		CreatedAt: gat(0), CreatedBy: "officer", UpdatedAt: gat(0), UpdatedBy: "officer", Version: 1}
	g.gp = &prescribing.Staff{ID: "stf-gp", Name: "Dr Golden", Role: prescribing.RoleGP, Practices: []string{"prc-1"}, Active: true,
		CreatedAt: gat(1), CreatedBy: "stf-mgr", UpdatedAt: gat(2), UpdatedBy: "stf-mgr", Version: 2}
	g.adv = &prescribing.Staff{ID: "stf-adv", Name: "Advisor Golden", Role: prescribing.RoleAdvisor, Practices: []string{"prc-1", "prc-2"},
		Caseload: 12, Active: true, CreatedAt: gat(1), CreatedBy: "stf-mgr", UpdatedAt: gat(3), UpdatedBy: "stf-mgr", Version: 3}
	g.patient = &prescribing.Patient{ID: "pat-1", Practice: "prc-1", NHSNumber: goldenNHS, Name: "Golden Patient", Area: "East Tilbury",
		CreatedAt: gat(2), CreatedBy: "stf-gp", UpdatedAt: gat(4), UpdatedBy: "stf-gp", Version: 2}
	g.scoreSet = &prescribing.ScoreSet{ID: "scr-1", Practice: "prc-1", Model: "PARR", ScoredOn: gat(-60 * 24),
		Scores:    []prescribing.PatientScore{{Patient: "pat-1", Score: prescribing.MustScore("87.5")}, {Patient: "pat-2", Score: prescribing.MustScore("0.194444")}},
		CreatedAt: gat(5), CreatedBy: "stf-gp", Version: 1}
	g.stratification = &prescribing.Stratification{ID: "str-1", Practice: "prc-1", ScoreSet: "scr-1", Model: "PARR",
		Percent: decimal.RequireFromString("4.5"), ListSize: 2, Cutoff: prescribing.MustScore("87.5"),
		Selected:    []prescribing.Ranked{{Patient: "pat-1", Score: prescribing.MustScore("87.5")}},
		Adjustments: []prescribing.Adjustment{{Patient: "pat-2", Include: true, Reason: "recent falls", By: "stf-gp", At: gat(9)}},
		CreatedAt:   gat(6), CreatedBy: "stf-gp", UpdatedAt: gat(9), UpdatedBy: "stf-gp2", Version: 2}
	g.meeting = &prescribing.Meeting{ID: "mdt-1", Practice: "prc-1", Date: gat(-30),
		Members:   []prescribing.Member{{Staff: "stf-gp", Role: prescribing.RoleGP}, {Staff: "stf-adv", Role: prescribing.RoleAdvisor}},
		Cases:     []prescribing.Case{{Patient: "pat-1", Outcome: prescribing.OutcomeRefer, Notes: "lives alone since spring", Referral: "ref-1"}},
		CreatedAt: gat(7), CreatedBy: "stf-gp", Version: 1}
	g.referral = &prescribing.Referral{ID: "ref-1", Practice: "prc-1", Patient: "pat-1", Source: prescribing.SourceMDT, Referrer: "stf-gp",
		Meeting: "mdt-1", State: prescribing.OnHold, HeldFrom: prescribing.Connected, Advisor: "stf-adv", Code: prescribing.SNOMEDDeclined,
		Needs: []prescribing.Need{prescribing.NeedLoneliness, prescribing.NeedDebt},
		Offers: []prescribing.Offer{{Activity: "act-1", Name: "Lunch club", Needs: []prescribing.Need{prescribing.NeedLoneliness},
			At: gat(20), By: "stf-adv", TakenUp: gptr(gat(21)), Attended: gptr(gat(30))}},
		Wellbeing: []prescribing.Wellbeing{{Stage: prescribing.Baseline, At: gat(15),
			ONS4:    &prescribing.ONS4{Satisfied: 3, Worthwhile: 4, Happy: 2, Anxious: 8},
			SWEMWBS: &prescribing.SWEMWBS{2, 2, 3, 2, 3, 2, 2}, Wheel: &prescribing.Wheel{5, 6, 7, 4, 6, 5, 7, 3}}},
		Usage: &prescribing.SecondaryCare{Before: &prescribing.Usage{AE: 4, Admissions: 2, GPContacts: 19},
			After: &prescribing.Usage{AE: 1, Admissions: 1, GPContacts: 9}},
		Stories: []prescribing.Story{{ID: "sty-1", Title: "Back at the allotment", Text: "Golden Patient grows beans again.",
			Consent: prescribing.Consent{Given: true, Publish: true, On: gat(80)}, At: gat(81), By: "stf-adv"}},
		CloseReason: prescribing.ReasonDeclined,
		History: []prescribing.Transition{
			{From: prescribing.Identified, To: prescribing.Referred, At: gat(3), By: "stf-gp", Note: "MDT mdt-1"},
			{From: prescribing.Connected, To: prescribing.OnHold, At: gat(40), By: "stf-adv", Note: "in hospital"}},
		CreatedAt: gat(3), CreatedBy: "stf-gp", UpdatedAt: gat(40), UpdatedBy: "stf-adv", Version: 5}
	g.events = []prescribing.Event{
		{Seq: 1, Practice: "prc-1", At: gat(3), Actor: "stf-gp", Action: "referral.refer", Subject: "ref-1", Note: "mdt mdt-1"},
		{Seq: 2, Practice: "prc-1", At: gat(40), Actor: "stf-adv", Action: "referral.hold", Subject: "ref-1", Note: "on-hold"},
	}
	return g
}

// TestWritePrescribingGolden wrote the fixture with the code of its day.
// It runs only when PRESCRIBING_GOLDEN_WRITE names the file to write; never
// point it at testdata/golden, whose file must stay as it was.
func TestWritePrescribingGolden(t *testing.T) {
	path := os.Getenv("PRESCRIBING_GOLDEN_WRITE")
	if path == "" {
		t.Skip("set PRESCRIBING_GOLDEN_WRITE to write a fixture")
	}
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	db, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	st := sqlite.NewPrescribingStore(db)
	g := goldenPrescribingRecords()
	b := &prescribing.Batch{
		Practices: []*prescribing.Practice{g.practice},
		Staff:     []*prescribing.Staff{g.mgr, g.gp, g.adv},
		Patients:  []*prescribing.Patient{g.patient}, ScoreSets: []*prescribing.ScoreSet{g.scoreSet},
		Stratifications: []*prescribing.Stratification{g.stratification}, Meetings: []*prescribing.Meeting{g.meeting},
		Referrals: []*prescribing.Referral{g.referral}, Events: g.events,
		Key: "golden-key", Hash: "golden-hash", Result: "ref-1", At: gat(40),
	}
	// Versions above 1 are updates: write version 1 first, then bump.
	for _, v := range []int64{g.practice.Version, g.gp.Version, g.adv.Version, g.patient.Version, g.stratification.Version, g.referral.Version} {
		require.Positive(t, v)
	}
	require.NoError(t, writeVersioned(t, st, b))
	require.NoError(t, db.Close())
}

// writeVersioned writes b's records at version 1 and then steps each up to
// its version, so the stored versions are b's.
func writeVersioned(t *testing.T, st *sqlite.PrescribingStore, b *prescribing.Batch) error {
	ctx := t.Context()
	type rec struct {
		v   int64
		set func(int64) *prescribing.Batch
	}
	var recs []rec
	for _, x := range b.Practices {
		recs = append(recs, rec{x.Version, func(v int64) *prescribing.Batch {
			c := *x
			c.Version = v
			return &prescribing.Batch{Practices: []*prescribing.Practice{&c}}
		}})
	}
	for _, x := range b.Staff {
		recs = append(recs, rec{x.Version, func(v int64) *prescribing.Batch {
			c := *x
			c.Version = v
			return &prescribing.Batch{Staff: []*prescribing.Staff{&c}}
		}})
	}
	for _, x := range b.Patients {
		recs = append(recs, rec{x.Version, func(v int64) *prescribing.Batch {
			c := *x
			c.Version = v
			return &prescribing.Batch{Patients: []*prescribing.Patient{&c}}
		}})
	}
	for _, x := range b.Stratifications {
		recs = append(recs, rec{x.Version, func(v int64) *prescribing.Batch {
			c := *x
			c.Version = v
			return &prescribing.Batch{Stratifications: []*prescribing.Stratification{&c}}
		}})
	}
	for _, x := range b.Referrals {
		recs = append(recs, rec{x.Version, func(v int64) *prescribing.Batch {
			c := *x
			c.Version = v
			return &prescribing.Batch{Referrals: []*prescribing.Referral{&c}}
		}})
	}
	for _, r := range recs {
		for v := int64(1); v < r.v; v++ {
			if err := st.Apply(ctx, r.set(v)); err != nil {
				return err
			}
		}
	}
	last := &prescribing.Batch{ScoreSets: b.ScoreSets, Meetings: b.Meetings, Events: b.Events, Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At}
	for _, r := range recs {
		x := r.set(r.v)
		last.Practices = append(last.Practices, x.Practices...)
		last.Staff = append(last.Staff, x.Staff...)
		last.Patients = append(last.Patients, x.Patients...)
		last.Stratifications = append(last.Stratifications, x.Stratifications...)
		last.Referrals = append(last.Referrals, x.Referrals...)
	}
	return st.Apply(ctx, last)
}

// openGolden copies the fixture to a temporary folder and opens it with
// the current code (running any newer migrations).
func openGolden(t *testing.T) *sqlite.DB {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "prescribing.sqlite"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "prescribing.sqlite")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	db, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// TestPrescribingGolden opens the fixture with the current code (so the
// migrations since, 0012's renames included, run on it) and reads every
// record back through the Service, field by field.
func TestPrescribingGolden(t *testing.T) {
	db := openGolden(t)
	svc := prescribing.NewService(sqlite.NewPrescribingStore(db))
	g := goldenPrescribingRecords()
	ctx := t.Context()
	gp, mgr := call.As("stf-gp"), call.As("stf-mgr")
	p, err := svc.Practice(ctx, gp, "prc-1")
	require.NoError(t, err)
	require.True(t, g.practice.TopPercent.Equal(p.TopPercent))
	p.TopPercent = g.practice.TopPercent
	require.Equal(t, g.practice, p)
	for _, want := range []*prescribing.Staff{g.mgr, g.gp, g.adv} {
		got, err := svc.Staff(ctx, mgr, want.ID)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	pat, err := svc.Patient(ctx, gp, "pat-1")
	require.NoError(t, err)
	require.Equal(t, g.patient, pat)
	set, err := svc.ScoreSet(ctx, gp, "scr-1")
	require.NoError(t, err)
	require.Equal(t, g.scoreSet, set)
	str, err := svc.Stratification(ctx, gp, "str-1")
	require.NoError(t, err)
	require.True(t, g.stratification.Percent.Equal(str.Percent))
	str.Percent = g.stratification.Percent
	require.Equal(t, g.stratification, str)
	m, err := svc.Meeting(ctx, gp, "mdt-1")
	require.NoError(t, err)
	require.Equal(t, g.meeting, m)
	r, err := svc.Referral(ctx, gp, "ref-1")
	require.NoError(t, err)
	require.Equal(t, g.referral, r)
	ev, err := svc.Events(ctx, gp, prescribing.EventFilter{Practice: "prc-1"})
	require.NoError(t, err)
	require.Equal(t, g.events, ev)

	// The fixture's database goes on working: the NHS number is found at
	// its practice, and a write lands in the renamed tables.
	_, err = svc.RegisterPatient(ctx, gp.Key("golden-reg"), prescribing.NewPatient{Practice: "prc-1", NHSNumber: goldenNHS})
	require.ErrorIs(t, err, prescribing.ErrConflict)
	_, err = svc.RegisterPatient(ctx, gp.Key("golden-reg-2"), prescribing.NewPatient{Practice: "prc-1", NHSNumber: "9990000026", Name: "New"})
	require.NoError(t, err)
}
