package oruk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/hubs"
)

// NewHandler returns the ORUK v3 read API over the directory of svc,
// served at the root: GET / (api_details), /services and
// /services/{id} (level 1), and /taxonomies, /taxonomy_terms,
// /organizations and /service_at_locations, each with /{id} (level 2).
//
// Lists are paged (page from 1, per_page up to o.MaxPerPage, default 50)
// in the ORUK wrapper. /services takes search, taxonomy_term_id,
// taxonomy_id, organization_id, modified_after (RFC 3339 or a date),
// minimum_age and maximum_age (services whose age range meets
// [minimum_age, maximum_age]), day (MO…SU or monday…sunday), start_time
// and end_time ("HH:MM": a schedule, on day if given, open from
// start_time until end_time); every parameter narrows the result (AND).
// /taxonomy_terms takes search, taxonomy_id, top_only and parent_id;
// /service_at_locations takes the service filters (but the day and age
// ones) and postcode, with proximity in metres from its centroid
// (nearest first). A malformed parameter is 400 with a JSON body
// {"status": 400, "error": "…", "parameter": "…"}; an unknown id 404.
// Every response carries Access-Control-Allow-Origin: *; no key is
// asked for.
//
// It reads only the Service's public directory reads, so it needs no
// actor; of a contact it publishes only the name and title.
func NewHandler(svc *hubs.Service, o Options) http.Handler {
	h := &handler{svc: svc, o: o.withDefaults()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.root)
	mux.HandleFunc("GET /services", h.services)
	mux.HandleFunc("GET /services/{id}", h.service)
	mux.HandleFunc("GET /taxonomies", h.taxonomies)
	mux.HandleFunc("GET /taxonomies/{id}", h.taxonomy)
	mux.HandleFunc("GET /taxonomy_terms", h.terms)
	mux.HandleFunc("GET /taxonomy_terms/{id}", h.term)
	mux.HandleFunc("GET /organizations", h.organizations)
	mux.HandleFunc("GET /organizations/{id}", h.organization)
	mux.HandleFunc("GET /service_at_locations", h.serviceAtLocations)
	mux.HandleFunc("GET /service_at_locations/{id}", h.serviceAtLocation)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, "the ORUK API is read-only", "")
			return
		}
		writeError(w, http.StatusNotFound, "no such endpoint", "")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "*")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

type handler struct {
	svc *hubs.Service
	o   Options
}

// badParam is a malformed query parameter.
type badParam struct{ name, reason string }

func (e *badParam) Error() string { return e.name + ": " + e.reason }

func bad(name, format string, a ...any) error { return &badParam{name, fmt.Sprintf(format, a...)} }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // a failed write is the client gone
}

func writeError(w http.ResponseWriter, code int, msg, param string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body := map[string]any{"status": code, "error": msg}
	if param != "" {
		body["parameter"] = param
	}
	_ = json.NewEncoder(w).Encode(body)
}

// fail answers err: 400 for a malformed parameter, 404 for an unknown
// record, else 500 (without the cause, which is the server's business).
func fail(w http.ResponseWriter, err error) {
	var bp *badParam
	switch {
	case errors.As(err, &bp):
		writeError(w, http.StatusBadRequest, bp.Error(), bp.name)
	case errors.Is(err, hubs.ErrNotFound):
		writeError(w, http.StatusNotFound, "not found", "")
	default:
		writeError(w, http.StatusInternalServerError, "the directory could not be read", "")
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// params reads a request's query, refusing unknown-shaped values.
type params struct {
	q   map[string][]string
	err error
}

func (p *params) str(name string, max int) string {
	vs := p.q[name]
	if len(vs) == 0 {
		return ""
	}
	if len(vs) > 1 {
		p.fail(bad(name, "is given more than once"))
		return ""
	}
	if len(vs[0]) > max {
		p.fail(bad(name, "is longer than %d characters", max))
		return ""
	}
	return vs[0]
}

func (p *params) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *params) id(name string) string {
	v := p.str(name, 64)
	if v != "" && !uuidRE.MatchString(v) {
		p.fail(bad(name, "%q is not a UUID", v))
		return ""
	}
	return strings.ToLower(v)
}

func (p *params) int(name string, min, max int) (int, bool) {
	v := p.str(name, 12)
	if v == "" {
		if _, ok := p.q[name]; ok {
			p.fail(bad(name, "is empty"))
		}
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.fail(bad(name, "%q is not a whole number", v))
		return 0, false
	}
	if n < min || n > max {
		p.fail(bad(name, "%d is not between %d and %d", n, min, max))
		return 0, false
	}
	return n, true
}

func (p *params) bool(name string) bool {
	v := p.str(name, 8)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(bad(name, "%q is not true or false", v))
	}
	return b
}

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`)

func (p *params) time(name string) string {
	v := p.str(name, 8)
	if v != "" && !hhmm.MatchString(v) {
		p.fail(bad(name, "%q is not a time of day (HH:MM)", v))
		return ""
	}
	return v[:min(len(v), 5)]
}

var days = map[string]string{"MO": "MO", "TU": "TU", "WE": "WE", "TH": "TH", "FR": "FR", "SA": "SA", "SU": "SU",
	"MONDAY": "MO", "TUESDAY": "TU", "WEDNESDAY": "WE", "THURSDAY": "TH", "FRIDAY": "FR", "SATURDAY": "SA", "SUNDAY": "SU"}

func (p *params) day(name string) string {
	v := p.str(name, 12)
	if v == "" {
		return ""
	}
	d, ok := days[strings.ToUpper(v)]
	if !ok {
		p.fail(bad(name, "%q is not a day (MO…SU or monday…sunday)", v))
	}
	return d
}

func (p *params) stamp(name string) time.Time {
	v := p.str(name, 40)
	if v == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	p.fail(bad(name, "%q is not a date-time (RFC 3339) or a date", v))
	return time.Time{}
}

// paging reads page and per_page.
func (h *handler) paging(p *params) (n, per int) {
	n, ok := p.int("page", 1, math.MaxInt32)
	if !ok {
		n = 1
	}
	per, ok = p.int("per_page", 1, h.o.MaxPerPage)
	if !ok {
		per = 50
	}
	return n, per
}

func query(r *http.Request) *params { return &params{q: r.URL.Query()} }

func (h *handler) root(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, APIDetails{Version: Version, Profile: h.o.Profile, OpenAPIURL: h.o.OpenAPIURL})
}

// filter is a /services or /service_at_locations query.
type filter struct {
	text, termID, taxonomyID, orgID string
	after                           time.Time
	minAge, maxAge                  *int
	day, start, end                 string
}

func readFilter(p *params, withTimes bool) filter {
	f := filter{text: strings.TrimSpace(p.str("search", 200)), termID: p.id("taxonomy_term_id"), taxonomyID: p.id("taxonomy_id"),
		orgID: p.id("organization_id"), after: p.stamp("modified_after")}
	if !withTimes {
		return f
	}
	if n, ok := p.int("minimum_age", 0, 150); ok {
		f.minAge = &n
	}
	if n, ok := p.int("maximum_age", 0, 150); ok {
		f.maxAge = &n
	}
	if f.minAge != nil && f.maxAge != nil && *f.maxAge < *f.minAge {
		p.fail(bad("maximum_age", "is below minimum_age"))
	}
	f.day, f.start, f.end = p.day("day"), p.time("start_time"), p.time("end_time")
	if f.start != "" && f.end != "" && f.end <= f.start {
		p.fail(bad("end_time", "is not after start_time"))
	}
	return f
}

// match reports whether l passes the filter's checks that the store's
// ListingFilter does not make.
func (f filter) match(l *hubs.Listing, inTaxonomy map[string]bool) bool {
	if !f.after.IsZero() && l.UpdatedAt.Before(f.after) {
		return false
	}
	if f.minAge != nil && l.MaximumAge != nil && *l.MaximumAge < *f.minAge {
		return false
	}
	if f.maxAge != nil && l.MinimumAge != nil && *l.MinimumAge > *f.maxAge {
		return false
	}
	if inTaxonomy != nil {
		ok := false
		for _, t := range l.TermIDs {
			ok = ok || inTaxonomy[t]
		}
		if !ok {
			return false
		}
	}
	if f.day == "" && f.start == "" && f.end == "" {
		return true
	}
	for _, s := range l.Schedules {
		if f.day != "" && !strings.Contains(","+s.ByDay+",", ","+f.day+",") {
			continue
		}
		if f.start != "" && (s.OpensAt > f.start || s.ClosesAt <= f.start) {
			continue
		}
		if f.end != "" && (s.OpensAt >= f.end || s.ClosesAt < f.end) {
			continue
		}
		return true
	}
	return false
}

// listings returns the listings f selects, by name then id.
func (h *handler) listings(ctx context.Context, f filter) ([]*hubs.Listing, error) {
	ls, err := h.svc.Listings(ctx, hubs.ListingFilter{Text: f.text, TermID: f.termID, OrganizationID: f.orgID})
	if err != nil {
		return nil, fmt.Errorf("listings: %w", err)
	}
	var inTaxonomy map[string]bool
	if f.taxonomyID != "" {
		terms, err := h.svc.Terms(ctx)
		if err != nil {
			return nil, fmt.Errorf("terms: %w", err)
		}
		inTaxonomy = map[string]bool{}
		for _, t := range terms {
			if t.Taxonomy != "" && TaxonomyID(t.Taxonomy) == f.taxonomyID {
				inTaxonomy[t.ID] = true
			}
		}
	}
	out := ls[:0:0]
	for _, l := range ls {
		if f.match(l, inTaxonomy) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// lookups reads the records services refer to, each once per request.
func (h *handler) lookups(ctx context.Context) (refs, error) {
	terms, err := h.svc.Terms(ctx)
	if err != nil {
		return refs{}, fmt.Errorf("terms: %w", err)
	}
	byID := make(map[string]*hubs.TaxonomyTerm, len(terms))
	for _, t := range terms {
		byID[t.ID] = t
	}
	orgs, locs := map[string]*hubs.Organization{}, map[string]*hubs.Location{}
	return refs{
		term: func(id string) *hubs.TaxonomyTerm { return byID[id] },
		org: func(id string) *hubs.Organization {
			if o, ok := orgs[id]; ok {
				return o
			}
			o, _ := h.svc.Organization(ctx, id) // an unknown organisation is left out
			orgs[id] = o
			return o
		},
		loc: func(id string) *hubs.Location {
			if l, ok := locs[id]; ok {
				return l
			}
			l, _ := h.svc.Location(ctx, id) // an unknown location is left out
			locs[id] = l
			return l
		},
	}, nil
}

func (h *handler) services(w http.ResponseWriter, r *http.Request) {
	p := query(r)
	f := readFilter(p, true)
	n, per := h.paging(p)
	if p.err != nil {
		fail(w, p.err)
		return
	}
	ls, err := h.listings(r.Context(), f)
	if err != nil {
		fail(w, err)
		return
	}
	pg := page(ls, n, per)
	rf, err := h.lookups(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	out := Page[Service]{TotalItems: pg.TotalItems, TotalPages: pg.TotalPages, PageNumber: pg.PageNumber, Size: pg.Size,
		FirstPage: pg.FirstPage, LastPage: pg.LastPage, Empty: pg.Empty, Contents: make([]Service, 0, len(pg.Contents))}
	for _, l := range pg.Contents {
		out.Contents = append(out.Contents, service(l, rf, h.o))
	}
	writeJSON(w, out)
}

func (h *handler) service(w http.ResponseWriter, r *http.Request) {
	if !uuidRE.MatchString(r.PathValue("id")) {
		fail(w, hubs.ErrNotFound)
		return
	}
	l, err := h.svc.Listing(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	rf, err := h.lookups(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, service(l, rf, h.o))
}

// contains reports whether every word of q is in one of vs (any case).
func contains(q string, vs ...string) bool {
	all := strings.ToLower(strings.Join(vs, " "))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(all, w) {
			return false
		}
	}
	return true
}

func (h *handler) taxonomies(w http.ResponseWriter, r *http.Request) {
	p := query(r)
	q := p.str("search", 200)
	n, per := h.paging(p)
	if p.err != nil {
		fail(w, p.err)
		return
	}
	terms, err := h.svc.Terms(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	var out []Taxonomy
	for _, t := range taxonomies(terms) {
		if contains(q, t.Name) {
			out = append(out, t)
		}
	}
	writeJSON(w, page(out, n, per))
}

func (h *handler) taxonomy(w http.ResponseWriter, r *http.Request) {
	terms, err := h.svc.Terms(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	for _, t := range taxonomies(terms) {
		if t.ID == strings.ToLower(r.PathValue("id")) {
			writeJSON(w, t)
			return
		}
	}
	fail(w, hubs.ErrNotFound)
}

func (h *handler) terms(w http.ResponseWriter, r *http.Request) {
	p := query(r)
	q, tax, parent, top := p.str("search", 200), p.id("taxonomy_id"), p.id("parent_id"), p.bool("top_only")
	n, per := h.paging(p)
	if p.err != nil {
		fail(w, p.err)
		return
	}
	terms, err := h.svc.Terms(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	var out []TaxonomyTerm
	for _, t := range terms {
		switch {
		case top && t.ParentID != "",
			parent != "" && t.ParentID != parent,
			tax != "" && (t.Taxonomy == "" || TaxonomyID(t.Taxonomy) != tax),
			!contains(q, t.Name, t.Code, t.Description):
			continue
		}
		out = append(out, *term(t))
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || (out[i].Name == out[j].Name && out[i].ID < out[j].ID)
	})
	writeJSON(w, page(out, n, per))
}

func (h *handler) term(w http.ResponseWriter, r *http.Request) {
	if !uuidRE.MatchString(r.PathValue("id")) {
		fail(w, hubs.ErrNotFound)
		return
	}
	t, err := h.svc.Term(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, term(t))
}

func (h *handler) organizations(w http.ResponseWriter, r *http.Request) {
	p := query(r)
	q := p.str("search", 200)
	n, per := h.paging(p)
	if p.err != nil {
		fail(w, p.err)
		return
	}
	orgs, err := h.svc.Organizations(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	var out []Organization
	for _, o := range orgs {
		if contains(q, o.Name, o.Description) {
			out = append(out, *organization(o))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || (out[i].Name == out[j].Name && out[i].ID < out[j].ID)
	})
	writeJSON(w, page(out, n, per))
}

func (h *handler) organization(w http.ResponseWriter, r *http.Request) {
	if !uuidRE.MatchString(r.PathValue("id")) {
		fail(w, hubs.ErrNotFound)
		return
	}
	o, err := h.svc.Organization(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	ls, err := h.listings(r.Context(), filter{orgID: o.ID})
	if err != nil {
		fail(w, err)
		return
	}
	rf, err := h.lookups(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	out := organization(o)
	for _, l := range ls {
		out.Services = append(out.Services, service(l, rf, h.o))
	}
	writeJSON(w, out)
}

// metres is the great-circle distance between two points.
func metres(lat1, long1, lat2, long2 float64) int {
	const r = 6371008.8
	rad := math.Pi / 180
	dl, dn := (lat2-lat1)*rad, (long2-long1)*rad
	a := math.Sin(dl/2)*math.Sin(dl/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dn/2)*math.Sin(dn/2)
	return int(math.Round(2 * r * math.Asin(math.Sqrt(a))))
}

func (h *handler) serviceAtLocations(w http.ResponseWriter, r *http.Request) {
	p := query(r)
	f := readFilter(p, false)
	pc := p.str("postcode", 10)
	within, hasWithin := p.int("proximity", 1, 1_000_000)
	n, per := h.paging(p)
	if hasWithin && pc == "" {
		p.fail(bad("proximity", "needs a postcode"))
	}
	if p.err != nil {
		fail(w, p.err)
		return
	}
	ctx := r.Context()
	var centre *hubs.Postcode
	if pc != "" {
		c, err := h.svc.Postcode(ctx, pc)
		if errors.Is(err, hubs.ErrNotFound) {
			fail(w, bad("postcode", "%q is not a postcode the directory knows", pc))
			return
		}
		if err != nil {
			fail(w, err)
			return
		}
		centre = c
	}
	ls, err := h.listings(ctx, f)
	if err != nil {
		fail(w, err)
		return
	}
	rf, err := h.lookups(ctx)
	if err != nil {
		fail(w, err)
		return
	}
	type hit struct {
		sal ServiceAtLocation
		m   int
	}
	var hits []hit
	for _, l := range ls {
		s := service(l, rf, h.o)
		for _, sal := range s.ServiceAtLocations {
			ht := hit{sal: sal}
			if centre != nil {
				loc := rf.loc(sal.LocationID)
				if loc == nil || (loc.Lat == 0 && loc.Long == 0) {
					continue
				}
				ht.m = metres(centre.Lat, centre.Long, loc.Lat, loc.Long)
				if hasWithin && ht.m > within {
					continue
				}
			}
			nested := s
			nested.ServiceAtLocations = nil
			ht.sal.Service = &nested
			hits = append(hits, ht)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].m < hits[j].m })
	all := make([]ServiceAtLocation, len(hits))
	for i, ht := range hits {
		all[i] = ht.sal
	}
	writeJSON(w, page(all, n, per))
}

func (h *handler) serviceAtLocation(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	ls, err := h.listings(r.Context(), filter{})
	if err != nil {
		fail(w, err)
		return
	}
	for _, l := range ls {
		for _, x := range l.AtLocations {
			if x.ID != id {
				continue
			}
			rf, err := h.lookups(r.Context())
			if err != nil {
				fail(w, err)
				return
			}
			s := service(l, rf, h.o)
			s.ServiceAtLocations = nil
			sal := ServiceAtLocation{ID: x.ID, ServiceID: l.ID, LocationID: x.LocationID, Service: &s}
			if loc := rf.loc(x.LocationID); loc != nil {
				sal.Location = location(loc, h.o)
			}
			writeJSON(w, sal)
			return
		}
	}
	fail(w, hubs.ErrNotFound)
}

// Export writes the whole directory of svc as one page of fully nested
// ORUK services (the shape GET /services returns, every service on page
// 1), which Import reads back. It returns the errors of the directory's
// reads and of w.
func Export(ctx context.Context, svc *hubs.Service, o Options, w io.Writer) error {
	h := &handler{svc: svc, o: o.withDefaults()}
	ls, err := h.listings(ctx, filter{})
	if err != nil {
		return fmt.Errorf("oruk: export: %w", err)
	}
	rf, err := h.lookups(ctx)
	if err != nil {
		return fmt.Errorf("oruk: export: %w", err)
	}
	all := make([]Service, 0, len(ls))
	for _, l := range ls {
		all = append(all, service(l, rf, h.o))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(page(all, 1, max(1, len(all)))); err != nil {
		return fmt.Errorf("oruk: export: %w", err)
	}
	return nil
}
