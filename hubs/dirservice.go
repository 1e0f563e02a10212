package hubs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// AddOrganization adds an organisation to the directory. Its name and
// description are required, as Open Referral UK requires them. An editor
// may. It returns ErrForbidden or ErrInvalid.
func (s *Service) AddOrganization(ctx context.Context, w call.Write, in NewOrganization) (*Organization, error) {
	if err := checkText("Name", in.Name, maxName, true); err != nil {
		return nil, err
	}
	// Open Referral UK requires an organisation's description.
	if err := checkText("Description", in.Description, maxText, true); err != nil {
		return nil, err
	}
	for _, f := range []struct{ n, v string }{{"Email", in.Email}, {"Website", in.Website}, {"Phone", in.Phone}} {
		if err := checkText(f.n, f.v, maxShort, false); err != nil {
			return nil, err
		}
	}
	return write(ctx, s, w, "hubs.add_organization", in, s.may(w.Actor, RoleEditor),
		func(now time.Time) (*Batch, string, error) {
			o := &Organization{ID: s.newID(), Name: in.Name, Description: in.Description, Email: in.Email, Website: in.Website,
				Phone: in.Phone, Version: 1, UpdatedAt: now}
			return &Batch{Organizations: []*Organization{o}}, o.ID, nil
		}, s.store.Organization)
}

// AddLocation adds a location to the directory. An editor may. It returns
// ErrForbidden, ErrUnknownHub (a hub named but unknown) or ErrInvalid.
func (s *Service) AddLocation(ctx context.Context, w call.Write, in NewLocation) (*Location, error) {
	if err := validHub(in.Name, in.Ward, in.PCN, in.Address1, in.Postcode, in.Lat, in.Long, nil, nil); err != nil {
		return nil, err
	}
	if err := checkText("City", in.City, maxName, false); err != nil {
		return nil, err
	}
	if err := checkText("Description", in.Description, maxText, false); err != nil {
		return nil, err
	}
	switch in.LocationType {
	case "":
		in.LocationType = "physical"
	case "physical", "postal", "virtual":
	default:
		return nil, invalid("LocationType", "%q: a location is physical, postal or virtual", in.LocationType)
	}
	in.Postcode = normPostcode(in.Postcode)
	return write(ctx, s, w, "hubs.add_location", in, s.may(w.Actor, RoleEditor),
		func(now time.Time) (*Batch, string, error) {
			if in.Hub != "" {
				if _, err := s.hub(ctx, in.Hub); err != nil {
					return nil, "", err
				}
			}
			l := &Location{ID: s.newID(), Name: in.Name, LocationType: in.LocationType, Description: in.Description, Address1: in.Address1, City: in.City,
				Postcode: in.Postcode, Lat: in.Lat, Long: in.Long, Ward: in.Ward, PCN: in.PCN, Hub: in.Hub, Version: 1, UpdatedAt: now}
			return &Batch{Locations: []*Location{l}}, l.ID, nil
		}, s.store.Location)
}

// AddTerm adds a taxonomy term; its code, name and description are
// required (Open Referral UK requires name and description). An editor
// may. It returns ErrForbidden,
// ErrNotFound for an unknown parent, or ErrInvalid.
func (s *Service) AddTerm(ctx context.Context, w call.Write, in NewTerm) (*TaxonomyTerm, error) {
	if err := checkText("Code", in.Code, maxName, true); err != nil {
		return nil, err
	}
	if err := checkText("Name", in.Name, maxName, true); err != nil {
		return nil, err
	}
	// Open Referral UK requires a taxonomy term's description.
	if err := checkText("Description", in.Description, maxText, true); err != nil {
		return nil, err
	}
	if err := checkText("Taxonomy", in.Taxonomy, maxName, false); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "hubs.add_term", in, s.may(w.Actor, RoleEditor),
		func(now time.Time) (*Batch, string, error) {
			if in.ParentID != "" {
				if _, err := get(ctx, s.store.Term, "ParentID", in.ParentID); err != nil {
					return nil, "", err
				}
			}
			t := &TaxonomyTerm{ID: s.newID(), Code: in.Code, Name: in.Name, Description: in.Description, ParentID: in.ParentID,
				Taxonomy: in.Taxonomy, Version: 1, UpdatedAt: now}
			return &Batch{Terms: []*TaxonomyTerm{t}}, t.ID, nil
		}, s.store.Term)
}

var byDay = regexp.MustCompile(`^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$`)

// AddListing adds a service to the directory, with its schedules,
// contacts, costs, taxonomy terms and locations. An editor may. It
// returns ErrForbidden, ErrNotFound for an unknown organisation, term or
// location, or ErrInvalid.
func (s *Service) AddListing(ctx context.Context, w call.Write, in NewListing) (*Listing, error) {
	if err := validListing(&in); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "hubs.add_listing", in, s.may(w.Actor, RoleEditor),
		func(now time.Time) (*Batch, string, error) {
			if _, err := get(ctx, s.store.Organization, "OrganizationID", in.OrganizationID); err != nil {
				return nil, "", err
			}
			for _, t := range in.TermIDs {
				if _, err := get(ctx, s.store.Term, "TermIDs", t); err != nil {
					return nil, "", err
				}
			}
			l := &Listing{ID: s.newID(), OrganizationID: in.OrganizationID, Name: in.Name, Description: in.Description, URL: in.URL,
				Email: in.Email, Status: in.Status, MinimumAge: in.MinimumAge, MaximumAge: in.MaximumAge,
				TermIDs: slices.Clone(in.TermIDs), Version: 1, UpdatedAt: now}
			for _, x := range in.Schedules {
				x.ID = s.newID()
				l.Schedules = append(l.Schedules, x)
			}
			for _, x := range in.Contacts {
				x.ID = s.newID()
				l.Contacts = append(l.Contacts, x)
			}
			for _, x := range in.Costs {
				x.ID = s.newID()
				l.Costs = append(l.Costs, x)
			}
			for _, loc := range in.LocationIDs {
				if _, err := get(ctx, s.store.Location, "LocationIDs", loc); err != nil {
					return nil, "", err
				}
				l.AtLocations = append(l.AtLocations, ServiceAtLocation{ID: s.newID(), LocationID: loc})
			}
			return &Batch{Listings: []*Listing{l}}, l.ID, nil
		}, s.store.Listing)
}

// ListingUpdate changes a listing; nil fields are unchanged. Schedules,
// contacts and costs given replace the old ones and get new ids;
// LocationIDs replace the listing's service-at-location links.
type ListingUpdate struct {
	Name        *string
	Description *string
	URL         *string
	Email       *string
	Status      *string
	MinimumAge  **int
	MaximumAge  **int
	Schedules   *[]Schedule
	Contacts    *[]Contact
	Costs       *[]CostOption
	TermIDs     *[]string
	LocationIDs *[]string
}

// UpdateListing changes a listing of the directory, setting its UpdatedAt
// (HSDS last_modified). An editor may. It returns ErrForbidden,
// ErrNotFound (the listing, or a term or location it names) or
// ErrInvalid.
func (s *Service) UpdateListing(ctx context.Context, w call.Write, id string, u ListingUpdate) (*Listing, error) {
	return write(ctx, s, w, "hubs.update_listing", struct {
		ID string
		U  ListingUpdate
	}{id, u}, s.may(w.Actor, RoleEditor),
		func(now time.Time) (*Batch, string, error) {
			l, err := get(ctx, s.store.Listing, "listing", id)
			if err != nil {
				return nil, "", err
			}
			in := NewListing{OrganizationID: l.OrganizationID, Name: l.Name, Description: l.Description, URL: l.URL, Email: l.Email,
				Status: l.Status, MinimumAge: l.MinimumAge, MaximumAge: l.MaximumAge, Schedules: l.Schedules, Contacts: l.Contacts,
				Costs: l.Costs, TermIDs: l.TermIDs}
			for _, sal := range l.AtLocations {
				in.LocationIDs = append(in.LocationIDs, sal.LocationID)
			}
			set := func(dst *string, src *string) {
				if src != nil {
					*dst = *src
				}
			}
			set(&in.Name, u.Name)
			set(&in.Description, u.Description)
			set(&in.URL, u.URL)
			set(&in.Email, u.Email)
			set(&in.Status, u.Status)
			if u.MinimumAge != nil {
				in.MinimumAge = *u.MinimumAge
			}
			if u.MaximumAge != nil {
				in.MaximumAge = *u.MaximumAge
			}
			if u.Schedules != nil {
				in.Schedules = *u.Schedules
			}
			if u.Contacts != nil {
				in.Contacts = *u.Contacts
			}
			if u.Costs != nil {
				in.Costs = *u.Costs
			}
			if u.TermIDs != nil {
				in.TermIDs = *u.TermIDs
			}
			if u.LocationIDs != nil {
				in.LocationIDs = *u.LocationIDs
			}
			if err := validListing(&in); err != nil {
				return nil, "", err
			}
			for _, t := range in.TermIDs {
				if _, err := get(ctx, s.store.Term, "TermIDs", t); err != nil {
					return nil, "", err
				}
			}
			l.Name, l.Description, l.URL, l.Email, l.Status = in.Name, in.Description, in.URL, in.Email, in.Status
			l.MinimumAge, l.MaximumAge, l.TermIDs = in.MinimumAge, in.MaximumAge, in.TermIDs
			if u.Schedules != nil {
				l.Schedules = nil
				for _, x := range in.Schedules {
					x.ID = s.newID()
					l.Schedules = append(l.Schedules, x)
				}
			}
			if u.Contacts != nil {
				l.Contacts = nil
				for _, x := range in.Contacts {
					x.ID = s.newID()
					l.Contacts = append(l.Contacts, x)
				}
			}
			if u.Costs != nil {
				l.Costs = nil
				for _, x := range in.Costs {
					x.ID = s.newID()
					l.Costs = append(l.Costs, x)
				}
			}
			if u.LocationIDs != nil {
				l.AtLocations = nil
				for _, loc := range in.LocationIDs {
					if _, err := get(ctx, s.store.Location, "LocationIDs", loc); err != nil {
						return nil, "", err
					}
					l.AtLocations = append(l.AtLocations, ServiceAtLocation{ID: s.newID(), LocationID: loc})
				}
			}
			l.Version++
			l.UpdatedAt = now
			return &Batch{Listings: []*Listing{l}}, l.ID, nil
		}, s.store.Listing)
}

func validListing(in *NewListing) error {
	if err := checkText("OrganizationID", in.OrganizationID, maxID, true); err != nil {
		return err
	}
	if err := checkText("Name", in.Name, maxName, true); err != nil {
		return err
	}
	if err := checkText("Description", in.Description, maxText, false); err != nil {
		return err
	}
	for _, f := range []struct{ n, v string }{{"URL", in.URL}, {"Email", in.Email}} {
		if err := checkText(f.n, f.v, maxShort, false); err != nil {
			return err
		}
	}
	switch in.Status {
	case "":
		in.Status = "active"
	case "active", "inactive", "defunct", "temporarily closed":
	default:
		return invalid("Status", "%q is not an HSDS service status", in.Status)
	}
	for _, a := range []struct {
		n string
		v *int
	}{{"MinimumAge", in.MinimumAge}, {"MaximumAge", in.MaximumAge}} {
		if a.v != nil && (*a.v < 0 || *a.v > 130) {
			return fieldErr(ErrNegative, a.n, "%d is not an age", *a.v)
		}
	}
	if in.MinimumAge != nil && in.MaximumAge != nil && *in.MaximumAge < *in.MinimumAge {
		return invalid("MaximumAge", "is below MinimumAge")
	}
	if len(in.Schedules)+len(in.Contacts)+len(in.Costs)+len(in.TermIDs)+len(in.LocationIDs) > 5*maxList {
		return invalid("Listing", "has too many parts")
	}
	for i, x := range in.Schedules {
		f := fmt.Sprintf("Schedules[%d]", i)
		if x.Freq != "WEEKLY" {
			return invalid(f+".Freq", "%q: schedules are WEEKLY", x.Freq)
		}
		if !byDay.MatchString(x.ByDay) {
			return invalid(f+".ByDay", "%q is not a list of days such as MO,WE", x.ByDay)
		}
		if err := checkHHMM(f+".OpensAt", x.OpensAt); err != nil {
			return err
		}
		if err := checkHHMM(f+".ClosesAt", x.ClosesAt); err != nil {
			return err
		}
		if x.ClosesAt <= x.OpensAt {
			return invalid(f+".ClosesAt", "is not after OpensAt")
		}
		if err := checkText(f+".Description", x.Description, maxShort, false); err != nil {
			return err
		}
	}
	for i, x := range in.Contacts {
		f := fmt.Sprintf("Contacts[%d]", i)
		for _, g := range []struct{ n, v string }{{"Name", x.Name}, {"Title", x.Title}, {"Email", x.Email}, {"Phone", x.Phone}} {
			if err := checkText(f+"."+g.n, g.v, maxName, false); err != nil {
				return err
			}
		}
	}
	for i, x := range in.Costs {
		f := fmt.Sprintf("Costs[%d]", i)
		if err := checkText(f+".Option", x.Option, maxShort, false); err != nil {
			return err
		}
		if x.Amount != nil && x.Amount.IsNegative() {
			return fieldErr(ErrNegative, f+".Amount", "a cost is not negative")
		}
		if x.Amount != nil && x.Currency == "" {
			in.Costs[i].Currency = "GBP"
		}
	}
	in.Schedules, in.Contacts, in.Costs = slices.Clone(in.Schedules), slices.Clone(in.Contacts), slices.Clone(in.Costs)
	in.TermIDs, in.LocationIDs = slices.Clone(in.TermIDs), slices.Clone(in.LocationIDs)
	return nil
}

// normPostcode writes a postcode in capitals with one space before its
// last three characters.
func normPostcode(p string) string {
	p = strings.ToUpper(strings.Join(strings.Fields(p), ""))
	if len(p) > 3 {
		p = p[:len(p)-3] + " " + p[len(p)-3:]
	}
	return p
}

// LoadPostcodes loads postcode centroids (from the app's postcode
// directory) for distance searches, replacing any loaded before. An
// editor may. It returns ErrForbidden or ErrInvalid.
func (s *Service) LoadPostcodes(ctx context.Context, w call.Write, pcs []Postcode) (int, error) {
	in := make([]Postcode, len(pcs))
	for i, p := range pcs {
		p.ID = normPostcode(p.ID)
		if err := checkText(fmt.Sprintf("[%d].ID", i), p.ID, 10, true); err != nil {
			return 0, err
		}
		if err := validHub("-", "", "", "", "", p.Lat, p.Long, nil, nil); err != nil {
			return 0, err
		}
		in[i] = Postcode{ID: p.ID, Lat: p.Lat, Long: p.Long}
	}
	return write(ctx, s, w, "hubs.load_postcodes", in, s.may(w.Actor, RoleEditor),
		func(now time.Time) (*Batch, string, error) {
			b := &Batch{}
			for _, p := range in {
				p.Version = 1
				if old, err := s.store.Postcode(ctx, p.ID); err == nil {
					p.Version = old.Version + 1
				}
				b.Postcodes = append(b.Postcodes, &p)
			}
			return b, fmt.Sprint(len(in)), nil
		}, func(_ context.Context, r string) (int, error) {
			var n int
			_, err := fmt.Sscan(r, &n)
			return n, err
		})
}

// Listing returns a listing of the directory. It checks no role: the
// directory is public. It returns ErrNotFound.
func (s *Service) Listing(ctx context.Context, id string) (*Listing, error) {
	return get(ctx, s.store.Listing, "listing", id)
}

// Listings returns the listings f selects. It checks no role.
func (s *Service) Listings(ctx context.Context, f ListingFilter) ([]*Listing, error) {
	return s.store.Listings(ctx, f)
}

// Organization returns an organisation of the directory. It checks no
// role. It returns ErrNotFound.
func (s *Service) Organization(ctx context.Context, id string) (*Organization, error) {
	return get(ctx, s.store.Organization, "organization", id)
}

// Organizations returns every organisation. It checks no role.
func (s *Service) Organizations(ctx context.Context) ([]*Organization, error) {
	return s.store.Organizations(ctx)
}

// Location returns a location. It checks no role. It returns ErrNotFound.
func (s *Service) Location(ctx context.Context, id string) (*Location, error) {
	return get(ctx, s.store.Location, "location", id)
}

// Locations returns every location. It checks no role.
func (s *Service) Locations(ctx context.Context) ([]*Location, error) {
	return s.store.Locations(ctx)
}

// Term returns a taxonomy term. It checks no role. It returns ErrNotFound.
func (s *Service) Term(ctx context.Context, id string) (*TaxonomyTerm, error) {
	return get(ctx, s.store.Term, "term", id)
}

// Terms returns every taxonomy term. It checks no role.
func (s *Service) Terms(ctx context.Context) ([]*TaxonomyTerm, error) {
	return s.store.Terms(ctx)
}

var icalDays = map[time.Weekday]string{time.Monday: "MO", time.Tuesday: "TU", time.Wednesday: "WE", time.Thursday: "TH",
	time.Friday: "FR", time.Saturday: "SA", time.Sunday: "SU"}

// opens reports whether a listing runs on day d (and at "HH:MM" at, if set).
func opens(l *Listing, d time.Weekday, at string) bool {
	for _, x := range l.Schedules {
		if !strings.Contains(x.ByDay, icalDays[d]) {
			continue
		}
		if at == "" || (x.OpensAt <= at && at < x.ClosesAt) {
			return true
		}
	}
	return false
}

// metres is the great-circle distance between two points.
func metres(lat1, long1, lat2, long2 float64) int {
	const r = 6371008.8
	rad := math.Pi / 180
	dl, dn := (lat2-lat1)*rad, (long2-long1)*rad
	a := math.Sin(dl/2)*math.Sin(dl/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dn/2)*math.Sin(dn/2)
	return int(math.Round(2 * r * math.Asin(math.Sqrt(a))))
}

// Search finds listings: those whose name or description hold every word
// of q.Text (whole words, any case), classified
// by q.TermID, at a location in q.Area (ward or PCN), serving q.Age, open
// on q.Day (at q.At), within q.Within metres of q.Postcode. With a
// postcode, hits are nearest first; otherwise by name. It checks no role:
// the directory is public. It returns ErrNotFound for a postcode not
// loaded, ErrInvalid for a malformed query.
func (s *Service) Search(ctx context.Context, q Query) ([]Hit, error) {
	if err := checkText("Text", q.Text, maxShort, false); err != nil {
		return nil, err
	}
	if q.At != "" {
		if err := checkHHMM("At", q.At); err != nil {
			return nil, err
		}
		if q.Day == nil {
			return nil, invalid("At", "needs a Day")
		}
	}
	if q.Within < 0 {
		return nil, fieldErr(ErrNegative, "Within", "a distance is not negative")
	}
	if q.Within > 0 && q.Postcode == "" {
		return nil, invalid("Within", "needs a Postcode")
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	if q.Offset < 0 {
		return nil, fieldErr(ErrNegative, "Offset", "is negative")
	}
	var lat, long float64
	if q.Postcode != "" {
		pc, err := get(ctx, s.store.Postcode, "Postcode", normPostcode(q.Postcode))
		if err != nil {
			return nil, err
		}
		lat, long = pc.Lat, pc.Long
	}
	ls, err := s.store.Listings(ctx, ListingFilter{Text: q.Text, TermID: q.TermID})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	needLoc := q.Area != "" || q.Postcode != ""
	var locs map[string]*Location
	if needLoc {
		if locs, err = s.locationsOf(ctx, ls); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	var hits []Hit
	for _, l := range ls {
		if l.Status != "active" {
			continue
		}
		if q.Age != nil && ((l.MinimumAge != nil && *q.Age < *l.MinimumAge) || (l.MaximumAge != nil && *q.Age > *l.MaximumAge)) {
			continue
		}
		if q.Day != nil && !opens(l, *q.Day, q.At) {
			continue
		}
		h := Hit{Listing: l, Metres: -1}
		if needLoc {
			ok := false
			for _, sal := range l.AtLocations {
				loc := locs[sal.LocationID]
				if loc == nil || (q.Area != "" && loc.Ward != q.Area && loc.PCN != q.Area) {
					continue
				}
				if q.Postcode != "" {
					m := metres(lat, long, loc.Lat, loc.Long)
					if q.Within > 0 && m > q.Within {
						continue
					}
					if !ok || m < h.Metres {
						h.Metres = m
					}
				}
				ok = true
			}
			if !ok {
				continue
			}
		}
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Metres != b.Metres {
			return a.Metres < b.Metres
		}
		if a.Listing.Name != b.Listing.Name {
			return a.Listing.Name < b.Listing.Name
		}
		return a.Listing.ID < b.Listing.ID
	})
	if q.Offset > 0 {
		hits = hits[min(q.Offset, len(hits)):]
	}
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// locationsOf reads the locations of listings ls: one by one when they
// are few, else all at once.
func (s *Service) locationsOf(ctx context.Context, ls []*Listing) (map[string]*Location, error) {
	ids := map[string]bool{}
	for _, l := range ls {
		for _, sal := range l.AtLocations {
			ids[sal.LocationID] = true
		}
	}
	locs := make(map[string]*Location, len(ids))
	if len(ids) <= 16 {
		for id := range ids {
			l, err := s.store.Location(ctx, id)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
			if err == nil {
				locs[id] = l
			}
		}
		return locs, nil
	}
	all, err := s.store.Locations(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range all {
		locs[l.ID] = l
	}
	return locs, nil
}

// Activities returns the listings that meet any of q.Needs (a need
// matches a taxonomy term whose Code is the need), with the area of their
// first location in q.Area if any, else their first location's. It has
// the shape of prescribing.Directory's method; the app adapts the types.
// It checks no role: the directory is public.
func (s *Service) Activities(ctx context.Context, q ActivityQuery) ([]Activity, error) {
	terms, err := s.store.Terms(ctx)
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	need := map[string]string{} // term id → need
	for _, t := range terms {
		if slices.Contains(q.Needs, t.Code) {
			need[t.ID] = t.Code
		}
	}
	locs, err := s.store.Locations(ctx)
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	byID := map[string]*Location{}
	for _, l := range locs {
		byID[l.ID] = l
	}
	seen := map[string]bool{}
	var out []Activity
	for tid := range need {
		ls, err := s.store.Listings(ctx, ListingFilter{TermID: tid})
		if err != nil {
			return nil, fmt.Errorf("activities: %w", err)
		}
		for _, l := range ls {
			if seen[l.ID] || l.Status != "active" {
				continue
			}
			seen[l.ID] = true
			a := Activity{ID: l.ID, Name: l.Name, Metres: -1}
			for _, t := range l.TermIDs {
				if n, ok := need[t]; ok {
					a.Needs = append(a.Needs, n)
				}
			}
			for _, sal := range l.AtLocations {
				if loc := byID[sal.LocationID]; loc != nil {
					area := loc.PCN
					if q.Area != "" && (loc.Ward == q.Area || loc.PCN == q.Area) {
						a.Area = q.Area
						break
					}
					if a.Area == "" {
						a.Area = area
					}
				}
			}
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Postcode returns a loaded postcode centroid (written in any case and
// spacing). It checks no role: centroids are public reference data. It
// returns ErrNotFound for a postcode not loaded.
func (s *Service) Postcode(ctx context.Context, id string) (*Postcode, error) {
	return get(ctx, s.store.Postcode, "postcode", normPostcode(id))
}
