package grantsrec_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/internal/grantsrec"
	"github.com/strongertogether/community/grants"
)

var update = flag.Bool("update", false, "rewrite testdata/*_v1.json from the _v0 files")

// golden checks one record kind: the format-0 body (as the stores wrote it
// before format 1, taken from adapters/sqlite/testdata/golden) and the
// format-1 body decode to the same record, and encoding it gives the
// committed format-1 body byte for byte, so a change of a tag, a field or
// the version fails here.
func golden[T any](t *testing.T, name string, decode func([]byte) (*T, error), check func(t *testing.T, x *T)) {
	t.Helper()
	v0, err := os.ReadFile(filepath.Join("testdata", name+"_v0.json"))
	require.NoError(t, err)
	old, err := decode(v0)
	require.NoError(t, err)
	check(t, old)
	enc, err := grantsrec.Encode(old)
	require.NoError(t, err)
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, enc, "", "\t"))
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", name+"_v1.json")
	if *update {
		require.NoError(t, os.WriteFile(path, pretty.Bytes(), 0o644))
	}
	v1, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(v1), pretty.String(), "format 1 of %s changed", name)
	cur, err := decode(v1)
	require.NoError(t, err)
	assert.Equal(t, old, cur, "format 0 and 1 of %s read alike", name)
	var head struct{ V int }
	require.NoError(t, json.Unmarshal(v1, &head))
	assert.Equal(t, grantsrec.Version, head.V)
}

func TestFundFormat(t *testing.T) {
	golden(t, "funds", grantsrec.DecodeFund, func(t *testing.T, f *grants.Fund) {
		assert.Equal(t, "fund-golden", f.ID)
		assert.Equal(t, "Small Sparks", f.Name)
		assert.Equal(t, "Matching funds for new one-off projects", f.Description)
		assert.Equal(t, "Thurrock Council", f.FunderName)
		assert.Equal(t, "GB-LAE-THR", f.FunderID)
		assert.Equal(t, "a00thr", f.Prefix)
		require.Len(t, f.Budgets, 2)
		assert.Equal(t, "8000.50", f.Budgets[1].Amount.StringFixed(2))
		assert.Equal(t, "50", f.MinAward.String())
		assert.Equal(t, "250", f.MaxAward.String())
		assert.Len(t, f.Priorities, 2)
		assert.Len(t, f.Criteria, 2)
		assert.Equal(t, 5, f.MaxScore)
		assert.Equal(t, 2, f.Quorum)
		require.Len(t, f.Rules, 7)
		assert.Equal(t, "12", f.Rules[4].HourlyRate.String())
		assert.Equal(t, grants.KindNoRunningCosts, f.Rules[5].Rules[1].Rules[0].Kind)
		assert.Equal(t, "admin", f.CreatedBy)
		assert.Equal(t, "admin", f.UpdatedBy)
		assert.False(t, f.CreatedAt.IsZero() || f.UpdatedAt.IsZero())
		assert.Equal(t, int64(2), f.Version)
	})
}

func TestRoundFormat(t *testing.T) {
	golden(t, "rounds", grantsrec.DecodeRound, func(t *testing.T, r *grants.Round) {
		assert.Equal(t, "rnd-golden", r.ID)
		assert.Equal(t, "fund-golden", r.Fund)
		assert.Equal(t, "Summer 2014", r.Name)
		assert.Equal(t, 2014, r.Year)
		assert.True(t, r.Opens.Before(r.Closes))
		assert.Equal(t, "officer", r.CreatedBy)
		assert.False(t, r.CreatedAt.IsZero())
		assert.Equal(t, int64(1), r.Version)
	})
}

func TestStaffFormat(t *testing.T) {
	golden(t, "staff", grantsrec.DecodeStaff, func(t *testing.T, s *grants.Staff) {
		assert.Equal(t, "admin", s.ID)
		assert.Equal(t, "Ada Admin", s.Name)
		assert.Equal(t, []grants.Role{grants.RoleAdmin}, s.Roles)
		assert.True(t, s.Active)
		assert.Equal(t, "admin", s.CreatedBy)
		assert.False(t, s.CreatedAt.IsZero())
		assert.Equal(t, int64(1), s.Version)
	})
}

func TestApplicationFormat(t *testing.T) {
	golden(t, "applications", grantsrec.DecodeApplication, func(t *testing.T, a *grants.Application) {
		assert.Equal(t, "app-1", a.ID)
		assert.Equal(t, "Chadwell Street Party", a.Title)
		assert.Equal(t, "A street party for the whole road", a.Description)
		assert.Equal(t, "chadwell street party", a.Idea)
		assert.Equal(t, grants.Applicant{Type: grants.Individual, Name: "Jo Bloggs", ContactName: "Jo Bloggs", Email: "jo.bloggs@example.org",
			Phone: "01375 000111", Postcode: "RM16 4AA", Regrants: true}, a.Applicant)
		assert.Equal(t, "Chadwell St Mary", a.Ward)
		assert.Equal(t, "249.99", a.Amount.String())
		require.Len(t, a.Costs, 2)
		assert.True(t, a.Costs[1].Running)
		assert.Equal(t, []string{"celebration"}, a.Purposes)
		assert.Equal(t, []string{"bring neighbours together"}, a.Priorities)
		assert.Equal(t, []grants.Supporter{{Name: "Ann Neighbour", Pledged: 600, Delivered: 540}, {Name: "Bob Neighbour", Pledged: 720}}, a.Supporters)
		assert.Equal(t, "10.5", a.CashMatch.String())
		assert.Equal(t, "20.01", a.InKindMatch.String())
		assert.NotNil(t, a.PlannedStart)
		assert.NotNil(t, a.PlannedEnd)
		assert.Equal(t, grants.Closed, a.Status)
		require.NotNil(t, a.Eligibility)
		assert.Len(t, a.Eligibility.Checks, 7)
		assert.Equal(t, "lives on the road", a.Conflicts[0].Reason)
		require.Len(t, a.Scores, 3)
		assert.True(t, a.Scores[2].Excluded)
		assert.Equal(t, 4, a.Scores[1].Scores["community benefit"])
		assert.Equal(t, "strong neighbour support", a.Decision.Reason)
		assert.Equal(t, "6", a.Decision.Mean.String())
		assert.Equal(t, 2, a.Decision.Counted)
		assert.Equal(t, "200", a.Award.String())
		assert.NotNil(t, a.AwardedAt)
		assert.Equal(t, "200", a.Paid.String())
		require.Len(t, a.Payments, 2)
		assert.Equal(t, "BACS 0002", a.Payments[1].Reference)
		assert.Equal(t, 80, a.Outcome.PeopleReached)
		assert.Len(t, a.Outcome.Photos, 2)
		assert.Equal(t, "monitoring complete", a.Note)
		assert.Equal(t, "officer", a.UpdatedBy)
		assert.Equal(t, int64(17), a.Version)
	})
}

// A body of a newer format than the code reads is refused, not misread.
func TestNewerFormatRefused(t *testing.T) {
	_, err := grantsrec.DecodeStaff([]byte(`{"v": 2, "ID": "x"}`))
	assert.Error(t, err)
}
