package crm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
)

// Applier stores the records of one kind through a domain's Service, so
// every rule, role and audit entry applies. Create stores a new record
// and returns its domain id; Update changes the record stored as id. Each
// gets an idempotency key made of the record's kind, CRM id and version:
// a replay with the same key must return the first result (the Services'
// call.Write keys do). An error wrapped by Reject reports the record as
// bad and skips it; any other error stops the sync.
type Applier interface {
	Create(ctx context.Context, key string, r Record) (id string, err error)
	Update(ctx context.Context, key string, id string, r Record) error
}

// Source is what the engine pulls from: a *Plugin, or anything with its
// Pull.
type Source interface {
	Pull(ctx context.Context, req PullRequest, send func(Batch) error) error
}

type rejected struct{ err error }

func (r rejected) Error() string { return r.err.Error() }
func (r rejected) Unwrap() error { return r.err }

// Reject marks err as a fault of the record (invalid, refused by a
// Service's rules): the engine reports and skips the record.
func Reject(err error) error { return rejected{err} }

// RecordError is a record the engine skipped, and why. It names ids only.
type RecordError struct {
	Kind       Kind
	ExternalID string
	Version    int64
	Err        error
}

func (e RecordError) Error() string {
	return fmt.Sprintf("%s %s v%d: %v", e.Kind, e.ExternalID, e.Version, e.Err)
}

// Report is what one Sync did.
type Report struct {
	Batches   int
	Created   int
	Updated   int
	Unchanged int // records already stored at this version or a later one
	Errors    []RecordError
	Cursor    string
}

// Engine syncs a plugin's records into the domains.
type Engine struct {
	src       Source
	state     State
	appliers  map[Kind]Applier
	batchSize int
	log       *slog.Logger
}

// NewEngine returns an Engine pulling from src, remembering in state, and
// storing each kind through its Applier. Kinds without one are not
// pulled.
func NewEngine(src Source, state State, appliers map[Kind]Applier, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Engine{src: src, state: state, appliers: appliers, batchSize: 500, log: log}
}

// SetBatchSize sets the most records asked for per batch (default 500).
func (e *Engine) SetBatchSize(n int) { e.batchSize = n }

// Key returns the idempotency key of a record: its kind, CRM id and
// version. The id is length-prefixed so no two records share a key.
func Key(r Record) string {
	return "crm:" + string(r.Kind) + ":" + strconv.Itoa(len(r.ExternalID)) + ":" + r.ExternalID + "@" + strconv.FormatInt(r.Version, 10)
}

// Sync pulls every record changed since the durable cursor and stores it.
// After each batch is stored it commits the batch's links and the cursor
// after it, so a sync stopped by a crash resumes after the last batch
// committed, and a batch stored twice changes nothing (the links and the
// Services' keys see to it). A bad record is reported in Report.Errors and
// skipped, never half-stored; the first other error stops the sync.
func (e *Engine) Sync(ctx context.Context) (Report, error) {
	var rep Report
	cur, err := e.state.Cursor(ctx)
	if err != nil {
		return rep, fmt.Errorf("sync: %w", err)
	}
	rep.Cursor = cur
	var kinds []Kind
	for k := range e.appliers {
		kinds = append(kinds, k)
	}
	err = e.src.Pull(ctx, PullRequest{Cursor: cur, Kinds: kinds, BatchSize: e.batchSize}, func(b Batch) error {
		links := map[LinkKey]Link{}
		for _, r := range b.Records {
			if err := e.apply(ctx, r, links, &rep); err != nil {
				return err
			}
		}
		if err := e.state.Commit(ctx, b.Cursor, links); err != nil {
			return fmt.Errorf("sync: %w", err)
		}
		rep.Batches++
		rep.Cursor = b.Cursor
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("sync: %w", err)
	}
	e.log.Info("crm sync", "batches", rep.Batches, "created", rep.Created, "updated", rep.Updated,
		"unchanged", rep.Unchanged, "rejected", len(rep.Errors))
	return rep, nil
}

func (e *Engine) apply(ctx context.Context, r Record, links map[LinkKey]Link, rep *Report) error {
	a, ok := e.appliers[r.Kind]
	if !ok {
		rep.Errors = append(rep.Errors, RecordError{r.Kind, r.ExternalID, r.Version, errors.New("no applier for this kind")})
		return nil
	}
	lk := LinkKey{r.Kind, r.ExternalID}
	l, ok := links[lk]
	if !ok {
		var err error
		if l, ok, err = e.state.Link(ctx, r.Kind, r.ExternalID); err != nil {
			return fmt.Errorf("sync: %w", err)
		}
	}
	if ok && r.Version <= l.Version {
		rep.Unchanged++
		return nil
	}
	var err error
	if ok {
		err = a.Update(ctx, Key(r), l.ID, r)
		if err == nil {
			links[lk] = Link{ID: l.ID, Version: r.Version}
			rep.Updated++
		}
	} else {
		var id string
		id, err = a.Create(ctx, Key(r), r)
		if err == nil {
			links[lk] = Link{ID: id, Version: r.Version}
			rep.Created++
		}
	}
	var rj rejected
	if errors.As(err, &rj) {
		e.log.Warn("crm record rejected", "kind", r.Kind, "external_id", r.ExternalID, "version", r.Version)
		rep.Errors = append(rep.Errors, RecordError{r.Kind, r.ExternalID, r.Version, rj.err})
		return nil
	}
	if err != nil {
		return fmt.Errorf("sync %s %s: %w", r.Kind, r.ExternalID, err)
	}
	return nil
}
