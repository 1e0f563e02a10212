package crm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"

	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/internal/idem"
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

// Change is one record for a BatchApplier to store: under its
// idempotency key (Key), either created (ID empty) or applied as an update
// to the domain record ID it is linked to.
type Change struct {
	Key    string
	ID     string
	Record Record
}

// Applied is the outcome of one Change: the domain id the record is
// stored as, or Err. An Err wrapped by Reject reports the record as bad
// and skips it; any other Err stops the sync once the batch's other
// records are linked.
type Applied struct {
	ID  string
	Err error
}

// BatchApplier is an Applier that stores many records at once, in one
// store transaction where its Service has a batched write. When an
// applier has it, the engine hands it the records of each pulled batch
// together instead of calling Create and Update once per record. It
// returns one Applied per change, in order. Its error return stops the
// sync with nothing of the changes linked: it must mean nothing was
// stored, or that what was stored replays by key.
type BatchApplier interface {
	Applier
	ApplyBatch(ctx context.Context, changes []Change) ([]Applied, error)
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

// rejectIf returns err as a rejected record's error (Reject) when it is
// one of a domain's sentinels for a record's own fault, and err unchanged
// otherwise (nil stays nil).
func rejectIf(err error, sentinels ...error) error {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return Reject(err)
		}
	}
	return err
}

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
	group     int // the most records stored together from waiting batches
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

// SetGroup lets the engine store, in one go, pulled batches that are
// already waiting while it stores the last, up to n records together (a
// batch larger than n alone): their records go to a BatchApplier in one
// call (one store transaction where its Service has a batched write, such
// as hubs' ImportVolunteers, up to hubs.MaxVolunteerChanges) and their
// links and the last batch's cursor are committed once. Fewer, larger
// transactions rewrite fewer index pages. The default, 0, stores each
// pulled batch alone. What is grouped depends on timing; what is stored
// does not.
func (e *Engine) SetGroup(n int) { e.group = n }

// Key returns the idempotency key of a record: its kind, CRM id and
// version, with the id length-prefixed so no two records share a key. A
// key that would be longer than the Services take (idem.MaxKey, 200
// bytes) has the id replaced by "#" and the id's SHA-256 in hex, which no
// length prefix begins with; every key that fits is written plain, so it
// is the key an earlier sync used for the record.
func Key(r Record) string {
	v := strconv.FormatInt(r.Version, 10)
	if k := "crm:" + string(r.Kind) + ":" + strconv.Itoa(len(r.ExternalID)) + ":" + r.ExternalID + "@" + v; len(k) <= idem.MaxKey {
		return k
	}
	sum := sha256.Sum256([]byte(r.ExternalID))
	return "crm:" + string(r.Kind) + ":#" + hex.EncodeToString(sum[:]) + "@" + v
}

// stepKey returns the key of a further step an applier takes for the
// record with key: key, "/" and step, or, should that be longer than the
// Services take, "crm:#" and its SHA-256 in hex.
func stepKey(key, step string) string {
	k := key + "/" + step
	if len(k) <= idem.MaxKey {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return "crm:#" + hex.EncodeToString(sum[:])
}

// Sync pulls every record changed since the durable cursor and stores it.
// After each batch is stored it commits the batch's links and the cursor
// after it, so a sync stopped by a crash resumes after the last batch
// committed, and a batch stored twice changes nothing (the links and the
// Services' keys see to it). A bad record is reported in Report.Errors and
// skipped, never half-stored; the first other error stops the sync.
//
// The pull runs ahead of the store by one batch (by up to the group's
// records, with SetGroup): the next batch is received while the last is
// stored. Batches the plugin sent before a
// pull fails (a crash, a deadline) are stored all the same; after a store
// failure nothing more is stored and the pull is cancelled.
func (e *Engine) Sync(ctx context.Context) (Report, error) {
	var rep Report
	cur, err := e.state.Cursor(ctx)
	if err != nil {
		return rep, fmt.Errorf("sync: %w", err)
	}
	rep.Cursor = cur
	// In the protocol's order (volunteers before their sessions), so a
	// plugin that sends kinds in the order asked sends a record before
	// the records that name it.
	var kinds []Kind
	for _, k := range record.Kinds() {
		if _, ok := e.appliers[k]; ok {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) < len(e.appliers) { // kinds protocol v1 does not carry
		var more []Kind
		for k := range e.appliers {
			if !slices.Contains(kinds, k) {
				more = append(more, k)
			}
		}
		slices.Sort(more)
		kinds = append(kinds, more...)
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ahead := make(chan Batch, 1+e.group/max(1, e.batchSize))
	var pullErr error
	pulled := make(chan struct{})
	go func() {
		defer close(pulled)
		defer close(ahead)
		pullErr = e.src.Pull(pctx, PullRequest{Cursor: cur, Kinds: kinds, BatchSize: e.batchSize}, func(b Batch) error {
			select {
			case ahead <- b:
				return nil
			case <-pctx.Done():
				return pctx.Err()
			}
		})
	}()
	var storeErr error
	var next *Batch // a batch received but left for the next group
	for {
		var b Batch
		if next != nil {
			b, next = *next, nil
		} else {
			var ok bool
			if b, ok = <-ahead; !ok {
				break
			}
		}
		if storeErr != nil {
			continue // drain: the pull sees its context cancelled
		}
		n := 1
		if e.group > 0 {
			b.Records = slices.Clone(b.Records)
		group:
			for len(b.Records) < e.group {
				select {
				case more, ok := <-ahead:
					if !ok {
						break group
					}
					if len(b.Records)+len(more.Records) > e.group {
						next = &more
						break group
					}
					b.Records, b.Cursor = append(b.Records, more.Records...), more.Cursor
					n++
				default:
					break group
				}
			}
		}
		if err := e.storeBatch(ctx, b, n, &rep); err != nil {
			storeErr = err
			cancel()
		}
	}
	<-pulled
	switch {
	case storeErr != nil:
		return rep, fmt.Errorf("sync: %w", storeErr)
	case pullErr != nil:
		return rep, fmt.Errorf("sync: %w", pullErr)
	}
	e.log.Info("crm sync", "batches", rep.Batches, "created", rep.Created, "updated", rep.Updated,
		"unchanged", rep.Unchanged, "rejected", len(rep.Errors))
	return rep, nil
}

// storeBatch stores one pulled batch (or n of them, grouped) and commits
// its links and the cursor after it.
func (e *Engine) storeBatch(ctx context.Context, b Batch, n int, rep *Report) error {
	links, err := e.store(ctx, b.Records, rep)
	if err != nil {
		// Link what was stored, but keep the cursor before the batch: a
		// re-run pulls it again and finds those records linked.
		if len(links) > 0 {
			if cerr := e.state.Commit(ctx, rep.Cursor, links); cerr != nil {
				err = errors.Join(err, fmt.Errorf("sync: %w", cerr))
			}
		}
		return err
	}
	if err := e.state.Commit(ctx, b.Cursor, links); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	rep.Batches += n
	rep.Cursor = b.Cursor
	return nil
}

// store stores one pulled batch's records, in order, and returns the
// links of those it stored. Records of a kind whose applier is a
// BatchApplier go to it in runs: a run ends at a record of another kind
// or at a second version of a record already in the run (it needs the
// first's link).
func (e *Engine) store(ctx context.Context, recs []Record, rep *Report) (map[LinkKey]Link, error) {
	links := map[LinkKey]Link{}
	known, err := e.readLinks(ctx, recs)
	if err != nil {
		return links, err
	}
	ctx = context.WithValue(ctx, syncLinksKey{}, &syncLinks{state: e.state, stored: links, known: known})
	var run []Change
	var runApplier BatchApplier
	inRun := map[LinkKey]bool{}
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		err := e.applyRun(ctx, runApplier, run, links, rep)
		run, runApplier = run[:0], nil
		clear(inRun)
		return err
	}
	for _, r := range recs {
		a, ok := e.appliers[r.Kind]
		ba, batched := a.(BatchApplier)
		lk := LinkKey{Kind: r.Kind, ExternalID: r.ExternalID}
		if !batched || (runApplier != nil && (r.Kind != run[0].Record.Kind || inRun[lk])) {
			if err := flush(); err != nil {
				return links, err
			}
		}
		if !ok {
			rep.Errors = append(rep.Errors, RecordError{r.Kind, r.ExternalID, r.Version, errors.New("no applier for this kind")})
			continue
		}
		l, linked := links[lk]
		if !linked {
			l, linked = known[lk]
		}
		if linked && r.Version <= l.Version {
			rep.Unchanged++
			continue
		}
		if !batched {
			if err := e.apply(ctx, a, r, l, linked, links, rep); err != nil {
				return links, err
			}
			continue
		}
		c := Change{Key: Key(r), Record: r}
		if linked {
			c.ID = l.ID
		}
		run = append(run, c)
		runApplier = ba
		inRun[lk] = true
	}
	return links, flush()
}

// LinkOf returns the domain id that the sync storing a record under ctx
// stored another record of the CRM as (its kind and external id): earlier
// in the same batch, or in a batch committed before. An applier calls it
// to resolve a record's reference to another, such as a volunteer
// session's volunteer. ok is false when that record was never stored (or
// was rejected), and when ctx is not an applier's.
func LinkOf(ctx context.Context, k Kind, externalID string) (id string, ok bool, err error) {
	sl, _ := ctx.Value(syncLinksKey{}).(*syncLinks)
	if sl == nil {
		return "", false, nil
	}
	lk := LinkKey{Kind: k, ExternalID: externalID}
	if l, ok := sl.stored[lk]; ok {
		return l.ID, true, nil
	}
	if l, ok := sl.known[lk]; ok {
		return l.ID, true, nil
	}
	l, ok, err := sl.state.Link(ctx, k, externalID)
	if err != nil || !ok {
		return "", false, err
	}
	return l.ID, true, nil
}

// syncLinks is what LinkOf reads: the links of the batch being stored
// (stored so far, and read before it), then the State. The engine
// changes stored only between applier calls, on the goroutine that makes
// them.
type syncLinks struct {
	state         State
	stored, known map[LinkKey]Link
}

type syncLinksKey struct{}

// readLinks reads the committed links of a batch's records, a kind at a
// time when the State is a LinkReader.
func (e *Engine) readLinks(ctx context.Context, recs []Record) (map[LinkKey]Link, error) {
	out := make(map[LinkKey]Link, len(recs))
	if lr, ok := e.state.(LinkReader); ok {
		ids := map[Kind][]string{}
		for _, r := range recs {
			ids[r.Kind] = append(ids[r.Kind], r.ExternalID)
		}
		for k, list := range ids {
			m, err := lr.Links(ctx, k, list)
			if err != nil {
				return nil, fmt.Errorf("sync: %w", err)
			}
			for id, l := range m {
				out[LinkKey{Kind: k, ExternalID: id}] = l
			}
		}
		return out, nil
	}
	for _, r := range recs {
		lk := LinkKey{Kind: r.Kind, ExternalID: r.ExternalID}
		if _, done := out[lk]; done {
			continue
		}
		l, ok, err := e.state.Link(ctx, r.Kind, r.ExternalID)
		if err != nil {
			return nil, fmt.Errorf("sync: %w", err)
		}
		if ok {
			out[lk] = l
		}
	}
	return out, nil
}

// applyRun stores a run of changes through a BatchApplier and links those
// stored.
func (e *Engine) applyRun(ctx context.Context, a BatchApplier, run []Change, links map[LinkKey]Link, rep *Report) error {
	res, err := a.ApplyBatch(ctx, run)
	if err != nil {
		return fmt.Errorf("sync %s batch of %d: %w", run[0].Record.Kind, len(run), err)
	}
	if len(res) != len(run) {
		return fmt.Errorf("sync %s batch: %d results for %d records", run[0].Record.Kind, len(res), len(run))
	}
	var stop error
	for i, c := range run {
		r := c.Record
		var rj rejected
		switch err := res[i].Err; {
		case err == nil:
			links[LinkKey{Kind: r.Kind, ExternalID: r.ExternalID}] = Link{ID: res[i].ID, Version: r.Version}
			if c.ID == "" {
				rep.Created++
			} else {
				rep.Updated++
			}
		case errors.As(err, &rj):
			e.log.Warn("crm record rejected", "kind", r.Kind, "external_id", r.ExternalID, "version", r.Version)
			rep.Errors = append(rep.Errors, RecordError{r.Kind, r.ExternalID, r.Version, rj.err})
		case stop == nil:
			stop = fmt.Errorf("sync %s %s: %w", r.Kind, r.ExternalID, err)
		}
	}
	return stop
}

func (e *Engine) apply(ctx context.Context, a Applier, r Record, l Link, linked bool, links map[LinkKey]Link, rep *Report) error {
	lk := LinkKey{Kind: r.Kind, ExternalID: r.ExternalID}
	var err error
	if linked {
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
