package hubs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/idem"
)

// MaxVolunteerChanges is the most changes one ImportVolunteers call takes:
// ten of the CRM protocol's largest batches, so a sync can store batches
// that waited for it in one transaction.
const MaxVolunteerChanges = 10_000

// VolunteerChange is one volunteer of an ImportVolunteers batch, under its
// own idempotency key (scoped to the batch's actor, as a call.Write's key
// is). With ID empty it registers New, as RegisterVolunteer does; with ID
// set it applies Update to that volunteer, as UpdateVolunteer does. Each
// records the receipt its single call would, so a change replays as the
// single call with the same key and request, and the other way round.
type VolunteerChange struct {
	Key    string
	ID     string
	New    NewVolunteer
	Update VolunteerUpdate
}

// String names the change's volunteer id, never the key (it may hold a
// name) or the details.
func (c VolunteerChange) String() string {
	if c.ID == "" {
		return fmt.Sprintf("volunteer change (key of %d bytes): %v", len(c.Key), c.New)
	}
	return fmt.Sprintf("volunteer change (key of %d bytes) of %s: %v", len(c.Key), c.ID, c.Update)
}

// GoString is String, so that %#v redacts too.
func (c VolunteerChange) GoString() string { return c.String() }

// LogValue logs what String says.
func (c VolunteerChange) LogValue() slog.Value { return slog.StringValue(c.String()) }

// VolunteerResult is the outcome of one VolunteerChange.
type VolunteerResult struct {
	// ID is the volunteer registered or updated ("" when Err is set).
	ID string
	// Replay says the change's key was recorded already, by this call or
	// an earlier one: ID is the first result and nothing was written.
	Replay bool
	// Err says why the change was refused (a *FieldError wrapping
	// ErrInvalid, ErrUnknownHub, ErrNotFound or ErrConflict); nothing of
	// it was written.
	Err error
}

// ImportVolunteers registers and updates many volunteers in one store
// transaction, the batched path of RegisterVolunteer and UpdateVolunteer
// for a CRM sync or a bulk import. A coordinator may; the actor is checked
// once for the batch. Each change is checked by the same rules as its
// single call and gets its own result, in the order of changes: a change
// the rules refuse is reported in its VolunteerResult.Err and skipped,
// never half-written, while the rest are stored, each with its receipt,
// together. A change whose key was recorded already (here, or by a single
// call) is a replay: its first result, nothing written; a key reused for a
// different request is ErrConflict. So a re-run, or a batch sent twice,
// changes nothing.
//
// Changes are applied in order: two updates of one volunteer in a batch
// are two versions. The error return is for the whole call:
// ErrForbidden, ErrInvalid for more than MaxVolunteerChanges changes, or a
// store failure; then nothing of the batch was written.
func (s *Service) ImportVolunteers(ctx context.Context, a call.Actor, changes []VolunteerChange) ([]VolunteerResult, error) {
	const op = "hubs.import_volunteers"
	if len(changes) > MaxVolunteerChanges {
		return nil, fmt.Errorf("%s: %w", op, invalid("changes", "holds %d changes; at most %d are taken", len(changes), MaxVolunteerChanges))
	}
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out := make([]VolunteerResult, len(changes))
	var todo []prepared
	for i, c := range changes {
		p, err := s.prepare(ctx, a, i, c)
		if err != nil {
			if !isField(err) {
				return nil, fmt.Errorf("%s: %w", op, err)
			}
			out[i].Err = err
			continue
		}
		todo = append(todo, p)
	}
	stored := 0
	for attempt := 1; ; attempt++ {
		// The first attempt assumes no key was recorded, which holds for
		// new records and saves reading every receipt; the store refuses
		// the batch whole if one was, and the next attempt reads them.
		b, n, err := s.buildChanges(ctx, todo, out, attempt > 1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if len(b.Volunteers) == 0 {
			break
		}
		err = s.store.Apply(ctx, b)
		if err == nil {
			stored = n
			break
		}
		// A receipt recorded meanwhile, or a volunteer changed meanwhile:
		// build again from fresh reads.
		if (errors.Is(err, ErrDuplicateKey) || errors.Is(err, ErrConflict)) && attempt < idem.Attempts {
			continue
		}
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.log.InfoContext(ctx, op, "actor", a.ID, "changes", len(changes), "stored", stored)
	return out, nil
}

// prepared is a change checked and fingerprinted.
type prepared struct {
	i          int // its index in the call
	rkey, hash string
	id         string // "" to register
	reg        NewVolunteer
	upd        VolunteerUpdate
}

// prepare checks a change as its single call would before reading the
// store, and fingerprints it as that call's receipt would.
func (s *Service) prepare(ctx context.Context, a call.Actor, i int, c VolunteerChange) (prepared, error) {
	p := prepared{i: i, id: c.ID}
	var req any
	op := "hubs.register_volunteer"
	if c.ID == "" {
		if err := validVolunteer(c.New); err != nil {
			return p, err
		}
		p.reg = c.New.normal()
		req = p.reg
	} else {
		if err := checkID("ID", c.ID); err != nil {
			return p, err
		}
		op = "hubs.update_volunteer"
		p.upd = c.Update.clone()
		req = volunteerUpdateReq{c.ID, p.upd}
	}
	rkey, hash, err := idem.Fingerprint(ctx, s.writes, a.Key(c.Key), op, req)
	if err != nil {
		return p, err
	}
	p.rkey, p.hash = rkey, hash
	return p, nil
}

// normal returns in as RegisterVolunteer records it: the day registered
// at midnight UTC, the lists copied.
func (in NewVolunteer) normal() NewVolunteer {
	in.Registered = day(in.Registered)
	in.Roles, in.Training = slices.Clone(in.Roles), slices.Clone(in.Training)
	return in
}

// isField reports whether err is the fault of one request (a *FieldError),
// not of the store.
func isField(err error) bool {
	var fe *FieldError
	return errors.As(err, &fe)
}

// buildChanges reads what the prepared changes need and returns the batch
// that stores those not recorded already (when lookup is set; otherwise
// it assumes none is), with a receipt for each, and how many it stores;
// it fills in each change's result.
func (s *Service) buildChanges(ctx context.Context, todo []prepared, out []VolunteerResult, lookup bool) (*Batch, int, error) {
	now := s.clock()
	recorded := map[string]*Receipt{}
	if lookup {
		keys := make([]string, len(todo))
		for i, p := range todo {
			keys[i] = p.rkey
		}
		recs, err := s.store.Receipts(ctx, keys)
		if err != nil {
			return nil, 0, err
		}
		for _, r := range recs {
			recorded[r.Key] = r
		}
	}
	var err error
	b := &Batch{}
	first := map[string]prepared{} // receipt key → the change of this batch that records it
	latest := map[string]*Volunteer{}
	hubs := map[string]error{}
	n := 0
	for _, p := range todo {
		res := &out[p.i]
		*res = VolunteerResult{}
		if r, ok := recorded[p.rkey]; ok {
			if !idem.Matches(r.Hash, p.hash) {
				res.Err = s.writes.Reused("")
			} else {
				res.ID, res.Replay = r.Result, true
			}
			continue
		}
		if q, ok := first[p.rkey]; ok {
			if q.hash != p.hash {
				res.Err = s.writes.Reused("")
			} else {
				res.ID, res.Replay = out[q.i].ID, true
			}
			continue
		}
		var v *Volunteer
		if p.id == "" {
			herr, seen := hubs[p.reg.Hub]
			if !seen {
				_, herr = s.hub(ctx, p.reg.Hub)
				if herr != nil && !isField(herr) {
					return nil, 0, herr
				}
				hubs[p.reg.Hub] = herr
			}
			if herr != nil {
				res.Err = herr
				continue
			}
			in := p.reg
			v = &Volunteer{ID: s.newID(), Hub: in.Hub, Name: in.Name, Email: in.Email, Phone: in.Phone, Roles: in.Roles,
				Training: in.Training, Registered: in.Registered, Version: 1, CreatedAt: now, UpdatedAt: now}
		} else {
			if prev, ok := latest[p.id]; ok {
				cp := *prev
				v = &cp
			} else if v, err = get(ctx, s.store.Volunteer, "volunteer", p.id); err != nil {
				if !isField(err) {
					return nil, 0, err
				}
				res.Err = err
				continue
			}
			if err := v.update(p.upd, now); err != nil {
				res.Err = err
				continue
			}
		}
		latest[v.ID] = v
		first[p.rkey] = p
		res.ID = v.ID
		b.Volunteers = append(b.Volunteers, v)
		b.Receipts = append(b.Receipts, Receipt{Key: p.rkey, Hash: p.hash, Result: v.ID, At: now})
		n++
	}
	return b, n, nil
}
