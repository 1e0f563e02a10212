package borough

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// HubsWorld is Thurrock's six community hubs, built through a
// hubs.Service over a store, with a clock the generators move.
type HubsWorld struct {
	Service *hubs.Service
	// Admin, Coordinator, Recorder and Editor are the staff who build it.
	Admin, Coordinator, Recorder, Editor call.Actor
	// Hubs are the hubs by name.
	Hubs map[string]*hubs.Hub
	// Scale multiplies PathfinderYear's volunteers, their hours, the
	// visits, groups and events, for a load run; 0 or 1 is the seed's
	// year.
	Scale int

	mu  sync.Mutex
	now time.Time
	n   int
	rng *rand.Rand
}

// The six hubs' names.
const (
	SouthOckendon = "South Ockendon Centre"
	Chadwell      = "Chadwell St Mary Centre"
	Acorns        = "Acorns Stifford Clays"
	Tilbury       = "Tilbury Hub"
	Purfleet      = "Purfleet Community Hub"
	Aveley        = "Aveley Community Forum"
)

// Clock returns the world's time.
func (w *HubsWorld) Clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// SetClock moves the world's time.
func (w *HubsWorld) SetClock(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = t.UTC()
}

func (w *HubsWorld) key(a call.Actor) call.Write {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n++
	return a.Key(fmt.Sprintf("borough-%d", w.n))
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// NewHubsWorld makes a Service over store (which must be empty), appoints
// its staff, and creates the six hubs with their dated histories: South
// Ockendon opened March 2013, Chadwell St Mary February 2014 (two days a
// week), Acorns Stifford Clays 2015, Tilbury re-opened June 2016 after
// closing, Purfleet opening September 2016, and Aveley a new build, still
// planned. seed makes the generated data repeatable.
func NewHubsWorld(ctx context.Context, store hubs.Store, seed uint64) (*HubsWorld, error) {
	w := &HubsWorld{Admin: call.As("stf-admin"), Coordinator: call.As("stf-coordinator"), Recorder: call.As("stf-recorder"),
		Editor: call.As("stf-editor"), Hubs: map[string]*hubs.Hub{}, now: date(2013, 1, 7).Add(9 * time.Hour),
		rng: rand.New(rand.NewPCG(seed, seed^0x5eed))}
	w.Service = hubs.NewService(store, hubs.WithClock(w.Clock), hubs.WithEnterpriseTarget(25))
	if err := w.Service.Bootstrap(ctx, w.Admin); err != nil {
		return nil, err
	}
	for a, r := range map[call.Actor]hubs.Role{w.Coordinator: hubs.RoleCoordinator, w.Recorder: hubs.RoleRecorder, w.Editor: hubs.RoleEditor} {
		if _, err := w.Service.Grant(ctx, w.key(w.Admin), a.ID, r); err != nil {
			return nil, err
		}
	}
	week := func(days ...time.Weekday) []hubs.Hours {
		var hs []hubs.Hours
		for _, d := range days {
			hs = append(hs, hubs.Hours{Day: d, Opens: "09:00", Closes: "17:00"})
		}
		return hs
	}
	weekdays := week(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday)
	type hubSpec struct {
		name, ward, pcn, addr, pc string
		lat, long                 float64
		status                    hubs.Status
		on                        time.Time
		hours                     []hubs.Hours
	}
	specs := []hubSpec{
		{SouthOckendon, "Ockendon", "ASOP", "Darenth Lane, South Ockendon", "RM15 5LP", 51.5226, 0.2858, hubs.StatusOpen, date(2013, 3, 1), weekdays},
		{Chadwell, "Chadwell St Mary", "Corringham and Stanford", "Brentwood Road, Chadwell St Mary", "RM16 4JP", 51.4848, 0.3636, hubs.StatusOpen, date(2014, 2, 3), week(time.Tuesday, time.Thursday)},
		{Acorns, "Stifford Clays", "Grays", "Crammavill Street, Stifford Clays", "RM16 2AP", 51.4917, 0.3349, hubs.StatusOpen, date(2015, 4, 13), weekdays},
		{Tilbury, "Tilbury St Chads", "Tilbury and Chadwell", "Civic Square, Tilbury", "RM18 8AD", 51.4625, 0.3589, hubs.StatusOpen, date(2014, 9, 1), weekdays},
		{Purfleet, "West Thurrock and South Stifford", "ASOP", "London Road, Purfleet", "RM19 1QD", 51.4816, 0.2378, hubs.StatusPlanned, time.Time{}, weekdays},
		{Aveley, "Aveley and Uplands", "ASOP", "High Street, Aveley", "RM15 4BX", 51.5002, 0.2545, hubs.StatusPlanned, time.Time{}, weekdays},
	}
	for _, sp := range specs {
		h, err := w.Service.CreateHub(ctx, w.key(w.Coordinator), hubs.NewHub{Name: sp.name, Ward: sp.ward, PCN: sp.pcn, Address: sp.addr,
			Postcode: sp.pc, Lat: sp.lat, Long: sp.long, Status: sp.status, On: sp.on, Hours: sp.hours,
			Partners: []string{"Thurrock CVS", "Thurrock Council libraries", "Citizens Advice Thurrock"}})
		if err != nil {
			return nil, fmt.Errorf("hub %s: %w", sp.name, err)
		}
		w.Hubs[sp.name] = h
	}
	steps := []struct {
		hub string
		st  hubs.Status
		on  time.Time
	}{
		{Tilbury, hubs.StatusClosed, date(2015, 7, 31)},
		{Tilbury, hubs.StatusReopened, date(2016, 6, 6)},
		{Purfleet, hubs.StatusOpen, date(2016, 9, 5)},
	}
	for _, st := range steps {
		h, err := w.Service.SetHubStatus(ctx, w.key(w.Coordinator), w.Hubs[st.hub].ID, st.st, st.on)
		if err != nil {
			return nil, fmt.Errorf("hub %s: %w", st.hub, err)
		}
		w.Hubs[st.hub] = h
	}
	h, err := w.Service.AgreeOffer(ctx, w.key(w.Coordinator), w.Hubs[SouthOckendon].ID,
		[]string{"advice on benefits, debt and housing under one roof", "free Wi-Fi and help to get online", "a place for groups to meet", "volunteering that leads to work"},
		date(2013, 2, 14))
	if err != nil {
		return nil, err
	}
	w.Hubs[SouthOckendon] = h
	return w, nil
}

// split divides total into n random positive parts (total ≥ n).
func (w *HubsWorld) split(total int64, n int, min int64) []int64 {
	parts := make([]int64, n)
	weights := make([]float64, n)
	var sum float64
	for i := range weights {
		weights[i] = 0.5 + w.rng.Float64()
		sum += weights[i]
	}
	left := total - min*int64(n)
	var given int64
	for i := range parts {
		parts[i] = min + int64(float64(left)*weights[i]/sum)
		given += parts[i]
	}
	for i := 0; given < total; i = (i + 1) % n {
		parts[i]++
		given++
	}
	return parts
}

// sessionRows is the most rows of one volunteering sessions file
// PathfinderYear imports.
const sessionRows = 50_000

// PathfinderYear generates South Ockendon's first year as a pathfinder
// hub, from 1 March 2013 to 28 February 2014: 38 volunteers giving 6,756
// hours, 135,238 visits against a baseline of the library it replaced, 32
// advisory and social groups, a Learning Fair with over 2,000 people and
// 30-odd stalls, monthly bookable surgeries with drop-ins, and seven
// volunteers who moved into work. It returns the year's first day and the
// day after its last. With Scale n the volunteers, their hours, the
// visits, groups and events are n times these.
func (w *HubsWorld) PathfinderYear(ctx context.Context) (from, to time.Time, err error) {
	h := w.Hubs[SouthOckendon]
	from, to = date(2013, 3, 1), date(2014, 3, 1)
	days := int(to.Sub(from).Hours() / 24)
	s := max(w.Scale, 1)
	w.SetClock(from.Add(8 * time.Hour))

	if _, err := w.Service.SetBaseline(ctx, w.key(w.Coordinator), hubs.NewBaseline{Hub: h.ID, Label: "previous occupation (South Ockendon library)",
		From: date(2012, 3, 1), To: date(2013, 2, 28), Visits: 81_962}); err != nil {
		return from, to, err
	}

	// Volunteers: 38, most at the start, the rest through the year.
	var vols []*hubs.Volunteer
	first := first(names)
	for i := range 38 * s {
		reg := from
		if i >= 20*s {
			reg = from.AddDate(0, 0, (i-20*s+1)*17/s)
		}
		phone := fmt.Sprintf("07700 900%03d", i+1) // Ofcom's drama range: a thousand numbers
		if i >= 999 {
			phone = ""
		}
		roles := [][]string{{"welcome desk"}, {"digital helper"}, {"community connector"}, {"gift board", "ideas fair"}}[i%4]
		v, err := w.Service.RegisterVolunteer(ctx, w.key(w.Coordinator), hubs.NewVolunteer{Hub: h.ID, Name: first(i) + " " + surnames[i%len(surnames)],
			Email: fmt.Sprintf("volunteer%02d@example.org", i+1), Phone: phone, Roles: roles,
			Training:   []hubs.Training{{Course: "safeguarding", Completed: reg}, {Course: "information and advice", Completed: reg.AddDate(0, 0, 14)}},
			Registered: reg})
		if err != nil {
			return from, to, err
		}
		vols = append(vols, v)
	}

	// Sessions: 6,756 hours, in sessions of an hour to six, on open days,
	// imported in files of at most sessionRows rows.
	var csv strings.Builder
	csv.WriteString("volunteer,date,minutes,role\n")
	rows := 0
	perVol := w.split(int64(6756*60*s), len(vols), 600)
	for i, v := range vols {
		if rows >= sessionRows {
			if _, err := w.Service.ImportSessions(ctx, w.key(w.Recorder), strings.NewReader(csv.String())); err != nil {
				return from, to, fmt.Errorf("sessions: %w", err)
			}
			csv.Reset()
			csv.WriteString("volunteer,date,minutes,role\n")
			rows = 0
		}
		left := perVol[i]
		for d := v.Registered; left > 0; d = d.AddDate(0, 0, 1+w.rng.IntN(3)) {
			if !d.Before(to) {
				d = v.Registered.AddDate(0, 0, w.rng.IntN(int(to.Sub(v.Registered).Hours()/24)))
			}
			m := min(left, int64(60*(1+w.rng.IntN(6))))
			left -= m
			fmt.Fprintf(&csv, "%s,%s,%d,%s\n", v.ID, d.Format(time.DateOnly), m, v.Roles[0])
			rows++
		}
	}
	if _, err := w.Service.ImportSessions(ctx, w.key(w.Recorder), strings.NewReader(csv.String())); err != nil {
		return from, to, fmt.Errorf("sessions: %w", err)
	}

	// Visits: every day's door count, 135,238 in all.
	csv.Reset()
	csv.WriteString("hub,date,count,method\n")
	for i, n := range w.split(int64(135_238*s), days, 150) {
		fmt.Fprintf(&csv, "%s,%s,%d,door counter\n", h.ID, from.AddDate(0, 0, i).Format(time.DateOnly), n)
	}
	if _, err := w.Service.ImportVisits(ctx, w.key(w.Recorder), strings.NewReader(csv.String())); err != nil {
		return from, to, fmt.Errorf("visits: %w", err)
	}

	// Groups: 32 advisory and social groups, most from the first months.
	for i := range 32 * s {
		kind := hubs.GroupAdvisory
		if i%3 == 0 {
			kind = hubs.GroupSocial
		}
		if _, err := w.Service.AddGroup(ctx, w.key(w.Coordinator), hubs.NewGroup{Hub: h.ID, Name: groupNames[i%len(groupNames)] + fmt.Sprintf(" (%d)", i+1),
			Kind: kind, Since: from.AddDate(0, 0, w.rng.IntN(200))}); err != nil {
			return from, to, err
		}
	}

	// Events: the Learning Fair, and clubs and courses.
	csv.Reset()
	csv.WriteString("hub,kind,title,date,attendance,stalls\n")
	fmt.Fprintf(&csv, "%s,fair,Community Learning Fair,2013-09-14,%d,%d\n", h.ID, 2000+w.rng.IntN(400), 30+w.rng.IntN(8))
	for i := range 120 * s {
		kind := []string{"club", "course", "other"}[i%3]
		fmt.Fprintf(&csv, "%s,%s,%s %d,%s,%d,0\n", h.ID, kind, strings.ToUpper(kind[:1])+kind[1:], i+1,
			from.AddDate(0, 0, 2+w.rng.IntN(days-2)).Format(time.DateOnly), 5+w.rng.IntN(30))
	}
	if _, err := w.Service.ImportEvents(ctx, w.key(w.Recorder), strings.NewReader(csv.String())); err != nil {
		return from, to, fmt.Errorf("events: %w", err)
	}

	// Surgeries: a monthly bookable advice surgery, with drop-ins.
	room, err := w.Service.AddRoom(ctx, w.key(w.Coordinator), h.ID, "Advice room")
	if err != nil {
		return from, to, err
	}
	for m := range 12 {
		start := from.AddDate(0, m, 9).Add(10 * time.Hour)
		w.SetClock(start.AddDate(0, 0, -7))
		x, err := w.Service.ScheduleSurgery(ctx, w.key(w.Coordinator), hubs.NewSurgery{Room: room.ID, Title: "Benefits and debt advice",
			Provider: "Citizens Advice Thurrock", Starts: start, Ends: start.Add(3 * time.Hour), SlotMinutes: 30, Capacity: 1})
		if err != nil {
			return from, to, err
		}
		for slot := range 5 {
			b, err := w.Service.Book(ctx, w.key(w.Coordinator), hubs.NewBooking{Surgery: x.ID, Slot: slot, Name: first(slot+m) + " " + surnames[(slot*7+m)%len(surnames)], Contact: "by phone"})
			if err != nil {
				return from, to, err
			}
			if slot != 4 {
				if _, err := w.Service.MarkAttended(ctx, w.key(w.Recorder), b.ID); err != nil {
					return from, to, err
				}
			}
		}
		if _, err := w.Service.RecordDropIns(ctx, w.key(w.Recorder), x.ID, int64(3+w.rng.IntN(6))); err != nil {
			return from, to, err
		}
	}

	// Seven volunteers moved into work, with their consent.
	w.SetClock(to.Add(-time.Hour))
	for i := range 7 {
		if _, err := w.Service.RecordWork(ctx, w.key(w.Coordinator), vols[i*5].ID, from.AddDate(0, 4+i, 0), true); err != nil {
			return from, to, err
		}
	}
	return from, to, nil
}

// Year2022 generates April to December 2022 across the open hubs: 1,830
// events, and council volunteer placements — 181 running on 1 April, 196
// on 31 December, 95% of them filled. It returns the period's first day
// and the day after its last.
func (w *HubsWorld) Year2022(ctx context.Context) (from, to time.Time, err error) {
	from, to = date(2022, 4, 1), date(2023, 1, 1)
	w.SetClock(to)
	open := []*hubs.Hub{w.Hubs[SouthOckendon], w.Hubs[Chadwell], w.Hubs[Acorns], w.Hubs[Tilbury], w.Hubs[Purfleet]}
	days := int(to.Sub(from).Hours() / 24)
	var csv strings.Builder
	csv.WriteString("hub,kind,title,date,attendance,stalls\n")
	kinds := []string{"club", "course", "fair", "surgery", "other"}
	for i := range 1830 {
		h := open[i%len(open)]
		k := kinds[w.rng.IntN(len(kinds))]
		fmt.Fprintf(&csv, "%s,%s,%s at %s,%s,%d,0\n", h.ID, k, k, h.Name, from.AddDate(0, 0, w.rng.IntN(days)).Format(time.DateOnly), 4+w.rng.IntN(40))
	}
	if _, err := w.Service.ImportEvents(ctx, w.key(w.Recorder), strings.NewReader(csv.String())); err != nil {
		return from, to, fmt.Errorf("events: %w", err)
	}

	// Placements: 181 running at the start, 20 of which end; 35 new.
	type plan struct {
		offered, filled, ended time.Time
	}
	var plans []plan
	for i := range 181 {
		p := plan{offered: date(2021, 1, 4).AddDate(0, 0, w.rng.IntN(400))}
		p.filled = p.offered.AddDate(0, 0, 7+w.rng.IntN(30))
		if i < 20 {
			p.ended = date(2022, 6, 1).AddDate(0, 0, w.rng.IntN(180))
		}
		plans = append(plans, p)
	}
	for range 35 {
		p := plan{offered: from.AddDate(0, 0, w.rng.IntN(days-60))}
		p.filled = p.offered.AddDate(0, 0, 7+w.rng.IntN(40))
		plans = append(plans, p)
	}
	unfilled := 0
	for i := len(plans) - 1; i >= 0 && unfilled < 9; i-- {
		if plans[i].ended.IsZero() {
			plans[i].filled = time.Time{}
			unfilled++
		}
	}
	for i, p := range plans {
		pl, err := w.Service.OfferPlacement(ctx, w.key(w.Coordinator), hubs.NewPlacement{Title: fmt.Sprintf("%s volunteer %d", placementRoles[i%len(placementRoles)], i+1), Offered: p.offered})
		if err != nil {
			return from, to, err
		}
		if !p.filled.IsZero() {
			if _, err := w.Service.FillPlacement(ctx, w.key(w.Coordinator), pl.ID, p.filled); err != nil {
				return from, to, err
			}
		}
		if !p.ended.IsZero() {
			if _, err := w.Service.EndPlacement(ctx, w.key(w.Coordinator), pl.ID, p.ended); err != nil {
				return from, to, err
			}
		}
	}
	return from, to, nil
}

// Enterprises generates the micro-enterprise register from none in 2015
// to 25 by February 2017: 27 registered, two of which grew past eight
// workers and left. It returns the day the count is due.
func (w *HubsWorld) Enterprises(ctx context.Context) (time.Time, error) {
	hubList := []*hubs.Hub{w.Hubs[SouthOckendon], w.Hubs[Chadwell], w.Hubs[Acorns], w.Hubs[Tilbury]}
	var ids []string
	for i := range 27 {
		on := date(2015, 3, 2).AddDate(0, 0, i*25)
		e, err := w.Service.RegisterEnterprise(ctx, w.key(w.Coordinator), hubs.NewEnterprise{Hub: hubList[i%len(hubList)].ID,
			Name: enterpriseNames[i%len(enterpriseNames)] + fmt.Sprintf(" %d", i+1), Paid: int64(w.rng.IntN(3)), Unpaid: int64(1 + w.rng.IntN(5)),
			Independent: true, On: on})
		if err != nil {
			return time.Time{}, err
		}
		ids = append(ids, e.ID)
	}
	for _, id := range ids[:2] {
		if _, err := w.Service.UpdateEnterprise(ctx, w.key(w.Coordinator), id, hubs.EnterpriseUpdate{Paid: ptr[int64](7), Unpaid: ptr[int64](4),
			On: date(2016, 11, 1), Reason: "grew"}); err != nil {
			return time.Time{}, err
		}
	}
	return date(2017, 2, 28), nil
}

func ptr[T any](v T) *T { return &v }

// Directory generates the Stronger Together directory: organisations, a
// taxonomy of needs (codes as the social prescribing pilot names needs),
// a location at each hub and at libraries, postcode centroids, and n
// services spread across them with schedules, ages, contacts and costs.
func (w *HubsWorld) Directory(ctx context.Context, n int) error {
	var orgs []*hubs.Organization
	for i, name := range orgNames {
		o, err := w.Service.AddOrganization(ctx, w.key(w.Editor), hubs.NewOrganization{Name: name, Description: "A community organisation in Thurrock.",
			Email: fmt.Sprintf("hello%d@example.org", i+1), Website: fmt.Sprintf("https://org%d.example.org", i+1)})
		if err != nil {
			return err
		}
		orgs = append(orgs, o)
	}
	root, err := w.Service.AddTerm(ctx, w.key(w.Editor), hubs.NewTerm{Code: "needs", Name: "Needs", Description: "What a person needs help with.", Taxonomy: "stronger-together-needs"})
	if err != nil {
		return err
	}
	var terms []*hubs.TaxonomyTerm
	for _, c := range needCodes {
		t, err := w.Service.AddTerm(ctx, w.key(w.Editor), hubs.NewTerm{Code: c, Name: strings.ReplaceAll(c, "-", " "), Description: "Services for " + strings.ReplaceAll(c, "-", " ") + ".", ParentID: root.ID, Taxonomy: "stronger-together-needs"})
		if err != nil {
			return err
		}
		terms = append(terms, t)
	}
	var locs []*hubs.Location
	var pcs []hubs.Postcode
	for _, name := range []string{SouthOckendon, Chadwell, Acorns, Tilbury, Purfleet, Aveley} {
		h := w.Hubs[name]
		l, err := w.Service.AddLocation(ctx, w.key(w.Editor), hubs.NewLocation{Name: h.Name, Address1: h.Address, City: "Thurrock", Postcode: h.Postcode,
			Lat: h.Lat, Long: h.Long, Ward: h.Ward, PCN: h.PCN, Hub: h.ID})
		if err != nil {
			return err
		}
		locs = append(locs, l)
		pcs = append(pcs, hubs.Postcode{ID: h.Postcode, Lat: h.Lat + 0.001, Long: h.Long - 0.001})
	}
	pcs = append(pcs, hubs.Postcode{ID: "RM17 6SL", Lat: 51.4780, Long: 0.3240}, hubs.Postcode{ID: "SS17 0HE", Lat: 51.5160, Long: 0.4260})
	if _, err := w.Service.LoadPostcodes(ctx, w.key(w.Editor), pcs); err != nil {
		return err
	}
	days := []string{"MO", "TU", "WE", "TH", "FR", "SA"}
	for i := range n {
		t := terms[i%len(terms)]
		what := services[i%len(services)]
		min, max := ageBands[i%len(ageBands)][0], ageBands[i%len(ageBands)][1]
		l := hubs.NewListing{OrganizationID: orgs[w.rng.IntN(len(orgs))].ID, Name: fmt.Sprintf("%s %d", what, i+1),
			Description: fmt.Sprintf("%s for people in Thurrock: %s.", what, strings.ReplaceAll(t.Code, "-", " ")),
			MinimumAge:  min, MaximumAge: max, TermIDs: []string{t.ID}, LocationIDs: []string{locs[i%len(locs)].ID},
			Schedules: []hubs.Schedule{{Freq: "WEEKLY", ByDay: days[i%len(days)] + "," + days[(i+2)%len(days)], OpensAt: fmt.Sprintf("%02d:00", 9+i%4), ClosesAt: fmt.Sprintf("%02d:00", 13+i%4)}},
			Contacts:  []hubs.Contact{{Name: "Duty officer", Email: fmt.Sprintf("service%d@example.org", i+1)}},
			Costs:     []hubs.CostOption{{Option: "free"}}}
		if i%5 == 0 {
			a := decimal.RequireFromString("2.50")
			l.Costs = []hubs.CostOption{{Option: "per session", Amount: &a, Currency: "GBP"}}
		}
		if _, err := w.Service.AddListing(ctx, w.key(w.Editor), l); err != nil {
			return err
		}
	}
	return nil
}

var (
	surnames        = []string{"Abbott", "Bishop", "Cole", "Dunn", "Ellis", "Fox", "Gray", "Hart", "Irwin", "Jones", "Khan", "Lamb", "Moss", "Nash", "Owen", "Page", "Quinn", "Reed", "Shaw", "Todd", "Upton", "Vale", "Webb"}
	groupNames      = []string{"Knit and natter", "Carers' coffee morning", "Job club", "Digital drop-in", "Benefits advice", "Debt advice", "Housing advice", "Parent and toddler", "Men's shed", "Reading group", "Walking group", "Memory café"}
	placementRoles  = []string{"Library", "Hub welcome", "Digital champion", "Community connector", "Gardening", "Befriending"}
	enterpriseNames = []string{"Home help", "Cake and bake", "Dog walking", "Garden care", "Handy person", "Hair at home", "Sewing and mending"}
	orgNames        = []string{"Thurrock CVS", "Citizens Advice Thurrock", "Thurrock Lifestyle Solutions", "Age Well Thurrock", "Tilbury Community Church", "Purfleet Residents' Association", "Ockendon Carers", "Grays Men's Shed", "Chadwell Running Club", "Stifford Clays Gardeners"}
	needCodes       = []string{"loneliness", "mobility", "debt", "housing", "carer-support", "mental-wellbeing", "physical-activity", "benefits", "employment", "bereavement", "nutrition", "digital"}
	services        = []string{"Coffee morning", "Walking football", "Debt advice surgery", "Housing options clinic", "Carers' support group", "Mindfulness course", "Chair exercise class", "Benefits check", "Job club", "Bereavement café", "Cook and eat", "Digital drop-in"}
	ageBands        = [][2]*int{{nil, nil}, {ptr(18), nil}, {ptr(50), nil}, {ptr(16), ptr(25)}, {nil, ptr(17)}}
	names           = []string{"Alex", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lou", "Max", "Nia", "Oli", "Pam", "Ray", "Sam", "Tia", "Uma", "Vic", "Wyn"}
)

// first returns a function naming person i from a list.
func first(list []string) func(i int) string {
	return func(i int) string { return list[i%len(list)] }
}
