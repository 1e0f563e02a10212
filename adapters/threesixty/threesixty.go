package threesixty

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/strongertogether/community/grants"
)

// Version is the 360Giving Data Standard version packages declare.
const Version = "1.4"

// Package is a 360Giving data package: a list of grants and metadata.
type Package struct {
	Grants      []Grant    `json:"grants"`
	Version     string     `json:"version,omitempty"`
	Title       string     `json:"title,omitempty"`
	Description string     `json:"description,omitempty"`
	Issued      string     `json:"issued,omitempty"`
	Identifier  string     `json:"identifier,omitempty"`
	Publisher   *Publisher `json:"publisher,omitempty"`
	License     string     `json:"license,omitempty"`
}

// Publisher identifies who published a package.
type Publisher struct {
	Identifier string `json:"identifier,omitempty"`
	Name       string `json:"name"`
	Website    string `json:"website,omitempty"`
}

// Grant is one 360Giving grant. Amounts are JSON numbers, kept as their
// exact decimal text.
type Grant struct {
	ID                    string           `json:"id"`
	Title                 string           `json:"title"`
	Description           string           `json:"description"`
	Currency              string           `json:"currency"`
	AmountAppliedFor      json.Number      `json:"amountAppliedFor,omitempty"`
	AmountAwarded         json.Number      `json:"amountAwarded"`
	AmountDisbursed       json.Number      `json:"amountDisbursed,omitempty"`
	AwardDate             string           `json:"awardDate"`
	PlannedDates          []Event          `json:"plannedDates,omitempty"`
	RecipientOrganization []Organization   `json:"recipientOrganization,omitempty"`
	RecipientIndividual   *Individual      `json:"recipientIndividual,omitempty"`
	BeneficiaryLocation   []Location       `json:"beneficiaryLocation,omitempty"`
	FundingOrganization   []Organization   `json:"fundingOrganization"`
	GrantProgramme        []Programme      `json:"grantProgramme,omitempty"`
	FromOpenCall          string           `json:"fromOpenCall,omitempty"`
	RegrantType           string           `json:"regrantType,omitempty"`
	Classifications       []Classification `json:"classifications,omitempty"`
	DateModified          string           `json:"dateModified,omitempty"`
}

// Organization is a funder or recipient organisation.
type Organization struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	CharityNumber string `json:"charityNumber,omitempty"`
	CompanyNumber string `json:"companyNumber,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
}

// Individual is a recipient who is a person; Name is a description such
// as "Individual Recipient", never the person's name.
type Individual struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Location is where beneficiaries are.
type Location struct {
	Name        string `json:"name,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
	GeoCode     string `json:"geoCode,omitempty"`
	GeoCodeType string `json:"geoCodeType,omitempty"`
}

// Programme is the grant programme (the fund).
type Programme struct {
	Code  string `json:"code,omitempty"`
	Title string `json:"title,omitempty"`
}

// Event is a planned or actual period.
type Event struct {
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// Classification labels a grant in a vocabulary.
type Classification struct {
	Vocabulary  string `json:"vocabulary,omitempty"`
	Code        string `json:"code,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
}

// RegrantMatchFunding is the regrantType code for a grant to a
// grantmaking organisation for match funding and onward grants.
const RegrantMatchFunding = "FRG030"

// Options are what a package says about itself.
type Options struct {
	Now       time.Time // when the package is issued; grants dated after it draw a warning
	Publisher Publisher
	License   string // URL of the data's licence, e.g. CC BY 4.0
	Title     string
}

// Export makes a 360Giving package of the fund's awarded applications
// (awarded, paid, monitored or closed), in the order given. An error is
// returned if an awarded application lacks what the standard requires.
func Export(f *grants.Fund, apps []*grants.Application, o Options) (*Package, error) {
	p := &Package{Version: Version, Title: o.Title, License: o.License, Grants: []Grant{}}
	if !o.Now.IsZero() {
		p.Issued = o.Now.UTC().Format(time.DateOnly)
	}
	if o.Publisher.Name != "" {
		pub := o.Publisher
		p.Publisher = &pub
	}
	for _, a := range apps {
		if a.Fund != f.ID || !a.IsAwarded() {
			continue
		}
		g, err := grant(f, a)
		if err != nil {
			return nil, err
		}
		p.Grants = append(p.Grants, g)
	}
	return p, nil
}

// RecipientOrgID is the org id a recipient organisation with no
// registered number (an unconstituted group) is published under:
// "360G-<funder prefix>-ORG-<application id>". It is built from the
// application, never from the group's name, so same-named groups stay
// apart.
func RecipientOrgID(f *grants.Fund, a *grants.Application) string {
	return "360G-" + f.Prefix + "-ORG-" + a.ID
}

func grant(f *grants.Fund, a *grants.Application) (Grant, error) {
	if a.AwardedAt == nil {
		return Grant{}, fmt.Errorf("threesixty: application %s: awarded without an award date", a.ID)
	}
	g := Grant{
		ID:                  "360G-" + f.Prefix + "-" + a.ID,
		Title:               a.Title,
		Description:         a.Description,
		Currency:            "GBP",
		AmountAppliedFor:    json.Number(a.Amount.StringFixed(2)),
		AmountAwarded:       json.Number(a.Award.StringFixed(2)),
		AmountDisbursed:     json.Number(a.Paid.StringFixed(2)),
		AwardDate:           a.AwardedAt.UTC().Format(time.DateOnly),
		FundingOrganization: []Organization{{ID: f.FunderID, Name: f.FunderName}},
		GrantProgramme:      []Programme{{Code: f.ID, Title: f.Name}},
		FromOpenCall:        "Yes",
		DateModified:        a.UpdatedAt.UTC().Format(time.RFC3339),
	}
	if g.Description == "" {
		g.Description = a.Title
	}
	switch a.Applicant.Type {
	case grants.Individual:
		// Nothing personal is published: not the person's name, postcode
		// or contact, and not the title and description they wrote,
		// which may name them or their street.
		g.RecipientIndividual = &Individual{ID: "360G-" + f.Prefix + "-IND-" + a.ID, Name: "Individual Recipient"}
		g.Title = "Grant to an individual"
		g.Description = fmt.Sprintf("A %s grant to an individual", f.Name)
	default:
		o := Organization{ID: a.Applicant.OrgID, Name: a.Applicant.Name}
		switch {
		case strings.HasPrefix(o.ID, "GB-CHC-"):
			o.CharityNumber = strings.TrimPrefix(o.ID, "GB-CHC-")
		case strings.HasPrefix(o.ID, "GB-COH-"):
			o.CompanyNumber = strings.TrimPrefix(o.ID, "GB-COH-")
		}
		if o.ID == "" {
			// An organisation with no registered number gets an id under
			// the funder's own prefix from the funder's records, as the
			// 360Giving identifier guidance says: the application's id,
			// so that two groups with the same name never merge. Its
			// postcode is left out: an unconstituted group's address is
			// usually someone's home.
			o.ID = RecipientOrgID(f, a)
		} else {
			o.PostalCode = a.Applicant.Postcode
		}
		g.RecipientOrganization = []Organization{o}
	}
	if a.Ward != "" {
		g.BeneficiaryLocation = []Location{{Name: a.Ward, CountryCode: "GB"}}
	}
	if a.PlannedStart != nil {
		e := Event{StartDate: a.PlannedStart.UTC().Format(time.DateOnly)}
		if a.PlannedEnd != nil {
			e.EndDate = a.PlannedEnd.UTC().Format(time.DateOnly)
		}
		g.PlannedDates = []Event{e}
	}
	if m := a.PledgedMinutes(); m > 0 || !a.CashMatch.IsZero() || !a.InKindMatch.IsZero() {
		g.Classifications = []Classification{{
			Vocabulary: "360G-" + f.Prefix + "-match", Code: "match-funded", Title: "Match funded",
			Description: fmt.Sprintf("Matched by %d supporters pledging %d hours of volunteer time, %s cash and %s in kind",
				len(a.Supporters), m/60, grants.Pounds(a.CashMatch), grants.Pounds(a.InKindMatch)),
		}}
		if a.Applicant.Regrants {
			g.RegrantType = RegrantMatchFunding
		}
	}
	return g, nil
}

// Warning is a Data Quality warning about one grant.
type Warning struct {
	Grant   string // the grant's id
	Field   string
	Message string
}

// Quality returns the warnings 360Giving's Data Quality Tool gives for
// these grants: a zero amount, an award date in the future (after now),
// a title the same as the description, a title over 140 characters, no
// beneficiary location, no grant programme, and not exactly one of
// recipientOrganization and recipientIndividual.
func Quality(p *Package, now time.Time) []Warning {
	var out []Warning
	warn := func(g *Grant, field, format string, args ...any) {
		out = append(out, Warning{Grant: g.ID, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	today := now.UTC().Format(time.DateOnly)
	for i := range p.Grants {
		g := &p.Grants[i]
		if v, err := decimalOf(g.AmountAwarded); err == nil && v.IsZero() {
			warn(g, "amountAwarded", "the amount awarded is zero")
		}
		if d := g.AwardDate; len(d) >= 10 && d[:10] > today {
			warn(g, "awardDate", "the award date %s is in the future", d[:10])
		}
		if strings.TrimSpace(g.Title) == strings.TrimSpace(g.Description) {
			warn(g, "title", "the title is the same as the description")
		}
		if n := len([]rune(g.Title)); n > 140 {
			warn(g, "title", "the title is %d characters long; keep it under 140", n)
		}
		if len(g.BeneficiaryLocation) == 0 {
			warn(g, "beneficiaryLocation", "no beneficiary location")
		}
		if len(g.GrantProgramme) == 0 {
			warn(g, "grantProgramme", "no grant programme")
		}
		if (len(g.RecipientOrganization) > 0) == (g.RecipientIndividual != nil) {
			warn(g, "recipientOrganization", "a grant needs exactly one of recipientOrganization and recipientIndividual")
		}
	}
	return out
}
