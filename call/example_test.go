package call_test

import (
	"fmt"

	"github.com/strongertogether/community/call"
)

// A read names its actor; a write names its actor and the actor's
// idempotency key.
func Example() {
	officer := call.As("officer-7")
	w := officer.Key("crm-4411-v2")
	fmt.Println(officer.ID, w.Actor.ID, w.Key)
	// Output: officer-7 officer-7 crm-4411-v2
}
