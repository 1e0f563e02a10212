package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// seqEvent is an event of any domain as the test sees it.
type seqEvent struct {
	Seq     int64
	Subject string
}

// eventDomain writes one event through a domain store's Apply and reads
// the events after a Seq through its Events.
type eventDomain struct {
	name  string
	table string
	open  func(db *postgres.DB) (write func(ctx context.Context, subject string) error, after func(ctx context.Context, seq int64) ([]seqEvent, error))
}

var eventDomains = []eventDomain{
	{"grants", "grants_events", func(db *postgres.DB) (func(context.Context, string) error, func(context.Context, int64) ([]seqEvent, error)) {
		s := postgres.NewGrantsStore(db)
		return func(ctx context.Context, subject string) error {
				return s.Apply(ctx, &grants.Batch{Events: []grants.Event{{Fund: "f", At: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
					Actor: "officer", Action: "application.award", Subject: subject, From: grants.Approved, To: grants.Awarded}}})
			}, func(ctx context.Context, seq int64) ([]seqEvent, error) {
				es, err := s.Events(ctx, grants.EventFilter{After: seq})
				var out []seqEvent
				for _, e := range es {
					out = append(out, seqEvent{e.Seq, e.Subject})
				}
				return out, err
			}
	}},
	{"prescribing", "prescribing_events", func(db *postgres.DB) (func(context.Context, string) error, func(context.Context, int64) ([]seqEvent, error)) {
		s := postgres.NewPrescribingStore(db)
		return func(ctx context.Context, subject string) error {
				return s.Apply(ctx, &prescribing.Batch{Events: []prescribing.Event{{Practice: "p", At: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
					Actor: "adv", Action: "referral.accept", Subject: subject}}})
			}, func(ctx context.Context, seq int64) ([]seqEvent, error) {
				es, err := s.Events(ctx, prescribing.EventFilter{After: seq})
				var out []seqEvent
				for _, e := range es {
					out = append(out, seqEvent{e.Seq, e.Subject})
				}
				return out, err
			}
	}},
	{"timebank", "timebank_events", func(db *postgres.DB) (func(context.Context, string) error, func(context.Context, int64) ([]seqEvent, error)) {
		s := postgres.NewTimebankStore(db)
		return func(ctx context.Context, subject string) error {
				return s.Apply(ctx, &timebank.Batch{Events: []timebank.Event{{Bank: "b", At: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
					Actor: "coord", Action: "member.join", Subject: subject}}})
			}, func(ctx context.Context, seq int64) ([]seqEvent, error) {
				es, err := s.Events(ctx, timebank.EventFilter{After: seq})
				var out []seqEvent
				for _, e := range es {
					out = append(out, seqEvent{e.Seq, e.Subject})
				}
				return out, err
			}
	}},
}

// withAppName adds application_name=name to a postgres:// URL or a
// keyword=value connection string, so the test can tell its own
// backends apart in pg_stat_activity.
func withAppName(t *testing.T, u, name string) string {
	t.Helper()
	if strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		p, err := url.Parse(u)
		require.NoError(t, err)
		q := p.Query()
		q.Set("application_name", name)
		p.RawQuery = q.Encode()
		return p.String()
	}
	return u + " application_name=" + name
}

// TestEventsAfterInFlight reproduces two writers committing out of Seq
// order: a transaction that wrote an event is held open (a trigger on the
// test's schema makes the store's own Apply wait, after its INSERT, on an
// advisory lock the test holds), a later event commits, and a read with
// After must not return the later event while the earlier may still
// commit. Once the first commits, both are read, in Seq order.
func TestEventsAfterInFlight(t *testing.T) {
	t.Parallel()
	for _, d := range eventDomains {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			u, schema := pgtest.Schema(t)
			u = withAppName(t, u, schema)
			db, err := postgres.Open(ctx, u)
			require.NoError(t, err)
			t.Cleanup(func() { _ = db.Close() })
			write, after := d.open(db)

			gate, err := pgx.Connect(ctx, u)
			require.NoError(t, err)
			t.Cleanup(func() { _ = gate.Close(context.Background()) })
			key := rand.Int64N(1<<31) + 1
			_, err = gate.Exec(ctx, fmt.Sprintf(`CREATE FUNCTION hold_event() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN PERFORM pg_advisory_xact_lock_shared(%d::bigint); RETURN NEW; END $$`, key))
			require.NoError(t, err)
			_, err = gate.Exec(ctx, `CREATE TRIGGER hold_event AFTER INSERT ON `+d.table+
				` FOR EACH ROW WHEN (NEW.subject = 'held') EXECUTE FUNCTION hold_event()`)
			require.NoError(t, err)
			_, err = gate.Exec(ctx, `SELECT pg_advisory_lock($1::bigint)`, key)
			require.NoError(t, err)

			// waiting counts the backends of this test's pool waiting on a lock.
			waiting := func() int {
				var n int
				require.NoError(t, gate.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
					WHERE application_name = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`, schema).Scan(&n))
				return n
			}
			until := func(what string, cond func() bool) {
				for !cond() {
					select {
					case <-ctx.Done():
						t.Fatalf("waiting for %s: %v", what, ctx.Err())
					case <-time.After(5 * time.Millisecond):
					}
				}
			}

			held := make(chan error, 1)
			go func() { held <- write(ctx, "held") }()
			until("the first writer to wait on the gate, its event written", func() bool { return waiting() == 1 })

			require.NoError(t, write(ctx, "later"), "a later event commits while the first is in flight")

			type read struct {
				events []seqEvent
				err    error
			}
			reads := make(chan read, 1)
			go func() {
				es, err := after(ctx, 0)
				reads <- read{es, err}
			}()
			// The read either waits for the writer in flight, or returns
			// without the later event.
			var early *read
			until("the read to return or wait", func() bool {
				select {
				case r := <-reads:
					early = &r
					return true
				default:
					return waiting() == 2
				}
			})
			if early != nil {
				require.NoError(t, early.err)
				for _, e := range early.events {
					assert.NotEqual(t, "later", e.Subject, "read After returned %v while an event with a lower Seq was in flight", early.events)
				}
			}

			_, err = gate.Exec(ctx, `SELECT pg_advisory_unlock($1::bigint)`, key)
			require.NoError(t, err)
			require.NoError(t, <-held, "the first writer commits")
			if early == nil {
				r := <-reads
				require.NoError(t, r.err)
				require.Len(t, r.events, 2, "the read that waited returns both events")
				assert.Equal(t, []string{"held", "later"}, []string{r.events[0].Subject, r.events[1].Subject})
			}
			all, err := after(ctx, 0)
			require.NoError(t, err)
			require.Len(t, all, 2)
			assert.Equal(t, "held", all[0].Subject, "the held event has the lower Seq")
			assert.Equal(t, "later", all[1].Subject)
			assert.Less(t, all[0].Seq, all[1].Seq)
			rest, err := after(ctx, all[0].Seq)
			require.NoError(t, err)
			assert.Equal(t, all[1:], rest, "after the held event, the later one")
		})
	}
}

// BenchmarkEventsAfter measures what waiting for the writers in flight
// adds: Events reads the ten events after a Seq, the whole read, of
// which Settle is the wait (one round trip of its own). On the write
// side, Begin and BeginEvents begin and commit an empty transaction,
// without and with the events lock taken in the BEGIN's round trip, and
// Apply writes one event through the store.
func BenchmarkEventsAfter(b *testing.B) {
	ctx := context.Background()
	db := pgtest.Open(b)
	s := postgres.NewTimebankStore(db)
	const n = 1000
	evs := make([]timebank.Event, n)
	for i := range evs {
		evs[i] = timebank.Event{Bank: "b", At: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			Actor: "coord", Action: "member.join", Subject: fmt.Sprintf("mem-%d", i)}
	}
	require.NoError(b, s.Apply(ctx, &timebank.Batch{Events: evs}))
	last, err := db.QueryInt(ctx, `SELECT max(seq) FROM timebank_events`)
	require.NoError(b, err)
	after := last - 10

	b.Run("Events", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			es, err := s.Events(ctx, timebank.EventFilter{After: after, Limit: 10})
			if err != nil || len(es) != 10 {
				b.Fatalf("events: %d, %v", len(es), err)
			}
		}
	})
	b.Run("Settle", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if got, err := db.SettledSeq(ctx, "timebank_events"); err != nil || got != last {
				b.Fatalf("settled %d, want %d: %v", got, last, err)
			}
		}
	})
	b.Run("Begin", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := db.BeginCommit(ctx, "timebank_events", false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BeginEvents", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := db.BeginCommit(ctx, "timebank_events", true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Apply", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Apply(ctx, &timebank.Batch{Events: evs[:1]}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
