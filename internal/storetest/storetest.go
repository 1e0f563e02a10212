package storetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Race runs n functions at once, as nearly as goroutines allow, and
// returns their errors in order.
func Race(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// Count counts the nil errors and those matching want; it reports any
// other error as a failure of t.
func Count(t testing.TB, errs []error, want error) (ok, matched int) {
	t.Helper()
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, want):
			matched++
		default:
			assert.Fail(t, "unexpected error", "writer %d: want nil or %v, got %v", i, want, err)
		}
	}
	return ok, matched
}
