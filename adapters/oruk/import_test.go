package oruk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/adapters/oruk"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// emptyDirectory is a Service over a fresh store with an editor.
func emptyDirectory(t *testing.T) (*hubs.Service, call.Actor) {
	t.Helper()
	ctx := context.Background()
	svc := hubs.NewService(memory.NewHubsStore())
	admin, editor := call.As("admin"), call.As("editor")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err := svc.Grant(ctx, admin.Key("grant"), editor.ID, hubs.RoleEditor)
	require.NoError(t, err)
	return svc, editor
}

func exportOf(t *testing.T, svc *hubs.Service) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, oruk.Export(context.Background(), svc, opts, &buf))
	return buf.Bytes()
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 40)
	doc := exportOf(t, w.Service)
	validate(t, "service_list", doc)
	validate(t, "page", doc)
	assert.NotContains(t, string(doc), "null")
	assert.NotContains(t, string(doc), `""`)
	var p struct{ Contents []json.RawMessage }
	require.NoError(t, json.Unmarshal(doc, &p))
	require.Len(t, p.Contents, 40)
	for _, c := range p.Contents {
		validate(t, "service", c)
	}

	svc, editor := emptyDirectory(t)
	im, err := oruk.Import(ctx, svc, editor.Key("import-1"), bytes.NewReader(doc))
	require.NoError(t, err)
	assert.Len(t, im.Services, 40)
	// The same key again completes nothing new.
	_, err = oruk.Import(ctx, svc, editor.Key("import-1"), bytes.NewReader(doc))
	require.NoError(t, err)
	ls, err := svc.Listings(ctx, hubs.ListingFilter{})
	require.NoError(t, err)
	require.Len(t, ls, 40)

	// Exported again, the document is the same but for the new ids.
	var a, b oruk.Page[oruk.Service]
	require.NoError(t, json.Unmarshal(doc, &a))
	require.NoError(t, json.Unmarshal(exportOf(t, svc), &b))
	require.Len(t, b.Contents, 40)
	for i := range a.Contents {
		x, y := a.Contents[i], b.Contents[i]
		assert.Equal(t, im.Services[x.ID], y.ID)
		assert.Equal(t, x.Name, y.Name)
		assert.Equal(t, x.Description, y.Description)
		assert.Equal(t, x.MinimumAge, y.MinimumAge)
		assert.Equal(t, x.MaximumAge, y.MaximumAge)
		require.Len(t, y.Schedules, len(x.Schedules))
		assert.Equal(t, x.Schedules[0].ByDay, y.Schedules[0].ByDay)
		assert.Equal(t, x.Schedules[0].OpensAt, y.Schedules[0].OpensAt)
		assert.Equal(t, x.CostOptions[0].Amount, y.CostOptions[0].Amount)
		assert.Equal(t, x.Organization.Name, y.Organization.Name)
		assert.Equal(t, x.ServiceAtLocations[0].Location.Addresses[0].PostalCode, y.ServiceAtLocations[0].Location.Addresses[0].PostalCode)
		assert.Equal(t, x.Attributes[0].TaxonomyTerm.Code, y.Attributes[0].TaxonomyTerm.Code)
		assert.Empty(t, y.Attributes[0].TaxonomyTerm.ParentID, "the root term is not in the document, so no parent is kept")
	}
}

// minimal is a service with every field the ORUK schema requires of
// each nested object, and the organisation the directory needs.
const minimal = `{"contents":[{
 "id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e01","name":"Coffee morning","status":"active",
 "organization":{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e02","name":"Thurrock CVS","description":"Voluntary sector support."},
 "schedules":[{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e03","freq":"WEEKLY","byday":"MO","opens_at":"10:00","closes_at":"12:00"}],
 "service_at_locations":[{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e04","location":{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e05","location_type":"physical",
   "addresses":[{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e06","address_1":"Civic Square","city":"Tilbury","state_province":"Essex","postal_code":"RM18 8AD","country":"GB","address_type":"physical"}]}}],
 "cost_options":[{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e07","amount":1.5}],
 "contacts":[{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e08"}],
 "attributes":[{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e09","taxonomy_term":{"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e0a","name":"Loneliness","description":"Feeling alone."}}]
}]}`

// without returns minimal with the field at path (dot-separated, numbers
// index arrays) removed.
func without(t *testing.T, path string) string {
	t.Helper()
	var doc any
	require.NoError(t, json.Unmarshal([]byte(minimal), &doc))
	parts := strings.Split("contents.0."+path, ".")
	cur := doc
	for _, p := range parts[:len(parts)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			cur = c[int(p[0]-'0')]
		}
	}
	delete(cur.(map[string]any), parts[len(parts)-1])
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return string(out)
}

func TestImportRefusesMissingRequiredFields(t *testing.T) {
	ctx := context.Background()
	svc, editor := emptyDirectory(t)
	_, err := oruk.Import(ctx, svc, editor.Key("ok"), strings.NewReader(minimal))
	require.NoError(t, err, "the minimal document imports")
	for _, path := range []string{"id", "name", "status", "organization", "organization.id", "organization.name", "organization.description",
		"schedules.0.id", "service_at_locations.0.id", "service_at_locations.0.location", "service_at_locations.0.location.id",
		"service_at_locations.0.location.location_type", "service_at_locations.0.location.addresses.0.id",
		"service_at_locations.0.location.addresses.0.address_1", "service_at_locations.0.location.addresses.0.city",
		"service_at_locations.0.location.addresses.0.state_province", "service_at_locations.0.location.addresses.0.postal_code",
		"service_at_locations.0.location.addresses.0.country", "service_at_locations.0.location.addresses.0.address_type",
		"cost_options.0.id", "contacts.0.id", "attributes.0.id", "attributes.0.taxonomy_term", "attributes.0.taxonomy_term.id",
		"attributes.0.taxonomy_term.name", "attributes.0.taxonomy_term.description"} {
		t.Run(path, func(t *testing.T) {
			svc, editor := emptyDirectory(t)
			// A good service first, so that a half-write would show.
			doc := strings.Replace(without(t, path), `{"contents":[`, `{"contents":[`+goodService+`,`, 1)
			_, err := oruk.Import(ctx, svc, editor.Key("k"), strings.NewReader(doc))
			require.ErrorIs(t, err, oruk.ErrMissingField)
			var fe *oruk.FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, 1, fe.Index)
			assert.Equal(t, strings.ReplaceAll(path, ".0.", "[0]."), strings.ReplaceAll(fe.Field, "[0].", "[0]."), "%v", err)
			assertEmpty(t, svc)
		})
	}
}

const goodService = `{"id":"7e1c2b8a-0d1f-4c3e-9a5b-6d7e8f901234","name":"Job club","status":"active",
 "organization":{"id":"7e1c2b8a-0d1f-4c3e-9a5b-6d7e8f901235","name":"Job centre","description":"Work."}}`

func assertEmpty(t *testing.T, svc *hubs.Service) {
	t.Helper()
	ctx := context.Background()
	ls, err := svc.Listings(ctx, hubs.ListingFilter{})
	require.NoError(t, err)
	orgs, err := svc.Organizations(ctx)
	require.NoError(t, err)
	terms, err := svc.Terms(ctx)
	require.NoError(t, err)
	locs, err := svc.Locations(ctx)
	require.NoError(t, err)
	assert.Empty(t, ls)
	assert.Empty(t, orgs)
	assert.Empty(t, terms)
	assert.Empty(t, locs)
}

func TestImportRefusesInvalid(t *testing.T) {
	ctx := context.Background()
	for name, doc := range map[string]string{
		"not json":       `{"contents":[`,
		"no contents":    `{"services":[]}`,
		"trailing data":  minimal + `{}`,
		"bad status":     strings.Replace(minimal, `"status":"active"`, `"status":"open"`, 1),
		"not a uuid":     strings.Replace(minimal, `"id":"0b6c7e0e-7f43-4a53-9b0a-5c6b8b5f2e01"`, `"id":"svc-1"`, 1),
		"monthly":        strings.Replace(minimal, `"WEEKLY"`, `"MONTHLY"`, 1),
		"bad byday":      strings.Replace(minimal, `"byday":"MO"`, `"byday":"monday"`, 1),
		"closes first":   strings.Replace(minimal, `"closes_at":"12:00"`, `"closes_at":"09:00"`, 1),
		"negative cost":  strings.Replace(minimal, `"amount":1.5`, `"amount":-1`, 1),
		"negative age":   strings.Replace(minimal, `"status":"active"`, `"status":"active","minimum_age":-2`, 1),
		"duplicate":      strings.Replace(minimal, `{"contents":[`, `{"contents":[`+goodService+`,`+goodService+`,`, 1),
		"nul in name":    strings.Replace(minimal, `"Coffee morning"`, `"Coffee\u0000morning"`, 1),
		"wrong org id":   strings.Replace(minimal, `"status":"active"`, `"status":"active","organization_id":"7e1c2b8a-0d1f-4c3e-9a5b-6d7e8f901235"`, 1),
		"bad latitude":   strings.Replace(minimal, `"location_type":"physical"`, `"location_type":"physical","latitude":91`, 1),
		"a bare string":  `"services"`,
		"empty document": ``,
	} {
		t.Run(name, func(t *testing.T) {
			svc, editor := emptyDirectory(t)
			_, err := oruk.Import(ctx, svc, editor.Key("k"), strings.NewReader(doc))
			require.ErrorIs(t, err, oruk.ErrInvalid)
			assertEmpty(t, svc)
		})
	}
	svc, _ := emptyDirectory(t)
	_, err := oruk.Import(ctx, svc, call.As("stranger").Key("k"), strings.NewReader(minimal))
	require.ErrorIs(t, err, hubs.ErrForbidden)
	assertEmpty(t, svc)
}
