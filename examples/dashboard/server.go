package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/oruk"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/examples/thurrock/replay"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
	"github.com/strongertogether/community/prescribing"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// areaName is the area every page is about.
const areaName = "Thurrock"

// server serves the dashboard's pages from one replayed Summary, whose
// Live services stay open for the directory search and the ORUK API.
type server struct {
	sum  *replay.Summary
	tmpl *template.Template
	log  *slog.Logger
	now  func() time.Time
	// the 360Giving package, read once
	threeSixty []byte
	// the Local Giving page's figures, read once
	givingPage *givingPage
}

// page is what every template gets.
type page struct {
	Title   string // the page's h1 and <title>
	Path    string // for the navigation's current item
	Nav     []navItem
	Content any
}

type navItem struct{ Href, Text string }

var nav = []navItem{
	{"/", "Overview"},
	{"/outcomes", "Outcome framework"},
	{"/timebank", "Time bank"},
	{"/hubs", "Community hubs"},
	{"/grants", "Small Sparks grants"},
	{"/giving", "Local Giving"},
	{"/locality", "Locality programmes"},
	{"/prescribing", "Social prescribing"},
	{"/dementia", "Dementia"},
	{"/directory", "Directory"},
	{"/wards", "Ward matrix"},
}

// newServer builds the handler: every page, the 360Giving download, the
// ORUK API at /api/oruk and the vendored GOV.UK Frontend CSS at /static.
func newServer(sum *replay.Summary, log *slog.Logger, now func() time.Time) (http.Handler, error) {
	if sum.Live == nil {
		return nil, fmt.Errorf("dashboard: the summary has no open services (replay.Options.KeepOpen)")
	}
	t, err := template.New("").Funcs(template.FuncMap{
		"tag":   tagClass,
		"inc":   func(i int) int { return i + 1 },
		"fig":   func(i int) string { return group(strconv.Itoa(i)) },
		"fig64": func(i int64) string { return group(strconv.FormatInt(i, 10)) },
		"money": func(d decimal.Decimal) string { return "£" + group(d.StringFixed(2)) },
		"dec":   func(d decimal.Decimal, places int32) string { return group(d.StringFixed(places)) },
		"pct": func(d *decimal.Decimal) string {
			if d == nil {
				return "not available"
			}
			return signed(d.StringFixed(1)) + "%"
		},
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: templates: %w", err)
	}
	data, err := os.ReadFile(sum.ThreeSixty)
	if err != nil {
		return nil, fmt.Errorf("dashboard: read the 360Giving package: %w", err)
	}
	gp, err := givingData(context.Background(), sum.Live.Giving, sum.Campaign, sum.Giving)
	if err != nil {
		return nil, err
	}
	s := &server{sum: sum, tmpl: t, log: log, now: now, threeSixty: data, givingPage: gp}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.overview)
	mux.HandleFunc("GET /outcomes", s.outcomes)
	mux.HandleFunc("GET /timebank", s.timebank)
	mux.HandleFunc("GET /hubs", s.hubs)
	mux.HandleFunc("GET /grants", s.grants)
	mux.HandleFunc("GET /grants/360giving.json", s.download360)
	mux.HandleFunc("GET /giving", s.giving)
	mux.HandleFunc("GET /locality", s.locality)
	mux.HandleFunc("GET /wards", s.wards)
	mux.HandleFunc("GET /prescribing", s.prescribing)
	mux.HandleFunc("GET /directory", s.directory)
	mux.HandleFunc("GET /dementia", s.dementia)
	mux.Handle("/api/oruk/", http.StripPrefix("/api/oruk", oruk.NewHandler(sum.Live.Hubs, oruk.Options{})))
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	return mux, nil
}

// render writes a page, or a 500 when the template fails (logged by id
// of the page only).
func (s *server) render(w http.ResponseWriter, r *http.Request, name, title string, content any) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, page{Title: title, Path: r.URL.Path, Nav: nav, Content: content}); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// tagClass is the GOV.UK tag colour for a rating word.
func tagClass(rating string) string {
	switch rating {
	case "Green":
		return "govuk-tag--green"
	case "Amber":
		return "govuk-tag--yellow"
	case "Red":
		return "govuk-tag--red"
	}
	return "govuk-tag--grey"
}

// group puts thousands separators into a number's integer part.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func signed(s string) string {
	if !strings.HasPrefix(s, "-") && s != "0.0" && s != "0" {
		return "+" + s
	}
	return s
}

// ---- overview

type overview struct {
	Hours       string
	Groups      int
	Referrals   int
	Indicators  int
	HubsOpen    int
	Frameworks  int
	GrantsYear  string
	Raised      string // Local Giving's money raised in its year
	GivingYear  string
	PilotPeriod string
	Friends     string
	// the locality programmes' year
	Introduced   int
	LocalityYear string
	NetLow       string // costs avoided, net, low and high
	NetHigh      string
	// the ward matrix
	Matrix *matrixPage
}

func (s *server) overview(w http.ResponseWriter, r *http.Request) {
	o := overview{Hours: group(s.sum.Timebank.Hours().StringFixed(0)), Groups: s.sum.Grants.Groups, Referrals: s.sum.Prescribing.Referrals,
		Frameworks: len(s.sum.Outcomes), GrantsYear: fy(s.sum.Grants.Year),
		PilotPeriod: s.sum.Prescribing.From.Format("January 2006") + " to " + s.sum.Prescribing.To.AddDate(0, 0, -1).Format("January 2006")}
	if g := s.sum.Giving; g != nil {
		o.Raised, o.GivingYear = "£"+group(g.Raised.StringFixed(2)), fy(g.Year)
	}
	if s.sum.Dementia != nil {
		o.Friends = group(strconv.FormatInt(s.sum.Dementia.Friends.Total, 10))
	}
	for _, h := range s.sum.Hubs {
		if h.Hub.Status == hubs.StatusOpen || h.Hub.Status == hubs.StatusReopened {
			o.HubsOpen++
		}
	}
	for _, rep := range s.sum.Outcomes {
		o.Indicators += len(rep.Rows)
	}
	if l := s.sum.Locality; l != nil {
		o.LocalityYear = period(l.From, l.To)
		for _, a := range l.LAC {
			o.Introduced += a.Introduced
		}
	}
	if c := s.sum.Costs; c != nil {
		n := cells(c.Net)
		o.NetLow, o.NetHigh = n.Low, n.High
	}
	if s.sum.Matrix != nil {
		o.Matrix = matrixData(s.sum.Matrix)
	}
	s.render(w, r, "overview.html", "Stronger Together in "+areaName, o)
}

// ---- the locality programmes and the ward matrix

func (s *server) locality(w http.ResponseWriter, r *http.Request) {
	if s.sum.Locality == nil || s.sum.Costs == nil {
		http.Error(w, "the locality programmes were not built", http.StatusNotFound)
		return
	}
	s.render(w, r, "locality.html", "Locality programmes", struct {
		Loc   *localityPage
		Costs *costsPage
	}{localityData(s.sum.Locality), costsData(s.sum.Costs, areaNames(s.sum.Locality))})
}

func (s *server) wards(w http.ResponseWriter, r *http.Request) {
	if s.sum.Matrix == nil {
		http.Error(w, "the ward matrix was not built", http.StatusNotFound)
		return
	}
	s.render(w, r, "wards.html", "Ward matrix", matrixData(s.sum.Matrix))
}

func fy(y int) string { return fmt.Sprintf("%d/%02d", y, (y+1)%100) }

// ---- outcome framework

type card struct {
	ID, Title, Rating, Latest, Target, Change, Trend, Outlook, Counts string
	Chart                                                             template.HTML
	Table                                                             *chart.Table
}

type framework struct {
	Title, Area string
	Cards       []card
}

type outcomesPage struct {
	Rule       string
	Frameworks []framework
}

func (s *server) outcomes(w http.ResponseWriter, r *http.Request) {
	p, err := s.outcomesData()
	if err != nil {
		s.log.Error("outcomes page", "err", err)
		http.Error(w, "the outcome framework could not be drawn", http.StatusInternalServerError)
		return
	}
	s.render(w, r, "outcomes.html", "Outcome framework", p)
}

func (s *server) outcomesData() (*outcomesPage, error) {
	p := &outcomesPage{Rule: chart.RatingRule(outcomes.DefaultPolicy())}
	opts := []chart.Option{chart.WithAreaName(areaName), chart.WithClock(s.now)}
	for _, rep := range s.sum.Outcomes {
		f := framework{Title: rep.Framework.Title, Area: rep.Framework.Area}
		for i := range rep.Rows {
			row := &rep.Rows[i]
			var svg bytes.Buffer
			if err := chart.SVG(&svg, row, opts...); err != nil {
				return nil, err
			}
			tab, err := chart.Data(row, opts...)
			if err != nil {
				return nil, err
			}
			// Inline the SVG without its XML declaration.
			body := svg.String()
			if i := strings.Index(body, "<svg"); i >= 0 {
				body = body[i:]
			}
			f.Cards = append(f.Cards, card{ID: row.Indicator.ID, Title: row.Indicator.Title, Rating: chart.Rating(row),
				Latest: chart.Latest(row), Target: chart.TargetText(row.Indicator), Change: chart.Change(row),
				Trend: chart.TrendText(row), Outlook: chart.Outlook(row), Counts: row.Indicator.Source,
				Chart: template.HTML(body), Table: tab}) // #nosec: our own SVG, its text escaped by chart
		}
		p.Frameworks = append(p.Frameworks, f)
	}
	return p, nil
}

// ---- time bank

func (s *server) timebank(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "timebank.html", "Time bank", s.sum)
}

// ---- hubs

func (s *server) hubs(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "hubs.html", "Community hubs", s.sum)
}

// ---- grants

func (s *server) grants(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "grants.html", "Small Sparks grants", struct {
		Sum  *replay.Summary
		Year string
		Size string
	}{s.sum, fy(s.sum.Grants.Year), group(strconv.Itoa(len(s.threeSixty)/1024)) + " KB"})
}

func (s *server) download360(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="small-sparks-360giving.json"`)
	_, _ = w.Write(s.threeSixty)
}

// ---- social prescribing (aggregates only)

type waitRow struct{ From, To, Mean, Median, N string }

func (s *server) prescribing(w http.ResponseWriter, r *http.Request) {
	rep := s.sum.Prescribing
	var waits []waitRow
	for _, wt := range rep.Waits {
		waits = append(waits, waitRow{From: string(wt.From), To: string(wt.To), Mean: wt.Mean.StringFixed(1), Median: wt.Median.StringFixed(1), N: strconv.Itoa(wt.N)})
	}
	var closed []waitRow // reason and count, reusing the row shape
	for _, reason := range prescribing.CloseReasons() {
		closed = append(closed, waitRow{From: string(reason), N: strconv.Itoa(rep.Closed[reason])})
	}
	s.render(w, r, "prescribing.html", "Social prescribing", struct {
		R      *prescribing.Report
		Period string
		Waits  []waitRow
		Closed []waitRow
	}{rep, rep.From.Format("2 January 2006") + " to " + rep.To.AddDate(0, 0, -1).Format("2 January 2006"), waits, closed})
}

// ---- dementia

const (
	dementiaSession = dementia.SourceSession
	dementiaOnline  = dementia.SourceOnline
)

func (s *server) dementia(w http.ResponseWriter, r *http.Request) {
	d := s.sum.Dementia
	s.render(w, r, "dementia.html", "Dementia Action Alliance", struct {
		*replay.Dementia
		Sessions, Online int64
	}{d, d.Friends.BySource[dementiaSession], d.Friends.BySource[dementiaOnline]})
}

// ---- directory search

type hit struct{ Name, Description, Metres string }

func (s *server) directory(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var hits []hit
	searched := q != ""
	if searched {
		hs, err := s.sum.Live.Hubs.Search(r.Context(), hubs.Query{Text: q, Limit: 50})
		if err != nil {
			s.log.Error("directory search", "err", err)
			http.Error(w, "the directory could not be searched", http.StatusInternalServerError)
			return
		}
		for _, h := range hs {
			hits = append(hits, hit{Name: h.Listing.Name, Description: h.Listing.Description})
		}
	}
	s.render(w, r, "directory.html", "Directory", struct {
		Q        string
		Searched bool
		Hits     []hit
	}{q, searched, hits})
}
