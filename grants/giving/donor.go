package giving

import (
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DonorKind says whether a donor is a person or a business.
type DonorKind string

// Donor kinds. Only individuals' gifts qualify for Gift Aid.
const (
	Individual DonorKind = "individual"
	Business   DonorKind = "business"
)

// Donor is a person or business giving to a campaign. Name, Title and
// Address are personal data: reads need a staff role, String and LogValue
// leave them out, and EraseDonor blanks them.
type Donor struct {
	ID       string
	Campaign string
	Kind     DonorKind
	Title    string // a person's title (Mr, Dr, Rev), optional
	First    string // a person's first name or initial
	Last     string // a person's surname; a business's name
	Address  Address
	Erased   bool

	CreatedAt time.Time
	CreatedBy string
	Version   int
}

// Address is a donor's home address as Gift Aid needs it.
type Address struct {
	House    string // house name or number
	Line     string // the rest of the address, optional
	Postcode string
}

// NewDonor is the input to AddDonor.
type NewDonor struct {
	Campaign string
	Kind     DonorKind
	Title    string
	First    string
	Last     string
	Address  Address
}

// Validate checks n.
func (n *NewDonor) Validate() error {
	if err := checkID("Campaign", n.Campaign); err != nil {
		return err
	}
	if n.Kind != Individual && n.Kind != Business {
		return invalid("Kind", "%q is neither %q nor %q", n.Kind, Individual, Business)
	}
	if err := checkText("Title", n.Title, MaxName); err != nil {
		return err
	}
	if n.Kind == Individual {
		if err := required("First", n.First, MaxName); err != nil {
			return err
		}
	} else if err := checkText("First", n.First, MaxName); err != nil {
		return err
	}
	if err := required("Last", n.Last, MaxName); err != nil {
		return err
	}
	return n.Address.check("Address", false)
}

var postcodeRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

// Postcode returns a UK postcode in HMRC's form (capitals, one space before
// the last three characters), and whether it looks like one.
func Postcode(s string) (string, bool) {
	t := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(t) < 5 || len(t) > 7 {
		return "", false
	}
	t = t[:len(t)-3] + " " + t[len(t)-3:]
	return t, postcodeRE.MatchString(t)
}

func (a *Address) check(field string, giftAid bool) error {
	if err := checkText(field+".House", a.House, MaxAddress); err != nil {
		return err
	}
	if err := checkText(field+".Line", a.Line, MaxAddress); err != nil {
		return err
	}
	if err := checkText(field+".Postcode", a.Postcode, MaxPostcode); err != nil {
		return err
	}
	if a.Postcode != "" {
		if _, ok := Postcode(a.Postcode); !ok {
			return invalid(field+".Postcode", "is not a UK postcode")
		}
	}
	if giftAid {
		if strings.TrimSpace(a.Postcode) == "" {
			return fieldErr(ErrNoPostcode, field+".Postcode", "a Gift Aid declaration needs the home postcode")
		}
		if strings.TrimSpace(a.House) == "" {
			return invalid(field+".House", "a Gift Aid declaration needs the house name or number")
		}
	}
	return nil
}

// String leaves personal data out.
func (d Donor) String() string { return fmt.Sprintf("donor %s (%s)", d.ID, d.Kind) }

// LogValue logs the id and kind only.
func (d Donor) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", d.ID), slog.String("kind", string(d.Kind)))
}

// String leaves personal data out.
func (n NewDonor) String() string { return fmt.Sprintf("new %s donor %s", n.Kind, redacted) }

// LogValue logs the kind only.
func (n NewDonor) LogValue() slog.Value { return slog.StringValue(n.String()) }

// Coverage is which donations a declaration covers.
type Coverage string

// What a declaration may cover (HMRC's model declarations).
const (
	CoversOne    Coverage = "one"    // a single donation (Gift.ID in Declaration.Gift)
	CoversSeries Coverage = "series" // a series of donations (a regular gift, Declaration.Gift)
	CoversPeriod Coverage = "period" // donations between From and To
	CoversFuture Coverage = "future" // this and all future donations, from Made
	CoversPast4  Coverage = "past4"  // the past four years and all future donations
)

// Coverages returns the coverages, in order.
func Coverages() []Coverage {
	return []Coverage{CoversOne, CoversSeries, CoversPeriod, CoversFuture, CoversPast4}
}

// Declaration is a donor's Gift Aid declaration, holding what HMRC
// requires. The donor's name and address are copied in as declared.
type Declaration struct {
	ID       string
	Donor    string
	Charity  string // the charity's name, as declared
	Title    string
	First    string
	Last     string
	Address  Address
	Covers   Coverage
	Gift     string    // for CoversOne and CoversSeries: the gift it covers
	From, To time.Time // for CoversPeriod
	Made     time.Time // when the donor made it
	Asked    bool      // the donor asked for Gift Aid on the donations
	TaxTold  bool      // the donor was told they must pay enough UK Income or Capital Gains Tax

	Oral      bool      // made by telephone or in person
	Recording string    // for an oral declaration: the recording's reference, or
	Sent      time.Time // the date a written record of it was sent (30 days to cancel)

	Cancelled time.Time // zero unless cancelled; donations after it are not covered
	Erased    bool

	CreatedAt time.Time
	CreatedBy string
	Version   int
}

// CancelDays is how long a donor has to cancel an oral declaration after
// the written record of it is sent.
const CancelDays = 30

// NewDeclaration is the input to Declare.
type NewDeclaration struct {
	Donor     string
	Charity   string
	Title     string
	First     string
	Last      string
	Address   Address
	Covers    Coverage
	Gift      string
	From, To  time.Time
	Made      time.Time
	Asked     bool
	TaxTold   bool
	Oral      bool
	Recording string
	Sent      time.Time
}

// Validate checks n has what HMRC requires. A missing postcode is
// ErrNoPostcode.
func (n *NewDeclaration) Validate() error {
	if err := checkID("Donor", n.Donor); err != nil {
		return err
	}
	if err := required("Charity", n.Charity, MaxName); err != nil {
		return err
	}
	if err := checkText("Title", n.Title, MaxName); err != nil {
		return err
	}
	if err := required("First", n.First, MaxName); err != nil {
		return invalid("First", "is required: at least an initial")
	}
	if err := required("Last", n.Last, MaxName); err != nil {
		return err
	}
	if err := n.Address.check("Address", true); err != nil {
		return err
	}
	if !slices.Contains(Coverages(), n.Covers) {
		return invalid("Covers", "%q is not one of %v", n.Covers, Coverages())
	}
	switch n.Covers {
	case CoversOne, CoversSeries:
		if err := checkID("Gift", n.Gift); err != nil {
			return err
		}
	case CoversPeriod:
		if n.From.IsZero() || !n.To.After(n.From) {
			return invalid("To", "a period needs From and a later To")
		}
	}
	if n.Made.IsZero() {
		return invalid("Made", "is required")
	}
	if !n.Asked {
		return invalid("Asked", "the donor must ask for Gift Aid")
	}
	if !n.TaxTold {
		return invalid("TaxTold", "the donor must be told they must pay enough UK Income or Capital Gains Tax")
	}
	if err := checkText("Recording", n.Recording, MaxNote); err != nil {
		return err
	}
	if n.Oral && n.Recording == "" && n.Sent.IsZero() {
		return invalid("Recording", "an oral declaration needs a recording or the date a written record was sent")
	}
	return nil
}

// Covering reports whether d covers gift g made at t.
func (d *Declaration) Covering(g *Gift) bool {
	t := g.Date()
	if !d.Cancelled.IsZero() && !t.Before(d.Cancelled) {
		return false
	}
	if d.Oral && d.Recording == "" && !d.Cancelled.IsZero() && d.Cancelled.Before(d.Sent.AddDate(0, 0, CancelDays)) {
		return false // cancelled within the 30 days: as if never made
	}
	switch d.Covers {
	case CoversOne, CoversSeries:
		return g.ID == d.Gift || (d.Covers == CoversSeries && g.Series == d.Gift && d.Gift != "")
	case CoversPeriod:
		return !t.Before(d.From) && t.Before(d.To)
	case CoversFuture:
		return !t.Before(d.Made.Truncate(24 * time.Hour))
	case CoversPast4:
		return !t.Before(d.Made.AddDate(-4, 0, 0))
	}
	return false
}

// String leaves personal data out.
func (d Declaration) String() string { return fmt.Sprintf("declaration %s (%s)", d.ID, d.Covers) }

// LogValue logs the id only.
func (d Declaration) LogValue() slog.Value { return slog.StringValue("declaration " + d.ID) }

// String leaves personal data out.
func (n NewDeclaration) String() string { return "new declaration " + redacted }

// LogValue logs nothing personal.
func (n NewDeclaration) LogValue() slog.Value { return slog.StringValue(n.String()) }
