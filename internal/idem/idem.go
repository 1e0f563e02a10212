package idem

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/strongertogether/community/call"
)

// MaxKey is the longest key accepted, in bytes.
const MaxKey = 200

// Attempts bounds how often a write that lost a race is rebuilt.
const Attempts = 8

// Domain is what Do and Bootstrap need of a domain: its store's receipts and batches
// (of type B), its clock, how to read its store's errors, and its own
// errors. A domain's Service builds one and runs every write through it.
type Domain[B any] struct {
	// Now reads the clock for each attempt.
	Now func() time.Time
	// Lookup returns what is recorded under key: the request's fingerprint
	// and the result's id, or found false.
	Lookup func(ctx context.Context, key string) (hash, result string, found bool, err error)
	// Apply writes b atomically with its receipt (key, hash, result, at).
	Apply func(ctx context.Context, b B, key, hash, result string, at time.Time) error
	// Duplicate reports an Apply error saying the key was recorded
	// meanwhile; the recorded result is then returned.
	Duplicate func(error) bool
	// Stale reports an Apply error saying the write lost a race and should
	// be rebuilt from fresh reads. Errors from building a write are final
	// and never asked about.
	Stale func(error) bool
	// Invalid makes the error for a bad key or actor (field, reason).
	Invalid func(field, reason string) error
	// Reused makes the error for a key used for a different request.
	Reused func(key string) error

	// Secret returns the store's secret for receipts: random bytes made
	// once per database and kept with it. Receipts hold only keyed hashes
	// made with it, so a receipt cannot confirm a guess at what a request
	// held, nor at the key its caller chose.
	Secret func(ctx context.Context) ([]byte, error)
	// Taken makes the error for a Bootstrap of a store whose first
	// administrator was appointed already, by another actor.
	Taken func() error

	mu     sync.Mutex
	secret []byte
	macs   sync.Pool // of hash.Hash: HMAC-SHA256 under secret, once it is read
}

// key returns the store's secret, read once.
func (d *Domain[B]) key(ctx context.Context) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.secret != nil {
		return d.secret, nil
	}
	if d.Secret == nil {
		return nil, errors.New("idem: the domain has no receipt secret")
	}
	s, err := d.Secret(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the receipt secret: %w", err)
	}
	if len(s) < 16 {
		return nil, fmt.Errorf("the receipt secret has %d bytes; at least 16 are needed", len(s))
	}
	d.macs.New = func() any { return hmac.New(sha256.New, s) }
	d.secret = s
	return s, nil
}

// mac returns what the package's mac function does under the secret
// d.key read, with an HMAC state from d's pool, so the secret's padding
// is hashed once per state, not once per call. It is called only after
// d.key succeeded.
func (d *Domain[B]) mac(parts ...[]byte) string {
	h := d.macs.Get().(hash.Hash)
	defer d.macs.Put(h)
	h.Reset()
	return sum(h, parts)
}

// mac returns the hex HMAC-SHA256 under secret of parts, each preceded by
// its length, so no two lists of parts hash alike (an actor "a\x00b" with
// key "c" is not the actor "a" with key "b\x00c").
func mac(secret []byte, parts ...[]byte) string {
	return sum(hmac.New(sha256.New, secret), parts)
}

// sum writes parts to h, each preceded by its length, and returns h's sum
// in hex.
func sum(h hash.Hash, parts [][]byte) string {
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Do runs one write sent by w through d. allow checks, before anything
// else and on every retry, that w's actor may make this request: a replay
// returns the first result only if the actor may still make it. build reads
// what it needs and returns the batch and the id of its result; load reads
// a result back by id.
//
// The receipt a store keeps is keyed by a hash of the actor and the key, so
// the same key from two actors is two requests, and it records a keyed hash
// of the request: no personal data, in clear or in a hash that can be
// recomputed without the store's secret.
func Do[B, T any](ctx context.Context, d *Domain[B], w call.Write, op string, req any,
	allow func(ctx context.Context) error,
	build func(now time.Time) (B, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	var zero T
	actor := w.Actor.ID
	switch {
	case strings.TrimSpace(actor) == "":
		return zero, d.Invalid("actor", "is required")
	case strings.TrimSpace(w.Key) == "":
		return zero, d.Invalid("key", "an idempotency key is required for every write")
	case len(w.Key) > MaxKey:
		return zero, d.Invalid("key", fmt.Sprintf("is longer than %d characters", MaxKey))
	}
	if err := allow(ctx); err != nil {
		return zero, err
	}
	rkey, hash, err := Fingerprint(ctx, d, w, op, req)
	if err != nil {
		return zero, err
	}
	return commit(ctx, d, rkey, hash, func() error { return d.Reused(w.Key) }, build, load)
}

// Bootstrap runs the write that appoints a store's first administrator,
// admin. Its receipt's key is the same whoever sends it, so of any number
// of racing callers exactly one commits; a retry by the same admin returns
// the first result, and any other caller gets d.Taken(). build must also
// refuse a store that has an administrator already (one appointed before
// receipts existed).
func Bootstrap[B, T any](ctx context.Context, d *Domain[B], admin call.Actor, op string, req any,
	build func(now time.Time) (B, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	var zero T
	switch {
	case strings.TrimSpace(admin.ID) == "":
		return zero, d.Invalid("admin", "is required")
	case len(admin.ID) > MaxKey:
		return zero, d.Invalid("admin", fmt.Sprintf("is longer than %d characters", MaxKey))
	case !utf8.ValidString(admin.ID):
		return zero, d.Invalid("admin", "is not valid UTF-8")
	case strings.IndexFunc(admin.ID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return zero, d.Invalid("admin", "holds a space or a control character")
	}
	secret, err := d.key(ctx)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", op, err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return zero, fmt.Errorf("%s: fingerprint request: %w", op, err)
	}
	rkey := mac(secret, []byte("bootstrap"), []byte(op))
	hash := mac(secret, []byte("request"), []byte(op), []byte(admin.ID), body)
	return commit(ctx, d, rkey, hash, d.Taken, build, load)
}

// commit applies a write under receipt key rkey with request hash hash:
// it returns the recorded result when the key is recorded with the same
// hash, reused() when with another, and otherwise builds and applies the
// batch, rebuilding it when it loses a race.
func commit[B, T any](ctx context.Context, d *Domain[B], rkey, hash string, reused func() error,
	build func(now time.Time) (B, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	var zero T
	replay := func() (T, bool, error) {
		h, result, found, err := d.Lookup(ctx, rkey)
		switch {
		case err != nil:
			return zero, true, err
		case !found:
			return zero, false, nil
		case !hmac.Equal([]byte(h), []byte(hash)):
			return zero, true, reused()
		}
		v, err := load(ctx, result)
		return v, true, err
	}
	if v, done, err := replay(); done {
		return v, err
	}
	for attempt := 1; ; attempt++ {
		now := d.Now()
		b, result, err := build(now)
		if err != nil {
			return zero, err // a build error is final
		}
		err = d.Apply(ctx, b, rkey, hash, result, now)
		switch {
		case err == nil:
			return load(ctx, result)
		case d.Duplicate(err):
			if v, done, rerr := replay(); done {
				return v, rerr
			}
			return zero, err
		case d.Stale(err) && attempt < Attempts:
			continue
		default:
			return zero, err
		}
	}
}

// Lookup adapts a store's read of a receipt to Domain.Lookup: read
// returns the receipt recorded under a key, or an error wrapping notFound
// (the domain's ErrNotFound) when there is none; fields picks the
// request's fingerprint and the result's id out of it.
func Lookup[R any](read func(ctx context.Context, key string) (R, error), notFound error, fields func(R) (hash, result string)) func(ctx context.Context, key string) (string, string, bool, error) {
	return func(ctx context.Context, key string) (string, string, bool, error) {
		r, err := read(ctx, key)
		if errors.Is(err, notFound) {
			return "", "", false, nil
		}
		if err != nil {
			return "", "", false, err
		}
		hash, result := fields(r)
		return hash, result, true, nil
	}
}

// Fingerprint returns the receipt key and request hash Do would record for
// the write w sends as op with req, so that a domain writing many
// requests in one batch records for each the receipt its single write
// would: a replay of either path returns the first result. It refuses a
// missing actor or key, and a key over MaxKey bytes, with d.Invalid.
func Fingerprint[B any](ctx context.Context, d *Domain[B], w call.Write, op string, req any) (rkey, hash string, err error) {
	actor := w.Actor.ID
	switch {
	case strings.TrimSpace(actor) == "":
		return "", "", d.Invalid("actor", "is required")
	case strings.TrimSpace(w.Key) == "":
		return "", "", d.Invalid("key", "an idempotency key is required for every write")
	case len(w.Key) > MaxKey:
		return "", "", d.Invalid("key", fmt.Sprintf("is longer than %d characters", MaxKey))
	}
	if _, err := d.key(ctx); err != nil {
		return "", "", fmt.Errorf("%s: %w", op, err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", "", fmt.Errorf("%s: fingerprint request: %w", op, err)
	}
	return d.mac([]byte("key"), []byte(actor), []byte(w.Key)), d.mac([]byte("request"), []byte(op), []byte(actor), body), nil
}

// Matches reports whether a recorded request hash is hash.
func Matches(recorded, hash string) bool { return hmac.Equal([]byte(recorded), []byte(hash)) }
