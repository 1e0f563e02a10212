package timebank_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/timebank"
)

// TestRedaction logs and prints every type that holds a name or contact
// detail, in every way, and checks none of them shows.
func TestRedaction(t *testing.T) {
	name, email, phone := "Zelda Quixotic", "zelda@example.org", "07700 900123"
	m := &timebank.Member{ID: "mem-1", Bank: "bank-1", Name: name, Email: email, Phone: phone}
	nm := timebank.NewMember{Bank: "bank-1", Name: name, Email: email, Phone: phone}
	u := timebank.MemberUpdate{Name: &name, Email: &email, Phone: &phone}
	nb := timebank.NewBank{Name: "Grays", Coordinator: nm}
	values := map[string]any{"member": m, "member value": *m, "new member": nm, "update": u, "new bank": nb,
		"mini bank": timebank.NewMiniBank{Parent: "bank-1", NewBank: nb}}
	for what, v := range values {
		var out bytes.Buffer
		for _, h := range []slog.Handler{slog.NewTextHandler(&out, nil), slog.NewJSONHandler(&out, nil)} {
			slog.New(h).Info("x", "v", v)
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		for _, secret := range []string{name, email, phone, "Zelda", "zelda"} {
			assert.NotContains(t, out.String(), secret, what)
		}
		assert.Contains(t, out.String(), "[redacted]", what)
	}
	assert.Contains(t, m.String(), "mem-1", "ids are logged")
}
