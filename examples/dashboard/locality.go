package main

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/examples/thurrock/replay"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/outcomes/costs"
)

// programme is how a page names a programme of the ward matrix or the
// costs report, and links to its page.
type programme struct {
	Title string
	Short string // the matrix's column heading
	Abbr  bool   // Short abbreviates Title
	Href  string // its page, or ""
}

// programmes are the programmes the pages know by id. An id not here is
// shown with the title the data gives, so a programme added to the matrix
// is never dropped.
var programmes = map[string]programme{
	"timebank":    {"Time bank", "Time bank", false, "/timebank"},
	"hubs":        {"Community hubs", "Hubs", false, "/hubs"},
	"grants":      {"Small Sparks grants", "Small Sparks", false, "/grants"},
	"giving":      {"Local Giving", "Local Giving", false, "/giving"},
	"prescribing": {"Social prescribing", "Social prescribing", false, "/prescribing"},
	"dementia":    {"Dementia Action Alliance", "Dementia alliance", false, "/dementia"},
	"lac":         {"Local Area Coordination", "LAC", true, "/locality#lac"},
	"organisers":  {"Community Organisers", "Organisers", false, "/locality#organisers"},
	"builders":    {"Community Builders", "Builders", false, "/locality#builders"},
}

// programmeOf names programme id, falling back to title.
func programmeOf(id, title string) programme {
	if p, ok := programmes[id]; ok {
		return p
	}
	if title == "" {
		title = id
	}
	return programme{Title: title, Short: title}
}

// ---- the ward matrix

type matrixColumn struct {
	ID      string
	Counted string // what one count is, and over which period, as a sentence
	programme
}

type matrixCell struct {
	Count  int64
	Active bool
}

type matrixRow struct {
	Ward   string
	Cells  []matrixCell
	Active int // programmes active in the ward
}

type matrixPage struct {
	Period  string
	Columns []matrixColumn
	Rows    []matrixRow
	// Reach counts, per column, the wards the programme is active in.
	Reach []int
	Wards int
	// Covered counts the wards with at least one programme active.
	Covered int
}

// matrixData lays out wm for the page: a row per ward, a column per
// programme, each cell its count; a programme is active in a ward when
// its count there is above zero. Each column says what it counts.
func matrixData(wm *replay.WardMatrix) *matrixPage {
	m := wm.Matrix
	p := &matrixPage{Period: period(m.From, m.To), Reach: make([]int, len(m.Programmes)), Wards: len(m.Wards)}
	for j, id := range m.Programmes {
		c := matrixColumn{ID: id, programme: programmeOf(id, id)}
		if j < len(wm.Columns) && wm.Columns[j].Programme == id {
			c.programme = programmeOf(id, wm.Columns[j].Title)
			c.Counted = sentence(wm.Columns[j].Counts)
		}
		if c.Counted == "" {
			c.Counted = "What the programme counted in the ward, " + period(m.From, m.To) + "."
		}
		p.Columns = append(p.Columns, c)
	}
	for i, w := range m.Wards {
		r := matrixRow{Ward: w, Active: m.Active(i)}
		for j, n := range m.Counts[i] {
			r.Cells = append(r.Cells, matrixCell{Count: n, Active: n > 0})
			if n > 0 {
				p.Reach[j]++
			}
		}
		if r.Active > 0 {
			p.Covered++
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// period writes [from, to) as the days it covers: "1 April 2014 to 31
// March 2015".
func period(from, to time.Time) string {
	return from.Format("2 January 2006") + " to " + to.AddDate(0, 0, -1).Format("2 January 2006")
}

// ---- the locality programmes

type routeCount struct {
	Route string
	N     int
}

type lacRow struct {
	Area                                         string
	Introduced, Open, Closed, GoalsSet, GoalsMet int
	Connections, Coordinated, Avoided            int
	Routes                                       []int // by routeNames, in order
}

type organiserRow struct {
	Area, Ward                          string
	Conversations, Listeners, Activists int64
	Issues, Actions, ActionsDone, Named int
	Themes                              string // the most raised themes
}

type builderRow struct {
	Area                                                string
	Places, Associations, Gifts, Skills, Listed         int
	Offers, Requests, Matches, Fairs, Practices         int
	FairAttendance, FairConnections, PracticeAttendance int64
}

type caseload struct {
	Coordinator string // "Coordinator 1": a number, not the staff id
	Open        int
}

type localityPage struct {
	Period     string
	End        string // the year's last day
	Caseloads  []caseload
	Routes     []string // column titles of the routes table
	LAC        []lacRow
	LACTotal   lacRow
	Organisers []organiserRow
	Builders   []builderRow
}

// routeNames are the routes into Local Area Coordination as the page
// writes them, in locality.Routes() order.
var routeNames = map[locality.Route]string{
	locality.RouteGP:           "GP",
	locality.RouteProfessional: "Another professional",
	locality.RouteResident:     "Resident",
	locality.RouteCouncillor:   "Councillor",
	locality.RouteHousing:      "Housing association",
	locality.RouteHub:          "Community hub",
}

func routeName(r locality.Route) string {
	if n, ok := routeNames[r]; ok {
		return n
	}
	return string(r)
}

// areaNames gives each area's name by its id.
func areaNames(l *replay.Locality) map[string]string {
	names := map[string]string{}
	for _, a := range l.Areas {
		names[a.ID] = a.Name
	}
	return names
}

// localityData lays out the three locality programmes' reports for the
// year l covers. Coordinators are numbered in the order of their staff
// ids, which the page does not show.
func localityData(l *replay.Locality) *localityPage {
	lac, org, bld, names := l.LAC, l.Organisers, l.Builders, areaNames(l)
	p := &localityPage{Period: period(l.From, l.To), End: l.To.AddDate(0, 0, -1).Format("2 January 2006")}
	ids := make([]string, 0, len(l.Caseloads))
	for id := range l.Caseloads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for i, id := range ids {
		p.Caseloads = append(p.Caseloads, caseload{Coordinator: fmt.Sprintf("Coordinator %d", i+1), Open: l.Caseloads[id]})
	}
	name := func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
	for _, r := range locality.Routes() {
		p.Routes = append(p.Routes, routeName(r))
	}
	p.LACTotal = lacRow{Area: "All areas", Routes: make([]int, len(locality.Routes()))}
	for _, a := range lac {
		row := lacRow{Area: name(a.Area), Introduced: a.Introduced, Open: a.Open, Closed: a.Closed, GoalsSet: a.GoalsSet, GoalsMet: a.GoalsMet,
			Coordinated: a.Coordinated, Avoided: a.AvoidedEvents}
		for _, n := range a.Connections {
			row.Connections += n
		}
		for i, r := range locality.Routes() {
			row.Routes = append(row.Routes, a.ByRoute[r])
			p.LACTotal.Routes[i] += a.ByRoute[r]
		}
		t := &p.LACTotal
		t.Introduced, t.Open, t.Closed = t.Introduced+row.Introduced, t.Open+row.Open, t.Closed+row.Closed
		t.GoalsSet, t.GoalsMet = t.GoalsSet+row.GoalsSet, t.GoalsMet+row.GoalsMet
		t.Connections, t.Coordinated, t.Avoided = t.Connections+row.Connections, t.Coordinated+row.Coordinated, t.Avoided+row.Avoided
		p.LAC = append(p.LAC, row)
	}
	for _, w := range org {
		p.Organisers = append(p.Organisers, organiserRow{Area: name(w.Area), Ward: w.Ward, Conversations: w.Conversations,
			Listeners: w.Listeners, Activists: w.Activists, Issues: w.Issues, Actions: w.Actions, ActionsDone: w.ActionsDone,
			Named: w.NamedResidents, Themes: topThemes(w.Themes, 3)})
	}
	for _, b := range bld {
		p.Builders = append(p.Builders, builderRow{Area: name(b.Area), Places: b.Assets[locality.Place], Associations: b.Assets[locality.Association],
			Gifts: b.Assets[locality.GiftAsset], Skills: b.Assets[locality.Skill], Listed: b.Listed, Offers: b.Offers, Requests: b.Requests,
			Matches: b.Matches, Fairs: b.Fairs, Practices: b.Practices, FairAttendance: b.FairAttendance, FairConnections: b.FairConnections,
			PracticeAttendance: b.PracticePeople})
	}
	return p
}

// topThemes names the n themes raised most often, most first (ties by
// name), with how many listening records raised each.
func topThemes(themes map[string]int, n int) string {
	type tc struct {
		t string
		n int
	}
	var all []tc
	for t, c := range themes {
		all = append(all, tc{t, c})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return all[i].t < all[j].t
	})
	out := ""
	for i, x := range all {
		if i == n {
			break
		}
		if i > 0 {
			out += "; "
		}
		out += fmt.Sprintf("%s (%d)", x.t, x.n)
	}
	if out == "" {
		return "none recorded"
	}
	return out
}

// ---- costs avoided

// rangeCells is a low–high range in pounds, to the pound, as two cells.
type rangeCells struct{ Low, High string }

func cells(r costs.Range) rangeCells {
	return rangeCells{Low: "£" + group(r.Low.StringFixed(0)), High: "£" + group(r.High.StringFixed(0))}
}

type costLine struct {
	Service, Quantity, UnitCost, Source string
	Events                              int
	Gross                               rangeCells
}

type costStep struct {
	Label string
	Range rangeCells
	Less  bool // an adjustment taken away
	ID    string
}

type costArea struct {
	Area       string
	Events     int
	Gross, Net rangeCells
}

type costProgramme struct {
	ID, Title string
	Lines     []costLine
	Steps     []costStep
	Areas     []costArea
	Cost      string // the programme's cost in the period, or ""
}

type costsPage struct {
	Period       string
	PriceBases   []string
	Deadweight   string
	Attribution  string
	OptimismBias []struct{ Confidence, Percent string }
	Programmes   []costProgramme
	Gross, Net   rangeCells
}

// costsData lays out a costs-avoided report: for each programme the
// service use avoided at its unit costs, then gross, each adjustment and
// net, each a low–high range; names gives areas' names by id.
func costsData(r *costs.Report, names map[string]string) *costsPage {
	p := &costsPage{Period: period(r.From, r.To), PriceBases: r.PriceBases, Gross: cells(r.Gross), Net: cells(r.Net),
		Deadweight: pct(r.Params.Deadweight), Attribution: pct(r.Params.Attribution)}
	for _, c := range costs.Confidences() {
		p.OptimismBias = append(p.OptimismBias, struct{ Confidence, Percent string }{string(c), pct(r.Params.OptimismBias[c])})
	}
	other := pct(decimal.NewFromInt(100).Sub(r.Params.Attribution))
	var bias string
	for i, c := range p.OptimismBias {
		if i > 0 {
			bias += ", "
		}
		bias += c.Percent + " for " + c.Confidence
	}
	for _, pr := range r.Programmes {
		cp := costProgramme{ID: pr.Programme, Title: programmeOf(pr.Programme, "").Title}
		for _, l := range pr.Lines {
			cp.Lines = append(cp.Lines, costLine{Service: l.Unit.Name, Quantity: group(l.Quantity.String()) + " " + plural(l.Unit.Unit, l.Quantity),
				UnitCost: l.Unit.String(), Source: fmt.Sprintf("%s, %s, at %s prices", l.Unit.Source, l.Unit.Date.Format("2 January 2006"), l.Unit.PriceBase),
				Events: l.Events, Gross: cells(l.Gross)})
		}
		cp.Steps = []costStep{
			{ID: "gross", Label: "Gross: the service use avoided, at its unit costs", Range: cells(pr.Gross)},
			{ID: "deadweight", Label: "Less deadweight: the " + p.Deadweight + " that would have been avoided anyway", Range: cells(pr.Deadweight), Less: true},
			{ID: "attribution", Label: "Less attribution: the " + other + " of the rest due to other help the person had", Range: cells(pr.Attribution), Less: true},
			{ID: "optimism", Label: "Less optimism bias: " + bias + " confidence evidence", Range: cells(pr.OptimismBias), Less: true},
			{ID: "net", Label: "Net: costs avoided that the programme can claim", Range: cells(pr.Net)},
		}
		for _, a := range pr.Areas {
			area := names[a.Area]
			if area == "" {
				area = a.Area
			}
			if area == "" {
				area = "No area recorded"
			}
			cp.Areas = append(cp.Areas, costArea{Area: area, Events: a.Events, Gross: cells(a.Gross), Net: cells(a.Net)})
		}
		if pr.Cost != nil {
			cp.Cost = "£" + group(pr.Cost.StringFixed(0))
		}
		p.Programmes = append(p.Programmes, cp)
	}
	return p
}

// pct writes a percentage parameter: "20%".
func pct(d decimal.Decimal) string { return d.String() + "%" }

// plural adds an s to unit unless quantity is one.
func plural(unit string, q decimal.Decimal) string {
	if q.Equal(decimal.NewFromInt(1)) {
		return unit
	}
	return unit + "s"
}
