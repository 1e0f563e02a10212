package timebank

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// NewBank asks to open a borough time bank with its first coordinator.
type NewBank struct {
	Name string
	// Rounding in minutes; 0 means 15 (quarter hours).
	Rounding     int64
	MinBalance   int64
	MaxBalance   *int64
	Confirmation Confirmation // "" means ConfirmBoth
	// Coordinator is the person who will run the bank. Its Bank, Kind and
	// Role are set by OpenBank.
	Coordinator NewMember
}

// OpenBank opens a borough time bank, with its issuing account, its
// community pot and its first coordinator, and returns the bank and the
// coordinator. The actor must be an administrator (see Bootstrap and
// GrantAdmin). Errors: ErrInvalid, ErrForbidden.
func (s *Service) OpenBank(ctx context.Context, w call.Write, in NewBank) (*Bank, *Member, error) {
	return s.openBank(ctx, w, "bank.open", in, nil)
}

// NewMiniBank asks to open a Mini Time Bank run by an organisation member
// of a borough bank.
type NewMiniBank struct {
	Parent       string // the borough bank
	Organisation string // the organisation member of Parent that runs it
	NewBank             // name, settings (zero values take the parent's) and coordinator
}

// OpenMiniBank opens a Mini Time Bank under a borough bank. The actor must
// coordinate the parent bank, or be the organisation itself. Its members'
// figures roll up into the parent's reports and they may exchange with the
// parent's members. Errors: ErrInvalid, ErrNotFound, ErrForbidden.
func (s *Service) OpenMiniBank(ctx context.Context, w call.Write, in NewMiniBank) (*Bank, *Member, error) {
	return s.openBank(ctx, w, "bank.open-mini", in.NewBank, &in)
}

func (s *Service) openBank(ctx context.Context, w call.Write, op string, in NewBank, mini *NewMiniBank) (*Bank, *Member, error) {
	actor := w.Actor.ID
	var req any = in
	allow := func(ctx context.Context) error { return s.admin(ctx, actor) }
	if mini != nil {
		req = mini
		allow = func(ctx context.Context) error {
			// The organisation acts for itself only while it is an active
			// organisation of the parent bank: one that has left cannot
			// replay its key to read the coordinator it appointed.
			if ok, err := s.activeOrganisation(ctx, actor, mini.Parent); ok || err != nil {
				return err
			}
			return s.coordinates(ctx, actor, mini.Parent)
		}
	}
	type pair struct {
		b *Bank
		m *Member
	}
	p, err := write(ctx, s, w, op, req, allow, func(now time.Time) (*Batch, string, error) {
		b := &Bank{
			ID: s.newID("bank", now), Name: strings.TrimSpace(in.Name),
			Rounding: in.Rounding, MinBalance: in.MinBalance, MaxBalance: in.MaxBalance,
			Confirmation: in.Confirmation,
			CreatedAt:    now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
		}
		if mini != nil {
			parent, err := s.store.Bank(ctx, mini.Parent)
			if err != nil {
				return nil, "", fmt.Errorf("parent bank: %w", err)
			}
			if parent.Parent != "" {
				return nil, "", invalid("Parent", "bank %s is itself a mini time bank; mini banks sit under a borough bank", parent.ID)
			}
			org, _, err := s.member(ctx, "Organisation", mini.Organisation, parent.ID)
			if err != nil {
				return nil, "", err
			}
			if org.Kind != Organisation || org.Bank != parent.ID {
				return nil, "", invalid("Organisation", "member %s is not an organisation of bank %s", org.ID, parent.ID)
			}
			if actor != org.ID {
				if _, err := s.coordinator(ctx, actor, parent); err != nil {
					return nil, "", err
				}
			}
			b.Parent, b.Organisation = parent.ID, org.ID
			if b.Rounding == 0 {
				b.Rounding = parent.Rounding
			}
			if b.MinBalance == 0 {
				b.MinBalance = parent.MinBalance
			}
			if b.MaxBalance == nil {
				b.MaxBalance = parent.MaxBalance
			}
			if b.Confirmation == "" {
				b.Confirmation = parent.Confirmation
			}
		}
		if b.Rounding == 0 {
			b.Rounding = 15
		}
		if b.Confirmation == "" {
			b.Confirmation = ConfirmBoth
		}
		if err := b.Validate(); err != nil {
			return nil, "", err
		}
		c := in.Coordinator
		c.Bank, c.Kind, c.Role = b.ID, Individual, RoleCoordinator
		m, err := s.newMember(c, b, actor, now)
		if err != nil {
			return nil, "", fmt.Errorf("coordinator: %w", err)
		}
		batch := &Batch{
			Banks:   []*Bank{b},
			Members: []*Member{m},
			Accounts: []*Account{
				{ID: b.IssuingAccount(), Bank: b.ID, Kind: IssuingAccount},
				{ID: b.PotAccount(), Bank: b.ID, Kind: PotAccount},
				{ID: m.ID, Bank: b.ID, Kind: MemberAccount},
			},
			Events: []Event{
				event(b.ID, now, actor, op, b.ID, ""),
				event(b.ID, now, actor, "member.join", m.ID, "first coordinator"),
			},
		}
		return batch, b.ID + " " + m.ID, nil
	}, func(ctx context.Context, result string) (pair, error) {
		r := ids(result)
		b, err := s.store.Bank(ctx, r[0])
		if err != nil {
			return pair{}, err
		}
		m, err := s.store.Member(ctx, r[1])
		return pair{b, m}, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open bank: %w", err)
	}
	return p.b, p.m, nil
}

// BankUpdate changes a bank's settings; nil fields are left alone.
type BankUpdate struct {
	Name         *string
	Rounding     *int64
	MinBalance   *int64
	MaxBalance   *int64 // a pointer to 0 removes the cap
	Confirmation *Confirmation
}

// UpdateBank changes a bank's settings. The actor must coordinate the bank
// or its parent. Exchanges already pending are confirmed under the new
// settings. Errors: ErrInvalid, ErrNotFound, ErrForbidden.
func (s *Service) UpdateBank(ctx context.Context, w call.Write, bankID string, u BankUpdate) (*Bank, error) {
	actor := w.Actor.ID
	b, err := write(ctx, s, w, "bank.update", struct {
		Bank string
		U    BankUpdate
	}{bankID, u}, func(ctx context.Context) error { return s.coordinates(ctx, actor, bankID) }, func(now time.Time) (*Batch, string, error) {
		b, err := s.store.Bank(ctx, bankID)
		if err != nil {
			return nil, "", err
		}
		if _, err := s.coordinator(ctx, actor, b); err != nil {
			return nil, "", err
		}
		if u.Name != nil {
			b.Name = strings.TrimSpace(*u.Name)
		}
		if u.Rounding != nil {
			b.Rounding = *u.Rounding
		}
		if u.MinBalance != nil {
			b.MinBalance = *u.MinBalance
		}
		if u.MaxBalance != nil {
			b.MaxBalance = u.MaxBalance
			if *u.MaxBalance == 0 {
				b.MaxBalance = nil
			}
		}
		if u.Confirmation != nil {
			b.Confirmation = *u.Confirmation
		}
		if err := b.Validate(); err != nil {
			return nil, "", err
		}
		b.UpdatedAt, b.UpdatedBy = now, actor
		b.Version++
		return &Batch{Banks: []*Bank{b}, Events: []Event{event(b.ID, now, actor, "bank.update", b.ID, "")}}, b.ID, nil
	}, s.store.Bank)
	if err != nil {
		return nil, fmt.Errorf("update bank %s: %w", bankID, err)
	}
	return b, nil
}

// NewMember asks to add a person or an organisation to a bank.
type NewMember struct {
	Bank    string
	Kind    Kind // "" means Individual
	Role    Role // "" means RoleMember
	Trusted bool
	Name    string
	Email   string
	Phone   string
	Ward    string // the ward they live or work in; optional
	// MinBalance and MaxBalance override the bank's limits when set.
	MinBalance *int64
	MaxBalance *int64
	// JoinedAt is when they joined; zero means now. It may be in the past
	// when bringing in members from an earlier system, never in the future.
	JoinedAt time.Time
}

func (s *Service) newMember(in NewMember, b *Bank, actor string, now time.Time) (*Member, error) {
	m := &Member{
		ID: s.newID("mem", now), Bank: b.ID, Kind: in.Kind, Role: in.Role, Status: Active,
		Trusted: in.Trusted, Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email),
		Phone: strings.TrimSpace(in.Phone), Ward: strings.TrimSpace(in.Ward), MinBalance: in.MinBalance, MaxBalance: in.MaxBalance,
		JoinedAt: norm(in.JoinedAt), CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
	}
	if m.Kind == "" {
		m.Kind = Individual
	}
	if m.Role == "" {
		m.Role = RoleMember
	}
	if in.JoinedAt.IsZero() {
		m.JoinedAt = now
	}
	if m.JoinedAt.After(now) {
		return nil, invalid("JoinedAt", "%s is in the future", m.JoinedAt.Format(time.RFC3339))
	}
	if m.MinBalance != nil && *m.MinBalance%b.Rounding != 0 {
		return nil, invalid("MinBalance", "must be a multiple of the bank's rounding (%d minutes)", b.Rounding)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Join adds a member to a bank, with an account starting at zero. The
// actor must coordinate the bank or its parent. Errors: ErrInvalid,
// ErrNotFound, ErrForbidden.
func (s *Service) Join(ctx context.Context, w call.Write, in NewMember) (*Member, error) {
	actor := w.Actor.ID
	m, err := write(ctx, s, w, "member.join", in, func(ctx context.Context) error { return s.coordinates(ctx, actor, in.Bank) }, func(now time.Time) (*Batch, string, error) {
		b, err := s.store.Bank(ctx, in.Bank)
		if err != nil {
			return nil, "", fmt.Errorf("Bank: %w", err)
		}
		if _, err := s.coordinator(ctx, actor, b); err != nil {
			return nil, "", err
		}
		m, err := s.newMember(in, b, actor, now)
		if err != nil {
			return nil, "", err
		}
		if err := s.emailFree(ctx, b, m); err != nil {
			return nil, "", err
		}
		return &Batch{
			Members:  []*Member{m},
			Accounts: []*Account{{ID: m.ID, Bank: b.ID, Kind: MemberAccount}},
			Events:   []Event{event(b.ID, now, actor, "member.join", m.ID, string(m.Kind))},
		}, m.ID, nil
	}, s.store.Member)
	if err != nil {
		return nil, fmt.Errorf("join: %w", err)
	}
	return m, nil
}

// MemberUpdate changes a member; nil fields are left alone. A member may
// change their own contact details and ward; role, trust and limits need a
// coordinator.
type MemberUpdate struct {
	Name       *string
	Email      *string
	Phone      *string
	Ward       *string
	Role       *Role
	Trusted    *bool
	MinBalance *int64
	MaxBalance *int64
	// ClearLimits drops the member's own limits, so the bank's apply.
	ClearLimits bool
}

func (u MemberUpdate) needsCoordinator() bool {
	return u.Role != nil || u.Trusted != nil || u.MinBalance != nil || u.MaxBalance != nil || u.ClearLimits
}

// UpdateMember changes a member's details, role, trust or limits. Errors:
// ErrInvalid, ErrNotFound, ErrForbidden, ErrInvalidTransition (an erased
// member's details cannot be set again).
func (s *Service) UpdateMember(ctx context.Context, w call.Write, memberID string, u MemberUpdate) (*Member, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		if u.needsCoordinator() {
			return s.coordinatorOfMember(ctx, actor, memberID)
		}
		return s.selfOrCoordinator(ctx, actor, memberID)
	}
	return s.changeMember(ctx, w, memberID, "member.update", u, "", allow, func(m *Member, b *Bank, now time.Time, batch *Batch) error {
		if u.needsCoordinator() || actor != m.ID {
			if _, err := s.coordinator(ctx, actor, b); err != nil {
				return err
			}
		}
		if m.ErasedAt != nil && (u.Name != nil || u.Email != nil || u.Phone != nil || u.Ward != nil) {
			return fieldErr(ErrInvalidTransition, "Name", "member %s was erased; their details cannot be set again", m.ID)
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = strings.TrimSpace(*v)
			}
		}
		set(&m.Name, u.Name)
		set(&m.Email, u.Email)
		set(&m.Phone, u.Phone)
		set(&m.Ward, u.Ward)
		if u.Email != nil {
			if err := s.emailFree(ctx, b, m); err != nil {
				return err
			}
		}
		if u.Role != nil {
			m.Role = *u.Role
		}
		if u.Trusted != nil {
			m.Trusted = *u.Trusted
		}
		if u.ClearLimits {
			m.MinBalance, m.MaxBalance = nil, nil
		}
		if u.MinBalance != nil {
			if *u.MinBalance%b.Rounding != 0 {
				return invalid("MinBalance", "must be a multiple of the bank's rounding (%d minutes)", b.Rounding)
			}
			m.MinBalance = u.MinBalance
		}
		if u.MaxBalance != nil {
			m.MaxBalance = u.MaxBalance
		}
		return nil
	})
}

// Pause stops a member recording new exchanges until they resume; their
// balance and history stay. The member themself or a coordinator may
// pause. Errors: ErrNotFound, ErrForbidden, ErrInvalidTransition.
func (s *Service) Pause(ctx context.Context, w call.Write, memberID, reason string) (*Member, error) {
	return s.move(ctx, w, memberID, "member.pause", reason, Active, Paused)
}

// Resume makes a paused member active again. Errors: ErrNotFound,
// ErrForbidden, ErrInvalidTransition.
func (s *Service) Resume(ctx context.Context, w call.Write, memberID, reason string) (*Member, error) {
	return s.move(ctx, w, memberID, "member.resume", reason, Paused, Active)
}

// Leave ends a membership. The member keeps their history and balance;
// they can no longer exchange. The member themself or a coordinator may
// end it. Errors: ErrNotFound, ErrForbidden, ErrInvalidTransition.
func (s *Service) Leave(ctx context.Context, w call.Write, memberID, reason string) (*Member, error) {
	return s.move(ctx, w, memberID, "member.leave", reason, "", Left)
}

func (s *Service) move(ctx context.Context, w call.Write, memberID, op, reason string, from, to Status) (*Member, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { return s.selfOrCoordinator(ctx, actor, memberID) }
	reason = strings.TrimSpace(reason)
	return s.changeMember(ctx, w, memberID, op, reason, reason, allow, func(m *Member, b *Bank, now time.Time, batch *Batch) error {
		if err := checkText("reason", reason, maxReason); err != nil {
			return err
		}
		if actor != m.ID {
			if _, err := s.coordinator(ctx, actor, b); err != nil {
				return err
			}
		}
		if m.Status == to || (from != "" && m.Status != from) || m.Status == Left {
			return fieldErr(ErrInvalidTransition, "Status", "member %s is %s and cannot become %s", m.ID, m.Status, to)
		}
		m.Status = to
		if to == Left {
			t := now
			m.LeftAt = &t
		}
		return nil
	})
}

// Erase replaces a member's personal details with a pseudonym, on their
// request, ends their membership if it had not ended, and blanks and
// closes their offers and requests. Wherever else the library keeps text
// (exchange categories, descriptions and reasons, transfer memos, audit
// notes, listings, bank names), every copy of their name, email and phone
// is replaced by the pseudonym; see the package doc for what is kept.
// Every posting and exchange stays, so balances and reports are
// unchanged. Only a coordinator may erase. Errors: ErrForbidden,
// ErrInvalidTransition (already erased).
func (s *Service) Erase(ctx context.Context, w call.Write, memberID string) (*Member, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { return s.coordinatorOfMember(ctx, actor, memberID) }
	return s.changeMember(ctx, w, memberID, "member.erase", nil, "personal details erased on request", allow, func(m *Member, b *Bank, now time.Time, batch *Batch) error {
		if _, err := s.coordinator(ctx, actor, b); err != nil {
			return err
		}
		if m.ErasedAt != nil {
			return fieldErr(ErrInvalidTransition, "ErasedAt", "member %s is already erased", m.ID)
		}
		t := now
		batch.Erase = &Erasure{Member: m.ID, Terms: erasureTerms(m), With: pseudonym(m.ID)}
		m.Name, m.Email, m.Phone = pseudonym(m.ID), "", ""
		if m.Kind != Organisation {
			// A person's home ward, with the dates and history kept, is
			// personal data; an organisation's is where it works.
			m.Ward = ""
		}
		m.ErasedAt = &t
		if m.Status != Left {
			m.Status, m.LeftAt = Left, &t
		}
		// What they wrote in their offers and requests may name them or
		// where they live: it goes too, and the listings close.
		ls, err := s.store.Listings(ctx, ListingFilter{Member: &m.ID})
		if err != nil {
			return err
		}
		for _, l := range ls {
			l.Title, l.Description, l.Open = erasedText, "", false
			l.UpdatedAt, l.UpdatedBy = now, actor
			l.Version++
			batch.Listings = append(batch.Listings, l)
		}
		return nil
	})
}

// erasedText stands in for the text of an erased member's listings.
const erasedText = "(erased on request)"

// pseudonym is the name an erased member is shown under, and what stands
// in for their name, email and phone wherever else they were written.
func pseudonym(memberID string) string { return "Former member " + memberID }

// erasureTerms are the texts that identify m: their name, email and phone,
// as given and (the phone) without spaces. Terms shorter than three
// characters are left out: they would match too much.
func erasureTerms(m *Member) []string {
	var ts []string
	for _, t := range []string{m.Name, m.Email, m.Phone, strings.ReplaceAll(m.Phone, " ", "")} {
		t = strings.TrimSpace(t)
		if len([]rune(t)) >= 3 && !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	return ts
}

// changeMember reads a member and its bank, lets change edit the member,
// and writes it with an audit event.
func (s *Service) changeMember(ctx context.Context, w call.Write, memberID, op string, req any, note string,
	allow func(ctx context.Context) error,
	change func(m *Member, b *Bank, now time.Time, batch *Batch) error,
) (*Member, error) {
	actor := w.Actor.ID
	m, err := write(ctx, s, w, op, struct {
		Member string
		Req    any
	}{memberID, req}, allow, func(now time.Time) (*Batch, string, error) {
		m, err := s.store.Member(ctx, memberID)
		if err != nil {
			return nil, "", err
		}
		b, err := s.store.Bank(ctx, m.Bank)
		if err != nil {
			return nil, "", err
		}
		batch := &Batch{}
		if err := change(m, b, now, batch); err != nil {
			return nil, "", err
		}
		if err := m.Validate(); err != nil {
			return nil, "", err
		}
		m.UpdatedAt, m.UpdatedBy = now, actor
		m.Version++
		batch.Members = append(batch.Members, m)
		batch.Events = append(batch.Events, event(b.ID, now, actor, op, m.ID, note))
		return batch, m.ID, nil
	}, s.store.Member)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, memberID, err)
	}
	return m, nil
}

// emailFree refuses an email address another member of the bank's network
// gives already, so that an email names one member (imports find members
// by it).
func (s *Service) emailFree(ctx context.Context, b *Bank, m *Member) error {
	if m.Email == "" {
		return nil
	}
	root := b.ID
	if b.Parent != "" {
		root = b.Parent
	}
	d, err := s.directory(ctx, root)
	if err != nil {
		return err
	}
	if other, clash := d.find(m.Email); clash || (other != nil && other.ID != m.ID) {
		return fieldErr(ErrConflict, "Email", "another member of this time bank network gives this email address")
	}
	return nil
}
