// Package idem runs idempotent writes for the domain services: a write
// carries a caller's key; a retry with the same key and request returns the
// first result without writing again, and the same key with a different
// request is refused. It also rebuilds a write that lost a race to another
// writer. The domain supplies its store's operations and its own errors,
// so nothing of this package shows in a domain's API.
package idem
