package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// TestTimebankGolden opens testdata/golden/timebank.sqlite, a database
// written by the time bank store as it was before migration 0010 (tables
// without their timebank_ prefix), with every record kind and every field
// set, and reads every record back through the Service.
func TestTimebankGolden(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "timebank.sqlite"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "golden.sqlite")
	require.NoError(t, os.WriteFile(path, src, 0o600))
	db, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	svc := timebank.NewService(NewTimebankStore(db))

	t0 := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	p := func(v int64) *int64 { return &v }
	tp := func(v time.Time) *time.Time { return &v }
	coord := call.As("coord-1")

	bank, err := svc.Bank(ctx, "bank-1")
	require.NoError(t, err)
	assert.Equal(t, &timebank.Bank{ID: "bank-1", Name: "Golden Time Bank", Rounding: 15, MinBalance: -600, MaxBalance: p(6000),
		Confirmation: timebank.ConfirmTrusted, CreatedAt: at(0), CreatedBy: "officer-1", UpdatedAt: at(time.Hour), UpdatedBy: "coord-1", Version: 1}, bank)
	mini, err := svc.Bank(ctx, "bank-2")
	require.NoError(t, err)
	assert.Equal(t, &timebank.Bank{ID: "bank-2", Name: "Golden Mini Bank", Parent: "bank-1", Organisation: "org-1", Rounding: 30, MinBalance: -300, MaxBalance: p(3000),
		Confirmation: timebank.ConfirmCoordinator, CreatedAt: at(2 * time.Hour), CreatedBy: "coord-1", UpdatedAt: at(3 * time.Hour), UpdatedBy: "org-1", Version: 1}, mini)

	want := []*timebank.Member{
		{ID: "coord-1", Bank: "bank-1", Kind: timebank.Individual, Role: timebank.RoleCoordinator, Status: timebank.Active, Trusted: true,
			Name: "Cora Ordinator", Email: "cora@example.org", Phone: "01375 000001", MinBalance: p(-900), MaxBalance: p(9000),
			JoinedAt: at(0), CreatedBy: "officer-1", UpdatedAt: at(time.Minute), UpdatedBy: "officer-1", Version: 1},
		{ID: "mem-1", Bank: "bank-1", Kind: timebank.Individual, Role: timebank.RoleMember, Status: timebank.Paused, Trusted: true,
			Name: "Gwen Giver", Email: "gwen@example.org", Phone: "01375 000002", MinBalance: p(-1200), MaxBalance: p(12000),
			JoinedAt: at(-24 * time.Hour), CreatedBy: "coord-1", UpdatedAt: at(4 * time.Hour), UpdatedBy: "mem-1", Version: 1},
		{ID: "mem-2", Bank: "bank-1", Kind: timebank.Individual, Role: timebank.RoleMember, Status: timebank.Left, Trusted: true,
			Name: "Rob Receiver", Email: "rob@example.org", Phone: "01375 000003", MinBalance: p(-600), MaxBalance: p(600),
			JoinedAt: at(-48 * time.Hour), LeftAt: tp(at(10 * time.Hour)), ErasedAt: tp(at(11 * time.Hour)), CreatedBy: "coord-1", UpdatedAt: at(11 * time.Hour), UpdatedBy: "coord-1", Version: 1},
		{ID: "org-1", Bank: "bank-1", Kind: timebank.Organisation, Role: timebank.RoleMember, Status: timebank.Active, Trusted: true,
			Name: "Golden Community Trust", Email: "trust@example.org", Phone: "01375 000004", MinBalance: p(-60000), MaxBalance: p(60000),
			JoinedAt: at(-72 * time.Hour), CreatedBy: "coord-1", UpdatedAt: at(time.Hour), UpdatedBy: "coord-1", Version: 1},
	}
	ms, err := svc.Members(ctx, coord, timebank.MemberFilter{Bank: &bank.ID})
	require.NoError(t, err)
	assert.Equal(t, want, ms)
	for _, m := range want {
		got, err := svc.Member(ctx, coord, m.ID)
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}

	ls, err := svc.Listings(ctx, coord, timebank.ListingFilter{Bank: &bank.ID})
	require.NoError(t, err)
	assert.Equal(t, []*timebank.Listing{{ID: "lst-1", Bank: "bank-1", Member: "mem-1", Kind: timebank.Offer, Category: "gardening",
		Title: "Hedge trimming", Description: "I can trim hedges on Saturdays", Open: true, CreatedAt: at(5 * time.Hour), UpdatedAt: at(6 * time.Hour), UpdatedBy: "mem-1", Version: 1}}, ls)

	x, err := svc.Exchange(ctx, coord, "exc-1")
	require.NoError(t, err)
	assert.Equal(t, &timebank.Exchange{ID: "exc-1", Bank: "bank-1", Giver: "mem-1", Receiver: "mem-2", Minutes: 90, Date: at(7 * time.Hour),
		Category: "gardening", Description: "Trimmed the front hedge", Listing: "lst-1", Status: timebank.Reversed,
		GiverConfirmed: &timebank.Stamp{By: "mem-1", At: at(7*time.Hour + time.Minute)}, ReceiverConfirmed: &timebank.Stamp{By: "mem-2", At: at(7*time.Hour + 2*time.Minute)},
		Approved: &timebank.Stamp{By: "coord-1", At: at(7*time.Hour + 3*time.Minute)}, Transfer: "tr-1", Reversal: "tr-2", Reason: "entered twice",
		CreatedAt: at(7 * time.Hour), CreatedBy: "mem-1", UpdatedAt: at(8 * time.Hour), UpdatedBy: "coord-1", Version: 1}, x)

	// The transfers, through the statements of every account they moved.
	type line struct {
		tr      string
		kind    timebank.TransferKind
		amount  int64
		balance int64
		at      time.Time
		memo    string
	}
	statements := map[string][]line{
		"mem-2": {
			{"tr-0", timebank.KindIssue, 240, 240, at(6 * time.Hour), "voluntary work certified by org-1"},
			{"tr-1", timebank.KindExchange, -90, 150, at(7*time.Hour + 3*time.Minute), "gardening"},
			{"tr-2", timebank.KindReversal, 90, 240, at(8 * time.Hour), "entered twice"},
			{"tr-3", timebank.KindDonation, -60, 180, at(9 * time.Hour), "donation to the community pot"},
		},
		"mem-1": {
			{"tr-1", timebank.KindExchange, 90, 90, at(7*time.Hour + 3*time.Minute), "gardening"},
			{"tr-2", timebank.KindReversal, -90, 0, at(8 * time.Hour), "entered twice"},
			{"tr-5", timebank.KindGroup, 60, 60, at(9*time.Hour + 2*time.Minute), "events"},
		},
		"coord-1": {
			{"tr-4", timebank.KindGrant, 30, 30, at(9*time.Hour + time.Minute), "a start for a new member"},
			{"tr-5", timebank.KindGroup, 60, 90, at(9*time.Hour + 2*time.Minute), "events"},
		},
		"org-1":          {{"tr-5", timebank.KindGroup, -120, -120, at(9*time.Hour + 2*time.Minute), "events"}},
		"bank-1/pot":     {{"tr-3", timebank.KindDonation, 60, 60, at(9 * time.Hour), "donation to the community pot"}, {"tr-4", timebank.KindGrant, -30, 30, at(9*time.Hour + time.Minute), "a start for a new member"}},
		"bank-1/issuing": {{"tr-0", timebank.KindIssue, -240, -240, at(6 * time.Hour), "voluntary work certified by org-1"}},
	}
	for account, lines := range statements {
		st, err := svc.Statement(ctx, coord, account, time.Time{}, at(24*time.Hour), 0, 0)
		require.NoError(t, err, account)
		var got []line
		for _, e := range st.Entries {
			assert.Equal(t, account, e.Account)
			got = append(got, line{e.Transfer, e.Kind, e.Amount, e.Balance, e.At, e.Memo})
		}
		assert.Equal(t, lines, got, account)
		bal, err := svc.Balance(ctx, coord, account)
		require.NoError(t, err)
		assert.Equal(t, lines[len(lines)-1].balance, bal, account)
	}
	for _, a := range []string{"bank-2/issuing", "bank-2/pot"} {
		bal, err := svc.Balance(ctx, coord, a)
		require.NoError(t, err, a)
		assert.Zero(t, bal, a)
	}
	var csv bytes.Buffer
	require.NoError(t, svc.ExportStatement(ctx, coord, &csv, "mem-2", time.Time{}, at(24*time.Hour)))
	assert.Contains(t, csv.String(), "tr-2,reversal,entered twice,90,1.5,240,4")

	ev, err := svc.Audit(ctx, coord, "bank-1", "")
	require.NoError(t, err)
	require.Len(t, ev, 3)
	assert.Equal(t, timebank.Event{Seq: 1, Bank: "bank-1", At: at(0), Actor: "officer-1", Action: "bank.open", Subject: "bank-1", Note: "opened at the library"}, ev[0])
	assert.Equal(t, timebank.Event{Seq: 2, Bank: "bank-1", At: at(7 * time.Hour), Actor: "mem-1", Action: "exchange.record", Subject: "exc-1", Note: "recorded by the giver"}, ev[1])
	assert.Equal(t, timebank.Event{Seq: 3, Bank: "bank-1", At: at(8 * time.Hour), Actor: "coord-1", Action: "exchange.reverse", Subject: "exc-1", Note: "entered twice"}, ev[2])

	r, err := svc.Report(ctx, "bank-1", at(-time.Hour), at(24*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, []string{"bank-1", "bank-2"}, r.Banks)
	assert.Equal(t, int64(240), r.IssuedMinutes)
	assert.Equal(t, int64(60), r.DonatedMinutes)
	assert.Equal(t, int64(30), r.GrantedMinutes)

	// The receipt written before the upgrade survives the rename, and the
	// store keeps working: its coordinator can still add a member.
	rc, err := NewTimebankStore(db).Receipt(ctx, "golden-key-1")
	require.NoError(t, err)
	assert.Equal(t, &timebank.Receipt{Key: "golden-key-1", Hash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", Result: "bank-1 coord-1", At: at(9 * time.Hour)}, rc)
	_, err = svc.Join(ctx, coord.Key("after-upgrade"), timebank.NewMember{Bank: "bank-1", Name: "New", Email: "GWEN@example.org"})
	assert.ErrorIs(t, err, timebank.ErrConflict, "the email index holds for old rows")
	m, err := svc.Join(ctx, coord.Key("after-upgrade-2"), timebank.NewMember{Bank: "bank-2", Name: "New", Email: "new@example.org"})
	require.NoError(t, err, "a coordinator of bank-1 coordinates its mini bank bank-2")
	assert.Equal(t, "bank-2", m.Bank)
}

// TestTimebankMigrationDuplicateEmails: a database from before 0010 in
// which two members of a network gave one email (the rule was not atomic
// then) upgrades; the member who joined first keeps the email, the
// other's is cleared, and the audit trail says so.
func TestTimebankMigrationDuplicateEmails(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "timebank.sqlite"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "dup.sqlite")
	require.NoError(t, os.WriteFile(path, src, 0o600))
	c, err := openConn(path)
	require.NoError(t, err)
	// org-1 joined before mem-1, and now gives mem-1's email too.
	require.NoError(t, c.exec(`UPDATE members SET email = 'GWEN@example.org' WHERE id = 'org-1'`))
	require.NoError(t, c.close())

	db, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	svc := timebank.NewService(NewTimebankStore(db))
	coord := call.As("coord-1")
	org, err := svc.Member(ctx, coord, "org-1")
	require.NoError(t, err)
	assert.Equal(t, "GWEN@example.org", org.Email, "who joined first keeps it")
	gwen, err := svc.Member(ctx, coord, "mem-1")
	require.NoError(t, err)
	assert.Empty(t, gwen.Email, "the later one is cleared")
	ev, err := svc.Audit(ctx, coord, "bank-1", "mem-1")
	require.NoError(t, err)
	require.NotEmpty(t, ev)
	assert.Equal(t, "migration 0010", ev[len(ev)-1].Actor)
	assert.Contains(t, ev[len(ev)-1].Note, "email cleared")
}

// TestTimebankEmailKeyFoldsUnicode: a database from before 0019 whose
// member gives an address with capitals outside ASCII opens with the key
// folded in Go, so the store itself (not only the Service's check)
// refuses the same address in another case.
func TestTimebankEmailKeyFoldsUnicode(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "timebank.sqlite"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "unicode.sqlite")
	require.NoError(t, os.WriteFile(path, src, 0o600))
	c, err := openConn(path)
	require.NoError(t, err)
	require.NoError(t, c.exec(`UPDATE members SET email = 'ÉLODIE.ÜNAL@example.org' WHERE id = 'org-1'`))
	require.NoError(t, c.close())

	db, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	var key string
	require.NoError(t, db.reader.QueryRowContext(ctx, `SELECT email_key FROM timebank_members WHERE id = 'org-1'`).Scan(&key))
	assert.Equal(t, "élodie.ünal@example.org", key)

	store := NewTimebankStore(db)
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	m := &timebank.Member{ID: "mem-9", Bank: "bank-2", Kind: timebank.Individual, Role: timebank.RoleMember, Status: timebank.Active,
		Name: "Copy", Email: "élodie.ünal@EXAMPLE.org", JoinedAt: now, UpdatedAt: now, Version: 1}
	err = store.Apply(ctx, &timebank.Batch{Members: []*timebank.Member{m},
		Accounts: []*timebank.Account{{ID: m.ID, Bank: m.Bank, Kind: timebank.MemberAccount}}})
	require.ErrorIs(t, err, timebank.ErrConflict, "the index holds the Unicode fold, in the mini bank of the same network too")
	_, err = store.Member(ctx, "mem-9")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "nothing half-written")
}
