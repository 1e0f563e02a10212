package oruk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// Errors of Parse and Import, matched with errors.Is. Both come wrapped
// in a *FieldError that says which service and field.
var (
	// ErrMissingField: an entry lacks a field the ORUK schema requires
	// (or one the directory needs to store it, such as a service's
	// organisation).
	ErrMissingField = errors.New("oruk: missing a field the ORUK schema requires")
	// ErrInvalid: the document is not ORUK JSON, or a field's value is
	// not one the schema (or the directory) allows.
	ErrInvalid = errors.New("oruk: invalid")
)

// FieldError says which service (its index in the document, -1 for the
// document itself) and which field (a JSON path such as
// "schedules[0].id") is wrong, and why. It wraps ErrMissingField or
// ErrInvalid.
type FieldError struct {
	Index  int
	Field  string
	Reason string
	Err    error
}

// Error describes the field and the reason.
func (e *FieldError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("oruk: document: %s", e.Reason)
	}
	return fmt.Sprintf("oruk: services[%d].%s: %s", e.Index, e.Field, e.Reason)
}

// Unwrap returns ErrMissingField or ErrInvalid.
func (e *FieldError) Unwrap() error { return e.Err }

// MaxDocument is the largest document Parse reads, in bytes.
const MaxDocument = 64 << 20

// Parse reads an ORUK document: a page of services as GET /services (and
// Export) write it, or a JSON array of services. Each service must carry
// its organization nested; its terms are its attributes' taxonomy_term
// objects and its places its service_at_locations' location objects.
// Parse checks every field the ORUK schema requires of each nested object
// and the values the directory would refuse, and returns the first
// problem as a *FieldError (ErrMissingField or ErrInvalid), so that a
// document that parses imports whole.
func Parse(r io.Reader) ([]Service, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("oruk: read: %w", err)
	}
	if len(data) > MaxDocument {
		return nil, &FieldError{Index: -1, Reason: fmt.Sprintf("is larger than %d bytes", MaxDocument), Err: ErrInvalid}
	}
	data = bytes.TrimSpace(data)
	var svcs []Service
	if len(data) > 0 && data[0] == '[' {
		err = strictDecode(data, &svcs)
	} else {
		var p struct {
			Contents *[]Service `json:"contents"`
		}
		if err = strictDecode(data, &p); err == nil && p.Contents == nil {
			err = errors.New("has no contents")
		}
		if p.Contents != nil {
			svcs = *p.Contents
		}
	}
	if err != nil {
		return nil, &FieldError{Index: -1, Reason: err.Error(), Err: ErrInvalid}
	}
	seen := map[string]bool{}
	for i := range svcs {
		if err := check(&svcs[i]); err != nil {
			err.Index = i
			return nil, err
		}
		if seen[svcs[i].ID] {
			return nil, &FieldError{Index: i, Field: "id", Reason: "is the id of an earlier service", Err: ErrInvalid}
		}
		seen[svcs[i].ID] = true
	}
	return svcs, nil
}

// strictDecode decodes one JSON value with nothing after it.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("has data after the JSON value")
	}
	return nil
}

var (
	byDayRE   = regexp.MustCompile(`^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$`)
	statusSet = map[string]bool{"active": true, "inactive": true, "defunct": true, "temporarily closed": true}
)

// checker collects the first problem of one service.
type checker struct{ err *FieldError }

func (c *checker) missing(field string) {
	if c.err == nil {
		c.err = &FieldError{Field: field, Reason: "is required", Err: ErrMissingField}
	}
}

func (c *checker) invalid(field, format string, a ...any) {
	if c.err == nil {
		c.err = &FieldError{Field: field, Reason: fmt.Sprintf(format, a...), Err: ErrInvalid}
	}
}

// text checks a string: valid UTF-8, no NUL, at most max characters, and
// present if required.
func (c *checker) text(field, v string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.missing(field)
	case !utf8.ValidString(v):
		c.invalid(field, "is not valid UTF-8")
	case strings.ContainsRune(v, 0):
		c.invalid(field, "holds a NUL byte")
	case utf8.RuneCountInString(v) > max:
		c.invalid(field, "is longer than %d characters", max)
	}
}

func (c *checker) id(field, v string, required bool) {
	if v == "" {
		if required {
			c.missing(field)
		}
		return
	}
	if !uuidRE.MatchString(v) {
		c.invalid(field, "%q is not a UUID", v)
	}
}

// hm normalises "HH:MM:SS" to "HH:MM".
func hm(v string) string {
	if hhmm.MatchString(v) {
		return v[:5]
	}
	return v
}

func check(s *Service) *FieldError {
	c := &checker{}
	c.id("id", s.ID, true)
	c.text("name", s.Name, 200, true)
	if s.Status == "" {
		c.missing("status")
	} else if !statusSet[s.Status] {
		c.invalid("status", "%q is not an ORUK service status", s.Status)
	}
	c.text("description", s.Description, 4000, false)
	c.text("url", s.URL, 500, false)
	c.text("email", s.Email, 500, false)
	for _, a := range []struct {
		n string
		v *int
	}{{"minimum_age", s.MinimumAge}, {"maximum_age", s.MaximumAge}} {
		if a.v != nil && (*a.v < 0 || *a.v > 130) {
			c.invalid(a.n, "%d is not an age", *a.v)
		}
	}
	if s.MinimumAge != nil && s.MaximumAge != nil && *s.MaximumAge < *s.MinimumAge {
		c.invalid("maximum_age", "is below minimum_age")
	}
	if o := s.Organization; o == nil {
		c.missing("organization")
	} else {
		c.id("organization.id", o.ID, true)
		c.text("organization.name", o.Name, 200, true)
		c.text("organization.description", o.Description, 4000, true)
		c.text("organization.email", o.Email, 500, false)
		c.text("organization.website", o.Website, 500, false)
		if s.OrganizationID != "" && s.OrganizationID != o.ID {
			c.invalid("organization_id", "is not organization.id")
		}
	}
	if len(s.Schedules)+len(s.ServiceAtLocations)+len(s.CostOptions)+len(s.Contacts)+len(s.Attributes) > 500 {
		c.invalid("service", "has too many parts")
	}
	for i := range s.Schedules {
		x, f := &s.Schedules[i], fmt.Sprintf("schedules[%d].", i)
		c.id(f+"id", x.ID, true)
		if x.Freq != "WEEKLY" {
			c.invalid(f+"freq", "%q: the directory keeps WEEKLY schedules", x.Freq)
		}
		if !byDayRE.MatchString(x.ByDay) {
			c.invalid(f+"byday", "%q is not a list of days such as MO,WE", x.ByDay)
		}
		x.OpensAt, x.ClosesAt = hm(x.OpensAt), hm(x.ClosesAt)
		if !hhmm.MatchString(x.OpensAt) {
			c.invalid(f+"opens_at", "%q is not a time HH:MM", x.OpensAt)
		}
		if !hhmm.MatchString(x.ClosesAt) || x.ClosesAt <= x.OpensAt {
			c.invalid(f+"closes_at", "%q is not a time HH:MM after opens_at", x.ClosesAt)
		}
		for _, d := range []struct{ n, v string }{{"valid_from", x.ValidFrom}, {"valid_to", x.ValidTo}} {
			if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
				c.invalid(f+d.n, "%q is not a date", d.v)
			}
		}
		c.text(f+"description", x.Description, 500, false)
	}
	for i, x := range s.ServiceAtLocations {
		f := fmt.Sprintf("service_at_locations[%d].", i)
		c.id(f+"id", x.ID, true)
		l := x.Location
		if l == nil {
			c.missing(f + "location")
			continue
		}
		c.id(f+"location.id", l.ID, true)
		if l.LocationType == "" {
			c.missing(f + "location.location_type")
		}
		c.text(f+"location.name", l.Name, 200, false)
		c.text(f+"location.description", l.Description, 4000, false)
		if l.Latitude != nil && (*l.Latitude < -90 || *l.Latitude > 90) {
			c.invalid(f+"location.latitude", "%v is not a latitude", *l.Latitude)
		}
		if l.Longitude != nil && (*l.Longitude < -180 || *l.Longitude > 180) {
			c.invalid(f+"location.longitude", "%v is not a longitude", *l.Longitude)
		}
		for j, a := range l.Addresses {
			g := fmt.Sprintf("%slocation.addresses[%d].", f, j)
			c.id(g+"id", a.ID, true)
			for _, r := range []struct{ n, v string }{{"address_1", a.Address1}, {"city", a.City}, {"state_province", a.StateProvince},
				{"postal_code", a.PostalCode}, {"country", a.Country}, {"address_type", a.AddressType}} {
				c.text(g+r.n, r.v, 200, true)
			}
		}
		if l.Name == "" && len(l.Addresses) == 0 {
			c.missing(f + "location.name")
		}
	}
	for i, x := range s.CostOptions {
		f := fmt.Sprintf("cost_options[%d].", i)
		c.id(f+"id", x.ID, true)
		c.text(f+"option", x.Option, 500, false)
		if x.Amount != "" {
			if d, err := decimal.NewFromString(string(x.Amount)); err != nil || d.IsNegative() {
				c.invalid(f+"amount", "%q is not an amount", x.Amount)
			}
		}
		c.text(f+"currency", x.Currency, 3, false)
	}
	for i, x := range s.Contacts {
		f := fmt.Sprintf("contacts[%d].", i)
		c.id(f+"id", x.ID, true)
		c.text(f+"name", x.Name, 200, false)
		c.text(f+"title", x.Title, 200, false)
	}
	for i, x := range s.Attributes {
		f := fmt.Sprintf("attributes[%d].", i)
		c.id(f+"id", x.ID, true)
		t := x.TaxonomyTerm
		if t == nil {
			c.missing(f + "taxonomy_term")
			continue
		}
		c.id(f+"taxonomy_term.id", t.ID, true)
		c.text(f+"taxonomy_term.name", t.Name, 200, true)
		c.text(f+"taxonomy_term.description", t.Description, 4000, true)
		c.text(f+"taxonomy_term.code", t.Code, 200, false)
		c.text(f+"taxonomy_term.taxonomy", t.Taxonomy, 200, false)
		c.id(f+"taxonomy_term.parent_id", t.ParentID, false)
	}
	return c.err
}

// Imported maps the document's ids to the directory's new ones.
type Imported struct {
	Organizations, Locations, Terms, Services map[string]string
}

// Import parses r (see Parse) and adds what it holds to the directory of
// svc as w's actor (an editor): each organisation, location and
// taxonomy term once, however many services name it, then the services.
// The directory gives every record a new id; Imported maps the
// document's ids to them. A term's parent is kept when the document
// holds the parent too.
//
// A document Parse refuses writes nothing: the error is a *FieldError
// wrapping ErrMissingField or ErrInvalid. The records are written one by
// one with keys derived from w.Key, so if the store fails part way the
// same call with the same key completes the import without doubling
// what was written. It also returns the Service's errors (ErrForbidden
// for an actor who is not an editor, before anything is written).
func Import(ctx context.Context, svc *hubs.Service, w call.Write, r io.Reader) (*Imported, error) {
	svcs, err := Parse(r)
	if err != nil {
		return nil, err
	}
	key := func(kind, id string) call.Write { return w.Actor.Key(w.Key + "/" + kind + "/" + id) }
	im := &Imported{Organizations: map[string]string{}, Locations: map[string]string{}, Terms: map[string]string{}, Services: map[string]string{}}
	terms := map[string]*TaxonomyTerm{}
	var order []string
	for _, s := range svcs {
		for _, a := range s.Attributes {
			if _, ok := terms[a.TaxonomyTerm.ID]; !ok {
				terms[a.TaxonomyTerm.ID] = a.TaxonomyTerm
				order = append(order, a.TaxonomyTerm.ID)
			}
		}
	}
	var addTerm func(id string, depth int) error
	addTerm = func(id string, depth int) error {
		if _, ok := im.Terms[id]; ok {
			return nil
		}
		t := terms[id]
		in := hubs.NewTerm{Code: or(t.Code, t.Name), Name: t.Name, Description: t.Description, Taxonomy: t.Taxonomy}
		if _, ok := terms[t.ParentID]; ok && depth < 32 && t.ParentID != id {
			if err := addTerm(t.ParentID, depth+1); err != nil {
				return err
			}
			in.ParentID = im.Terms[t.ParentID]
		}
		made, err := svc.AddTerm(ctx, key("term", id), in)
		if err != nil {
			return fmt.Errorf("oruk: import term %s: %w", id, err)
		}
		im.Terms[id] = made.ID
		return nil
	}
	for _, id := range order {
		if err := addTerm(id, 0); err != nil {
			return im, err
		}
	}
	for _, s := range svcs {
		o := s.Organization
		if _, ok := im.Organizations[o.ID]; !ok {
			made, err := svc.AddOrganization(ctx, key("organization", o.ID), hubs.NewOrganization{Name: o.Name, Description: o.Description,
				Email: o.Email, Website: o.Website})
			if err != nil {
				return im, fmt.Errorf("oruk: import organization %s: %w", o.ID, err)
			}
			im.Organizations[o.ID] = made.ID
		}
		for _, sal := range s.ServiceAtLocations {
			l := sal.Location
			if _, ok := im.Locations[l.ID]; ok {
				continue
			}
			in := hubs.NewLocation{Name: l.Name, Description: l.Description}
			if l.Latitude != nil && l.Longitude != nil {
				in.Lat, in.Long = *l.Latitude, *l.Longitude
			}
			if len(l.Addresses) > 0 {
				a := l.Addresses[0]
				in.Address1, in.City, in.Postcode = a.Address1, a.City, a.PostalCode
				in.Name = or(in.Name, a.Address1)
			}
			made, err := svc.AddLocation(ctx, key("location", l.ID), in)
			if err != nil {
				return im, fmt.Errorf("oruk: import location %s: %w", l.ID, err)
			}
			im.Locations[l.ID] = made.ID
		}
	}
	for _, s := range svcs {
		in := hubs.NewListing{OrganizationID: im.Organizations[s.Organization.ID], Name: s.Name, Description: s.Description, URL: s.URL,
			Email: s.Email, Status: s.Status, MinimumAge: s.MinimumAge, MaximumAge: s.MaximumAge}
		for _, x := range s.Schedules {
			sc := hubs.Schedule{Freq: x.Freq, ByDay: x.ByDay, OpensAt: x.OpensAt, ClosesAt: x.ClosesAt, Description: x.Description}
			sc.ValidFrom, _ = time.Parse(time.DateOnly, x.ValidFrom) // checked by Parse; "" is the zero time
			sc.ValidTo, _ = time.Parse(time.DateOnly, x.ValidTo)
			in.Schedules = append(in.Schedules, sc)
		}
		for _, x := range s.Contacts {
			in.Contacts = append(in.Contacts, hubs.Contact{Name: x.Name, Title: x.Title})
		}
		for _, x := range s.CostOptions {
			co := hubs.CostOption{Option: x.Option, Currency: x.Currency}
			if x.Amount != "" {
				d := decimal.RequireFromString(string(x.Amount)) // checked by Parse
				co.Amount = &d
			}
			in.Costs = append(in.Costs, co)
		}
		for _, a := range s.Attributes {
			in.TermIDs = append(in.TermIDs, im.Terms[a.TaxonomyTerm.ID])
		}
		for _, sal := range s.ServiceAtLocations {
			in.LocationIDs = append(in.LocationIDs, im.Locations[sal.Location.ID])
		}
		made, err := svc.AddListing(ctx, key("service", s.ID), in)
		if err != nil {
			return im, fmt.Errorf("oruk: import service %s: %w", s.ID, err)
		}
		im.Services[s.ID] = made.ID
	}
	return im, nil
}
