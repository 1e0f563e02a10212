package grants

import (
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// Limits on free text, in characters. Every text field the package stores
// is checked against one of these, and refused (a *FieldError wrapping
// ErrInvalid) when it is longer, holds a NUL byte or is not valid UTF-8,
// before any store sees it.
const (
	MaxID          = 100  // ids: of staff, funds, rounds, applications and actors
	MaxName        = 200  // names: of funds, rounds, staff, applicants, contacts, supporters, cost items; titles
	MaxEmail       = 254  // an email address
	MaxPostcode    = 16   // a postcode
	MaxWard        = 100  // a ward's name
	MaxTag         = 200  // a priority, a purpose, a criterion
	MaxReason      = 2000 // a reason, a comment, a note, a payment reference's longer cousin
	MaxReference   = 200  // a payment reference
	MaxDescription = 5000 // a fund's or application's description; an outcome's summary
	MaxLink        = 2000 // a link to a photo
	MaxLinks       = 20   // photos on one outcome
)

// checkText refuses text that is not valid UTF-8, holds a NUL byte or is
// longer than max characters.
func checkText(field, s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8 text")
	case strings.IndexByte(s, 0) >= 0:
		return invalid(field, "holds a NUL byte")
	case len(s) > max && utf8.RuneCountInString(s) > max:
		return invalid(field, "is longer than %d characters", max)
	}
	return nil
}

// checkTexts checks each of xs as checkText does.
func checkTexts(field string, xs []string, max int) error {
	for i, x := range xs {
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), x, max); err != nil {
			return err
		}
	}
	return nil
}

// checkID checks an id given by a caller: required, and text within MaxID.
func checkID(field, id string) error {
	if strings.TrimSpace(id) == "" {
		return invalid(field, "is required")
	}
	return checkText(field, id, MaxID)
}

// redacted stands for a name or contact detail in logs and %v.
const redacted = "[redacted]"

// String returns the applicant's type, never their name or contact
// details, so that printing an Applicant with %v does not leak them.
func (a Applicant) String() string {
	if a.OrgID != "" {
		return fmt.Sprintf("%s %s", a.Type, a.OrgID)
	}
	return fmt.Sprintf("%s %s", a.Type, redacted)
}

// GoString is String, so that %#v redacts too.
func (a Applicant) GoString() string { return a.String() }

// LogValue logs the applicant's type and organisation id only.
func (a Applicant) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(a.Type)), slog.String("org_id", a.OrgID), slog.String("name", redacted))
}

// String returns the supporter's pledge, never their name.
func (s Supporter) String() string {
	return fmt.Sprintf("supporter %s (pledged %dm, gave %dm)", redacted, s.Pledged, s.Delivered)
}

// GoString is String, so that %#v redacts too.
func (s Supporter) GoString() string { return s.String() }

// LogValue logs the supporter's minutes only.
func (s Supporter) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", redacted), slog.Int64("pledged", s.Pledged), slog.Int64("delivered", s.Delivered))
}

// String returns the staff member's id and roles, never their name.
func (s Staff) String() string { return fmt.Sprintf("staff %s %v", s.ID, s.Roles) }

// GoString is String, so that %#v redacts too.
func (s Staff) GoString() string { return s.String() }

// LogValue logs the staff member's id, roles and whether they are active.
func (s Staff) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", s.ID), slog.Any("roles", s.Roles), slog.Bool("active", s.Active))
}

// String returns the application's id, fund and status, never the
// applicant's details or the text they wrote.
func (a Application) String() string {
	return fmt.Sprintf("application %s (fund %s, %s)", a.ID, a.Fund, a.Status)
}

// GoString is String, so that %#v redacts too.
func (a Application) GoString() string { return a.String() }

// LogValue logs the application's ids, status and amounts only.
func (a Application) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", a.ID), slog.String("fund", a.Fund), slog.String("round", a.Round),
		slog.String("owner", a.Owner), slog.String("status", string(a.Status)), slog.String("amount", a.Amount.String()))
}

// String returns the form's fund and round, never the applicant's details.
func (n NewApplication) String() string {
	return fmt.Sprintf("application form (fund %s, round %s)", n.Fund, n.Round)
}

// GoString is String, so that %#v redacts too.
func (n NewApplication) GoString() string { return n.String() }

// LogValue logs the form's fund, round and amount only.
func (n NewApplication) LogValue() slog.Value {
	return slog.GroupValue(slog.String("fund", n.Fund), slog.String("round", n.Round), slog.String("amount", n.Amount.String()))
}

// String returns the event's action, subject, actor and statuses, never
// its note, which may hold text a person wrote.
func (e Event) String() string {
	return fmt.Sprintf("event %d %s %s by %s (%s → %s)", e.Seq, e.Action, e.Subject, e.Actor, e.From, e.To)
}

// GoString is String, so that %#v redacts too.
func (e Event) GoString() string { return e.String() }

// LogValue logs the event without its note.
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("seq", e.Seq), slog.String("action", e.Action), slog.String("subject", e.Subject),
		slog.String("actor", e.Actor), slog.String("from", string(e.From)), slog.String("to", string(e.To)))
}

// String returns the outcome's count, never its summary or photos.
func (o Outcome) String() string { return fmt.Sprintf("outcome (%d people reached)", o.PeopleReached) }

// GoString is String, so that %#v redacts too.
func (o Outcome) GoString() string { return o.String() }

// LogValue logs the outcome's count only.
func (o Outcome) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("people_reached", o.PeopleReached), slog.String("by", o.By))
}

// String returns the new staff member's id and roles, never their name.
func (n NewStaff) String() string { return fmt.Sprintf("new staff %s %v", n.ID, n.Roles) }

// GoString is String, so that %#v redacts too.
func (n NewStaff) GoString() string { return n.String() }

// LogValue logs the new staff member's id and roles only.
func (n NewStaff) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", n.ID), slog.Any("roles", n.Roles), slog.String("name", redacted))
}

// String says which fields the update sets, never the name it gives.
func (u StaffUpdate) String() string {
	var set []string
	if u.Name != nil {
		set = append(set, "Name")
	}
	if u.Roles != nil {
		set = append(set, fmt.Sprintf("Roles=%v", *u.Roles))
	}
	if u.Active != nil {
		set = append(set, fmt.Sprintf("Active=%t", *u.Active))
	}
	return fmt.Sprintf("staff update %v", set)
}

// GoString is String, so that %#v redacts too.
func (u StaffUpdate) GoString() string { return u.String() }

// LogValue logs which fields the update sets, never the name.
func (u StaffUpdate) LogValue() slog.Value { return slog.StringValue(u.String()) }
