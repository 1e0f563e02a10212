package memory

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/strongertogether/community/prescribing"
)

// PrescribingStore is a prescribing.Store held in memory. It is safe for
// concurrent use: reads share a lock, Apply holds it alone, so caseload
// checks, NHS number uniqueness within a practice and one open referral per patient are
// atomic. Records are deep-copied in
// and out, so a caller cannot change stored state by changing what it
// passed or got back.
type PrescribingStore struct {
	mu sync.RWMutex

	practices map[string]*prescribing.Practice
	staff     map[string]*prescribing.Staff
	patients  map[string]*prescribing.Patient
	nhs       map[rxNHS]string // patient ids by practice and NHS number
	secret    []byte
	scoreSets map[string]*prescribing.ScoreSet
	strats    map[string]*prescribing.Stratification
	meetings  map[string]*prescribing.Meeting
	referrals map[string]*prescribing.Referral
	caseload  map[string]int    // open referrals per advisor
	open      map[string]string // a patient's open referral, by patient id
	receipts  map[string]prescribing.Receipt
	events    []prescribing.Event
}

var _ prescribing.Store = (*PrescribingStore)(nil)

// rxNHS is a patient's key among their practice's patients: an NHS number
// is unique within a practice.
type rxNHS struct {
	practice string
	nhs      prescribing.NHSNumber
}

func nhsKey(p *prescribing.Patient) rxNHS { return rxNHS{p.Practice, p.NHSNumber} }

// Secret implements prescribing.Store.
func (s *PrescribingStore) Secret(context.Context) ([]byte, error) { return s.secret, nil }

// NewPrescribingStore returns an empty store.
func NewPrescribingStore() *PrescribingStore {
	return &PrescribingStore{
		practices: map[string]*prescribing.Practice{},
		staff:     map[string]*prescribing.Staff{},
		patients:  map[string]*prescribing.Patient{},
		nhs:       map[rxNHS]string{},
		secret:    newSecret(),
		scoreSets: map[string]*prescribing.ScoreSet{},
		strats:    map[string]*prescribing.Stratification{},
		meetings:  map[string]*prescribing.Meeting{},
		referrals: map[string]*prescribing.Referral{},
		caseload:  map[string]int{},
		open:      map[string]string{},
		receipts:  map[string]prescribing.Receipt{},
	}
}

// rxDeep returns a deep copy of v.
func rxDeep[T any](v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("memory: copy %T: %v", v, err))
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("memory: copy %T: %v", v, err))
	}
	return out
}

// rxStaged checks recs against cur (and earlier records of the batch) and
// returns copies of them keyed by id, in batch order.
func rxStaged[T any](cur map[string]*T, recs []*T, kind string, key func(*T) (string, int64), createOnly bool) (map[string]*T, []string, error) {
	over := map[string]*T{}
	var order []string
	for _, r := range recs {
		if r == nil {
			return nil, nil, &prescribing.FieldError{Field: kind, Reason: "nil record"}
		}
		id, v := key(r)
		if id == "" {
			return nil, nil, &prescribing.FieldError{Field: kind, Reason: "a record has no id"}
		}
		old, ok := over[id]
		if !ok {
			old, ok = cur[id]
		}
		switch {
		case v < 1 || (createOnly && v != 1):
			return nil, nil, &prescribing.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: bad version %d", kind, id, v)}
		case v == 1 && ok:
			return nil, nil, fmt.Errorf("create %s %s: %w", kind, id, prescribing.ErrConflict)
		case v > 1 && !ok:
			return nil, nil, fmt.Errorf("update %s %s: %w", kind, id, prescribing.ErrNotFound)
		case v > 1:
			if _, ov := key(old); ov != v-1 {
				return nil, nil, fmt.Errorf("update %s %s to version %d: stored version is %d: %w", kind, id, v, ov, prescribing.ErrConflict)
			}
		}
		if _, seen := over[id]; !seen {
			order = append(order, id)
		}
		over[id] = rxDeep(r)
	}
	return over, order, nil
}

// Apply writes b atomically: see prescribing.Store.
func (s *PrescribingStore) Apply(ctx context.Context, b *prescribing.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("apply batch: %w", &prescribing.FieldError{Field: "Batch", Reason: "is nil"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.apply(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

func (s *PrescribingStore) apply(b *prescribing.Batch) error {
	if b.Key != "" {
		if _, ok := s.receipts[b.Key]; ok {
			return fmt.Errorf("key %q: %w", b.Key, prescribing.ErrDuplicateKey)
		}
	}
	practices, _, err := rxStaged(s.practices, b.Practices, "practice", func(r *prescribing.Practice) (string, int64) { return r.ID, r.Version }, false)
	if err != nil {
		return err
	}
	staff, _, err := rxStaged(s.staff, b.Staff, "staff", func(r *prescribing.Staff) (string, int64) { return r.ID, r.Version }, false)
	if err != nil {
		return err
	}
	patients, _, err := rxStaged(s.patients, b.Patients, "patient", func(r *prescribing.Patient) (string, int64) { return r.ID, r.Version }, false)
	if err != nil {
		return err
	}
	nhs := map[rxNHS]string{}
	for id, p := range patients {
		if p.NHSNumber == "" {
			continue // erased
		}
		if other, ok := nhs[nhsKey(p)]; ok && other != id {
			return fmt.Errorf("patient %s: NHS number taken at the practice: %w", id, prescribing.ErrConflict)
		}
		if other, ok := s.nhs[nhsKey(p)]; ok && other != id {
			if _, moving := patients[other]; !moving || nhsKey(patients[other]) == nhsKey(p) {
				return fmt.Errorf("patient %s: NHS number taken at the practice: %w", id, prescribing.ErrConflict)
			}
		}
		nhs[nhsKey(p)] = id
	}
	sets, _, err := rxStaged(s.scoreSets, b.ScoreSets, "score set", func(r *prescribing.ScoreSet) (string, int64) { return r.ID, r.Version }, true)
	if err != nil {
		return err
	}
	strats, _, err := rxStaged(s.strats, b.Stratifications, "stratification", func(r *prescribing.Stratification) (string, int64) { return r.ID, r.Version }, false)
	if err != nil {
		return err
	}
	meetings, _, err := rxStaged(s.meetings, b.Meetings, "meeting", func(r *prescribing.Meeting) (string, int64) { return r.ID, r.Version }, false)
	if err != nil {
		return err
	}
	refs, refOrder, err := rxStaged(s.referrals, b.Referrals, "referral", func(r *prescribing.Referral) (string, int64) { return r.ID, r.Version }, false)
	if err != nil {
		return err
	}
	delta := map[string]int{}
	for id, r := range refs {
		if old, ok := s.referrals[id]; ok && old.OnCaseload() {
			delta[old.Advisor]--
		}
		if r.OnCaseload() {
			delta[r.Advisor]++
		}
	}
	for adv, limit := range b.Caseloads {
		if n := s.caseload[adv] + delta[adv]; n > limit {
			return fmt.Errorf("advisor %s: %d open referrals, limit %d: %w", adv, n, limit, prescribing.ErrCaseloadFull)
		}
	}
	// One open referral per patient, after the batch: the batch's open
	// referrals may not share a patient, nor meet a stored open referral
	// that the batch does not close (or move to another patient).
	opened := map[string]string{}
	for _, id := range refOrder {
		r := refs[id]
		if !r.Open() {
			continue
		}
		if other, ok := opened[r.Patient]; ok {
			return fmt.Errorf("referrals %s and %s of patient %s: %w", other, id, r.Patient, prescribing.ErrOpenReferral)
		}
		opened[r.Patient] = id
		if other, ok := s.open[r.Patient]; ok && other != id {
			if o, staged := refs[other]; !staged || (o.Open() && o.Patient == r.Patient) {
				return fmt.Errorf("referral %s: patient %s has open referral %s: %w", id, r.Patient, other, prescribing.ErrOpenReferral)
			}
		}
	}

	// Everything checked: write.
	for id, r := range practices {
		s.practices[id] = r
	}
	for id, r := range staff {
		s.staff[id] = r
	}
	for id, r := range patients {
		if old, ok := s.patients[id]; ok && s.nhs[nhsKey(old)] == id {
			delete(s.nhs, nhsKey(old))
		}
		s.patients[id] = r
	}
	for id, r := range patients {
		if r.NHSNumber != "" {
			s.nhs[nhsKey(r)] = id
		}
	}
	for id, r := range sets {
		s.scoreSets[id] = r
	}
	for id, r := range strats {
		s.strats[id] = r
	}
	for id, r := range meetings {
		s.meetings[id] = r
	}
	for id := range refs {
		if old, ok := s.referrals[id]; ok && s.open[old.Patient] == id {
			delete(s.open, old.Patient)
		}
	}
	for id, r := range refs {
		s.referrals[id] = r
		if r.Open() {
			s.open[r.Patient] = id
		}
	}
	for adv, d := range delta {
		s.caseload[adv] += d
	}
	for _, e := range b.Events {
		e.Seq = int64(len(s.events) + 1)
		s.events = append(s.events, e)
	}
	if len(b.EraseNotes) > 0 {
		erase := map[string]bool{}
		for _, id := range b.EraseNotes {
			erase[id] = true
		}
		for i := range s.events {
			if erase[s.events[i].Subject] {
				s.events[i].Note = ""
			}
		}
	}
	if b.Key != "" {
		s.receipts[b.Key] = prescribing.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At}
	}
	return nil
}

// rxGet returns a copy of the record with id in m.
func rxGet[T any](s *PrescribingStore, ctx context.Context, m map[string]*T, kind, id string) (*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := m[id]
	if !ok {
		return nil, fmt.Errorf("%s %s: %w", kind, id, prescribing.ErrNotFound)
	}
	return rxDeep(r), nil
}

// rxList returns copies of the records in m that keep selects, ordered by
// id, paged.
func rxList[T any](s *PrescribingStore, ctx context.Context, m map[string]*T, keep func(*T) bool, id func(*T) string, offset, limit int) ([]*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var sel []*T
	for _, r := range m {
		if keep(r) {
			sel = append(sel, r)
		}
	}
	slices.SortFunc(sel, func(a, b *T) int { return cmp.Compare(id(a), id(b)) })
	sel = pageOf(sel, offset, limit)
	out := make([]*T, len(sel))
	for i, r := range sel {
		out[i] = rxDeep(r)
	}
	s.mu.RUnlock()
	return out, nil
}

// Practice implements prescribing.Store.
func (s *PrescribingStore) Practice(ctx context.Context, id string) (*prescribing.Practice, error) {
	return rxGet(s, ctx, s.practices, "practice", id)
}

// Practices implements prescribing.Store.
func (s *PrescribingStore) Practices(ctx context.Context, f prescribing.PracticeFilter) ([]*prescribing.Practice, error) {
	return rxList(s, ctx, s.practices, func(r *prescribing.Practice) bool { return f.Area == "" || r.Area == f.Area },
		func(r *prescribing.Practice) string { return r.ID }, f.Offset, f.Limit)
}

// Staff implements prescribing.Store.
func (s *PrescribingStore) Staff(ctx context.Context, id string) (*prescribing.Staff, error) {
	return rxGet(s, ctx, s.staff, "staff", id)
}

// StaffList implements prescribing.Store.
func (s *PrescribingStore) StaffList(ctx context.Context, f prescribing.StaffFilter) ([]*prescribing.Staff, error) {
	return rxList(s, ctx, s.staff, func(r *prescribing.Staff) bool {
		return (f.Role == "" || r.Role == f.Role) && (f.Practice == "" || slices.Contains(r.Practices, f.Practice))
	}, func(r *prescribing.Staff) string { return r.ID }, f.Offset, f.Limit)
}

// Patient implements prescribing.Store.
func (s *PrescribingStore) Patient(ctx context.Context, id string) (*prescribing.Patient, error) {
	return rxGet(s, ctx, s.patients, "patient", id)
}

// PatientByNHS implements prescribing.Store.
func (s *PrescribingStore) PatientByNHS(ctx context.Context, practice string, nhs prescribing.NHSNumber) (*prescribing.Patient, error) {
	s.mu.RLock()
	id, ok := s.nhs[rxNHS{practice, nhs}]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("patient by NHS number: %w", prescribing.ErrNotFound)
	}
	return rxGet(s, ctx, s.patients, "patient", id)
}

// Patients implements prescribing.Store.
func (s *PrescribingStore) Patients(ctx context.Context, f prescribing.PatientFilter) ([]*prescribing.Patient, error) {
	var want map[prescribing.NHSNumber]bool
	if len(f.NHSNumbers) > 0 {
		want = make(map[prescribing.NHSNumber]bool, len(f.NHSNumbers))
		for _, n := range f.NHSNumbers {
			want[n] = true
		}
	}
	return rxList(s, ctx, s.patients, func(r *prescribing.Patient) bool {
		return (f.Practice == "" || r.Practice == f.Practice) && (want == nil || want[r.NHSNumber])
	}, func(r *prescribing.Patient) string { return r.ID }, f.Offset, f.Limit)
}

// ScoreSet implements prescribing.Store.
func (s *PrescribingStore) ScoreSet(ctx context.Context, id string) (*prescribing.ScoreSet, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.scoreSets[id]
	if !ok {
		return nil, fmt.Errorf("score set %s: %w", id, prescribing.ErrNotFound)
	}
	c := *r // scores are never changed in place: copying the slice is enough
	c.Scores = slices.Clone(r.Scores)
	return &c, nil
}

// Stratification implements prescribing.Store.
func (s *PrescribingStore) Stratification(ctx context.Context, id string) (*prescribing.Stratification, error) {
	return rxGet(s, ctx, s.strats, "stratification", id)
}

// Stratifications implements prescribing.Store.
func (s *PrescribingStore) Stratifications(ctx context.Context, practice string) ([]*prescribing.Stratification, error) {
	return rxList(s, ctx, s.strats, func(r *prescribing.Stratification) bool { return r.Practice == practice },
		func(r *prescribing.Stratification) string { return r.ID }, 0, 0)
}

// Meeting implements prescribing.Store.
func (s *PrescribingStore) Meeting(ctx context.Context, id string) (*prescribing.Meeting, error) {
	return rxGet(s, ctx, s.meetings, "meeting", id)
}

// Meetings implements prescribing.Store.
func (s *PrescribingStore) Meetings(ctx context.Context, practice string) ([]*prescribing.Meeting, error) {
	out, err := rxList(s, ctx, s.meetings, func(r *prescribing.Meeting) bool { return r.Practice == practice },
		func(r *prescribing.Meeting) string { return r.ID }, 0, 0)
	slices.SortStableFunc(out, func(a, b *prescribing.Meeting) int { return a.Date.Compare(b.Date) })
	return out, err
}

// Referral implements prescribing.Store.
func (s *PrescribingStore) Referral(ctx context.Context, id string) (*prescribing.Referral, error) {
	return rxGet(s, ctx, s.referrals, "referral", id)
}

// Referrals implements prescribing.Store.
func (s *PrescribingStore) Referrals(ctx context.Context, f prescribing.ReferralFilter) ([]*prescribing.Referral, error) {
	return rxList(s, ctx, s.referrals, func(r *prescribing.Referral) bool {
		return (f.Practice == "" || r.Practice == f.Practice) && (f.Patient == "" || r.Patient == f.Patient) &&
			(f.Advisor == "" || r.Advisor == f.Advisor) && (f.State == "" || r.State == f.State) &&
			(f.Open == nil || r.Open() == *f.Open) &&
			(f.From == nil || !r.CreatedAt.Before(*f.From)) && (f.To == nil || r.CreatedAt.Before(*f.To))
	}, func(r *prescribing.Referral) string { return r.ID }, f.Offset, f.Limit)
}

// Caseload implements prescribing.Store.
func (s *PrescribingStore) Caseload(ctx context.Context, advisor string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.caseload[advisor], nil
}

// Receipt implements prescribing.Store.
func (s *PrescribingStore) Receipt(ctx context.Context, key string) (*prescribing.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.receipts[key]
	if !ok {
		return nil, fmt.Errorf("receipt %q: %w", key, prescribing.ErrNotFound)
	}
	return &r, nil
}

// Events implements prescribing.Store.
func (s *PrescribingStore) Events(ctx context.Context, f prescribing.EventFilter) ([]prescribing.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var sel []prescribing.Event
	for _, e := range s.events {
		if (f.Practice == "" || e.Practice == f.Practice) && (f.Subject == "" || e.Subject == f.Subject) && e.Seq > f.After {
			sel = append(sel, e)
		}
	}
	return slices.Clone(pageOf(sel, f.Offset, f.Limit)), nil
}
