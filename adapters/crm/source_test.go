package crm_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/crm/record"
)

// memCRM is a CRM held in memory: its change log is a list of records,
// and a cursor is the number of records read.
type memCRM struct{ log []crm.Record }

// add appends changes to the log.
func (m *memCRM) add(rs ...crm.Record) { m.log = append(m.log, rs...) }

// Pull sends the records of req.Kinds after the cursor.
func (m *memCRM) Pull(ctx context.Context, req crm.PullRequest, send func(crm.Batch) error) error {
	from := 0
	if req.Cursor != "" {
		n, err := strconv.Atoi(req.Cursor)
		if err != nil || n < 0 || n > len(m.log) {
			return fmt.Errorf("cursor %q: %w", req.Cursor, record.ErrBadCursor)
		}
		from = n
	}
	size := req.BatchSize
	if size <= 0 {
		size = 100
	}
	var b crm.Batch
	for i := from; i < len(m.log); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(req.Kinds) == 0 || slices.Contains(req.Kinds, m.log[i].Kind) {
			b.Records = append(b.Records, m.log[i])
		}
		if len(b.Records) == size || i == len(m.log)-1 {
			b.Cursor = strconv.Itoa(i + 1)
			if err := send(b); err != nil {
				return err
			}
			b = crm.Batch{}
		}
	}
	return nil
}

// rec is a record of the CRM.
func rec(k crm.Kind, id string, v int64, kv ...string) crm.Record {
	f := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return crm.Record{Kind: k, ExternalID: id, Version: v, Fields: f}
}
