package locality

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/strongertogether/community/call"
)

// NewAsset is an entry for a locality's asset map. A gift or skill is a
// person's (PersonName, optionally Person's id) and needs Consent.
type NewAsset struct {
	Area        string
	Ward        string
	Kind        AssetKind
	Name        string
	Description string
	Person      string
	PersonName  string
	Consent     bool
}

// AddAsset adds an asset to the map of a Community Builder's locality.
func (s *Service) AddAsset(ctx context.Context, w call.Write, in NewAsset) (*Asset, error) {
	if !slices.Contains(AssetKinds(), in.Kind) {
		return nil, invalid("Kind", "%q is not one of %v", in.Kind, AssetKinds())
	}
	for _, f := range []struct {
		name, v string
		max     int
		req     bool
	}{{"Name", in.Name, maxName, true}, {"Description", in.Description, maxText, false},
		{"PersonName", in.PersonName, maxName, false}} {
		if err := checkText(f.name, f.v, f.max, f.req); err != nil {
			return nil, err
		}
	}
	if err := checkOptionalID("Person", in.Person); err != nil {
		return nil, err
	}
	personal := in.Kind == GiftAsset || in.Kind == Skill
	if (personal || in.Person != "" || in.PersonName != "") && !in.Consent {
		return nil, fieldErr(ErrNoConsent, "Consent", "a person's gift or skill is mapped only with their consent")
	}
	id := s.newID()
	return write(ctx, s, w, "locality.add_asset", in, s.may(w.Actor, RoleBuilder),
		func(now time.Time) (*Batch, string, error) {
			a, err := s.area(ctx, in.Area, Builders)
			if err != nil {
				return nil, "", err
			}
			wd, err := ward(a, in.Ward)
			if err != nil {
				return nil, "", err
			}
			as := &Asset{ID: id, Area: a.ID, Ward: wd, Kind: in.Kind, Name: in.Name, Description: in.Description, Person: in.Person,
				PersonName: in.PersonName, Consent: in.Consent, Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Assets: []*Asset{as}}, id, nil
		}, s.store.Asset)
}

// ListAsset records the directory listing an asset became (checked
// against the Directory when one is set).
func (s *Service) ListAsset(ctx context.Context, w call.Write, assetID, listing string) (*Asset, error) {
	if err := checkText("listing", listing, maxID, true); err != nil {
		return nil, err
	}
	if s.dir != nil {
		if err := s.dir.ListingExists(ctx, listing); err != nil {
			return nil, fmt.Errorf("list asset: %w", fieldErr(ErrNotFound, "listing", "%s is not a directory listing", listing))
		}
	}
	return write(ctx, s, w, "locality.list_asset", [2]string{assetID, listing}, s.may(w.Actor, RoleBuilder),
		func(now time.Time) (*Batch, string, error) {
			a, err := get(ctx, s.store.Asset, "asset", assetID)
			if err != nil {
				return nil, "", err
			}
			a.Listing, a.Version, a.UpdatedAt = listing, a.Version+1, now
			return &Batch{Assets: []*Asset{a}}, assetID, nil
		}, s.store.Asset)
}

// AssetMap returns the assets q selects, with the names of the people
// whose gifts they are. Builders and managers may read it; BuildersReport
// gives the counts openly.
func (s *Service) AssetMap(ctx context.Context, a call.Actor, q Query) ([]*Asset, error) {
	if err := s.check(ctx, a, RoleBuilder, RoleManager); err != nil {
		return nil, fmt.Errorf("asset map: %w", err)
	}
	return s.store.Assets(ctx, q)
}

// NewGift is a gift-board card.
type NewGift struct {
	Area       string
	Ward       string
	Kind       GiftKind
	Text       string
	Person     string
	PersonName string
	Consent    bool
	Posted     time.Time
}

// PostGift puts an offer or a request on a locality's gift board. A card
// naming a person needs their consent.
func (s *Service) PostGift(ctx context.Context, w call.Write, in NewGift) (*Gift, error) {
	if in.Kind != Offer && in.Kind != Request {
		return nil, invalid("Kind", "%q is not offer or request", in.Kind)
	}
	if in.Posted.IsZero() {
		return nil, invalid("Posted", "is required")
	}
	for _, f := range []struct {
		name, v string
		max     int
		req     bool
	}{{"Text", in.Text, maxText, true}, {"PersonName", in.PersonName, maxName, false}} {
		if err := checkText(f.name, f.v, f.max, f.req); err != nil {
			return nil, err
		}
	}
	if err := checkOptionalID("Person", in.Person); err != nil {
		return nil, err
	}
	if (in.Person != "" || in.PersonName != "") && !in.Consent {
		return nil, fieldErr(ErrNoConsent, "Consent", "a card names a person only with their consent")
	}
	in.Posted = utc(in.Posted)
	id := s.newID()
	return write(ctx, s, w, "locality.post_gift", in, s.may(w.Actor, RoleBuilder),
		func(now time.Time) (*Batch, string, error) {
			a, err := s.area(ctx, in.Area, Builders)
			if err != nil {
				return nil, "", err
			}
			wd, err := ward(a, in.Ward)
			if err != nil {
				return nil, "", err
			}
			g := &Gift{ID: id, Area: a.ID, Ward: wd, Kind: in.Kind, Text: in.Text, Person: in.Person, PersonName: in.PersonName,
				Posted: in.Posted, Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Gifts: []*Gift{g}}, id, nil
		}, s.store.Gift)
}

// MatchGifts connects an offer with a request: the connection the gift
// board led to. Both cards must be unmatched and of opposite kinds.
func (s *Service) MatchGifts(ctx context.Context, w call.Write, offer, request string, on time.Time) (*Gift, error) {
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	on = utc(on)
	return write(ctx, s, w, "locality.match_gifts", struct {
		Offer, Request string
		On             time.Time
	}{offer, request, on}, s.may(w.Actor, RoleBuilder),
		func(now time.Time) (*Batch, string, error) {
			o, err := get(ctx, s.store.Gift, "offer", offer)
			if err != nil {
				return nil, "", err
			}
			r, err := get(ctx, s.store.Gift, "request", request)
			if err != nil {
				return nil, "", err
			}
			if o.Kind != Offer || r.Kind != Request {
				return nil, "", invalid("offer", "an offer is matched with a request")
			}
			if o.Match != "" || r.Match != "" {
				return nil, "", fieldErr(ErrConflict, "offer", "a card is matched already")
			}
			for _, g := range []*Gift{o, r} {
				g.Matched, g.Version, g.UpdatedAt = &on, g.Version+1, now
			}
			o.Match, r.Match = r.ID, o.ID
			return &Batch{Gifts: []*Gift{o, r}}, o.ID, nil
		}, s.store.Gift)
}

// Gifts returns the gift-board cards q selects. Builders and managers may
// read them.
func (s *Service) Gifts(ctx context.Context, a call.Actor, q Query) ([]*Gift, error) {
	if err := s.check(ctx, a, RoleBuilder, RoleManager); err != nil {
		return nil, fmt.Errorf("gifts: %w", err)
	}
	return s.store.Gifts(ctx, q)
}

// NewFair is an ideas fair.
type NewFair struct {
	Area        string
	Ward        string
	On          time.Time
	Place       string
	Attendance  int64
	Ideas       int64
	Connections int64
}

// HoldFair records an ideas fair.
func (s *Service) HoldFair(ctx context.Context, w call.Write, in NewFair) (*Fair, error) {
	if in.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if err := checkText("Place", in.Place, maxName, true); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		f string
		n int64
	}{{"Attendance", in.Attendance}, {"Ideas", in.Ideas}, {"Connections", in.Connections}} {
		if err := checkCount(c.f, c.n); err != nil {
			return nil, err
		}
	}
	in.On = utc(in.On)
	id := s.newID()
	return write(ctx, s, w, "locality.hold_fair", in, s.may(w.Actor, RoleBuilder),
		func(now time.Time) (*Batch, string, error) {
			a, err := s.area(ctx, in.Area, Builders)
			if err != nil {
				return nil, "", err
			}
			wd, err := ward(a, in.Ward)
			if err != nil {
				return nil, "", err
			}
			f := &Fair{ID: id, Area: a.ID, Ward: wd, On: in.On, Place: in.Place, Attendance: in.Attendance, Ideas: in.Ideas,
				Connections: in.Connections, Version: 1, CreatedAt: now}
			return &Batch{Fairs: []*Fair{f}}, id, nil
		}, s.store.Fair)
}

// NewPractice is a Community of Practice event.
type NewPractice struct {
	Area       string
	Ward       string
	On         time.Time
	Place      string
	Attendance int64
	// HubEvent names the hubs event it was ("" if none), checked against
	// the Directory when one is set.
	HubEvent string
}

// HoldPractice records a Community of Practice event.
func (s *Service) HoldPractice(ctx context.Context, w call.Write, in NewPractice) (*Practice, error) {
	if in.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if err := checkText("Place", in.Place, maxName, true); err != nil {
		return nil, err
	}
	if err := checkText("HubEvent", in.HubEvent, maxID, false); err != nil {
		return nil, err
	}
	if err := checkCount("Attendance", in.Attendance); err != nil {
		return nil, err
	}
	if in.HubEvent != "" && s.dir != nil {
		if err := s.dir.EventExists(ctx, in.HubEvent); err != nil {
			return nil, fmt.Errorf("hold practice: %w", fieldErr(ErrNotFound, "HubEvent", "%s is not a hubs event", in.HubEvent))
		}
	}
	in.On = utc(in.On)
	id := s.newID()
	return write(ctx, s, w, "locality.hold_practice", in, s.may(w.Actor, RoleBuilder),
		func(now time.Time) (*Batch, string, error) {
			a, err := s.area(ctx, in.Area, Builders)
			if err != nil {
				return nil, "", err
			}
			wd, err := ward(a, in.Ward)
			if err != nil {
				return nil, "", err
			}
			p := &Practice{ID: id, Area: a.ID, Ward: wd, On: in.On, Place: in.Place, Attendance: in.Attendance, HubEvent: in.HubEvent,
				Version: 1, CreatedAt: now}
			return &Batch{Practices: []*Practice{p}}, id, nil
		}, s.store.Practice)
}

// Fairs returns the ideas fairs q selects. They name no person; the read
// is open.
func (s *Service) Fairs(ctx context.Context, q Query) ([]*Fair, error) {
	q.Person = ""
	return s.store.Fairs(ctx, q)
}

// Practices returns the Community of Practice events q selects. They name
// no person; the read is open.
func (s *Service) Practices(ctx context.Context, q Query) ([]*Practice, error) {
	q.Person = ""
	return s.store.Practices(ctx, q)
}
