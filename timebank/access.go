package timebank

import (
	"context"
	"errors"
	"fmt"
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
		return nil, network{}, invalid(field, "member %s belongs to another time bank network", id)
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
