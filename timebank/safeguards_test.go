package timebank_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

func TestImportRefusesOversizedFile(t *testing.T) {
	f := newFixture(t, timebank.ConfirmBoth)
	head := "date,giver,receiver,minutes\n"
	big := head + strings.Repeat("2025-03-01,"+f.ann+","+f.bob+",60\n", timebank.MaxImportBytes/40+1)
	require.Greater(t, len(big), timebank.MaxImportBytes)
	_, err := f.svc.ImportExchanges(context.Background(), call.As(f.coord).Key("big"), f.bank.ID, strings.NewReader(big))
	require.ErrorIs(t, err, timebank.ErrInvalid, "a file past the limit is refused, not cut short")
	assert.Contains(t, err.Error(), "larger than")
	assert.Zero(t, f.balance(t, f.ann))
}

func TestEmailNamesOneMember(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, err := f.svc.Join(ctx, call.As(f.coord).Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: "Another Ann", Email: "ANN@example.org"})
	require.ErrorIs(t, err, timebank.ErrConflict)
	assert.Equal(t, "Email", fieldOf(err))
	taken := "ann@example.org"
	_, err = f.svc.UpdateMember(ctx, call.As(f.bob).Key(f.key()), f.bob, timebank.MemberUpdate{Email: &taken})
	require.ErrorIs(t, err, timebank.ErrConflict, "a member cannot take another's email, and so be paid in their place by an import")
	own := "Ann@Example.org"
	_, err = f.svc.UpdateMember(ctx, call.As(f.ann).Key(f.key()), f.ann, timebank.MemberUpdate{Email: &own})
	require.NoError(t, err, "a member may restate their own address")
}

func TestOrganisationCannotIssueToItself(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, err := f.svc.Issue(ctx, call.As(f.org).Key(f.key()), timebank.Issue{Member: f.org, Minutes: 60, Certifier: f.org})
	require.ErrorIs(t, err, timebank.ErrForbidden)
	assert.Zero(t, f.balance(t, f.org))
	_, err = f.svc.Issue(ctx, call.As(f.coord).Key(f.key()), timebank.Issue{Member: f.org, Minutes: 60, Certifier: f.org})
	require.NoError(t, err, "a coordinator may")
}

func TestSitesWithSkewedClocks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, err := f.svc.Issue(ctx, call.As(f.org).Key(f.key()), timebank.Issue{Member: f.ann, Minutes: 600, Certifier: f.org})
	require.NoError(t, err)
	_, err = f.svc.Issue(ctx, call.As(f.org).Key(f.key()), timebank.Issue{Member: f.bob, Minutes: 600, Certifier: f.org})
	require.NoError(t, err)
	// A second site on the same store whose clock is a minute behind.
	behind := newClock(f.clock.Now().Add(-time.Minute))
	other := timebank.NewService(f.store, timebank.WithClock(behind.Now))
	_, err = f.svc.Donate(ctx, call.As(f.ann).Key(f.key()), f.ann, 60)
	require.NoError(t, err)
	tr, err := other.Donate(ctx, call.As(f.bob).Key(f.key()), f.bob, 60)
	require.NoError(t, err, "the pot's latest posting is ahead of this site's clock")
	pot, err := f.store.Account(ctx, f.bank.PotAccount())
	require.NoError(t, err)
	assert.Equal(t, pot.LastAt, tr.At, "posted at the pot's latest time, not before it")
	assert.Equal(t, int64(120), pot.Balance)
}

func TestPausedMemberIsStillPaid(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	x, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	require.NoError(t, err)
	_, err = f.svc.Pause(ctx, call.As(f.ann).Key(f.key()), f.ann, "away")
	require.NoError(t, err)
	x, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), x.ID)
	require.NoError(t, err, "help already given is paid while the giver is paused")
	assert.Equal(t, timebank.Confirmed, x.Status)
	assert.Equal(t, int64(60), f.balance(t, f.ann))

	y, err := f.svc.RecordExchange(ctx, call.As(f.bob).Key(f.key()), timebank.NewExchange{Giver: f.bob, Receiver: f.org, Minutes: 60})
	require.NoError(t, err)
	_, err = f.svc.Leave(ctx, call.As(f.bob).Key(f.key()), f.bob, "moving")
	require.NoError(t, err)
	_, err = f.svc.Confirm(ctx, call.As(f.org).Key(f.key()), y.ID)
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "not once they have left")
}

func TestStatementCellsAreNotFormulas(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60, Category: `=HYPERLINK("http://x")`})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, f.svc.ExportStatement(ctx, call.As(f.coord), &buf, f.ann, time.Time{}, time.Time{}))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, `'=hyperlink("http://x")`, recs[2][3])
}

func TestBrowseListings(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, err := f.svc.PostListing(ctx, call.As(f.ann).Key(f.key()), timebank.NewListing{Member: f.ann, Kind: timebank.Offer, Category: "Gardening", Title: "Weeding"})
	require.NoError(t, err)
	_, err = f.svc.PostListing(ctx, call.As(f.bob).Key(f.key()), timebank.NewListing{Member: f.bob, Kind: timebank.Request, Category: "lifts", Title: "Lift to the surgery"})
	require.NoError(t, err)
	cat, offer, open := " GARDENING ", timebank.Offer, true
	ls, err := f.svc.Listings(ctx, call.As(f.coord), timebank.ListingFilter{Bank: &f.bank.ID, Category: &cat, Kind: &offer, Open: &open})
	require.NoError(t, err)
	require.Len(t, ls, 1)
	assert.Equal(t, "Weeding", ls[0].Title)
	ms, err := f.svc.Members(ctx, call.As(f.coord), timebank.MemberFilter{Bank: &f.bank.ID})
	require.NoError(t, err)
	assert.Len(t, ms, 4, "coordinator, Ann, Bob and the hub")
	_, err = f.svc.Member(ctx, call.As(f.coord), "mem_nobody")
	assert.ErrorIs(t, err, timebank.ErrForbidden, "an unknown member is refused as any other")
	b, err := f.svc.Bank(ctx, f.bank.ID)
	require.NoError(t, err)
	assert.Equal(t, f.bank.Name, b.Name)
}

// TestTextLimits sends every free-text field too long, with a NUL byte and
// as invalid UTF-8, and checks each is refused with a *FieldError naming it
// before anything is stored.
func TestTextLimits(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	coord := call.As(f.coord)
	long := func(n int) string { return strings.Repeat("a", n+1) }
	bads := map[string]string{"long": "", "NUL": "ab\x00cd", "invalid UTF-8": "ab\xffcd"}
	x, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	require.NoError(t, err)
	for kind, bad := range bads {
		pick := func(limit int) string {
			if kind == "long" {
				return long(limit)
			}
			return bad
		}
		cases := []struct {
			field string
			call  func() error
		}{
			{"Name", func() error {
				_, err := f.svc.Join(ctx, coord.Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: pick(200)})
				return err
			}},
			{"Email", func() error {
				_, err := f.svc.Join(ctx, coord.Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: "E", Email: pick(254-12) + "@example.org"})
				return err
			}},
			{"Phone", func() error {
				_, err := f.svc.Join(ctx, coord.Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: "P", Phone: pick(40)})
				return err
			}},
			{"Name", func() error {
				_, _, err := f.svc.OpenBank(ctx, call.As("officer-1").Key(f.key()), timebank.NewBank{Name: pick(200), Coordinator: timebank.NewMember{Name: "C"}})
				return err
			}},
			{"Description", func() error {
				_, err := f.svc.RecordExchange(ctx, coord.Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60, Description: pick(2000)})
				return err
			}},
			{"Category", func() error {
				_, err := f.svc.RecordExchange(ctx, coord.Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60, Category: pick(100)})
				return err
			}},
			{"reason", func() error { _, err := f.svc.Void(ctx, coord.Key(f.key()), x.ID, pick(500)); return err }},
			{"reason", func() error { _, err := f.svc.Pause(ctx, coord.Key(f.key()), f.ann, pick(500)); return err }},
			{"reason", func() error { _, err := f.svc.Leave(ctx, coord.Key(f.key()), f.ann, pick(500)); return err }},
			{"reason", func() error { _, err := f.svc.Grant(ctx, coord.Key(f.key()), f.bob, 60, pick(500)); return err }},
			{"Title", func() error {
				_, err := f.svc.PostListing(ctx, coord.Key(f.key()), timebank.NewListing{Member: f.ann, Kind: timebank.Offer, Title: pick(200)})
				return err
			}},
			{"Description", func() error {
				_, err := f.svc.Issue(ctx, coord.Key(f.key()), timebank.Issue{Member: f.ann, Minutes: 60, Certifier: f.org, Description: pick(2000)})
				return err
			}},
		}
		for _, c := range cases {
			err := c.call()
			require.ErrorIs(t, err, timebank.ErrInvalid, "%s %s", kind, c.field)
			assert.Equal(t, c.field, fieldOf(err), "%s %s: %v", kind, c.field, err)
		}
	}
	m, err := f.svc.Member(ctx, coord, f.ann)
	require.NoError(t, err)
	assert.Equal(t, timebank.Active, m.Status, "nothing was written")
}

// countingReader counts what is read from it.
type countingReader struct{ n int }

func (r *countingReader) Read(p []byte) (int, error) { r.n += len(p); return len(p), nil }

// TestImportChecksActorFirst: a stranger's import is refused before a
// byte of the file is read.
func TestImportChecksActorFirst(t *testing.T) {
	f := newFixture(t, timebank.ConfirmBoth)
	r := &countingReader{}
	_, err := f.svc.ImportExchanges(context.Background(), call.As(f.ann).Key("imp"), f.bank.ID, r)
	require.ErrorIs(t, err, timebank.ErrForbidden)
	assert.Zero(t, r.n, "nothing read before the actor was checked")
	_, err = f.svc.ImportExchanges(context.Background(), call.As("stranger").Key("imp"), "bank-unknown", r)
	require.ErrorIs(t, err, timebank.ErrForbidden, "an unknown bank is refused as any other")
	assert.Zero(t, r.n)
}

// A second borough bank on the same store, with a member of its own.
func (f *fixture) otherNetwork(t *testing.T) (coord, member string) {
	t.Helper()
	ctx := context.Background()
	_, c, err := f.svc.OpenBank(ctx, call.As("officer-1").Key(f.key()), timebank.NewBank{
		Name: "Basildon Time Bank", Coordinator: timebank.NewMember{Name: "Dee Coordinator"},
	})
	require.NoError(t, err)
	m, err := f.svc.Join(ctx, call.As(c.ID).Key(f.key()), timebank.NewMember{Bank: c.Bank, Name: "Gil"})
	require.NoError(t, err)
	return c.ID, m.ID
}

func TestRecordingNeverProbesAnotherNetwork(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, gil := f.otherNetwork(t)
	for _, in := range []timebank.NewExchange{
		{Giver: f.ann, Receiver: gil, Minutes: 60},
		{Giver: gil, Receiver: f.ann, Minutes: 60},
	} {
		_, errOther := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), in)
		require.ErrorIs(t, errOther, timebank.ErrNotFound)
		unknown := in
		if unknown.Giver == gil {
			unknown.Giver = "mem-nobody"
		} else {
			unknown.Receiver = "mem-nobody"
		}
		_, errNone := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), unknown)
		require.ErrorIs(t, errNone, timebank.ErrNotFound)
		assert.Equal(t, fieldOf(errNone), fieldOf(errOther), "the same field for a member elsewhere and for no member")
		assert.Equal(t, strings.ReplaceAll(errNone.Error(), "mem-nobody", gil), errOther.Error(),
			"the same words for a member elsewhere and for no member")
	}
	_, errOther := f.svc.RecordGroup(ctx, call.As(f.coord).Key(f.key()), timebank.GroupExchange{Giver: f.ann, Shares: []timebank.Share{{Member: gil, Minutes: 60}}})
	_, errNone := f.svc.RecordGroup(ctx, call.As(f.coord).Key(f.key()), timebank.GroupExchange{Giver: f.ann, Shares: []timebank.Share{{Member: "mem-nobody", Minutes: 60}}})
	require.ErrorIs(t, errOther, timebank.ErrNotFound)
	assert.Equal(t, strings.ReplaceAll(errNone.Error(), "mem-nobody", gil), errOther.Error())
}

func TestCertifierMustBelongToTheNetwork(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	// A stranger, and Bob (a person), naming themselves Certifier learn
	// nothing: unknown members, paused members and members of another
	// network all give ErrForbidden before anything is read.
	_, gil := f.otherNetwork(t)
	_, err := f.svc.Pause(ctx, call.As(f.coord).Key(f.key()), f.ann, "away")
	require.NoError(t, err)
	for _, actor := range []string{"mem-stranger", f.bob} {
		for _, member := range []string{f.ann, "mem-nobody", gil} {
			_, err := f.svc.Issue(ctx, call.As(actor).Key(f.key()), timebank.Issue{Member: member, Minutes: 60, Certifier: actor})
			assert.ErrorIs(t, err, timebank.ErrForbidden, "%s issuing to %s", actor, member)
		}
	}
	// An organisation of another network may not issue here either.
	oc, _ := f.otherNetwork(t)
	org2, err := f.svc.Join(ctx, call.As(oc).Key(f.key()), timebank.NewMember{Bank: mustMember(t, f, oc).Bank, Name: "Other Hub", Kind: timebank.Organisation})
	require.NoError(t, err)
	_, err = f.svc.Issue(ctx, call.As(org2.ID).Key(f.key()), timebank.Issue{Member: f.bob, Minutes: 60, Certifier: org2.ID})
	assert.ErrorIs(t, err, timebank.ErrForbidden)
	assert.Zero(t, f.balance(t, f.bob))
	// The network's own organisation still may.
	_, err = f.svc.Issue(ctx, call.As(f.org).Key(f.key()), timebank.Issue{Member: f.bob, Minutes: 60, Certifier: f.org})
	require.NoError(t, err)
	assert.Equal(t, int64(60), f.balance(t, f.bob))
}

func mustMember(t *testing.T, f *fixture, id string) *timebank.Member {
	t.Helper()
	m, err := f.svc.Member(context.Background(), call.As(id), id)
	require.NoError(t, err)
	return m
}

func TestLeftOrganisationCannotReplayMiniBank(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	in := timebank.NewMiniBank{Parent: f.bank.ID, Organisation: f.org,
		NewBank: timebank.NewBank{Name: "Hub Time Bank", Coordinator: timebank.NewMember{Name: "Hana", Email: "hana@example.org"}}}
	w := call.As(f.org).Key("mini-1")
	_, hana, err := f.svc.OpenMiniBank(ctx, w, in)
	require.NoError(t, err)
	_, again, err := f.svc.OpenMiniBank(ctx, w, in)
	require.NoError(t, err, "a replay while the organisation is active returns the first result")
	assert.Equal(t, hana.ID, again.ID)
	_, err = f.svc.Leave(ctx, call.As(f.coord).Key(f.key()), f.org, "closed")
	require.NoError(t, err)
	_, m, err := f.svc.OpenMiniBank(ctx, w, in)
	require.ErrorIs(t, err, timebank.ErrForbidden, "an organisation that left cannot read the coordinator back")
	assert.Nil(t, m)
}
