package crm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/strongertogether/community/adapters/crm/record"
)

// Link is what the sync engine remembers of one CRM record: the domain id
// it was stored as and the CRM version stored.
type Link = record.Link

// State is the sync engine's durable memory for one plugin: the cursor
// after the last batch stored, and the link of every record stored.
// FileState keeps it in a file; sqlite.CRMState and postgres.CRMState in
// the database the domains' stores use.
type State = record.State

// LinkReader is a State that reads the links of many records at once.
type LinkReader = record.LinkReader

// LinkKey names a record of the CRM: its kind and external id.
type LinkKey = record.LinkKey

// FileState is a State (and the Marks of push feeds) kept in one JSON
// file, replaced atomically (write, fsync, rename) on every Commit and
// SetMark, so a crash leaves the old state or the new one. It suits one
// host process per file.
type FileState struct {
	path  string
	mu    sync.Mutex
	data  fileData
	ready bool
}

type fileData struct {
	Format int                      `json:"format"`
	Cursor string                   `json:"cursor"`
	Links  map[Kind]map[string]Link `json:"links"`
	Marks  map[string]string        `json:"marks,omitempty"` // push feeds' high-water marks (marks.go)
}

// NewFileState returns the State kept at path (made on the first Commit).
func NewFileState(path string) *FileState { return &FileState{path: path} }

func (s *FileState) load() error {
	if s.ready {
		return nil
	}
	b, err := os.ReadFile(s.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		s.data = fileData{Format: 1, Links: map[Kind]map[string]Link{}}
	case err != nil:
		return fmt.Errorf("crm state %s: %w", s.path, err)
	default:
		if err := json.Unmarshal(b, &s.data); err != nil {
			return fmt.Errorf("crm state %s: %w", s.path, err)
		}
		if s.data.Format != 1 {
			return fmt.Errorf("crm state %s: format %d is not 1", s.path, s.data.Format)
		}
		if s.data.Links == nil {
			s.data.Links = map[Kind]map[string]Link{}
		}
	}
	s.ready = true
	return nil
}

// Cursor returns the cursor after the last batch committed ("" at first).
func (s *FileState) Cursor(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return "", err
	}
	return s.data.Cursor, nil
}

// Link returns the link of a record, if it was committed.
func (s *FileState) Link(_ context.Context, k Kind, id string) (Link, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return Link{}, false, err
	}
	l, ok := s.data.Links[k][id]
	return l, ok, nil
}

// Links returns the links of those of ids that were committed.
func (s *FileState) Links(_ context.Context, k Kind, ids []string) (map[string]Link, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return nil, err
	}
	out := make(map[string]Link, len(ids))
	for _, id := range ids {
		if l, ok := s.data.Links[k][id]; ok {
			out[id] = l
		}
	}
	return out, nil
}

// Commit records links and cursor and writes the file.
func (s *FileState) Commit(_ context.Context, cursor string, links map[LinkKey]Link) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return err
	}
	next := fileData{Format: 1, Cursor: cursor, Links: make(map[Kind]map[string]Link, len(s.data.Links)), Marks: s.data.Marks}
	for k, m := range s.data.Links {
		next.Links[k] = m
	}
	copied := map[Kind]bool{}
	for k, l := range links {
		if !copied[k.Kind] {
			// Copy the kind's map before changing it: s.data keeps the
			// old one unless the file is written.
			m := make(map[string]Link, len(next.Links[k.Kind])+len(links))
			for id, x := range next.Links[k.Kind] {
				m[id] = x
			}
			next.Links[k.Kind] = m
			copied[k.Kind] = true
		}
		next.Links[k.Kind][k.ExternalID] = l
	}
	return s.save(next)
}

// save writes next to the file atomically and makes it the state. The
// caller holds s.mu.
func (s *FileState) save(next fileData) error {
	b, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("crm state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".crmstate-*")
	if err != nil {
		return fmt.Errorf("crm state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("crm state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("crm state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("crm state: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("crm state: %w", err)
	}
	s.data = next
	return nil
}
