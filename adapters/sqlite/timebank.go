package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/strongertogether/community/adapters/internal/timebankrec"
	"github.com/strongertogether/community/timebank"
)

// TimebankStore is the SQLite timebank.Store. It keeps each account's
// balance and the time of its latest posting on the account row, and every
// posting with the balance it left, so Account is one row and BalanceAt is
// one index lookup whatever the length of the history.
type TimebankStore struct {
	db *DB
}

var _ timebank.Store = (*TimebankStore)(nil)

// NewTimebankStore returns a timebank.Store backed by db. Several stores
// may share one DB.
func NewTimebankStore(db *DB) *TimebankStore { return &TimebankStore{db: db} }

// Rows per multi-row statement. Powers of two (see rowChunks); a statement
// binds rows×columns parameters, far below SQLite's limit of 32766.
const (
	transferChunk = 128
	postingChunk  = 256
	accountChunk  = 256
	eventChunk    = 64
)

// record is a bank, member, listing or exchange as Apply writes it.
type record struct {
	table   string
	id      string
	version int64
	cols    []string // every column but id, version last
	vals    []any    // in cols order
}

// Apply writes b atomically: see timebank.Store.
func (s *TimebankStore) Apply(ctx context.Context, b *timebank.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &timebank.FieldError{Field: "Batch", Reason: "is nil"})
	}
	if err := timebankrec.CheckRecords(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	err := s.db.write(ctx, func(tx *writeTx) error {
		if b.Key != "" {
			n, err := tx.count(`SELECT count(*) FROM timebank_receipts WHERE key = ?`, b.Key)
			if err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("key %q: %w", b.Key, timebank.ErrDuplicateKey)
			}
		}
		for _, x := range b.Banks {
			if err := put(tx, bankRecord(x)); err != nil {
				return err
			}
		}
		for _, x := range b.Admins {
			if _, err := tx.exec(`INSERT INTO timebank_admins (id, granted_at, granted_by) VALUES (?, ?, ?)`, x.ID, micros(x.GrantedAt), x.GrantedBy); err != nil {
				if isUnique(err) {
					return fmt.Errorf("create admin %s: %w", x.ID, timebank.ErrConflict)
				}
				return fmt.Errorf("create admin %s: %w", x.ID, err)
			}
		}
		for _, x := range b.Members {
			network, err := memberNetwork(tx, x.Bank)
			if err != nil {
				return err
			}
			r := memberRecord(x)
			r.cols = append([]string{"network"}, r.cols...)
			r.vals = append([]any{network}, r.vals...)
			if err := put(tx, r); err != nil {
				return err
			}
		}
		if err := insertAccounts(tx, b.Accounts); err != nil {
			return err
		}
		for _, x := range b.Listings {
			if err := put(tx, listingRecord(x)); err != nil {
				return err
			}
		}
		for _, x := range b.Exchanges {
			if err := put(tx, exchangeRecord(x)); err != nil {
				return err
			}
		}
		if err := postTransfers(tx, b.Transfers, b.Bounds); err != nil {
			return err
		}
		if err := insertEvents(tx, b.Events); err != nil {
			return err
		}
		if b.Erase != nil {
			if err := erase(tx, b.Erase); err != nil {
				return err
			}
		}
		if err := tx.putReceipt("timebank_receipts", b.Key, b.Hash, b.Result, b.At, timebank.ErrDuplicateKey); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	if b.Erase != nil {
		// The erased text is gone from the tables; now from the WAL too.
		if err := s.db.scrub(ctx); err != nil {
			return fmt.Errorf("apply batch: %w", err)
		}
	}
	return nil
}

// memberNetwork returns the network of a member of bank: its parent, or the
// bank itself.
func memberNetwork(tx *writeTx, bank string) (string, error) {
	var network string
	err := tx.QueryRowContext(tx.ctx, `SELECT CASE WHEN parent = '' THEN id ELSE parent END FROM timebank_banks WHERE id = ?`, bank).Scan(&network)
	if errors.Is(err, sql.ErrNoRows) {
		return bank, nil
	}
	if err != nil {
		return "", fmt.Errorf("network of bank %s: %w", bank, err)
	}
	return network, nil
}

// erasable are the columns of free text an erasure searches: every text
// column of the time bank's tables but members', whose erased record the
// batch writes itself.
var erasable = []struct{ table, key, col string }{
	{"timebank_banks", "id", "name"},
	{"timebank_exchanges", "id", "category"},
	{"timebank_exchanges", "id", "description"},
	{"timebank_exchanges", "id", "reason"},
	{"timebank_listings", "id", "category"},
	{"timebank_listings", "id", "title"},
	{"timebank_listings", "id", "description"},
	{"timebank_transfers", "tk", "memo"},
	{"timebank_events", "seq", "note"},
}

// erase replaces e's terms wherever they occur in an erasable column.
func erase(tx *writeTx, e *timebank.Erasure) error {
	red := timebankrec.Redactor(e)
	if red == nil {
		return nil
	}
	for _, c := range erasable {
		var conds []string
		var args []any
		for _, t := range e.Terms {
			conds = append(conds, "instr(lower("+c.col+"), lower(?)) > 0")
			args = append(args, t)
		}
		st, err := tx.stmt(`SELECT ` + c.key + `, ` + c.col + ` FROM ` + c.table + ` WHERE ` + strings.Join(conds, " OR "))
		if err == nil {
			err = st.bind(args...)
		}
		if err != nil {
			return fmt.Errorf("erase from %s.%s: %w", c.table, c.col, err)
		}
		type hit struct {
			key  any
			text string
		}
		var hits []hit
		for {
			ok, err := st.next()
			if err != nil {
				return fmt.Errorf("erase from %s.%s: %w", c.table, c.col, err)
			}
			if !ok {
				break
			}
			hits = append(hits, hit{st.colValue(0), st.colText(1)})
		}
		st.reset()
		for _, h := range hits {
			if _, err := tx.exec(`UPDATE `+c.table+` SET `+c.col+` = ? WHERE `+c.key+` = ?`, red(h.text), h.key); err != nil {
				return fmt.Errorf("erase from %s.%s: %w", c.table, c.col, err)
			}
		}
	}
	return nil
}

// putQueries caches the statements put runs, by table, number of columns
// and kind: a table's record always writes the same columns.
var putQueries sync.Map

// putKey is a key of putQueries.
type putKey struct {
	table  string
	cols   int
	create bool
}

// putQuery returns the INSERT (create) or UPDATE statement that writes r.
func putQuery(r record, create bool) string {
	k := putKey{r.table, len(r.cols), create}
	if q, ok := putQueries.Load(k); ok {
		return q.(string)
	}
	q := "UPDATE " + r.table + " SET " + strings.Join(r.cols, " = ?, ") + " = ? WHERE id = ? AND version = ?"
	if create {
		q = "INSERT INTO " + r.table + " (id, " + strings.Join(r.cols, ", ") + ") VALUES (?, " + placeholders(len(r.cols)) + ")"
	}
	putQueries.Store(k, q)
	return q
}

// put creates r (Version 1) or replaces the stored record of Version-1.
func put(tx *writeTx, r record) error {
	switch {
	case r.version < 1:
		return fmt.Errorf("%s %s: %w", r.table, r.id, &timebank.FieldError{
			Field: "Version", Reason: fmt.Sprintf("must be 1 to create or n > 1 to replace version n-1, got %d", r.version)})
	case r.version == 1:
		q := putQuery(r, true)
		if _, err := tx.exec(q, append([]any{r.id}, r.vals...)...); err != nil {
			if isEmailTaken(err) {
				return fmt.Errorf("create %s %s: %w", r.table, r.id, timebankrec.EmailTaken())
			}
			if isUnique(err) {
				return fmt.Errorf("create %s %s: %w", r.table, r.id, timebank.ErrConflict)
			}
			return fmt.Errorf("create %s %s: %w", r.table, r.id, err)
		}
		return nil
	}
	q := putQuery(r, false)
	n, err := tx.exec(q, append(r.vals, r.id, r.version-1)...)
	if isEmailTaken(err) {
		return fmt.Errorf("update %s %s: %w", r.table, r.id, timebankrec.EmailTaken())
	}
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.table, r.id, err)
	}
	if n == 1 {
		return nil
	}
	exists, err := tx.count("SELECT count(*) FROM "+r.table+" WHERE id = ?", r.id)
	if err != nil {
		return err
	}
	if exists == 0 {
		return fmt.Errorf("update %s %s: %w", r.table, r.id, timebank.ErrNotFound)
	}
	return fmt.Errorf("update %s %s to version %d: stored version is not %d: %w",
		r.table, r.id, r.version, r.version-1, timebank.ErrConflict)
}

// isEmailTaken reports whether err is a violation of the index that keeps
// one email per network.
func isEmailTaken(err error) bool {
	return err != nil && isUnique(err) && strings.Contains(err.Error(), "timebank_members.network")
}

// bankRecordCols are the columns bankRecord writes, in order.
var bankRecordCols = []string{"name", "parent", "organisation", "rounding", "min_balance", "max_balance",
	"confirmation", "created_at", "created_by", "updated_at", "updated_by", "version"}

func bankRecord(x *timebank.Bank) record {
	return record{table: "timebank_banks", id: x.ID, version: x.Version,
		cols: bankRecordCols,
		vals: []any{x.Name, x.Parent, x.Organisation, x.Rounding, x.MinBalance, nullInt(x.MaxBalance),
			string(x.Confirmation), micros(x.CreatedAt), x.CreatedBy, micros(x.UpdatedAt), x.UpdatedBy, x.Version},
	}
}

// memberRecordCols are the columns memberRecord writes, in order.
var memberRecordCols = []string{"bank", "kind", "role", "status", "trusted", "name", "email", "phone",
	"email_key", "ward", "min_balance", "max_balance", "joined_at", "left_at", "erased_at",
	"created_by", "updated_at", "updated_by", "version"}

func memberRecord(x *timebank.Member) record {
	return record{table: "timebank_members", id: x.ID, version: x.Version,
		cols: memberRecordCols,
		vals: []any{x.Bank, string(x.Kind), string(x.Role), string(x.Status), boolInt(x.Trusted),
			x.Name, x.Email, x.Phone, timebankrec.EmailKey(x.Email), x.Ward, nullInt(x.MinBalance), nullInt(x.MaxBalance),
			micros(x.JoinedAt), nullMicros(x.LeftAt), nullMicros(x.ErasedAt),
			x.CreatedBy, micros(x.UpdatedAt), x.UpdatedBy, x.Version},
	}
}

// listingRecordCols are the columns listingRecord writes, in order.
var listingRecordCols = []string{"bank", "member", "kind", "category", "title", "description", "open",
	"created_at", "updated_at", "updated_by", "version"}

func listingRecord(x *timebank.Listing) record {
	return record{table: "timebank_listings", id: x.ID, version: x.Version,
		cols: listingRecordCols,
		vals: []any{x.Bank, x.Member, string(x.Kind), x.Category, x.Title, x.Description, boolInt(x.Open),
			micros(x.CreatedAt), micros(x.UpdatedAt), x.UpdatedBy, x.Version},
	}
}

// exchangeRecordCols are the columns exchangeRecord writes, in order.
var exchangeRecordCols = []string{"bank", "giver", "receiver", "minutes", "date", "category", "description", "listing",
	"status", "giver_by", "giver_at", "receiver_by", "receiver_at", "approved_by", "approved_at",
	"transfer", "reversal", "reason", "created_at", "created_by", "updated_at", "updated_by", "version"}

func exchangeRecord(x *timebank.Exchange) record {
	gBy, gAt := stampVals(x.GiverConfirmed)
	rBy, rAt := stampVals(x.ReceiverConfirmed)
	aBy, aAt := stampVals(x.Approved)
	return record{table: "timebank_exchanges", id: x.ID, version: x.Version,
		cols: exchangeRecordCols,
		vals: []any{x.Bank, x.Giver, x.Receiver, x.Minutes, micros(x.Date), x.Category, x.Description, x.Listing,
			string(x.Status), gBy, gAt, rBy, rAt, aBy, aAt,
			x.Transfer, x.Reversal, x.Reason, micros(x.CreatedAt), x.CreatedBy, micros(x.UpdatedAt), x.UpdatedBy, x.Version},
	}
}

// stampVals returns a Stamp's columns: a nil Stamp is ("", NULL).
func stampVals(s *timebank.Stamp) (string, any) {
	if s == nil {
		return "", nil
	}
	return s.By, micros(s.At)
}

func insertAccounts(tx *writeTx, accounts []*timebank.Account) error {
	for _, a := range accounts {
		if a.ID == "" {
			return fmt.Errorf("create account: %w", &timebank.FieldError{Field: "ID", Reason: "is required"})
		}
	}
	return insertRows(tx, "INSERT INTO timebank_accounts (id, bank, kind) VALUES ", 3, accountChunk, len(accounts),
		func(s *stmt, p, i int) {
			a := accounts[i]
			s.text(p, a.ID)
			s.text(p+1, a.Bank)
			s.text(p+2, string(a.Kind))
		},
		func(lo, hi int, err error) error {
			if isUnique(err) {
				return fmt.Errorf("create accounts %s…%s: an account exists already: %w",
					accounts[lo].ID, accounts[hi-1].ID, timebank.ErrConflict)
			}
			return fmt.Errorf("create accounts: %w", err)
		})
}

func insertEvents(tx *writeTx, events []timebank.Event) error {
	return insertRows(tx, "INSERT INTO timebank_events (bank, at, actor, action, subject, note) VALUES ", 6, eventChunk, len(events),
		func(s *stmt, p, i int) {
			e := &events[i]
			s.text(p, e.Bank)
			s.int64(p+1, micros(e.At))
			s.text(p+2, e.Actor)
			s.text(p+3, e.Action)
			s.text(p+4, e.Subject)
			s.text(p+5, e.Note)
		},
		func(_, _ int, err error) error { return fmt.Errorf("record events: %w", err) })
}

// insertRows writes n rows with multi-row statements of at most chunk
// rows: prefix is "INSERT INTO t (cols) VALUES " and each row has cols
// parameters. row binds row i's values to parameters p, p+1, …; fail turns
// an error on rows lo..hi-1 into the one returned.
func insertRows(tx *writeTx, prefix string, cols, chunk, n int,
	row func(s *stmt, p, i int), fail func(lo, hi int, err error) error) error {
	i := 0
	for _, size := range rowChunks(n, chunk) {
		s, err := tx.stmt(prefix + valuesRows(size, cols))
		if err != nil {
			return err
		}
		for j := range size {
			row(s, 1+j*cols, i+j)
		}
		if err := s.exec(); err != nil {
			return fail(i, i+size, err)
		}
		i += size
	}
	return nil
}

// posting is one row of the postings table.
type posting struct {
	acct                         *account
	ak, at, seq, amount, balance int64
}

// account is an account's state while a batch of transfers is posted.
type account struct {
	ak      int64
	balance int64
	last    int64 // micros of the latest posting; math.MinInt64 if none
	posts   int   // postings to it in the batch
	next    int   // where its next posting goes in key order
}

// postTransfers posts ts in order: it validates each, loads the accounts
// they touch once, computes every posting's running balance in Go while
// checking bounds and ledger time, then writes transfers and postings with
// multi-row INSERTs and each moved account's balance with one UPDATE per
// chunk of accounts.
func postTransfers(tx *writeTx, ts []*timebank.Transfer, bounds map[string]timebank.Bounds) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]string, 0, 2*len(ts))
	accts := make(map[string]*account, 2*len(ts))
	npost := 0
	for _, t := range ts {
		if t == nil {
			return fmt.Errorf("transfer: %w", &timebank.FieldError{Field: "Transfers", Reason: "nil transfer"})
		}
		if err := t.Validate(); err != nil {
			return fmt.Errorf("transfer %s: %w", t.ID, err)
		}
		for _, p := range t.Postings {
			if _, ok := accts[p.Account]; !ok {
				accts[p.Account] = nil
				ids = append(ids, p.Account)
			}
		}
		npost += len(t.Postings)
	}
	if err := loadAccounts(tx, ids, accts); err != nil {
		return err
	}

	tk0, err := tx.count(`SELECT coalesce(max(tk), 0) FROM timebank_transfers`)
	if err != nil {
		return err
	}

	posts := make([]posting, 0, npost)
	sizes := make([]int64, len(ts))
	// Each transfer's account keys as a JSON array, all in one string.
	keys := make([]byte, 0, len(ts)*16)
	ends := make([]int, len(ts))
	for i, t := range ts {
		at := micros(t.At)
		seq := tk0 + int64(i) + 1
		keys = append(keys, '[')
		for j, p := range t.Postings {
			a := accts[p.Account]
			if a == nil {
				return fmt.Errorf("transfer %s: account %s: %w", t.ID, p.Account, timebank.ErrNotFound)
			}
			if at < a.last {
				// Another writer posted later on the account since the
				// batch was built: the caller rebuilds it with a fresh time.
				return fmt.Errorf("transfer %s: %w", t.ID, &timebank.FieldError{Field: "At", Err: timebank.ErrConflict,
					Reason: fmt.Sprintf("%s is before the latest posting on account %s (%s)",
						t.At.UTC().Format("2006-01-02T15:04:05.999999Z"), p.Account,
						fromMicros(a.last).Format("2006-01-02T15:04:05.999999Z"))})
			}
			if bd, ok := bounds[p.Account]; ok && !bd.Allows(a.balance, p.Amount) {
				return fmt.Errorf("transfer %s: account %s balance %d by %d: %w",
					t.ID, p.Account, a.balance, p.Amount, timebank.ErrInsufficientCredit)
			}
			a.balance += p.Amount
			a.last = at
			a.posts++
			if p.Amount > 0 {
				sizes[i] += p.Amount
			}
			posts = append(posts, posting{acct: a, ak: a.ak, at: at, seq: seq, amount: p.Amount, balance: a.balance})
			if j > 0 {
				keys = append(keys, ',')
			}
			keys = strconv.AppendInt(keys, a.ak, 10)
		}
		keys = append(keys, ']')
		ends[i] = len(keys)
	}
	allKeys := string(keys)

	err = insertRows(tx, "INSERT OR ROLLBACK INTO timebank_transfers (tk, id, bank, kind, at, actor, exchange, reverses, memo, size, accounts) VALUES ",
		11, transferChunk, len(ts),
		func(s *stmt, p, i int) {
			t := ts[i]
			start := 0
			if i > 0 {
				start = ends[i-1]
			}
			s.int64(p, tk0+int64(i)+1)
			s.text(p+1, t.ID)
			s.text(p+2, t.Bank)
			s.text(p+3, string(t.Kind))
			s.int64(p+4, micros(t.At))
			s.text(p+5, t.Actor)
			s.text(p+6, t.Exchange)
			s.text(p+7, t.Reverses)
			s.text(p+8, t.Memo)
			s.int64(p+9, sizes[i])
			s.text(p+10, allKeys[start:ends[i]])
		},
		func(lo, hi int, err error) error {
			if isUnique(err) {
				return fmt.Errorf("transfers %s…%s: a transfer id is taken: %w", ts[lo].ID, ts[hi-1].ID, timebank.ErrConflict)
			}
			return fmt.Errorf("insert transfers: %w", err)
		})
	if err != nil {
		return err
	}
	// The moved accounts in key order, and the postings in key order
	// (account, at, seq), so consecutive rows land on the same b-tree
	// pages. Within an account the apply order is already (at, seq) order,
	// since ledger time never goes back for an account: a counting sort by
	// account keeps it.
	moved := make([]*account, 0, len(ids))
	for _, id := range ids {
		if a := accts[id]; a.posts > 0 {
			moved = append(moved, a)
		}
	}
	slices.SortFunc(moved, func(x, y *account) int { return cmp.Compare(x.ak, y.ak) })
	next := 0
	for _, a := range moved {
		a.next = next
		next += a.posts
	}
	sorted := make([]posting, len(posts))
	for _, p := range posts {
		sorted[p.acct.next] = p
		p.acct.next++
	}
	posts = sorted
	err = insertRows(tx, "INSERT OR ROLLBACK INTO timebank_postings (account, at, seq, amount, balance_after) VALUES ",
		5, postingChunk, len(posts),
		func(s *stmt, q, i int) {
			p := &posts[i]
			s.int64(q, p.ak)
			s.int64(q+1, p.at)
			s.int64(q+2, p.seq)
			s.int64(q+3, p.amount)
			s.int64(q+4, p.balance)
		},
		func(_, _ int, err error) error { return fmt.Errorf("insert postings: %w", err) })
	if err != nil {
		return err
	}

	i := 0
	for _, size := range rowChunks(len(moved), accountChunk) {
		st, err := tx.stmt(`UPDATE timebank_accounts SET balance = v.column2, last_at = v.column3 FROM (VALUES ` +
			valuesRows(size, 3) + `) AS v WHERE timebank_accounts.ak = v.column1`)
		if err != nil {
			return err
		}
		for j, a := range moved[i : i+size] {
			st.int64(1+3*j, a.ak)
			st.int64(2+3*j, a.balance)
			st.int64(3+3*j, a.last)
		}
		if err := st.exec(); err != nil {
			return fmt.Errorf("update balances: %w", err)
		}
		i += size
	}
	return nil
}

// loadAccounts reads the accounts named in ids into accts; ids missing from
// the store stay nil.
func loadAccounts(tx *writeTx, ids []string, accts map[string]*account) error {
	i := 0
	for _, size := range rowChunks(len(ids), accountChunk) {
		st, err := tx.stmt(`SELECT ak, id, balance, last_at FROM timebank_accounts WHERE id IN (` + placeholders(size) + `)`)
		if err != nil {
			return err
		}
		for j, id := range ids[i : i+size] {
			st.text(1+j, id)
		}
		i += size
		for {
			ok, err := st.next()
			if err != nil {
				return fmt.Errorf("load accounts: %w", err)
			}
			if !ok {
				break
			}
			a := &account{ak: st.colInt64(0), balance: st.colInt64(2), last: math.MinInt64}
			if !st.colNull(3) {
				a.last = st.colInt64(3)
			}
			accts[st.colText(1)] = a
		}
	}
	return nil
}

// foldEmailKeys gives every member whose email holds a character outside
// ASCII the key timebankrec.EmailKey folds in Go: migration 0019 could fold
// only ASCII in SQL. It reads only such rows, so on a database that has
// none it is one scan; a row already right is left alone. A row whose
// folded key another member of its network holds (two addresses that
// differed only in case before 0019) keeps its old key, and the Service's
// own check still treats the two as one address.
func (db *DB) foldEmailKeys(ctx context.Context) error {
	rows, err := db.reader.QueryContext(ctx, `SELECT id, email, email_key FROM timebank_members
		WHERE email_key <> '' AND email GLOB '*[^ -~]*'`)
	if err != nil {
		return fmt.Errorf("fold email keys: %w", err)
	}
	type fix struct{ id, email, key string }
	var fixes []fix
	for rows.Next() {
		var id, email, key string
		if err := rows.Scan(&id, &email, &key); err != nil {
			rows.Close()
			return fmt.Errorf("fold email keys: %w", err)
		}
		if k := timebankrec.EmailKey(email); k != key {
			fixes = append(fixes, fix{id, email, k})
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("fold email keys: %w", err)
	}
	for _, f := range fixes {
		err := db.write(ctx, func(tx *writeTx) error {
			_, err := tx.exec(`UPDATE timebank_members SET email_key = ? WHERE id = ? AND email = ?`, f.key, f.id, f.email)
			return err
		})
		if err != nil && !isUnique(err) {
			return fmt.Errorf("fold email key of member %s: %w", f.id, err)
		}
	}
	return nil
}
