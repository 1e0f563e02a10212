package prescribingrec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/internal/prescribingrec"
	"github.com/strongertogether/community/prescribing"
)

// The testdata files are stored documents: *.v0.json as the release
// before format versions wrote them (copied from the SQLite golden
// fixture), *.v1.json as this package writes format 1. Set
// PRESCRIBINGREC_WRITE_V1=1 to write the v1 files anew, only when a new
// format is added alongside them; never rewrite a released format.

var t0 = time.Date(2016, time.October, 3, 9, 30, 15, 123456000, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// both decodes kind's v0 and v1 documents, checks they are the same
// record and that format 1 is what Marshal writes today.
func both[T prescribingrec.Record](t *testing.T, kind string) *T {
	t.Helper()
	v0, err := prescribingrec.Unmarshal[T](read(t, kind+".v0.json"))
	require.NoError(t, err)
	doc, err := prescribingrec.Marshal(v0)
	require.NoError(t, err)
	if os.Getenv("PRESCRIBINGREC_WRITE_V1") != "" {
		var pretty any
		require.NoError(t, json.Unmarshal(doc, &pretty))
		out, err := json.MarshalIndent(pretty, "", "    ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join("testdata", kind+".v1.json"), append(out, '\n'), 0o644))
	}
	v1doc := read(t, kind+".v1.json")
	assert.JSONEq(t, string(v1doc), string(doc), "format 1 is what Marshal writes")
	var v struct{ V int }
	require.NoError(t, json.Unmarshal(v1doc, &struct {
		V *int `json:"v"`
	}{&v.V}))
	assert.Equal(t, 1, v.V)
	v1, err := prescribingrec.Unmarshal[T](v1doc)
	require.NoError(t, err)
	assert.Equal(t, v0, v1, "%s: format 0 and format 1 hold the same record", kind)
	return v1
}

func TestGoldenReferral(t *testing.T) {
	r := both[prescribing.Referral](t, "referral")
	want := &prescribing.Referral{ID: "ref-1", Practice: "prc-1", Patient: "pat-1", Source: prescribing.SourceMDT, Referrer: "stf-gp",
		Meeting: "mdt-1", State: prescribing.OnHold, HeldFrom: prescribing.Connected, Advisor: "stf-adv", Code: prescribing.SNOMEDDeclined,
		Needs: []prescribing.Need{prescribing.NeedLoneliness, prescribing.NeedDebt},
		Offers: []prescribing.Offer{{Activity: "act-1", Name: "Lunch club", Needs: []prescribing.Need{prescribing.NeedLoneliness},
			At: at(20), By: "stf-adv", TakenUp: new(at(21)), Attended: new(at(30))}},
		Wellbeing: []prescribing.Wellbeing{{Stage: prescribing.Baseline, At: at(15),
			ONS4:    &prescribing.ONS4{Satisfied: 3, Worthwhile: 4, Happy: 2, Anxious: 8},
			SWEMWBS: &prescribing.SWEMWBS{2, 2, 3, 2, 3, 2, 2}, Wheel: &prescribing.Wheel{5, 6, 7, 4, 6, 5, 7, 3}}},
		Usage: &prescribing.SecondaryCare{Before: &prescribing.Usage{AE: 4, Admissions: 2, GPContacts: 19},
			After: &prescribing.Usage{AE: 1, Admissions: 1, GPContacts: 9}},
		Stories: []prescribing.Story{{ID: "sty-1", Title: "Back at the allotment", Text: "Golden Patient grows beans again.",
			Consent: prescribing.Consent{Given: true, Publish: true, On: at(80)}, At: at(81), By: "stf-adv"}},
		CloseReason: prescribing.ReasonDeclined,
		History: []prescribing.Transition{
			{From: prescribing.Identified, To: prescribing.Referred, At: at(3), By: "stf-gp", Note: "MDT mdt-1"},
			{From: prescribing.Connected, To: prescribing.OnHold, At: at(40), By: "stf-adv", Note: "in hospital"}},
		CreatedAt: at(3), CreatedBy: "stf-gp", UpdatedAt: at(40), UpdatedBy: "stf-adv", Version: 5}
	assert.Equal(t, want, r)
}

func TestGoldenOtherRecords(t *testing.T) {
	p := both[prescribing.Practice](t, "practice")
	assert.True(t, decimal.RequireFromString("3.5").Equal(p.TopPercent))
	p.TopPercent = decimal.Decimal{}
	assert.Equal(t, &prescribing.Practice{ID: "prc-1", ODS: "F81001", Name: "Tilbury Health Centre", PCN: "Tilbury and Chadwell", Area: "Tilbury",
		CreatedAt: at(0), CreatedBy: "stf-mgr", UpdatedAt: at(1), UpdatedBy: "stf-mgr2", Version: 2}, p)
	assert.Equal(t, &prescribing.Staff{ID: "stf-adv", Name: "Advisor Golden", Role: prescribing.RoleAdvisor, Practices: []string{"prc-1", "prc-2"},
		Caseload: 12, Active: true, CreatedAt: at(1), CreatedBy: "stf-mgr", UpdatedAt: at(3), UpdatedBy: "stf-mgr", Version: 3},
		both[prescribing.Staff](t, "staff"))
	assert.Equal(t, &prescribing.Patient{ID: "pat-1", Practice: "prc-1", NHSNumber: "9990000018", Name: "Golden Patient", Area: "East Tilbury",
		CreatedAt: at(2), CreatedBy: "stf-gp", UpdatedAt: at(4), UpdatedBy: "stf-gp", Version: 2}, both[prescribing.Patient](t, "patient"))
	assert.Equal(t, &prescribing.ScoreSet{ID: "scr-1", Practice: "prc-1", Model: "PARR", ScoredOn: at(-60 * 24),
		Scores:    []prescribing.PatientScore{{Patient: "pat-1", Score: prescribing.MustScore("87.5")}, {Patient: "pat-2", Score: prescribing.MustScore("0.194444")}},
		CreatedAt: at(5), CreatedBy: "stf-gp", Version: 1}, both[prescribing.ScoreSet](t, "scoreset"))
	st := both[prescribing.Stratification](t, "stratification")
	assert.True(t, decimal.RequireFromString("4.5").Equal(st.Percent))
	st.Percent = decimal.Decimal{}
	assert.Equal(t, &prescribing.Stratification{ID: "str-1", Practice: "prc-1", ScoreSet: "scr-1", Model: "PARR", ListSize: 2,
		Cutoff:      prescribing.MustScore("87.5"),
		Selected:    []prescribing.Ranked{{Patient: "pat-1", Score: prescribing.MustScore("87.5")}},
		Adjustments: []prescribing.Adjustment{{Patient: "pat-2", Include: true, Reason: "recent falls", By: "stf-gp", At: at(9)}},
		CreatedAt:   at(6), CreatedBy: "stf-gp", UpdatedAt: at(9), UpdatedBy: "stf-gp2", Version: 2}, st)
	assert.Equal(t, &prescribing.Meeting{ID: "mdt-1", Practice: "prc-1", Date: at(-30),
		Members:   []prescribing.Member{{Staff: "stf-gp", Role: prescribing.RoleGP}, {Staff: "stf-adv", Role: prescribing.RoleAdvisor}},
		Cases:     []prescribing.Case{{Patient: "pat-1", Outcome: prescribing.OutcomeRefer, Notes: "lives alone since spring", Referral: "ref-1"}},
		CreatedAt: at(7), CreatedBy: "stf-gp", Version: 1}, both[prescribing.Meeting](t, "meeting"))
}

// TestNewerFormatRefused: a document of a format this release does not
// know is refused, not read with fields missing.
func TestNewerFormatRefused(t *testing.T) {
	_, err := prescribingrec.Unmarshal[prescribing.Patient]([]byte(`{"v": 2, "ID": "pat-1"}`))
	assert.ErrorContains(t, err, "format 2")
}
