package hubs_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/hubs"
)

// TestRedaction checks that records holding a person's name or contact
// log and print ids only.
func TestRedaction(t *testing.T) {
	const name, contact = "Winifred Pemberton", "winifred@example.org"
	for _, v := range []any{
		hubs.Volunteer{ID: "v1", Hub: "h1", Name: name, Email: contact, Phone: contact},
		hubs.NewVolunteer{Hub: "h1", Name: name, Email: contact},
		hubs.Booking{ID: "b1", Surgery: "s1", Name: name, Contact: contact},
		hubs.NewBooking{Surgery: "s1", Name: name, Contact: contact},
		hubs.Waiting{ID: "w1", Name: name, Contact: contact},
	} {
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("record", "r", v)
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("record", "r", v)
		fmt.Fprintf(&buf, "%v %s %+v %#v", v, v, v, v)
		assert.NotContains(t, buf.String(), "Winifred", "%T", v)
		assert.NotContains(t, buf.String(), contact, "%T", v)
	}
}
