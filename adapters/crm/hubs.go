package crm

import (
	"context"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// HubsVolunteers returns the Applier that stores volunteer records
// through svc as actor (a coordinator), registering each at hub. Fields:
// name, email, phone, roles (separated by ";") and registered
// (YYYY-MM-DD). A later version updates those of name, email, phone and
// roles it carries (an empty email, phone or roles clears it); a field it
// leaves out is left alone. A record the Service refuses as invalid, unknown or
// forbidden is rejected (reported and skipped). It is a BatchApplier:
// the engine stores each pulled batch with one ImportVolunteers call, in
// one store transaction, each record under the key its single call would
// use.
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
	return rejectIf(err, hubs.ErrInvalid, hubs.ErrNotFound, hubs.ErrConflict)
}

var _ BatchApplier = (*hubsVolunteers)(nil)

func (a *hubsVolunteers) newVolunteer(r Record) (hubs.NewVolunteer, error) {
	on, err := time.Parse(time.DateOnly, r.Fields["registered"])
	if err != nil {
		return hubs.NewVolunteer{}, Reject(&hubs.FieldError{Field: "registered", Reason: "is not a YYYY-MM-DD date", Err: hubs.ErrInvalid})
	}
	return hubs.NewVolunteer{Hub: a.hub, Name: r.Fields["name"], Email: r.Fields["email"], Phone: r.Fields["phone"],
		Roles: roles(r.Fields["roles"]), Registered: on}, nil
}

// volunteerUpdate returns the change a later version of a volunteer
// record makes: the name, email, phone and roles it carries (an empty
// value clears a contact or the roles); a field it leaves out is left
// alone.
func volunteerUpdate(r Record) hubs.VolunteerUpdate {
	var u hubs.VolunteerUpdate
	if v, ok := r.Fields["name"]; ok {
		u.Name = &v
	}
	if v, ok := r.Fields["email"]; ok {
		u.Email = &v
	}
	if v, ok := r.Fields["phone"]; ok {
		u.Phone = &v
	}
	if v, ok := r.Fields["roles"]; ok {
		rs := roles(v)
		u.Roles = &rs
	}
	return u
}

// ApplyBatch stores changes with hubs.Service.ImportVolunteers, at most
// hubs.MaxVolunteerChanges to a call.
func (a *hubsVolunteers) ApplyBatch(ctx context.Context, changes []Change) ([]Applied, error) {
	out := make([]Applied, len(changes))
	for start := 0; start < len(changes); start += hubs.MaxVolunteerChanges {
		part := changes[start:min(start+hubs.MaxVolunteerChanges, len(changes))]
		in := make([]hubs.VolunteerChange, 0, len(part))
		at := make([]int, 0, len(part)) // index in out of each of in
		for i, c := range part {
			vc := hubs.VolunteerChange{Key: c.Key, ID: c.ID}
			if c.ID == "" {
				nv, err := a.newVolunteer(c.Record)
				if err != nil {
					out[start+i].Err = err
					continue
				}
				vc.New = nv
			} else {
				vc.Update = volunteerUpdate(c.Record)
			}
			in = append(in, vc)
			at = append(at, start+i)
		}
		res, err := a.svc.ImportVolunteers(ctx, a.actor, in)
		if err != nil {
			return nil, err
		}
		for j, r := range res {
			if r.Err != nil {
				out[at[j]].Err = hubsErr(r.Err)
				continue
			}
			out[at[j]].ID = r.ID
		}
	}
	return out, nil
}

func (a *hubsVolunteers) Create(ctx context.Context, key string, r Record) (string, error) {
	nv, err := a.newVolunteer(r)
	if err != nil {
		return "", err
	}
	v, err := a.svc.RegisterVolunteer(ctx, a.actor.Key(key), nv)
	if err != nil {
		return "", hubsErr(err)
	}
	return v.ID, nil
}

func (a *hubsVolunteers) Update(ctx context.Context, key string, id string, r Record) error {
	_, err := a.svc.UpdateVolunteer(ctx, a.actor.Key(key), id, volunteerUpdate(r))
	return hubsErr(err)
}
