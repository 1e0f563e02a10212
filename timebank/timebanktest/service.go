package timebanktest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/storetest"
	"github.com/strongertogether/community/timebank"
)

// The sub-tests in this file drive a timebank.Service over the store: what
// they check (one first administrator, keys scoped to their actor,
// authority re-checked on replay, one email per network, erasure) depends
// on the store's atomicity and on what it keeps.

// serviceClock is a clock that moves on a second at each reading.
type serviceClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *serviceClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// world is a Service over the store under test, with a borough bank, its
// coordinator and two members, opened by administrator officer.
type world struct {
	t        *testing.T
	ctx      context.Context
	svc      *timebank.Service
	officer  call.Actor
	bank     *timebank.Bank
	coord    call.Actor
	ann, bob *timebank.Member
	n        int
}

func (w *world) key() string { w.n++; return fmt.Sprintf("k-%d", w.n) }

func newService(s timebank.Store) *timebank.Service {
	c := &serviceClock{t: t0()}
	return timebank.NewService(s, timebank.WithClock(c.now))
}

func newWorld(t *testing.T, s timebank.Store) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), svc: newService(s), officer: call.As("officer-1")}
	require.NoError(t, w.svc.Bootstrap(w.ctx, w.officer))
	b, c, err := w.svc.OpenBank(w.ctx, w.officer.Key("open"), timebank.NewBank{
		Name: "Conformance Time Bank", MinBalance: -600,
		Coordinator: timebank.NewMember{Name: "Cath Coordinator", Email: "cath@example.org"},
	})
	require.NoError(t, err)
	w.bank, w.coord = b, call.As(c.ID)
	w.ann = w.join(timebank.NewMember{Name: "Ann Andrews", Email: "ann.andrews@example.org", Phone: "01375 652000"})
	w.bob = w.join(timebank.NewMember{Name: "Bob Brown"})
	return w
}

func (w *world) join(m timebank.NewMember) *timebank.Member {
	w.t.Helper()
	if m.Bank == "" {
		m.Bank = w.bank.ID
	}
	got, err := w.svc.Join(w.ctx, w.coord.Key(w.key()), m)
	require.NoError(w.t, err)
	return got
}

// testBootstrapRace: 8 officers race to be the first administrator of an
// empty store; exactly one wins, the rest get ErrConflict, the winner's
// retry is nil, a later caller gets ErrConflict, and only the
// administrator may make others administrators.
func testBootstrapRace(t *testing.T, s timebank.Store) {
	ctx := context.Background()
	svc := newService(s)
	const racers = 8
	errs := storetest.Race(racers, func(i int) error {
		return svc.Bootstrap(ctx, call.As(fmt.Sprintf("officer-%d", i)))
	})
	ok, conflicts := storetest.Count(t, errs, timebank.ErrConflict)
	assert.Equal(t, 1, ok, "exactly one first administrator")
	assert.Equal(t, racers-1, conflicts, "every other racer gets ErrConflict")
	admins, err := s.Admins(ctx)
	require.NoError(t, err)
	require.Len(t, admins, 1, "the store holds one administrator")
	winner := call.As(admins[0].ID)
	assert.Equal(t, winner.ID, admins[0].GrantedBy)
	assert.NoError(t, svc.Bootstrap(ctx, winner), "the winner's retry")
	assert.ErrorIs(t, svc.Bootstrap(ctx, call.As("officer-late")), timebank.ErrConflict, "a later caller")

	// Every later role is granted by someone who holds the right role.
	loser := call.As("officer-late")
	_, err = svc.GrantAdmin(ctx, loser.Key("g"), loser.ID)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a non-administrator cannot make themself one")
	_, _, err = svc.OpenBank(ctx, loser.Key("open"), timebank.NewBank{Name: "Rogue", Coordinator: timebank.NewMember{Name: "R"}})
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a non-administrator cannot open a bank")
	a, err := svc.GrantAdmin(ctx, winner.Key("g"), loser.ID)
	require.NoError(t, err, "the administrator grants")
	assert.Equal(t, winner.ID, a.GrantedBy)
	_, _, err = svc.OpenBank(ctx, loser.Key("open"), timebank.NewBank{Name: "Second", Coordinator: timebank.NewMember{Name: "S"}})
	assert.NoError(t, err, "the new administrator opens a bank")
}

// testKeyScoping: the same key from two actors is two requests, and a key
// reused by one actor for another request is ErrConflict.
func testKeyScoping(t *testing.T, s timebank.Store) {
	w := newWorld(t, s)
	other := call.As("officer-2")
	_, err := w.svc.GrantAdmin(w.ctx, w.officer.Key("grant"), other.ID)
	require.NoError(t, err)
	b1, _, err := w.svc.OpenBank(w.ctx, w.officer.Key("open-1"), timebank.NewBank{Name: "North", Coordinator: timebank.NewMember{Name: "N"}})
	require.NoError(t, err)
	b2, _, err := w.svc.OpenBank(w.ctx, other.Key("open-1"), timebank.NewBank{Name: "South", Coordinator: timebank.NewMember{Name: "S"}})
	require.NoError(t, err, "another officer's key open-1 is another request")
	assert.NotEqual(t, b1.ID, b2.ID)
	again, _, err := w.svc.OpenBank(w.ctx, other.Key("open-1"), timebank.NewBank{Name: "South", Coordinator: timebank.NewMember{Name: "S"}})
	require.NoError(t, err, "a retry")
	assert.Equal(t, b2.ID, again.ID, "a retry returns the first result")
	_, _, err = w.svc.OpenBank(w.ctx, other.Key("open-1"), timebank.NewBank{Name: "East", Coordinator: timebank.NewMember{Name: "E"}})
	assert.ErrorIs(t, err, timebank.ErrConflict, "the same key for a different request")
}

// testReplayAfterDemotion: a coordinator demoted to member who replays an
// earlier Join's key gets ErrForbidden, not the member it added.
func testReplayAfterDemotion(t *testing.T, s timebank.Store) {
	w := newWorld(t, s)
	deputy := w.join(timebank.NewMember{Name: "Dee Deputy", Role: timebank.RoleCoordinator})
	as := call.As(deputy.ID)
	req := timebank.NewMember{Bank: w.bank.ID, Name: "Eve Evans", Email: "eve@example.org"}
	m, err := w.svc.Join(w.ctx, as.Key("join-eve"), req)
	require.NoError(t, err)
	again, err := w.svc.Join(w.ctx, as.Key("join-eve"), req)
	require.NoError(t, err, "a retry while still a coordinator")
	assert.Equal(t, m.ID, again.ID)

	member := timebank.RoleMember
	_, err = w.svc.UpdateMember(w.ctx, w.coord.Key(w.key()), deputy.ID, timebank.MemberUpdate{Role: &member})
	require.NoError(t, err)
	got, err := w.svc.Join(w.ctx, as.Key("join-eve"), req)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a replay re-checks the actor's authority")
	assert.Nil(t, got, "and returns nothing")
}

// testAuthorityFirst: a stranger acting on an exchange gets ErrForbidden
// whatever state it is in, and for an id that does not exist.
func testAuthorityFirst(t *testing.T, s timebank.Store) {
	w := newWorld(t, s)
	x, err := w.svc.RecordExchange(w.ctx, w.coord.Key(w.key()), timebank.NewExchange{Giver: w.ann.ID, Receiver: w.bob.ID, Minutes: 60})
	require.NoError(t, err)
	require.Equal(t, timebank.Confirmed, x.Status, "a coordinator's record confirms at once")
	stranger := call.As("stranger")
	_, err = w.svc.Confirm(w.ctx, stranger.Key("c"), x.ID)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a stranger confirming a confirmed exchange")
	_, err = w.svc.Confirm(w.ctx, stranger.Key("c2"), "exc-unknown")
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a stranger confirming an unknown exchange")
	_, err = w.svc.Member(w.ctx, stranger, w.ann.ID)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a stranger reading a member")
	_, err = w.svc.Member(w.ctx, stranger, "mem-unknown")
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a stranger reading an unknown member")
	_, err = w.svc.Statement(w.ctx, call.As(w.bob.ID), w.ann.ID, time.Time{}, time.Time{}, 0, 0)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a member reading another's statement")
	_, err = w.svc.Audit(w.ctx, call.As(w.ann.ID), w.bank.ID, "")
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a member reading the audit trail")
}

// testEmailRace: 8 concurrent Joins give one email; exactly one member is
// made, the others get ErrConflict.
func testEmailRace(t *testing.T, s timebank.Store) {
	w := newWorld(t, s)
	const racers = 8
	errs := storetest.Race(racers, func(i int) error {
		_, err := w.svc.Join(w.ctx, w.coord.Key(fmt.Sprintf("race-%d", i)), timebank.NewMember{
			Bank: w.bank.ID, Name: fmt.Sprintf("Racer %d", i), Email: "Same.Person@example.org"})
		return err
	})
	ok, conflicts := storetest.Count(t, errs, timebank.ErrConflict)
	assert.Equal(t, 1, ok, "exactly one member gets the email")
	assert.Equal(t, racers-1, conflicts)
	ms, err := w.svc.Members(w.ctx, w.coord, timebank.MemberFilter{Bank: &w.bank.ID})
	require.NoError(t, err)
	n := 0
	for _, m := range ms {
		if strings.EqualFold(m.Email, "same.person@example.org") {
			n++
		}
	}
	assert.Equal(t, 1, n, "one member with the email in the store")
	_, err = w.svc.Join(w.ctx, w.coord.Key("late"), timebank.NewMember{Bank: w.bank.ID, Name: "Late", Email: "SAME.PERSON@example.org"})
	assert.ErrorIs(t, err, timebank.ErrConflict, "in any case")

	// Capitals outside ASCII are the same address too, however the race
	// falls: the store's own check folds all of Unicode.
	cases := []string{"Élodie.Ünal@example.org", "élodie.ünal@example.org", "ÉLODIE.ÜNAL@EXAMPLE.ORG", "élodie.Ünal@Example.org"}
	errs = storetest.Race(racers, func(i int) error {
		_, err := w.svc.Join(w.ctx, w.coord.Key(fmt.Sprintf("race-u-%d", i)), timebank.NewMember{
			Bank: w.bank.ID, Name: fmt.Sprintf("Unicode Racer %d", i), Email: cases[i%len(cases)]})
		return err
	})
	ok, conflicts = storetest.Count(t, errs, timebank.ErrConflict)
	assert.Equal(t, 1, ok, "exactly one member gets the address, in whichever case")
	assert.Equal(t, racers-1, conflicts)
}

// testErasure erases a member who has exchanges, memos, audit notes,
// listings and receipts, then searches every text the store returns for
// their name, email and phone.
func testErasure(t *testing.T, s timebank.Store) {
	w := newWorld(t, s)
	ann, bob := w.ann, w.bob
	asAnn, asBob := call.As(ann.ID), call.As(bob.ID)
	terms := []string{ann.Name, ann.Email, ann.Phone, "01375652000"}

	// Exchanges that name her in their category and description; one
	// reversed with a reason that gives her email, one voided.
	x1, err := w.svc.RecordExchange(w.ctx, w.coord.Key("join-"+ann.Name), timebank.NewExchange{Giver: ann.ID, Receiver: bob.ID, Minutes: 60,
		Category: "help for " + ann.Name, Description: "Ann Andrews (01375 652000) dug Bob's garden"})
	require.NoError(t, err)
	_, err = w.svc.Reverse(w.ctx, w.coord.Key(w.key()), x1.ID, "entered twice; ask ann.andrews@example.org")
	require.NoError(t, err)
	x2, err := w.svc.RecordExchange(w.ctx, asBob.Key(w.key()), timebank.NewExchange{Giver: bob.ID, Receiver: ann.ID, Minutes: 30,
		Description: "lift for ANN ANDREWS"})
	require.NoError(t, err)
	_, err = w.svc.Void(w.ctx, w.coord.Key(w.key()), x2.ID, "Ann Andrews was away")
	require.NoError(t, err)
	// A grant whose memo gives her phone, a donation, a listing, notes.
	_, err = w.svc.Donate(w.ctx, asBob.Key(w.key()), bob.ID, 60)
	require.NoError(t, err)
	_, err = w.svc.Grant(w.ctx, w.coord.Key(w.key()), ann.ID, 60, "call 01375 652000 first")
	require.NoError(t, err)
	_, err = w.svc.Donate(w.ctx, asAnn.Key(w.key()), ann.ID, 15)
	require.NoError(t, err)
	_, err = w.svc.PostListing(w.ctx, asAnn.Key(w.key()), timebank.NewListing{Member: ann.ID, Kind: timebank.Offer,
		Category: "gardening", Title: "Ann Andrews digs", Description: "ring 01375 652000"})
	require.NoError(t, err)
	_, err = w.svc.PostListing(w.ctx, asBob.Key(w.key()), timebank.NewListing{Member: bob.ID, Kind: timebank.Request,
		Category: "lifts", Title: "Lift with Ann Andrews", Description: "as ann.andrews@example.org offered"})
	require.NoError(t, err)
	_, err = w.svc.Pause(w.ctx, w.coord.Key(w.key()), ann.ID, "Ann Andrews is in hospital")
	require.NoError(t, err)
	_, err = w.svc.Resume(w.ctx, asAnn.Key("resume-"+ann.Email), ann.ID, "back; ann.andrews@example.org")
	require.NoError(t, err)
	// She lives in a ward; an organisation's ward is where it works.
	ward := "Grays Riverside"
	_, err = w.svc.UpdateMember(w.ctx, asAnn.Key(w.key()), ann.ID, timebank.MemberUpdate{Ward: &ward})
	require.NoError(t, err)
	org, err := w.svc.Join(w.ctx, w.coord.Key(w.key()), timebank.NewMember{Bank: w.bank.ID, Kind: timebank.Organisation,
		Name: "Grays Food Bank", Ward: ward})
	require.NoError(t, err)
	before := storedText(t, w.ctx, s)
	require.True(t, containsAny(before, terms), "the test's data names her before the erasure")

	_, err = w.svc.Erase(w.ctx, w.coord.Key(w.key()), ann.ID)
	require.NoError(t, err)
	for _, line := range storedText(t, w.ctx, s) {
		for _, term := range terms {
			assert.NotContains(t, strings.ToLower(line), strings.ToLower(term), "erased text still stored")
		}
	}
	m, err := w.svc.Member(w.ctx, w.coord, ann.ID)
	require.NoError(t, err)
	assert.NotNil(t, m.ErasedAt)
	assert.Empty(t, m.Ward, "a person's home ward goes with their details")
	_, err = w.svc.UpdateMember(w.ctx, w.coord.Key(w.key()), ann.ID, timebank.MemberUpdate{Ward: &ward})
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "an erased member's ward cannot be set again")
	_, err = w.svc.Erase(w.ctx, w.coord.Key(w.key()), org.ID)
	require.NoError(t, err)
	o, err := w.svc.Member(w.ctx, w.coord, org.ID)
	require.NoError(t, err)
	assert.Equal(t, ward, o.Ward, "an organisation keeps the ward it works in")
	bal, err := w.svc.Balance(w.ctx, w.coord, ann.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(45), bal, "the ledger stays whole: +60 -60 +60 -15")
	// The bank's Mini Time Banks and its other members are untouched.
	b, err := w.svc.Member(w.ctx, w.coord, bob.ID)
	require.NoError(t, err)
	assert.Equal(t, "Bob Brown", b.Name)
}

// storedText returns every text the store gives back through its reads:
// banks, members, listings, exchanges, transfers (through every account's
// entries) and the audit trail.
func storedText(t *testing.T, ctx context.Context, s timebank.Store) []string {
	t.Helper()
	var out []string
	add := func(v ...string) { out = append(out, v...) }
	banks, err := s.Banks(ctx, timebank.BankFilter{})
	require.NoError(t, err)
	for _, b := range banks {
		add(b.Name, b.CreatedBy, b.UpdatedBy)
	}
	ms, err := s.Members(ctx, timebank.MemberFilter{})
	require.NoError(t, err)
	for _, m := range ms {
		add(m.ID, m.Name, m.Email, m.Phone, m.CreatedBy, m.UpdatedBy)
	}
	ls, err := s.Listings(ctx, timebank.ListingFilter{})
	require.NoError(t, err)
	for _, l := range ls {
		add(l.Category, l.Title, l.Description, l.UpdatedBy)
	}
	xs, err := s.Exchanges(ctx, timebank.ExchangeFilter{})
	require.NoError(t, err)
	for _, x := range xs {
		add(x.Category, x.Description, x.Reason, x.CreatedBy, x.UpdatedBy)
	}
	as, err := s.Accounts(ctx, timebank.AccountFilter{})
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, a := range as {
		es, err := s.Entries(ctx, timebank.EntryFilter{Account: a.ID})
		require.NoError(t, err)
		for _, e := range es {
			add(e.Memo)
			if !seen[e.Transfer] {
				seen[e.Transfer] = true
				tr, err := s.Transfer(ctx, e.Transfer)
				require.NoError(t, err)
				add(tr.Memo, tr.Actor)
			}
		}
	}
	ev, err := s.Events(ctx, timebank.EventFilter{})
	require.NoError(t, err)
	for _, e := range ev {
		add(e.Actor, e.Action, e.Subject, e.Note)
	}
	return out
}

func containsAny(lines, terms []string) bool {
	for _, l := range lines {
		for _, term := range terms {
			if strings.Contains(strings.ToLower(l), strings.ToLower(term)) {
				return true
			}
		}
	}
	return false
}
