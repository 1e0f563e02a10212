package prescribing

import (
	"context"
	"time"
)

// Store persists social prescribing. Implementations live in
// adapters/memory, adapters/sqlite and adapters/postgres, and all pass the
// conformance suite in prescribingtest; a behaviour not checked there is
// not guaranteed.
//
// A store holds no rules beyond what must be atomic: Apply writes a whole
// Batch or nothing, refuses stale updates, keeps NHS numbers unique, keeps
// advisors' caseloads within the batch's limits, keeps each patient to at
// most one open referral and records idempotency keys, all in one
// transaction. Rules, roles and state transitions live in
// Service.
//
// An NHS number is unique within a practice, not across practices: each
// practice holds its own record of a patient, so that nothing a practice
// does can tell it whether another practice knows the person.
//
// Reads return ErrNotFound for a missing id. Records come back equal to
// what was written (times in UTC) and are the caller's own: changing one
// never changes the store. Lists are ordered by id unless stated and
// honour Offset and Limit (Limit 0 means no limit).
type Store interface {
	// Apply writes b atomically. It returns ErrConflict when a record to
	// create exists (or a patient's NHS number is taken at the practice) or a record to
	// update has changed since it was read, ErrNotFound when an update
	// names a missing record, ErrCaseloadFull when after the batch an
	// advisor in b.Caseloads has more referrals on their caseload than
	// the limit, ErrOpenReferral when after the batch a patient would
	// have more than one open referral (see Referral.Open; concurrent
	// batches included: of two racing to open a referral for one patient
	// one fails), and ErrDuplicateKey when b.Key is recorded already. On
	// any error nothing of b is written.
	Apply(ctx context.Context, b *Batch) error

	// Practice returns the practice with the given id.
	Practice(ctx context.Context, id string) (*Practice, error)
	// Practices returns practices ordered by id.
	Practices(ctx context.Context, f PracticeFilter) ([]*Practice, error)

	// Staff returns the member of staff with the given id.
	Staff(ctx context.Context, id string) (*Staff, error)
	// StaffList returns staff ordered by id.
	StaffList(ctx context.Context, f StaffFilter) ([]*Staff, error)

	// Patient returns the patient with the given id.
	Patient(ctx context.Context, id string) (*Patient, error)
	// PatientByNHS returns the practice's patient with the given NHS
	// number.
	PatientByNHS(ctx context.Context, practice string, nhs NHSNumber) (*Patient, error)
	// Patients returns patients ordered by id.
	Patients(ctx context.Context, f PatientFilter) ([]*Patient, error)

	// ScoreSet returns the score set with the given id, scores in the
	// order written.
	ScoreSet(ctx context.Context, id string) (*ScoreSet, error)
	// Stratification returns the stratification with the given id.
	Stratification(ctx context.Context, id string) (*Stratification, error)
	// Stratifications returns a practice's stratifications ordered by id.
	Stratifications(ctx context.Context, practice string) ([]*Stratification, error)

	// Meeting returns the MDT meeting with the given id.
	Meeting(ctx context.Context, id string) (*Meeting, error)
	// Meetings returns a practice's meetings ordered by Date, then id.
	Meetings(ctx context.Context, practice string) ([]*Meeting, error)

	// Referral returns the referral with the given id.
	Referral(ctx context.Context, id string) (*Referral, error)
	// Referrals returns referrals ordered by id.
	Referrals(ctx context.Context, f ReferralFilter) ([]*Referral, error)
	// Caseload counts the referrals on an advisor's caseload (see
	// Referral.OnCaseload).
	Caseload(ctx context.Context, advisor string) (int, error)

	// Receipt returns what was recorded under an idempotency key.
	Receipt(ctx context.Context, key string) (*Receipt, error)
	// Events returns the audit trail ordered by Seq.
	Events(ctx context.Context, f EventFilter) ([]Event, error)

	// Secret returns the store's secret for idempotency receipts: random
	// bytes made once per database and kept with it.
	Secret(ctx context.Context) ([]byte, error)
}

// Batch is a set of changes a store writes atomically, in this order:
// practices, staff, patients, score sets, stratifications, meetings,
// referrals, then the caseload checks, the events and the receipt for Key.
//
// A record with Version 1 is created (an existing id is ErrConflict); one
// with Version n > 1 replaces the stored record whose Version is n-1
// (otherwise ErrConflict, or ErrNotFound if there is none). Score sets are
// only created; a meeting is replaced only when a patient's case notes are
// erased. A patient whose NHSNumber is empty has been erased: the store
// keeps no NHS number for them, and any number of erased patients may
// share a practice.
type Batch struct {
	Practices       []*Practice
	Staff           []*Staff
	Patients        []*Patient
	ScoreSets       []*ScoreSet
	Stratifications []*Stratification
	Meetings        []*Meeting
	Referrals       []*Referral
	// Caseloads maps an advisor's id to their caseload limit: after the
	// batch's referrals are written, the advisor must have at most that
	// many referrals on their caseload, or the whole batch is refused
	// with ErrCaseloadFull. Stores check this under a lock on the advisor
	// so concurrent batches never take a caseload over its limit.
	Caseloads map[string]int
	Events    []Event
	// EraseNotes lists subjects (a patient's id and their referrals'
	// ids) whose audit events' notes the store blanks, after writing the
	// batch's events. A batch with EraseNotes erases a person: the store
	// also removes every copy of what it overwrote from its files (SQLite:
	// secure_delete, then a WAL checkpoint that truncates the log).
	EraseNotes []string

	// Key, when not empty, is the caller's idempotency key. The store
	// records Receipt{Key, Hash, Result, At} with the batch, and refuses
	// the whole batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string    // fingerprint of the request, to tell a retry from a reuse
	Result string    // id of what the request made, returned on a retry
	At     time.Time // when the batch was made
}

// Receipt is what a store recorded under an idempotency key.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}

// Event is one line of the audit trail: who did what to which record,
// when and why. It holds ids only: never an NHS number or a name. Seq is
// assigned by the store, increasing in the order events are applied.
type Event struct {
	Seq      int64
	Practice string
	At       time.Time
	Actor    string
	Action   string // e.g. "referral.accept", "stratification.adjust"
	Subject  string // the id of the record changed
	Note     string
}

// PracticeFilter selects practices. Empty fields do not filter.
type PracticeFilter struct {
	Area   string
	Offset int
	Limit  int
}

// StaffFilter selects staff. Empty fields do not filter.
type StaffFilter struct {
	Practice string // works with this practice
	Role     Role
	Offset   int
	Limit    int
}

// PatientFilter selects patients. Empty fields do not filter; NHSNumbers,
// if not empty, keeps patients with any of those numbers.
type PatientFilter struct {
	Practice   string
	NHSNumbers []NHSNumber
	Offset     int
	Limit      int
}

// ReferralFilter selects referrals. Empty and nil fields do not filter.
// From ≤ CreatedAt < To.
type ReferralFilter struct {
	Practice string
	Patient  string
	Advisor  string
	State    State
	Open     *bool
	From     *time.Time
	To       *time.Time
	Offset   int
	Limit    int
}

// EventFilter selects audit events. Empty fields do not filter.
type EventFilter struct {
	Practice string
	Subject  string
	// After keeps the events with a Seq greater than it: a reader that
	// remembers the last Seq it saw reads only what followed. A store
	// returns no event while one with a lower Seq may still be committed
	// (a writer in flight), so such a reader passes over none.
	After  int64
	Offset int
	Limit  int
}
