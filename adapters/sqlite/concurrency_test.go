package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// TestTwoHandles writes to one file through two DBs at once, as two
// processes would: their transactions must queue on SQLite's write lock
// (BEGIN IMMEDIATE and the busy timeout) rather than fail with
// SQLITE_BUSY, and a balance checked in one must not be overdrawn by the
// other.
func TestTwoHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	var stores []*TimebankStore
	for range 2 {
		db, err := Open(t.Context(), path)
		require.NoError(t, err)
		t.Cleanup(func() { assert.NoError(t, db.Close()) })
		stores = append(stores, NewTimebankStore(db))
	}
	const (
		funds   = 600
		workers = 4
		tries   = 40
		amount  = 30
	)
	base := time.Date(2025, time.May, 1, 9, 0, 0, 0, time.UTC)
	setup := &timebank.Batch{
		Accounts: []*timebank.Account{
			{ID: "issuing", Bank: "bank", Kind: timebank.IssuingAccount},
			{ID: "payer", Bank: "bank", Kind: timebank.MemberAccount},
		},
		Transfers: []*timebank.Transfer{{ID: "fund", Bank: "bank", Kind: timebank.KindIssue, At: base,
			Postings: []timebank.Posting{{Account: "issuing", Amount: -funds}, {Account: "payer", Amount: funds}}}},
	}
	for w := range workers {
		setup.Accounts = append(setup.Accounts, &timebank.Account{ID: fmt.Sprintf("payee-%d", w), Bank: "bank", Kind: timebank.MemberAccount})
	}
	require.NoError(t, stores[0].Apply(t.Context(), setup))

	min0 := int64(0)
	bounds := map[string]timebank.Bounds{"payer": {Min: &min0}}
	var (
		mu       sync.Mutex
		paid     int
		wg       sync.WaitGroup
		failures []error
	)
	for w := range workers {
		wg.Go(func() {
			s := stores[w%2]
			for i := range tries {
				var err error
				for {
					err = s.Apply(t.Context(), &timebank.Batch{Bounds: bounds, Transfers: []*timebank.Transfer{{
						ID: fmt.Sprintf("pay-%d-%d", w, i), Bank: "bank", Kind: timebank.KindExchange,
						At:       time.Now().UTC().Truncate(time.Microsecond),
						Postings: []timebank.Posting{{Account: "payer", Amount: -amount}, {Account: fmt.Sprintf("payee-%d", w), Amount: amount}},
					}}})
					// Another worker posted a later At on payer first:
					// rebuild with a fresh time, as the contract says.
					if !errors.Is(err, timebank.ErrConflict) {
						break
					}
				}
				mu.Lock()
				switch {
				case err == nil:
					paid++
				case errors.Is(err, timebank.ErrInsufficientCredit):
				default:
					failures = append(failures, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Empty(t, failures, "writes through two handles failed otherwise than by the rules")
	assert.Equal(t, funds/amount, paid, "every credit spent, none overdrawn")
	for _, s := range stores {
		a, err := s.Account(t.Context(), "payer")
		require.NoError(t, err)
		assert.Equal(t, int64(funds-paid*amount), a.Balance)
		assert.GreaterOrEqual(t, a.Balance, int64(0))
	}
}
