package crm_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/crm/sdk"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	rx "github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// refusing passes items to a plugin, except those it refuses, which fail.
type refusing struct {
	p      crm.Pusher
	refuse map[string]bool
}

func (r *refusing) Push(ctx context.Context, items []crm.Item) ([]crm.Result, error) {
	var pass []crm.Item
	for _, it := range items {
		if !r.refuse[it.ID] {
			pass = append(pass, it)
		}
	}
	res, err := r.p.Push(ctx, pass)
	if err != nil {
		return nil, err
	}
	out := make([]crm.Result, len(items))
	j := 0
	for i, it := range items {
		if r.refuse[it.ID] {
			out[i] = crm.Result{ID: it.ID, Error: "the CRM is down for this record"}
			continue
		}
		out[i] = res[j]
		j++
	}
	return out, nil
}

// award takes a new application of w's fund from draft to awarded, as
// its applicant, the officer and the panel.
func (w *grantsWorld) award(t *testing.T, n int, amount string) *grants.Application {
	t.Helper()
	ctx := context.Background()
	jo := call.As(fmt.Sprintf("applicant-%d", n))
	key := func(s string) call.Write { return w.officer.Key(fmt.Sprintf("%s-%d", s, n)) }
	a, err := w.svc.Draft(ctx, jo.Key("draft"), grants.NewApplication{Fund: w.fund, Round: w.round,
		Title: fmt.Sprintf("Project %d", n), Description: "A project for the close",
		Applicant: grants.Applicant{Type: grants.UnconstitutedGroup, Name: "Friends of Elm Close", ContactName: "Jo", Email: "jo@example.org"},
		Ward:      "Tilbury St Chads", Amount: decimal.RequireFromString(amount), Priorities: []string{"bring neighbours together"}})
	require.NoError(t, err)
	_, err = w.svc.Submit(ctx, jo.Key("submit"), a.ID)
	require.NoError(t, err)
	_, err = w.svc.CheckEligibility(ctx, key("check"), a.ID)
	require.NoError(t, err)
	_, err = w.svc.StartReview(ctx, key("review"), a.ID)
	require.NoError(t, err)
	_, err = w.svc.ScoreApplication(ctx, w.panel.Key(fmt.Sprintf("score-%d", n)), a.ID, map[string]int{"community benefit": 4}, "")
	require.NoError(t, err)
	_, err = w.svc.Approve(ctx, key("approve"), a.ID, decimal.RequireFromString(amount), "good")
	require.NoError(t, err)
	a, err = w.svc.Award(ctx, key("award"), a.ID)
	require.NoError(t, err)
	return a
}

var quick = crm.Backoff{Tries: 2, First: time.Millisecond}

// Grant awards made in the grants domain reach the CRM through the feed,
// each once; the mark advances only past what was delivered; a feed run
// again from the start redelivers every item and the SDK applies none
// twice.
func TestFeedGrantAwards(t *testing.T) {
	ctx := context.Background()
	w := newGrantsWorld(t)
	sink := &memSink{}
	plugin := sdk.Impl(sink)
	marks := crm.NewFileState(filepath.Join(t.TempDir(), "state.json"))
	feed := crm.NewFeed("grant-awards", crm.GrantAwards(w.svc, w.officer, w.fund), plugin, marks, quick, nil)
	feed.SetLimit(3) // several rounds

	a1, a2 := w.award(t, 1, "240"), w.award(t, 2, "120.5")
	rep, err := feed.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Pushed)
	assert.Equal(t, []string{"grant_award:" + a1.ID, "grant_award:" + a2.ID}, sink.order)
	got := sink.applied["grant_award:"+a2.ID].Record
	assert.Equal(t, crm.GrantAward, got.Kind)
	assert.Equal(t, a2.ID, got.ExternalID)
	assert.Equal(t, "120.50", got.Fields["amount"])
	assert.Equal(t, "2014-06-02", got.Fields["awarded"])
	events, err := w.svc.Events(ctx, w.officer, grants.EventFilter{Fund: w.fund})
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(events[len(events)-1].Seq), rep.Mark, "the mark is past every event read")

	rep, err = feed.Run(ctx)
	require.NoError(t, err)
	assert.Zero(t, rep.Pushed, "nothing new")

	// The CRM refuses the fourth award: the third is delivered and the
	// mark stops after it.
	a3, a4 := w.award(t, 3, "50"), w.award(t, 4, "60")
	down := &refusing{p: plugin, refuse: map[string]bool{"grant_award:" + a4.ID: true}}
	broken := crm.NewFeed("grant-awards", crm.GrantAwards(w.svc, w.officer, w.fund), down, marks, quick, nil)
	rep, err = broken.Run(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "down for this record")
	assert.Equal(t, 1, rep.Pushed)
	assert.Contains(t, sink.applied, "grant_award:"+a3.ID)
	assert.NotContains(t, sink.applied, "grant_award:"+a4.ID)
	mark, err := marks.Mark(ctx, "grant-awards")
	require.NoError(t, err)
	events, err = w.svc.Events(ctx, w.officer, grants.EventFilter{Fund: w.fund, Subject: a3.ID})
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(events[len(events)-1].Seq), mark, "the mark stops at the last award delivered")

	// The CRM is back: the fourth is delivered.
	rep, err = feed.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Pushed)
	assert.Zero(t, rep.Duplicates)
	assert.Len(t, sink.applied, 4)

	// The mark is lost: every award is pushed again, and applied once.
	require.NoError(t, marks.SetMark(ctx, "grant-awards", ""))
	rep, err = feed.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Pushed)
	assert.Equal(t, 4, rep.Duplicates)
	assert.Equal(t, 4, sink.applies, "a redelivered item is applied once")
}

// Only an officer reads the grants audit trail, so only an officer's
// feed runs; a mark that is not a Seq is refused.
func TestFeedRefusals(t *testing.T) {
	ctx := context.Background()
	w := newGrantsWorld(t)
	w.award(t, 1, "100")
	marks := crm.NewFileState(filepath.Join(t.TempDir(), "state.json"))
	sink := &memSink{}
	_, err := crm.NewFeed("awards", crm.GrantAwards(w.svc, w.panel, w.fund), sdk.Impl(sink), marks, quick, nil).Run(ctx)
	require.ErrorIs(t, err, grants.ErrForbidden)
	require.NoError(t, marks.SetMark(ctx, "awards", "yesterday"))
	_, err = crm.NewFeed("awards", crm.GrantAwards(w.svc, w.officer, w.fund), sdk.Impl(sink), marks, quick, nil).Run(ctx)
	require.ErrorContains(t, err, "not an event sequence number")
	assert.Zero(t, sink.applies)
}

// A referral's changes of status reach the CRM in order, ids only.
func TestFeedReferralStatuses(t *testing.T) {
	ctx := context.Background()
	w := newRxWorld(t)
	nhs := nhsNumbers(1)
	p, err := w.svc.RegisterPatient(ctx, w.gp.Key("patient"), rx.NewPatient{Practice: w.practice, NHSNumber: nhs[0], Name: "Ann Example", Area: "Tilbury"})
	require.NoError(t, err)
	r, err := w.svc.Refer(ctx, w.gp.Key("refer"), w.practice, rx.NewReferral{Patient: p.ID})
	require.NoError(t, err)
	_, err = w.svc.Accept(ctx, w.adv.Key("accept"), r.ID)
	require.NoError(t, err)
	_, err = w.svc.Hold(ctx, w.adv.Key("hold"), r.ID, "in hospital")
	require.NoError(t, err)
	_, err = w.svc.Resume(ctx, w.adv.Key("resume"), r.ID, "home again")
	require.NoError(t, err)
	_, err = w.svc.Decline(ctx, w.adv.Key("decline"), r.ID, "")
	require.NoError(t, err)

	sink := &memSink{}
	marks := crm.NewFileState(filepath.Join(t.TempDir(), "state.json"))
	rep, err := crm.NewFeed("referrals", crm.ReferralStatuses(w.svc, w.adv, w.practice), sdk.Impl(sink), marks, quick, nil).Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 5, rep.Pushed)
	var statuses []string
	for _, id := range sink.order {
		it := sink.applied[id]
		assert.Equal(t, crm.ReferralStatus, it.Record.Kind)
		assert.Equal(t, r.ID, it.Record.Fields["referral"])
		assert.NotContains(t, fmt.Sprint(it.Record.Fields), nhs[0], "no NHS number leaves in a push")
		assert.NotContains(t, fmt.Sprint(it.Record.Fields), "Ann", "no name leaves in a push")
		statuses = append(statuses, it.Record.Fields["status"])
	}
	assert.Equal(t, []string{"referred", "accepted", "on-hold", "resumed", "declined"}, statuses)
}

// Members joining a time bank reach the CRM, the first coordinator too.
func TestFeedMembersJoined(t *testing.T) {
	ctx := context.Background()
	w := newTimebankWorld(t)
	ann, err := w.svc.Join(ctx, w.coord.Key("ann"), timebank.NewMember{Bank: w.bank, Name: "Ann"})
	require.NoError(t, err)
	_, err = w.svc.UpdateMember(ctx, w.coord.Key("ann-phone"), ann.ID, timebank.MemberUpdate{Phone: ptr("01375 000000")})
	require.NoError(t, err)
	hub, err := w.svc.Join(ctx, w.coord.Key("hub"), timebank.NewMember{Bank: w.bank, Name: "Hub", Kind: timebank.Organisation})
	require.NoError(t, err)

	sink := &memSink{}
	rep, err := crm.NewFeed("members", crm.MembersJoined(w.svc, w.coord, w.bank), sdk.Impl(sink),
		crm.NewFileState(filepath.Join(t.TempDir(), "state.json")), quick, nil).Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Pushed, "the coordinator, Ann and the hub; not Ann's change of phone")
	assert.Equal(t, []string{"member_joined:" + w.coord.ID, "member_joined:" + ann.ID, "member_joined:" + hub.ID}, sink.order)
	assert.Equal(t, "organisation", sink.applied["member_joined:"+hub.ID].Record.Fields["kind"])
	assert.Equal(t, "individual", sink.applied["member_joined:"+ann.ID].Record.Fields["kind"])
}

func ptr[T any](v T) *T { return &v }

// FileState keeps the feeds' marks beside the sync's cursor and links:
// each survives the other's writes and a reopening of the file.
func TestFileStateMarks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.json")
	s := crm.NewFileState(path)
	m, err := s.Mark(ctx, "awards")
	require.NoError(t, err)
	assert.Empty(t, m)
	require.NoError(t, s.SetMark(ctx, "awards", "12"))
	require.NoError(t, s.Commit(ctx, "cur-1", map[crm.LinkKey]crm.Link{{Kind: crm.Person, ExternalID: "P1"}: {ID: "m1", Version: 1}}))
	require.NoError(t, s.SetMark(ctx, "referrals", "7"))

	again := crm.NewFileState(path)
	for name, want := range map[string]string{"awards": "12", "referrals": "7", "members": ""} {
		m, err := again.Mark(ctx, name)
		require.NoError(t, err)
		assert.Equal(t, want, m, name)
	}
	cur, err := again.Cursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, "cur-1", cur)
	l, ok, err := again.Link(ctx, crm.Person, "P1")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "m1", l.ID)
}

// A sync and feeds sharing one FileState from several goroutines lose
// none of each other's writes.
func TestFileStateMarksConcurrent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.json")
	s := crm.NewFileState(path)
	const n = 20
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				if g == 0 {
					assert.NoError(t, s.Commit(ctx, fmt.Sprint(i), map[crm.LinkKey]crm.Link{
						{Kind: crm.Person, ExternalID: fmt.Sprint("P", i)}: {ID: fmt.Sprint("m", i), Version: 1}}))
				} else {
					assert.NoError(t, s.SetMark(ctx, fmt.Sprint("feed-", g), fmt.Sprint(i)))
				}
			}
		}()
	}
	wg.Wait()
	again := crm.NewFileState(path)
	for g := 1; g < 3; g++ {
		m, err := again.Mark(ctx, fmt.Sprint("feed-", g))
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(n-1), m)
	}
	for i := range n {
		_, ok, err := again.Link(ctx, crm.Person, fmt.Sprint("P", i))
		require.NoError(t, err)
		assert.True(t, ok, "link P%d", i)
	}
	cur, err := again.Cursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(n-1), cur)
}

// An award whose application is no longer in the store (a row lost, as
// by a restore of an older copy) is passed over, logged by its id only,
// and the awards after it are still pushed; the amount pushed is the
// one the award event recorded, not the application's award now.
func TestFeedGrantAwardsLostApplication(t *testing.T) {
	ctx := context.Background()
	w := newGrantsWorld(t)
	a1, a2 := w.award(t, 1, "240"), w.award(t, 2, "120.5")
	raw, err := sql.Open("sqlite", w.db.Path())
	require.NoError(t, err)
	defer raw.Close()
	_, err = raw.ExecContext(ctx, "DELETE FROM grants_applications WHERE id = ?", a1.ID)
	require.NoError(t, err)
	_, err = raw.ExecContext(ctx, "UPDATE grants_applications SET body = json_set(body, '$.Award', '999') WHERE id = ?", a2.ID)
	require.NoError(t, err)
	now, err := w.svc.Application(ctx, w.officer, a2.ID)
	require.NoError(t, err)
	require.Equal(t, "999", now.Award.String(), "the award now differs from the award made")

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	sink := &memSink{}
	marks := crm.NewFileState(filepath.Join(t.TempDir(), "state.json"))
	feed := crm.NewFeed("grant-awards", crm.GrantAwardsLog(w.svc, w.officer, w.fund, log), sdk.Impl(sink), marks, quick, nil)
	feed.SetLimit(2)
	rep, err := feed.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Pushed)
	assert.Equal(t, []string{"grant_award:" + a2.ID}, sink.order)
	assert.Equal(t, "120.50", sink.applied["grant_award:"+a2.ID].Record.Fields["amount"], "the amount at the award")
	events, err := w.svc.Events(ctx, w.officer, grants.EventFilter{Fund: w.fund})
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(events[len(events)-1].Seq), rep.Mark, "the mark passes the lost application")
	assert.Contains(t, logs.String(), a1.ID)
	assert.NotContains(t, logs.String(), "Friends of Elm Close")
}

// limits records the limit each Since is asked for, reading from a real
// source.
type limits struct {
	src  crm.EventSource
	seen []int
}

func (l *limits) Since(ctx context.Context, mark string, limit int) ([]crm.Pending, string, error) {
	l.seen = append(l.seen, limit)
	return l.src.Since(ctx, mark, limit)
}

// SetLimit keeps the limit in 1..record.MaxBatch: 0 (no limit to the
// stores) reads one event at a time, a negative limit does not make every
// read fail, and a limit past record.MaxBatch reads record.MaxBatch.
func TestFeedSetLimitClamped(t *testing.T) {
	ctx := context.Background()
	w := newGrantsWorld(t)
	a1, a2 := w.award(t, 1, "240"), w.award(t, 2, "120.5")
	for _, c := range []struct {
		set, want int
	}{{0, 1}, {-5, 1}, {record.MaxBatch + 10, record.MaxBatch}, {3, 3}} {
		src := &limits{src: crm.GrantAwards(w.svc, w.officer, w.fund)}
		sink := &memSink{}
		feed := crm.NewFeed("awards", src, sdk.Impl(sink), crm.NewFileState(filepath.Join(t.TempDir(), "state.json")), quick, nil)
		feed.SetLimit(c.set)
		rep, err := feed.Run(ctx)
		require.NoError(t, err, "limit %d", c.set)
		assert.Equal(t, 2, rep.Pushed, "limit %d", c.set)
		assert.Equal(t, []string{"grant_award:" + a1.ID, "grant_award:" + a2.ID}, sink.order, "limit %d", c.set)
		require.NotEmpty(t, src.seen)
		for _, n := range src.seen {
			assert.Equal(t, c.want, n, "limit %d", c.set)
		}
	}
}

// An award event keeps its amount when the application's applicant is
// erased (which blanks the events' notes), and the feed pushes it from
// there.
func TestFeedGrantAwardsAfterErasure(t *testing.T) {
	ctx := context.Background()
	w := newGrantsWorld(t)
	a := w.award(t, 1, "240.5")
	n, err := w.svc.EraseApplicant(ctx, w.officer.Key("erase"), a.Owner)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	events, err := w.svc.History(ctx, w.officer, a.ID)
	require.NoError(t, err)
	var award grants.Event
	for _, e := range events {
		assert.Empty(t, e.Note, "erasure blanks every note of the application")
		if e.Action == "application.award" {
			award = e
		}
	}
	assert.Equal(t, "240.50", award.Amount.StringFixed(2), "the award event keeps its amount")

	sink := &memSink{}
	feed := crm.NewFeed("grant-awards", crm.GrantAwards(w.svc, w.officer, w.fund), sdk.Impl(sink),
		crm.NewFileState(filepath.Join(t.TempDir(), "state.json")), quick, nil)
	rep, err := feed.Run(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Pushed)
	assert.Equal(t, "240.50", sink.applied["grant_award:"+a.ID].Record.Fields["amount"])
}
