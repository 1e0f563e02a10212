package oruk

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"time"

	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/email"
)

// Service is an ORUK v3 service, fully nested: its schedules, places,
// organisation, costs, contacts and taxonomy terms (as attributes).
type Service struct {
	ID                 string              `json:"id"`
	OrganizationID     string              `json:"organization_id,omitempty"`
	Name               string              `json:"name"`
	Description        string              `json:"description,omitempty"`
	URL                string              `json:"url,omitempty"`
	Email              string              `json:"email,omitempty"`
	Status             string              `json:"status"`
	MinimumAge         *int                `json:"minimum_age,omitempty"`
	MaximumAge         *int                `json:"maximum_age,omitempty"`
	LastModified       string              `json:"last_modified,omitempty"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Organization       *Organization       `json:"organization,omitempty"`
	CostOptions        []CostOption        `json:"cost_options,omitempty"`
	Contacts           []Contact           `json:"contacts,omitempty"`
	Attributes         []Attribute         `json:"attributes,omitempty"`
}

// Schedule is when a service runs (ORUK schedule): weekly on ByDay
// ("MO,WE") from OpensAt to ClosesAt ("HH:MM").
type Schedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	ValidFrom   string `json:"valid_from,omitempty"`
	ValidTo     string `json:"valid_to,omitempty"`
	Freq        string `json:"freq,omitempty"`
	ByDay       string `json:"byday,omitempty"`
	Description string `json:"description,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
}

// ServiceAtLocation links a service to a location (ORUK
// service_at_location). Location and Service are nested where the API
// nests them.
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id,omitempty"`
	LocationID string    `json:"location_id,omitempty"`
	Location   *Location `json:"location,omitempty"`
	Service    *Service  `json:"service,omitempty"`
}

// Location is a place (ORUK location) with its physical address.
type Location struct {
	ID           string    `json:"id"`
	LocationType string    `json:"location_type"`
	Name         string    `json:"name,omitempty"`
	Description  string    `json:"description,omitempty"`
	Latitude     *float64  `json:"latitude,omitempty"`
	Longitude    *float64  `json:"longitude,omitempty"`
	Addresses    []Address `json:"addresses,omitempty"`
}

// Address is a location's address (ORUK address); every field but
// LocationID is required by the schema.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Organization is an organisation (ORUK organization). Services is
// filled only by GET /organizations/{id}.
type Organization struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Email       string    `json:"email,omitempty"`
	Website     string    `json:"website,omitempty"`
	Services    []Service `json:"services,omitempty"`
}

// CostOption is what a service costs (ORUK cost_option). Amount is a
// JSON number; Currency an ISO 4217 code.
type CostOption struct {
	ID        string      `json:"id"`
	ServiceID string      `json:"service_id,omitempty"`
	Option    string      `json:"option,omitempty"`
	Amount    json.Number `json:"amount,omitempty"`
	Currency  string      `json:"currency,omitempty"`
}

// Contact is a service's contact as the directory publishes it: a name
// and a title (ORUK contact).
type Contact struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Title     string `json:"title,omitempty"`
}

// Attribute links a service to a taxonomy term (ORUK attribute).
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is a term services are classified by (ORUK
// taxonomy_term); Code is the term's code in its taxonomy.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    string `json:"parent_id,omitempty"`
	Taxonomy    string `json:"taxonomy,omitempty"`
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
}

// Taxonomy is a vocabulary of terms (ORUK taxonomy). The directory names
// a term's taxonomy; the taxonomy's id is derived from that name.
type Taxonomy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Page is the ORUK paged wrapper of a list.
type Page[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

// APIDetails is the answer to GET / (ORUK api_details).
type APIDetails struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`
	OpenAPIURL string `json:"openapi_url"`
}

// Options are the council's settings the exporter and handler need.
type Options struct {
	// StateProvince is the county every address is in ("Essex"): the
	// ORUK address requires it and the directory does not store it.
	// Empty: addresses are left out.
	StateProvince string
	// Country is the ISO 3166-1 code of every address (default "GB").
	Country string
	// Profile and OpenAPIURL are what GET / reports (defaults: the ORUK
	// UK profile's documentation and its OpenAPI file).
	Profile, OpenAPIURL string
	// MaxPerPage caps per_page (default 200).
	MaxPerPage int
}

// The defaults of Options and what GET / reports as the version.
const (
	Version           = "HSDS-UK-3.0"
	DefaultProfile    = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
	DefaultOpenAPIURL = "https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/OpenReferralApi/Schemas/V3.0-UK/open_api.json"
)

func (o Options) withDefaults() Options {
	if o.Country == "" {
		o.Country = "GB"
	}
	if o.Profile == "" {
		o.Profile = DefaultProfile
	}
	if o.OpenAPIURL == "" {
		o.OpenAPIURL = DefaultOpenAPIURL
	}
	if o.MaxPerPage <= 0 {
		o.MaxPerPage = 200
	}
	return o
}

// namespace is the UUID namespace of the ids this package derives.
var namespace = [16]byte{0x5e, 0x7a, 0x0e, 0x1b, 0x3c, 0x44, 0x4f, 0x1a, 0x9d, 0x2e, 0x61, 0x0c, 0x0d, 0xe5, 0x11, 0x00}

// derive returns a version 5 UUID named by parts.
func derive(parts ...string) string {
	h := sha1.New()
	h.Write(namespace[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// TaxonomyID returns the id this package gives the taxonomy named name.
func TaxonomyID(name string) string { return derive("taxonomy", name) }

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// emailOf returns v if it is a bare address, else "" (the schema asserts
// the email format).
func emailOf(v string) string {
	if !email.Valid(v) {
		return ""
	}
	return v
}

// link returns v if it is an absolute http(s) URL, else "".
func link(v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return v
}

// or returns v, or else if v is empty.
func or(v, alt string) string {
	if v == "" {
		return alt
	}
	return v
}

// organization converts an organisation. The schema requires a
// description; the directory's is optional, so its name stands in.
func organization(o *hubs.Organization) *Organization {
	return &Organization{ID: o.ID, Name: o.Name, Description: or(o.Description, o.Name), Email: emailOf(o.Email), Website: link(o.Website)}
}

// term converts a taxonomy term; its name stands in for a missing
// description.
func term(t *hubs.TaxonomyTerm) *TaxonomyTerm {
	out := &TaxonomyTerm{ID: t.ID, Code: t.Code, Name: t.Name, Description: or(t.Description, t.Name), ParentID: t.ParentID, Taxonomy: t.Taxonomy}
	if t.Taxonomy != "" {
		out.TaxonomyID = TaxonomyID(t.Taxonomy)
	}
	return out
}

// location converts a location; its address is given when every field
// the schema requires is known.
func location(l *hubs.Location, o Options) *Location {
	out := &Location{ID: l.ID, LocationType: "physical", Name: l.Name, Description: l.Description}
	if l.Lat != 0 || l.Long != 0 {
		lat, long := l.Lat, l.Long
		out.Latitude, out.Longitude = &lat, &long
	}
	if l.Address1 != "" && l.City != "" && l.Postcode != "" && o.StateProvince != "" {
		out.Addresses = []Address{{ID: derive("address", l.ID), LocationID: l.ID, Address1: l.Address1, City: l.City,
			StateProvince: o.StateProvince, PostalCode: l.Postcode, Country: o.Country, AddressType: "physical"}}
	}
	return out
}

// refs are the records a service refers to, looked up by id; a nil
// func leaves that part out.
type refs struct {
	org  func(id string) *hubs.Organization
	loc  func(id string) *hubs.Location
	term func(id string) *hubs.TaxonomyTerm
}

// service converts a listing, nesting what r finds.
func service(l *hubs.Listing, r refs, o Options) Service {
	s := Service{ID: l.ID, OrganizationID: l.OrganizationID, Name: l.Name, Description: l.Description, URL: link(l.URL),
		Email: emailOf(l.Email), Status: l.Status, MinimumAge: l.MinimumAge, MaximumAge: l.MaximumAge, LastModified: stamp(l.UpdatedAt)}
	for _, x := range l.Schedules {
		s.Schedules = append(s.Schedules, Schedule{ID: x.ID, ServiceID: l.ID, ValidFrom: date(x.ValidFrom), ValidTo: date(x.ValidTo),
			Freq: x.Freq, ByDay: x.ByDay, Description: x.Description, OpensAt: x.OpensAt, ClosesAt: x.ClosesAt})
	}
	for _, x := range l.AtLocations {
		sal := ServiceAtLocation{ID: x.ID, ServiceID: l.ID, LocationID: x.LocationID}
		if r.loc != nil {
			if loc := r.loc(x.LocationID); loc != nil {
				sal.Location = location(loc, o)
			}
		}
		s.ServiceAtLocations = append(s.ServiceAtLocations, sal)
	}
	if r.org != nil {
		if org := r.org(l.OrganizationID); org != nil {
			s.Organization = organization(org)
		}
	}
	for _, x := range l.Costs {
		c := CostOption{ID: x.ID, ServiceID: l.ID, Option: x.Option, Currency: x.Currency}
		if x.Amount != nil {
			c.Amount = json.Number(x.Amount.String())
		}
		s.CostOptions = append(s.CostOptions, c)
	}
	for _, x := range l.Contacts {
		s.Contacts = append(s.Contacts, Contact{ID: x.ID, ServiceID: l.ID, Name: x.Name, Title: x.Title})
	}
	for _, tid := range l.TermIDs {
		a := Attribute{ID: derive("attribute", l.ID, tid), LinkID: l.ID, LinkType: "service", LinkEntity: "service", TaxonomyTermID: tid}
		if r.term != nil {
			if t := r.term(tid); t != nil {
				a.TaxonomyTerm = term(t)
			}
		}
		s.Attributes = append(s.Attributes, a)
	}
	return s
}

// taxonomies returns the taxonomies terms name, by name.
func taxonomies(terms []*hubs.TaxonomyTerm) []Taxonomy {
	seen := map[string]bool{}
	var out []Taxonomy
	for _, t := range terms {
		if t.Taxonomy != "" && !seen[t.Taxonomy] {
			seen[t.Taxonomy] = true
			out = append(out, Taxonomy{ID: TaxonomyID(t.Taxonomy), Name: t.Taxonomy, Description: t.Taxonomy})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// page cuts page n (from 1) of size per out of all.
func page[T any](all []T, n, per int) Page[T] {
	p := Page[T]{TotalItems: len(all), TotalPages: (len(all) + per - 1) / per, PageNumber: n, FirstPage: n == 1}
	p.LastPage = n >= p.TotalPages
	from := min((n-1)*per, len(all))
	to := min(from+per, len(all))
	p.Contents = slices.Clone(all[from:to])
	if p.Contents == nil {
		p.Contents = []T{}
	}
	p.Size, p.Empty = len(p.Contents), len(p.Contents) == 0
	return p
}
