package grants

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/internal/email"
	"github.com/strongertogether/community/internal/lifecycle"
)

// Application is a request to a fund for a grant, and then the grant
// itself: what the project is, who asks, how much, the neighbours who
// pledge their time, the checks, the panel's scores, the decision, the
// award, its payments and the outcome report.
//
// Its Status follows the state machine Transitions returns; every move is an
// audit Event naming who made it and why. Its Owner (whoever drafted it)
// edits, submits, resubmits, withdraws and reports outcomes; officers
// check, approve, award and pay; panel members score.
type Application struct {
	ID    string
	Fund  string
	Round string
	Year  int // financial year of the round, whose budget the award uses
	Owner string

	Title       string
	Description string
	// Idea identifies the project so that the same idea is funded once;
	// by default it is the title, lower-cased with single spaces.
	Idea       string
	Applicant  Applicant
	Ward       string          // where the project happens, e.g. "Tilbury St Chads"
	Amount     decimal.Decimal // requested
	Costs      []Cost          // what the money is for; if given, they add up to Amount
	Purposes   []string        // tags a fund may exclude, e.g. "faith-promotion", "party-political"
	Priorities []string        // which of the fund's priorities it addresses
	Supporters []Supporter
	// CashMatch and InKindMatch are other contributions besides
	// volunteer time (money raised, donated materials), in pounds.
	CashMatch    decimal.Decimal
	InKindMatch  decimal.Decimal
	PlannedStart *time.Time
	PlannedEnd   *time.Time

	Status      Status
	Eligibility *Eligibility // the last eligibility check
	Conflicts   []Conflict
	Scores      []Score
	Decision    *Decision
	Award       decimal.Decimal // committed when approved
	AwardedAt   *time.Time      // when the award was made
	Paid        decimal.Decimal
	Payments    []Payment
	Outcome     *Outcome
	Note        string // the reason for the latest move

	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// Applicant is who applies and how to reach them.
type Applicant struct {
	Type ApplicantType
	Name string // the group's or person's name
	// OrgID is the organisation's identifier: "GB-CHC-<number>" for a
	// registered charity (or, for one on no register, an identifier the
	// funder gives it, "360G-<prefix>-<id>"), "GB-COH-<number>" for a
	// company. Individuals and unconstituted groups have none.
	//
	// Name, ContactName, Email, Phone and Postcode are personal data for an
	// individual (and the contact's details are for any applicant):
	// String and LogValue leave them out, and EraseApplicant replaces them.
	OrgID       string
	ContactName string
	Email       string
	Phone       string
	Postcode    string
	// Regrants says the applicant passes the grant on as grants of its own
	// (reported as a regrant in 360Giving data).
	Regrants bool
}

// ApplicantType is the kind of applicant.
type ApplicantType string

// Applicant types.
const (
	Individual         ApplicantType = "individual"
	UnconstitutedGroup ApplicantType = "unconstituted-group"
	Charity            ApplicantType = "charity"
	Company            ApplicantType = "company"
)

var (
	charityRE = regexp.MustCompile(`^GB-CHC-[0-9]{6,8}(-[0-9]{1,3})?$`)
	// local360RE is an identifier a funder gives an organisation that has
	// none on a register: "360G-<funder prefix>-<the funder's own id>".
	local360RE = regexp.MustCompile(`^360G-[A-Za-z0-9]{1,40}-[A-Za-z0-9-]{1,40}$`)
	companyRE  = regexp.MustCompile(`^GB-COH-([0-9]{8}|[A-Z]{2}[0-9]{6})$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9 ()-]{7,20}$`)
)

// Validate checks an applicant: the type, an identifier that fits it and
// a way to make contact (email or phone).
func (a *Applicant) Validate() error {
	for _, c := range []struct {
		field, s string
		max      int
	}{{"Applicant.Name", a.Name, MaxName}, {"Applicant.OrgID", a.OrgID, MaxID}, {"Applicant.ContactName", a.ContactName, MaxName},
		{"Applicant.Email", a.Email, MaxEmail}, {"Applicant.Phone", a.Phone, 20}, {"Applicant.Postcode", a.Postcode, MaxPostcode}} {
		if err := checkText(c.field, c.s, c.max); err != nil {
			return err
		}
	}
	switch a.Type {
	case Individual, UnconstitutedGroup:
		if a.OrgID != "" {
			return invalid("Applicant.OrgID", "a %s has no organisation identifier", a.Type)
		}
	case Charity:
		if !charityRE.MatchString(a.OrgID) && !local360RE.MatchString(a.OrgID) {
			return invalid("Applicant.OrgID", "%q is not a registered charity identifier such as GB-CHC-1234567", a.OrgID)
		}
	case Company:
		if !companyRE.MatchString(a.OrgID) {
			return invalid("Applicant.OrgID", "%q is not a company identifier such as GB-COH-01234567", a.OrgID)
		}
	default:
		return invalid("Applicant.Type", "%q is not one of individual, unconstituted-group, charity, company", a.Type)
	}
	switch {
	case strings.TrimSpace(a.Name) == "":
		return invalid("Applicant.Name", "is required")
	case len(a.Name) > 200:
		return invalid("Applicant.Name", "is longer than 200 characters")
	case strings.TrimSpace(a.ContactName) == "":
		return invalid("Applicant.ContactName", "a contact is required")
	case a.Email == "" && a.Phone == "":
		return invalid("Applicant.Email", "an email address or phone number is required to contact the applicant")
	}
	if a.Email != "" && !email.Valid(a.Email) {
		return invalid("Applicant.Email", "%q is not an email address", a.Email)
	}
	if a.Phone != "" && !phoneRE.MatchString(a.Phone) {
		return invalid("Applicant.Phone", "%q is not a phone number", a.Phone)
	}
	return nil
}

// Cost is one line of the project budget. A running cost (rent, wages,
// utilities that continue after the project) is marked so a fund can
// exclude it.
type Cost struct {
	Item    string
	Amount  decimal.Decimal
	Running bool
}

// Supporter is a neighbour backing the project with time: the minutes
// pledged and, after the project, the minutes actually given. Each
// supporter of an application is a different person: two names equal
// once trimmed and case-folded are refused, so one neighbour cannot count
// as several towards a fund's supporters rule.
type Supporter struct {
	Name      string
	Pledged   int64 // minutes
	Delivered int64 // minutes, recorded after the project
}

// Status is where an application is in its lifecycle.
type Status string

// Application statuses.
const (
	Draft              Status = "draft"
	Submitted          Status = "submitted"
	InfoRequested      Status = "info-requested"
	Resubmitted        Status = "resubmitted"
	EligibilityChecked Status = "eligibility-checked"
	UnderReview        Status = "under-review"
	Approved           Status = "approved"
	Declined           Status = "declined"
	Withdrawn          Status = "withdrawn"
	Awarded            Status = "awarded"
	Paid               Status = "paid"
	Monitored          Status = "monitored"
	Closed             Status = "closed"
)

// Transitions returns the application state machine: from each status,
// the statuses it may move to. Declined, withdrawn and closed are final.
// It returns a copy: changing it changes nothing.
func Transitions() map[Status][]Status {
	out := make(map[Status][]Status, len(transitions))
	for k, v := range transitions {
		out[k] = slices.Clone(v)
	}
	return out
}

// transitions is the state machine Transitions returns a copy of.
var transitions = map[Status][]Status{
	Draft:              {Submitted, Withdrawn},
	Submitted:          {InfoRequested, EligibilityChecked, Declined, Withdrawn},
	InfoRequested:      {Resubmitted, Withdrawn},
	Resubmitted:        {InfoRequested, EligibilityChecked, Declined, Withdrawn},
	EligibilityChecked: {UnderReview, Declined, Withdrawn},
	UnderReview:        {Approved, Declined, Withdrawn},
	Approved:           {Awarded, Withdrawn},
	Awarded:            {Paid},
	Paid:               {Monitored},
	Monitored:          {Closed},
}

var machine = lifecycle.New(transitions)

// move checks and makes a status change.
func move(a *Application, to Status) error {
	if err := machine.Check(a.Status, to); err != nil {
		return fieldErr(ErrInvalidTransition, "Status", "application %s: %v", a.ID, err)
	}
	a.Status = to
	return nil
}

// committed reports whether an application in status s holds part of its
// fund's budget.
func committed(s Status) bool {
	switch s {
	case Approved, Awarded, Paid, Monitored, Closed:
		return true
	}
	return false
}

// IsAwarded reports whether the application has been awarded a grant
// (awarded, paid, monitored or closed).
func (a *Application) IsAwarded() bool { return committed(a.Status) && a.Status != Approved }

// Unpaid is the award less what has been paid.
func (a *Application) Unpaid() decimal.Decimal { return a.Award.Sub(a.Paid) }

// PledgedMinutes is the time all supporters pledged.
func (a *Application) PledgedMinutes() int64 {
	var n int64
	for _, s := range a.Supporters {
		n += s.Pledged
	}
	return n
}

// DeliveredMinutes is the time all supporters gave.
func (a *Application) DeliveredMinutes() int64 {
	var n int64
	for _, s := range a.Supporters {
		n += s.Delivered
	}
	return n
}

// Conflict is a panel member's declared conflict of interest.
type Conflict struct {
	Member string
	Reason string
	At     time.Time
}

// Score is one panel member's scores, by criterion. Excluded is set when
// the member declared a conflict of interest: the score is kept on record
// but not counted.
type Score struct {
	Member   string
	Scores   map[string]int
	Total    int
	Comment  string
	Excluded bool
	At       time.Time
}

// Decision is the approval or refusal: who, when, why and on what scores.
type Decision struct {
	By       string
	At       time.Time
	Approved bool
	Amount   decimal.Decimal // the award, when approved
	Reason   string
	// Counted is how many scores were counted; Mean is their average
	// total, to two decimal places.
	Counted int
	Mean    decimal.Decimal
}

// Payment is one instalment paid on an award.
type Payment struct {
	ID        string
	Amount    decimal.Decimal
	Reference string
	By        string
	At        time.Time
}

// Outcome is what the group reports after the project.
type Outcome struct {
	Summary       string
	PeopleReached int
	Photos        []string // links to photos
	At            time.Time
	By            string
}

// NewApplication is what an applicant fills in.
type NewApplication struct {
	Fund         string
	Round        string
	Title        string
	Description  string
	Idea         string
	Applicant    Applicant
	Ward         string
	Amount       decimal.Decimal
	Costs        []Cost
	Purposes     []string
	Priorities   []string
	Supporters   []Supporter
	CashMatch    decimal.Decimal
	InKindMatch  decimal.Decimal
	PlannedStart *time.Time
	PlannedEnd   *time.Time
}

// Validate checks the form's fields: everything but the fund's own rules.
func (n *NewApplication) Validate() error {
	for _, c := range []struct {
		field, s string
		max      int
	}{{"Fund", n.Fund, MaxID}, {"Round", n.Round, MaxID}, {"Title", n.Title, MaxName}, {"Description", n.Description, MaxDescription},
		{"Idea", n.Idea, maxIdea}, {"Ward", n.Ward, MaxWard}} {
		if err := checkText(c.field, c.s, c.max); err != nil {
			return err
		}
	}
	if err := checkTexts("Purposes", n.Purposes, MaxTag); err != nil {
		return err
	}
	if err := checkTexts("Priorities", n.Priorities, MaxTag); err != nil {
		return err
	}
	if len(n.Purposes) > 50 || len(n.Priorities) > 50 || len(n.Costs) > 200 {
		return invalid("Purposes", "at most 50 purposes, 50 priorities and 200 costs")
	}
	switch {
	case n.Fund == "":
		return invalid("Fund", "is required")
	case n.Round == "":
		return invalid("Round", "is required")
	case strings.TrimSpace(n.Title) == "":
		return invalid("Title", "is required")
	case len(n.Title) > 200:
		return invalid("Title", "is longer than 200 characters")
	case len(n.Description) > 5000:
		return invalid("Description", "is longer than 5000 characters")
	case len(n.Ward) > 100:
		return invalid("Ward", "is longer than 100 characters")
	case len(ideaKey(n.Idea)) > maxIdea:
		return invalid("Idea", "is longer than %d characters", maxIdea)
	}
	if err := n.Applicant.Validate(); err != nil {
		return err
	}
	if err := CheckMoney("Amount", n.Amount, true); err != nil {
		return err
	}
	if err := CheckMoney("CashMatch", n.CashMatch, false); err != nil {
		return err
	}
	if err := CheckMoney("InKindMatch", n.InKindMatch, false); err != nil {
		return err
	}
	if len(n.Costs) > 0 {
		sum := decimal.Zero
		for i, c := range n.Costs {
			f := fmt.Sprintf("Costs[%d]", i)
			if err := checkText(f+".Item", c.Item, MaxName); err != nil {
				return err
			}
			if strings.TrimSpace(c.Item) == "" {
				return invalid(f+".Item", "is required")
			}
			if err := CheckMoney(f+".Amount", c.Amount, true); err != nil {
				return err
			}
			sum = sum.Add(c.Amount)
		}
		if !sum.Equal(n.Amount) {
			return invalid("Costs", "add up to %s, not the %s requested", pounds(sum), pounds(n.Amount))
		}
	}
	if len(n.Supporters) > 200 {
		return invalid("Supporters", "more than 200 supporters")
	}
	for i, s := range n.Supporters {
		f := fmt.Sprintf("Supporters[%d]", i)
		if err := checkText(f+".Name", s.Name, MaxName); err != nil {
			return err
		}
		if strings.TrimSpace(s.Name) == "" {
			return invalid(f+".Name", "is required")
		}
		// One person counts once: the same name again (ignoring case
		// and spacing) would count them twice towards the supporters a
		// fund needs, and their time given could not be told apart.
		if j := slices.IndexFunc(n.Supporters[:i], func(o Supporter) bool { return sameSupporter(o.Name, s.Name) }); j >= 0 {
			return invalid(f+".Name", "%q is supporter %d already; each supporter is a different person", strings.TrimSpace(s.Name), j+1)
		}
		if s.Pledged < 0 || s.Pledged > 24*60*366 {
			return invalid(f+".Pledged", "%d minutes is out of range", s.Pledged)
		}
		if s.Delivered != 0 {
			return invalid(f+".Delivered", "time given is recorded after the project")
		}
	}
	if n.PlannedStart != nil && n.PlannedEnd != nil && n.PlannedEnd.Before(*n.PlannedStart) {
		return invalid("PlannedEnd", "the project ends before it starts")
	}
	return nil
}

// sameSupporter reports whether two supporters' names are the same
// person's: equal once trimmed and case-folded.
func sameSupporter(x, y string) bool {
	return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(y))
}

// ideaKey normalises an idea or title so the same idea matches itself.
// maxIdea is the longest idea key a store claims (Commit.Idea).
const maxIdea = 500

func ideaKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// fill copies the form into a.
func (a *Application) fill(n *NewApplication) {
	a.Title = strings.TrimSpace(n.Title)
	a.Description = strings.TrimSpace(n.Description)
	a.Idea = ideaKey(n.Idea)
	if a.Idea == "" {
		a.Idea = ideaKey(n.Title)
	}
	a.Applicant = n.Applicant
	a.Ward = strings.TrimSpace(n.Ward)
	a.Amount = n.Amount
	a.Costs = n.Costs
	a.Purposes = n.Purposes
	a.Priorities = n.Priorities
	a.Supporters = n.Supporters
	a.CashMatch = n.CashMatch
	a.InKindMatch = n.InKindMatch
	a.PlannedStart = n.PlannedStart
	a.PlannedEnd = n.PlannedEnd
}
