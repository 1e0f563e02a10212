package timebank

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// Issue asks to bring new credits into a bank for voluntary work a member
// is already doing, certified by an organisation they volunteer with.
type Issue struct {
	Member      string
	Minutes     int64
	Certifier   string    // the organisation member that certifies the work
	Date        time.Time // when the work was done; zero means now
	Description string
}

// Issue credits a member from their bank's issuing account, the only way
// new credits enter a bank, so the balances of a network including its
// issuing accounts always sum to zero. The actor must be the certifying
// organisation, active and of the member's network, or a coordinator.
// Errors: ErrInvalid, ErrNotFound, ErrForbidden (also for an organisation
// acting for itself while paused or after leaving, and for any member the
// actor may not credit, whether or not it exists), ErrInvalidTransition
// (member or certifier not active, when a coordinator issues),
// ErrInsufficientCredit (above the member's maximum).
func (s *Service) Issue(ctx context.Context, w call.Write, in Issue) (*Transfer, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		// A certifying organisation may issue only to members of its own
		// network; anyone else naming themself Certifier is refused before
		// the request is read, so the answer never says whether a member
		// exists or what state they are in.
		if actor != "" && actor == in.Certifier && in.Member != in.Certifier {
			m, err := s.store.Member(ctx, in.Member)
			if errors.Is(err, ErrNotFound) {
				return forbidden(actor, "may not issue credits to member %s", in.Member)
			}
			if err != nil {
				return err
			}
			n, err := s.bankOf(ctx, m.Bank)
			if err != nil {
				return err
			}
			if ok, err := s.activeOrganisation(ctx, actor, n.root); ok || err != nil {
				return err
			}
		}
		return s.coordinatorOfMember(ctx, actor, in.Member)
	}
	t, err := write(ctx, s, w, "credit.issue", in, allow, func(now time.Time) (*Batch, string, error) {
		m, n, err := s.member(ctx, "Member", in.Member, "")
		if err != nil {
			return nil, "", err
		}
		org, _, err := s.member(ctx, "Certifier", in.Certifier, n.root)
		if err != nil {
			return nil, "", err
		}
		if org.Kind != Organisation {
			return nil, "", invalid("Certifier", "member %s is not an organisation", org.ID)
		}
		// The certifying organisation may issue to its volunteers; credits
		// for an organisation's own account need a coordinator.
		if actor != org.ID || m.ID == org.ID {
			if _, err := s.coordinator(ctx, actor, n.bank); err != nil {
				return nil, "", err
			}
		}
		if err := checkMinutes("Minutes", in.Minutes, n.bank); err != nil {
			return nil, "", err
		}
		if !in.Date.IsZero() && norm(in.Date).After(now) {
			return nil, "", invalid("Date", "%s is in the future", in.Date.Format(time.RFC3339))
		}
		if err := checkText("Description", in.Description, maxDescription); err != nil {
			return nil, "", err
		}
		memo := strings.TrimSpace(in.Description)
		if memo == "" {
			memo = "voluntary work certified by " + org.ID
		}
		t := &Transfer{
			ID: s.newID("tr", now), Bank: n.bank.ID, Kind: KindIssue, At: now, Actor: actor, Memo: memo,
			Postings: []Posting{{Account: n.bank.IssuingAccount(), Amount: -in.Minutes}, {Account: m.ID, Amount: in.Minutes}},
		}
		return &Batch{
			Transfers: []*Transfer{t},
			Bounds:    map[string]Bounds{m.ID: bounds(m, n.bank)},
			Events:    []Event{event(n.bank.ID, now, actor, "credit.issue", t.ID, "certified by "+org.ID)},
		}, t.ID, nil
	}, s.store.Transfer)
	if err != nil {
		return nil, fmt.Errorf("issue credits: %w", err)
	}
	return t, nil
}

// Donate gives minutes of a member's credit to their bank's community pot.
// The actor must be the member (a person or an organisation) or a
// coordinator. Errors: ErrInvalid, ErrNotFound, ErrForbidden,
// ErrInvalidTransition, ErrInsufficientCredit.
func (s *Service) Donate(ctx context.Context, w call.Write, memberID string, minutes int64) (*Transfer, error) {
	return s.potTransfer(ctx, w, memberID, minutes, "", KindDonation)
}

// Grant gives minutes from the community pot to a member who has no credit
// of their own (a balance of zero or less), so they can get help. Only a
// coordinator may grant. Errors: ErrInvalid (no reason, or the member has
// credit), ErrNotFound, ErrForbidden, ErrInvalidTransition,
// ErrInsufficientCredit (the pot holds too little).
func (s *Service) Grant(ctx context.Context, w call.Write, memberID string, minutes int64, reason string) (*Transfer, error) {
	return s.potTransfer(ctx, w, memberID, minutes, reason, KindGrant)
}

func (s *Service) potTransfer(ctx context.Context, w call.Write, memberID string, minutes int64, reason string, kind TransferKind) (*Transfer, error) {
	actor := w.Actor.ID
	op := "pot." + string(kind)
	allow := func(ctx context.Context) error {
		if kind == KindDonation {
			return s.selfOrCoordinator(ctx, actor, memberID)
		}
		return s.coordinatorOfMember(ctx, actor, memberID)
	}
	t, err := write(ctx, s, w, op, struct {
		Member  string
		Minutes int64
		Reason  string
	}{memberID, minutes, reason}, allow, func(now time.Time) (*Batch, string, error) {
		if err := checkText("reason", reason, maxReason); err != nil {
			return nil, "", err
		}
		m, n, err := s.member(ctx, "Member", memberID, "")
		if err != nil {
			return nil, "", err
		}
		if err := checkMinutes("Minutes", minutes, n.bank); err != nil {
			return nil, "", err
		}
		pot := n.bank.PotAccount()
		t := &Transfer{ID: s.newID("tr", now), Bank: n.bank.ID, Kind: kind, At: now, Actor: actor, Memo: strings.TrimSpace(reason)}
		b := &Batch{Transfers: []*Transfer{t}, Events: []Event{event(n.bank.ID, now, actor, op, t.ID, m.ID)}}
		switch kind {
		case KindDonation:
			if actor != m.ID {
				if _, err := s.coordinator(ctx, actor, n.bank); err != nil {
					return nil, "", err
				}
			}
			t.Memo = "donation to the community pot"
			t.Postings = []Posting{{Account: m.ID, Amount: -minutes}, {Account: pot, Amount: minutes}}
			b.Bounds = map[string]Bounds{m.ID: bounds(m, n.bank)}
		case KindGrant:
			if _, err := s.coordinator(ctx, actor, n.bank); err != nil {
				return nil, "", err
			}
			if t.Memo == "" {
				return nil, "", invalid("reason", "a grant from the pot records why")
			}
			a, err := s.store.Account(ctx, m.ID)
			if err != nil {
				return nil, "", err
			}
			if a.Balance > 0 {
				return nil, "", invalid("Member", "member %s holds %d minutes; the pot is for members without credit", m.ID, a.Balance)
			}
			t.Postings = []Posting{{Account: pot, Amount: -minutes}, {Account: m.ID, Amount: minutes}}
			// The member must still have no credit when the grant lands:
			// a balance of at most minutes afterwards, checked atomically.
			mb := bounds(m, n.bank)
			if mb.Max == nil || *mb.Max > minutes {
				mb.Max = &minutes
			}
			b.Bounds = map[string]Bounds{pot: potBounds(), m.ID: mb}
		}
		return b, t.ID, nil
	}, s.store.Transfer)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return t, nil
}

// Share is one member's part in a group exchange.
type Share struct {
	Member  string
	Minutes int64
}

// GroupExchange asks to record one activity between one member and many:
// either one Receiver (say, an organisation whose event five volunteers
// helped at) paying several Givers, or one Giver (say, a tutor) paid by
// several Receivers. Exactly one of Giver and Receiver is set.
type GroupExchange struct {
	Giver       string
	Receiver    string
	Shares      []Share
	Date        time.Time
	Category    string
	Description string
}

// RecordGroup records a group activity as one confirmed exchange per share,
// paid by a single atomic transfer: all of it happens or none. The actor
// must be a coordinator, or the single Receiver (who pays). Errors:
// ErrInvalid, ErrNotFound, ErrForbidden, ErrInvalidTransition,
// ErrInsufficientCredit.
func (s *Service) RecordGroup(ctx context.Context, w call.Write, in GroupExchange) ([]*Exchange, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		if in.Receiver != "" {
			return s.selfOrCoordinator(ctx, actor, in.Receiver)
		}
		return s.coordinatorOfMember(ctx, actor, in.Giver)
	}
	xs, err := write(ctx, s, w, "exchange.group", in, allow, func(now time.Time) (*Batch, string, error) {
		if err := checkText("Category", in.Category, maxCategory); err != nil {
			return nil, "", err
		}
		if err := checkText("Description", in.Description, maxDescription); err != nil {
			return nil, "", err
		}
		if (in.Giver == "") == (in.Receiver == "") {
			return nil, "", invalid("Giver", "set exactly one of Giver and Receiver")
		}
		if len(in.Shares) == 0 {
			return nil, "", invalid("Shares", "a group exchange needs at least one share")
		}
		oneField, oneID := "Giver", in.Giver
		if in.Receiver != "" {
			oneField, oneID = "Receiver", in.Receiver
		}
		one, n, err := s.member(ctx, oneField, oneID, "")
		if err != nil {
			return nil, "", err
		}
		// Whoever pays must consent: the single Receiver, or a coordinator
		// of the payer's bank (of each paying share's, when one Giver is
		// paid by several).
		actorM, _ := s.store.Member(ctx, actor)
		if in.Receiver != "" && actor != in.Receiver && !isCoordinatorOf(actorM, n.bank) {
			return nil, "", fieldErr(ErrForbidden, "actor", "%s is neither the receiver nor a coordinator of their bank", actor)
		}
		date := norm(in.Date)
		if in.Date.IsZero() {
			date = now
		}
		if date.After(now) {
			return nil, "", invalid("Date", "%s is in the future", date.Format(time.RFC3339))
		}
		t := &Transfer{ID: s.newID("tr", now), Bank: n.bank.ID, Kind: KindGroup, At: now, Actor: actor, Memo: normCategory(in.Category)}
		b := &Batch{Transfers: []*Transfer{t}, Bounds: map[string]Bounds{one.ID: bounds(one, n.bank)}}
		var total int64
		var result []string
		for i, sh := range in.Shares {
			field := fmt.Sprintf("Shares[%d]", i)
			m, mn, err := s.member(ctx, field+".Member", sh.Member, n.root)
			if err != nil {
				return nil, "", err
			}
			if m.ID == one.ID {
				return nil, "", invalid(field+".Member", "member %s is on both sides", m.ID)
			}
			if _, dup := b.Bounds[m.ID]; dup {
				return nil, "", invalid(field+".Member", "member %s has two shares", m.ID)
			}
			if err := checkMinutes(field+".Minutes", sh.Minutes, n.bank); err != nil {
				return nil, "", err
			}
			if in.Giver != "" && !isCoordinatorOf(actorM, mn.bank) {
				return nil, "", fieldErr(ErrForbidden, "actor", "%s does not coordinate the bank of %s, who pays", actor, m.ID)
			}
			b.Bounds[m.ID] = bounds(m, mn.bank)
			x := &Exchange{
				ID: s.newID("exc", now), Bank: n.bank.ID, Giver: m.ID, Receiver: one.ID, Minutes: sh.Minutes,
				Date: date, Category: normCategory(in.Category), Description: strings.TrimSpace(in.Description),
				Status: Confirmed, Approved: &Stamp{By: actor, At: now}, Transfer: t.ID,
				CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
			}
			amount := sh.Minutes
			if in.Giver != "" {
				x.Giver, x.Receiver = one.ID, m.ID
				amount = -amount
			}
			t.Postings = append(t.Postings, Posting{Account: m.ID, Amount: amount})
			total += amount
			b.Exchanges = append(b.Exchanges, x)
			result = append(result, x.ID)
		}
		t.Postings = append([]Posting{{Account: one.ID, Amount: -total}}, t.Postings...)
		b.Events = []Event{event(n.bank.ID, now, actor, "exchange.group", t.ID, strings.Join(result, " "))}
		return b, strings.Join(result, " "), nil
	}, func(ctx context.Context, result string) ([]*Exchange, error) {
		var xs []*Exchange
		for _, id := range ids(result) {
			x, err := s.store.Exchange(ctx, id)
			if err != nil {
				return nil, err
			}
			xs = append(xs, x)
		}
		return xs, nil
	})
	if err != nil {
		return nil, fmt.Errorf("record group exchange: %w", err)
	}
	return xs, nil
}

// NewListing asks to post an offer of help or a request for it.
type NewListing struct {
	Member      string
	Kind        ListingKind
	Category    string
	Title       string
	Description string
}

// PostListing posts an offer or a request. The actor must be the member or
// a coordinator. Errors: ErrInvalid, ErrNotFound, ErrForbidden,
// ErrInvalidTransition.
func (s *Service) PostListing(ctx context.Context, w call.Write, in NewListing) (*Listing, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { return s.selfOrCoordinator(ctx, actor, in.Member) }
	l, err := write(ctx, s, w, "listing.post", in, allow, func(now time.Time) (*Batch, string, error) {
		m, n, err := s.member(ctx, "Member", in.Member, "")
		if err != nil {
			return nil, "", err
		}
		if actor != m.ID {
			if _, err := s.coordinator(ctx, actor, n.bank); err != nil {
				return nil, "", err
			}
		}
		switch {
		case in.Kind != Offer && in.Kind != Request:
			return nil, "", invalid("Kind", "must be %q or %q, got %q", Offer, Request, in.Kind)
		case strings.TrimSpace(in.Title) == "":
			return nil, "", invalid("Title", "is required")
		}
		for _, c := range []error{
			checkText("Category", in.Category, maxCategory),
			checkText("Title", in.Title, maxTitle),
			checkText("Description", in.Description, maxDescription),
		} {
			if c != nil {
				return nil, "", c
			}
		}
		l := &Listing{
			ID: s.newID("lst", now), Bank: m.Bank, Member: m.ID, Kind: in.Kind, Category: normCategory(in.Category),
			Title: strings.TrimSpace(in.Title), Description: strings.TrimSpace(in.Description), Open: true,
			CreatedAt: now, UpdatedAt: now, UpdatedBy: actor, Version: 1,
		}
		return &Batch{Listings: []*Listing{l}, Events: []Event{event(m.Bank, now, actor, "listing.post", l.ID, "")}}, l.ID, nil
	}, s.store.Listing)
	if err != nil {
		return nil, fmt.Errorf("post listing: %w", err)
	}
	return l, nil
}

// CloseListing closes an offer or request. The actor must be its member or
// a coordinator. Errors: ErrNotFound, ErrForbidden, ErrInvalidTransition.
func (s *Service) CloseListing(ctx context.Context, w call.Write, listingID string) (*Listing, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		l, err := s.store.Listing(ctx, listingID)
		if errors.Is(err, ErrNotFound) {
			return forbidden(actor, "may not close listing %s", listingID)
		}
		if err != nil {
			return err
		}
		return s.selfOrCoordinator(ctx, actor, l.Member)
	}
	l, err := write(ctx, s, w, "listing.close", listingID, allow, func(now time.Time) (*Batch, string, error) {
		l, err := s.store.Listing(ctx, listingID)
		if err != nil {
			return nil, "", err
		}
		if actor != l.Member {
			b, err := s.store.Bank(ctx, l.Bank)
			if err != nil {
				return nil, "", err
			}
			if _, err := s.coordinator(ctx, actor, b); err != nil {
				return nil, "", err
			}
		}
		if !l.Open {
			return nil, "", fieldErr(ErrInvalidTransition, "Open", "listing %s is closed already", l.ID)
		}
		l.Open, l.UpdatedAt, l.UpdatedBy = false, now, actor
		l.Version++
		return &Batch{Listings: []*Listing{l}, Events: []Event{event(l.Bank, now, actor, "listing.close", l.ID, "")}}, l.ID, nil
	}, s.store.Listing)
	if err != nil {
		return nil, fmt.Errorf("close listing %s: %w", listingID, err)
	}
	return l, nil
}
