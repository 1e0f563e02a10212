package threesixty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/grants"
)

// MaxSize is the largest package Parse reads, in bytes.
const MaxSize = 64 << 20

// ErrInvalid is wrapped by every error Parse and Import return for bad
// input.
var ErrInvalid = errors.New("threesixty: invalid")

// Problem is one thing wrong with an imported file.
type Problem struct {
	Grant  int    // index in grants, -1 for the package itself
	ID     string // the grant's id, if it has one
	Field  string
	Reason string
}

// ParseError lists every problem found in a file. It wraps ErrInvalid.
type ParseError struct{ Problems []Problem }

// Error implements error.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("threesixty: invalid package")
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-10)
			break
		}
		if p.Grant >= 0 {
			fmt.Fprintf(&b, "; grants[%d]", p.Grant)
			if p.ID != "" {
				fmt.Fprintf(&b, " (%s)", p.ID)
			}
			b.WriteString(".")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", p.Field, p.Reason)
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ParseError) Unwrap() error { return ErrInvalid }

// Parse reads a 360Giving JSON package and checks what this package
// relies on: at least one grant; for each, an id starting "360G-", a
// title, a currency, an amount awarded that is a non-negative number of
// at most 2 decimal places (for GBP), an award date (YYYY-MM-DD or a
// date-time), a funding organisation with id and name, and exactly one of
// recipientOrganization and recipientIndividual. Every problem is
// reported, in a *ParseError.
func Parse(r io.Reader) (*Package, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("threesixty: read: %w", err)
	}
	if len(data) > MaxSize {
		return nil, &ParseError{Problems: []Problem{{Grant: -1, Field: "package", Reason: fmt.Sprintf("larger than %d bytes", MaxSize)}}}
	}
	var p Package
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, &ParseError{Problems: []Problem{{Grant: -1, Field: "package", Reason: "not a 360Giving JSON package: " + err.Error()}}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &ParseError{Problems: []Problem{{Grant: -1, Field: "package", Reason: "text after the JSON object"}}}
	}
	var probs []Problem
	if len(p.Grants) == 0 {
		probs = append(probs, Problem{Grant: -1, Field: "grants", Reason: "no grants"})
	}
	ids := map[string]bool{}
	for i := range p.Grants {
		g := &p.Grants[i]
		bad := func(field, format string, args ...any) {
			probs = append(probs, Problem{Grant: i, ID: g.ID, Field: field, Reason: fmt.Sprintf(format, args...)})
		}
		if !strings.HasPrefix(g.ID, "360G-") || len(g.ID) > 500 {
			bad("id", "%q is not a 360Giving grant identifier (360G-…)", clip(g.ID))
		} else if ids[g.ID] {
			bad("id", "%q appears twice", clip(g.ID))
		}
		ids[g.ID] = true
		if strings.TrimSpace(g.Title) == "" {
			bad("title", "is required")
		}
		if len(g.Currency) != 3 || strings.ToUpper(g.Currency) != g.Currency {
			bad("currency", "%q is not an ISO 4217 code", clip(g.Currency))
		}
		if v, err := decimalOf(g.AmountAwarded); err != nil {
			bad("amountAwarded", "%v", err)
		} else if v.IsNegative() {
			bad("amountAwarded", "is negative")
		} else if g.Currency == "GBP" && !v.Equal(v.Round(2)) {
			bad("amountAwarded", "%s has more than 2 decimal places", v)
		}
		for field, n := range map[string]json.Number{"amountAppliedFor": g.AmountAppliedFor, "amountDisbursed": g.AmountDisbursed} {
			if n != "" {
				if _, err := decimalOf(n); err != nil {
					bad(field, "%v", err)
				}
			}
		}
		if _, err := dateOf(g.AwardDate); err != nil {
			bad("awardDate", "%q is not a date (YYYY-MM-DD) or date-time", clip(g.AwardDate))
		}
		if len(g.FundingOrganization) == 0 || g.FundingOrganization[0].ID == "" || g.FundingOrganization[0].Name == "" {
			bad("fundingOrganization", "a funder with id and name is required")
		}
		if (len(g.RecipientOrganization) > 0) == (g.RecipientIndividual != nil) {
			bad("recipientOrganization", "exactly one of recipientOrganization and recipientIndividual is required")
		}
		for _, o := range g.RecipientOrganization {
			if o.ID == "" || o.Name == "" {
				bad("recipientOrganization", "each recipient organisation needs an id and a name")
			}
		}
	}
	if len(probs) > 0 {
		return nil, &ParseError{Problems: probs}
	}
	return &p, nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func decimalOf(n json.Number) (decimal.Decimal, error) {
	if n == "" {
		return decimal.Zero, errors.New("is required")
	}
	if len(n) > 40 {
		return decimal.Zero, errors.New("is too long to be an amount")
	}
	d, err := decimal.NewFromString(string(n))
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q is not a number", clip(string(n)))
	}
	if d.Abs().GreaterThan(decimal.NewFromInt(grants.MaxPounds).Mul(decimal.NewFromInt(1000))) {
		return decimal.Zero, fmt.Errorf("%s is out of range", clip(string(n)))
	}
	return d, nil
}

func dateOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// Award is an imported grant in domain terms.
type Award struct {
	ID               string
	Title            string
	Description      string
	Currency         string
	Amount           decimal.Decimal
	AmountAppliedFor decimal.Decimal
	AmountDisbursed  decimal.Decimal
	AwardDate        time.Time
	FunderID         string
	FunderName       string
	RecipientID      string
	RecipientName    string // empty for an individual
	Individual       bool
	Programme        string
	Ward             string
	RegrantType      string
}

// Import reads a 360Giving package (see Parse) and returns its grants as
// Awards, in file order.
func Import(r io.Reader) ([]Award, error) {
	p, err := Parse(r)
	if err != nil {
		return nil, err
	}
	out := make([]Award, 0, len(p.Grants))
	for _, g := range p.Grants {
		a := Award{ID: g.ID, Title: g.Title, Description: g.Description, Currency: g.Currency,
			FunderID: g.FundingOrganization[0].ID, FunderName: g.FundingOrganization[0].Name, RegrantType: g.RegrantType}
		a.Amount, _ = decimalOf(g.AmountAwarded)
		if g.AmountAppliedFor != "" {
			a.AmountAppliedFor, _ = decimalOf(g.AmountAppliedFor)
		}
		if g.AmountDisbursed != "" {
			a.AmountDisbursed, _ = decimalOf(g.AmountDisbursed)
		}
		a.AwardDate, _ = dateOf(g.AwardDate)
		a.AwardDate = a.AwardDate.UTC()
		if g.RecipientIndividual != nil {
			a.Individual, a.RecipientID = true, g.RecipientIndividual.ID
		} else {
			a.RecipientID, a.RecipientName = g.RecipientOrganization[0].ID, g.RecipientOrganization[0].Name
		}
		if len(g.GrantProgramme) > 0 {
			a.Programme = g.GrantProgramme[0].Title
		}
		if len(g.BeneficiaryLocation) > 0 {
			a.Ward = g.BeneficiaryLocation[0].Name
		}
		out = append(out, a)
	}
	return out, nil
}
