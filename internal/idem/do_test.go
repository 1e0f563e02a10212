package idem

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
)

var errForbidden = errors.New("forbidden")

// safeLedger is ledger behind a mutex, with a secret, for Do and Bootstrap.
type safeLedger struct {
	mu sync.Mutex
	ledger
}

func (l *safeLedger) domain() *Domain[int] {
	d := l.ledger.domain()
	lookup, apply := d.Lookup, d.Apply
	d.Lookup = func(ctx context.Context, key string) (string, string, bool, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		return lookup(ctx, key)
	}
	d.Apply = func(ctx context.Context, b int, key, hash, result string, at time.Time) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		return apply(ctx, b, key, hash, result, at)
	}
	d.Secret = func(context.Context) ([]byte, error) { return []byte("0123456789abcdef0123456789abcdef"), nil }
	d.Taken = func() error { return errors.New("taken") }
	return d
}

func TestDoScopesKeysToActors(t *testing.T) {
	l := &safeLedger{ledger: ledger{receipts: map[string][2]string{}}}
	d := l.domain()
	add := func(actor, key string, n int) (string, error) {
		return Do(context.Background(), d, call.As(actor).Key(key), "add", n,
			func(context.Context) error { return nil },
			func(time.Time) (int, string, error) { return n, fmt.Sprint("r", n), nil },
			func(_ context.Context, r string) (string, error) { return r, nil })
	}
	_, err := add("alice", "open-1", 2)
	require.NoError(t, err)
	_, err = add("bob", "open-1", 3)
	require.NoError(t, err, "the same key from another actor is another request")
	assert.Equal(t, 5, l.total)
	_, err = add("alice", "open-1", 2)
	require.NoError(t, err)
	assert.Equal(t, 5, l.total, "a retry writes nothing")
	_, err = add("alice", "open-1", 4)
	assert.EqualError(t, err, "key open-1 reused")
	_, err = add("", "k", 1)
	assert.EqualError(t, err, "invalid actor: is required")

	// What the store keeps names neither the key nor anything guessable.
	for k, r := range l.receipts {
		assert.NotContains(t, k, "open-1")
		assert.Len(t, k, 64)
		plain := sha256.Sum256([]byte("add\x00alice\x002"))
		assert.NotEqual(t, hex.EncodeToString(plain[:]), r[0])
	}
}

func TestDoReplayChecksTheActorAgain(t *testing.T) {
	l := &safeLedger{ledger: ledger{receipts: map[string][2]string{}}}
	d := l.domain()
	allowed := true
	add := func() (string, error) {
		return Do(context.Background(), d, call.As("gp").Key("reg-1"), "add", 1,
			func(context.Context) error {
				if !allowed {
					return errForbidden
				}
				return nil
			},
			func(time.Time) (int, string, error) { return 1, "patient-1", nil },
			func(_ context.Context, r string) (string, error) { return r, nil })
	}
	r, err := add()
	require.NoError(t, err)
	assert.Equal(t, "patient-1", r)
	allowed = false
	r, err = add()
	assert.ErrorIs(t, err, errForbidden, "a deactivated actor's replay returns nothing")
	assert.Empty(t, r)
}

func TestBootstrapOnce(t *testing.T) {
	l := &safeLedger{ledger: ledger{receipts: map[string][2]string{}}}
	d := l.domain()
	boot := func(admin string) (string, error) {
		return Bootstrap(context.Background(), d, call.As(admin), "bootstrap", nil,
			func(time.Time) (int, string, error) { return 1, admin, nil },
			func(_ context.Context, r string) (string, error) { return r, nil })
	}
	const n = 16
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range n {
		wg.Go(func() { _, results[i] = boot(fmt.Sprint("officer-", i)) })
	}
	wg.Wait()
	wins := 0
	winner := ""
	for i, err := range results {
		if err == nil {
			wins++
			winner = fmt.Sprint("officer-", i)
		} else {
			assert.EqualError(t, err, "taken")
		}
	}
	assert.Equal(t, 1, wins, "of %d racing callers exactly one is the first administrator", n)
	assert.Equal(t, 1, l.total)
	r, err := boot(winner)
	require.NoError(t, err, "the winner's retry returns the first result")
	assert.Equal(t, winner, r)
	_, err = boot("someone-else")
	assert.EqualError(t, err, "taken")
	for k := range l.receipts {
		assert.False(t, strings.Contains(k, "officer"))
	}
}

func TestMacSeparatesParts(t *testing.T) {
	secret := []byte("0123456789abcdef")
	a := mac(secret, []byte("key"), []byte("a\x00b"), []byte("c"))
	b := mac(secret, []byte("key"), []byte("a"), []byte("b\x00c"))
	assert.NotEqual(t, a, b, "an actor and key that share their bytes must not share a receipt")
}

// TestBootstrapChecksTheAdmin: the first administrator's id is a plain
// token, so " admin" and "admin" cannot be two people, in any domain.
func TestBootstrapChecksTheAdmin(t *testing.T) {
	for _, id := range []string{"", "  ", " admin", "admin\n", "ad\x00min", "ad\tmin", strings.Repeat("a", MaxKey+1), "\xff"} {
		l := &safeLedger{ledger: ledger{receipts: map[string][2]string{}}}
		_, err := Bootstrap(context.Background(), l.domain(), call.As(id), "boot", nil,
			func(time.Time) (int, string, error) { return 1, "ok", nil },
			func(_ context.Context, r string) (string, error) { return r, nil })
		assert.ErrorContains(t, err, "invalid admin", "%q", id)
		assert.Zero(t, l.total, "nothing written for %q", id)
	}
}
