package timebank

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/strongertogether/community/call"
)

// network is a bank with its place in the tree: the borough bank at the
// root and the bank itself.
type network struct {
	bank *Bank
	root string // id of the borough bank the bank belongs to
}

// bankOf reads a bank and finds its borough bank.
func (s *Service) bankOf(ctx context.Context, id string) (network, error) {
	b, err := s.store.Bank(ctx, id)
	if err != nil {
		return network{}, err
	}
	root := b.ID
	if b.Parent != "" {
		root = b.Parent
	}
	return network{bank: b, root: root}, nil
}

// coordinator checks that actor is an active coordinator of bank or of
// bank's parent, and returns the actor's member record.
func (s *Service) coordinator(ctx context.Context, actor string, bank *Bank) (*Member, error) {
	m, err := s.store.Member(ctx, actor)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrForbidden, "actor", "%s is not a member of any bank", actor)
	}
	if err != nil {
		return nil, err
	}
	if m.Role != RoleCoordinator || m.Status != Active || (m.Bank != bank.ID && m.Bank != bank.Parent) {
		return nil, fieldErr(ErrForbidden, "actor", "%s is not an active coordinator of bank %s", actor, bank.ID)
	}
	return m, nil
}

// member reads a member who must be able to take part in a new exchange:
// active, in the network rooted at root. field names the request field.
func (s *Service) member(ctx context.Context, field, id, root string) (*Member, network, error) {
	if id == "" {
		return nil, network{}, invalid(field, "is required")
	}
	m, err := s.store.Member(ctx, id)
	if errors.Is(err, ErrNotFound) && root != "" {
		return nil, network{}, fieldErr(ErrNotFound, field, "no member %s in this time bank network", id)
	}
	if errors.Is(err, ErrNotFound) {
		return nil, network{}, fieldErr(ErrNotFound, field, "no member %s", id)
	}
	if err != nil {
		return nil, network{}, err
	}
	n, err := s.bankOf(ctx, m.Bank)
	if err != nil {
		return nil, network{}, fmt.Errorf("bank of member %s: %w", id, err)
	}
	if root != "" && n.root != root {
		// The same answer as for no member at all: a member of one
		// network learns nothing of another's.
		return nil, network{}, fieldErr(ErrNotFound, field, "no member %s in this time bank network", id)
	}
	if m.Status != Active {
		return nil, network{}, fieldErr(ErrInvalidTransition, field, "member %s is %s", id, m.Status)
	}
	return m, n, nil
}

// isCoordinatorOf reports whether m may coordinate bank.
func isCoordinatorOf(m *Member, bank *Bank) bool {
	return m != nil && m.Role == RoleCoordinator && m.Status == Active && (m.Bank == bank.ID || m.Bank == bank.Parent)
}

// bounds returns the balance limits of a member's account.
func bounds(m *Member, bank *Bank) Bounds {
	b := Bounds{Max: bank.MaxBalance}
	min := bank.MinBalance
	b.Min = &min
	if m.MinBalance != nil {
		b.Min = m.MinBalance
	}
	if m.MaxBalance != nil {
		b.Max = m.MaxBalance
	}
	return b
}

// potBounds keeps the community pot from going below zero.
func potBounds() Bounds {
	var zero int64
	return Bounds{Min: &zero}
}

// checkMinutes refuses an amount that is not a positive multiple of the
// bank's rounding.
func checkMinutes(field string, minutes int64, bank *Bank) error {
	switch {
	case minutes <= 0:
		return invalid(field, "must be positive, got %d minutes", minutes)
	case minutes%bank.Rounding != 0:
		return invalid(field, "%d minutes is not a multiple of the bank's rounding (%d minutes)", minutes, bank.Rounding)
	case minutes > 24*60*366:
		return invalid(field, "%d minutes is more than a year", minutes)
	}
	return nil
}

// forbidden is the error for an actor without the role a call needs.
func forbidden(actor, format string, args ...any) error {
	return fieldErr(ErrForbidden, "actor", "%s %s", actor, fmt.Sprintf(format, args...))
}

// checkActor refuses a read by nobody.
func checkActor(a call.Actor) error {
	if strings.TrimSpace(a.ID) == "" {
		return invalid("actor", "is required")
	}
	return nil
}

// actorMember reads the actor's member record, or nil when the actor is
// not a member.
func (s *Service) actorMember(ctx context.Context, actor string) (*Member, error) {
	m, err := s.store.Member(ctx, actor)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return m, err
}

// activeOrganisation reports whether actor is an active organisation
// member of the network rooted at root (of the borough bank itself or of
// one of its mini banks). Only a store failure is an error.
func (s *Service) activeOrganisation(ctx context.Context, actor, root string) (bool, error) {
	if actor == "" {
		return false, nil
	}
	m, err := s.store.Member(ctx, actor)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if m.Kind != Organisation || m.Status != Active {
		return false, nil
	}
	n, err := s.bankOf(ctx, m.Bank)
	if err != nil {
		return false, err
	}
	return n.root == root, nil
}

// coordinates checks that actor is an active coordinator of the bank with
// id bankID or of its parent. A bank that does not exist is ErrForbidden
// too, so that the answer never tells a stranger what exists.
func (s *Service) coordinates(ctx context.Context, actor, bankID string) error {
	b, err := s.store.Bank(ctx, bankID)
	if errors.Is(err, ErrNotFound) {
		return forbidden(actor, "is not an active coordinator of bank %s", bankID)
	}
	if err != nil {
		return err
	}
	_, err = s.coordinator(ctx, actor, b)
	return err
}

// selfOrCoordinator checks that actor is the member memberID or coordinates
// their bank.
func (s *Service) selfOrCoordinator(ctx context.Context, actor, memberID string) error {
	if actor == memberID && actor != "" {
		return nil
	}
	return s.coordinatorOfMember(ctx, actor, memberID)
}

// coordinatorOfMember checks that actor coordinates memberID's bank. An
// unknown member is ErrForbidden.
func (s *Service) coordinatorOfMember(ctx context.Context, actor, memberID string) error {
	m, err := s.store.Member(ctx, memberID)
	if errors.Is(err, ErrNotFound) {
		return forbidden(actor, "is not a coordinator of member %s's bank", memberID)
	}
	if err != nil {
		return err
	}
	return s.coordinates(ctx, actor, m.Bank)
}

// accountAccess checks that actor may read account: its member, or a
// coordinator of its bank.
func (s *Service) accountAccess(ctx context.Context, actor, account string) error {
	if actor == account && actor != "" {
		return nil
	}
	a, err := s.store.Account(ctx, account)
	if errors.Is(err, ErrNotFound) {
		return forbidden(actor, "may not read account %s", account)
	}
	if err != nil {
		return err
	}
	return s.coordinates(ctx, actor, a.Bank)
}

// exchangeAccess checks that actor is a party to the exchange exchangeID
// or coordinates one of the banks named in banks(ps) (all of the
// exchange's banks when banks is nil). An unknown exchange is ErrForbidden.
func (s *Service) exchangeAccess(ctx context.Context, actor, exchangeID string, parties bool, banks func(ps parties) []*Bank) error {
	x, err := s.store.Exchange(ctx, exchangeID)
	if errors.Is(err, ErrNotFound) {
		return forbidden(actor, "may not act on exchange %s", exchangeID)
	}
	if err != nil {
		return err
	}
	if parties && (actor == x.Giver || actor == x.Receiver) {
		return nil
	}
	ps, err := s.parties(ctx, x)
	if err != nil {
		return err
	}
	bs := []*Bank{ps.bank, ps.giverBank, ps.receiverBank}
	if banks != nil {
		bs = banks(ps)
	}
	a, err := s.actorMember(ctx, actor)
	if err != nil {
		return err
	}
	for _, b := range bs {
		if isCoordinatorOf(a, b) {
			return nil
		}
	}
	return forbidden(actor, "may not act on exchange %s", exchangeID)
}

// Limits on free text, in bytes.
const (
	maxName        = 200
	maxEmail       = 254
	maxPhone       = 40
	maxWard        = 100
	maxCategory    = 100
	maxTitle       = 200
	maxDescription = 2000
	maxReason      = 500
	maxID          = 200
)

// checkText refuses text longer than max bytes, text that is not UTF-8,
// and text holding NUL or other control characters (tabs and newlines
// aside).
func checkText(field, v string, max int) error {
	switch {
	case len(v) > max:
		return invalid(field, "is longer than %d bytes", max)
	case !utf8.ValidString(v):
		return invalid(field, "is not valid UTF-8")
	}
	for _, r := range v {
		if r == 0 || (unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r') {
			return invalid(field, "holds a control character (%U)", r)
		}
	}
	return nil
}

// checkID refuses an id that is empty, too long, or not plain text.
func checkID(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return invalid(field, "is required")
	}
	return checkText(field, v, maxID)
}
