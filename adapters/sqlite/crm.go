package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

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
		return nil, errors.New("sqlite: crm state: the source is required")
	}
	return &CRMState{db: db, source: source}, nil
}

// Cursor returns the cursor after the last batch committed ("" at first).
func (s *CRMState) Cursor(ctx context.Context) (string, error) {
	var cur string
	err := s.db.reader.QueryRowContext(ctx, `SELECT cursor FROM crm_cursors WHERE source = ?`, s.source).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
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
	err := s.db.reader.QueryRowContext(ctx, `SELECT id, version FROM crm_links WHERE source = ? AND kind = ? AND external_id = ?`,
		s.source, string(k), externalID).Scan(&l.ID, &l.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Link{}, false, nil
	}
	if err != nil {
		return crm.Link{}, false, fmt.Errorf("crm state %s: link: %w", s.source, err)
	}
	return l, true, nil
}

// linkChunk is the most links one statement reads or writes.
const linkChunk = 64

// Links returns the links of those of ids that were committed.
func (s *CRMState) Links(ctx context.Context, k crm.Kind, ids []string) (map[string]crm.Link, error) {
	out := make(map[string]crm.Link, len(ids))
	i := 0
	for _, n := range rowChunks(len(ids), linkChunk) {
		args := make([]any, 0, n+2)
		args = append(args, s.source, string(k))
		for _, id := range ids[i : i+n] {
			args = append(args, id)
		}
		i += n
		st, err := s.db.readStmt(ctx, `SELECT external_id, id, version FROM crm_links WHERE source = ? AND kind = ? AND external_id IN (`+placeholders(n)+`)`)
		if err != nil {
			return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
		}
		for rows.Next() {
			var ext string
			var l crm.Link
			if err := rows.Scan(&ext, &l.ID, &l.Version); err != nil {
				rows.Close()
				return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
			}
			out[ext] = l
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("crm state %s: links: %w", s.source, err)
		}
	}
	return out, nil
}

// Commit records a batch's links and the cursor after it in one
// transaction. A link replaces the one stored for its crm.
func (s *CRMState) Commit(ctx context.Context, cursor string, links map[crm.LinkKey]crm.Link) error {
	type row struct {
		k crm.LinkKey
		l crm.Link
	}
	rows := make([]row, 0, len(links))
	for k, l := range links {
		rows = append(rows, row{k, l})
	}
	// In key order, as the table keeps them: each insert lands beside the
	// last instead of at a random place, so fewer pages are rewritten.
	slices.SortFunc(rows, func(a, b row) int {
		if c := strings.Compare(string(a.k.Kind), string(b.k.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.k.ExternalID, b.k.ExternalID)
	})
	err := s.db.write(ctx, func(tx *writeTx) error {
		i := 0
		for _, n := range rowChunks(len(rows), linkChunk) {
			st, err := tx.stmt(`INSERT INTO crm_links (source, kind, external_id, id, version) VALUES ` + valuesRows(n, 5) +
				` ON CONFLICT (source, kind, external_id) DO UPDATE SET id = excluded.id, version = excluded.version`)
			if err != nil {
				return err
			}
			for j, r := range rows[i : i+n] {
				st.text(5*j+1, s.source)
				st.text(5*j+2, string(r.k.Kind))
				st.text(5*j+3, r.k.ExternalID)
				st.text(5*j+4, r.l.ID)
				st.int64(5*j+5, r.l.Version)
			}
			if err := st.exec(); err != nil {
				return err
			}
			i += n
		}
		_, err := tx.exec(`INSERT INTO crm_cursors (source, cursor) VALUES (?, ?)
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
	err := s.db.reader.QueryRowContext(ctx, `SELECT value FROM crm_marks WHERE source = ? AND name = ?`, s.source, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("crm state %s: mark: %w", s.source, err)
	}
	return v, nil
}

// SetMark sets a named mark.
func (s *CRMState) SetMark(ctx context.Context, name, value string) error {
	err := s.db.write(ctx, func(tx *writeTx) error {
		_, err := tx.exec(`INSERT INTO crm_marks (source, name, value) VALUES (?, ?, ?)
			ON CONFLICT (source, name) DO UPDATE SET value = excluded.value`, s.source, name, value)
		return err
	})
	if err != nil {
		return fmt.Errorf("crm state %s: set mark: %w", s.source, err)
	}
	return nil
}
