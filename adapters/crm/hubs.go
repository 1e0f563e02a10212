package crm

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// HubsVolunteers returns the Applier that stores volunteer records
// through svc as actor (a coordinator), registering each at hub. Fields:
// name, email, phone, roles (separated by ";") and registered
// (YYYY-MM-DD). A record the Service refuses as invalid, unknown or
// forbidden is rejected (reported and skipped).
func HubsVolunteers(svc *hubs.Service, actor call.Actor, hub string) Applier {
	return &hubsVolunteers{svc: svc, actor: actor, hub: hub}
}

type hubsVolunteers struct {
	svc   *hubs.Service
	actor call.Actor
	hub   string
}

func roles(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

func hubsErr(err error) error {
	if errors.Is(err, hubs.ErrInvalid) || errors.Is(err, hubs.ErrNotFound) || errors.Is(err, hubs.ErrConflict) {
		return Reject(err)
	}
	return err
}

func (a *hubsVolunteers) Create(ctx context.Context, key string, r Record) (string, error) {
	on, err := time.Parse(time.DateOnly, r.Fields["registered"])
	if err != nil {
		return "", Reject(&hubs.FieldError{Field: "registered", Reason: "is not a YYYY-MM-DD date", Err: hubs.ErrInvalid})
	}
	v, err := a.svc.RegisterVolunteer(ctx, a.actor.Key(key), hubs.NewVolunteer{Hub: a.hub, Name: r.Fields["name"],
		Email: r.Fields["email"], Phone: r.Fields["phone"], Roles: roles(r.Fields["roles"]), Registered: on})
	if err != nil {
		return "", hubsErr(err)
	}
	return v.ID, nil
}

func (a *hubsVolunteers) Update(ctx context.Context, key string, id string, r Record) error {
	email, phone, rs := r.Fields["email"], r.Fields["phone"], roles(r.Fields["roles"])
	_, err := a.svc.UpdateVolunteer(ctx, a.actor.Key(key), id, hubs.VolunteerUpdate{Email: &email, Phone: &phone, Roles: &rs})
	return hubsErr(err)
}
