package grants

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// Draft starts an application; the actor becomes its owner. Anyone may
// apply. The actor's id is kept as a pseudonymous id after an erasure
// (EraseApplicant), so it must not be the person's email or name. Errors: ErrInvalid (a *FieldError naming the field: an amount
// with more than 2 decimal places, negative or zero, no way to contact the
// applicant, …), ErrNotFound (no such fund or round).
func (s *Service) Draft(ctx context.Context, w call.Write, in NewApplication) (*Application, error) {
	actor := w.Actor.ID
	a, err := do(ctx, s, w, "application.draft", in, func(context.Context) error { return nil }, func(now time.Time) (*Batch, string, error) {
		if err := in.Validate(); err != nil {
			return nil, "", err
		}
		r, err := s.round(ctx, in.Fund, in.Round)
		if err != nil {
			return nil, "", err
		}
		a := &Application{ID: s.newID("app", now), Fund: in.Fund, Round: r.ID, Year: r.Year, Owner: actor,
			Status: Draft, CreatedAt: now, UpdatedAt: now, UpdatedBy: actor, Version: 1}
		a.fill(&in)
		return &Batch{Applications: []*Application{a}, Events: []Event{{Fund: a.Fund, At: now, Actor: actor,
			Action: "application.draft", Subject: a.ID, To: Draft}}}, a.ID, nil
	}, s.store.Application)
	if err != nil {
		return nil, fmt.Errorf("draft application: %w", err)
	}
	return a, nil
}

func (s *Service) round(ctx context.Context, fund, round string) (*Round, error) {
	r, err := s.store.Round(ctx, round)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrNotFound, "Round", "no round %s", round)
	}
	if err != nil {
		return nil, err
	}
	if r.Fund != fund {
		return nil, invalid("Round", "round %s belongs to another fund", round)
	}
	return r, nil
}

// change runs one write to an application: fn checks the actor and
// changes a (and may add commits and pays to b); the Service records the
// event, the actor and the time.
func (s *Service) change(ctx context.Context, w call.Write, appID, op string, req any,
	allow func(ctx context.Context) error,
	fn func(a *Application, f *Fund, now time.Time, b *Batch) error,
) (*Application, error) {
	actor := w.Actor.ID
	a, err := do(ctx, s, w, op, struct {
		Application string
		Req         any
	}{appID, req}, func(ctx context.Context) error {
		if err := checkID("application", appID); err != nil {
			return err
		}
		return allow(ctx)
	}, func(now time.Time) (*Batch, string, error) {
		a, err := s.store.Application(ctx, appID)
		if err != nil {
			return nil, "", err
		}
		f, err := s.store.Fund(ctx, a.Fund)
		if err != nil {
			return nil, "", err
		}
		from := a.Status
		b := &Batch{}
		if err := fn(a, f, now, b); err != nil {
			return nil, "", err
		}
		a.UpdatedAt, a.UpdatedBy = now, actor
		a.Version++
		b.Applications = append(b.Applications, a)
		b.Events = append(b.Events, Event{Fund: a.Fund, At: now, Actor: actor, Action: op, Subject: a.ID,
			From: from, To: a.Status, Note: a.Note, Amount: moved(op, a)})
		return b, a.ID, nil
	}, s.store.Application)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, appID, err)
	}
	return a, nil
}

// moved returns the money a change of a moved, for its event: the grant
// an award makes, the instalment a payment records; otherwise the zero
// Decimal, as an Event without an amount holds.
func moved(op string, a *Application) decimal.Decimal {
	switch op {
	case "application.award":
		return a.Award
	case "application.pay":
		if n := len(a.Payments); n > 0 {
			return a.Payments[n-1].Amount
		}
	}
	return decimal.Decimal{}
}

// panel is the allow check of writes a panel member may make.
func (s *Service) panel(w call.Write) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := s.staff(ctx, w.Actor.ID, RolePanel)
		return err
	}
}

// owns is the allow check of writes the application's owner (or, when
// officers is true, an officer) may make. It reads the application only
// for someone who is not an officer, and gives a stranger ErrForbidden
// whether or not the application exists.
func (s *Service) owns(actor, appID string, officers bool) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if officers && s.isStaff(ctx, actor, RoleOfficer) {
			return nil
		}
		a, err := s.store.Application(ctx, appID)
		if errors.Is(err, ErrNotFound) || err == nil && a.Owner != actor {
			return fieldErr(ErrForbidden, "actor", "%s does not own application %s", actor, appID)
		}
		return err
	}
}

// owner checks that actor owns a (or, when officers may too, is an
// officer).
func (s *Service) owner(ctx context.Context, actor string, a *Application, officers bool) error {
	if actor == a.Owner || officers && s.isStaff(ctx, actor, RoleOfficer) {
		return nil
	}
	return fieldErr(ErrForbidden, "actor", "%s does not own application %s", actor, a.ID)
}

func reasonOf(reason string) (string, error) {
	if err := checkText("reason", reason, MaxReason); err != nil {
		return "", err
	}
	r := strings.TrimSpace(reason)
	if r == "" {
		return "", invalid("reason", "is required")
	}
	if len(r) > 2000 {
		return "", invalid("reason", "is longer than 2000 characters")
	}
	return r, nil
}

// Submit sends a draft to the fund. Only the owner may, while the round
// is open. Errors: ErrForbidden, ErrInvalidTransition (not a draft, or
// the round is not open), ErrNotFound.
func (s *Service) Submit(ctx context.Context, w call.Write, appID string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.submit", nil, s.owns(w.Actor.ID, appID, false), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if err := s.owner(ctx, actor, a, false); err != nil {
			return err
		}
		r, err := s.store.Round(ctx, a.Round)
		if err != nil {
			return err
		}
		if !r.Open(now) {
			return fieldErr(ErrInvalidTransition, "Round", "round %s takes applications from %s to %s",
				r.ID, r.Opens.Format(time.DateOnly), r.Closes.Format(time.DateOnly))
		}
		a.Note = ""
		return move(a, Submitted)
	})
}

// RequestInfo asks the applicant for more information. An officer may.
// Errors: ErrForbidden, ErrInvalid (no reason), ErrInvalidTransition.
func (s *Service) RequestInfo(ctx context.Context, w call.Write, appID, reason string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.request-info", reason, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		r, err := reasonOf(reason)
		if err != nil {
			return err
		}
		a.Note = r
		return move(a, InfoRequested)
	})
}

// Resubmit answers a request for information, with changes to the form
// when in is not nil (its Fund and Round must stay the same). Only the
// owner may. Errors: ErrForbidden, ErrInvalid, ErrInvalidTransition.
func (s *Service) Resubmit(ctx context.Context, w call.Write, appID string, in *NewApplication) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.resubmit", in, s.owns(w.Actor.ID, appID, false), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if err := s.owner(ctx, actor, a, false); err != nil {
			return err
		}
		if in != nil {
			if err := in.Validate(); err != nil {
				return err
			}
			if in.Fund != a.Fund || in.Round != a.Round {
				return invalid("Round", "an application stays in its fund and round")
			}
			a.fill(in)
		}
		a.Note = ""
		return move(a, Resubmitted)
	})
}

func (s *Service) evaluate(ctx context.Context, a *Application, f *Fund) (Eligibility, error) {
	before, err := s.fundedBefore(ctx, a)
	if err != nil {
		return Eligibility{}, err
	}
	return Evaluate(f.Rules, a, Env{Fund: f, FundedBefore: before}), nil
}

// fundedBefore reports whether another application with a's idea holds
// (or held) an award from a's fund.
func (s *Service) fundedBefore(ctx context.Context, a *Application) (bool, error) {
	same, err := s.store.Applications(ctx, ApplicationFilter{Fund: a.Fund, Idea: a.Idea,
		Status: []Status{Approved, Awarded, Paid, Monitored, Closed}})
	if err != nil {
		return false, err
	}
	for _, o := range same {
		if o.ID != a.ID {
			return true, nil
		}
	}
	return false, nil
}

// CheckEligibility runs the fund's rules and records the result: an
// application that passes moves to eligibility-checked; one that fails is
// declined, with the failed checks as the reason. An officer may.
// Errors: ErrForbidden, ErrInvalidTransition.
func (s *Service) CheckEligibility(ctx context.Context, w call.Write, appID string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.check", nil, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		if a.Status != Submitted && a.Status != Resubmitted {
			return fieldErr(ErrInvalidTransition, "Status", "application %s is %s; only a submitted application is checked", a.ID, a.Status)
		}
		e, err := s.evaluate(ctx, a, f)
		if err != nil {
			return err
		}
		a.Eligibility = &e
		if !e.Pass {
			a.Note = "not eligible: " + strings.Join(e.Failures(), "; ")
			return move(a, Declined)
		}
		a.Note = "eligible"
		return move(a, EligibilityChecked)
	})
}

// StartReview sends an eligible application to the panel. An officer may.
// Errors: ErrForbidden, ErrInvalidTransition.
func (s *Service) StartReview(ctx context.Context, w call.Write, appID string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.review", nil, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		a.Note = ""
		return move(a, UnderReview)
	})
}

// DeclareConflict records a panel member's conflict of interest in an
// application. Their score, before or after, is excluded. Errors:
// ErrForbidden (not a panel member), ErrInvalid (no reason),
// ErrInvalidTransition (not before or under review).
func (s *Service) DeclareConflict(ctx context.Context, w call.Write, appID, reason string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.conflict", reason, s.panel(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RolePanel); err != nil {
			return err
		}
		r, err := reasonOf(reason)
		if err != nil {
			return err
		}
		if a.Status != EligibilityChecked && a.Status != UnderReview {
			return fieldErr(ErrInvalidTransition, "Status", "application %s is %s, not before or under panel review", a.ID, a.Status)
		}
		if slices.ContainsFunc(a.Conflicts, func(c Conflict) bool { return c.Member == actor }) {
			return fieldErr(ErrInvalidTransition, "Conflicts", "%s declared a conflict already", actor)
		}
		a.Conflicts = append(a.Conflicts, Conflict{Member: actor, Reason: r, At: now})
		for i := range a.Scores {
			if a.Scores[i].Member == actor {
				a.Scores[i].Excluded = true
			}
		}
		a.Note = "conflict of interest declared"
		return nil
	})
}

// ScoreApplication records a panel member's scores, one per fund
// criterion, each from 0 to the fund's MaxScore. A member scores once. A
// conflicted member's score is recorded as excluded. Errors: ErrForbidden,
// ErrInvalid (a criterion missing, unknown or out of range),
// ErrInvalidTransition (not under review, or scored already).
func (s *Service) ScoreApplication(ctx context.Context, w call.Write, appID string, scores map[string]int, comment string) (*Application, error) {
	actor := w.Actor.ID
	req := struct {
		Scores  map[string]int
		Comment string
	}{scores, comment}
	return s.change(ctx, w, appID, "application.score", req, s.panel(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RolePanel); err != nil {
			return err
		}
		if a.Status != UnderReview {
			return fieldErr(ErrInvalidTransition, "Status", "application %s is %s, not under review", a.ID, a.Status)
		}
		if slices.ContainsFunc(a.Scores, func(sc Score) bool { return sc.Member == actor }) {
			return fieldErr(ErrInvalidTransition, "Scores", "%s scored application %s already", actor, a.ID)
		}
		total := 0
		for _, c := range f.Criteria {
			v, ok := scores[c]
			if !ok {
				return invalid("Scores", "criterion %q is not scored", c)
			}
			if v < 0 || v > f.MaxScore {
				return invalid("Scores", "%q scored %d; scores run from 0 to %d", c, v, f.MaxScore)
			}
			total += v
		}
		for c := range scores {
			if !slices.Contains(f.Criteria, c) {
				return invalid("Scores", "%q is not one of the fund's criteria", c)
			}
		}
		if err := checkText("comment", comment, MaxReason); err != nil {
			return err
		}
		conflicted := slices.ContainsFunc(a.Conflicts, func(c Conflict) bool { return c.Member == actor })
		a.Scores = append(a.Scores, Score{Member: actor, Scores: scores, Total: total, Comment: strings.TrimSpace(comment),
			Excluded: conflicted, At: now})
		a.Note = ""
		if conflicted {
			a.Note = "score excluded: conflict of interest"
		}
		return nil
	})
}

// counted returns the number of unconflicted scores and their mean total.
func counted(a *Application) (int, decimal.Decimal) {
	n, sum := 0, 0
	for _, sc := range a.Scores {
		if !sc.Excluded {
			n++
			sum += sc.Total
		}
	}
	if n == 0 {
		return 0, decimal.Zero
	}
	return n, decimal.NewFromInt(int64(sum)).DivRound(decimal.NewFromInt(int64(n)), 2)
}

// Approve approves an application under review for an award of amount,
// committing it against the fund's budget for the round's year. The store
// refuses the commitment if awards plus pending approvals would exceed the
// budget, even when officers approve at the same moment. An officer
// (not conflicted) may, with a reason, once the panel's quorum of
// unconflicted scores is in. Unless the fund's rules allow an idea funded
// before, the approval claims the application's idea in the store with
// its commitment, so that of two applications with the same idea approved
// at the same moment only one succeeds. Errors: ErrForbidden, ErrInvalid
// (amount malformed or outside the fund's range, no reason),
// ErrIdeaFunded (a *FieldError on "Idea": the idea was funded already;
// it also matches ErrInvalid), ErrInvalidTransition, ErrOverBudget.
func (s *Service) Approve(ctx context.Context, w call.Write, appID string, amount decimal.Decimal, reason string) (*Application, error) {
	actor := w.Actor.ID
	req := struct{ Amount, Reason string }{amount.String(), reason}
	out, err := s.change(ctx, w, appID, "application.approve", req, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		if slices.ContainsFunc(a.Conflicts, func(c Conflict) bool { return c.Member == actor }) {
			return fieldErr(ErrForbidden, "actor", "%s declared a conflict of interest in application %s", actor, a.ID)
		}
		if err := CheckMoney("Amount", amount, true); err != nil {
			return err
		}
		if amount.LessThan(f.MinAward) || amount.GreaterThan(f.MaxAward) {
			return invalid("Amount", "%s is outside the fund's range of %s to %s", pounds(amount), pounds(f.MinAward), pounds(f.MaxAward))
		}
		if amount.GreaterThan(a.Amount) {
			return invalid("Amount", "%s is more than the %s requested", pounds(amount), pounds(a.Amount))
		}
		r, err := reasonOf(reason)
		if err != nil {
			return err
		}
		if a.Status != UnderReview {
			return fieldErr(ErrInvalidTransition, "Status", "application %s is %s; only an application under panel review can be approved", a.ID, a.Status)
		}
		n, mean := counted(a)
		if q := max(f.Quorum, 1); len(f.Criteria) > 0 && n < q {
			return fieldErr(ErrInvalidTransition, "Scores", "%d unconflicted panel scores; %d needed", n, q)
		}
		if _, ok := f.BudgetFor(a.Year); !ok {
			return fieldErr(ErrOverBudget, "Year", "fund %s has no budget for %d", f.ID, a.Year)
		}
		if err := move(a, Approved); err != nil {
			return err
		}
		a.Award = amount
		a.Note = r
		a.Decision = &Decision{By: actor, At: now, Approved: true, Amount: amount, Reason: r, Counted: n, Mean: mean}
		c := Commit{Fund: f.ID, Year: a.Year, Application: a.ID, Amount: amount}
		if claimsIdea(f, a) {
			c.Idea = a.Idea
		}
		b.Commits = append(b.Commits, c)
		return nil
	})
	if errors.Is(err, ErrIdeaFunded) {
		return nil, fmt.Errorf("application.approve %s: %w", appID, &FieldError{Field: "Idea", Reason: reasonFundedBefore, Err: ErrIdeaFunded})
	}
	return out, err
}

// claimsIdea reports whether approving a must claim its idea in the store:
// unless the fund's rules would pass the application with its idea funded
// before (the fund does not insist on new ideas), it must.
func claimsIdea(f *Fund, a *Application) bool {
	return a.Idea != "" && !Evaluate(f.Rules, a, Env{Fund: f, FundedBefore: true}).Pass
}

// Decline refuses an application, with a reason, recording the panel's
// counted scores. An officer may. Errors: ErrForbidden, ErrInvalid,
// ErrInvalidTransition.
func (s *Service) Decline(ctx context.Context, w call.Write, appID, reason string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.decline", reason, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		r, err := reasonOf(reason)
		if err != nil {
			return err
		}
		if err := move(a, Declined); err != nil {
			return err
		}
		n, mean := counted(a)
		a.Note = r
		a.Decision = &Decision{By: actor, At: now, Reason: r, Counted: n, Mean: mean}
		return nil
	})
}

// Withdraw takes an application out before it is awarded; an approved
// application's commitment is released. The owner or an officer may.
// Errors: ErrForbidden, ErrInvalid, ErrInvalidTransition.
func (s *Service) Withdraw(ctx context.Context, w call.Write, appID, reason string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.withdraw", reason, s.owns(w.Actor.ID, appID, true), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if err := s.owner(ctx, actor, a, true); err != nil {
			return err
		}
		r, err := reasonOf(reason)
		if err != nil {
			return err
		}
		wasApproved := a.Status == Approved
		if err := move(a, Withdrawn); err != nil {
			return err
		}
		if wasApproved {
			b.Commits = append(b.Commits, Commit{Fund: f.ID, Year: a.Year, Application: a.ID, Amount: decimal.Zero})
			a.Award = decimal.Zero
		}
		a.Note = r
		return nil
	})
}

// Award makes the grant to an approved application. An officer may.
// Errors: ErrForbidden, ErrInvalidTransition (the application is not
// approved: there is no award without an approval).
func (s *Service) Award(ctx context.Context, w call.Write, appID string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.award", nil, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		if a.Status != Approved {
			return fieldErr(ErrInvalidTransition, "Status", "application %s is %s; only an approved application can be awarded", a.ID, a.Status)
		}
		a.AwardedAt = &now
		a.Note = "awarded " + pounds(a.Award)
		return move(a, Awarded)
	})
}

// Pay records an instalment paid on an award. When the award is paid in
// full the application moves to paid. An officer may. Errors:
// ErrForbidden, ErrInvalid, ErrInvalidTransition (not awarded),
// ErrOverpaid (more than the unpaid award; nothing is written).
func (s *Service) Pay(ctx context.Context, w call.Write, appID string, amount decimal.Decimal, reference string) (*Application, error) {
	actor := w.Actor.ID
	req := struct{ Amount, Reference string }{amount.String(), reference}
	return s.change(ctx, w, appID, "application.pay", req, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		if err := CheckMoney("Amount", amount, true); err != nil {
			return err
		}
		if err := checkText("reference", reference, MaxReference); err != nil {
			return err
		}
		if a.Status != Awarded {
			return fieldErr(ErrInvalidTransition, "Status", "application %s is %s; payments are made on an awarded grant", a.ID, a.Status)
		}
		if amount.GreaterThan(a.Unpaid()) {
			return fieldErr(ErrOverpaid, "Amount", "%s is more than the %s unpaid of the %s award", pounds(amount), pounds(a.Unpaid()), pounds(a.Award))
		}
		p := Payment{ID: s.newID("pay", now), Amount: amount, Reference: strings.TrimSpace(reference), By: actor, At: now}
		a.Payments = append(a.Payments, p)
		a.Paid = a.Paid.Add(amount)
		b.Pays = append(b.Pays, Pay{Application: a.ID, Amount: amount})
		a.Note = "paid " + pounds(amount)
		if a.Paid.Equal(a.Award) {
			return move(a, Paid)
		}
		return nil
	})
}

// RecordDelivery records the time a supporter actually gave to an awarded
// project, against their pledge (it replaces an earlier figure). The
// owner or an officer may. Errors: ErrForbidden, ErrInvalid (no such
// supporter, minutes out of range), ErrInvalidTransition (not awarded).
func (s *Service) RecordDelivery(ctx context.Context, w call.Write, appID, supporter string, minutes int64) (*Application, error) {
	actor := w.Actor.ID
	req := struct {
		Supporter string
		Minutes   int64
	}{supporter, minutes}
	return s.change(ctx, w, appID, "application.delivery", req, s.owns(w.Actor.ID, appID, true), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if err := s.owner(ctx, actor, a, true); err != nil {
			return err
		}
		if !a.IsAwarded() || a.Status == Closed {
			return fieldErr(ErrInvalidTransition, "Status", "application %s is %s; time given is recorded on an awarded grant", a.ID, a.Status)
		}
		if minutes < 0 || minutes > 24*60*366 {
			return invalid("minutes", "%d is out of range", minutes)
		}
		if err := checkText("supporter", supporter, MaxName); err != nil {
			return err
		}
		i := slices.IndexFunc(a.Supporters, func(sp Supporter) bool { return sameSupporter(sp.Name, supporter) })
		if i < 0 {
			return invalid("supporter", "%q is not a supporter of application %s", supporter, a.ID)
		}
		a.Supporters[i].Delivered = minutes
		a.Note = fmt.Sprintf("supporter %d gave %s of %s pledged", i+1, hm(minutes), hm(a.Supporters[i].Pledged))
		return nil
	})
}

// ReportOutcome records the group's report after a paid project (photos,
// people reached, a summary) and moves it to monitored. The owner or an
// officer may. Errors: ErrForbidden, ErrInvalid, ErrInvalidTransition.
func (s *Service) ReportOutcome(ctx context.Context, w call.Write, appID string, o Outcome) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.outcome", o, s.owns(w.Actor.ID, appID, true), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if err := s.owner(ctx, actor, a, true); err != nil {
			return err
		}
		if err := checkText("Summary", o.Summary, MaxDescription); err != nil {
			return err
		}
		if strings.TrimSpace(o.Summary) == "" {
			return invalid("Summary", "is required")
		}
		if len(o.Photos) > MaxLinks {
			return invalid("Photos", "more than %d photos", MaxLinks)
		}
		if err := checkTexts("Photos", o.Photos, MaxLink); err != nil {
			return err
		}
		if o.PeopleReached < 0 {
			return invalid("PeopleReached", "is negative")
		}
		o.At, o.By = now, actor
		a.Outcome = &o
		a.Note = "outcome reported"
		return move(a, Monitored)
	})
}

// CloseApplication closes a monitored grant, with a note. An officer
// may. Errors: ErrForbidden, ErrInvalid, ErrInvalidTransition.
func (s *Service) CloseApplication(ctx context.Context, w call.Write, appID, note string) (*Application, error) {
	actor := w.Actor.ID
	return s.change(ctx, w, appID, "application.close", note, s.officer(w), func(a *Application, f *Fund, now time.Time, b *Batch) error {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return err
		}
		if err := checkText("note", note, MaxReason); err != nil {
			return err
		}
		a.Note = strings.TrimSpace(note)
		return move(a, Closed)
	})
}
