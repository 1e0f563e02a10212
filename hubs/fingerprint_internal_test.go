package hubs

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An update without a name fingerprints as it did before VolunteerUpdate
// had one, so the receipts recorded then match their replays.
func TestVolunteerUpdateFingerprintStable(t *testing.T) {
	email := "a@example.org"
	b, err := json.Marshal(volunteerUpdateReq{ID: "v1", U: VolunteerUpdate{Email: &email}})
	require.NoError(t, err)
	assert.Equal(t, `{"ID":"v1","U":{"Email":"a@example.org","Phone":null,"Roles":null,"Training":null}}`, string(b))
}
