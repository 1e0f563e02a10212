package crm

import (
	"context"
	"maps"
)

// Marks keeps named high-water marks for push feeds.
type Marks interface {
	Mark(ctx context.Context, name string) (string, error)
	SetMark(ctx context.Context, name, value string) error
}

// Mark returns the high-water mark of the feed called name ("" before
// its first SetMark).
func (s *FileState) Mark(_ context.Context, name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return "", err
	}
	return s.data.Marks[name], nil
}

// SetMark durably records value as the high-water mark of the feed called
// name, replacing the file atomically as Commit does; the cursor and
// links are kept.
func (s *FileState) SetMark(_ context.Context, name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return err
	}
	next := s.data
	next.Marks = maps.Clone(s.data.Marks)
	if next.Marks == nil {
		next.Marks = map[string]string{}
	}
	next.Marks[name] = value
	return s.save(next)
}

var (
	_ State = (*FileState)(nil)
	_ Marks = (*FileState)(nil)
)
