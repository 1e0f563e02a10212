package threesixty_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/strongertogether/community/adapters/threesixty"
)

// FuzzImport feeds arbitrary bytes to the 360Giving importer: it never
// panics, every error wraps ErrInvalid, and what it accepts has at least
// one grant with a 360G- id and exactly one recipient.
func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"grants":[{"id":"360G-x-1","title":"t","description":"d","currency":"GBP","amountAwarded":250,"awardDate":"2014-07-01","fundingOrganization":[{"id":"GB-LAE-THR","name":"Thurrock"}],"recipientOrganization":[{"id":"GB-CHC-1","name":"c"}]}]}`))
	f.Add([]byte(`{"grants":[{"id":"360G-x-2","title":"t","currency":"GBP","amountAwarded":1e3,"awardDate":"2014-07-01T10:00:00Z","fundingOrganization":[{"id":"a","name":"b"}],"recipientIndividual":{"id":"i","name":"Individual Recipient"}}]}`))
	f.Add([]byte(`{"grants":[]}`))
	f.Add([]byte(`{"grants":[{"amountAwarded":"12"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		awards, err := threesixty.Import(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, threesixty.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			_ = err.Error()
			return
		}
		if len(awards) == 0 {
			t.Fatal("accepted a package with no grants")
		}
		for _, a := range awards {
			if len(a.ID) < 5 || a.ID[:5] != "360G-" {
				t.Fatalf("accepted id %q", a.ID)
			}
			if a.Amount.IsNegative() {
				t.Fatalf("accepted a negative amount %s", a.Amount)
			}
			if a.Individual == (a.RecipientName != "") {
				t.Fatalf("recipient is not exactly one of organisation and individual: %+v", a)
			}
		}
	})
}
