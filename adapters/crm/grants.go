package crm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// GrantApplications returns the Applier that stores grant applications
// made in the CRM (a council that takes applications on its own forms)
// through svc, as actor, into a fund's round, and submits them: actor
// becomes each application's owner, as Draft makes it. Fields: title,
// description, idea, applicant_type (charity, company,
// unconstituted-group, individual), applicant_name, org_id,
// contact_name, email, phone, postcode, ward, amount (pounds), cash_match
// and in_kind_match (pounds, optional), priorities and purposes (each
// separated by ";"), and supporters ("Name=minutes" pledged, separated by
// ";"). A record whose fields do not parse, or that the Service refuses
// (invalid, unknown fund or round, a round not open), is rejected. A
// record drafted but refused at submission (the round is not open) is
// withdrawn at once and rejected, so nothing of it is left half-done; a
// sync stopped between the draft and the submission replays the draft
// (same key) and submits it when resumed. An update is a resubmission:
// the Service accepts it only while the fund has asked the applicant for
// more information.
func GrantApplications(svc *grants.Service, actor call.Actor, fund, round string) Applier {
	return &grantApplications{svc: svc, actor: actor, fund: fund, round: round}
}

type grantApplications struct {
	svc         *grants.Service
	actor       call.Actor
	fund, round string
}

func grantsErr(err error) error {
	return rejectIf(err, grants.ErrInvalid, grants.ErrNotFound, grants.ErrConflict, grants.ErrInvalidTransition)
}

func grantsField(field, reason string) error {
	return Reject(&grants.FieldError{Field: field, Reason: reason, Err: grants.ErrInvalid})
}

// pounds parses an amount of money in pounds; empty is zero unless
// required.
func pounds(field, s string, required bool) (decimal.Decimal, error) {
	if s == "" && !required {
		return decimal.Zero, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, grantsField(field, "is not an amount in pounds (e.g. 250.00)")
	}
	return d, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (a *grantApplications) application(r Record) (grants.NewApplication, error) {
	f := r.Fields
	in := grants.NewApplication{Fund: a.fund, Round: a.round, Title: f["title"], Description: f["description"], Idea: f["idea"],
		Applicant: grants.Applicant{Type: grants.ApplicantType(f["applicant_type"]), Name: f["applicant_name"], OrgID: f["org_id"],
			ContactName: f["contact_name"], Email: f["email"], Phone: f["phone"], Postcode: f["postcode"]},
		Ward: f["ward"], Priorities: splitList(f["priorities"]), Purposes: splitList(f["purposes"])}
	var err error
	if in.Amount, err = pounds("amount", f["amount"], true); err != nil {
		return in, err
	}
	if in.CashMatch, err = pounds("cash_match", f["cash_match"], false); err != nil {
		return in, err
	}
	if in.InKindMatch, err = pounds("in_kind_match", f["in_kind_match"], false); err != nil {
		return in, err
	}
	for i, s := range splitList(f["supporters"]) {
		name, mins, ok := strings.Cut(s, "=")
		n, err := strconv.ParseInt(strings.TrimSpace(mins), 10, 64)
		if !ok || err != nil || n < 0 {
			return in, grantsField("supporters", fmt.Sprintf("supporter %d is not Name=minutes", i+1))
		}
		in.Supporters = append(in.Supporters, grants.Supporter{Name: strings.TrimSpace(name), Pledged: n})
	}
	if err := in.Validate(); err != nil {
		return in, Reject(err)
	}
	return in, nil
}

func (a *grantApplications) Create(ctx context.Context, key string, r Record) (string, error) {
	in, err := a.application(r)
	if err != nil {
		return "", err
	}
	app, err := a.svc.Draft(ctx, a.actor.Key(key), in)
	if err != nil {
		return "", grantsErr(err)
	}
	// Submit even a replayed draft: its key replays a submission made
	// before, whatever the application's state now, and a draft never
	// submitted is submitted.
	if _, err := a.svc.Submit(ctx, a.actor.Key(stepKey(key, "submit")), app.ID); err != nil {
		if rj := grantsErr(err); rj != err {
			// Refused (a round not open): withdraw the draft, so
			// nothing of the record is left half-done.
			if _, werr := a.svc.Withdraw(ctx, a.actor.Key(stepKey(key, "withdraw")), app.ID, "not submitted from the CRM"); werr != nil {
				return "", fmt.Errorf("withdraw %s after its submission was refused (%v): %w", app.ID, err, werr)
			}
			return "", Reject(fmt.Errorf("drafted as %s, not submitted, withdrawn: %w", app.ID, err))
		}
		return "", err
	}
	return app.ID, nil
}

func (a *grantApplications) Update(ctx context.Context, key string, id string, r Record) error {
	in, err := a.application(r)
	if err != nil {
		return err
	}
	_, err = a.svc.Resubmit(ctx, a.actor.Key(key), id, &in)
	return grantsErr(err)
}

// GrantAwards returns the EventSource of a fund's grant awards, read
// through svc as actor (an officer) from the grants audit trail. Each
// award is an item of kind grant_award with the id
// "grant_award:APPLICATION" (an application is awarded once), the
// application's id as its ExternalID, the award event's Seq as its
// Version, and the fields application, fund, amount (pounds, two places)
// and awarded (YYYY-MM-DD). The amount is the one the award event
// recorded (grants.Event.Amount), the grant at the time of the award;
// only an award event without one (written before events kept amounts,
// its note since erased) takes the application's award now. It carries
// ids and the amount only, no
// applicant's details. An award whose application is no longer found is
// passed over (its id logged at Warn, nothing else), so the awards after
// it are still pushed. The mark is the Seq of the last event read.
func GrantAwards(svc *grants.Service, actor call.Actor, fund string) EventSource {
	return GrantAwardsLog(svc, actor, fund, nil)
}

// GrantAwardsLog is GrantAwards logging the awards it passes over to log
// (nil: none).
func GrantAwardsLog(svc *grants.Service, actor call.Actor, fund string, log *slog.Logger) EventSource {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &grantAwards{svc: svc, actor: actor, fund: fund, log: log}
}

type grantAwards struct {
	svc   *grants.Service
	actor call.Actor
	fund  string
	log   *slog.Logger
}

// awardAction is the grants audit trail's action for an award.
const awardAction = "application.award"

func (g *grantAwards) Since(ctx context.Context, mark string, limit int) ([]Pending, string, error) {
	after, err := seqMark(mark)
	if err != nil {
		return nil, mark, err
	}
	evs, err := g.svc.Events(ctx, g.actor, grants.EventFilter{Fund: g.fund, After: after, Limit: limit})
	if err != nil {
		return nil, mark, fmt.Errorf("grant awards: %w", err)
	}
	next := mark
	var out []Pending
	for _, e := range evs {
		next = seqString(e.Seq)
		if e.Action != awardAction {
			continue
		}
		app, err := g.svc.Application(ctx, g.actor, e.Subject)
		if errors.Is(err, grants.ErrNotFound) {
			g.log.Warn("crm grant awards: award of an application not found, passed over", "application", e.Subject, "seq", e.Seq)
			continue
		}
		if err != nil {
			return nil, mark, fmt.Errorf("grant awards: %w", err)
		}
		amount := e.Amount
		if amount.IsZero() { // an event written before events kept amounts, its note erased
			amount = app.Award
		}
		out = append(out, Pending{Mark: next, Item: Item{ID: "grant_award:" + app.ID, Record: Record{Kind: GrantAward,
			ExternalID: app.ID, Version: e.Seq, Fields: map[string]string{"application": app.ID, "fund": app.Fund,
				"amount": amount.StringFixed(2), "awarded": e.At.Format(time.DateOnly)}}}})
	}
	return out, next, nil
}
