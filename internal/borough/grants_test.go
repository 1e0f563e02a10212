package borough_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/borough"
)

// TestGeneratedOrganisationsCannotBeReal: the groups the generator makes
// carry 360Giving identifiers of the fund's own 360G- prefix, which no
// register issues, never a charity or company number (GB-CHC-, GB-COH-)
// that might name a real organisation.
func TestGeneratedOrganisationsCannotBeReal(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	svc := grants.NewService(memory.NewGrantsStore(), grants.WithClock(func() time.Time { return now }))
	fund, err := borough.GenerateGrants(ctx, svc, func(t time.Time) { now = t }, borough.SmallSparks, 7)
	require.NoError(t, err)
	apps, err := svc.Applications(ctx, call.As(borough.GrantsOfficer), grants.ApplicationFilter{Fund: fund.ID})
	require.NoError(t, err)
	require.NotEmpty(t, apps)
	orgs := 0
	for _, a := range apps {
		id := a.Applicant.OrgID
		if id == "" {
			continue
		}
		orgs++
		assert.True(t, strings.HasPrefix(id, "360G-"+fund.Prefix+"-"), "%s is not under the fund's own prefix", id)
		for _, register := range []string{"GB-CHC-", "GB-COH-", "GB-SC-", "GB-NIC-", "GB-MPR-"} {
			assert.NotContains(t, id, register, "%s looks like a register's number", id)
		}
	}
	assert.Positive(t, orgs, "the generator makes organisations")
}
