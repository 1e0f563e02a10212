package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	hclog "github.com/hashicorp/go-hclog"

	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/crm/sdk"
)

// files names the CSV file of each kind the folder holds, in the order
// Pull reads them.
var files = []struct {
	kind sdk.Kind
	name string
}{
	{sdk.Person, "people.csv"},
	{sdk.Organisation, "organisations.csv"},
	{sdk.Volunteer, "volunteers.csv"},
	{sdk.Referral, "referrals.csv"},
	{sdk.GrantApplication, "grant_applications.csv"},
	{sdk.HubEvent, "hub_events.csv"},
	{sdk.HubVisit, "hub_visits.csv"},
}

// pushFile is the CSV file a kind of pushed item is appended to: the
// columns id, external_id and version, then the item's fields.
type pushFile struct {
	kind   sdk.Kind
	name   string
	fields []string
}

// pushFiles names the file of each kind the folder takes back.
var pushFiles = []pushFile{
	{sdk.GrantAward, "awards.csv", []string{"application", "amount"}},
	{sdk.ReferralStatus, "referral_statuses.csv", []string{"referral", "status", "at"}},
	{sdk.MemberJoined, "members_joined.csv", []string{"member", "bank", "kind", "joined"}},
}

// folder is the CSV "CRM".
type folder struct {
	dir string
	log hclog.Logger

	mu      sync.Mutex
	applied map[string]bool // ids in the push files; nil until read
}

func newFolder(dir string, log hclog.Logger) *folder { return &folder{dir: dir, log: log} }

func (f *folder) Describe(context.Context) (sdk.Description, error) {
	d := sdk.Description{Name: "csv-folder", Version: "1.0.0", Capabilities: []sdk.Capability{sdk.CanPull, sdk.CanPush}}
	for _, fl := range files {
		d.Kinds = append(d.Kinds, fl.kind)
	}
	return d, nil
}

// cursor is the number of data rows read of each kind's file, written
// "v1;person=0;organisation=12;…".
type cursor map[sdk.Kind]int

func parseCursor(s string) (cursor, error) {
	c := cursor{}
	if s == "" {
		return c, nil
	}
	parts := strings.Split(s, ";")
	if parts[0] != "v1" {
		return nil, fmt.Errorf("cursor: not a csv-folder v1 cursor: %w", sdk.ErrBadCursor)
	}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("cursor: bad part %.20q: %w", p, sdk.ErrBadCursor)
		}
		c[sdk.Kind(k)] = n
	}
	return c, nil
}

func (c cursor) String() string {
	var b strings.Builder
	b.WriteString("v1")
	for _, fl := range files {
		fmt.Fprintf(&b, ";%s=%d", fl.kind, c[fl.kind])
	}
	return b.String()
}

// Pull reads each asked kind's file from the row the cursor names and
// sends its rows in batches.
func (f *folder) Pull(ctx context.Context, req sdk.PullRequest, send func(sdk.Batch) error) error {
	cur, err := parseCursor(req.Cursor)
	if err != nil {
		return err
	}
	size := req.BatchSize
	if size <= 0 || size > record.MaxBatch {
		size = record.MaxBatch
	}
	var b sdk.Batch
	flush := func() error {
		if len(b.Records) == 0 {
			return nil
		}
		b.Cursor = cur.String()
		err := send(b)
		b = sdk.Batch{}
		return err
	}
	for _, fl := range files {
		if len(req.Kinds) > 0 && !slices.Contains(req.Kinds, fl.kind) {
			continue
		}
		err := f.rows(fl.name, cur[fl.kind], func(r sdk.Record) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			r.Kind = fl.kind
			b.Records = append(b.Records, r)
			cur[fl.kind]++
			if len(b.Records) == size {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := flush(); err != nil {
		return err
	}
	f.log.Debug("pull done", "cursor", cur.String())
	return nil
}

// rows calls fn with each data row of a file from row skip on.
func (f *folder) rows(name string, skip int, fn func(sdk.Record) error) error {
	fh, err := os.Open(filepath.Join(f.dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer fh.Close()
	cr := csv.NewReader(fh)
	cr.ReuseRecord = false
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(head) < 2 || head[0] != "external_id" || head[1] != "version" {
		return fmt.Errorf("%s: the header must start external_id,version", name)
	}
	for i := 0; ; i++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if i < skip {
			continue
		}
		v, err := strconv.ParseInt(row[1], 10, 64)
		if err != nil {
			return fmt.Errorf("%s row %d: version: %w", name, i+2, err)
		}
		r := sdk.Record{ExternalID: row[0], Version: v, Fields: make(map[string]string, len(head)-2)}
		for j := 2; j < len(head); j++ {
			r.Fields[head[j]] = row[j]
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

// Applied reports whether a push file holds the id.
func (f *folder) Applied(_ context.Context, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.loadApplied(); err != nil {
		return false, err
	}
	return f.applied[id], nil
}

// loadApplied reads the ids of every push file.
func (f *folder) loadApplied() error {
	if f.applied != nil {
		return nil
	}
	applied := map[string]bool{}
	for _, pf := range pushFiles {
		fh, err := os.Open(filepath.Join(f.dir, pf.name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		rows, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", pf.name, err)
		}
		for _, r := range rows[min(1, len(rows)):] {
			applied[r[0]] = true
		}
	}
	f.applied = applied
	return nil
}

// Apply appends a pushed item to its kind's push file.
func (f *folder) Apply(_ context.Context, it sdk.Item) error {
	i := slices.IndexFunc(pushFiles, func(pf pushFile) bool { return pf.kind == it.Record.Kind })
	if i < 0 {
		return fmt.Errorf("this CRM takes grant awards, referral statuses and members joined, not %s", it.Record.Kind)
	}
	pf := pushFiles[i]
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.loadApplied(); err != nil {
		return err
	}
	path := filepath.Join(f.dir, pf.name)
	_, statErr := os.Stat(path)
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	w := csv.NewWriter(fh)
	if errors.Is(statErr, os.ErrNotExist) {
		_ = w.Write(append([]string{"id", "external_id", "version"}, pf.fields...))
	}
	r := it.Record
	row := []string{it.ID, r.ExternalID, strconv.FormatInt(r.Version, 10)}
	for _, c := range pf.fields {
		row = append(row, r.Fields[c])
	}
	_ = w.Write(row)
	w.Flush()
	if err := w.Error(); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Sync(); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	f.applied[it.ID] = true
	f.log.Info("item applied", "id", it.ID, "kind", it.Record.Kind)
	return nil
}
