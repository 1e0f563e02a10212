package timebanktest

import (
	"testing"

	"github.com/strongertogether/community/timebank"
)

// Run checks that the stores newStore returns behave as timebank.Store's
// documentation says. Each sub-test calls newStore once and must get an
// empty store; newStore registers any clean-up with t.Cleanup. Run reports
// every difference it finds. Some sub-tests write from many goroutines at
// once: run the suite with -race.
func Run(t *testing.T, newStore func(t *testing.T) timebank.Store) {
	t.Helper()
	for _, tc := range suite() {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			if s == nil {
				t.Fatal("newStore returned nil")
			}
			tc.run(t, s)
		})
	}
}

// test is one named sub-test of the suite.
type test struct {
	name string
	run  func(t *testing.T, s timebank.Store)
}

// suite returns the table of sub-tests Run runs, in order.
func suite() []test {
	return []test{
		// Records: round trips, versions, isolation.
		{"BankRoundTrip", testBankRoundTrip},
		{"MemberRoundTrip", testMemberRoundTrip},
		{"AccountRoundTrip", testAccountRoundTrip},
		{"ListingRoundTrip", testListingRoundTrip},
		{"ExchangeRoundTrip", testExchangeRoundTrip},
		{"TransferRoundTrip", testTransferRoundTrip},
		{"EventRoundTrip", testEventRoundTrip},
		{"ReceiptRoundTrip", testReceiptRoundTrip},
		{"UpdateVersions", testUpdateVersions},
		{"SameBatchOrder", testSameBatchOrder},
		{"Isolation", testIsolation},
		{"EmptyBatch", testEmptyBatch},
		{"NilRecords", testNilRecords},

		// Atomic batches and idempotency.
		{"Atomicity", testAtomicity},
		{"Idempotency", testIdempotency},

		// The ledger.
		{"TransferBalances", testTransferBalances},
		{"TransferMissingAccount", testTransferMissingAccount},
		{"TransferMalformed", testTransferMalformed},
		{"TransferDuplicateID", testTransferDuplicateID},
		{"BoundsMin", testBoundsMin},
		{"BoundsMax", testBoundsMax},
		{"BoundsTowardsRange", testBoundsTowardsRange},
		{"BoundsInOrder", testBoundsInOrder},
		{"Unbounded", testUnbounded},
		{"LedgerTime", testLedgerTime},
		{"BalanceAt", testBalanceAt},
		{"Entries", testEntries},

		// Lists and reports.
		{"Events", testEvents},
		{"ListBanks", testListBanks},
		{"ListMembers", testListMembers},
		{"ListAccounts", testListAccounts},
		{"ListExchanges", testListExchanges},
		{"ListListings", testListListings},
		{"Tally", testTally},
		{"WardCounts", testWardCounts},

		// Concurrent writers.
		{"ConcurrentTransfers", testConcurrentTransfers},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentKeys", testConcurrentKeys},
		{"ConcurrentConfirmations", testConcurrentConfirmations},
		{"CancelledContext", testCancelledContext},

		// Through the Service: roles, keys, erasure.
		{"BootstrapRace", testBootstrapRace},
		{"KeyScoping", testKeyScoping},
		{"ReplayAfterDemotion", testReplayAfterDemotion},
		{"AuthorityFirst", testAuthorityFirst},
		{"EmailRace", testEmailRace},
		{"Erasure", testErasure},
	}
}
