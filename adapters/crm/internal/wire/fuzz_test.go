package wire

import (
	"testing"

	"google.golang.org/protobuf/proto"

	crmv1 "github.com/strongertogether/community/adapters/crm/proto/v1"
)

// A record from a plugin is outside input: whatever bytes arrive, the
// host's decoding and checks never panic, and a record they accept is
// within the limits.
func FuzzRecordFromWire(f *testing.F) {
	for _, r := range []*crmv1.Record{
		{Kind: crmv1.Kind_KIND_VOLUNTEER, ExternalId: "V1", Version: 1, Fields: map[string]string{"name": "x"}},
		{Kind: 99, ExternalId: "", Version: -1},
		{Kind: crmv1.Kind_KIND_PERSON, ExternalId: "P1", Version: 1, Fields: map[string]string{"": ""}},
	} {
		b, err := proto.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var w crmv1.Record
		if proto.Unmarshal(b, &w) != nil {
			return
		}
		r, err := recordFromWire(&w)
		if err != nil {
			return
		}
		if r.ExternalID == "" || r.Version < 1 || len(r.Fields) > 64 {
			t.Fatalf("accepted a record out of the limits: %+v", r)
		}
	})
}
