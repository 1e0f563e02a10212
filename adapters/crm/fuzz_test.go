package crm_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/hubs"
	rx "github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// fuzzWorld is every applier over memory stores, with authorised actors.
func fuzzWorld(t *testing.T) map[crm.Kind]crm.Applier {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2016, 6, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	admin := call.As("admin")

	tb := timebank.NewService(memory.NewTimebankStore(), timebank.WithClock(clock))
	must(tb.Bootstrap(ctx, admin))
	bank, coord, err := tb.OpenBank(ctx, admin.Key("open"), timebank.NewBank{Name: "Bank", Coordinator: timebank.NewMember{Name: "Cath"}})
	must(err)

	gr := grants.NewService(memory.NewGrantsStore(), grants.WithClock(clock))
	must(gr.Bootstrap(ctx, admin))
	_, err = gr.AddStaff(ctx, admin.Key("officer"), grants.NewStaff{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}})
	must(err)
	fund, err := gr.CreateFund(ctx, admin.Key("fund"), grants.NewFund{Name: "Small Sparks", FunderName: "Thurrock Council",
		FunderID: "GB-LAE-THR", Prefix: "a00thr", Budgets: []grants.Budget{{Year: 2016, Amount: decimal.NewFromInt(10000)}},
		MinAward: decimal.NewFromInt(50), MaxAward: decimal.NewFromInt(250), Criteria: []string{"benefit"}, MaxScore: 5})
	must(err)
	round, err := gr.OpenRound(ctx, call.As("officer").Key("round"), grants.NewRound{Fund: fund.ID, Name: "Summer", Year: 2016,
		Opens: now, Closes: now.AddDate(0, 1, 0)})
	must(err)

	ps := rx.NewService(memory.NewPrescribingStore(), rx.WithClock(clock))
	must(ps.Bootstrap(ctx, call.As("mgr")))
	p, err := ps.RegisterPractice(ctx, call.As("mgr").Key("p"), rx.NewPractice{ODS: "F81001", Name: "Practice", PCN: "PCN", Area: "Tilbury"})
	must(err)
	gp, err := ps.AddStaff(ctx, call.As("mgr").Key("gp"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	must(err)

	hs := hubs.NewService(memory.NewHubsStore(), hubs.WithClock(clock))
	must(hs.Bootstrap(ctx, admin))
	_, err = hs.Grant(ctx, admin.Key("grant"), "staff", hubs.RoleCoordinator, hubs.RoleRecorder, hubs.RoleEditor)
	must(err)
	h, err := hs.CreateHub(ctx, call.As("staff").Key("hub"), hubs.NewHub{Name: "Hub", Ward: "Tilbury", PCN: "TIL",
		Status: hubs.StatusOpen, On: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)})
	must(err)
	staff := call.As("staff")

	return map[crm.Kind]crm.Applier{
		crm.Person:           crm.TimebankMembers(tb, call.As(coord.ID), bank.ID, timebank.Individual),
		crm.GrantApplication: crm.GrantApplications(gr, call.As("crm-intake"), fund.ID, round.ID),
		crm.Referral:         crm.PrescribingReferrals(ps, call.As(gp.ID), p.ID),
		crm.HubEvent:         crm.HubEvents(hs, staff, h.ID),
		crm.HubVisit:         crm.HubVisits(hs, staff, h.ID),
		crm.Organisation:     crm.HubsOrganisations(hs, staff),
		crm.Volunteer:        crm.HubsVolunteers(hs, staff, h.ID),
		crm.VolunteerSession: crm.HubsSessions(hs, staff),
	}
}

// fuzzFields names the four fuzzed fields of each kind.
var fuzzFields = []struct {
	kind   crm.Kind
	fields [4]string
}{
	{crm.Person, [4]string{"name", "email", "phone", "joined"}},
	{crm.GrantApplication, [4]string{"title", "amount", "supporters", "priorities"}},
	{crm.Referral, [4]string{"person", "nhs_number", "needs", "note"}},
	{crm.HubEvent, [4]string{"kind", "title", "on", "attendance"}},
	{crm.HubVisit, [4]string{"on", "count", "method", "stalls"}},
	{crm.Organisation, [4]string{"name", "description", "email", "website"}},
	{crm.Volunteer, [4]string{"name", "email", "roles", "registered"}},
	{crm.VolunteerSession, [4]string{"volunteer", "on", "minutes", "role"}},
}

// Whatever a CRM sends in a record's fields, each applier stores the
// record or rejects it: the sync never fails or panics on a record's
// content, and the record is counted exactly once.
func FuzzAppliers(f *testing.F) {
	f.Add(uint8(0), "Ann", "ann@example.org", "", "2013-05-01")
	f.Add(uint8(0), "", "bob at home", "", "1st May")
	f.Add(uint8(1), "Street party", "240.00", "Ann=480;Bob=360", "bring neighbours together")
	f.Add(uint8(1), "Street party", "1e999999", "Ann=-1;=", ";;;")
	f.Add(uint8(2), "P1", "9990000018", "loneliness;isolation", "note")
	f.Add(uint8(2), "P1", "999 000 0018", "boredom", "")
	f.Add(uint8(3), "fair", "Spring fair", "2016-04-09", "140")
	f.Add(uint8(3), "party", "", "9999-99-99", "-5")
	f.Add(uint8(4), "2016-04-11", "85", "tally", "")
	f.Add(uint8(4), "2013-01-01", "x", "guess", "")
	f.Add(uint8(5), "Thurrock Lifestyle Solutions", "Day opportunities", "", "https://example.org")
	f.Add(uint8(6), "Vic", "", "welcome desk;cafe", "2014-01-02")
	f.Add(uint8(7), "X0", "2014-02-03", "90", "cafe")
	f.Fuzz(func(t *testing.T, k uint8, a, b, c, d string) {
		kf := fuzzFields[int(k)%len(fuzzFields)]
		appliers := fuzzWorld(t)
		src := &memCRM{}
		src.add(rec(kf.kind, "X1", 1, kf.fields[0], a, kf.fields[1], b, kf.fields[2], c, kf.fields[3], d))
		e := crm.NewEngine(src, crm.NewFileState(filepath.Join(t.TempDir(), "state.json")), appliers, nil)
		rep, err := e.Sync(context.Background())
		if err != nil {
			t.Fatalf("%s %q %q %q %q: the sync failed: %v", kf.kind, a, b, c, d, err)
		}
		if rep.Created+len(rep.Errors) != 1 {
			t.Fatalf("%s: created %d, rejected %d; want the one record counted once", kf.kind, rep.Created, len(rep.Errors))
		}
	})
}

// A record whose CRM id is as long as the protocol allows is stored like
// any other, by every applier, and a second version of a volunteer
// updates it.
func TestLongExternalIDs(t *testing.T) {
	id := strings.Repeat("L", record.MaxIDBytes)
	// A grant application's key that fits plain, with step keys that do
	// not.
	grantID := strings.Repeat("G", 170)
	for _, r := range []crm.Record{
		application(grantID, 1, "Street party", "240.00"),
		rec(crm.Person, id, 1, "name", "Ann", "email", "ann@example.org", "joined", "2013-05-01"),
		application(id, 1, "Street party", "240.00"),
		rec(crm.Referral, id, 1, "person", "P1", "nhs_number", "9990000018", "name", "Ann Example", "area", "Tilbury", "needs", "loneliness"),
		rec(crm.HubEvent, id, 1, "kind", "fair", "title", "Spring fair", "on", "2016-04-09", "attendance", "140"),
		rec(crm.HubVisit, id, 1, "on", "2016-04-11", "count", "85", "method", "tally"),
		rec(crm.Organisation, id, 1, "name", "Thurrock Lifestyle Solutions", "description", "Day opportunities"),
		rec(crm.Volunteer, id, 1, "name", "Vic", "roles", "welcome desk;cafe", "registered", "2014-01-02"),
	} {
		t.Run(fmt.Sprintf("%s-%d", r.Kind, len(r.ExternalID)), func(t *testing.T) {
			src := &memCRM{}
			src.add(r)
			e := crm.NewEngine(src, crm.NewFileState(filepath.Join(t.TempDir(), "state.json")), fuzzWorld(t), nil)
			rep, err := e.Sync(context.Background())
			require.NoError(t, err)
			require.Empty(t, rep.Errors)
			assert.Equal(t, 1, rep.Created)
			if r.Kind != crm.Volunteer {
				return
			}
			src.add(rec(crm.Volunteer, id, 2, "name", "Victoria", "roles", "cafe", "registered", "2014-01-02"))
			rep, err = e.Sync(context.Background())
			require.NoError(t, err)
			require.Empty(t, rep.Errors)
			assert.Equal(t, 1, rep.Updated)
		})
	}
}
