package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	crm "github.com/strongertogether/community/adapters/crm/record"
)

// CRMState is the CRM sync engine's durable state (record.State, which
// adapters/crm's Engine takes) for one source, a plugin, kept in the
// database beside the domains' records (migration 0018): the cursor in
// crm_cursors, a link per CRM record in crm_links, and named marks, such
// as a push feed's high-water mark, in crm_marks. Commit writes a batch's
// links and its cursor in one transaction, so the cursor never stands
// past a batch whose links are not stored. Several sources share a
// database apart.
type CRMState struct {
	db     *DB
	source string
}

var (
	_ crm.State      = (*CRMState)(nil)
	_ crm.LinkReader = (*CRMState)(nil)
)

// NewCRMState returns the state of source (a plugin's name, as the host
// calls it) in db. It refuses an empty source.
func NewCRMState(db *DB, source string) (*CRMState, error) {
	if strings.TrimSpace(source) == "" {
		return nil, errors.New("postgres: crm state: the source is required")
	}
	return &CRMState{db: db, source: source}, nil
}

// Cursor returns the cursor after the last batch committed ("" at first).
func (s *CRMState) Cursor(ctx context.Context) (string, error) {
	var cur string
	err := s.db.pool.QueryRow(ctx, `SELECT cursor FROM crm_cursors WHERE source = $1`, s.source).Scan(&cur)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("crm state %s: cursor: %w", s.source, err)
	}
	return cur, nil
}

// Link returns the link of a record, if it was committed.
func (s *CRMState) Link(ctx context.Context, k crm.Kind, externalID string) (crm.Link, bool, error) {
	var l crm.Link
	err := s.db.pool.QueryRow(ctx, `SELECT id, version FROM crm_links WHERE source = $1 AND kind = $2 AND external_id = $3`,
		s.source, string(k), externalID).Scan(&l.ID, &l.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return crm.Link{}, false, nil
	}
	if err != nil {
		return crm.Link{}, false, fmt.Errorf("crm state %s: link: %w", s.source, err)
	}
	return l, true, nil
}

// Links returns the links of those of ids that were committed, in one
// query.
func (s *CRMState) Links(ctx context.Context, k crm.Kind, ids []string) (map[string]crm.Link, error) {
	out := make(map[string]crm.Link, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.pool.Query(ctx, `SELECT external_id, id, version FROM crm_links
		WHERE source = $1 AND kind = $2 AND external_id = ANY($3::text[])`, s.source, string(k), ids)
	if err != nil {
		return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
	}
	defer rows.Close()
	for rows.Next() {
		var ext string
		var l crm.Link
		if err := rows.Scan(&ext, &l.ID, &l.Version); err != nil {
			return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
		}
		out[ext] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
	}
	return out, nil
}

// Commit records a batch's links and the cursor after it in one
// transaction. A link replaces the one stored for its record.
func (s *CRMState) Commit(ctx context.Context, cursor string, links map[crm.LinkKey]crm.Link) error {
	kinds, exts, ids, versions := make([]string, 0, len(links)), make([]string, 0, len(links)), make([]string, 0, len(links)), make([]int64, 0, len(links))
	for k, l := range links {
		kinds, exts, ids, versions = append(kinds, string(k.Kind)), append(exts, k.ExternalID), append(ids, l.ID), append(versions, l.Version)
	}
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if len(links) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO crm_links (source, kind, external_id, id, version)
				SELECT $1, k, e, i, v FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS t (k, e, i, v)
				ON CONFLICT (source, kind, external_id) DO UPDATE SET id = excluded.id, version = excluded.version`,
				s.source, kinds, exts, ids, versions); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO crm_cursors (source, cursor) VALUES ($1, $2)
			ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor`, s.source, cursor)
		return err
	})
	if err != nil {
		return fmt.Errorf("crm state %s: commit: %w", s.source, err)
	}
	return nil
}

// Mark returns the value of a named mark ("" if it was never set).
func (s *CRMState) Mark(ctx context.Context, name string) (string, error) {
	var v string
	err := s.db.pool.QueryRow(ctx, `SELECT value FROM crm_marks WHERE source = $1 AND name = $2`, s.source, name).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("crm state %s: mark: %w", s.source, err)
	}
	return v, nil
}

// SetMark sets a named mark.
func (s *CRMState) SetMark(ctx context.Context, name, value string) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO crm_marks (source, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (source, name) DO UPDATE SET value = excluded.value`, s.source, name, value)
	if err != nil {
		return fmt.Errorf("crm state %s: set mark: %w", s.source, err)
	}
	return nil
}
