package timebanktest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/strongertogether/community/timebank"
)

// benchMembers is how many member accounts BenchmarkTransfer's bank has.
const benchMembers = 1000

// BenchmarkTransfer measures how fast a store posts transfers. Each
// sub-benchmark gets a fresh store from newStore holding one bank with
// 1,000 member accounts, then posts b.N two-posting exchange transfers
// between pseudo-random pairs of members, at increasing At, with Bounds for
// every member so the balance check runs (it never fails):
//
//   - batch=1: one transfer per Apply;
//   - batch=100: 100 transfers per Apply;
//   - batch=8192: 8,192 transfers per Apply;
//   - naive: one request, one commit per transfer, as a client calling the
//     Service for each exchange writes: each Apply carries its own
//     idempotency key (a receipt) and audit event besides the transfer.
//
// batch=8192 over naive is the gain from batching, measured in one run.
//
// Transfers are built with the timer stopped; an op is one transfer, and
// the "transfers/s" metric is b.N over the measured time. A store calls it
// from a one-line Benchmark function:
//
//	func BenchmarkTransfer(b *testing.B) { timebanktest.BenchmarkTransfer(b, newStore) }
func BenchmarkTransfer(b *testing.B, newStore func(b *testing.B) timebank.Store) {
	for _, c := range transferBenchmarks() {
		b.Run(c.name, func(b *testing.B) {
			l := newBenchLedger(b, newStore(b))
			c.run(b, l)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
		})
	}
}

// transferBenchmark is one sub-benchmark of BenchmarkTransfer: run posts
// b.N transfers into l, whose store holds only the bank and its accounts.
type transferBenchmark struct {
	name string
	run  func(b *testing.B, l *benchLedger)
}

// transferBenchmarks returns BenchmarkTransfer's sub-benchmarks, in order.
// Another way of posting (say, a naive read-check-write loop) is one more
// entry here.
func transferBenchmarks() []transferBenchmark {
	return []transferBenchmark{
		{"batch=1", batched(1)},
		{"batch=100", batched(100)},
		{"batch=8192", batched(8192)},
		{"naive", naive},
	}
}

// naive posts each transfer in its own Apply with a receipt and an event,
// the write a single Service request makes.
func naive(b *testing.B, l *benchLedger) {
	trs := make([]timebank.Transfer, 1)
	ptrs := make([]*timebank.Transfer, 1)
	postings := make([]timebank.Posting, 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		l.fill(trs, ptrs, postings)
		t := ptrs[0]
		batch := &timebank.Batch{
			Transfers: ptrs, Bounds: l.bounds,
			Events: []timebank.Event{{Bank: t.Bank, At: t.At, Actor: t.Actor, Action: "exchange.record", Subject: t.ID}},
			Key:    "key-" + t.ID, Hash: "h", Result: t.ID, At: t.At,
		}
		b.StartTimer()
		if err := l.s.Apply(l.ctx, batch); err != nil {
			b.Fatalf("apply transfer %s: %v", t.ID, err)
		}
	}
}

// batched returns a sub-benchmark posting size transfers per Apply.
func batched(size int) func(b *testing.B, l *benchLedger) {
	return func(b *testing.B, l *benchLedger) {
		// Transfers are built a chunk at a time, with the timer stopped,
		// so memory stays bounded however large b.N grows.
		chunk := size * max(1, 65536/size)
		trs := make([]timebank.Transfer, chunk)
		ptrs := make([]*timebank.Transfer, chunk)
		postings := make([]timebank.Posting, 2*chunk)
		batch := &timebank.Batch{Bounds: l.bounds}
		b.ResetTimer()
		for done := 0; done < b.N; {
			n := min(chunk, b.N-done)
			b.StopTimer()
			l.fill(trs[:n], ptrs[:n], postings[:2*n])
			b.StartTimer()
			for i := 0; i < n; i += size {
				batch.Transfers = ptrs[i:min(i+size, n)]
				if err := l.s.Apply(l.ctx, batch); err != nil {
					b.Fatalf("apply %d transfers: %v", len(batch.Transfers), err)
				}
			}
			done += n
		}
	}
}

// benchLedger is a store holding one bank with benchMembers member
// accounts, and the state to make transfers between them.
type benchLedger struct {
	s       timebank.Store
	ctx     context.Context
	members []string
	bounds  map[string]timebank.Bounds // a limit no transfer reaches, for every member
	rng     *rand.Rand
	made    int // transfers made so far: their ids and At
}

// newBenchLedger creates the bank and its member accounts in s.
func newBenchLedger(b *testing.B, s timebank.Store) *benchLedger {
	b.Helper()
	l := &benchLedger{
		s:      s,
		ctx:    b.Context(),
		bounds: make(map[string]timebank.Bounds, benchMembers),
		rng:    rand.New(rand.NewPCG(1, 2)),
	}
	for i := range benchMembers {
		l.members = append(l.members, fmt.Sprintf("m%04d", i))
	}
	batch := bankBatch(newBank("bench"), l.members...)
	if err := s.Apply(l.ctx, batch); err != nil {
		b.Fatalf("create the bank: %v", err)
	}
	limit := timebank.Bounds{Min: ptr(int64(-1 << 40)), Max: ptr(int64(1 << 40))}
	for _, m := range l.members {
		l.bounds[m] = limit
	}
	return l
}

// fill makes len(trs) new transfers in trs, of one credit each between
// pseudo-random pairs of members, points ptrs at them and uses postings
// (twice as long) for their postings.
func (l *benchLedger) fill(trs []timebank.Transfer, ptrs []*timebank.Transfer, postings []timebank.Posting) {
	base := t0()
	for i := range trs {
		from := l.rng.IntN(benchMembers)
		to := l.rng.IntN(benchMembers - 1)
		if to >= from {
			to++
		}
		p := postings[2*i : 2*i+2 : 2*i+2]
		p[0] = timebank.Posting{Account: l.members[from], Amount: -timebank.MinutesPerCredit}
		p[1] = timebank.Posting{Account: l.members[to], Amount: timebank.MinutesPerCredit}
		l.made++
		trs[i] = timebank.Transfer{
			ID:       "tr-" + strconv.Itoa(l.made),
			Bank:     "bench",
			Kind:     timebank.KindExchange,
			Postings: p,
			At:       base.Add(time.Duration(l.made) * time.Microsecond),
			Actor:    l.members[from],
		}
		ptrs[i] = &trs[i]
	}
}

// BenchmarkBalanceAt measures BalanceAt, which must take time logarithmic
// in an account's history. It first builds, in one store from newStore,
// an account with 1,000,000 postings and one with 1,000 (in batches of
// 8,192 transfers), then times:
//
//   - postings=1000: BalanceAt of the small account at random past times;
//   - postings=1000000: the same for the large account;
//   - balance: Account of the large account (its maintained balance).
//
// The two BalanceAt figures should differ by a small factor (about
// log 10⁶ / log 10³ = 2 at most), not by 1,000. A store calls it from a
// one-line Benchmark function:
//
//	func BenchmarkBalanceAt(b *testing.B) { timebanktest.BenchmarkBalanceAt(b, newStore) }
func BenchmarkBalanceAt(b *testing.B, newStore func(b *testing.B) timebank.Store) {
	const (
		postings = 1_000_000
		others   = 1000 // counterparts of the large account, each with postings/others postings
		batch    = 8192
		step     = time.Second // ledger time between transfers
	)
	s := newStore(b)
	ctx := b.Context()
	setup := bankBatch(newBank("bench"))
	setup.Accounts = append(setup.Accounts, newAccount("big", "bench", timebank.MemberAccount))
	counterparts := make([]string, others)
	for i := range counterparts {
		counterparts[i] = fmt.Sprintf("c%04d", i)
		setup.Accounts = append(setup.Accounts, newAccount(counterparts[i], "bench", timebank.MemberAccount))
	}
	if err := s.Apply(ctx, setup); err != nil {
		b.Fatalf("create the bank: %v", err)
	}
	// Transfer i is between big and counterpart i%others: big pays one
	// minute in even thousands and is paid one in odd ones, so balances
	// stay small and BalanceAt's answers are known.
	amount := func(i int) int64 {
		if (i/others)%2 == 0 {
			return -1
		}
		return 1
	}
	when := func(i int) time.Time { return t0().Add(time.Duration(i) * step) }
	trs := make([]timebank.Transfer, batch)
	ptrs := make([]*timebank.Transfer, batch)
	ps := make([]timebank.Posting, 2*batch)
	for start := 0; start < postings; start += batch {
		n := min(batch, postings-start)
		for j := range n {
			i := start + j
			p := ps[2*j : 2*j+2 : 2*j+2]
			p[0] = timebank.Posting{Account: "big", Amount: amount(i)}
			p[1] = timebank.Posting{Account: counterparts[i%others], Amount: -amount(i)}
			trs[j] = timebank.Transfer{ID: "tr-" + strconv.Itoa(i), Bank: "bench", Kind: timebank.KindExchange, Postings: p, At: when(i)}
			ptrs[j] = &trs[j]
		}
		if err := s.Apply(ctx, &timebank.Batch{Transfers: ptrs[:n]}); err != nil {
			b.Fatalf("post transfers %d to %d: %v", start, start+n, err)
		}
	}
	// What BalanceAt must answer for big after transfer i.
	bigAfter := func(i int) int64 {
		var bal int64
		for k := 0; k <= i; k++ {
			bal += amount(k)
		}
		return bal
	}
	for _, i := range []int{0, 999, 1000, 1999, 123_456, postings - 1} {
		got, err := s.BalanceAt(ctx, "big", when(i).Add(step/2))
		if err != nil || got != bigAfter(i) {
			b.Fatalf("BalanceAt(big) after transfer %d = %d, %v; want %d", i, got, err, bigAfter(i))
		}
	}

	// Random past times within each account's history.
	rng := rand.New(rand.NewPCG(3, 4))
	times := make([]time.Time, 4096)
	for i := range times {
		times[i] = when(rng.IntN(postings)).Add(time.Duration(rng.Int64N(int64(step))))
	}
	for _, c := range []struct {
		name    string
		account string
	}{
		{"postings=1000", counterparts[0]},
		{"postings=1000000", "big"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				if _, err := s.BalanceAt(ctx, c.account, times[i%len(times)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("balance", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := s.Account(ctx, "big"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
