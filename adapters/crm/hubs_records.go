package crm

import (
	"context"
	"strconv"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// A hub's events, visit counts and directory organisations are recorded
// once: the hubs Service has no change of them, so a later version of
// such a record from the CRM is rejected with this reason, and the
// record stays as first stored.
const recordedOnce = "is recorded once; the hubs Service has no change of it, so a later version from the CRM is not applied"

func hubsField(field, reason string) error {
	return Reject(&hubs.FieldError{Field: field, Reason: reason, Err: hubs.ErrInvalid})
}

func hubsDate(r Record, field string) (time.Time, error) {
	on, err := time.Parse(time.DateOnly, r.Fields[field])
	if err != nil {
		return time.Time{}, hubsField(field, "is not a YYYY-MM-DD date")
	}
	return on, nil
}

func hubsCount(r Record, field string, required bool) (int64, error) {
	s := r.Fields[field]
	if s == "" && !required {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, hubsField(field, "is not a whole number")
	}
	return n, nil
}

// HubEvents returns the Applier that records events held at hub (fairs,
// clubs, courses, surgeries) through svc, as actor (a recorder). Fields:
// kind (fair, club, course, surgery, other), title, on (YYYY-MM-DD),
// attendance and stalls (whole numbers). A record the Service refuses
// (invalid, a negative count, an unknown hub) is rejected; an event is
// recorded once, so a later version is rejected too.
func HubEvents(svc *hubs.Service, actor call.Actor, hub string) Applier {
	return &hubEvents{svc: svc, actor: actor, hub: hub}
}

type hubEvents struct {
	svc   *hubs.Service
	actor call.Actor
	hub   string
}

func (a *hubEvents) Create(ctx context.Context, key string, r Record) (string, error) {
	on, err := hubsDate(r, "on")
	if err != nil {
		return "", err
	}
	att, err := hubsCount(r, "attendance", false)
	if err != nil {
		return "", err
	}
	stalls, err := hubsCount(r, "stalls", false)
	if err != nil {
		return "", err
	}
	e, err := a.svc.RecordEvent(ctx, a.actor.Key(key), hubs.NewEvent{Hub: a.hub, Kind: hubs.EventKind(r.Fields["kind"]),
		Title: r.Fields["title"], On: on, Attendance: att, Stalls: stalls})
	if err != nil {
		return "", hubsErr(err)
	}
	return e.ID, nil
}

func (a *hubEvents) Update(context.Context, string, string, Record) error {
	return hubsField("version", "a hub event "+recordedOnce)
}

// HubsSessions returns the Applier that records volunteer sessions
// through svc, as actor (a recorder), each at its volunteer's hub.
// Fields: volunteer (the CRM's external id of a volunteer record, synced
// before or earlier in the same batch), on (YYYY-MM-DD), minutes (a whole
// number, 1 to a day) and role. A session whose volunteer was not stored,
// a day before the volunteer registered or a bad count is rejected; a
// session is recorded once, so a later version is rejected too.
func HubsSessions(svc *hubs.Service, actor call.Actor) Applier {
	return &hubsSessions{svc: svc, actor: actor}
}

type hubsSessions struct {
	svc   *hubs.Service
	actor call.Actor
}

func (a *hubsSessions) Create(ctx context.Context, key string, r Record) (string, error) {
	ext := r.Fields["volunteer"]
	if ext == "" {
		return "", hubsField("volunteer", "is required: the CRM id of the volunteer")
	}
	vol, ok, err := LinkOf(ctx, Volunteer, ext)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", hubsField("volunteer", "names no volunteer synced from the CRM")
	}
	on, err := hubsDate(r, "on")
	if err != nil {
		return "", err
	}
	minutes, err := hubsCount(r, "minutes", true)
	if err != nil {
		return "", err
	}
	x, err := a.svc.RecordSession(ctx, a.actor.Key(key), hubs.NewSession{Volunteer: vol, On: on, Minutes: minutes, Role: r.Fields["role"]})
	if err != nil {
		return "", hubsErr(err)
	}
	return x.ID, nil
}

func (a *hubsSessions) Update(context.Context, string, string, Record) error {
	return hubsField("version", "a volunteer session "+recordedOnce)
}

// HubVisits returns the Applier that records a day's visit count at hub
// through svc, as actor (a recorder). Fields: on (YYYY-MM-DD), count (a
// whole number) and method ("door counter" or "tally"). A day recorded
// already, a day before the hub opened or a negative count is rejected;
// a day is recorded once, so a later version is rejected too. The domain
// id of a visit record is the hub and day, "HUB@YYYY-MM-DD".
func HubVisits(svc *hubs.Service, actor call.Actor, hub string) Applier {
	return &hubVisits{svc: svc, actor: actor, hub: hub}
}

type hubVisits struct {
	svc   *hubs.Service
	actor call.Actor
	hub   string
}

func (a *hubVisits) Create(ctx context.Context, key string, r Record) (string, error) {
	on, err := hubsDate(r, "on")
	if err != nil {
		return "", err
	}
	n, err := hubsCount(r, "count", true)
	if err != nil {
		return "", err
	}
	if _, err := a.svc.RecordVisits(ctx, a.actor.Key(key), []hubs.NewVisit{{Hub: a.hub, On: on, Count: n,
		Method: hubs.CountMethod(r.Fields["method"])}}); err != nil {
		return "", hubsErr(err)
	}
	return a.hub + "@" + on.Format(time.DateOnly), nil
}

func (a *hubVisits) Update(context.Context, string, string, Record) error {
	return hubsField("version", "a day's visit count "+recordedOnce)
}

// HubsOrganisations returns the Applier that adds organisations to the
// hubs directory (Open Referral UK organizations) through svc, as actor
// (an editor). Fields: name and description (both required, as Open
// Referral UK requires them), email, website and phone. A record the
// Service refuses is rejected; an organisation is added once, so a later
// version is rejected too.
func HubsOrganisations(svc *hubs.Service, actor call.Actor) Applier {
	return &hubsOrganisations{svc: svc, actor: actor}
}

type hubsOrganisations struct {
	svc   *hubs.Service
	actor call.Actor
}

func (a *hubsOrganisations) Create(ctx context.Context, key string, r Record) (string, error) {
	f := r.Fields
	o, err := a.svc.AddOrganization(ctx, a.actor.Key(key), hubs.NewOrganization{Name: f["name"], Description: f["description"],
		Email: f["email"], Website: f["website"], Phone: f["phone"]})
	if err != nil {
		return "", hubsErr(err)
	}
	return o.ID, nil
}

func (a *hubsOrganisations) Update(context.Context, string, string, Record) error {
	return hubsField("version", "a directory organisation "+recordedOnce)
}
