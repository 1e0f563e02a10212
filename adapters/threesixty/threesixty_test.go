package threesixty_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/threesixty"
	"github.com/strongertogether/community/grants"
)

var now = time.Date(2015, time.March, 20, 12, 0, 0, 0, time.UTC)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func fund() *grants.Fund {
	return &grants.Fund{ID: "small-sparks", Name: "Small Sparks", FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		MinAward: d("50"), MaxAward: d("250")}
}

func app(id string, typ grants.ApplicantType, orgID string, status grants.Status) *grants.Application {
	awarded := time.Date(2014, time.July, 1, 10, 0, 0, 0, time.UTC)
	start, end := awarded.AddDate(0, 1, 0), awarded.AddDate(0, 2, 0)
	return &grants.Application{
		ID: id, Fund: "small-sparks", Year: 2014, Title: "Street party " + id, Description: "A jubilee street party for Elm Close",
		Applicant: grants.Applicant{Type: typ, Name: "Friends of Elm Close " + id, OrgID: orgID, ContactName: "Jo", Email: "jo@example.org", Postcode: "RM18 7AA"},
		Ward:      "Tilbury St Chads", Amount: d("250"), Award: d("240.50"), Paid: d("100"), AwardedAt: &awarded,
		PlannedStart: &start, PlannedEnd: &end,
		Supporters: []grants.Supporter{{Name: "A", Pledged: 600}, {Name: "B", Pledged: 300}, {Name: "C", Pledged: 300}},
		Status:     status, UpdatedAt: awarded,
	}
}

func exported(t *testing.T) (*threesixty.Package, []byte) {
	t.Helper()
	apps := []*grants.Application{
		app("app-1", grants.UnconstitutedGroup, "", grants.Paid),
		app("app-2", grants.Charity, "GB-CHC-1234567", grants.Awarded),
		app("app-3", grants.Company, "GB-COH-01234567", grants.Closed),
		app("app-4", grants.Individual, "", grants.Monitored),
		app("app-5", grants.UnconstitutedGroup, "", grants.Approved), // not yet awarded
		app("app-6", grants.UnconstitutedGroup, "", grants.Declined),
	}
	apps[1].Applicant.Regrants = true
	p, err := threesixty.Export(fund(), apps, threesixty.Options{Now: now, Title: "Small Sparks grants 2014",
		Publisher: threesixty.Publisher{Name: "Thurrock Council", Identifier: "GB-LAE-THR"},
		License:   "https://creativecommons.org/licenses/by/4.0/"})
	require.NoError(t, err)
	data, err := json.MarshalIndent(p, "", "  ")
	require.NoError(t, err)
	return p, data
}

func TestExportValidatesAgainstSchema(t *testing.T) {
	p, data := exported(t)
	require.Len(t, p.Grants, 4, "only awarded grants")
	require.NoError(t, threesixty.ValidatePackage(data), "%s", data)

	g := p.Grants[0]
	assert.Equal(t, "360G-a00thr-app-1", g.ID)
	assert.Equal(t, "GBP", g.Currency)
	assert.Equal(t, "240.50", string(g.AmountAwarded))
	assert.Equal(t, "2014-07-01", g.AwardDate)
	assert.Equal(t, "GB-LAE-THR", g.FundingOrganization[0].ID)
	assert.Equal(t, "360G-a00thr-ORG-app-1", g.RecipientOrganization[0].ID)
	assert.Empty(t, g.RecipientOrganization[0].PostalCode, "an unconstituted group's postcode is not published")
	assert.Equal(t, "RM18 7AA", p.Grants[1].RecipientOrganization[0].PostalCode, "a registered charity's is")
	assert.Nil(t, g.RecipientIndividual)
	assert.Equal(t, "Tilbury St Chads", g.BeneficiaryLocation[0].Name)
	assert.Equal(t, "Small Sparks", g.GrantProgramme[0].Title)
	assert.Equal(t, "2014-08-01", g.PlannedDates[0].StartDate)
	assert.Equal(t, "match-funded", g.Classifications[0].Code)
	assert.Empty(t, g.RegrantType)
	assert.Equal(t, "1234567", p.Grants[1].RecipientOrganization[0].CharityNumber)
	assert.Equal(t, threesixty.RegrantMatchFunding, p.Grants[1].RegrantType)
	assert.Equal(t, "01234567", p.Grants[2].RecipientOrganization[0].CompanyNumber)
	ind := p.Grants[3]
	require.NotNil(t, ind.RecipientIndividual)
	assert.Empty(t, ind.RecipientOrganization)
	assert.Equal(t, "Individual Recipient", ind.RecipientIndividual.Name)
	assert.NotContains(t, string(data), "jo@example.org", "no contact details are published")
	assert.NotContains(t, string(data), "Friends of Elm Close app-4", "no individual's name is published")
	for _, g := range p.Grants {
		assert.True(t, (len(g.RecipientOrganization) == 1) != (g.RecipientIndividual != nil), "exactly one recipient in %s", g.ID)
	}
	assert.Empty(t, threesixty.Quality(p, now))
}

// Two unconstituted groups with the same name are two recipients: their
// ids come from the applications, not the name, and neither group's nor
// any individual's postcode is published.
func TestUnregisteredRecipientsKeptApart(t *testing.T) {
	a1 := app("app-1", grants.UnconstitutedGroup, "", grants.Awarded)
	a2 := app("app-2", grants.UnconstitutedGroup, "", grants.Awarded)
	a3 := app("app-3", grants.Individual, "", grants.Awarded)
	a1.Applicant.Name, a2.Applicant.Name = "Friends of the Park", "Friends of the Park"
	a1.Applicant.Postcode, a2.Applicant.Postcode, a3.Applicant.Postcode = "RM17 6AA", "SS17 0BB", "RM16 2CC"
	p, err := threesixty.Export(fund(), []*grants.Application{a1, a2, a3}, threesixty.Options{Now: now})
	require.NoError(t, err)
	require.Len(t, p.Grants, 3)
	o1, o2 := p.Grants[0].RecipientOrganization[0], p.Grants[1].RecipientOrganization[0]
	assert.Equal(t, "360G-a00thr-ORG-app-1", o1.ID)
	assert.Equal(t, "360G-a00thr-ORG-app-2", o2.ID)
	assert.NotEqual(t, o1.ID, o2.ID, "same-named groups do not merge")
	assert.Equal(t, threesixty.RecipientOrgID(fund(), a1), o1.ID)
	data, err := json.Marshal(p)
	require.NoError(t, err)
	for _, pc := range []string{"RM17 6AA", "SS17 0BB", "RM16 2CC", "postalCode"} {
		assert.NotContains(t, string(data), pc)
	}
	require.NoError(t, threesixty.ValidatePackage(data), "%s", data)
}

// The validator really validates: each broken package fails the schema
// with an ErrInvalid *SchemaError whose violations point at what broke.
func TestSchemaRejectsBrokenPackages(t *testing.T) {
	_, data := exported(t)
	for _, c := range []struct {
		name    string
		edit    func(m map[string]any)
		pointer string // where a violation must be reported
	}{
		{"no grants", func(m map[string]any) { m["grants"] = []any{} }, "/grants"},
		{"no currency", func(m map[string]any) { delete(grant0(m), "currency") }, "/grants/0"},
		{"bad currency", func(m map[string]any) { grant0(m)["currency"] = "XXX" }, "/grants/0/currency"},
		{"amount as string", func(m map[string]any) { grant0(m)["amountAwarded"] = "240.50" }, "/grants/0/amountAwarded"},
		{"bad award date", func(m map[string]any) { grant0(m)["awardDate"] = "1 July 2014" }, "/grants/0/awardDate"},
		{"funder without id", func(m map[string]any) {
			grant0(m)["fundingOrganization"] = []any{map[string]any{"name": "Thurrock"}}
		}, "/grants/0/fundingOrganization/0"},
		{"bad version", func(m map[string]any) { m["version"] = "one" }, "/version"},
		{"bad country code", func(m map[string]any) {
			grant0(m)["beneficiaryLocation"] = []any{map[string]any{"countryCode": "UK"}}
		}, "/grants/0/beneficiaryLocation/0/countryCode"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var m map[string]any
			require.NoError(t, json.Unmarshal(data, &m))
			c.edit(m)
			broken, err := json.Marshal(m)
			require.NoError(t, err)
			err = threesixty.ValidatePackage(broken)
			require.ErrorIs(t, err, threesixty.ErrInvalid)
			var se *threesixty.SchemaError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, pointers(se), c.pointer, "%v", err)
			assert.Contains(t, err.Error(), c.pointer+": ")
			// Validate reads the same verdict from a reader.
			assert.Equal(t, err, threesixty.Validate(bytes.NewReader(broken)))
		})
	}
}

// Every violation is listed, each with its JSON pointer, not just the
// first.
func TestSchemaListsEveryViolation(t *testing.T) {
	_, data := exported(t)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	gs := m["grants"].([]any)
	gs[0].(map[string]any)["currency"] = "XXX"
	delete(gs[1].(map[string]any), "title")
	gs[2].(map[string]any)["awardDate"] = "yesterday"
	m["version"] = "one"
	broken, err := json.Marshal(m)
	require.NoError(t, err)
	err = threesixty.ValidatePackage(broken)
	var se *threesixty.SchemaError
	require.ErrorAs(t, err, &se)
	got := pointers(se)
	for _, want := range []string{"/grants/0/currency", "/grants/1", "/grants/2/awardDate", "/version"} {
		assert.Contains(t, got, want)
		assert.Contains(t, err.Error(), want+": ")
	}
	for _, v := range se.Violations {
		assert.NotEmpty(t, v.Reason, v.Pointer)
	}
	assert.Contains(t, err.Error(), "title")
}

func TestSchemaNotJSON(t *testing.T) {
	for _, data := range []string{"", "{", "[1,2", `{"grants":[]} trailing`} {
		err := threesixty.Validate(strings.NewReader(data))
		var se *threesixty.SchemaError
		require.ErrorAs(t, err, &se, "%q", data)
		require.ErrorIs(t, err, threesixty.ErrInvalid)
		require.Len(t, se.Violations, 1)
		assert.Equal(t, "", se.Violations[0].Pointer)
	}
	err := threesixty.ValidatePackage(bytes.Repeat([]byte(" "), threesixty.MaxSize+1))
	require.ErrorIs(t, err, threesixty.ErrInvalid)
	assert.Contains(t, err.Error(), "larger than")
}

func pointers(se *threesixty.SchemaError) []string {
	var out []string
	for _, v := range se.Violations {
		out = append(out, v.Pointer)
	}
	return out
}

func grant0(m map[string]any) map[string]any { return m["grants"].([]any)[0].(map[string]any) }

func TestQualityWarnings(t *testing.T) {
	p, _ := exported(t)
	g := &p.Grants[0]
	g.AmountAwarded = "0"
	g.AwardDate = "2015-04-01"
	g.Description = g.Title
	g.BeneficiaryLocation = nil
	g.GrantProgramme = nil
	p.Grants[1].Title = strings.Repeat("x", 141)
	p.Grants[2].RecipientIndividual = &threesixty.Individual{ID: "x", Name: "y"}
	var got []string
	for _, w := range threesixty.Quality(p, now) {
		got = append(got, w.Grant+" "+w.Field)
	}
	assert.ElementsMatch(t, []string{
		"360G-a00thr-app-1 amountAwarded", "360G-a00thr-app-1 awardDate", "360G-a00thr-app-1 title",
		"360G-a00thr-app-1 beneficiaryLocation", "360G-a00thr-app-1 grantProgramme",
		"360G-a00thr-app-2 title", "360G-a00thr-app-3 recipientOrganization",
	}, got)
}

func TestImportRoundTrip(t *testing.T) {
	_, data := exported(t)
	awards, err := threesixty.Import(bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, awards, 4)
	a := awards[0]
	assert.Equal(t, "360G-a00thr-app-1", a.ID)
	assert.True(t, a.Amount.Equal(d("240.50")))
	assert.True(t, a.AmountAppliedFor.Equal(d("250")))
	assert.True(t, a.AmountDisbursed.Equal(d("100")))
	assert.Equal(t, time.Date(2014, 7, 1, 0, 0, 0, 0, time.UTC), a.AwardDate)
	assert.Equal(t, "GB-LAE-THR", a.FunderID)
	assert.Equal(t, "Small Sparks", a.Programme)
	assert.Equal(t, "Tilbury St Chads", a.Ward)
	assert.True(t, awards[3].Individual)
	assert.Equal(t, "FRG030", awards[1].RegrantType)
}

func TestImportBadInput(t *testing.T) {
	_, data := exported(t)
	cases := map[string]func(m map[string]any){
		"no grants":         func(m map[string]any) { m["grants"] = []any{} },
		"bad id":            func(m map[string]any) { grant0(m)["id"] = "a00thr-1" },
		"fraction of penny": func(m map[string]any) { grant0(m)["amountAwarded"] = json.Number("240.505") },
		"negative":          func(m map[string]any) { grant0(m)["amountAwarded"] = json.Number("-1") },
		"two recipients": func(m map[string]any) {
			grant0(m)["recipientIndividual"] = map[string]any{"id": "x", "name": "Individual Recipient"}
		},
		"no recipient": func(m map[string]any) { delete(grant0(m), "recipientOrganization") },
		"bad date":     func(m map[string]any) { grant0(m)["awardDate"] = "01/07/2014" },
		"no funder":    func(m map[string]any) { delete(grant0(m), "fundingOrganization") },
		"duplicate id": func(m map[string]any) {
			gs := m["grants"].([]any)
			gs[1].(map[string]any)["id"] = grant0(m)["id"]
		},
	}
	for name, edit := range cases {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&m))
		edit(m)
		broken, err := json.Marshal(m)
		require.NoError(t, err)
		_, err = threesixty.Import(bytes.NewReader(broken))
		assert.ErrorIs(t, err, threesixty.ErrInvalid, name)
		var pe *threesixty.ParseError
		assert.True(t, errors.As(err, &pe), name)
	}
	for _, s := range []string{"", "[]", "{", `{"grants": 5}`, `{"grants":[{}]} trailing`} {
		_, err := threesixty.Import(strings.NewReader(s))
		assert.ErrorIs(t, err, threesixty.ErrInvalid, s)
	}
}

// A grant to an individual publishes nothing personal: not their name,
// contact, postcode, nor the title and description they wrote (which may
// name them); the supporters' names are never published for anyone.
func TestIndividualNothingPersonal(t *testing.T) {
	a := app("app-9", grants.Individual, "", grants.Paid)
	a.Title, a.Description = "Jo Bloggs's street party", "Ring Jo Bloggs on 01375 000111 at RM18 7AA"
	a.Applicant = grants.Applicant{Type: grants.Individual, Name: "Jo Bloggs", ContactName: "Jo Bloggs", Email: "jo.bloggs@example.org",
		Phone: "01375 000111", Postcode: "RM18 7AA"}
	a.Supporters = []grants.Supporter{{Name: "Ann Neighbour", Pledged: 600}}
	p, err := threesixty.Export(fund(), []*grants.Application{a}, threesixty.Options{Now: now})
	require.NoError(t, err)
	data, err := json.Marshal(p)
	require.NoError(t, err)
	require.NoError(t, threesixty.ValidatePackage(data))
	for _, bad := range []string{"Jo", "Bloggs", "jo.bloggs", "01375", "RM18", "Ann Neighbour", "street party"} {
		assert.NotContains(t, string(data), bad)
	}
	g := p.Grants[0]
	assert.Equal(t, "Grant to an individual", g.Title)
	assert.Equal(t, "240.50", string(g.AmountAwarded), "the amount is published")
	assert.Empty(t, threesixty.Quality(p, now))
}
