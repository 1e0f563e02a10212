package idem

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
)

var (
	errStale = errors.New("stale")
	errDup   = errors.New("duplicate key")
)

// ledger is a toy store: receipts, and a number each batch adds to.
type ledger struct {
	receipts map[string][2]string
	total    int
	applies  int
	failWith []error // errors the next Applies return, in order
}

func (l *ledger) domain() *Domain[int] {
	return &Domain[int]{
		Now: func() time.Time { return time.Unix(0, 0) },
		Lookup: func(_ context.Context, key string) (string, string, bool, error) {
			r, ok := l.receipts[key]
			return r[0], r[1], ok, nil
		},
		Apply: func(_ context.Context, b int, key, hash, result string, _ time.Time) error {
			l.applies++
			if len(l.failWith) > 0 {
				err := l.failWith[0]
				l.failWith = l.failWith[1:]
				return err
			}
			if _, ok := l.receipts[key]; ok {
				return errDup
			}
			l.receipts[key] = [2]string{hash, result}
			l.total += b
			return nil
		},
		Duplicate: func(err error) bool { return errors.Is(err, errDup) },
		Stale:     func(err error) bool { return errors.Is(err, errStale) },
		Invalid:   func(field, reason string) error { return fmt.Errorf("invalid %s: %s", field, reason) },
		Reused:    func(key string) error { return fmt.Errorf("key %s reused", key) },
	}
}

func (l *safeLedger) add(key string, n int, buildErr error) (string, error) {
	return Do(context.Background(), l.domain(), call.As("actor").Key(key), "add", n,
		func(context.Context) error { return nil },
		func(time.Time) (int, string, error) { return n, fmt.Sprint("r", n), buildErr },
		func(_ context.Context, result string) (string, error) { return result, nil })
}

func TestDoRetriesAndRebuilds(t *testing.T) {
	l := &safeLedger{ledger: ledger{receipts: map[string][2]string{}}}
	r, err := l.add("k1", 5, nil)
	require.NoError(t, err)
	assert.Equal(t, "r5", r)
	r, err = l.add("k1", 5, nil)
	require.NoError(t, err, "a retry returns the first result")
	assert.Equal(t, "r5", r)
	assert.Equal(t, 5, l.total, "and writes nothing")
	_, err = l.add("k1", 6, nil)
	assert.EqualError(t, err, "key k1 reused")
	_, err = l.add("", 1, nil)
	assert.EqualError(t, err, "invalid key: an idempotency key is required for every write")

	// A race lost is rebuilt; a build error is final, even if it looks stale.
	l.failWith = []error{errStale, errStale}
	_, err = l.add("k2", 1, nil)
	require.NoError(t, err)
	assert.Equal(t, 6, l.total)
	before := l.applies
	_, err = l.add("k3", 1, fmt.Errorf("refused: %w", errStale))
	assert.ErrorIs(t, err, errStale)
	assert.Equal(t, before, l.applies, "a write refused while building is not applied, nor rebuilt")

	// Losing every attempt gives up with the store's error.
	l.failWith = make([]error, Attempts)
	for i := range l.failWith {
		l.failWith[i] = errStale
	}
	_, err = l.add("k4", 1, nil)
	assert.ErrorIs(t, err, errStale)
}

func TestLookup(t *testing.T) {
	notFound := errors.New("not found")
	boom := errors.New("boom")
	type receipt struct{ h, r string }
	read := func(_ context.Context, key string) (*receipt, error) {
		switch key {
		case "k":
			return &receipt{"h", "r"}, nil
		case "missing":
			return nil, fmt.Errorf("receipt %s: %w", key, notFound)
		}
		return nil, boom
	}
	look := Lookup(read, notFound, func(r *receipt) (string, string) { return r.h, r.r })
	h, r, found, err := look(context.Background(), "k")
	require.NoError(t, err)
	assert.Equal(t, []any{"h", "r", true}, []any{h, r, found})
	_, _, found, err = look(context.Background(), "missing")
	require.NoError(t, err, "a missing receipt is not an error")
	assert.False(t, found)
	_, _, _, err = look(context.Background(), "other")
	assert.ErrorIs(t, err, boom)
}
