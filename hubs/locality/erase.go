package locality

import (
	"context"
	"time"

	"github.com/strongertogether/community/call"
)

// ErasePerson removes person's personal data from every record that names
// them: a case's name, contact, notes, goals, connections' notes and
// story; the evidence text of its avoided events; a listening count's
// resident; the person's assets and gift-board cards. Counts, dates and
// areas stay, so reports do not change. Managers may erase. Erasing a
// person no record names succeeds and writes nothing but its receipt.
func (s *Service) ErasePerson(ctx context.Context, w call.Write, person string) error {
	if err := checkID("person", person); err != nil {
		return err
	}
	_, err := write(ctx, s, w, "locality.erase_person", person, s.may(w.Actor, RoleManager),
		func(now time.Time) (*Batch, string, error) {
			b, err := s.erasure(ctx, person, now)
			return b, person, err
		}, func(context.Context, string) (struct{}, error) { return struct{}{}, nil })
	return err
}

func (s *Service) erasure(ctx context.Context, person string, now time.Time) (*Batch, error) {
	q := Query{Person: person}
	b := &Batch{Erase: true}
	cases, err := s.store.Cases(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		c.Name, c.Contact, c.Story, c.Erased = "", "", "", true
		for i := range c.Conversations {
			c.Conversations[i].Notes = ""
		}
		for i := range c.Goals {
			c.Goals[i].Text = ""
		}
		for i := range c.Connections {
			c.Connections[i].Note = ""
			if c.Connections[i].Kind == ToPerson {
				c.Connections[i].To = "erased"
			}
		}
		c.Version, c.UpdatedAt = c.Version+1, now
		b.Cases = append(b.Cases, c)
	}
	av, err := s.store.Avoided(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, v := range av {
		v.Evidence = "erased"
		v.Version, v.UpdatedAt = v.Version+1, now
		b.Avoided = append(b.Avoided, v)
	}
	ls, err := s.store.Listening(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		l.Resident, l.ResidentName = "", ""
		l.Version, l.UpdatedAt = l.Version+1, now
		b.Listening = append(b.Listening, l)
	}
	as, err := s.store.Assets(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		a.Person, a.PersonName, a.Description, a.Erased = "", "", "", true
		if a.Kind == GiftAsset || a.Kind == Skill {
			a.Name = "erased"
		}
		a.Version, a.UpdatedAt = a.Version+1, now
		b.Assets = append(b.Assets, a)
	}
	gs, err := s.store.Gifts(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		g.Person, g.PersonName, g.Text, g.Erased = "", "", "erased", true
		g.Version, g.UpdatedAt = g.Version+1, now
		b.Gifts = append(b.Gifts, g)
	}
	return b, nil
}
