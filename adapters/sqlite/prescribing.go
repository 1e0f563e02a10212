package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/strongertogether/community/adapters/internal/prescribingrec"
	"github.com/strongertogether/community/prescribing"
)

// PrescribingStore is the SQLite prescribing.Store. Each record is kept
// whole as JSON (the record types of adapters/internal/prescribingrec,
// with a format version) beside the columns the store filters and checks
// on (see migration/0004_prescribing.sql and 0012_prescribing_tables.sql,
// which named the tables prescribing_*). A batch that erases a patient is
// followed by a WAL checkpoint that truncates the log, so with
// secure_delete no copy of what was erased stays in the files. Writes go through the DB's single
// writer, so the caseload count Apply checks after writing a batch's
// referrals cannot be raced by another writer; a partial unique index
// (migration/0007_prescribing_open.sql) keeps one open referral per
// patient.
type PrescribingStore struct {
	db *DB
}

var _ prescribing.Store = (*PrescribingStore)(nil)

// NewPrescribingStore returns a prescribing.Store backed by db. Several
// stores may share one DB.
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

// Apply writes b atomically: see prescribing.Store.
func (s *PrescribingStore) Apply(ctx context.Context, b *prescribing.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &prescribing.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, err := rxRows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	err = s.db.write(ctx, func(tx *writeTx) error {
		if b.Key != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM prescribing_receipts WHERE key = ?`, b.Key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("key %q: %w", b.Key, prescribing.ErrDuplicateKey)
			}
		}
		for _, r := range rows {
			if err := rxPut(tx, r); err != nil {
				return err
			}
		}
		for adv, limit := range b.Caseloads {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM prescribing_referrals WHERE advisor = ? AND on_caseload = 1`, adv).Scan(&n); err != nil {
				return err
			}
			if n > limit {
				return fmt.Errorf("advisor %s: %d open referrals, limit %d: %w", adv, n, limit, prescribing.ErrCaseloadFull)
			}
		}
		for _, e := range b.Events {
			if _, err := tx.ExecContext(ctx, `INSERT INTO prescribing_events (practice, at, actor, action, subject, note) VALUES (?, ?, ?, ?, ?, ?)`,
				e.Practice, micros(e.At), e.Actor, e.Action, e.Subject, e.Note); err != nil {
				return err
			}
		}
		if len(b.EraseNotes) > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE prescribing_events SET note = '' WHERE subject IN (`+placeholders(len(b.EraseNotes))+`)`, anys(b.EraseNotes)...); err != nil {
				return err
			}
		}
		if err := tx.putReceipt("prescribing_receipts", b.Key, b.Hash, b.Result, b.At, prescribing.ErrDuplicateKey); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	if len(b.EraseNotes) > 0 {
		if err := s.db.scrub(ctx); err != nil {
			return fmt.Errorf("apply batch: %w", err)
		}
	}
	return nil
}

// nullNHS is the nhs column of a patient: NULL once erased.
func nullNHS(n prescribing.NHSNumber) any {
	if n == "" {
		return nil
	}
	return string(n)
}

// anys converts strings to query arguments.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// rxRows lists the records of b in the order Apply writes them.
func rxRows(b *prescribing.Batch) ([]rxRow, error) {
	var rows []rxRow
	add := func(r rxRow, nilRec bool) error {
		if nilRec || r.id == "" {
			return &prescribing.FieldError{Field: r.kind, Reason: "a record is nil or has no id"}
		}
		rows = append(rows, r)
		return nil
	}
	for _, x := range b.Practices {
		if x == nil {
			return nil, &prescribing.FieldError{Field: "practice", Reason: "nil record"}
		}
		if err := add(rxRow{table: "prescribing_practices", kind: "practice", id: x.ID, version: x.Version,
			cols: []string{"area"}, vals: []any{x.Area}, doc: x}, false); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Staff {
		if x == nil {
			return nil, &prescribing.FieldError{Field: "staff", Reason: "nil record"}
		}
		if err := add(rxRow{table: "prescribing_staff", kind: "staff", id: x.ID, version: x.Version,
			cols: []string{"role", "practices"}, vals: []any{string(x.Role), "," + strings.Join(x.Practices, ",") + ","}, doc: x}, false); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Patients {
		if x == nil {
			return nil, &prescribing.FieldError{Field: "patient", Reason: "nil record"}
		}
		if err := add(rxRow{table: "prescribing_patients", kind: "patient", id: x.ID, version: x.Version,
			cols: []string{"practice", "nhs"}, vals: []any{x.Practice, nullNHS(x.NHSNumber)}, doc: x}, false); err != nil {
			return nil, err
		}
	}
	for _, x := range b.ScoreSets {
		if x == nil {
			return nil, &prescribing.FieldError{Field: "score set", Reason: "nil record"}
		}
		if err := add(rxRow{table: "prescribing_score_sets", kind: "score set", id: x.ID, version: x.Version, createOnly: true,
			cols: []string{"practice"}, vals: []any{x.Practice}, doc: x}, false); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Stratifications {
		if x == nil {
			return nil, &prescribing.FieldError{Field: "stratification", Reason: "nil record"}
		}
		if err := add(rxRow{table: "prescribing_stratifications", kind: "stratification", id: x.ID, version: x.Version,
			cols: []string{"practice"}, vals: []any{x.Practice}, doc: x}, false); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Meetings {
		if x == nil {
			return nil, &prescribing.FieldError{Field: "meeting", Reason: "nil record"}
		}
		if err := add(rxRow{table: "prescribing_meetings", kind: "meeting", id: x.ID, version: x.Version,
			cols: []string{"practice", "date"}, vals: []any{x.Practice, micros(x.Date)}, doc: x}, false); err != nil {
			return nil, err
		}
	}
	for _, x := range closingFirst(b.Referrals) {
		if x == nil {
			return nil, &prescribing.FieldError{Field: "referral", Reason: "nil record"}
		}
		if err := add(rxRow{table: "prescribing_referrals", kind: "referral", id: x.ID, version: x.Version,
			cols: []string{"practice", "patient", "advisor", "state", "open", "on_caseload", "created_at"},
			vals: []any{x.Practice, x.Patient, x.Advisor, string(x.State), boolInt(x.Open()), boolInt(x.OnCaseload()), micros(x.CreatedAt)},
			doc:  x}, false); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// rxPut creates r (Version 1) or replaces the stored record of Version-1.
func rxPut(tx *writeTx, r rxRow) error {
	doc, err := prescribingrec.Marshal(r.doc)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.kind, r.id, err)
	}
	if r.version < 1 || (r.createOnly && r.version != 1) {
		return fmt.Errorf("%s %s: %w", r.kind, r.id, &prescribing.FieldError{Field: "Version",
			Reason: fmt.Sprintf("must be 1 to create or n > 1 to replace version n-1, got %d", r.version)})
	}
	if r.version == 1 {
		cols := append([]string{"id", "version", "doc"}, r.cols...)
		args := append([]any{r.id, r.version, string(doc)}, r.vals...)
		_, err := tx.ExecContext(tx.ctx, "INSERT INTO "+r.table+" ("+strings.Join(cols, ", ")+") VALUES ("+placeholders(len(cols))+")", args...)
		if err != nil {
			if isOpenReferral(err) {
				// SQLite may check the patient index before the primary
				// key: an existing id is the conflict to report.
				var n int
				if qerr := tx.QueryRowContext(tx.ctx, "SELECT count(*) FROM "+r.table+" WHERE id = ?", r.id).Scan(&n); qerr != nil {
					return qerr
				}
				if n > 0 {
					return fmt.Errorf("create %s %s: %w", r.kind, r.id, prescribing.ErrConflict)
				}
				return fmt.Errorf("create %s %s: the patient has an open referral: %w", r.kind, r.id, prescribing.ErrOpenReferral)
			}
			if isUnique(err) {
				return fmt.Errorf("create %s %s: %w", r.kind, r.id, prescribing.ErrConflict)
			}
			return fmt.Errorf("create %s %s: %w", r.kind, r.id, err)
		}
		return nil
	}
	cols := append([]string{"version", "doc"}, r.cols...)
	args := append(append([]any{r.version, string(doc)}, r.vals...), r.id, r.version-1)
	res, err := tx.ExecContext(tx.ctx, "UPDATE "+r.table+" SET "+strings.Join(cols, " = ?, ")+" = ? WHERE id = ? AND version = ?", args...)
	if err != nil {
		if isOpenReferral(err) {
			return fmt.Errorf("update %s %s: the patient has an open referral: %w", r.kind, r.id, prescribing.ErrOpenReferral)
		}
		if isUnique(err) {
			return fmt.Errorf("update %s %s: %w", r.kind, r.id, prescribing.ErrConflict)
		}
		return fmt.Errorf("update %s %s: %w", r.kind, r.id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var stored int64
	err = tx.QueryRowContext(tx.ctx, "SELECT version FROM "+r.table+" WHERE id = ?", r.id).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
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
	err := db.reader.QueryRowContext(ctx, query, args...).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
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
	rows, err := db.reader.QueryContext(ctx, query, args...)
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

// Practice implements prescribing.Store.
func (s *PrescribingStore) Practice(ctx context.Context, id string) (*prescribing.Practice, error) {
	return rxOne[prescribing.Practice](ctx, s.db, "practice "+id, `SELECT doc FROM prescribing_practices WHERE id = ?`, id)
}

// Practices implements prescribing.Store.
func (s *PrescribingStore) Practices(ctx context.Context, f prescribing.PracticeFilter) ([]*prescribing.Practice, error) {
	var w where
	if f.Area != "" {
		w.add("area = ?", f.Area)
	}
	return rxMany[prescribing.Practice](ctx, s.db, "SELECT doc FROM prescribing_practices"+w.String()+" ORDER BY id"+limitOffset(f.Limit, f.Offset), w.args...)
}

// Staff implements prescribing.Store.
func (s *PrescribingStore) Staff(ctx context.Context, id string) (*prescribing.Staff, error) {
	return rxOne[prescribing.Staff](ctx, s.db, "staff "+id, `SELECT doc FROM prescribing_staff WHERE id = ?`, id)
}

// StaffList implements prescribing.Store.
func (s *PrescribingStore) StaffList(ctx context.Context, f prescribing.StaffFilter) ([]*prescribing.Staff, error) {
	var w where
	if f.Role != "" {
		w.add("role = ?", string(f.Role))
	}
	if f.Practice != "" {
		w.add("instr(practices, ?) > 0", ","+f.Practice+",")
	}
	return rxMany[prescribing.Staff](ctx, s.db, "SELECT doc FROM prescribing_staff"+w.String()+" ORDER BY id"+limitOffset(f.Limit, f.Offset), w.args...)
}

// Patient implements prescribing.Store.
func (s *PrescribingStore) Patient(ctx context.Context, id string) (*prescribing.Patient, error) {
	return rxOne[prescribing.Patient](ctx, s.db, "patient "+id, `SELECT doc FROM prescribing_patients WHERE id = ?`, id)
}

// PatientByNHS implements prescribing.Store.
func (s *PrescribingStore) PatientByNHS(ctx context.Context, practice string, nhs prescribing.NHSNumber) (*prescribing.Patient, error) {
	return rxOne[prescribing.Patient](ctx, s.db, "patient by NHS number", `SELECT doc FROM prescribing_patients WHERE practice = ? AND nhs = ?`, practice, string(nhs))
}

// Patients implements prescribing.Store. Long lists of NHS numbers are
// looked up in chunks.
func (s *PrescribingStore) Patients(ctx context.Context, f prescribing.PatientFilter) ([]*prescribing.Patient, error) {
	if len(f.NHSNumbers) == 0 {
		var w where
		if f.Practice != "" {
			w.add("practice = ?", f.Practice)
		}
		return rxMany[prescribing.Patient](ctx, s.db, "SELECT doc FROM prescribing_patients"+w.String()+" ORDER BY id"+limitOffset(f.Limit, f.Offset), w.args...)
	}
	const chunk = 500
	var all []*prescribing.Patient
	for i := 0; i < len(f.NHSNumbers); i += chunk {
		part := f.NHSNumbers[i:min(i+chunk, len(f.NHSNumbers))]
		var w where
		args := make([]any, len(part))
		for j, n := range part {
			args[j] = string(n)
		}
		w.add("nhs IN ("+placeholders(len(part))+")", args...)
		if f.Practice != "" {
			w.add("practice = ?", f.Practice)
		}
		got, err := rxMany[prescribing.Patient](ctx, s.db, "SELECT doc FROM prescribing_patients"+w.String(), w.args...)
		if err != nil {
			return nil, err
		}
		all = append(all, got...)
	}
	return rxSortPage(all, func(p *prescribing.Patient) string { return p.ID }, f.Offset, f.Limit), nil
}

// rxSortPage orders records gathered from several queries by id and pages
// them.
func rxSortPage[T any](all []*T, id func(*T) string, offset, limit int) []*T {
	seen := map[string]bool{}
	out := all[:0]
	for _, r := range all {
		if !seen[id(r)] {
			seen[id(r)] = true
			out = append(out, r)
		}
	}
	sortByID(out, id)
	if offset > 0 {
		if offset >= len(out) {
			return nil
		}
		out = out[offset:]
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// ScoreSet implements prescribing.Store.
func (s *PrescribingStore) ScoreSet(ctx context.Context, id string) (*prescribing.ScoreSet, error) {
	return rxOne[prescribing.ScoreSet](ctx, s.db, "score set "+id, `SELECT doc FROM prescribing_score_sets WHERE id = ?`, id)
}

// Stratification implements prescribing.Store.
func (s *PrescribingStore) Stratification(ctx context.Context, id string) (*prescribing.Stratification, error) {
	return rxOne[prescribing.Stratification](ctx, s.db, "stratification "+id, `SELECT doc FROM prescribing_stratifications WHERE id = ?`, id)
}

// Stratifications implements prescribing.Store.
func (s *PrescribingStore) Stratifications(ctx context.Context, practice string) ([]*prescribing.Stratification, error) {
	return rxMany[prescribing.Stratification](ctx, s.db, `SELECT doc FROM prescribing_stratifications WHERE practice = ? ORDER BY id`, practice)
}

// Meeting implements prescribing.Store.
func (s *PrescribingStore) Meeting(ctx context.Context, id string) (*prescribing.Meeting, error) {
	return rxOne[prescribing.Meeting](ctx, s.db, "meeting "+id, `SELECT doc FROM prescribing_meetings WHERE id = ?`, id)
}

// Meetings implements prescribing.Store.
func (s *PrescribingStore) Meetings(ctx context.Context, practice string) ([]*prescribing.Meeting, error) {
	return rxMany[prescribing.Meeting](ctx, s.db, `SELECT doc FROM prescribing_meetings WHERE practice = ? ORDER BY date, id`, practice)
}

// Referral implements prescribing.Store.
func (s *PrescribingStore) Referral(ctx context.Context, id string) (*prescribing.Referral, error) {
	return rxOne[prescribing.Referral](ctx, s.db, "referral "+id, `SELECT doc FROM prescribing_referrals WHERE id = ?`, id)
}

// Referrals implements prescribing.Store.
func (s *PrescribingStore) Referrals(ctx context.Context, f prescribing.ReferralFilter) ([]*prescribing.Referral, error) {
	var w where
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
		w.add("open = ?", boolInt(*f.Open))
	}
	if f.From != nil {
		w.add("created_at >= ?", micros(*f.From))
	}
	if f.To != nil {
		w.add("created_at < ?", micros(*f.To))
	}
	return rxMany[prescribing.Referral](ctx, s.db, "SELECT doc FROM prescribing_referrals"+w.String()+" ORDER BY id"+limitOffset(f.Limit, f.Offset), w.args...)
}

// Caseload implements prescribing.Store.
func (s *PrescribingStore) Caseload(ctx context.Context, advisor string) (int, error) {
	var n int
	err := s.db.reader.QueryRowContext(ctx, `SELECT count(*) FROM prescribing_referrals WHERE advisor = ? AND on_caseload = 1`, advisor).Scan(&n)
	return n, err
}

// Receipt implements prescribing.Store.
func (s *PrescribingStore) Receipt(ctx context.Context, key string) (*prescribing.Receipt, error) {
	r := prescribing.Receipt{Key: key}
	var at int64
	err := s.db.reader.QueryRowContext(ctx, `SELECT hash, result, at FROM prescribing_receipts WHERE key = ?`, key).Scan(&r.Hash, &r.Result, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("receipt %q: %w", key, prescribing.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	r.At = fromMicros(at)
	return &r, nil
}

// Secret implements prescribing.Store: the database's secret for
// idempotency receipts.
func (s *PrescribingStore) Secret(ctx context.Context) ([]byte, error) {
	return s.db.receiptSecret(ctx)
}

// Events implements prescribing.Store.
func (s *PrescribingStore) Events(ctx context.Context, f prescribing.EventFilter) ([]prescribing.Event, error) {
	var w where
	if f.Practice != "" {
		w.add("practice = ?", f.Practice)
	}
	if f.Subject != "" {
		w.add("subject = ?", f.Subject)
	}
	if f.After > 0 {
		w.add("seq > ?", f.After)
	}
	rows, err := s.db.reader.QueryContext(ctx, "SELECT seq, practice, at, actor, action, subject, note FROM prescribing_events"+w.String()+" ORDER BY seq"+limitOffset(f.Limit, f.Offset), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []prescribing.Event
	for rows.Next() {
		var e prescribing.Event
		var at int64
		if err := rows.Scan(&e.Seq, &e.Practice, &at, &e.Actor, &e.Action, &e.Subject, &e.Note); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
