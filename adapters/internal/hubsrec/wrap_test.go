package hubsrec

import (
	"encoding/json"
	"testing"
)

// TestWrapIsTheMarshalledEnvelope checks that the envelope wrap writes is
// byte for byte what json.Marshal writes, for every kind, so records
// written before and after it was introduced share one stored form.
func TestWrapIsTheMarshalledEnvelope(t *testing.T) {
	kinds := []string{KindStaff, KindHub, KindVolunteer, KindSession, KindVisit, KindBaseline, KindGroup, KindEvent,
		KindRoom, KindSurgery, KindBooking, KindWaiting, KindPlacement, KindEnterprise, KindWorkOutcome,
		KindOrganization, KindListing, KindLocation, KindTaxonomyTerm, KindPostcode}
	bodies := []string{`{}`, `{"id":"a","name":"O'Neil \u003cx\u003e","roles":["a","b"]}`, `[]`, `"s"`}
	for _, k := range kinds {
		for _, b := range bodies {
			want, err := json.Marshal(envelope{V: Version, Kind: k, Body: json.RawMessage(b)})
			if err != nil {
				t.Fatal(err)
			}
			if got := wrap(k, []byte(b)); string(got) != string(want) {
				t.Errorf("wrap(%q, %s)\n got %s\nwant %s", k, b, got, want)
			}
		}
	}
}
