package memory

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/strongertogether/community/adapters/internal/timebankrec"
	"github.com/strongertogether/community/timebank"
)

// TimebankStore is a timebank.Store held in memory. It is safe for
// concurrent use: reads share a lock, Apply holds it alone. Records are
// copied in and out, so a caller cannot change stored state by changing
// what it passed or got back.
//
// Apply checks the whole batch before writing anything; balances are
// maintained per account, and every account keeps its statement in ledger
// order, so BalanceAt is a binary search.
type TimebankStore struct {
	mu sync.RWMutex

	banks     map[string]*timebank.Bank
	members   map[string]*timebank.Member
	listings  map[string]*timebank.Listing
	exchanges map[string]*timebank.Exchange
	accounts  map[string]*account
	receipts  map[string]timebank.Receipt
	events    []timebank.Event
	admins    map[string]*timebank.Admin
	secret    []byte

	// The ledger: transfers in apply order, in chunks of logChunk so they
	// never move, indexed by id. postings is the current chunk their
	// postings are copied into.
	log       [][]timebank.Transfer
	logLen    int
	transfers idIndex
	postings  []timebank.Posting
	// pending are the transfers of the batch being checked, whose ids are
	// claimed in transfers at the places after logLen.
	pending []*timebank.Transfer
	// flows are the issue, donation and grant transfers, which Tally sums.
	flows []uint32

	// epoch numbers Apply calls; an account whose stage field equals it
	// has been staged by the current call.
	epoch uint64
	// moved is scratch for Apply: the account of every posting of the
	// batch, in order, resolved once while checking.
	moved []*account
}

// logChunk is how many transfers one chunk of the ledger holds, and
// postingsChunk how many postings one chunk of postings holds.
const (
	logChunk      = 4096
	postingsChunk = 16384
)

// account is an account with its statement.
type account struct {
	acc     timebank.Account
	entries []entry

	// Apply's staging: the balance and last At as the batch has left them
	// so far, valid while stage equals the store's epoch.
	stage     uint64
	stageBal  int64
	stageLast time.Time
}

// entry is one posting on an account, in ledger order. It holds no
// pointers, so the garbage collector never scans statements.
type entry struct {
	sec     int64  // the transfer's At, in Unix seconds
	nsec    int32  // and nanoseconds
	tr      uint32 // the transfer's place in the log
	amount  int64
	balance int64
}

// after reports whether e is later than the time (sec, nsec).
func (e *entry) after(sec int64, nsec int32) bool {
	return e.sec > sec || (e.sec == sec && e.nsec > nsec)
}

// idAt returns the id of the transfer at place i: in the log, or in the
// batch being checked.
func (s *TimebankStore) idAt(i uint32) string {
	if int(i) < s.logLen {
		return s.transfer(i).ID
	}
	return s.pending[int(i)-s.logLen].ID
}

// transfer returns the transfer at place i of the log.
func (s *TimebankStore) transfer(i uint32) *timebank.Transfer {
	return &s.log[i/logChunk][i%logChunk]
}

// NewTimebankStore returns an empty store.
func NewTimebankStore() *TimebankStore {
	return &TimebankStore{
		banks:     map[string]*timebank.Bank{},
		members:   map[string]*timebank.Member{},
		listings:  map[string]*timebank.Listing{},
		exchanges: map[string]*timebank.Exchange{},
		accounts:  map[string]*account{},
		transfers: newIDIndex(),
		receipts:  map[string]timebank.Receipt{},
		admins:    map[string]*timebank.Admin{},
		secret:    newSecret(),
	}
}

var _ timebank.Store = (*TimebankStore)(nil)

// Apply writes b atomically: it checks every part of b first and writes
// only when all of it is good. See timebank.Store for the errors.
func (s *TimebankStore) Apply(ctx context.Context, b *timebank.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("apply batch: %w", &timebank.FieldError{Field: "Batch", Reason: "is nil"})
	}
	if err := timebankrec.CheckRecords(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	newAccounts, err := s.check(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	s.commit(b, newAccounts)
	return nil
}

// check checks b against the stored state and returns the accounts b
// creates. It changes nothing a read can see: only the accounts' staging
// fields, and the transfer ids checkTransfers claims in the index and gives
// back if the batch fails.
func (s *TimebankStore) check(b *timebank.Batch) ([]*account, error) {
	if b.Key != "" {
		if _, ok := s.receipts[b.Key]; ok {
			return nil, fmt.Errorf("key %q: %w", b.Key, timebank.ErrDuplicateKey)
		}
	}
	for i, a := range b.Admins {
		if _, ok := s.admins[a.ID]; ok {
			return nil, fmt.Errorf("admin %s exists: %w", a.ID, timebank.ErrConflict)
		}
		for _, o := range b.Admins[:i] {
			if o.ID == a.ID {
				return nil, fmt.Errorf("admin %s is created twice: %w", a.ID, timebank.ErrConflict)
			}
		}
	}
	if err := checkVersions(s.banks, b.Banks, "bank",
		func(r *timebank.Bank) string { return r.ID },
		func(r *timebank.Bank) int64 { return r.Version }); err != nil {
		return nil, err
	}
	if err := checkVersions(s.members, b.Members, "member",
		func(r *timebank.Member) string { return r.ID },
		func(r *timebank.Member) int64 { return r.Version }); err != nil {
		return nil, err
	}
	if err := s.checkEmails(b); err != nil {
		return nil, err
	}
	var created map[string]*account
	newAccounts := make([]*account, 0, len(b.Accounts))
	for _, a := range b.Accounts {
		if a == nil || a.ID == "" {
			return nil, &timebank.FieldError{Field: "Accounts", Reason: "an account has no id"}
		}
		if _, ok := s.accounts[a.ID]; ok {
			return nil, fmt.Errorf("account %s exists: %w", a.ID, timebank.ErrConflict)
		}
		if _, ok := created[a.ID]; ok {
			return nil, fmt.Errorf("account %s is created twice: %w", a.ID, timebank.ErrConflict)
		}
		if created == nil {
			created = make(map[string]*account, len(b.Accounts))
		}
		na := &account{acc: timebank.Account{ID: a.ID, Bank: a.Bank, Kind: a.Kind}}
		created[a.ID] = na
		newAccounts = append(newAccounts, na)
	}
	if err := checkVersions(s.listings, b.Listings, "listing",
		func(r *timebank.Listing) string { return r.ID },
		func(r *timebank.Listing) int64 { return r.Version }); err != nil {
		return nil, err
	}
	if err := checkVersions(s.exchanges, b.Exchanges, "exchange",
		func(r *timebank.Exchange) string { return r.ID },
		func(r *timebank.Exchange) int64 { return r.Version }); err != nil {
		return nil, err
	}
	if err := s.checkTransfers(b, created); err != nil {
		return nil, err
	}
	return newAccounts, nil
}

// checkTransfers checks b's transfers in order, staging the balances they
// leave, and fills s.moved with the account of every posting. It claims
// each transfer's id in the index, at the place commit will give it, so
// that one lookup finds both stored ids and ids earlier in the batch; if
// the batch fails, it gives the claimed ids back before returning.
func (s *TimebankStore) checkTransfers(b *timebank.Batch, created map[string]*account) (err error) {
	if len(b.Transfers) == 0 {
		return nil
	}
	if s.logLen+len(b.Transfers) > math.MaxUint32 {
		return fmt.Errorf("the ledger holds %d transfers: %w", s.logLen, timebank.ErrInvalid)
	}
	s.epoch++
	epoch := s.epoch
	s.moved = s.moved[:0]
	s.transfers.reserve(len(b.Transfers))
	s.pending = b.Transfers
	claimed := 0
	defer func() {
		if err != nil {
			for j := claimed - 1; j >= 0; j-- {
				t := b.Transfers[j]
				s.transfers.remove(s.transfers.hash(t.ID), uint32(s.logLen+j))
			}
			clear(s.moved)
			s.moved = s.moved[:0]
		}
		s.pending = nil
	}()
	idAt := s.idAt
	for i, t := range b.Transfers {
		if t == nil {
			return &timebank.FieldError{Field: "Transfers", Reason: fmt.Sprintf("transfer %d is nil", i)}
		}
		if err := t.Validate(); err != nil {
			return fmt.Errorf("transfer %s: %w", t.ID, err)
		}
		h := s.transfers.hash(t.ID)
		slot, found := s.transfers.find(t.ID, h, idAt)
		if found {
			return fmt.Errorf("transfer %s exists or is twice in the batch: %w", t.ID, timebank.ErrConflict)
		}
		s.transfers.put(slot, h, uint32(s.logLen+i))
		claimed++
		for _, p := range t.Postings {
			a := s.accounts[p.Account]
			if a == nil {
				if a = created[p.Account]; a == nil {
					return fmt.Errorf("transfer %s: account %s: %w", t.ID, p.Account, timebank.ErrNotFound)
				}
			}
			if a.stage != epoch {
				a.stage, a.stageBal, a.stageLast = epoch, a.acc.Balance, a.acc.LastAt
			}
			if t.At.Before(a.stageLast) {
				return &timebank.FieldError{Field: "At", Err: timebank.ErrConflict, Reason: fmt.Sprintf(
					"transfer %s at %s is before a posting on account %s at %s",
					t.ID, t.At.Format(time.RFC3339Nano), p.Account, a.stageLast.Format(time.RFC3339Nano))}
			}
			if bd, ok := b.Bounds[p.Account]; ok && !bd.Allows(a.stageBal, p.Amount) {
				return fmt.Errorf("transfer %s: account %s at %d minutes cannot move by %d: %w",
					t.ID, p.Account, a.stageBal, p.Amount, timebank.ErrInsufficientCredit)
			}
			a.stageBal += p.Amount
			a.stageLast = t.At
			s.moved = append(s.moved, a)
		}
	}
	return nil
}

// checkVersions checks creates (Version 1) and updates (Version n replaces
// n-1) of records, in order, against the stored ones and each other.
func checkVersions[T any](stored map[string]*T, recs []*T, what string, id func(*T) string, version func(*T) int64) error {
	var staged map[string]int64
	if len(recs) > 1 {
		staged = make(map[string]int64, len(recs))
	}
	for _, r := range recs {
		if r == nil || id(r) == "" {
			return &timebank.FieldError{Field: "ID", Reason: "a " + what + " has no id"}
		}
		k, v := id(r), version(r)
		cur, exists := staged[k]
		if !exists {
			if old, ok := stored[k]; ok {
				cur, exists = version(old), true
			}
		}
		switch {
		case v < 1:
			return &timebank.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s has version %d", what, k, v)}
		case v == 1 && exists:
			return fmt.Errorf("%s %s exists: %w", what, k, timebank.ErrConflict)
		case v > 1 && !exists:
			return fmt.Errorf("%s %s: %w", what, k, timebank.ErrNotFound)
		case v > 1 && cur != v-1:
			return fmt.Errorf("%s %s is at version %d, not %d: %w", what, k, cur, v-1, timebank.ErrConflict)
		}
		if staged != nil {
			staged[k] = v
		}
	}
	return nil
}

// checkEmails refuses a member whose email another member of the same
// network gives, among the stored members and the batch's.
func (s *TimebankStore) checkEmails(b *timebank.Batch) error {
	if len(b.Members) == 0 {
		return nil
	}
	network := func(bank string) string {
		for _, x := range b.Banks {
			if x.ID == bank {
				return timebankrec.Network(x)
			}
		}
		if x := s.banks[bank]; x != nil {
			return timebankrec.Network(x)
		}
		return bank
	}
	type key struct{ network, email string }
	owner := map[key]string{}
	inBatch := map[string]bool{}
	for _, m := range b.Members {
		inBatch[m.ID] = true
	}
	for _, m := range b.Members {
		if m.Email == "" {
			continue
		}
		k := key{network(m.Bank), timebankrec.EmailKey(m.Email)}
		if o, ok := owner[k]; ok && o != m.ID {
			return timebankrec.EmailTaken()
		}
		owner[k] = m.ID
	}
	for _, m := range s.members {
		if m.Email == "" || inBatch[m.ID] {
			continue
		}
		if _, ok := owner[key{network(m.Bank), timebankrec.EmailKey(m.Email)}]; ok {
			return timebankrec.EmailTaken()
		}
	}
	return nil
}

// erase replaces the erasure's terms in every text the store keeps but
// member records.
func (s *TimebankStore) erase(e *timebank.Erasure) {
	red := timebankrec.Redactor(e)
	if red == nil {
		return
	}
	for _, x := range s.banks {
		x.Name = red(x.Name)
	}
	for _, x := range s.exchanges {
		x.Category, x.Description, x.Reason = red(x.Category), red(x.Description), red(x.Reason)
	}
	for _, x := range s.listings {
		x.Category, x.Title, x.Description = red(x.Category), red(x.Title), red(x.Description)
	}
	for i := 0; i < s.logLen; i++ {
		t := s.transfer(uint32(i))
		t.Memo = red(t.Memo)
	}
	for i := range s.events {
		s.events[i].Note = red(s.events[i].Note)
	}
}

// Admin returns the administrator with the given id.
func (s *TimebankStore) Admin(ctx context.Context, id string) (*timebank.Admin, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.admins[id]
	if !ok {
		return nil, fmt.Errorf("admin %s: %w", id, timebank.ErrNotFound)
	}
	c := *a
	return &c, nil
}

// Admins returns every administrator, ordered by id.
func (s *TimebankStore) Admins(ctx context.Context) ([]*timebank.Admin, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*timebank.Admin, 0, len(s.admins))
	for _, a := range s.admins {
		c := *a
		out = append(out, &c)
	}
	slices.SortFunc(out, func(a, b *timebank.Admin) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Secret returns the store's secret for idempotency receipts, made when the
// store was.
func (s *TimebankStore) Secret(context.Context) ([]byte, error) { return s.secret, nil }

// commit writes a checked batch.
func (s *TimebankStore) commit(b *timebank.Batch, newAccounts []*account) {
	for _, a := range b.Admins {
		s.admins[a.ID] = &timebank.Admin{ID: a.ID, GrantedAt: utc(a.GrantedAt), GrantedBy: a.GrantedBy}
	}
	for _, r := range b.Banks {
		s.banks[r.ID] = cloneBank(r)
	}
	for _, r := range b.Members {
		s.members[r.ID] = cloneMember(r)
	}
	for _, a := range newAccounts {
		s.accounts[a.acc.ID] = a
	}
	for _, r := range b.Listings {
		s.listings[r.ID] = cloneListing(r)
	}
	for _, r := range b.Exchanges {
		s.exchanges[r.ID] = cloneExchange(r)
	}
	s.commitTransfers(b.Transfers)
	for _, e := range b.Events {
		s.events = append(s.events, timebank.Event{
			Seq: int64(len(s.events)) + 1, Bank: e.Bank, At: utc(e.At), Actor: e.Actor,
			Action: e.Action, Subject: e.Subject, Note: e.Note,
		})
	}
	if b.Erase != nil {
		s.erase(b.Erase)
	}
	if b.Key != "" {
		s.receipts[b.Key] = timebank.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: utc(b.At)}
	}
}

// commitTransfers appends checked transfers to the log and posts them,
// using the accounts check resolved into s.moved. Transfers and postings
// are copied into chunks, not allocated one by one.
func (s *TimebankStore) commitTransfers(trs []*timebank.Transfer) {
	if len(trs) == 0 {
		return
	}
	k := 0
	for _, t := range trs {
		i := uint32(s.logLen)
		if s.logLen%logChunk == 0 {
			s.log = append(s.log, make([]timebank.Transfer, logChunk))
		}
		st := s.transfer(i)
		s.logLen++
		*st = *t
		st.At = utc(t.At)
		n := len(t.Postings)
		if cap(s.postings)-len(s.postings) < n {
			s.postings = make([]timebank.Posting, 0, max(postingsChunk, n))
		}
		l := len(s.postings)
		s.postings = append(s.postings, t.Postings...)
		st.Postings = s.postings[l : l+n : l+n]
		sec, nsec := st.At.Unix(), int32(st.At.Nanosecond())
		for j, p := range st.Postings {
			a := s.moved[k+j]
			a.acc.Balance += p.Amount
			a.acc.LastAt = st.At
			a.entries = append(a.entries, entry{sec: sec, nsec: nsec, tr: i, amount: p.Amount, balance: a.acc.Balance})
		}
		k += n
		switch st.Kind {
		case timebank.KindIssue, timebank.KindDonation, timebank.KindGrant:
			s.flows = append(s.flows, i)
		}
	}
	clear(s.moved) // drop the pointers until the next batch
	s.moved = s.moved[:0]
}

// Bank returns the bank with the given id.
func (s *TimebankStore) Bank(ctx context.Context, id string) (*timebank.Bank, error) {
	return get(ctx, s, s.banks, id, "bank", cloneBank)
}

// Banks returns banks ordered by id.
func (s *TimebankStore) Banks(ctx context.Context, f timebank.BankFilter) ([]*timebank.Bank, error) {
	return list(ctx, s, s.banks, f.Offset, f.Limit, func(b *timebank.Bank) bool {
		return f.Parent == nil || b.Parent == *f.Parent
	}, cloneBank, func(b *timebank.Bank) string { return b.ID })
}

// Member returns the member with the given id.
func (s *TimebankStore) Member(ctx context.Context, id string) (*timebank.Member, error) {
	return get(ctx, s, s.members, id, "member", cloneMember)
}

// Members returns members ordered by id.
func (s *TimebankStore) Members(ctx context.Context, f timebank.MemberFilter) ([]*timebank.Member, error) {
	return list(ctx, s, s.members, f.Offset, f.Limit, func(m *timebank.Member) bool {
		return (f.Bank == nil || m.Bank == *f.Bank) &&
			(f.Kind == nil || m.Kind == *f.Kind) &&
			(f.Status == nil || m.Status == *f.Status)
	}, cloneMember, func(m *timebank.Member) string { return m.ID })
}

// Account returns an account with its maintained balance.
func (s *TimebankStore) Account(ctx context.Context, id string) (*timebank.Account, error) {
	return get(ctx, s, s.accounts, id, "account", cloneAccount)
}

// Accounts returns accounts ordered by id.
func (s *TimebankStore) Accounts(ctx context.Context, f timebank.AccountFilter) ([]*timebank.Account, error) {
	return list(ctx, s, s.accounts, f.Offset, f.Limit, func(a *account) bool {
		return f.Bank == nil || a.acc.Bank == *f.Bank
	}, cloneAccount, func(a *timebank.Account) string { return a.ID })
}

// BalanceAt returns the account's balance after every transfer with
// At ≤ at, by binary search over its statement.
func (s *TimebankStore) BalanceAt(ctx context.Context, id string, at time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a := s.accounts[id]
	if a == nil {
		return 0, fmt.Errorf("balance of account %s: %w", id, timebank.ErrNotFound)
	}
	es := a.entries
	sec, nsec := at.Unix(), int32(at.Nanosecond())
	i := sort.Search(len(es), func(i int) bool { return es[i].after(sec, nsec) })
	if i == 0 {
		return 0, nil
	}
	return es[i-1].balance, nil
}

// Entries returns an account's statement lines in ledger order. It returns
// ErrNotFound for a missing account.
func (s *TimebankStore) Entries(ctx context.Context, f timebank.EntryFilter) ([]timebank.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a := s.accounts[f.Account]
	if a == nil {
		return nil, fmt.Errorf("entries of account %s: %w", f.Account, timebank.ErrNotFound)
	}
	es := a.entries
	lo, hi := 0, len(es)
	// The first entry at or after t is the first after t less 1ns.
	atOrAfter := func(t time.Time) int {
		t = t.Add(-time.Nanosecond)
		sec, nsec := t.Unix(), int32(t.Nanosecond())
		return sort.Search(len(es), func(i int) bool { return es[i].after(sec, nsec) })
	}
	if f.From != nil {
		lo = atOrAfter(*f.From)
	}
	if f.To != nil {
		hi = atOrAfter(*f.To)
	}
	if hi < lo {
		hi = lo
	}
	lo, hi = page(lo, hi, f.Offset, f.Limit)
	out := make([]timebank.Entry, 0, hi-lo)
	for _, e := range es[lo:hi] {
		t := s.transfer(e.tr)
		out = append(out, timebank.Entry{
			Transfer: t.ID, Account: a.acc.ID, Kind: t.Kind, Amount: e.amount,
			Balance: e.balance, At: t.At, Memo: t.Memo,
		})
	}
	return out, nil
}

// Transfer returns the transfer with the given id.
func (s *TimebankStore) Transfer(ctx context.Context, id string) (*timebank.Transfer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.transfers.get(id, s.idAt)
	if !ok {
		return nil, fmt.Errorf("transfer %s: %w", id, timebank.ErrNotFound)
	}
	return cloneTransfer(s.transfer(i)), nil
}

// Exchange returns the exchange with the given id.
func (s *TimebankStore) Exchange(ctx context.Context, id string) (*timebank.Exchange, error) {
	return get(ctx, s, s.exchanges, id, "exchange", cloneExchange)
}

// Exchanges returns exchanges ordered by Date, then id.
func (s *TimebankStore) Exchanges(ctx context.Context, f timebank.ExchangeFilter) ([]*timebank.Exchange, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var sel []*timebank.Exchange
	for _, e := range s.exchanges {
		if (len(f.Banks) == 0 || slices.Contains(f.Banks, e.Bank)) &&
			(f.Member == nil || e.Giver == *f.Member || e.Receiver == *f.Member) &&
			(f.Category == nil || e.Category == *f.Category) &&
			(f.Status == nil || e.Status == *f.Status) &&
			(f.From == nil || !e.Date.Before(*f.From)) &&
			(f.To == nil || e.Date.Before(*f.To)) {
			sel = append(sel, e)
		}
	}
	slices.SortFunc(sel, func(a, b *timebank.Exchange) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	lo, hi := page(0, len(sel), f.Offset, f.Limit)
	out := make([]*timebank.Exchange, 0, hi-lo)
	for _, e := range sel[lo:hi] {
		out = append(out, cloneExchange(e))
	}
	return out, nil
}

// Listing returns the listing with the given id.
func (s *TimebankStore) Listing(ctx context.Context, id string) (*timebank.Listing, error) {
	return get(ctx, s, s.listings, id, "listing", cloneListing)
}

// Listings returns listings ordered by id.
func (s *TimebankStore) Listings(ctx context.Context, f timebank.ListingFilter) ([]*timebank.Listing, error) {
	return list(ctx, s, s.listings, f.Offset, f.Limit, func(l *timebank.Listing) bool {
		return (f.Bank == nil || l.Bank == *f.Bank) &&
			(f.Member == nil || l.Member == *f.Member) &&
			(f.Kind == nil || l.Kind == *f.Kind) &&
			(f.Category == nil || l.Category == *f.Category) &&
			(f.Open == nil || l.Open == *f.Open)
	}, cloneListing, func(l *timebank.Listing) string { return l.ID })
}

// Receipt returns what was recorded under an idempotency key.
func (s *TimebankStore) Receipt(ctx context.Context, key string) (*timebank.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.receipts[key]
	if !ok {
		return nil, fmt.Errorf("receipt %q: %w", key, timebank.ErrNotFound)
	}
	return &r, nil
}

// Events returns the audit trail ordered by Seq.
func (s *TimebankStore) Events(ctx context.Context, f timebank.EventFilter) ([]timebank.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []timebank.Event
	skip := f.Offset
	for _, e := range s.events {
		if (f.Bank != "" && e.Bank != f.Bank) || (f.Subject != "" && e.Subject != f.Subject) || e.Seq <= f.After {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

// Tally counts activity over f.Banks and the period f.From ≤ t < f.To.
func (s *TimebankStore) Tally(ctx context.Context, f timebank.TallyFilter) (timebank.Tally, error) {
	if err := ctx.Err(); err != nil {
		return timebank.Tally{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	in := func(t time.Time) bool { return !t.Before(f.From) && t.Before(f.To) }
	counted := func(bank string) bool { return len(f.Banks) == 0 || slices.Contains(f.Banks, bank) }
	var out timebank.Tally
	for _, m := range s.members {
		if !counted(m.Bank) || !m.JoinedAt.Before(f.To) || (m.LeftAt != nil && m.LeftAt.Before(f.From)) {
			continue
		}
		switch m.Kind {
		case timebank.Individual:
			out.Individuals++
		case timebank.Organisation:
			out.Organisations++
		}
	}
	active := map[string]struct{}{}
	for _, e := range s.exchanges {
		if e.Status != timebank.Confirmed || !counted(e.Bank) || !in(e.Date) {
			continue
		}
		out.Exchanges++
		out.ExchangeMinutes += e.Minutes
		if out.Categories == nil {
			out.Categories = map[string]int64{}
		}
		out.Categories[e.Category] += e.Minutes
		active[e.Giver] = struct{}{}
		active[e.Receiver] = struct{}{}
	}
	out.ActiveMembers = len(active)
	for _, i := range s.flows {
		t := s.transfer(i)
		if !counted(t.Bank) || !in(t.At) {
			continue
		}
		var size int64
		for _, p := range t.Postings {
			if p.Amount > 0 {
				size += p.Amount
			}
		}
		switch t.Kind {
		case timebank.KindIssue:
			out.IssuedMinutes += size
		case timebank.KindDonation:
			out.DonatedMinutes += size
		case timebank.KindGrant:
			out.GrantedMinutes += size
		}
	}
	return out, nil
}

// get returns a copy of the record stored under id.
func get[V, R any](ctx context.Context, s *TimebankStore, m map[string]*V, id, what string, clone func(*V) *R) (*R, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := m[id]
	if !ok {
		return nil, fmt.Errorf("%s %s: %w", what, id, timebank.ErrNotFound)
	}
	return clone(v), nil
}

// list returns copies of the records keep selects, ordered by id and
// paged.
func list[V, R any](ctx context.Context, s *TimebankStore, m map[string]*V, offset, limit int,
	keep func(*V) bool, clone func(*V) *R, id func(*R) string) ([]*R, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []*R
	for _, v := range m {
		if keep(v) {
			out = append(out, clone(v))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *R) int { return cmp.Compare(id(a), id(b)) })
	lo, hi := page(0, len(out), offset, limit)
	return out[lo:hi:hi], nil
}

// pageOf returns the page of xs that offset and limit (0 is no limit)
// select; nil when offset is past the end.
func pageOf[T any](xs []T, offset, limit int) []T {
	if offset > 0 && offset >= len(xs) {
		return nil
	}
	lo, hi := page(0, len(xs), offset, limit)
	return xs[lo:hi:hi]
}

// page narrows [lo, hi) by offset and limit (0 is no limit).
func page(lo, hi, offset, limit int) (int, int) {
	if offset > 0 {
		lo = min(lo+offset, hi)
	}
	if limit > 0 {
		hi = min(lo+limit, hi)
	}
	return lo, hi
}

// utc returns t in UTC.
func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func int64Ptr(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func stampPtr(p *timebank.Stamp) *timebank.Stamp {
	if p == nil {
		return nil
	}
	return &timebank.Stamp{By: p.By, At: p.At.UTC()}
}

func cloneBank(b *timebank.Bank) *timebank.Bank {
	c := *b
	c.MaxBalance = int64Ptr(b.MaxBalance)
	c.CreatedAt, c.UpdatedAt = utc(b.CreatedAt), utc(b.UpdatedAt)
	return &c
}

func cloneMember(m *timebank.Member) *timebank.Member {
	c := *m
	c.MinBalance, c.MaxBalance = int64Ptr(m.MinBalance), int64Ptr(m.MaxBalance)
	c.JoinedAt, c.UpdatedAt = utc(m.JoinedAt), utc(m.UpdatedAt)
	c.LeftAt, c.ErasedAt = utcPtr(m.LeftAt), utcPtr(m.ErasedAt)
	return &c
}

func cloneListing(l *timebank.Listing) *timebank.Listing {
	c := *l
	c.CreatedAt, c.UpdatedAt = utc(l.CreatedAt), utc(l.UpdatedAt)
	return &c
}

func cloneExchange(e *timebank.Exchange) *timebank.Exchange {
	c := *e
	c.Date, c.CreatedAt, c.UpdatedAt = utc(e.Date), utc(e.CreatedAt), utc(e.UpdatedAt)
	c.GiverConfirmed = stampPtr(e.GiverConfirmed)
	c.ReceiverConfirmed = stampPtr(e.ReceiverConfirmed)
	c.Approved = stampPtr(e.Approved)
	return &c
}

func cloneAccount(a *account) *timebank.Account {
	c := a.acc
	return &c
}

func cloneTransfer(t *timebank.Transfer) *timebank.Transfer {
	c := *t
	c.Postings = slices.Clone(t.Postings)
	return &c
}
