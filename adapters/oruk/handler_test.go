package oruk_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/oruk"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
)

var opts = oruk.Options{StateProvince: "Essex"}

// get requests path, checks the status and the CORS header, and returns
// the body.
func get(t *testing.T, srv *httptest.Server, path string, status int) []byte {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, status, res.StatusCode, "%s: %s", path, body)
	require.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), path)
	require.Equal(t, "application/json", res.Header.Get("Content-Type"), path)
	require.True(t, json.Valid(body), path)
	require.NotContains(t, string(body), "null", path)
	require.NotContains(t, string(body), `""`, path)
	return body
}

type page struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	FirstPage  bool              `json:"first_page"`
	LastPage   bool              `json:"last_page"`
	Empty      bool              `json:"empty"`
	Contents   []json.RawMessage `json:"contents"`
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(body, &v))
	return v
}

func ids(t *testing.T, p page) []string {
	var out []string
	for _, c := range p.Contents {
		out = append(out, decode[struct{ ID string }](t, c).ID)
	}
	return out
}

func TestHandlerSchemas(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) { testHandlerSchemas(t, newWorldOn(t, st.new(t), 120)) })
	}
}

func testHandlerSchemas(t *testing.T, w *borough.HubsWorld) {
	srv := httptest.NewServer(oruk.NewHandler(w.Service, opts))
	defer srv.Close()

	root := get(t, srv, "/", 200)
	validate(t, "api_details", root)
	assert.Equal(t, oruk.Version, decode[oruk.APIDetails](t, root).Version)

	// 120 services, 25 a page: pages 1, 3 and 5 (the last, 20 services).
	var seen []string
	for _, tc := range []struct {
		n, size     int
		first, last bool
	}{{1, 25, true, false}, {2, 25, false, false}, {3, 25, false, false}, {4, 25, false, false}, {5, 20, false, true}} {
		body := get(t, srv, "/services?per_page=25&page="+itoa(tc.n), 200)
		validate(t, "service_list", body)
		p := decode[page](t, body)
		assert.Equal(t, page{TotalItems: 120, TotalPages: 5, PageNumber: tc.n, Size: tc.size, FirstPage: tc.first, LastPage: tc.last}, page{
			TotalItems: p.TotalItems, TotalPages: p.TotalPages, PageNumber: p.PageNumber, Size: p.Size, FirstPage: p.FirstPage, LastPage: p.LastPage, Empty: p.Empty})
		require.Len(t, p.Contents, tc.size)
		for _, c := range p.Contents {
			validate(t, "service", c)
		}
		seen = append(seen, ids(t, p)...)
	}
	slices.Sort(seen)
	assert.Len(t, slices.Compact(seen), 120, "the pages hold every service once")
	beyond := decode[page](t, get(t, srv, "/services?per_page=25&page=9", 200))
	assert.True(t, beyond.Empty)
	assert.Empty(t, beyond.Contents)

	first := decode[page](t, get(t, srv, "/services", 200))
	sid := ids(t, first)[0]
	one := get(t, srv, "/services/"+sid, 200)
	validate(t, "service", one)
	svc := decode[oruk.Service](t, one)
	require.NotNil(t, svc.Organization)
	require.NotEmpty(t, svc.ServiceAtLocations)
	require.NotNil(t, svc.ServiceAtLocations[0].Location)
	require.Len(t, svc.ServiceAtLocations[0].Location.Addresses, 1)
	assert.Equal(t, "Essex", svc.ServiceAtLocations[0].Location.Addresses[0].StateProvince)
	require.NotEmpty(t, svc.Attributes)
	require.NotNil(t, svc.Attributes[0].TaxonomyTerm)
	require.NotEmpty(t, svc.Contacts)
	raw := decode[struct{ Contacts []map[string]any }](t, one)
	assert.Equal(t, map[string]any{"id": svc.Contacts[0].ID, "service_id": sid, "name": "Duty officer"}, raw.Contacts[0],
		"of a contact only the name and title are published")
	for _, path := range []string{"/services/" + hubs.NewUUID(), "/services/nope", "/organizations/" + hubs.NewUUID(), "/taxonomies/" + hubs.NewUUID(),
		"/taxonomy_terms/" + hubs.NewUUID(), "/service_at_locations/" + hubs.NewUUID(), "/nowhere"} {
		body := get(t, srv, path, 404)
		assert.Equal(t, float64(404), decode[map[string]any](t, body)["status"], path)
	}

	for _, tc := range []struct{ list, item, path string }{
		{"taxonomy_list", "taxonomy", "/taxonomies"},
		{"taxonomy_term_list", "taxonomy_term", "/taxonomy_terms"},
		{"organizations", "organization", "/organizations"},
		{"service_at_location_list", "service_at_location", "/service_at_locations"},
	} {
		body := get(t, srv, tc.path, 200)
		validate(t, tc.list, body)
		p := decode[page](t, body)
		require.NotEmpty(t, p.Contents, tc.path)
		one := get(t, srv, tc.path+"/"+ids(t, p)[len(p.Contents)-1], 200)
		validate(t, tc.item, one)
	}
	org := decode[oruk.Organization](t, get(t, srv, "/organizations/"+svc.OrganizationID, 200))
	assert.True(t, slices.ContainsFunc(org.Services, func(s oruk.Service) bool { return s.ID == sid }))
}

func itoa(n int) string { return strconv.Itoa(n) }

// all fetches every service a query selects, a page of 200 at a time.
func all(t *testing.T, srv *httptest.Server, q url.Values) []oruk.Service {
	t.Helper()
	var out []oruk.Service
	for n := 1; ; n++ {
		q.Set("page", itoa(n))
		q.Set("per_page", "200")
		body := get(t, srv, "/services?"+q.Encode(), 200)
		validate(t, "service_list", body)
		p := decode[page](t, body)
		for _, c := range p.Contents {
			out = append(out, decode[oruk.Service](t, c))
		}
		if p.LastPage {
			return out
		}
	}
}

func TestServicesParameters(t *testing.T) {
	w := newWorld(t, 300)
	ctx := context.Background()
	srv := httptest.NewServer(oruk.NewHandler(w.Service, opts))
	defer srv.Close()
	// Five more services an hour later, for modified_after.
	mid := w.Clock().Add(time.Hour)
	w.SetClock(mid)
	first, err := w.Service.Listings(ctx, hubs.ListingFilter{Limit: 1})
	require.NoError(t, err)
	for i := range 5 {
		_, err := w.Service.AddListing(ctx, w.Editor.Key("later-"+itoa(i)), hubs.NewListing{OrganizationID: first[0].OrganizationID,
			Name: "Later service " + itoa(i), Status: "active"})
		require.NoError(t, err)
	}
	every, err := w.Service.Listings(ctx, hubs.ListingFilter{})
	require.NoError(t, err)
	require.Len(t, every, 305)
	terms, err := w.Service.Terms(ctx)
	require.NoError(t, err)
	var debt *hubs.TaxonomyTerm
	for _, tm := range terms {
		if tm.Code == "debt" {
			debt = tm
		}
	}
	require.NotNil(t, debt)
	org := every[0].OrganizationID

	has := func(l *hubs.Listing, id string) bool { return slices.Contains(l.TermIDs, id) }
	onDay := func(l *hubs.Listing, d, at string) bool {
		for _, s := range l.Schedules {
			if strings.Contains(s.ByDay, d) && (at == "" || (s.OpensAt <= at && at < s.ClosesAt)) {
				return true
			}
		}
		return false
	}
	words := func(l *hubs.Listing, w string) bool {
		for _, f := range strings.FieldsFunc(strings.ToLower(l.Name+" "+l.Description), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}) {
			if f == w {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		name string
		q    url.Values
		want func(l *hubs.Listing) bool
	}{
		{"search", url.Values{"search": {"advice"}}, func(l *hubs.Listing) bool { return words(l, "advice") }},
		{"taxonomy_term_id", url.Values{"taxonomy_term_id": {debt.ID}}, func(l *hubs.Listing) bool { return has(l, debt.ID) }},
		{"taxonomy_id", url.Values{"taxonomy_id": {oruk.TaxonomyID(debt.Taxonomy)}}, func(l *hubs.Listing) bool { return len(l.TermIDs) > 0 }},
		{"organization_id", url.Values{"organization_id": {org}}, func(l *hubs.Listing) bool { return l.OrganizationID == org }},
		{"modified_after", url.Values{"modified_after": {mid.Format(time.RFC3339Nano)}}, func(l *hubs.Listing) bool { return !l.UpdatedAt.Before(mid) }},
		{"minimum_age", url.Values{"minimum_age": {"30"}}, func(l *hubs.Listing) bool { return l.MaximumAge == nil || *l.MaximumAge >= 30 }},
		{"maximum_age", url.Values{"maximum_age": {"17"}}, func(l *hubs.Listing) bool { return l.MinimumAge == nil || *l.MinimumAge <= 17 }},
		{"day", url.Values{"day": {"monday"}}, func(l *hubs.Listing) bool { return onDay(l, "MO", "") }},
		{"start_time", url.Values{"day": {"MO"}, "start_time": {"12:30"}}, func(l *hubs.Listing) bool { return onDay(l, "MO", "12:30") }},
		{"end_time", url.Values{"end_time": {"15:30"}}, func(l *hubs.Listing) bool {
			return slices.ContainsFunc(l.Schedules, func(s hubs.Schedule) bool { return s.OpensAt < "15:30" && s.ClosesAt >= "15:30" })
		}},
		{"all ANDed", url.Values{"search": {"advice"}, "maximum_age": {"20"}, "day": {"WE"}}, func(l *hubs.Listing) bool {
			return words(l, "advice") && (l.MinimumAge == nil || *l.MinimumAge <= 20) && onDay(l, "WE", "")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, l := range every {
				if tc.want(l) {
					want = append(want, l.ID)
				}
			}
			var got []string
			for _, s := range all(t, srv, tc.q) {
				got = append(got, s.ID)
			}
			require.NotEmpty(t, want, "the parameter selects something")
			require.Less(t, len(want), len(every), "the parameter leaves something out")
			slices.Sort(want)
			slices.Sort(got)
			assert.Equal(t, want, got)
		})
	}
}

func TestLevel2Parameters(t *testing.T) {
	w := newWorld(t, 60)
	srv := httptest.NewServer(oruk.NewHandler(w.Service, opts))
	defer srv.Close()
	top := decode[page](t, get(t, srv, "/taxonomy_terms?top_only=true", 200))
	require.Len(t, top.Contents, 1, "the one root term")
	root := ids(t, top)[0]
	allTerms := decode[page](t, get(t, srv, "/taxonomy_terms?per_page=200", 200))
	kids := get(t, srv, "/taxonomy_terms?per_page=200&parent_id="+root, 200)
	validate(t, "taxonomy_term_list", kids)
	assert.Equal(t, allTerms.TotalItems-1, decode[page](t, kids).TotalItems)

	// Proximity: only service-at-locations within 1 km of Tilbury's
	// postcode, all at Tilbury Hub; without proximity, every one, nearest
	// first.
	near := get(t, srv, "/service_at_locations?per_page=200&postcode=rm188ad&proximity=1000", 200)
	validate(t, "service_at_location_list", near)
	np := decode[page](t, near)
	require.NotEmpty(t, np.Contents)
	for _, c := range np.Contents {
		sal := decode[oruk.ServiceAtLocation](t, c)
		assert.Equal(t, "Tilbury Hub", sal.Location.Name)
	}
	every := decode[page](t, get(t, srv, "/service_at_locations?per_page=200&postcode=RM18%208AD", 200))
	assert.Equal(t, 60, every.TotalItems)
	assert.Less(t, np.TotalItems, every.TotalItems)
	assert.Equal(t, "Tilbury Hub", decode[oruk.ServiceAtLocation](t, every.Contents[0]).Location.Name)
	org := decode[page](t, get(t, srv, "/organizations?search=carers", 200))
	assert.Equal(t, 1, org.TotalItems)
}

func TestMalformedParameters(t *testing.T) {
	w := newWorld(t, 5)
	srv := httptest.NewServer(oruk.NewHandler(w.Service, opts))
	defer srv.Close()
	for _, path := range []string{
		"/services?page=0", "/services?page=x", "/services?per_page=0", "/services?per_page=100000", "/services?per_page=",
		"/services?page=1&page=2", "/services?taxonomy_term_id=abc", "/services?taxonomy_id=1", "/services?organization_id=z",
		"/services?modified_after=yesterday", "/services?minimum_age=-1", "/services?maximum_age=old", "/services?minimum_age=40&maximum_age=20",
		"/services?day=funday", "/services?start_time=25:00", "/services?end_time=9am", "/services?start_time=12:00&end_time=11:00",
		"/services?search=" + strings.Repeat("a", 201), "/taxonomy_terms?top_only=maybe", "/taxonomy_terms?parent_id=x",
		"/service_at_locations?proximity=100", "/service_at_locations?postcode=ZZ1%201ZZ", "/service_at_locations?postcode=RM18%208AD&proximity=far",
		"/organizations?page=-3", "/taxonomies?per_page=a",
	} {
		body := get(t, srv, path, 400)
		e := decode[map[string]any](t, body)
		assert.Equal(t, float64(400), e["status"], path)
		assert.NotEmpty(t, e["error"], path)
		assert.NotEmpty(t, e["parameter"], path)
	}
	res, err := srv.Client().Post(srv.URL+"/services", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
}
