package grants

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// erased stands for erased text.
const erased = "(erased)"

// EraseApplicant erases the person who drafted applications as owner: in
// every application they own, the applicant's name and postcode (when the
// applicant is an individual), the contact's name, email and phone, the
// supporters' names, and all free text on it (title, description, idea,
// cost items, notes and reasons, panel comments, payment references, the
// outcome's summary and photos, eligibility reasons), and the notes of
// every audit event about those applications. What is kept is listed in
// the package doc. Only an officer may. It returns how many applications
// were erased. Errors: ErrInvalid, ErrForbidden, ErrNotFound (the owner
// has no applications).
func (s *Service) EraseApplicant(ctx context.Context, w call.Write, owner string) (int, error) {
	actor := w.Actor.ID
	n, err := do(ctx, s, w, "application.erase", owner, func(ctx context.Context) error {
		if err := checkID("owner", owner); err != nil {
			return err
		}
		return s.officer(w)(ctx)
	}, func(now time.Time) (*Batch, string, error) {
		apps, err := s.store.Applications(ctx, ApplicationFilter{Owner: owner})
		if err != nil {
			return nil, "", err
		}
		if len(apps) == 0 {
			return nil, "", fieldErr(ErrNotFound, "owner", "%s owns no applications", owner)
		}
		b := &Batch{}
		for _, a := range apps {
			erase(a)
			a.UpdatedAt, a.UpdatedBy = now, actor
			a.Version++
			b.Applications = append(b.Applications, a)
			b.Erasures = append(b.Erasures, Erasure{Application: a.ID, Idea: a.Idea})
			b.Events = append(b.Events, Event{Fund: a.Fund, At: now, Actor: actor, Action: "application.erase", Subject: a.ID,
				From: a.Status, To: a.Status})
		}
		return b, strconv.Itoa(len(apps)), nil
	}, func(_ context.Context, result string) (int, error) { return strconv.Atoi(result) })
	if err != nil {
		return 0, fmt.Errorf("erase applicant %s: %w", owner, err)
	}
	return n, nil
}

// erase replaces the personal data and free text of a.
func erase(a *Application) {
	if a.Applicant.Type == Individual || a.Applicant.Type == UnconstitutedGroup {
		a.Applicant.Name = "erased " + a.ID
		a.Applicant.Postcode = ""
	}
	a.Applicant.ContactName, a.Applicant.Email, a.Applicant.Phone = erased, "", ""
	a.Title, a.Description, a.Note = erased, "", ""
	a.Idea = "erased " + a.ID
	for i := range a.Costs {
		a.Costs[i].Item = erased
	}
	for i := range a.Supporters {
		a.Supporters[i].Name = supporterPseudonym(i)
	}
	if a.Eligibility != nil {
		for i := range a.Eligibility.Checks {
			a.Eligibility.Checks[i].Reason = ""
		}
	}
	for i := range a.Conflicts {
		a.Conflicts[i].Reason = ""
	}
	for i := range a.Scores {
		a.Scores[i].Comment = ""
	}
	if a.Decision != nil {
		a.Decision.Reason = ""
	}
	for i := range a.Payments {
		a.Payments[i].Reference = ""
	}
	if a.Outcome != nil {
		a.Outcome.Summary, a.Outcome.Photos = "", nil
	}
}

func supporterPseudonym(i int) string { return fmt.Sprintf("(erased supporter %d)", i+1) }

// EraseSupporter erases a supporter of an application who asks to be
// forgotten: their name becomes "(erased supporter N)" in the list of
// supporters and in every free text of the application (title,
// description, costs, scores, reasons, outcome, and the idea it claims);
// the notes of the application's audit events are blanked, as they may
// quote the name; and an SQLite store leaves no copy in its files. The
// minutes they pledged and gave are kept. Only an officer may. Errors:
// ErrInvalid (no such supporter), ErrForbidden, ErrNotFound.
func (s *Service) EraseSupporter(ctx context.Context, w call.Write, appID, name string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.erase-supporter", name, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		for i := range a.Supporters {
			if sameSupporter(a.Supporters[i].Name, name) {
				pseudonym := supporterPseudonym(i)
				old := a.Supporters[i].Name
				a.Supporters[i].Name = pseudonym
				a.Note = ""
				freeText(a, func(p *string) { *p = replaceName(*p, old, pseudonym) })
				b.Erasures = append(b.Erasures, Erasure{Application: a.ID, Idea: a.Idea})
				return nil
			}
		}
		return invalid("name", "is not a supporter of application %s", a.ID)
	})
}

// freeText calls fn with every free text of a that a person wrote and
// that may quote a name.
func freeText(a *Application, fn func(*string)) {
	fn(&a.Title)
	fn(&a.Description)
	fn(&a.Note)
	fn(&a.Idea)
	for i := range a.Costs {
		fn(&a.Costs[i].Item)
	}
	if a.Eligibility != nil {
		for i := range a.Eligibility.Checks {
			fn(&a.Eligibility.Checks[i].Reason)
		}
	}
	for i := range a.Conflicts {
		fn(&a.Conflicts[i].Reason)
	}
	for i := range a.Scores {
		fn(&a.Scores[i].Comment)
	}
	if a.Decision != nil {
		fn(&a.Decision.Reason)
	}
	for i := range a.Payments {
		fn(&a.Payments[i].Reference)
	}
	if a.Outcome != nil {
		fn(&a.Outcome.Summary)
		for i := range a.Outcome.Photos {
			fn(&a.Outcome.Photos[i])
		}
	}
}

// replaceName replaces every occurrence of name in text, in any case and
// however its words are spaced, with with.
func replaceName(text, name, with string) string {
	words := strings.Fields(name)
	if len(words) == 0 || text == "" {
		return text
	}
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	re := regexp.MustCompile(`(?i)` + strings.Join(words, `\s+`))
	return re.ReplaceAllLiteralString(text, with)
}
