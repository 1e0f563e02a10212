// Package givingtest is the conformance suite every giving.Store must
// pass: Run(t, newStore) runs named sub-tests, each on a fresh empty store,
// through the store directly and through a giving.Service over it.
package givingtest
