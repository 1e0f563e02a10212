package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/internal/grantsrec"
	"github.com/strongertogether/community/grants"
)

// GrantsStore is the PostgreSQL grants.Store. Records are kept whole as
// JSON of adapters/internal/grantsrec's record types (tagged, with a
// format version) with the columns the lists filter on, in the grants_
// tables, and each fund's income lines in grants_income (one per
// reference of the fund). Apply locks the yearly budget rows a batch
// touches (for its budgets, income, commits and pays; in fund and year
// order, so writers never deadlock) before it checks and updates
// commitments, payments and income, in the same transaction as the
// records: two officers approving at once, or an approval and a budget
// cut or an income reversal, queue on the budget row, and the second sees
// the first's change. Ideas are claimed in a table unique on (fund,
// idea), so of two approvals of one idea only one commits.
type GrantsStore struct {
	db *DB
}

var _ grants.Store = (*GrantsStore)(nil)

// NewGrantsStore returns a grants.Store on db.
func NewGrantsStore(db *DB) *GrantsStore { return &GrantsStore{db: db} }

type grantRow struct {
	table   string
	what    string
	id      string
	version int64
	cols    []string
	vals    []any
	body    any
}

// Apply writes b atomically: see grants.Store.
func (s *GrantsStore) Apply(ctx context.Context, b *grants.Batch) error {
	if err := s.apply(ctx, b); err != nil {
		return fmt.Errorf("apply batch: %w", grantErr(err))
	}
	return nil
}

// grantErr turns lock failures into ErrConflict, so the Service retries.
func grantErr(err error) error {
	switch code, _ := pgCode(err); code {
	case deadlockDetected, serializationFailure:
		return fmt.Errorf("%w: %w", grants.ErrConflict, err)
	}
	return err
}

func (s *GrantsStore) apply(ctx context.Context, b *grants.Batch) error {
	if err := grantsrec.CheckBatch(b); err != nil {
		return err
	}
	rows, err := grantRowsOf(b)
	if err != nil {
		return err
	}
	tx, err := s.db.beginEvents(ctx, "grants_events", len(b.Events) > 0)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	if b.Key != "" {
		ct, err := tx.Exec(ctx, `INSERT INTO grants_receipts (key, hash, result, at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
			b.Key, b.Hash, b.Result, b.At)
		if err != nil {
			return err
		}
		if ct.RowsAffected() == 0 {
			return fmt.Errorf("key %q: %w", b.Key, grants.ErrDuplicateKey)
		}
	}
	for _, r := range rows {
		if err := grantPut(ctx, tx, r); err != nil {
			return err
		}
	}
	if len(b.Budgets)+len(b.Income)+len(b.Commits)+len(b.Pays) > 0 {
		if err := grantLedger(ctx, tx, b); err != nil {
			return err
		}
	}
	for _, e := range b.Events {
		if _, err := tx.Exec(ctx, `INSERT INTO grants_events (fund, at, actor, action, subject, from_status, to_status, note, amount)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, e.Fund, e.At, e.Actor, e.Action, e.Subject, string(e.From), string(e.To), e.Note,
			grantsrec.EventAmount(e.Amount)); err != nil {
			return err
		}
	}
	for _, e := range b.Erasures {
		if _, err := tx.Exec(ctx, `UPDATE grants_events SET note = '' WHERE subject = $1`, e.Application); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE grants_ideas SET idea = $2 WHERE application = $1`, e.Application, e.Idea); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// Secret returns the database's secret for idempotency receipts: see
// grants.Store.
func (s *GrantsStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

func grantRowsOf(b *grants.Batch) ([]grantRow, error) {
	var rows []grantRow
	add := func(r grantRow) error {
		if r.id == "" {
			return &grants.FieldError{Field: "ID", Reason: r.what + " id is required"}
		}
		if r.version < 1 {
			return &grants.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: version must be at least 1, got %d", r.what, r.id, r.version)}
		}
		rows = append(rows, r)
		return nil
	}
	for _, x := range b.Funds {
		if x == nil {
			return nil, &grants.FieldError{Field: "Funds", Reason: "nil fund"}
		}
		if err := add(grantRow{table: "grants_funds", what: "fund", id: x.ID, version: x.Version, body: x}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Rounds {
		if x == nil {
			return nil, &grants.FieldError{Field: "Rounds", Reason: "nil round"}
		}
		if err := add(grantRow{table: "grants_rounds", what: "round", id: x.ID, version: x.Version, body: x,
			cols: []string{"fund", "year", "opens"}, vals: []any{x.Fund, x.Year, x.Opens}}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Staff {
		if x == nil {
			return nil, &grants.FieldError{Field: "Staff", Reason: "nil staff"}
		}
		if err := add(grantRow{table: "grants_staff", what: "staff", id: x.ID, version: x.Version, body: x}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Applications {
		if x == nil {
			return nil, &grants.FieldError{Field: "Applications", Reason: "nil application"}
		}
		if err := add(grantRow{table: "grants_applications", what: "application", id: x.ID, version: x.Version, body: x,
			cols: []string{"fund", "round", "year", "owner", "idea", "status", "created_at"},
			vals: []any{x.Fund, x.Round, x.Year, x.Owner, x.Idea, string(x.Status), x.CreatedAt}}); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func grantPut(ctx context.Context, tx pgx.Tx, r grantRow) error {
	body, err := grantsrec.Encode(r.body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.what, r.id, err)
	}
	cols := append([]string{"id", "version", "body"}, r.cols...)
	vals := append([]any{r.id, r.version, string(body)}, r.vals...)
	ph := make([]string, len(cols))
	set := make([]string, 0, len(cols))
	for i, c := range cols {
		ph[i] = "$" + strconv.Itoa(i+1)
		if i > 0 {
			set = append(set, c+" = $"+strconv.Itoa(i+1))
		}
	}
	if r.version == 1 {
		ct, err := tx.Exec(ctx, "INSERT INTO "+r.table+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(ph, ", ")+") ON CONFLICT (id) DO NOTHING", vals...)
		if err != nil {
			return fmt.Errorf("create %s %s: %w", r.what, r.id, err)
		}
		if ct.RowsAffected() == 0 {
			return fmt.Errorf("create %s %s: %w", r.what, r.id, grants.ErrConflict)
		}
		return nil
	}
	ct, err := tx.Exec(ctx, "UPDATE "+r.table+" SET "+strings.Join(set, ", ")+" WHERE id = $1 AND version = $"+strconv.Itoa(len(cols)+1),
		append(vals, r.version-1)...)
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.what, r.id, err)
	}
	if ct.RowsAffected() == 1 {
		return nil
	}
	var stored int64
	err = tx.QueryRow(ctx, "SELECT version FROM "+r.table+" WHERE id = $1", r.id).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("update %s %s: %w", r.what, r.id, grants.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("update %s %s to version %d: stored version is %d: %w", r.what, r.id, r.version, stored, grants.ErrConflict)
}

type grantFundYear struct {
	fund string
	year int
}

type grantCommitment struct {
	fund         string
	year         int
	amount, paid decimal.Decimal
	dirty        bool
}

// grantLedger checks and writes b's commits and pays. It locks every
// budget row involved, in (fund, year) order, before reading any
// commitment, so concurrent batches queue instead of deadlocking.
func grantLedger(ctx context.Context, tx pgx.Tx, b *grants.Batch) error {
	comms := map[string]*grantCommitment{}
	load := func(app string, lock bool) (*grantCommitment, error) {
		if c, ok := comms[app]; ok {
			return c, nil
		}
		q := `SELECT fund, year, amount, paid FROM grants_commitments WHERE application = $1`
		if lock {
			q += ` FOR UPDATE`
		}
		var c grantCommitment
		var a, p string
		err := tx.QueryRow(ctx, q, app).Scan(&c.fund, &c.year, &a, &p)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if c.amount, err = decimal.NewFromString(a); err != nil {
			return nil, err
		}
		if c.paid, err = decimal.NewFromString(p); err != nil {
			return nil, err
		}
		if lock {
			comms[app] = &c
		}
		return &c, nil
	}
	// Which budgets: from the commits, and from the commitments paid
	// (whose fund and year never change once made).
	var keys []grantFundYear
	for _, x := range b.Budgets {
		keys = append(keys, grantFundYear{x.Fund, x.Year})
	}
	for _, x := range b.Income {
		keys = append(keys, grantFundYear{x.Fund, x.Year})
	}
	for _, c := range b.Commits {
		keys = append(keys, grantFundYear{c.Fund, c.Year})
	}
	for _, p := range b.Pays {
		c, err := load(p.Application, false)
		if err != nil {
			return err
		}
		if c != nil {
			keys = append(keys, grantFundYear{c.fund, c.year})
		}
	}
	slices.SortFunc(keys, func(a, b grantFundYear) int {
		return cmp.Or(strings.Compare(a.fund, b.fund), cmp.Compare(a.year, b.year))
	})
	keys = slices.Compact(keys)
	budgets := map[grantFundYear]*grants.Totals{}
	for _, k := range keys {
		if _, err := tx.Exec(ctx, `INSERT INTO grants_budgets (fund, year, committed, paid) VALUES ($1, $2, '0', '0') ON CONFLICT DO NOTHING`, k.fund, k.year); err != nil {
			return err
		}
		var bu, i, c, p string
		if err := tx.QueryRow(ctx, `SELECT budget, income, committed, paid FROM grants_budgets WHERE fund = $1 AND year = $2 FOR UPDATE`, k.fund, k.year).Scan(&bu, &i, &c, &p); err != nil {
			return err
		}
		t, err := grantTotals(bu, i, c, p)
		if err != nil {
			return err
		}
		budgets[k] = &t
	}
	for _, x := range b.Budgets {
		t := budgets[grantFundYear{x.Fund, x.Year}]
		if x.Amount.Add(t.Income).LessThan(t.Committed) {
			return fmt.Errorf("set budget of fund %s for %d to %s: with income of %s, %s is committed: %w", x.Fund, x.Year, x.Amount, t.Income, t.Committed, grants.ErrOverBudget)
		}
		t.Budget = x.Amount
	}
	for _, x := range b.Income {
		t := budgets[grantFundYear{x.Fund, x.Year}]
		t.Income = t.Income.Add(x.Amount)
		if x.Amount.IsNegative() && t.Budget.Add(t.Income).LessThan(t.Committed) {
			return fmt.Errorf("reverse income %s of fund %s for %d: budget %s and income %s would not cover the %s committed: %w",
				x.Amount.Neg(), x.Fund, x.Year, t.Budget, t.Income, t.Committed, grants.ErrOverdrawn)
		}
		ct, err := tx.Exec(ctx, `INSERT INTO grants_income (id, fund, ref, year, source, amount, received, note, recorded_at, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
			x.ID, x.Fund, x.Ref, x.Year, x.Source, x.Amount.String(), x.Received, x.Note, x.RecordedAt, x.RecordedBy)
		if err != nil {
			return err
		}
		if ct.RowsAffected() == 0 {
			return fmt.Errorf("record income %s (%q of fund %s): the id or reference is recorded already: %w", x.ID, x.Ref, x.Fund, grants.ErrConflict)
		}
	}
	for _, c := range b.Commits {
		cur, err := load(c.Application, true)
		if err != nil {
			return err
		}
		if cur == nil {
			cur = &grantCommitment{fund: c.Fund, year: c.Year}
			comms[c.Application] = cur
		}
		if cur.fund != c.Fund || cur.year != c.Year {
			return &grants.FieldError{Field: "Commits", Reason: fmt.Sprintf("application %s is committed in fund %s, %d", c.Application, cur.fund, cur.year)}
		}
		if c.Amount.LessThan(cur.paid) {
			return fmt.Errorf("commit %s to application %s: %s is paid already: %w", c.Amount, c.Application, cur.paid, grants.ErrOverpaid)
		}
		t := budgets[grantFundYear{c.Fund, c.Year}]
		total := t.Committed.Sub(cur.amount).Add(c.Amount)
		if c.Amount.GreaterThan(cur.amount) && total.GreaterThan(t.Budget.Add(t.Income)) {
			return fmt.Errorf("commit %s to application %s: fund %s would commit %s of its %s budget and %s income for %d: %w",
				c.Amount, c.Application, c.Fund, total, t.Budget, t.Income, c.Year, grants.ErrOverBudget)
		}
		t.Committed, cur.amount, cur.dirty = total, c.Amount, true
		if err := grantClaim(ctx, tx, c); err != nil {
			return err
		}
	}
	for _, p := range b.Pays {
		cur, err := load(p.Application, true)
		if err != nil {
			return err
		}
		if cur == nil {
			return fmt.Errorf("pay application %s: nothing is committed to it: %w", p.Application, grants.ErrOverpaid)
		}
		if cur.paid.Add(p.Amount).GreaterThan(cur.amount) {
			return fmt.Errorf("pay %s to application %s: %s of %s is paid: %w", p.Amount, p.Application, cur.paid, cur.amount, grants.ErrOverpaid)
		}
		cur.paid, cur.dirty = cur.paid.Add(p.Amount), true
		t := budgets[grantFundYear{cur.fund, cur.year}]
		t.Paid = t.Paid.Add(p.Amount)
	}
	for k, t := range budgets {
		if _, err := tx.Exec(ctx, `UPDATE grants_budgets SET budget = $3, income = $4, committed = $5, paid = $6 WHERE fund = $1 AND year = $2`,
			k.fund, k.year, t.Budget.String(), t.Income.String(), t.Committed.String(), t.Paid.String()); err != nil {
			return err
		}
	}
	for app, c := range comms {
		if !c.dirty {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO grants_commitments (application, fund, year, amount, paid) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (application) DO UPDATE SET amount = excluded.amount, paid = excluded.paid`,
			app, c.fund, c.year, c.amount.String(), c.paid.String()); err != nil {
			return err
		}
	}
	return nil
}

func grantTotals(b, i, c, p string) (t grants.Totals, err error) {
	if t.Budget, err = decimal.NewFromString(b); err != nil {
		return grants.Totals{}, err
	}
	if t.Income, err = decimal.NewFromString(i); err != nil {
		return grants.Totals{}, err
	}
	if t.Committed, err = decimal.NewFromString(c); err != nil {
		return grants.Totals{}, err
	}
	if t.Paid, err = decimal.NewFromString(p); err != nil {
		return grants.Totals{}, err
	}
	return t, nil
}

// grantClaim claims c's idea for its application, or releases the
// application's claim when c releases its commitment. The claim is a row
// unique on (fund, idea): a concurrent claim on the same idea waits for
// this transaction and then finds the row taken.
func grantClaim(ctx context.Context, tx pgx.Tx, c grants.Commit) error {
	if c.Amount.IsZero() {
		_, err := tx.Exec(ctx, `DELETE FROM grants_ideas WHERE fund = $1 AND application = $2`, c.Fund, c.Application)
		return err
	}
	if c.Idea == "" {
		return nil
	}
	ct, err := tx.Exec(ctx, `INSERT INTO grants_ideas (fund, idea, application) VALUES ($1, $2, $3) ON CONFLICT (fund, idea) DO NOTHING`,
		c.Fund, c.Idea, c.Application)
	if err != nil {
		return err
	}
	if ct.RowsAffected() == 1 {
		return nil
	}
	var holder string
	err = tx.QueryRow(ctx, `SELECT application FROM grants_ideas WHERE fund = $1 AND idea = $2`, c.Fund, c.Idea).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		// The holder released it meanwhile: let the Service try again.
		return fmt.Errorf("claim idea %q of fund %s: %w", c.Idea, c.Fund, grants.ErrConflict)
	}
	if err != nil {
		return err
	}
	if holder != c.Application {
		return fmt.Errorf("commit to application %s: fund %s funds the idea %q through application %s: %w",
			c.Application, c.Fund, c.Idea, holder, grants.ErrIdeaFunded)
	}
	return nil
}

// grantRecord is a stored record type of grantsrec, whose Grants returns
// the domain's record.
type grantRecord[T any] interface {
	grantsrec.Fund | grantsrec.Round | grantsrec.Staff | grantsrec.Application
	Grants() *T
}

// grantOne reads one record's body.
func grantOne[R grantRecord[T], T any](ctx context.Context, db *DB, table, what, id string) (*T, error) {
	r, err := docOne[R](ctx, db, what+" "+id, grants.ErrNotFound, "SELECT body FROM "+table+" WHERE id = $1", id)
	if err != nil {
		return nil, err
	}
	return (*r).Grants(), nil
}

// grantMany reads the bodies a query returns.
func grantMany[R grantRecord[T], T any](ctx context.Context, db *DB, what, query string, args ...any) ([]*T, error) {
	rs, err := docMany[R](ctx, db, "list "+what, query, args...)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(rs))
	for i, r := range rs {
		out[i] = (*r).Grants()
	}
	return out, nil
}

// grantQuery builds a list query's WHERE, ORDER BY and paging.
type grantQuery struct {
	conds []string
	args  []any
}

func (q *grantQuery) add(cond string, arg any) {
	q.args = append(q.args, arg)
	q.conds = append(q.conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(q.args))))
}

func (q *grantQuery) sql(order string, limit, offset int) string {
	s := ""
	if len(q.conds) > 0 {
		s = " WHERE " + strings.Join(q.conds, " AND ")
	}
	s += " ORDER BY " + order
	if limit > 0 {
		s += " LIMIT " + strconv.Itoa(limit)
	}
	if offset > 0 {
		s += " OFFSET " + strconv.Itoa(offset)
	}
	return s
}

// Fund returns a fund: see grants.Store.
func (s *GrantsStore) Fund(ctx context.Context, id string) (*grants.Fund, error) {
	return grantOne[grantsrec.Fund](ctx, s.db, "grants_funds", "fund", id)
}

// Funds lists funds: see grants.Store.
func (s *GrantsStore) Funds(ctx context.Context, f grants.FundFilter) ([]*grants.Fund, error) {
	var q grantQuery
	return grantMany[grantsrec.Fund](ctx, s.db, "funds", "SELECT body FROM grants_funds"+q.sql("id", f.Limit, f.Offset))
}

// Round returns a round: see grants.Store.
func (s *GrantsStore) Round(ctx context.Context, id string) (*grants.Round, error) {
	return grantOne[grantsrec.Round](ctx, s.db, "grants_rounds", "round", id)
}

// Rounds lists rounds: see grants.Store.
func (s *GrantsStore) Rounds(ctx context.Context, f grants.RoundFilter) ([]*grants.Round, error) {
	var q grantQuery
	if f.Fund != "" {
		q.add("fund = ?", f.Fund)
	}
	if f.Year != 0 {
		q.add("year = ?", f.Year)
	}
	return grantMany[grantsrec.Round](ctx, s.db, "rounds", "SELECT body FROM grants_rounds"+q.sql("opens, id", f.Limit, f.Offset), q.args...)
}

// Staff returns a member of staff: see grants.Store.
func (s *GrantsStore) Staff(ctx context.Context, id string) (*grants.Staff, error) {
	return grantOne[grantsrec.Staff](ctx, s.db, "grants_staff", "staff", id)
}

// StaffList lists staff: see grants.Store.
func (s *GrantsStore) StaffList(ctx context.Context, f grants.StaffFilter) ([]*grants.Staff, error) {
	var q grantQuery
	return grantMany[grantsrec.Staff](ctx, s.db, "staff", "SELECT body FROM grants_staff"+q.sql("id", f.Limit, f.Offset))
}

// Application returns an application: see grants.Store.
func (s *GrantsStore) Application(ctx context.Context, id string) (*grants.Application, error) {
	return grantOne[grantsrec.Application](ctx, s.db, "grants_applications", "application", id)
}

// Applications lists applications: see grants.Store.
func (s *GrantsStore) Applications(ctx context.Context, f grants.ApplicationFilter) ([]*grants.Application, error) {
	var q grantQuery
	if f.Fund != "" {
		q.add("fund = ?", f.Fund)
	}
	if f.Round != "" {
		q.add("round = ?", f.Round)
	}
	if f.Year != 0 {
		q.add("year = ?", f.Year)
	}
	if f.Owner != "" {
		q.add("owner = ?", f.Owner)
	}
	if f.Idea != "" {
		q.add("idea = ?", f.Idea)
	}
	if len(f.Status) > 0 {
		st := make([]string, len(f.Status))
		for i, x := range f.Status {
			st[i] = string(x)
		}
		q.add("status = ANY(?)", st)
	}
	return grantMany[grantsrec.Application](ctx, s.db, "applications", "SELECT body FROM grants_applications"+q.sql("created_at, id", f.Limit, f.Offset), q.args...)
}

// Totals returns a fund's committed and paid totals: see grants.Store.
func (s *GrantsStore) Totals(ctx context.Context, fund string, year int) (grants.Totals, error) {
	var b, i, c, p string
	err := s.db.pool.QueryRow(ctx, `SELECT budget, income, committed, paid FROM grants_budgets WHERE fund = $1 AND year = $2`, fund, year).Scan(&b, &i, &c, &p)
	if errors.Is(err, pgx.ErrNoRows) {
		return grants.Totals{}, nil
	}
	if err != nil {
		return grants.Totals{}, fmt.Errorf("totals of %s %d: %w", fund, year, err)
	}
	t, err := grantTotals(b, i, c, p)
	if err != nil {
		return grants.Totals{}, fmt.Errorf("totals of %s %d: %w", fund, year, err)
	}
	return t, nil
}

// Income lists a fund's income: see grants.Store.
func (s *GrantsStore) Income(ctx context.Context, f grants.IncomeFilter) ([]*grants.Income, error) {
	var q grantQuery
	if f.Fund != "" {
		q.add("fund = ?", f.Fund)
	}
	if f.Year != 0 {
		q.add("year = ?", f.Year)
	}
	if f.Ref != "" {
		q.add("ref = ?", f.Ref)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT id, fund, ref, year, source, amount, received, note, recorded_at, recorded_by FROM grants_income`+
		q.sql("received, id", f.Limit, f.Offset), q.args...)
	if err != nil {
		return nil, fmt.Errorf("income: %w", err)
	}
	defer rows.Close()
	var out []*grants.Income
	for rows.Next() {
		var x grants.Income
		var amount string
		if err := rows.Scan(&x.ID, &x.Fund, &x.Ref, &x.Year, &x.Source, &amount, &x.Received, &x.Note, &x.RecordedAt, &x.RecordedBy); err != nil {
			return nil, fmt.Errorf("income: %w", err)
		}
		if x.Amount, err = decimal.NewFromString(amount); err != nil {
			return nil, fmt.Errorf("income %s: %w", x.ID, err)
		}
		x.Received, x.RecordedAt = x.Received.UTC(), x.RecordedAt.UTC()
		out = append(out, &x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("income: %w", err)
	}
	return out, nil
}

// Receipt returns an idempotency receipt: see grants.Store.
func (s *GrantsStore) Receipt(ctx context.Context, key string) (*grants.Receipt, error) {
	var r grants.Receipt
	err := s.db.pool.QueryRow(ctx, `SELECT key, hash, result, at FROM grants_receipts WHERE key = $1`, key).Scan(&r.Key, &r.Hash, &r.Result, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("receipt %q: %w", key, grants.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt %q: %w", key, err)
	}
	return &r, nil
}

// Events lists the audit trail: see grants.Store. It returns only events
// that no event of a lower Seq can still precede: it first waits for the
// transactions writing events in flight (settledSeq), so a reader that
// keeps the last Seq it saw and reads After it never passes over an event
// committed later.
func (s *GrantsStore) Events(ctx context.Context, f grants.EventFilter) ([]grants.Event, error) {
	var q grantQuery
	if f.Fund != "" {
		q.add("fund = ?", f.Fund)
	}
	if f.Subject != "" {
		q.add("subject = ?", f.Subject)
	}
	settled, err := s.db.settledSeq(ctx, "grants_events")
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	q.add("seq <= ?", settled)
	if f.After > 0 {
		q.add("seq > ?", f.After)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT seq, fund, at, actor, action, subject, from_status, to_status, note, amount FROM grants_events`+
		q.sql("seq", f.Limit, f.Offset), q.args...)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []grants.Event
	for rows.Next() {
		var e grants.Event
		var from, to, amount string
		var at time.Time
		if err := rows.Scan(&e.Seq, &e.Fund, &at, &e.Actor, &e.Action, &e.Subject, &from, &to, &e.Note, &amount); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		if e.Amount, err = grantsrec.ParseEventAmount(amount); err != nil {
			return nil, fmt.Errorf("events: event %d: %w", e.Seq, err)
		}
		e.At, e.From, e.To = at.UTC(), grants.Status(from), grants.Status(to)
		out = append(out, e)
	}
	return out, rows.Err()
}
