package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/strongertogether/community/adapters/internal/localityrec"
	"github.com/strongertogether/community/hubs/locality"
)

// localityRaw keeps the locality records in their stored format
// (adapters/internal/localityrec), as the SQL stores do, so a read is
// always a copy; a whole batch is checked before any of it is written,
// under one lock.
type localityRaw struct {
	mu       sync.RWMutex
	rows     map[string]map[string]localityrec.Row // kind → id → row
	receipts map[string]locality.Receipt
	secret   []byte
}

// NewLocalityStore returns an empty in-memory locality.Store.
func NewLocalityStore() locality.Store {
	return localityrec.Store{Raw: &localityRaw{rows: map[string]map[string]localityrec.Row{}, receipts: map[string]locality.Receipt{}, secret: newSecret()}}
}

func (s *localityRaw) Secret(context.Context) ([]byte, error) { return s.secret, nil }

func (s *localityRaw) ApplyRows(_ context.Context, rows []localityrec.Row, b *locality.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.Key != "" {
		if _, ok := s.receipts[b.Key]; ok {
			return locality.ErrDuplicateKey
		}
	}
	seen := map[[2]string]int64{}
	for _, r := range rows {
		k := [2]string{r.Kind, r.ID}
		prev, inBatch := seen[k]
		old, stored := s.rows[r.Kind][r.ID]
		cur := int64(0)
		switch {
		case inBatch:
			cur = prev
		case stored:
			cur = old.Version
		}
		switch {
		case r.Version == 1 && cur != 0:
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, locality.ErrConflict)
		case r.Version > 1 && cur == 0:
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, locality.ErrNotFound)
		case r.Version > 1 && cur != r.Version-1:
			return fmt.Errorf("update %s %s to version %d: %w", r.Kind, r.ID, r.Version, locality.ErrConflict)
		}
		seen[k] = r.Version
	}
	for _, r := range rows {
		if s.rows[r.Kind] == nil {
			s.rows[r.Kind] = map[string]localityrec.Row{}
		}
		s.rows[r.Kind][r.ID] = r
	}
	if b.Key != "" {
		s.receipts[b.Key] = locality.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At}
	}
	return nil
}

func (s *localityRaw) Receipt(_ context.Context, key string) (*locality.Receipt, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.receipts[key]
	if !ok {
		return nil, fmt.Errorf("receipt: %w", locality.ErrNotFound)
	}
	return &r, nil
}

func (s *localityRaw) One(_ context.Context, kind, id string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.rows[kind][id]
	if !ok {
		return nil, fmt.Errorf("%s %s: %w", kind, id, locality.ErrNotFound)
	}
	return slices.Clone(r.Body), nil
}

func (s *localityRaw) Many(_ context.Context, kind string, q locality.Query) ([][]byte, error) {
	from, to := localityrec.Micros(q.From), localityrec.Micros(q.To)
	s.mu.RLock()
	var sel []localityrec.Row
	for _, r := range s.rows[kind] {
		if (q.Area != "" && r.Area != q.Area) || (q.Person != "" && r.Person != q.Person) ||
			(!q.From.IsZero() && r.On < from) || (!q.To.IsZero() && r.On >= to) {
			continue
		}
		sel = append(sel, r)
	}
	s.mu.RUnlock()
	slices.SortFunc(sel, func(a, b localityrec.Row) int {
		return cmp.Or(cmp.Compare(a.On, b.On), cmp.Compare(a.ID, b.ID))
	})
	out := make([][]byte, len(sel))
	for i, r := range sel {
		out[i] = slices.Clone(r.Body)
	}
	return out, nil
}
