package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/strongertogether/community/adapters/internal/prescribingrec"
	"github.com/strongertogether/community/prescribing"
)

// PrescribingStore is the PostgreSQL prescribing.Store. Each record is kept
// whole as jsonb (the record types of adapters/internal/prescribingrec,
// with a format version) beside the columns the store filters and checks
// on (see migration/0004_prescribing.sql and 0012_prescribing_tables.sql,
// which named the tables prescribing_*). Apply takes a transaction-scoped
// advisory lock per advisor whose caseload the batch limits, before
// writing, so concurrent acceptances for one advisor take turns and the
// count each checks includes every acceptance committed before it. A
// partial unique index (migration/0007_prescribing_open.sql) keeps one
// open referral per patient.
type PrescribingStore struct {
	db *DB
}

var _ prescribing.Store = (*PrescribingStore)(nil)

// NewPrescribingStore returns a prescribing.Store on db.
func NewPrescribingStore(db *DB) *PrescribingStore { return &PrescribingStore{db: db} }

// rxRow is one record as Apply writes it.
type rxRow struct {
	table      string
	kind       string
	id         string
	version    int64
	createOnly bool
	cols       []string // besides id, version and doc
	vals       []any
	doc        any
}

// rxLockCaseload namespaces the advisory locks on advisors' caseloads.
const rxLockCaseload = 0x52785f43 // "Rx_C"

// Apply writes b atomically: see prescribing.Store.
func (s *PrescribingStore) Apply(ctx context.Context, b *prescribing.Batch) error {
	if err := s.apply(ctx, b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

func (s *PrescribingStore) apply(ctx context.Context, b *prescribing.Batch) error {
	if b == nil {
		return &prescribing.FieldError{Field: "Batch", Reason: "is nil"}
	}
	rows, err := rxRowsOf(b)
	if err != nil {
		return err
	}
	tx, err := s.db.beginEvents(ctx, "prescribing_events", len(b.Events) > 0)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if b.Key != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO prescribing_receipts (key, hash, result, at) VALUES ($1, $2, $3, $4)`, b.Key, b.Hash, b.Result, b.At); err != nil {
			if code, _ := pgCode(err); code == uniqueViolation {
				return fmt.Errorf("key %q: %w", b.Key, prescribing.ErrDuplicateKey)
			}
			return err
		}
	}
	advisors := make([]string, 0, len(b.Caseloads))
	for adv := range b.Caseloads {
		advisors = append(advisors, adv)
	}
	slices.Sort(advisors) // a fixed order, so two batches never deadlock
	for _, adv := range advisors {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(rxLockCaseload), adv); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if err := rxPut(ctx, tx, r); err != nil {
			return err
		}
	}
	for _, adv := range advisors {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM prescribing_referrals WHERE advisor = $1 AND on_caseload`, adv).Scan(&n); err != nil {
			return err
		}
		if limit := b.Caseloads[adv]; n > limit {
			return fmt.Errorf("advisor %s: %d open referrals, limit %d: %w", adv, n, limit, prescribing.ErrCaseloadFull)
		}
	}
	if len(b.Events) > 0 {
		var q pgx.Batch
		for _, e := range b.Events {
			q.Queue(`INSERT INTO prescribing_events (practice, at, actor, action, subject, note) VALUES ($1, $2, $3, $4, $5, $6)`,
				e.Practice, e.At, e.Actor, e.Action, e.Subject, e.Note)
		}
		if err := tx.SendBatch(ctx, &q).Close(); err != nil {
			return err
		}
	}
	if len(b.EraseNotes) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE prescribing_events SET note = '' WHERE subject = ANY($1)`, b.EraseNotes); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// nullNHS is the nhs column of a patient: NULL once erased.
func nullNHS(n prescribing.NHSNumber) any {
	if n == "" {
		return nil
	}
	return string(n)
}

// rxRowsOf lists the records of b in the order Apply writes them.
func rxRowsOf(b *prescribing.Batch) ([]rxRow, error) {
	var rows []rxRow
	nilErr := func(kind string) error { return &prescribing.FieldError{Field: kind, Reason: "a record is nil"} }
	for _, x := range b.Practices {
		if x == nil {
			return nil, nilErr("practice")
		}
		rows = append(rows, rxRow{table: "prescribing_practices", kind: "practice", id: x.ID, version: x.Version, cols: []string{"area"}, vals: []any{x.Area}, doc: x})
	}
	for _, x := range b.Staff {
		if x == nil {
			return nil, nilErr("staff")
		}
		ps := x.Practices
		if ps == nil {
			ps = []string{}
		}
		rows = append(rows, rxRow{table: "prescribing_staff", kind: "staff", id: x.ID, version: x.Version, cols: []string{"role", "practices"}, vals: []any{string(x.Role), ps}, doc: x})
	}
	for _, x := range b.Patients {
		if x == nil {
			return nil, nilErr("patient")
		}
		rows = append(rows, rxRow{table: "prescribing_patients", kind: "patient", id: x.ID, version: x.Version, cols: []string{"practice", "nhs"}, vals: []any{x.Practice, nullNHS(x.NHSNumber)}, doc: x})
	}
	for _, x := range b.ScoreSets {
		if x == nil {
			return nil, nilErr("score set")
		}
		rows = append(rows, rxRow{table: "prescribing_score_sets", kind: "score set", id: x.ID, version: x.Version, createOnly: true, cols: []string{"practice"}, vals: []any{x.Practice}, doc: x})
	}
	for _, x := range b.Stratifications {
		if x == nil {
			return nil, nilErr("stratification")
		}
		rows = append(rows, rxRow{table: "prescribing_stratifications", kind: "stratification", id: x.ID, version: x.Version, cols: []string{"practice"}, vals: []any{x.Practice}, doc: x})
	}
	for _, x := range b.Meetings {
		if x == nil {
			return nil, nilErr("meeting")
		}
		rows = append(rows, rxRow{table: "prescribing_meetings", kind: "meeting", id: x.ID, version: x.Version, cols: []string{"practice", "date"}, vals: []any{x.Practice, x.Date}, doc: x})
	}
	for _, x := range closingFirst(b.Referrals) {
		if x == nil {
			return nil, nilErr("referral")
		}
		rows = append(rows, rxRow{table: "prescribing_referrals", kind: "referral", id: x.ID, version: x.Version,
			cols: []string{"practice", "patient", "advisor", "state", "open", "on_caseload", "created_at"},
			vals: []any{x.Practice, x.Patient, x.Advisor, string(x.State), x.Open(), x.OnCaseload(), x.CreatedAt}, doc: x})
	}
	for _, r := range rows {
		if r.id == "" {
			return nil, &prescribing.FieldError{Field: r.kind, Reason: "a record has no id"}
		}
		if r.version < 1 || (r.createOnly && r.version != 1) {
			return nil, fmt.Errorf("%s %s: %w", r.kind, r.id, &prescribing.FieldError{Field: "Version",
				Reason: fmt.Sprintf("must be 1 to create or n > 1 to replace version n-1, got %d", r.version)})
		}
	}
	return rows, nil
}

// rxParams returns "$from, $from+1, …", n of them.
func rxParams(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// rxPut creates r (Version 1) or replaces the stored record of Version-1.
func rxPut(ctx context.Context, tx pgx.Tx, r rxRow) error {
	doc, err := prescribingrec.Marshal(r.doc)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.kind, r.id, err)
	}
	conflict := func(op string, err error) error {
		code, constraint := pgCode(err)
		if code == uniqueViolation && constraint == rxOpenReferralIndex {
			return fmt.Errorf("%s %s %s: the patient has an open referral: %w", op, r.kind, r.id, prescribing.ErrOpenReferral)
		}
		if code == uniqueViolation {
			return fmt.Errorf("%s %s %s: %w", op, r.kind, r.id, prescribing.ErrConflict)
		}
		return fmt.Errorf("%s %s %s: %w", op, r.kind, r.id, err)
	}
	if r.version == 1 {
		cols := append([]string{"id", "version", "doc"}, r.cols...)
		args := append([]any{r.id, r.version, doc}, r.vals...)
		if _, err := tx.Exec(ctx, "INSERT INTO "+r.table+" ("+strings.Join(cols, ", ")+") VALUES ("+rxParams(1, len(cols))+")", args...); err != nil {
			return conflict("create", err)
		}
		return nil
	}
	cols := append([]string{"version", "doc"}, r.cols...)
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = $" + strconv.Itoa(i+1)
	}
	args := append(append([]any{r.version, doc}, r.vals...), r.id, r.version-1)
	q := "UPDATE " + r.table + " SET " + strings.Join(sets, ", ") + " WHERE id = $" + strconv.Itoa(len(cols)+1) + " AND version = $" + strconv.Itoa(len(cols)+2)
	tag, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return conflict("update", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var stored int64
	err = tx.QueryRow(ctx, "SELECT version FROM "+r.table+" WHERE id = $1", r.id).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("update %s %s: %w", r.kind, r.id, prescribing.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("update %s %s to version %d: stored version is %d: %w", r.kind, r.id, r.version, stored, prescribing.ErrConflict)
}

// rxOne reads the doc of one record.
func rxOne[T prescribingrec.Record](ctx context.Context, db *DB, kind, query string, args ...any) (*T, error) {
	var doc []byte
	err := db.pool.QueryRow(ctx, query, args...).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", kind, prescribing.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	v, err := prescribingrec.Unmarshal[T](doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	return v, nil
}

// rxMany reads the docs of a list query.
func rxMany[T prescribingrec.Record](ctx context.Context, db *DB, query string, args ...any) ([]*T, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("list: %w", err)
		}
		v, err := prescribingrec.Unmarshal[T](doc)
		if err != nil {
			return nil, fmt.Errorf("list: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	return out, nil
}

// rxWhere accumulates the conditions and arguments of a list query.
type rxWhere struct {
	conds []string
	args  []any
}

// add adds a condition whose one parameter is written "?".
func (w *rxWhere) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1))
}

func (w *rxWhere) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// rxPage returns the LIMIT/OFFSET clause; limit 0 is no limit.
func rxPage(limit, offset int) string {
	s := ""
	if limit > 0 {
		s += " LIMIT " + strconv.Itoa(limit)
	}
	if offset > 0 {
		s += " OFFSET " + strconv.Itoa(offset)
	}
	return s
}

// Practice implements prescribing.Store.
func (s *PrescribingStore) Practice(ctx context.Context, id string) (*prescribing.Practice, error) {
	return rxOne[prescribing.Practice](ctx, s.db, "practice "+id, `SELECT doc FROM prescribing_practices WHERE id = $1`, id)
}

// Practices implements prescribing.Store.
func (s *PrescribingStore) Practices(ctx context.Context, f prescribing.PracticeFilter) ([]*prescribing.Practice, error) {
	var w rxWhere
	if f.Area != "" {
		w.add("area = ?", f.Area)
	}
	return rxMany[prescribing.Practice](ctx, s.db, "SELECT doc FROM prescribing_practices"+w.String()+" ORDER BY id"+rxPage(f.Limit, f.Offset), w.args...)
}

// Staff implements prescribing.Store.
func (s *PrescribingStore) Staff(ctx context.Context, id string) (*prescribing.Staff, error) {
	return rxOne[prescribing.Staff](ctx, s.db, "staff "+id, `SELECT doc FROM prescribing_staff WHERE id = $1`, id)
}

// StaffList implements prescribing.Store.
func (s *PrescribingStore) StaffList(ctx context.Context, f prescribing.StaffFilter) ([]*prescribing.Staff, error) {
	var w rxWhere
	if f.Role != "" {
		w.add("role = ?", string(f.Role))
	}
	if f.Practice != "" {
		w.add("? = ANY(practices)", f.Practice)
	}
	return rxMany[prescribing.Staff](ctx, s.db, "SELECT doc FROM prescribing_staff"+w.String()+" ORDER BY id"+rxPage(f.Limit, f.Offset), w.args...)
}

// Patient implements prescribing.Store.
func (s *PrescribingStore) Patient(ctx context.Context, id string) (*prescribing.Patient, error) {
	return rxOne[prescribing.Patient](ctx, s.db, "patient "+id, `SELECT doc FROM prescribing_patients WHERE id = $1`, id)
}

// PatientByNHS implements prescribing.Store.
func (s *PrescribingStore) PatientByNHS(ctx context.Context, practice string, nhs prescribing.NHSNumber) (*prescribing.Patient, error) {
	return rxOne[prescribing.Patient](ctx, s.db, "patient by NHS number", `SELECT doc FROM prescribing_patients WHERE practice = $1 AND nhs = $2`, practice, string(nhs))
}

// Patients implements prescribing.Store.
func (s *PrescribingStore) Patients(ctx context.Context, f prescribing.PatientFilter) ([]*prescribing.Patient, error) {
	var w rxWhere
	if f.Practice != "" {
		w.add("practice = ?", f.Practice)
	}
	if len(f.NHSNumbers) > 0 {
		nhs := make([]string, len(f.NHSNumbers))
		for i, n := range f.NHSNumbers {
			nhs[i] = string(n)
		}
		w.add("nhs = ANY(?)", nhs)
	}
	return rxMany[prescribing.Patient](ctx, s.db, "SELECT doc FROM prescribing_patients"+w.String()+" ORDER BY id"+rxPage(f.Limit, f.Offset), w.args...)
}

// ScoreSet implements prescribing.Store.
func (s *PrescribingStore) ScoreSet(ctx context.Context, id string) (*prescribing.ScoreSet, error) {
	return rxOne[prescribing.ScoreSet](ctx, s.db, "score set "+id, `SELECT doc FROM prescribing_score_sets WHERE id = $1`, id)
}

// Stratification implements prescribing.Store.
func (s *PrescribingStore) Stratification(ctx context.Context, id string) (*prescribing.Stratification, error) {
	return rxOne[prescribing.Stratification](ctx, s.db, "stratification "+id, `SELECT doc FROM prescribing_stratifications WHERE id = $1`, id)
}

// Stratifications implements prescribing.Store.
func (s *PrescribingStore) Stratifications(ctx context.Context, practice string) ([]*prescribing.Stratification, error) {
	return rxMany[prescribing.Stratification](ctx, s.db, `SELECT doc FROM prescribing_stratifications WHERE practice = $1 ORDER BY id`, practice)
}

// Meeting implements prescribing.Store.
func (s *PrescribingStore) Meeting(ctx context.Context, id string) (*prescribing.Meeting, error) {
	return rxOne[prescribing.Meeting](ctx, s.db, "meeting "+id, `SELECT doc FROM prescribing_meetings WHERE id = $1`, id)
}

// Meetings implements prescribing.Store.
func (s *PrescribingStore) Meetings(ctx context.Context, practice string) ([]*prescribing.Meeting, error) {
	return rxMany[prescribing.Meeting](ctx, s.db, `SELECT doc FROM prescribing_meetings WHERE practice = $1 ORDER BY date, id`, practice)
}

// Referral implements prescribing.Store.
func (s *PrescribingStore) Referral(ctx context.Context, id string) (*prescribing.Referral, error) {
	return rxOne[prescribing.Referral](ctx, s.db, "referral "+id, `SELECT doc FROM prescribing_referrals WHERE id = $1`, id)
}

// Referrals implements prescribing.Store.
func (s *PrescribingStore) Referrals(ctx context.Context, f prescribing.ReferralFilter) ([]*prescribing.Referral, error) {
	var w rxWhere
	if f.Practice != "" {
		w.add("practice = ?", f.Practice)
	}
	if f.Patient != "" {
		w.add("patient = ?", f.Patient)
	}
	if f.Advisor != "" {
		w.add("advisor = ?", f.Advisor)
	}
	if f.State != "" {
		w.add("state = ?", string(f.State))
	}
	if f.Open != nil {
		w.add("open = ?", *f.Open)
	}
	if f.From != nil {
		w.add("created_at >= ?", *f.From)
	}
	if f.To != nil {
		w.add("created_at < ?", *f.To)
	}
	return rxMany[prescribing.Referral](ctx, s.db, "SELECT doc FROM prescribing_referrals"+w.String()+" ORDER BY id"+rxPage(f.Limit, f.Offset), w.args...)
}

// Caseload implements prescribing.Store.
func (s *PrescribingStore) Caseload(ctx context.Context, advisor string) (int, error) {
	var n int
	err := s.db.pool.QueryRow(ctx, `SELECT count(*) FROM prescribing_referrals WHERE advisor = $1 AND on_caseload`, advisor).Scan(&n)
	return n, err
}

// Receipt implements prescribing.Store.
func (s *PrescribingStore) Receipt(ctx context.Context, key string) (*prescribing.Receipt, error) {
	r := prescribing.Receipt{Key: key}
	err := s.db.pool.QueryRow(ctx, `SELECT hash, result, at FROM prescribing_receipts WHERE key = $1`, key).Scan(&r.Hash, &r.Result, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("receipt %q: %w", key, prescribing.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Secret implements prescribing.Store: the database's secret for
// idempotency receipts.
func (s *PrescribingStore) Secret(ctx context.Context) ([]byte, error) {
	return s.db.receiptSecret(ctx)
}

// Events implements prescribing.Store. It returns only events
// that no event of a lower Seq can still precede: it first waits for the
// transactions writing events in flight (settledSeq), so a reader that
// keeps the last Seq it saw and reads After it never passes over an event
// committed later.
func (s *PrescribingStore) Events(ctx context.Context, f prescribing.EventFilter) ([]prescribing.Event, error) {
	var w rxWhere
	if f.Practice != "" {
		w.add("practice = ?", f.Practice)
	}
	if f.Subject != "" {
		w.add("subject = ?", f.Subject)
	}
	settled, err := s.db.settledSeq(ctx, "prescribing_events")
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	w.add("seq <= ?", settled)
	if f.After > 0 {
		w.add("seq > ?", f.After)
	}
	rows, err := s.db.pool.Query(ctx, "SELECT seq, practice, at, actor, action, subject, note FROM prescribing_events"+w.String()+" ORDER BY seq"+rxPage(f.Limit, f.Offset), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []prescribing.Event
	for rows.Next() {
		var e prescribing.Event
		if err := rows.Scan(&e.Seq, &e.Practice, &e.At, &e.Actor, &e.Action, &e.Subject, &e.Note); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
