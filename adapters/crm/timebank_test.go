package crm_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// openDB opens a fresh SQLite database for a test.
func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "community.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// syncer runs Engine syncs of one CRM into appliers, with a durable
// state, and can start again from nothing (a fresh state) to show a
// replay changes nothing.
type syncer struct {
	t        *testing.T
	crm      *memCRM
	appliers map[crm.Kind]crm.Applier
	state    crm.State
}

func newSyncer(t *testing.T, appliers map[crm.Kind]crm.Applier) *syncer {
	return &syncer{t: t, crm: &memCRM{}, appliers: appliers, state: crm.NewFileState(filepath.Join(t.TempDir(), "state.json"))}
}

func (s *syncer) sync() crm.Report {
	s.t.Helper()
	e := crm.NewEngine(s.crm, s.state, s.appliers, nil)
	e.SetBatchSize(2)
	rep, err := e.Sync(context.Background())
	require.NoError(s.t, err)
	return rep
}

// fresh syncs the whole log again with no memory of earlier syncs.
func (s *syncer) fresh() crm.Report {
	s.t.Helper()
	e := crm.NewEngine(s.crm, crm.NewFileState(filepath.Join(s.t.TempDir(), "fresh.json")), s.appliers, nil)
	rep, err := e.Sync(context.Background())
	require.NoError(s.t, err)
	return rep
}

// errorsOf returns the reported errors as "external id: message".
func errorsOf(rep crm.Report) map[string]string {
	out := map[string]string{}
	for _, e := range rep.Errors {
		out[e.ExternalID] = e.Err.Error()
	}
	return out
}

type timebankWorld struct {
	svc   *timebank.Service
	coord call.Actor
	bank  string
}

func newTimebankWorld(t *testing.T) *timebankWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2014, 2, 1, 9, 0, 0, 0, time.UTC)
	svc := timebank.NewService(sqlite.NewTimebankStore(openDB(t)), timebank.WithClock(func() time.Time { return now }))
	officer := call.As("officer")
	require.NoError(t, svc.Bootstrap(ctx, officer))
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Thurrock Time Bank",
		Coordinator: timebank.NewMember{Name: "Cath", Email: "cath@example.org"}})
	require.NoError(t, err)
	return &timebankWorld{svc: svc, coord: call.As(coord.ID), bank: bank.ID}
}

func (w *timebankWorld) members(t *testing.T, kind timebank.Kind) []*timebank.Member {
	t.Helper()
	ms, err := w.svc.Members(context.Background(), w.coord, timebank.MemberFilter{Bank: &w.bank, Kind: &kind})
	require.NoError(t, err)
	return ms
}

// People and organisations from the CRM join the time bank through its
// Service: created, updated, a bad record rejected naming its field, and
// a replay from nothing changes nothing.
func TestTimebankMembers(t *testing.T) {
	ctx := context.Background()
	w := newTimebankWorld(t)
	s := newSyncer(t, map[crm.Kind]crm.Applier{
		crm.Person:       crm.TimebankMembers(w.svc, w.coord, w.bank, timebank.Individual),
		crm.Organisation: crm.TimebankMembers(w.svc, w.coord, w.bank, timebank.Organisation),
	})
	s.crm.add(
		rec(crm.Person, "P1", 1, "name", "Ann Example", "email", "ann@example.org", "joined", "2013-05-01"),
		rec(crm.Person, "P2", 1, "name", "Bob Example", "email", "bob at home"),
		rec(crm.Person, "P3", 1, "name", "Cy Example", "joined", "1st May"),
		rec(crm.Organisation, "O1", 1, "name", "Chadwell St Mary Hub", "phone", "01375 000000"),
	)
	rep := s.sync()
	assert.Equal(t, 2, rep.Created)
	errs := errorsOf(rep)
	require.Len(t, errs, 2)
	assert.Contains(t, errs["P2"], "Email", "the bad field is named")
	assert.Contains(t, errs["P3"], "joined")
	assert.ErrorIs(t, rep.Errors[0].Err, timebank.ErrInvalid)

	people := w.members(t, timebank.Individual)
	require.Len(t, people, 2, "the coordinator and Ann")
	var ann *timebank.Member
	for _, m := range people {
		if m.Name == "Ann Example" {
			ann = m
		}
	}
	require.NotNil(t, ann)
	assert.Equal(t, "2013-05-01", ann.JoinedAt.Format(time.DateOnly))
	orgs := w.members(t, timebank.Organisation)
	require.Len(t, orgs, 1)
	assert.Equal(t, "01375 000000", orgs[0].Phone)

	// The CRM changes Ann's email: an update through the Service.
	s.crm.add(rec(crm.Person, "P1", 2, "name", "Ann Example", "email", "ann.new@example.org"))
	rep = s.sync()
	assert.Equal(t, 1, rep.Updated)
	got, err := w.svc.Member(ctx, w.coord, ann.ID)
	require.NoError(t, err)
	assert.Equal(t, "ann.new@example.org", got.Email)
	events, err := w.svc.Audit(ctx, w.coord, w.bank, ann.ID)
	require.NoError(t, err)
	assert.Len(t, events, 2, "the join and the update are in the audit trail")

	// Nothing new: nothing happens. From nothing: every write replays.
	rep = s.sync()
	assert.Zero(t, rep.Created+rep.Updated+len(rep.Errors))
	rep = s.fresh()
	assert.Equal(t, 2, rep.Created)
	assert.Equal(t, 1, rep.Updated)
	assert.Len(t, w.members(t, timebank.Individual), 2)
	assert.Len(t, w.members(t, timebank.Organisation), 1)
	got, err = w.svc.Member(ctx, w.coord, ann.ID)
	require.NoError(t, err)
	assert.Equal(t, "ann.new@example.org", got.Email)
	assert.Equal(t, int64(2), got.Version, "the replay wrote nothing")
}
