package timebank

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/strongertogether/community/internal/id"
)

// Service is the time bank: it holds the rules — roles, lifecycles, limits,
// confirmation — and keeps them over a Store. It is safe for concurrent use
// as far as its Store is.
//
// Every write takes an actor (the id of the member doing it, or for opening
// a borough bank the id of the officer) and a caller-supplied idempotency
// key: a retry with the same key and request returns the first result
// without writing again; the same key with a different request is
// ErrConflict. Every write is recorded in the audit trail (Events) with
// the actor and the clock's time.
type Service struct {
	store Store
	now   func() time.Time
	newID func(prefix string, now time.Time) string
	log   *slog.Logger
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock the Service reads the time from. The default is
// time.Now. Times are kept to the microsecond, in UTC.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets where the Service logs. It logs ids, never names or
// contact details. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how the Service makes ids for new records, for example to
// make them predictable in examples. f gets a short prefix ("bank", "mem",
// "exc", "tr", "lst") and the clock's time. The default makes unique,
// roughly time-ordered ids.
func WithIDs(f func(prefix string, now time.Time) string) Option {
	return func(s *Service) { s.newID = f }
}

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{
		store: store,
		now:   time.Now,
		newID: id.New,
		log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Store returns the store the Service writes to.
func (s *Service) Store() Store { return s.store }

// clock returns the Service's time, to the microsecond, in UTC.
func (s *Service) clock() time.Time { return norm(s.now()) }

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// maxAttempts bounds how often a write is rebuilt after losing a race to
// another writer of the same record.
const maxAttempts = 8

// write runs one idempotent write. build reads what it needs and returns
// the batch and the id of its result; load reads the result back. A batch
// that loses a race (ErrConflict from a stale version) is rebuilt from
// fresh reads; a batch whose key was taken meanwhile returns that result.
func write[T any](ctx context.Context, s *Service, key, op, actor string, req any,
	build func(now time.Time) (*Batch, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	var zero T
	if strings.TrimSpace(key) == "" {
		return zero, invalid("key", "an idempotency key is required for every write")
	}
	if len(key) > 200 {
		return zero, invalid("key", "is longer than 200 characters")
	}
	if actor == "" {
		return zero, invalid("actor", "is required")
	}
	hash, err := fingerprint(op, actor, req)
	if err != nil {
		return zero, err
	}
	replay := func() (T, bool, error) {
		r, err := s.store.Receipt(ctx, key)
		if errors.Is(err, ErrNotFound) {
			return zero, false, nil
		}
		if err != nil {
			return zero, true, err
		}
		if r.Hash != hash {
			return zero, true, fieldErr(ErrConflict, "key", "%q was used for a different request", key)
		}
		v, err := load(ctx, r.Result)
		return v, true, err
	}
	if v, done, err := replay(); done {
		return v, err
	}
	for attempt := 1; ; attempt++ {
		now := s.clock()
		b, result, err := build(now)
		if err != nil {
			return zero, err
		}
		b.Key, b.Hash, b.Result, b.At = key, hash, result, now
		err = s.store.Apply(ctx, b)
		switch {
		case err == nil:
			s.log.InfoContext(ctx, op, "actor", actor, "result", result)
			return load(ctx, result)
		case errors.Is(err, ErrDuplicateKey):
			if v, done, err := replay(); done {
				return v, err
			}
			return zero, err
		case errors.Is(err, ErrConflict) && attempt < maxAttempts:
			continue
		default:
			return zero, err
		}
	}
}

// fingerprint identifies a request so a retry can be told from a reuse of
// its key.
func fingerprint(op, actor string, req any) (string, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("%s: fingerprint request: %w", op, err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", op, actor)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ids splits a receipt's result into the ids it holds.
func ids(result string) []string { return strings.Fields(result) }

// event makes the audit event of a write.
func event(bank string, at time.Time, actor, action, subject, note string) Event {
	return Event{Bank: bank, At: at, Actor: actor, Action: action, Subject: subject, Note: note}
}
