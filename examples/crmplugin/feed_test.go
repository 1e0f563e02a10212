package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/hubs"
	rx "github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// writeCSV writes a CSV file of the folder: a header and rows.
func writeCSV(t *testing.T, dir, name string, rows ...[]string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	require.NoError(t, err)
	w := csv.NewWriter(f)
	require.NoError(t, w.WriteAll(rows))
	require.NoError(t, f.Close())
}

// readCSV returns a file's data rows as maps of its header.
func readCSV(t *testing.T, dir, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// nhsNumbers returns n valid NHS numbers from the 999 range kept for
// test data.
func nhsNumbers(n int) []string {
	var out []string
	for stem := 999000000; len(out) < n; stem++ {
		sum := 0
		for j, c := range fmt.Sprint(stem) {
			sum += int(c-'0') * (10 - j)
		}
		if check := (11 - sum%11) % 11; check != 10 {
			out = append(out, fmt.Sprintf("%d%d", stem, check))
		}
	}
	return out
}

// borough is every domain the CSV CRM feeds, in one SQLite database.
type borough struct {
	tb             *timebank.Service
	coord          call.Actor
	bank           string
	gr             *grants.Service
	officer, panel call.Actor
	fund, round    string
	rx             *rx.Service
	gp, adv        call.Actor
	practice       string
	hubs           *hubs.Service
	recorder       call.Actor
	hub            string
	intake         call.Actor
}

func newBorough(t *testing.T) *borough {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "community.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	now := time.Date(2016, 6, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	b := &borough{intake: call.As("crm-intake")}

	b.tb = timebank.NewService(sqlite.NewTimebankStore(db), timebank.WithClock(clock))
	require.NoError(t, b.tb.Bootstrap(ctx, call.As("officer")))
	bank, coord, err := b.tb.OpenBank(ctx, call.As("officer").Key("open"), timebank.NewBank{Name: "Thurrock Time Bank",
		Coordinator: timebank.NewMember{Name: "Cath", Email: "cath@example.org"}})
	require.NoError(t, err)
	b.bank, b.coord = bank.ID, call.As(coord.ID)

	b.gr = grants.NewService(sqlite.NewGrantsStore(db), grants.WithClock(clock))
	admin := call.As("admin")
	require.NoError(t, b.gr.Bootstrap(ctx, admin))
	b.officer, b.panel = call.As("officer"), call.As("p1")
	for i, st := range []grants.NewStaff{{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}},
		{ID: "p1", Name: "Panel", Roles: []grants.Role{grants.RolePanel}}} {
		_, err := b.gr.AddStaff(ctx, admin.Key(fmt.Sprint("staff-", i)), st)
		require.NoError(t, err)
	}
	fund, err := b.gr.CreateFund(ctx, admin.Key("fund"), grants.NewFund{Name: "Small Sparks", FunderName: "Thurrock Council",
		FunderID: "GB-LAE-THR", Prefix: "a00thr", Budgets: []grants.Budget{{Year: 2016, Amount: decimal.RequireFromString("10000")}},
		MinAward: decimal.RequireFromString("50"), MaxAward: decimal.RequireFromString("250"),
		Priorities: []string{"bring neighbours together"}, Criteria: []string{"community benefit"}, MaxScore: 5})
	require.NoError(t, err)
	round, err := b.gr.OpenRound(ctx, b.officer.Key("round"), grants.NewRound{Fund: fund.ID, Name: "Summer 2016", Year: 2016,
		Opens: now, Closes: now.AddDate(0, 1, 0)})
	require.NoError(t, err)
	b.fund, b.round = fund.ID, round.ID

	b.rx = rx.NewService(sqlite.NewPrescribingStore(db), rx.WithClock(clock))
	mgr := call.As("stf-manager")
	require.NoError(t, b.rx.Bootstrap(ctx, mgr))
	p, err := b.rx.RegisterPractice(ctx, mgr.Key("practice"), rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre",
		PCN: "Tilbury and Chadwell", Area: "Tilbury"})
	require.NoError(t, err)
	gp, err := b.rx.AddStaff(ctx, mgr.Key("gp"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	require.NoError(t, err)
	adv, err := b.rx.AddStaff(ctx, mgr.Key("adv"), rx.NewStaff{Name: "B", Role: rx.RoleAdvisor, Practices: []string{p.ID}, Caseload: 30})
	require.NoError(t, err)
	b.practice, b.gp, b.adv = p.ID, call.As(gp.ID), call.As(adv.ID)

	b.hubs = hubs.NewService(sqlite.NewHubsStore(db), hubs.WithClock(clock))
	require.NoError(t, b.hubs.Bootstrap(ctx, admin))
	b.recorder = call.As("recorder")
	_, err = b.hubs.Grant(ctx, admin.Key("grant"), b.recorder.ID, hubs.RoleCoordinator, hubs.RoleRecorder)
	require.NoError(t, err)
	h, err := b.hubs.CreateHub(ctx, b.recorder.Key("hub"), hubs.NewHub{Name: "Tilbury Hub", Ward: "Tilbury", PCN: "TIL",
		Status: hubs.StatusOpen, On: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	b.hub = h.ID
	return b
}

func (b *borough) appliers() map[crm.Kind]crm.Applier {
	return map[crm.Kind]crm.Applier{
		crm.Person:           crm.TimebankMembers(b.tb, b.coord, b.bank, timebank.Individual),
		crm.Organisation:     crm.TimebankMembers(b.tb, b.coord, b.bank, timebank.Organisation),
		crm.GrantApplication: crm.GrantApplications(b.gr, b.intake, b.fund, b.round),
		crm.Referral:         crm.PrescribingReferrals(b.rx, b.gp, b.practice),
		crm.HubEvent:         crm.HubEvents(b.hubs, b.recorder, b.hub),
		crm.HubVisit:         crm.HubVisits(b.hubs, b.recorder, b.hub),
	}
}

// awardAll takes every submitted application to awarded, as the officer
// and the panel, at the amount asked.
func (b *borough) awardAll(t *testing.T) []*grants.Application {
	t.Helper()
	ctx := context.Background()
	apps, err := b.gr.Applications(ctx, b.officer, grants.ApplicationFilter{Fund: b.fund})
	require.NoError(t, err)
	var out []*grants.Application
	for _, a := range apps {
		k := func(s string) call.Write { return b.officer.Key(s + "-" + a.ID) }
		_, err := b.gr.CheckEligibility(ctx, k("check"), a.ID)
		require.NoError(t, err)
		_, err = b.gr.StartReview(ctx, k("review"), a.ID)
		require.NoError(t, err)
		_, err = b.gr.ScoreApplication(ctx, b.panel.Key("score-"+a.ID), a.ID, map[string]int{"community benefit": 4}, "")
		require.NoError(t, err)
		_, err = b.gr.Approve(ctx, k("approve"), a.ID, a.Amount, "good")
		require.NoError(t, err)
		a, err = b.gr.Award(ctx, k("award"), a.ID)
		require.NoError(t, err)
		out = append(out, a)
	}
	return out
}

// The CSV CRM's people, organisations, grant applications, referrals and
// hub records sync through a real plugin subprocess into SQLite through
// the domains' Services. Then grant awards and referrals' changes of
// status made in the domains reach the CSV CRM through the push feeds,
// each once: a restarted plugin given every item again (the marks lost)
// appends nothing.
func TestFeedsToCSVCRM(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	nhs := nhsNumbers(3)
	writeCSV(t, dir, "people.csv", []string{"external_id", "version", "name", "email", "phone", "joined"},
		[]string{"P1", "1", "Ann Example", "ann@example.org", "", "2015-03-02"},
		[]string{"P2", "1", "Bob Example", "", "01375 000001", ""},
		[]string{"P1", "2", "Ann Example", "ann.new@example.org", "", "2015-03-02"})
	writeCSV(t, dir, "organisations.csv", []string{"external_id", "version", "name", "email", "phone"},
		[]string{"O1", "1", "Chadwell St Mary Hub", "", "01375 000002"})
	app := func(id, title, amount string) []string {
		return []string{id, "1", title, "A project for the close", "unconstituted-group", "Friends of Elm Close", "Jo",
			"jo@example.org", "Tilbury St Chads", amount, "bring neighbours together"}
	}
	writeCSV(t, dir, "grant_applications.csv", []string{"external_id", "version", "title", "description", "applicant_type",
		"applicant_name", "contact_name", "email", "ward", "amount", "priorities"},
		app("G1", "Jubilee street party", "240.00"), app("G2", "Knit and natter", "120.50"), app("G3", "Bad amount", "nine hundred"))
	writeCSV(t, dir, "referrals.csv", []string{"external_id", "version", "person", "nhs_number", "name", "area", "needs", "note", "status"},
		[]string{"R1", "1", "P1", nhs[0], "Ann Example", "Tilbury", "loneliness", "", ""},
		[]string{"R2", "1", "P3", nhs[1], "Cy Example", "Tilbury", "", "", ""},
		[]string{"R3", "1", "P4", "999 000 0000", "Dee Example", "Tilbury", "", "", ""})
	writeCSV(t, dir, "hub_events.csv", []string{"external_id", "version", "kind", "title", "on", "attendance", "stalls"},
		[]string{"E1", "1", "fair", "Spring fair", "2016-04-09", "140", "12"})
	writeCSV(t, dir, "hub_visits.csv", []string{"external_id", "version", "on", "count", "method"},
		[]string{"V1", "1", "2016-04-11", "85", "tally"})

	b := newBorough(t)
	state := crm.NewFileState(filepath.Join(t.TempDir(), "state.json"))
	p := start(t, dir)
	rep, err := crm.NewEngine(p, state, b.appliers(), nil).Sync(ctx)
	require.NoError(t, err)
	errs := map[string]error{}
	for _, e := range rep.Errors {
		errs[e.ExternalID] = e.Err
	}
	assert.Len(t, errs, 2, "%v", errs)
	assert.ErrorIs(t, errs["G3"], grants.ErrInvalid, "not an amount")
	assert.ErrorContains(t, errs["G3"], "amount")
	assert.ErrorIs(t, errs["R3"], rx.ErrInvalid, "not an NHS number")
	assert.Equal(t, 9, rep.Created) // P1 P2 O1 G1 G2 R1 R2 E1 V1
	assert.Equal(t, 1, rep.Updated) // P1 v2

	members, err := b.tb.Members(ctx, b.coord, timebank.MemberFilter{Bank: &b.bank})
	require.NoError(t, err)
	assert.Len(t, members, 4, "the coordinator, Ann, Bob and the hub")
	refs, err := b.rx.Referrals(ctx, b.gp, rx.ReferralFilter{Practice: b.practice})
	require.NoError(t, err)
	require.Len(t, refs, 2)

	// The domains move on: awards are made, one referral is accepted and
	// the other declined.
	awarded := b.awardAll(t)
	require.Len(t, awarded, 2)
	_, err = b.rx.Accept(ctx, b.adv.Key("accept"), refs[0].ID)
	require.NoError(t, err)
	_, err = b.rx.Decline(ctx, b.adv.Key("decline"), refs[1].ID, "")
	require.NoError(t, err)

	feeds := func(p crm.Pusher) []*crm.Feed {
		return []*crm.Feed{
			crm.NewFeed("grant-awards", crm.GrantAwards(b.gr, b.officer, b.fund), p, state, crm.Backoff{Tries: 3, First: 10 * time.Millisecond}, nil),
			crm.NewFeed("referral-statuses", crm.ReferralStatuses(b.rx, b.adv, b.practice), p, state, crm.Backoff{Tries: 3, First: 10 * time.Millisecond}, nil),
			crm.NewFeed("members-joined", crm.MembersJoined(b.tb, b.coord, b.bank), p, state, crm.Backoff{Tries: 3, First: 10 * time.Millisecond}, nil),
		}
	}
	pushed := 0
	for _, f := range feeds(p) {
		rep, err := f.Run(ctx)
		require.NoError(t, err)
		assert.Zero(t, rep.Duplicates)
		pushed += rep.Pushed
	}
	assert.Equal(t, 2+4+4, pushed, "2 awards; 2 referrals referred, one accepted, one declined; 4 members joined")

	awards := readCSV(t, dir, "awards.csv")
	require.Len(t, awards, 2)
	want := map[string]string{}
	for _, a := range awarded {
		want[a.ID] = a.Award.StringFixed(2)
	}
	for _, row := range awards {
		assert.Equal(t, want[row["application"]], row["amount"], row["application"])
		assert.Equal(t, "grant_award:"+row["application"], row["id"])
	}
	statuses := map[string][]string{}
	for _, row := range readCSV(t, dir, "referral_statuses.csv") {
		statuses[row["referral"]] = append(statuses[row["referral"]], row["status"])
	}
	assert.Equal(t, []string{"referred", "accepted"}, statuses[refs[0].ID])
	assert.Equal(t, []string{"referred", "declined"}, statuses[refs[1].ID])
	assert.Len(t, readCSV(t, dir, "members_joined.csv"), 4)

	// Nothing new: nothing pushed. A restarted plugin given everything
	// again (the marks lost) knows every id and appends nothing.
	for _, f := range feeds(p) {
		rep, err := f.Run(ctx)
		require.NoError(t, err)
		assert.Zero(t, rep.Pushed)
	}
	p.Close()
	p2 := start(t, dir)
	fresh := crm.NewFileState(filepath.Join(t.TempDir(), "fresh.json"))
	for _, f := range []*crm.Feed{
		crm.NewFeed("grant-awards", crm.GrantAwards(b.gr, b.officer, b.fund), p2, fresh, crm.Backoff{Tries: 3}, nil),
		crm.NewFeed("referral-statuses", crm.ReferralStatuses(b.rx, b.adv, b.practice), p2, fresh, crm.Backoff{Tries: 3}, nil),
	} {
		rep, err := f.Run(ctx)
		require.NoError(t, err)
		assert.Equal(t, rep.Pushed, rep.Duplicates, "every item a duplicate")
		assert.NotZero(t, rep.Pushed)
	}
	assert.Len(t, readCSV(t, dir, "awards.csv"), 2)
	assert.Len(t, readCSV(t, dir, "referral_statuses.csv"), 4)
}
