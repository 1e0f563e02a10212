package storetest

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRaceAndCount(t *testing.T) {
	want := errors.New("refused")
	var ran atomic.Int64
	errs := Race(10, func(i int) error {
		ran.Add(1)
		if i%3 == 0 {
			return nil
		}
		return want
	})
	assert.Equal(t, int64(10), ran.Load())
	ok, matched := Count(t, errs, want)
	assert.Equal(t, 4, ok)
	assert.Equal(t, 6, matched)

	other := &testing.T{}
	Count(other, []error{errors.New("boom")}, want)
	assert.True(t, other.Failed(), "an unexpected error fails the test")
}
