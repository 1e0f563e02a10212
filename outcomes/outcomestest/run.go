package outcomestest

import (
	"testing"

	"github.com/strongertogether/community/outcomes"
)

// Run checks that the stores newStore returns behave as outcomes.Store's
// documentation says. Each sub-test calls newStore once and must get an
// empty store; newStore registers any clean-up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) outcomes.Store) {
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

type test struct {
	name string
	run  func(t *testing.T, s outcomes.Store)
}

func suite() []test {
	return []test{
		{"FrameworkRoundTrip", testFrameworkRoundTrip},
		{"IndicatorRoundTrip", testIndicatorRoundTrip},
		{"MeasurementRoundTrip", testMeasurementRoundTrip},
		{"StoryRoundTrip", testStoryRoundTrip},
		{"ReceiptAndEvents", testReceiptAndEvents},
		{"NotFound", testNotFound},
		{"UpdateVersions", testUpdateVersions},
		{"Revisions", testRevisions},
		{"RevisionsInOneBatch", testRevisionsInOneBatch},
		{"AsOf", testAsOf},
		{"Atomicity", testAtomicity},
		{"Idempotency", testIdempotency},
		{"Isolation", testIsolation},
		{"EmptyBatch", testEmptyBatch},
		{"ListFrameworks", testListFrameworks},
		{"ListIndicators", testListIndicators},
		{"ListMeasurements", testListMeasurements},
		{"ListStories", testListStories},
		{"ListEvents", testListEvents},
		{"ConcurrentRevisions", testConcurrentRevisions},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentKeys", testConcurrentKeys},
		{"Admins", testAdmins},
		{"BootstrapRace", testBootstrapRace},
		{"KeyScoping", testKeyScoping},
		{"ReplayAfterRoleLost", testReplayAfterRoleLost},
		{"AuthorityFirst", testAuthorityFirst},
		{"EraseStory", testEraseStory},
	}
}
