package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// TimebankMembers returns the Applier that stores people (kind
// timebank.Individual) or organisations (timebank.Organisation) as members
// of a time bank through svc, as actor (a coordinator of bank). Fields:
// name (required), email, phone, ward (the electoral ward they live or
// work in, optional: it places them in the ward counts) and joined
// (YYYY-MM-DD, optional: the day they joined in the CRM; empty means the
// day of the sync). An update changes those of name, email, phone and
// ward the record carries; a field the record leaves out is left alone,
// and one it carries empty is cleared. A record the Service refuses as invalid,
// unknown or conflicting is rejected (reported and skipped); a refusal of
// the actor (ErrForbidden) stops the sync, as no record can then be
// stored.
func TimebankMembers(svc *timebank.Service, actor call.Actor, bank string, kind timebank.Kind) Applier {
	return &timebankMembers{svc: svc, actor: actor, bank: bank, kind: kind}
}

type timebankMembers struct {
	svc   *timebank.Service
	actor call.Actor
	bank  string
	kind  timebank.Kind
}

func timebankErr(err error) error {
	return rejectIf(err, timebank.ErrInvalid, timebank.ErrNotFound, timebank.ErrConflict, timebank.ErrInvalidTransition)
}

func (a *timebankMembers) Create(ctx context.Context, key string, r Record) (string, error) {
	var joined time.Time
	if s := r.Fields["joined"]; s != "" {
		var err error
		if joined, err = time.Parse(time.DateOnly, s); err != nil {
			return "", Reject(&timebank.FieldError{Field: "joined", Reason: "is not a YYYY-MM-DD date", Err: timebank.ErrInvalid})
		}
	}
	m, err := a.svc.Join(ctx, a.actor.Key(key), timebank.NewMember{Bank: a.bank, Kind: a.kind, Name: r.Fields["name"],
		Email: r.Fields["email"], Phone: r.Fields["phone"], Ward: r.Fields["ward"], JoinedAt: joined})
	if err != nil {
		return "", timebankErr(err)
	}
	return m.ID, nil
}

func (a *timebankMembers) Update(ctx context.Context, key string, id string, r Record) error {
	// Only the fields the record carries change: a record with no email
	// leaves the stored email alone (an empty one clears it).
	field := func(k string) *string {
		if v, ok := r.Fields[k]; ok {
			return &v
		}
		return nil
	}
	u := timebank.MemberUpdate{Name: field("name"), Email: field("email"), Phone: field("phone"), Ward: field("ward")}
	if u.Name == nil && u.Email == nil && u.Phone == nil && u.Ward == nil {
		return nil // nothing the time bank keeps has changed
	}
	_, err := a.svc.UpdateMember(ctx, a.actor.Key(key), id, u)
	return timebankErr(err)
}

// joinAction is the time bank audit trail's action for a member joining.
const joinAction = "member.join"

// MembersJoined returns the EventSource of the members joining a time
// bank, read through svc as actor (a coordinator of bank) from its audit
// trail. Each is an item of kind member_joined with the id
// "member_joined:MEMBER", the member's id as its ExternalID, the event's
// Seq as its Version, and the fields member, bank, kind (individual or
// organisation; "first coordinator" for the member who opened the bank)
// and joined (YYYY-MM-DD, the day it was recorded). It carries ids only,
// never a name or contact. The mark is the Seq of the last event read.
func MembersJoined(svc *timebank.Service, actor call.Actor, bank string) EventSource {
	return &membersJoined{svc: svc, actor: actor, bank: bank}
}

type membersJoined struct {
	svc   *timebank.Service
	actor call.Actor
	bank  string
}

func (m *membersJoined) Since(ctx context.Context, mark string, limit int) ([]Pending, string, error) {
	after, err := seqMark(mark)
	if err != nil {
		return nil, mark, err
	}
	evs, err := m.svc.Events(ctx, m.actor, timebank.EventFilter{Bank: m.bank, After: after, Limit: limit})
	if err != nil {
		return nil, mark, fmt.Errorf("members joined: %w", err)
	}
	next := mark
	var out []Pending
	for _, e := range evs {
		next = seqString(e.Seq)
		if e.Action != joinAction {
			continue
		}
		out = append(out, Pending{Mark: next, Item: Item{ID: "member_joined:" + e.Subject, Record: Record{Kind: MemberJoined,
			ExternalID: e.Subject, Version: e.Seq, Fields: map[string]string{"member": e.Subject, "bank": e.Bank,
				"kind": e.Note, "joined": e.At.Format(time.DateOnly)}}}})
	}
	return out, next, nil
}
