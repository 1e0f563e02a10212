package hubs_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// TestRedaction checks that records holding a person's name or contact
// log and print ids only.
func TestRedaction(t *testing.T) {
	const name, contact = "Winifred Pemberton", "winifred@example.org"
	email := contact
	for _, v := range []any{
		hubs.Volunteer{ID: "v1", Hub: "h1", Name: name, Email: contact, Phone: contact},
		hubs.NewVolunteer{Hub: "h1", Name: name, Email: contact},
		hubs.Booking{ID: "b1", Surgery: "s1", Name: name, Contact: contact},
		hubs.NewBooking{Surgery: "s1", Name: name, Contact: contact},
		hubs.Waiting{ID: "w1", Name: name, Contact: contact},
		hubs.VolunteerUpdate{Email: &email, Phone: &email},
	} {
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("record", "r", v)
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("record", "r", v)
		fmt.Fprintf(&buf, "%v %s %+v %#v", v, v, v, v)
		assert.NotContains(t, buf.String(), "Winifred", "%T", v)
		assert.NotContains(t, buf.String(), contact, "%T", v)
	}
}

// The first administrator's id is checked like any other id: a blank,
// padded, over-long or control-laden id is refused and makes nobody admin.
func TestBootstrapChecksTheID(t *testing.T) {
	for _, id := range []string{"", "   ", " admin", "admin\n", "ad\x00min", strings.Repeat("a", 1000), "\xff"} {
		svc := hubs.NewService(memory.NewHubsStore())
		err := svc.Bootstrap(t.Context(), call.As(id))
		assert.ErrorIs(t, err, hubs.ErrInvalid, "%q", id)
		require.NoError(t, svc.Bootstrap(t.Context(), call.As("officer-1")), "nobody was made admin by %q", id)
	}
}
