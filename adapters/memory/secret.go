package memory

import "crypto/rand"

// newSecret makes a store's secret for idempotency receipts: 32 random
// bytes, kept as long as the store.
func newSecret() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("memory: no randomness for the receipt secret: " + err.Error())
	}
	return b
}
