package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// TestTimebankEraseFromFile erases a member whose name, email and phone
// were written into exchanges, memos, notes and listings, and checks that
// neither the database file nor its WAL holds them any more, in any form
// SQLite keeps text (UTF-8, as the library writes it).
func TestTimebankEraseFromFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "erase.db")
	db, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	svc := timebank.NewService(NewTimebankStore(db))
	officer := call.As("officer")
	require.NoError(t, svc.Bootstrap(ctx, officer))
	bank, c, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Erasure Bank", MinBalance: -600, Coordinator: timebank.NewMember{Name: "Cath"}})
	require.NoError(t, err)
	coord := call.As(c.ID)
	name, email, phone := "Zelda Quixotic", "zelda.quixotic@example.org", "07700 900123"
	z, err := svc.Join(ctx, coord.Key("join-"+name+"-"+email), timebank.NewMember{Bank: bank.ID, Name: name, Email: email, Phone: phone})
	require.NoError(t, err)
	bob, err := svc.Join(ctx, coord.Key("join-bob"), timebank.NewMember{Bank: bank.ID, Name: "Bob"})
	require.NoError(t, err)
	for i := range 20 { // enough writes that old pages sit in the WAL
		x, err := svc.RecordExchange(ctx, coord.Key("x-"+string(rune('a'+i))), timebank.NewExchange{Giver: z.ID, Receiver: bob.ID, Minutes: 15,
			Category: name, Description: "for " + name + ", call " + phone + " or " + email})
		require.NoError(t, err)
		_, err = svc.Reverse(ctx, coord.Key("r-"+string(rune('a'+i))), x.ID, "ask "+email)
		require.NoError(t, err)
	}
	_, err = svc.PostListing(ctx, call.As(z.ID).Key("l"), timebank.NewListing{Member: z.ID, Kind: timebank.Offer, Title: name + " bakes", Description: phone})
	require.NoError(t, err)
	_, err = svc.Pause(ctx, coord.Key("p"), z.ID, name+" is away")
	require.NoError(t, err)

	terms := [][]byte{[]byte(name), []byte(email), []byte(phone)}
	raw := func() []byte {
		var all []byte
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if !os.IsNotExist(err) {
				require.NoError(t, err)
			}
			all = append(all, b...)
		}
		return all
	}
	found := 0
	for _, term := range terms {
		found += bytes.Count(raw(), term)
	}
	require.Positive(t, found, "the files hold her details before the erasure")

	_, err = svc.Erase(ctx, coord.Key("erase"), z.ID)
	require.NoError(t, err)
	after := raw()
	for _, term := range terms {
		assert.Zero(t, bytes.Count(after, term), "%q is still in the database files", term)
	}
}
