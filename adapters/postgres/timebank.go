package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/strongertogether/community/adapters/internal/timebankrec"
	"github.com/strongertogether/community/timebank"
)

// copyThreshold is the number of postings from which Apply writes
// transfers and postings with COPY rather than INSERT … unnest.
const copyThreshold = 512

// TimebankStore is the PostgreSQL timebank.Store. Balances are maintained
// in the accounts table, and every posting keeps the balance it left, so
// Account and BalanceAt are one index lookup each.
type TimebankStore struct {
	db *DB
}

var _ timebank.Store = (*TimebankStore)(nil)

// NewTimebankStore returns a timebank.Store on db.
func NewTimebankStore(db *DB) *TimebankStore { return &TimebankStore{db: db} }

// Apply writes b in one transaction: the receipt for b.Key first (so a
// retry is told ErrDuplicateKey before anything else), then banks,
// members, accounts, listings and exchanges, then the transfers, with the
// accounts they touch locked in id order, and the events.
func (s *TimebankStore) Apply(ctx context.Context, b *timebank.Batch) error {
	if err := s.apply(ctx, b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

// write is one versioned record of a batch.
type write struct {
	t       *table
	id      string
	version int64
	args    []any
}

func (s *TimebankStore) apply(ctx context.Context, b *timebank.Batch) error {
	if b == nil {
		return &timebank.FieldError{Field: "Batch", Reason: "is nil"}
	}
	if err := timebankrec.CheckRecords(b); err != nil {
		return err
	}
	writes, err := batchWrites(b)
	if err != nil {
		return err
	}
	for _, t := range b.Transfers {
		if t == nil {
			return &timebank.FieldError{Field: "Transfers", Reason: "nil transfer"}
		}
		if err := t.Validate(); err != nil {
			return fmt.Errorf("transfer %s: %w", t.ID, err)
		}
	}

	tx, err := s.db.beginEvents(ctx, "timebank_events", len(b.Events) > 0)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	// First round trip: the receipt, the records, and the locks on the
	// accounts the transfers move.
	var (
		qb        pgx.Batch
		duplicate bool
		missing   []write // updates that matched no row
		created   []write // creates whose id is taken
		accounts  = map[string]*ledgerAccount{}
	)
	for _, a := range b.Admins {
		qb.Queue(`INSERT INTO timebank_admins (id, granted_at, granted_by) VALUES ($1, $2, $3)`, a.ID, a.GrantedAt, a.GrantedBy)
	}
	if b.Key != "" {
		qb.Queue(`INSERT INTO timebank_receipts (key, hash, result, at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
			b.Key, b.Hash, b.Result, b.At).Exec(func(ct pgconn.CommandTag) error {
			duplicate = ct.RowsAffected() == 0
			return nil
		})
	}
	// Write in a fixed order, table by table and by id within a table,
	// so that batches updating the same records take their row locks in
	// the same order and cannot deadlock. Errors are still reported in
	// batch order (recordErrors).
	ordered := slices.Clone(writes)
	slices.SortStableFunc(ordered, func(a, b write) int {
		if a.t.order != b.t.order {
			return a.t.order - b.t.order
		}
		return strings.Compare(a.id, b.id)
	})
	for _, w := range ordered {
		if w.version == 1 {
			qb.Queue(w.t.insert, w.args...).Exec(func(ct pgconn.CommandTag) error {
				if ct.RowsAffected() == 0 {
					created = append(created, w)
				}
				return nil
			})
			continue
		}
		qb.Queue(w.t.update, append(w.args, w.version-1)...).Exec(func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() == 0 {
				missing = append(missing, w)
			}
			return nil
		})
	}
	ids := touched(b.Transfers)
	if len(ids) > 0 {
		// IN (SELECT unnest(…)) rather than = ANY($1): a prepared
		// statement's generic plan would compare every row with every id.
		qb.Queue(`SELECT id, balance, last_at, postings FROM timebank_accounts
			WHERE id IN (SELECT unnest($1::text[])) ORDER BY id FOR NO KEY UPDATE`, ids).
			Query(func(rows pgx.Rows) error {
				for rows.Next() {
					var (
						a    ledgerAccount
						id   string
						last *time.Time
					)
					if err := rows.Scan(&id, &a.balance, &last, &a.seq); err != nil {
						return err
					}
					if last != nil {
						a.last = *last
					}
					accounts[id] = &a
				}
				return rows.Err()
			})
	}
	if err := tx.SendBatch(ctx, &qb).Close(); err != nil {
		return storeErr(err)
	}
	if duplicate {
		return fmt.Errorf("key %q: %w", b.Key, timebank.ErrDuplicateKey)
	}
	if err := s.recordErrors(ctx, tx, writes, created, missing); err != nil {
		return err
	}
	for _, id := range ids {
		if accounts[id] == nil {
			return fmt.Errorf("account %s: %w", id, timebank.ErrNotFound)
		}
	}

	// Post the transfers in Go, then write them.
	l, err := post(b, accounts)
	if err != nil {
		return err
	}
	if err := l.write(ctx, tx, b.Events); err != nil {
		return storeErr(err)
	}
	if b.Erase != nil {
		if err := erase(ctx, tx, b.Erase); err != nil {
			return storeErr(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return storeErr(err)
	}
	return nil
}

// batchWrites lists b's versioned records in the order they are written.
func batchWrites(b *timebank.Batch) ([]write, error) {
	var ws []write
	add := func(t *table, id string, version int64, args []any) error {
		if version < 1 {
			return &timebank.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: version must be at least 1, got %d", t.what, id, version)}
		}
		ws = append(ws, write{t: t, id: id, version: version, args: args})
		return nil
	}
	for _, x := range b.Banks {
		if err := add(bankTable, x.ID, x.Version, bankArgs(x)); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Members {
		if err := add(memberTable, x.ID, x.Version, memberArgs(x)); err != nil {
			return nil, err
		}
	}
	for _, a := range b.Accounts {
		ws = append(ws, write{t: accountTable, id: a.ID, version: 1, args: []any{a.ID, a.Bank, string(a.Kind)}})
	}
	for _, x := range b.Listings {
		if err := add(listingTable, x.ID, x.Version, listingArgs(x)); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Exchanges {
		if err := add(exchangeTable, x.ID, x.Version, exchangeArgs(x)); err != nil {
			return nil, err
		}
	}
	return ws, nil
}

// accountTable creates accounts; they are never updated through it.
var accountTable = &table{
	name:   "timebank_accounts",
	what:   "account",
	order:  2,
	insert: `INSERT INTO timebank_accounts (id, bank, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
}

// recordErrors turns the first record write that failed, in batch order,
// into ErrConflict or ErrNotFound.
func (s *TimebankStore) recordErrors(ctx context.Context, tx pgx.Tx, writes, created, missing []write) error {
	if len(created) == 0 && len(missing) == 0 {
		return nil
	}
	for _, w := range writes {
		if slices.ContainsFunc(created, func(c write) bool { return c.t == w.t && c.id == w.id }) {
			return fmt.Errorf("%s %s exists: %w", w.t.what, w.id, timebank.ErrConflict)
		}
		if slices.ContainsFunc(missing, func(c write) bool { return c.t == w.t && c.id == w.id }) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+w.t.name+` WHERE id = $1)`, w.id).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return fmt.Errorf("%s %s: %w", w.t.what, w.id, timebank.ErrNotFound)
			}
			return fmt.Errorf("%s %s changed since version %d: %w", w.t.what, w.id, w.version-1, timebank.ErrConflict)
		}
	}
	return nil
}

// touched returns the accounts the transfers post to, sorted, so that
// every transaction locks them in the same order.
func touched(ts []*timebank.Transfer) []string {
	var ids []string
	seen := map[string]bool{}
	for _, t := range ts {
		for _, p := range t.Postings {
			if !seen[p.Account] {
				seen[p.Account] = true
				ids = append(ids, p.Account)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// ledgerAccount is an account's state while a batch is posted.
type ledgerAccount struct {
	balance int64
	last    time.Time
	seq     int64 // the seq of its latest posting
	moved   bool
}

// ledger is the rows a batch's transfers add, column by column.
type ledger struct {
	accounts map[string]*ledgerAccount

	tID, tBank, tKind, tActor, tExchange, tReverses, tMemo []string
	tAt                                                    []time.Time
	tAccounts                                              [][]string
	tAmounts                                               [][]int64
	tSize                                                  []int64
	tLo, tHi                                               []int32 // the transfer's postings, 1-based, inclusive

	pTransfer, pAccount     []string
	pSeq, pAmount, pBalance []int64
	pAt                     []time.Time
}

// post applies the transfers to the locked accounts in order, checking
// each account's ledger time and bounds.
func post(b *timebank.Batch, accounts map[string]*ledgerAccount) (*ledger, error) {
	n := len(b.Transfers)
	l := &ledger{accounts: accounts}
	if n == 0 {
		return l, nil
	}
	l.tID, l.tBank, l.tKind = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	l.tActor, l.tExchange, l.tReverses, l.tMemo = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	l.tAt, l.tAccounts, l.tAmounts, l.tSize = make([]time.Time, 0, n), make([][]string, 0, n), make([][]int64, 0, n), make([]int64, 0, n)
	m := 2 * n
	l.pTransfer, l.pAccount = make([]string, 0, m), make([]string, 0, m)
	l.pSeq, l.pAmount, l.pBalance = make([]int64, 0, m), make([]int64, 0, m), make([]int64, 0, m)
	l.pAt = make([]time.Time, 0, m)
	for _, t := range b.Transfers {
		at := t.At.Truncate(time.Microsecond)
		for _, p := range t.Postings {
			a := accounts[p.Account]
			if at.Before(a.last) {
				// Another writer got there first: a conflict, not bad input.
				return nil, fmt.Errorf("transfer %s: %w", t.ID, &timebank.FieldError{
					Field:  "At",
					Reason: fmt.Sprintf("%s is before the latest posting on account %s (%s)", at.UTC().Format(time.RFC3339Nano), p.Account, a.last.UTC().Format(time.RFC3339Nano)),
					Err:    timebank.ErrConflict,
				})
			}
		}
		lo := int32(len(l.pAccount) + 1)
		var (
			accts   = make([]string, len(t.Postings))
			amounts = make([]int64, len(t.Postings))
			size    int64
		)
		for i, p := range t.Postings {
			a := accounts[p.Account]
			if bd, ok := b.Bounds[p.Account]; ok && !bd.Allows(a.balance, p.Amount) {
				return nil, fmt.Errorf("transfer %s: account %s would go from %d to %d minutes: %w",
					t.ID, p.Account, a.balance, a.balance+p.Amount, timebank.ErrInsufficientCredit)
			}
			a.balance += p.Amount
			a.last = at
			a.seq++
			a.moved = true
			accts[i], amounts[i] = p.Account, p.Amount
			if p.Amount > 0 {
				size += p.Amount
			}
			l.pTransfer = append(l.pTransfer, t.ID)
			l.pAccount = append(l.pAccount, p.Account)
			l.pSeq = append(l.pSeq, a.seq)
			l.pAmount = append(l.pAmount, p.Amount)
			l.pBalance = append(l.pBalance, a.balance)
			l.pAt = append(l.pAt, at)
		}
		l.tID = append(l.tID, t.ID)
		l.tBank = append(l.tBank, t.Bank)
		l.tKind = append(l.tKind, string(t.Kind))
		l.tAt = append(l.tAt, at)
		l.tActor = append(l.tActor, t.Actor)
		l.tExchange = append(l.tExchange, t.Exchange)
		l.tReverses = append(l.tReverses, t.Reverses)
		l.tMemo = append(l.tMemo, t.Memo)
		l.tAccounts = append(l.tAccounts, accts)
		l.tAmounts = append(l.tAmounts, amounts)
		l.tSize = append(l.tSize, size)
		l.tLo = append(l.tLo, lo)
		l.tHi = append(l.tHi, int32(len(l.pAccount)))
	}
	return l, nil
}

// write stores the transfers, postings, new balances and events.
func (l *ledger) write(ctx context.Context, tx pgx.Tx, events []timebank.Event) error {
	var qb pgx.Batch
	if len(l.tID) > 0 {
		if len(l.pAccount) >= copyThreshold {
			if err := l.copy(ctx, tx); err != nil {
				return err
			}
		} else {
			// Each transfer's postings are the slice [lo:hi] of the
			// postings' columns.
			qb.Queue(`INSERT INTO timebank_transfers (id, bank, kind, at, actor, exchange, reverses, memo, accounts, amounts, size)
				SELECT t.id, t.bank, t.kind, t.at, t.actor, t.exchange, t.reverses, t.memo,
					($11::text[])[t.lo:t.hi], ($12::bigint[])[t.lo:t.hi], t.size
				FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::int[], $13::bigint[])
					AS t (id, bank, kind, at, actor, exchange, reverses, memo, lo, hi, size)`,
				l.tID, l.tBank, l.tKind, l.tAt, l.tActor, l.tExchange, l.tReverses, l.tMemo, l.tLo, l.tHi,
				l.pAccount, l.pAmount, l.tSize)
			qb.Queue(`INSERT INTO timebank_postings (account, at, seq, transfer, amount, balance_after)
				SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[])`,
				l.pAccount, l.pAt, l.pSeq, l.pTransfer, l.pAmount, l.pBalance)
		}
		var (
			ids        []string
			bals, seqs []int64
			last       []time.Time
		)
		for id, a := range l.accounts {
			if a.moved {
				ids = append(ids, id)
				bals = append(bals, a.balance)
				last = append(last, a.last)
				seqs = append(seqs, a.seq)
			}
		}
		qb.Queue(`UPDATE timebank_accounts AS a SET balance = u.balance, last_at = u.last_at, postings = u.postings
			FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::bigint[]) AS u (id, balance, last_at, postings)
			WHERE a.id = u.id`, ids, bals, last, seqs)
	}
	if len(events) > 0 {
		n := len(events)
		bank, actor, action, subject, note := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		at := make([]time.Time, n)
		for i, e := range events {
			bank[i], at[i], actor[i], action[i], subject[i], note[i] = e.Bank, e.At, e.Actor, e.Action, e.Subject, e.Note
		}
		qb.Queue(`INSERT INTO timebank_events (bank, at, actor, action, subject, note)
			SELECT bank, at, actor, action, subject, note
			FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e (bank, at, actor, action, subject, note, n)
			ORDER BY n`, bank, at, actor, action, subject, note)
	}
	if qb.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &qb).Close()
}

// copy writes the transfers and postings with COPY.
func (l *ledger) copy(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"timebank_transfers"},
		[]string{"id", "bank", "kind", "at", "actor", "exchange", "reverses", "memo", "accounts", "amounts", "size"},
		pgx.CopyFromSlice(len(l.tID), func(i int) ([]any, error) {
			return []any{l.tID[i], l.tBank[i], l.tKind[i], l.tAt[i], l.tActor[i], l.tExchange[i], l.tReverses[i], l.tMemo[i],
				l.tAccounts[i], l.tAmounts[i], l.tSize[i]}, nil
		}))
	if err != nil {
		return err
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"timebank_postings"},
		[]string{"account", "at", "seq", "transfer", "amount", "balance_after"},
		pgx.CopyFromSlice(len(l.pAccount), func(i int) ([]any, error) {
			return []any{l.pAccount[i], l.pAt[i], l.pSeq[i], l.pTransfer[i], l.pAmount[i], l.pBalance[i]}, nil
		}))
	return err
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
	{"timebank_transfers", "id", "memo"},
	{"timebank_events", "seq::text", "note"},
}

// erase replaces e's terms wherever they occur in an erasable column.
func erase(ctx context.Context, tx pgx.Tx, e *timebank.Erasure) error {
	red := timebankrec.Redactor(e)
	if red == nil {
		return nil
	}
	lower := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		lower[i] = strings.ToLower(t)
	}
	for _, c := range erasable {
		rows, err := tx.Query(ctx, `SELECT `+c.key+`, `+c.col+` FROM `+c.table+`
			WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS t (term) WHERE strpos(lower(`+c.col+`), t.term) > 0)`, lower)
		if err != nil {
			return fmt.Errorf("erase from %s.%s: %w", c.table, c.col, err)
		}
		var keys, texts []string
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return fmt.Errorf("erase from %s.%s: %w", c.table, c.col, err)
			}
			keys, texts = append(keys, k), append(texts, red(v))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("erase from %s.%s: %w", c.table, c.col, err)
		}
		if len(keys) == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE `+c.table+` AS x SET `+c.col+` = u.v
			FROM unnest($1::text[], $2::text[]) AS u (k, v) WHERE x.`+c.key+` = u.k`, keys, texts); err != nil {
			return fmt.Errorf("erase from %s.%s: %w", c.table, c.col, err)
		}
	}
	return nil
}

// storeErr translates constraint violations into the timebank sentinels.
func storeErr(err error) error {
	code, constraint := pgCode(err)
	switch code {
	case uniqueViolation:
		if constraint == "timebank_receipts_pkey" {
			return fmt.Errorf("%w: %w", timebank.ErrDuplicateKey, err)
		}
		if constraint == "timebank_members_email" {
			return fmt.Errorf("%w: %w", timebankrec.EmailTaken(), err)
		}
		return fmt.Errorf("%w: %w", timebank.ErrConflict, err)
	case foreignKeyViolation:
		return fmt.Errorf("%w: %w", timebank.ErrNotFound, err)
	case deadlockDetected, serializationFailure:
		return fmt.Errorf("%w: %w", timebank.ErrConflict, err)
	}
	return err
}

// get runs a one-row query and reports ErrNotFound for no row.
func get[T any](ctx context.Context, s *TimebankStore, what, id, sql string, scan func(pgx.Row) (T, error)) (T, error) {
	v, err := scan(s.db.pool.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", what, id, timebank.ErrNotFound)
	}
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", what, id, err)
	}
	return v, nil
}

// list runs a query and scans every row.
func list[T any](ctx context.Context, s *TimebankStore, what string, q *query, sql string, scan func(pgx.Row) (T, error)) ([]T, error) {
	rows, err := s.db.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}

// page checks a filter's Offset and Limit.
func page(offset, limit int) error {
	if offset < 0 {
		return &timebank.FieldError{Field: "Offset", Reason: fmt.Sprintf("must not be negative, got %d", offset)}
	}
	if limit < 0 {
		return &timebank.FieldError{Field: "Limit", Reason: fmt.Sprintf("must not be negative, got %d", limit)}
	}
	return nil
}

// Bank returns the bank with the given id.
func (s *TimebankStore) Bank(ctx context.Context, id string) (*timebank.Bank, error) {
	return get(ctx, s, "bank", id, `SELECT `+bankTable.list+` FROM timebank_banks WHERE id = $1`, scanBank)
}

// Banks returns banks ordered by id.
func (s *TimebankStore) Banks(ctx context.Context, f timebank.BankFilter) ([]*timebank.Bank, error) {
	if err := page(f.Offset, f.Limit); err != nil {
		return nil, err
	}
	var q query
	if f.Parent != nil {
		q.and("parent = " + q.arg(*f.Parent))
	}
	return list(ctx, s, "banks", &q, q.sql(`SELECT `+bankTable.list+` FROM timebank_banks`, "id", f.Offset, f.Limit), scanBank)
}

// Member returns the member with the given id.
func (s *TimebankStore) Member(ctx context.Context, id string) (*timebank.Member, error) {
	return get(ctx, s, "member", id, `SELECT `+memberCols+` FROM timebank_members WHERE id = $1`, scanMember)
}

// Members returns members ordered by id.
func (s *TimebankStore) Members(ctx context.Context, f timebank.MemberFilter) ([]*timebank.Member, error) {
	if err := page(f.Offset, f.Limit); err != nil {
		return nil, err
	}
	var q query
	if f.Bank != nil {
		q.and("bank = " + q.arg(*f.Bank))
	}
	if f.Kind != nil {
		q.and("kind = " + q.arg(string(*f.Kind)))
	}
	if f.Status != nil {
		q.and("status = " + q.arg(string(*f.Status)))
	}
	return list(ctx, s, "members", &q, q.sql(`SELECT `+memberCols+` FROM timebank_members`, "id", f.Offset, f.Limit), scanMember)
}

// Account returns an account with its maintained balance.
func (s *TimebankStore) Account(ctx context.Context, id string) (*timebank.Account, error) {
	return get(ctx, s, "account", id, `SELECT `+accountCols+` FROM timebank_accounts WHERE id = $1`, scanAccount)
}

// Accounts returns accounts ordered by id.
func (s *TimebankStore) Accounts(ctx context.Context, f timebank.AccountFilter) ([]*timebank.Account, error) {
	if err := page(f.Offset, f.Limit); err != nil {
		return nil, err
	}
	var q query
	if f.Bank != nil {
		q.and("bank = " + q.arg(*f.Bank))
	}
	return list(ctx, s, "accounts", &q, q.sql(`SELECT `+accountCols+` FROM timebank_accounts`, "id", f.Offset, f.Limit), scanAccount)
}

// BalanceAt returns the balance the latest posting with At ≤ at left, found
// with one descent of the postings' (account, at, seq) key.
func (s *TimebankStore) BalanceAt(ctx context.Context, account string, at time.Time) (int64, error) {
	var bal int64
	err := s.db.pool.QueryRow(ctx, `SELECT coalesce((
			SELECT p.balance_after FROM timebank_postings p
			WHERE p.account = a.id AND p.at <= $2
			ORDER BY p.at DESC, p.seq DESC LIMIT 1), 0)
		FROM timebank_accounts a WHERE a.id = $1`, account, at).Scan(&bal)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("balance of account %s: %w", account, timebank.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("balance of account %s: %w", account, err)
	}
	return bal, nil
}

// Entries returns an account's statement lines in ledger order.
func (s *TimebankStore) Entries(ctx context.Context, f timebank.EntryFilter) ([]timebank.Entry, error) {
	if err := page(f.Offset, f.Limit); err != nil {
		return nil, err
	}
	var q query
	q.and("p.account = " + q.arg(f.Account))
	if f.From != nil {
		q.and("p.at >= " + q.arg(*f.From))
	}
	if f.To != nil {
		q.and("p.at < " + q.arg(*f.To))
	}
	sql := q.sql(`SELECT p.transfer, p.account, t.kind, p.amount, p.balance_after, p.at, t.memo
		FROM timebank_postings p JOIN timebank_transfers t ON t.id = p.transfer`, "p.at, p.seq", f.Offset, f.Limit)
	out, err := list(ctx, s, "entries", &q, sql, func(r pgx.Row) (timebank.Entry, error) {
		var e timebank.Entry
		err := r.Scan(&e.Transfer, &e.Account, &e.Kind, &e.Amount, &e.Balance, &e.At, &e.Memo)
		return e, err
	})
	if err != nil || len(out) > 0 {
		return out, err
	}
	if _, err := s.Account(ctx, f.Account); err != nil {
		return nil, fmt.Errorf("entries: %w", err)
	}
	return out, nil
}

// Transfer returns the transfer with the given id, postings in order.
func (s *TimebankStore) Transfer(ctx context.Context, id string) (*timebank.Transfer, error) {
	return get(ctx, s, "transfer", id, `SELECT id, bank, kind, at, actor, exchange, reverses, memo, accounts, amounts
		FROM timebank_transfers WHERE id = $1`, func(r pgx.Row) (*timebank.Transfer, error) {
		var (
			t        timebank.Transfer
			accounts []string
			amounts  []int64
		)
		if err := r.Scan(&t.ID, &t.Bank, &t.Kind, &t.At, &t.Actor, &t.Exchange, &t.Reverses, &t.Memo, &accounts, &amounts); err != nil {
			return nil, err
		}
		t.Postings = make([]timebank.Posting, len(accounts))
		for i := range accounts {
			t.Postings[i] = timebank.Posting{Account: accounts[i], Amount: amounts[i]}
		}
		return &t, nil
	})
}

// Exchange returns the exchange with the given id.
func (s *TimebankStore) Exchange(ctx context.Context, id string) (*timebank.Exchange, error) {
	return get(ctx, s, "exchange", id, `SELECT `+exchangeTable.list+` FROM timebank_exchanges WHERE id = $1`, scanExchange)
}

// Exchanges returns exchanges ordered by Date, then id.
func (s *TimebankStore) Exchanges(ctx context.Context, f timebank.ExchangeFilter) ([]*timebank.Exchange, error) {
	if err := page(f.Offset, f.Limit); err != nil {
		return nil, err
	}
	var q query
	if len(f.Banks) > 0 {
		q.and("bank = ANY(" + q.arg(f.Banks) + ")")
	}
	if f.Member != nil {
		p := q.arg(*f.Member)
		q.and("(giver = " + p + " OR receiver = " + p + ")")
	}
	if f.Category != nil {
		q.and("category = " + q.arg(*f.Category))
	}
	if f.Status != nil {
		q.and("status = " + q.arg(string(*f.Status)))
	}
	if f.From != nil {
		q.and("date >= " + q.arg(*f.From))
	}
	if f.To != nil {
		q.and("date < " + q.arg(*f.To))
	}
	return list(ctx, s, "exchanges", &q, q.sql(`SELECT `+exchangeTable.list+` FROM timebank_exchanges`, "date, id", f.Offset, f.Limit), scanExchange)
}

// Listing returns the listing with the given id.
func (s *TimebankStore) Listing(ctx context.Context, id string) (*timebank.Listing, error) {
	return get(ctx, s, "listing", id, `SELECT `+listingTable.list+` FROM timebank_listings WHERE id = $1`, scanListing)
}

// Listings returns listings ordered by id.
func (s *TimebankStore) Listings(ctx context.Context, f timebank.ListingFilter) ([]*timebank.Listing, error) {
	if err := page(f.Offset, f.Limit); err != nil {
		return nil, err
	}
	var q query
	if f.Bank != nil {
		q.and("bank = " + q.arg(*f.Bank))
	}
	if f.Member != nil {
		q.and("member = " + q.arg(*f.Member))
	}
	if f.Kind != nil {
		q.and("kind = " + q.arg(string(*f.Kind)))
	}
	if f.Category != nil {
		q.and("category = " + q.arg(*f.Category))
	}
	if f.Open != nil {
		q.and("open = " + q.arg(*f.Open))
	}
	return list(ctx, s, "listings", &q, q.sql(`SELECT `+listingTable.list+` FROM timebank_listings`, "id", f.Offset, f.Limit), scanListing)
}

// Receipt returns what was recorded under an idempotency key.
func (s *TimebankStore) Receipt(ctx context.Context, key string) (*timebank.Receipt, error) {
	return get(ctx, s, "receipt", key, `SELECT key, hash, result, at FROM timebank_receipts WHERE key = $1`, func(r pgx.Row) (*timebank.Receipt, error) {
		var rc timebank.Receipt
		err := r.Scan(&rc.Key, &rc.Hash, &rc.Result, &rc.At)
		return &rc, err
	})
}

// Events returns the audit trail ordered by Seq. It returns only events
// that no event of a lower Seq can still precede: it first waits for the
// transactions writing events in flight (settledSeq), so a reader that
// keeps the last Seq it saw and reads After it never passes over an event
// committed later.
func (s *TimebankStore) Events(ctx context.Context, f timebank.EventFilter) ([]timebank.Event, error) {
	if err := page(f.Offset, f.Limit); err != nil {
		return nil, err
	}
	var q query
	if f.Bank != "" {
		q.and("bank = " + q.arg(f.Bank))
	}
	if f.Subject != "" {
		q.and("subject = " + q.arg(f.Subject))
	}
	settled, err := s.db.settledSeq(ctx, "timebank_events")
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	q.and("seq <= " + q.arg(settled))
	if f.After > 0 {
		q.and("seq > " + q.arg(f.After))
	}
	return list(ctx, s, "events", &q, q.sql(`SELECT `+eventCols+` FROM timebank_events`, "seq", f.Offset, f.Limit), scanEvent)
}

// Tally counts activity over f.Banks (every bank when empty) and the
// period f.From ≤ t < f.To, in one round trip.
func (s *TimebankStore) Tally(ctx context.Context, f timebank.TallyFilter) (timebank.Tally, error) {
	var banks []string // nil matches every bank below
	if len(f.Banks) > 0 {
		banks = f.Banks
	}
	const inBanks = `($1::text[] IS NULL OR bank = ANY($1))`
	const counted = `status = 'confirmed' AND ` + inBanks + ` AND date >= $2 AND date < $3`
	t := timebank.Tally{Categories: map[string]int64{}}
	var qb pgx.Batch
	qb.Queue(`SELECT count(*), coalesce(sum(minutes), 0) FROM timebank_exchanges WHERE `+counted, banks, f.From, f.To).
		QueryRow(func(r pgx.Row) error { return r.Scan(&t.Exchanges, &t.ExchangeMinutes) })
	qb.Queue(`SELECT count(DISTINCT m) FROM (
			SELECT giver AS m FROM timebank_exchanges WHERE `+counted+`
			UNION ALL
			SELECT receiver FROM timebank_exchanges WHERE `+counted+`) AS x`, banks, f.From, f.To).
		QueryRow(func(r pgx.Row) error { return r.Scan(&t.ActiveMembers) })
	qb.Queue(`SELECT category, sum(minutes) FROM timebank_exchanges WHERE `+counted+` GROUP BY category`, banks, f.From, f.To).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var (
					c string
					m int64
				)
				if err := rows.Scan(&c, &m); err != nil {
					return err
				}
				t.Categories[c] = m
			}
			return rows.Err()
		})
	qb.Queue(`SELECT count(*) FILTER (WHERE kind = 'individual'), count(*) FILTER (WHERE kind = 'organisation')
		FROM timebank_members WHERE `+inBanks+` AND joined_at < $3 AND (left_at IS NULL OR left_at >= $2)`, banks, f.From, f.To).
		QueryRow(func(r pgx.Row) error { return r.Scan(&t.Individuals, &t.Organisations) })
	qb.Queue(`SELECT kind, coalesce(sum(size), 0) FROM timebank_transfers
		WHERE `+inBanks+` AND at >= $2 AND at < $3 AND kind IN ('issue', 'donation', 'grant')
		GROUP BY kind`, banks, f.From, f.To).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var (
					k timebank.TransferKind
					m int64
				)
				if err := rows.Scan(&k, &m); err != nil {
					return err
				}
				switch k {
				case timebank.KindIssue:
					t.IssuedMinutes = m
				case timebank.KindDonation:
					t.DonatedMinutes = m
				case timebank.KindGrant:
					t.GrantedMinutes = m
				}
			}
			return rows.Err()
		})
	if err := s.db.pool.SendBatch(ctx, &qb).Close(); err != nil {
		return timebank.Tally{}, fmt.Errorf("tally: %w", err)
	}
	return t, nil
}

// Admin returns the administrator with the given id.
func (s *TimebankStore) Admin(ctx context.Context, id string) (*timebank.Admin, error) {
	return get(ctx, s, "admin", id, `SELECT id, granted_at, granted_by FROM timebank_admins WHERE id = $1`, scanAdmin)
}

// Admins returns every administrator, ordered by id.
func (s *TimebankStore) Admins(ctx context.Context) ([]*timebank.Admin, error) {
	var q query
	return list(ctx, s, "admins", &q, q.sql(`SELECT id, granted_at, granted_by FROM timebank_admins`, "id", 0, 0), scanAdmin)
}

func scanAdmin(r pgx.Row) (*timebank.Admin, error) {
	var a timebank.Admin
	if err := r.Scan(&a.ID, &a.GrantedAt, &a.GrantedBy); err != nil {
		return nil, err
	}
	a.GrantedAt = a.GrantedAt.UTC()
	return &a, nil
}

// Secret returns the database's secret for idempotency receipts.
func (s *TimebankStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }
