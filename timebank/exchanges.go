package timebank

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// NewExchange asks to record that Giver helped Receiver for Minutes on
// Date.
type NewExchange struct {
	Giver       string
	Receiver    string
	Minutes     int64
	Date        time.Time // when the help was given; zero means now
	Category    string
	Description string
	Listing     string // the offer or request it answers, if any
}

// RecordExchange records an exchange in the giver's bank. The actor must be
// the giver, the receiver, or a coordinator of either's bank. Recording it
// counts as the actor's confirmation, so the exchange is confirmed and paid
// at once when the bank's Confirmation allows (a coordinator records it; or
// the bank uses ConfirmTrusted and the actor is trusted); otherwise it is
// pending and holds nothing.
//
// Errors: ErrInvalid (minutes not a positive multiple of the rounding, a
// date in the future, giver and receiver the same), ErrNotFound (an
// unknown member, or one of another network: the two look the same),
// ErrInvalidTransition (a member paused or left), ErrForbidden,
// ErrInsufficientCredit (when confirmed at once and the receiver lacks the
// credit; nothing is recorded).
func (s *Service) RecordExchange(ctx context.Context, w call.Write, in NewExchange) (*Exchange, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		if actor != "" && (actor == in.Giver || actor == in.Receiver) {
			return nil
		}
		if s.coordinatorOfMember(ctx, actor, in.Giver) == nil {
			return nil
		}
		return s.coordinatorOfMember(ctx, actor, in.Receiver)
	}
	x, err := write(ctx, s, w, "exchange.record", in, allow, func(now time.Time) (*Batch, string, error) {
		// Read first the party the actor answers for (themself, or the
		// member whose bank they coordinate), then the other within the
		// same network: an unknown member and one of another network get
		// the same ErrNotFound, so a recording never probes who exists.
		var giver, receiver *Member
		var gn, rn network
		var err error
		if actor == in.Giver || actor != in.Receiver && s.coordinatorOfMember(ctx, actor, in.Giver) == nil {
			if giver, gn, err = s.member(ctx, "Giver", in.Giver, ""); err != nil {
				return nil, "", err
			}
			if receiver, rn, err = s.member(ctx, "Receiver", in.Receiver, gn.root); err != nil {
				return nil, "", err
			}
		} else {
			if receiver, rn, err = s.member(ctx, "Receiver", in.Receiver, ""); err != nil {
				return nil, "", err
			}
			if giver, gn, err = s.member(ctx, "Giver", in.Giver, rn.root); err != nil {
				return nil, "", err
			}
		}
		if giver.ID == receiver.ID {
			return nil, "", invalid("Receiver", "a member cannot exchange with themself")
		}
		bank := gn.bank
		if err := checkMinutes("Minutes", in.Minutes, bank); err != nil {
			return nil, "", err
		}
		date := norm(in.Date)
		if in.Date.IsZero() {
			date = now
		}
		if date.After(now) {
			return nil, "", invalid("Date", "%s is in the future", date.Format(time.RFC3339))
		}
		if err := checkText("Category", in.Category, maxCategory); err != nil {
			return nil, "", err
		}
		if err := checkText("Description", in.Description, maxDescription); err != nil {
			return nil, "", err
		}
		if in.Listing != "" {
			if _, err := s.store.Listing(ctx, in.Listing); err != nil {
				return nil, "", fmt.Errorf("Listing: %w", err)
			}
		}
		x := &Exchange{
			ID: s.newID("exc", now), Bank: bank.ID, Giver: giver.ID, Receiver: receiver.ID,
			Minutes: in.Minutes, Date: date, Category: normCategory(in.Category),
			Description: strings.TrimSpace(in.Description), Listing: in.Listing, Status: Pending,
			CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
		}
		stamp := &Stamp{By: actor, At: now}
		switch actor {
		case giver.ID:
			x.GiverConfirmed = stamp
		case receiver.ID:
			x.ReceiverConfirmed = stamp
		default:
			// A coordinator of the receiver's bank approves on the payer's
			// behalf; one of the giver's bank can vouch only for the giver.
			a, err := s.store.Member(ctx, actor)
			switch {
			case err == nil && isCoordinatorOf(a, rn.bank):
				x.Approved = stamp
			case err == nil && isCoordinatorOf(a, gn.bank):
				x.GiverConfirmed = stamp
			default:
				return nil, "", fieldErr(ErrForbidden, "actor", "%s is neither a party to the exchange nor a coordinator of their bank", actor)
			}
		}
		b := &Batch{Exchanges: []*Exchange{x}, Events: []Event{event(bank.ID, now, actor, "exchange.record", x.ID, "")}}
		if s.confirmedBy(x, bank, actor == giver.ID && giver.Trusted || actor == receiver.ID && receiver.Trusted) {
			s.pay(b, x, giver, gn.bank, receiver, rn.bank, now)
			b.Events = append(b.Events, event(bank.ID, now, actor, "exchange.confirm", x.ID, "confirmed on recording"))
		}
		return b, x.ID, nil
	}, s.store.Exchange)
	if err != nil {
		return nil, fmt.Errorf("record exchange: %w", err)
	}
	return x, nil
}

func normCategory(c string) string { return strings.ToLower(strings.TrimSpace(c)) }

// confirmedBy reports whether x's stamps are enough, under bank's
// Confirmation, to confirm it. trusted says the recorder is trusted.
func (s *Service) confirmedBy(x *Exchange, bank *Bank, trusted bool) bool {
	if x.Approved != nil {
		return true
	}
	switch bank.Confirmation {
	case ConfirmCoordinator:
		return false
	case ConfirmTrusted:
		if trusted {
			return true
		}
	}
	return x.GiverConfirmed != nil && x.ReceiverConfirmed != nil
}

// pay confirms x and adds to b the transfer that pays the giver from the
// receiver's account, bounded by both members' limits.
func (s *Service) pay(b *Batch, x *Exchange, giver *Member, gb *Bank, receiver *Member, rb *Bank, now time.Time) {
	t := &Transfer{
		ID: s.newID("tr", now), Bank: x.Bank, Kind: KindExchange, At: now, Actor: x.UpdatedBy,
		Exchange: x.ID, Memo: x.Category,
		Postings: []Posting{{Account: receiver.ID, Amount: -x.Minutes}, {Account: giver.ID, Amount: x.Minutes}},
	}
	x.Status, x.Transfer = Confirmed, t.ID
	b.Transfers = append(b.Transfers, t)
	b.Bounds = map[string]Bounds{receiver.ID: bounds(receiver, rb), giver.ID: bounds(giver, gb)}
}

// Confirm adds the actor's confirmation to a pending exchange: the giver's,
// the receiver's, or a coordinator's approval. When the confirmations the
// bank asks for are complete, the exchange is confirmed and the receiver
// pays the giver, atomically. Errors: ErrNotFound, ErrForbidden,
// ErrInvalidTransition (not pending, or the actor confirmed already),
// ErrInsufficientCredit (the exchange stays pending).
func (s *Service) Confirm(ctx context.Context, w call.Write, exchangeID string) (*Exchange, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { return s.exchangeAccess(ctx, actor, exchangeID, true, nil) }
	return s.changeExchange(ctx, w, exchangeID, "exchange.confirm", nil, allow, func(x *Exchange, ps parties, now time.Time, b *Batch) error {
		if x.Status != Pending {
			return fieldErr(ErrInvalidTransition, "Status", "exchange %s is %s, not pending", x.ID, x.Status)
		}
		stamp := &Stamp{By: actor, At: now}
		var trusted bool
		switch {
		case actor == x.Giver:
			if x.GiverConfirmed != nil {
				return fieldErr(ErrInvalidTransition, "GiverConfirmed", "the giver confirmed exchange %s already", x.ID)
			}
			x.GiverConfirmed, trusted = stamp, ps.giver.Trusted
		case actor == x.Receiver:
			if x.ReceiverConfirmed != nil {
				return fieldErr(ErrInvalidTransition, "ReceiverConfirmed", "the receiver confirmed exchange %s already", x.ID)
			}
			x.ReceiverConfirmed, trusted = stamp, ps.receiver.Trusted
		case ps.coordinates(ctx, s, actor, ps.receiverBank):
			x.Approved = stamp
		case ps.coordinates(ctx, s, actor, ps.giverBank):
			// A coordinator of the giver's bank vouches for the giver only.
			if x.GiverConfirmed != nil {
				return fieldErr(ErrInvalidTransition, "GiverConfirmed", "the giver's side of exchange %s is confirmed already", x.ID)
			}
			x.GiverConfirmed = stamp
		default:
			return fieldErr(ErrForbidden, "actor", "%s is neither a party to exchange %s nor a coordinator of the receiver's bank", actor, x.ID)
		}
		// A paused member can still be paid for help already given, and
		// pay for help received; a member who has left cannot.
		for _, m := range []*Member{ps.giver, ps.receiver} {
			if m.Status == Left {
				return fieldErr(ErrInvalidTransition, "Status", "member %s has left", m.ID)
			}
		}
		x.UpdatedBy = actor
		if s.confirmedBy(x, ps.bank, trusted) {
			s.pay(b, x, ps.giver, ps.giverBank, ps.receiver, ps.receiverBank, now)
		}
		return nil
	})
}

// Void cancels a pending exchange; it never held anything. Only a
// coordinator may void. Errors: ErrNotFound, ErrForbidden,
// ErrInvalidTransition, ErrInvalid (no reason).
func (s *Service) Void(ctx context.Context, w call.Write, exchangeID, reason string) (*Exchange, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { return s.exchangeAccess(ctx, actor, exchangeID, false, nil) }
	return s.changeExchange(ctx, w, exchangeID, "exchange.void", reason, allow, func(x *Exchange, ps parties, now time.Time, b *Batch) error {
		if !ps.coordinates(ctx, s, actor, ps.bank, ps.giverBank, ps.receiverBank) {
			return fieldErr(ErrForbidden, "actor", "%s is not a coordinator of exchange %s's bank", actor, x.ID)
		}
		if x.Status != Pending {
			return fieldErr(ErrInvalidTransition, "Status", "exchange %s is %s; only a pending exchange can be voided", x.ID, x.Status)
		}
		if strings.TrimSpace(reason) == "" {
			return invalid("reason", "is required")
		}
		if err := checkText("reason", reason, maxReason); err != nil {
			return err
		}
		x.Status, x.Reason = Voided, strings.TrimSpace(reason)
		return nil
	})
}

// Reverse undoes a confirmed exchange with a new compensating transfer that
// points at the original (which is never changed): the giver pays back the
// receiver. The giver's limits apply, so a reversal that would overdraw
// the giver is refused. Only a coordinator may reverse. Errors:
// ErrNotFound, ErrForbidden, ErrInvalidTransition, ErrInvalid (no reason),
// ErrInsufficientCredit.
func (s *Service) Reverse(ctx context.Context, w call.Write, exchangeID, reason string) (*Exchange, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		return s.exchangeAccess(ctx, actor, exchangeID, false, func(ps parties) []*Bank { return []*Bank{ps.giverBank} })
	}
	return s.changeExchange(ctx, w, exchangeID, "exchange.reverse", reason, allow, func(x *Exchange, ps parties, now time.Time, b *Batch) error {
		if !ps.coordinates(ctx, s, actor, ps.giverBank) {
			return fieldErr(ErrForbidden, "actor", "%s is not a coordinator of the giver's bank, which a reversal debits", actor)
		}
		if x.Status != Confirmed {
			return fieldErr(ErrInvalidTransition, "Status", "exchange %s is %s; only a confirmed exchange can be reversed", x.ID, x.Status)
		}
		if strings.TrimSpace(reason) == "" {
			return invalid("reason", "is required")
		}
		if err := checkText("reason", reason, maxReason); err != nil {
			return err
		}
		t := &Transfer{
			ID: s.newID("tr", now), Bank: x.Bank, Kind: KindReversal, At: now, Actor: actor,
			Exchange: x.ID, Reverses: x.Transfer, Memo: strings.TrimSpace(reason),
			Postings: []Posting{{Account: x.Giver, Amount: -x.Minutes}, {Account: x.Receiver, Amount: x.Minutes}},
		}
		x.Status, x.Reversal, x.Reason = Reversed, t.ID, strings.TrimSpace(reason)
		b.Transfers = append(b.Transfers, t)
		b.Bounds = map[string]Bounds{x.Giver: bounds(ps.giver, ps.giverBank), x.Receiver: bounds(ps.receiver, ps.receiverBank)}
		return nil
	})
}

// parties are an exchange's members and banks.
type parties struct {
	bank                    *Bank // the bank the exchange is recorded in
	giver, receiver         *Member
	giverBank, receiverBank *Bank
}

// coordinates reports whether actor coordinates any of banks. An approval
// debits the receiver, so it needs the receiver's bank; a reversal debits
// the giver; voiding moves nothing, so any of the exchange's banks will do.
func (p parties) coordinates(ctx context.Context, s *Service, actor string, banks ...*Bank) bool {
	a, err := s.store.Member(ctx, actor)
	if err != nil {
		return false
	}
	for _, b := range banks {
		if isCoordinatorOf(a, b) {
			return true
		}
	}
	return false
}

// parties reads x's members and banks.
func (s *Service) parties(ctx context.Context, x *Exchange) (parties, error) {
	var ps parties
	var err error
	if ps.bank, err = s.store.Bank(ctx, x.Bank); err != nil {
		return ps, err
	}
	if ps.giver, err = s.store.Member(ctx, x.Giver); err != nil {
		return ps, err
	}
	if ps.receiver, err = s.store.Member(ctx, x.Receiver); err != nil {
		return ps, err
	}
	if ps.giverBank, err = s.store.Bank(ctx, ps.giver.Bank); err != nil {
		return ps, err
	}
	if ps.receiverBank, err = s.store.Bank(ctx, ps.receiver.Bank); err != nil {
		return ps, err
	}
	return ps, nil
}

func (s *Service) changeExchange(ctx context.Context, w call.Write, exchangeID, op string, req any,
	allow func(ctx context.Context) error,
	change func(x *Exchange, ps parties, now time.Time, b *Batch) error,
) (*Exchange, error) {
	actor := w.Actor.ID
	x, err := write(ctx, s, w, op, struct {
		Exchange string
		Req      any
	}{exchangeID, req}, allow, func(now time.Time) (*Batch, string, error) {
		x, err := s.store.Exchange(ctx, exchangeID)
		if err != nil {
			return nil, "", err
		}
		ps, err := s.parties(ctx, x)
		if err != nil {
			return nil, "", err
		}
		b := &Batch{Events: []Event{event(x.Bank, now, actor, op, x.ID, noteOf(req))}}
		if err := change(x, ps, now, b); err != nil {
			return nil, "", err
		}
		x.UpdatedAt, x.UpdatedBy = now, actor
		x.Version++
		b.Exchanges = []*Exchange{x}
		return b, x.ID, nil
	}, s.store.Exchange)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, exchangeID, err)
	}
	return x, nil
}

func noteOf(req any) string {
	if s, ok := req.(string); ok {
		return s
	}
	return ""
}
