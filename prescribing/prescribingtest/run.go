package prescribingtest

import (
	"testing"

	"github.com/strongertogether/community/prescribing"
)

// Run checks that the stores newStore returns behave as prescribing.Store's
// documentation says. Each sub-test calls newStore once and must get an
// empty store; newStore registers any clean-up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) prescribing.Store) {
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
	run  func(t *testing.T, s prescribing.Store)
}

func suite() []test {
	return []test{
		{"PracticeRoundTrip", testPracticeRoundTrip},
		{"StaffRoundTrip", testStaffRoundTrip},
		{"PatientRoundTrip", testPatientRoundTrip},
		{"ScoreSetRoundTrip", testScoreSetRoundTrip},
		{"StratificationRoundTrip", testStratificationRoundTrip},
		{"MeetingRoundTrip", testMeetingRoundTrip},
		{"ReferralRoundTrip", testReferralRoundTrip},
		{"ReceiptRoundTrip", testReceiptRoundTrip},
		{"Isolation", testIsolation},
		{"UpdateVersions", testUpdateVersions},
		{"CreateOnly", testCreateOnly},
		{"NHSNumberUnique", testNHSUnique},
		{"Atomicity", testAtomicity},
		{"Idempotency", testIdempotency},
		{"Caseload", testCaseload},
		{"OneOpenReferral", testOneOpenReferral},
		{"Events", testEvents},
		{"ListPractices", testListPractices},
		{"WardCounts", testWardCounts},
		{"ListStaff", testListStaff},
		{"ListPatients", testListPatients},
		{"ListReferrals", testListReferrals},
		{"ListMeetings", testListMeetings},
		{"ListStratifications", testListStratifications},
		{"ConcurrentCaseload", testConcurrentCaseload},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentKeys", testConcurrentKeys},
		{"ConcurrentNHSNumbers", testConcurrentNHS},
		{"ConcurrentOpenReferral", testConcurrentOpenReferral},
		{"LargeScoreSet", testLargeScoreSet},
		{"BootstrapRace", testBootstrapRace},
		{"KeyScoping", testKeyScoping},
		{"ReplayAfterDeactivation", testReplayAfterDeactivation},
		{"AuthorityFirst", testAuthorityFirst},
		{"Erasure", testErasure},
	}
}
