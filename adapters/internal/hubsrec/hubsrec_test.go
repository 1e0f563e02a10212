package hubsrec_test

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/internal/hubsrec"
	"github.com/strongertogether/community/hubs"
)

var at = time.Date(2022, 4, 1, 9, 30, 0, 123456000, time.UTC)

// TestGoldenHub decodes the committed stored form of a hub, field by field.
func TestGoldenHub(t *testing.T) {
	data, err := os.ReadFile("testdata/hub.json")
	require.NoError(t, err)
	h, err := hubsrec.DecodeHub(data)
	require.NoError(t, err)
	day := time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, "hub-1", h.ID)
	assert.Equal(t, "South Ockendon Centre", h.Name)
	assert.Equal(t, "Ockendon", h.Ward)
	assert.Equal(t, "ASOP", h.PCN)
	assert.Equal(t, "Darenth Lane", h.Address)
	assert.Equal(t, "RM15 5LP", h.Postcode)
	assert.Equal(t, 51.5226, h.Lat)
	assert.Equal(t, 0.2858, h.Long)
	assert.Equal(t, day, h.Opened)
	assert.Equal(t, hubs.StatusOpen, h.Status)
	assert.Equal(t, []hubs.StatusChange{{Status: hubs.StatusOpen, On: day, By: "stf-1"}}, h.History)
	assert.Equal(t, []hubs.Hours{{Day: time.Tuesday, Opens: "09:00", Closes: "17:00"}}, h.Hours)
	assert.Equal(t, []string{"Thurrock CVS"}, h.Partners)
	assert.Equal(t, []string{"advice"}, h.Offer)
	assert.Equal(t, day, h.OfferAgreed)
	assert.Equal(t, int64(2), h.Version)
	assert.Equal(t, at, h.CreatedAt)
	assert.Equal(t, at, h.UpdatedAt)
}

// TestGoldenListing decodes the committed stored form of a listing, field
// by field.
func TestGoldenListing(t *testing.T) {
	data, err := os.ReadFile("testdata/listing.json")
	require.NoError(t, err)
	l, err := hubsrec.DecodeListing(data)
	require.NoError(t, err)
	assert.Equal(t, "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e02", l.ID)
	assert.Equal(t, "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e01", l.OrganizationID)
	assert.Equal(t, "Coffee morning", l.Name)
	assert.Equal(t, "Tea and company", l.Description)
	assert.Equal(t, "https://example.org/coffee", l.URL)
	assert.Equal(t, "coffee@example.org", l.Email)
	assert.Equal(t, "active", l.Status)
	require.NotNil(t, l.MinimumAge)
	require.NotNil(t, l.MaximumAge)
	assert.Equal(t, 18, *l.MinimumAge)
	assert.Equal(t, 65, *l.MaximumAge)
	assert.Equal(t, []hubs.Schedule{{ID: "s1", Freq: "WEEKLY", ByDay: "MO,WE", OpensAt: "10:00", ClosesAt: "12:00", ValidFrom: at, ValidTo: at.AddDate(1, 0, 0), Description: "term time"}}, l.Schedules)
	assert.Equal(t, []hubs.Contact{{ID: "c1", Name: "Duty officer", Title: "Coordinator", Email: "duty@example.org", Phone: "01375 000001"}}, l.Contacts)
	require.Len(t, l.Costs, 1)
	assert.Equal(t, "k1", l.Costs[0].ID)
	assert.Equal(t, "per session", l.Costs[0].Option)
	assert.Equal(t, "2.5", l.Costs[0].Amount.String())
	assert.Equal(t, "GBP", l.Costs[0].Currency)
	assert.Equal(t, []string{"t1"}, l.TermIDs)
	assert.Equal(t, []hubs.ServiceAtLocation{{ID: "sal-1", LocationID: "l1"}}, l.AtLocations)
	assert.Equal(t, int64(3), l.Version)
	assert.Equal(t, at, l.UpdatedAt)
}

// TestFormatVersion refuses a record of another format or kind.
func TestFormatVersion(t *testing.T) {
	_, err := hubsrec.DecodeHub([]byte(`{"v":2,"kind":"hub","body":{}}`))
	assert.Error(t, err)
	_, err = hubsrec.DecodeHub([]byte(`{"v":1,"kind":"listing","body":{}}`))
	assert.Error(t, err)
	_, err = hubsrec.Rows(&hubs.Batch{Hubs: []*hubs.Hub{{ID: "", Version: 1}}})
	assert.ErrorIs(t, err, hubs.ErrInvalid)
	_, err = hubsrec.Rows(&hubs.Batch{Hubs: []*hubs.Hub{{ID: "x", Version: 0}}})
	assert.ErrorIs(t, err, hubs.ErrInvalid)
	_, err = hubsrec.Rows(&hubs.Batch{Hubs: []*hubs.Hub{nil}})
	assert.ErrorIs(t, err, hubs.ErrInvalid)
}

// TestWords splits text as every store's search does.
func TestWords(t *testing.T) {
	assert.Equal(t, []string{"debt", "advice", "drop", "in", "2022"}, hubsrec.Words("Debt-advice: DROP in (2022)!"))
}

// TestRecordsMirrorTheHubsTypes: every record type has the fields of the
// hubs type it stores, by name and in order, so that a field added to a
// hubs type cannot be dropped on the way to the database unnoticed. (The
// records converted field by field need this; the others are converted
// by a Go conversion, which checks it at compile time.)
func TestRecordsMirrorTheHubsTypes(t *testing.T) {
	pairs := []struct{ domain, rec any }{
		{hubs.Hub{}, hubsrec.Hub{}}, {hubs.Volunteer{}, hubsrec.Volunteer{}},
		{hubs.Enterprise{}, hubsrec.Enterprise{}}, {hubs.Listing{}, hubsrec.Listing{}},
		{hubs.StatusChange{}, hubsrec.StatusChange{}}, {hubs.Hours{}, hubsrec.Hours{}},
		{hubs.Training{}, hubsrec.Training{}}, {hubs.EnterpriseChange{}, hubsrec.EnterpriseChange{}},
		{hubs.Schedule{}, hubsrec.Schedule{}}, {hubs.Contact{}, hubsrec.Contact{}},
		{hubs.CostOption{}, hubsrec.CostOption{}}, {hubs.ServiceAtLocation{}, hubsrec.ServiceAtLocation{}},
	}
	names := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			out = append(out, rt.Field(i).Name)
		}
		return out
	}
	for _, p := range pairs {
		assert.Equal(t, names(p.domain), names(p.rec), "%T", p.domain)
		rt := reflect.TypeOf(p.rec)
		for i := range rt.NumField() {
			if tag := rt.Field(i).Tag.Get("json"); tag == "" {
				t.Errorf("%T.%s has no JSON name", p.rec, rt.Field(i).Name)
			}
			if ft := rt.Field(i).Type; ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && ft.Elem().PkgPath() != "" {
				assert.Equal(t, reflect.TypeOf(p.rec).PkgPath(), ft.Elem().PkgPath(),
					"%T.%s holds a type of another package: the stored format would follow its tags", p.rec, rt.Field(i).Name)
			}
		}
	}
}
