package grants_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/grants"
)

// Names and contact details never reach a log or a %v: every type that
// holds them redacts them in LogValue and String.
func TestRedaction(t *testing.T) {
	const name, email, phone, postcode, friend, staffName = "Jo Bloggs", "jo@example.org", "01375 000111", "RM16 4AA", "Ann Neighbour", "Olu Officer"
	ap := grants.Applicant{Type: grants.Individual, Name: name, ContactName: name, Email: email, Phone: phone, Postcode: postcode}
	sup := []grants.Supporter{{Name: friend, Pledged: 60}}
	app := grants.Application{ID: "app-1", Fund: "f", Status: grants.Draft, Applicant: ap, Supporters: sup}
	form := grants.NewApplication{Fund: "f", Round: "r", Applicant: ap, Supporters: sup}
	st := grants.Staff{ID: "stf-1", Name: staffName, Roles: []grants.Role{grants.RoleOfficer}, Active: true}
	ev := grants.Event{Seq: 3, Action: "application.request-info", Subject: "app-1", Actor: "officer", Note: "please ring " + name + " on " + phone}
	out := grants.Outcome{Summary: "thanks from " + name, Photos: []string{"https://example.org/" + name}, PeopleReached: 9}
	newStaff := grants.NewStaff{ID: "stf-2", Name: staffName, Roles: []grants.Role{grants.RoleOfficer}}
	newName := staffName
	upd := grants.StaffUpdate{Name: &newName}
	values := []any{ap, &ap, sup[0], app, &app, form, &form, st, &st, ev, &ev, out, &out, newStaff, &newStaff, upd, &upd}

	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(h)
		for _, v := range values {
			l.Info("record", "v", v)
		}
	}
	for _, v := range values {
		fmt.Fprintf(&buf, "%v %+v %#v %s\n", v, v, v, v)
	}
	text := buf.String()
	for _, bad := range []string{name, email, phone, postcode, friend, staffName} {
		assert.NotContains(t, text, bad)
	}
	assert.Contains(t, text, "app-1", "ids are logged")
	assert.Contains(t, text, "stf-1")
}
