package grants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// Events reads the audit trail for an officer, resuming after a Seq;
// anyone else, an applicant included, is refused.
func TestServiceEvents(t *testing.T) {
	w := newWorld(t)
	a := w.submitted(w.form("Elm Close planters"))
	all, err := w.svc.Events(w.ctx, call.As("officer"), grants.EventFilter{Fund: w.fund.ID})
	require.NoError(t, err)
	require.NotEmpty(t, all)
	last := all[len(all)-1].Seq

	_, err = w.svc.CheckEligibility(w.ctx, w.as("officer"), a.ID)
	require.NoError(t, err)
	after, err := w.svc.Events(w.ctx, call.As("officer"), grants.EventFilter{Fund: w.fund.ID, After: last})
	require.NoError(t, err)
	require.Len(t, after, 1, "only the check followed")
	assert.Equal(t, "application.check", after[0].Action)
	assert.Equal(t, a.ID, after[0].Subject)

	for _, actor := range []string{"applicant", "p1", "nobody"} {
		_, err = w.svc.Events(w.ctx, call.As(actor), grants.EventFilter{Fund: w.fund.ID})
		assert.ErrorIs(t, err, grants.ErrForbidden, actor)
	}
	_, err = w.svc.Events(w.ctx, call.As("officer"), grants.EventFilter{After: -1})
	assert.ErrorIs(t, err, grants.ErrInvalid)
}
