package crm

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/strongertogether/community/adapters/crm/record"
)

// Pending is a domain event a feed pushes: the item, and the high-water
// mark that says it was delivered.
type Pending struct {
	Item Item
	Mark string
}

// EventSource reads a domain's events after a high-water mark, oldest
// first. Since scans at most limit events after mark and returns, as
// Pending items, those the CRM takes (a grant award, a referral's change
// of status, a member joining), and the mark after every event scanned,
// including those it passed over. Nothing new: no items and next ==
// mark. An item's id is stable: the same event makes the same id on
// every read, so the plugin applies it once however often it is pushed.
// The sources of this package (GrantAwards, ReferralStatuses,
// MembersJoined) use the event's Seq as the mark and rely on the domain
// store's EventFilter.After never returning an event while one with a
// lower Seq may still commit; every store of this module keeps that
// promise, adapters/postgres included, where transactions commit out of
// Seq order (see its package doc).
type EventSource interface {
	Since(ctx context.Context, mark string, limit int) (items []Pending, next string, err error)
}

// Feed pushes a domain's events to a CRM: it reads them from its
// EventSource after the mark it keeps in Marks under its name, pushes
// them with PushWithRetry, and advances the mark only past the items
// delivered. Each event is delivered at least once; a feed stopped by a
// crash, a plugin's failure or a cancelled context pushes again from the
// last mark, and the plugin's SDK applies each id once.
type Feed struct {
	name    string
	src     EventSource
	push    Pusher
	marks   Marks
	backoff Backoff
	limit   int
	log     *slog.Logger
}

// NewFeed returns the Feed called name (the key of its mark in marks)
// pushing src's events to p, retrying as b says.
func NewFeed(name string, src EventSource, p Pusher, marks Marks, b Backoff, log *slog.Logger) *Feed {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Feed{name: name, src: src, push: p, marks: marks, backoff: b, limit: 200, log: log}
}

// SetLimit sets the most events read, and so pushed, at a time (default
// 200), clamped to 1..record.MaxBatch: the stores read 0 as no limit at
// all, which would push a whole audit trail at once, and refuse a
// negative one.
func (f *Feed) SetLimit(n int) { f.limit = min(max(n, 1), record.MaxBatch) }

// FeedReport is what one Run of a Feed did.
type FeedReport struct {
	Pushed     int    // items delivered, duplicates included
	Duplicates int    // items the plugin had applied already
	Mark       string // the mark after the run
}

// Run pushes every event after the feed's mark, in rounds of at most the
// limit, and returns when none is left. After each round it records the
// mark after the longest run of delivered items from the round's start
// (after the whole round when all were delivered), so a failed item and
// those after it are pushed again by the next Run. An item that still
// fails after the backoff's tries stops the Run with an error.
func (f *Feed) Run(ctx context.Context) (FeedReport, error) {
	var rep FeedReport
	mark, err := f.marks.Mark(ctx, f.name)
	if err != nil {
		return rep, fmt.Errorf("feed %s: %w", f.name, err)
	}
	rep.Mark = mark
	for {
		before := mark
		pend, next, err := f.src.Since(ctx, mark, f.limit)
		if err != nil {
			return rep, fmt.Errorf("feed %s: %w", f.name, err)
		}
		if next == mark && len(pend) == 0 {
			return rep, nil
		}
		items := make([]Item, len(pend))
		for i, p := range pend {
			items[i] = p.Item
		}
		res, perr := PushWithRetry(ctx, f.push, items, f.backoff)
		k := 0
		for k < len(res) && res[k].OK {
			rep.Pushed++
			if res[k].Duplicate {
				rep.Duplicates++
			}
			k++
		}
		to := next
		if k < len(pend) {
			to = mark
			if k > 0 {
				to = pend[k-1].Mark
			}
		}
		if to != mark {
			if err := f.marks.SetMark(ctx, f.name, to); err != nil {
				return rep, fmt.Errorf("feed %s: %w", f.name, err)
			}
			mark, rep.Mark = to, to
		}
		if perr != nil {
			return rep, fmt.Errorf("feed %s: %w", f.name, perr)
		}
		if k < len(pend) {
			return rep, fmt.Errorf("feed %s: item %s not delivered: %s", f.name, pend[k].Item.ID, res[k].Error)
		}
		f.log.Info("crm feed", "feed", f.name, "pushed", len(pend), "mark", mark)
		if mark == before {
			return rep, nil // a source that does not move its mark has nothing more
		}
	}
}

// seqMark parses a mark made of an event's Seq ("" is the start).
func seqMark(mark string) (int64, error) {
	if mark == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(mark, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("mark %q is not an event sequence number", mark)
	}
	return n, nil
}

func seqString(seq int64) string { return strconv.FormatInt(seq, 10) }
