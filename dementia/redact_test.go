package dementia_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/dementia"
)

// Contacts and action owners never reach a log or a formatted string.
func TestRedaction(t *testing.T) {
	const name, email, phone, owner = "Persephone Wigglesworth", "persephone@example.org", "07700 900123", "Barnaby Quill"
	c := dementia.Contact{Name: name, Email: email, Phone: phone}
	now := time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)
	m := dementia.Member{ID: "mem-x", Name: "Grays Library", Contact: c, Joined: now}
	nm := dementia.NewMember{Name: "Grays Library", Contact: c, Joined: now}
	a := dementia.Action{ID: "act-1", Member: "mem-x", Owner: owner}
	na := dementia.NewAction{Member: "mem-x", Owner: owner}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	ch := dementia.Champion{ID: "ch-1", Name: name}
	nch := dementia.NewChampion{ID: "ch-1", Name: name}
	for _, v := range []any{c, m, &m, nm, &nm, a, &a, na, &na, ch, &ch, nch, &nch} {
		log.Info("x", "v", v)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			buf.WriteString(fmt.Sprintf(verb, v))
		}
	}
	out := buf.String()
	for _, pii := range []string{"Persephone", "Wigglesworth", email, phone, "Barnaby", "Quill"} {
		assert.False(t, strings.Contains(out, pii), "%q reached the output", pii)
	}
	assert.Contains(t, out, "mem-x", "ids are logged")
}
