package oruk_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/strongertogether/community/adapters/oruk"
)

// FuzzParse feeds Parse arbitrary documents (seeds in
// testdata/fuzz/FuzzParse): it never panics, refuses with ErrInvalid or
// ErrMissingField, and what it accepts has every required field.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("[" + goodService + "]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		svcs, err := oruk.Parse(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, oruk.ErrInvalid) && !errors.Is(err, oruk.ErrMissingField) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		for _, s := range svcs {
			if s.ID == "" || s.Name == "" || s.Status == "" || s.Organization == nil || s.Organization.Description == "" {
				t.Fatalf("accepted a service without a required field: %+v", s)
			}
			if _, err := json.Marshal(s); err != nil {
				t.Fatalf("accepted a service that does not marshal: %v", err)
			}
		}
	})
}
