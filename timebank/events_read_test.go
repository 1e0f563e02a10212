package timebank_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// Events reads a bank's audit trail for its coordinator, resuming after
// a Seq; a member is refused, and the bank is required.
func TestServiceEvents(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	coord := call.As(f.coord)
	all, err := f.svc.Events(ctx, coord, timebank.EventFilter{Bank: f.bank.ID})
	require.NoError(t, err)
	require.NotEmpty(t, all)
	last := all[len(all)-1].Seq

	dee := f.join(t, timebank.NewMember{Name: "Dee"})
	after, err := f.svc.Events(ctx, coord, timebank.EventFilter{Bank: f.bank.ID, After: last})
	require.NoError(t, err)
	require.Len(t, after, 1, "only Dee's joining followed")
	assert.Equal(t, "member.join", after[0].Action)
	assert.Equal(t, dee, after[0].Subject)

	_, err = f.svc.Events(ctx, call.As(f.ann), timebank.EventFilter{Bank: f.bank.ID})
	assert.ErrorIs(t, err, timebank.ErrForbidden)
	_, err = f.svc.Events(ctx, coord, timebank.EventFilter{})
	assert.ErrorIs(t, err, timebank.ErrInvalid)
	_, err = f.svc.Events(ctx, coord, timebank.EventFilter{Bank: f.bank.ID, Limit: -1})
	assert.ErrorIs(t, err, timebank.ErrInvalid)
}
