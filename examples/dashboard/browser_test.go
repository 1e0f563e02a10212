package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/outcomes/chart"
)

//go:embed testdata/axe-core-4.14.1.min.js
var axeSource string

// chromium finds Debian's chromium (or another Chrome). Under CI=true a
// missing browser fails the test; elsewhere it skips, saying what to
// install.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium: .ci/run installs Debian's chromium package; install it with apt-get install chromium")
	}
	t.Skip("no Chromium on PATH: apt-get install chromium to run the browser test")
	return ""
}

// axeResult is what axe.run returns, in part.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes []struct {
		ID string `json:"id"`
	} `json:"passes"`
}

// TestBrowser serves the dashboard, drives headless Chromium through
// every page, checks the outcome cards' ratings against the report, runs
// a directory search, downloads the 360Giving file, saves a screenshot
// per page (to $DASHBOARD_SHOTS, or the test's temporary folder) and runs
// axe-core with the WCAG 2.2 AA rules, expecting no violation.
func TestBrowser(t *testing.T) {
	browser := chromium(t)
	ctx := context.Background()
	dir := t.TempDir()
	sum, err := build(ctx, "", dir, 1, io.Discard)
	require.NoError(t, err)
	t.Cleanup(func() { sum.Live.Close() })
	h, err := newServer(sum, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) })
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()

	shots := os.Getenv("DASHBOARD_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 3*time.Minute)
	defer cancel()

	// axe checks the page as loaded, with the WCAG 2.0, 2.1 and 2.2 A and
	// AA rules.
	audit := func(t *testing.T, name string) {
		t.Helper()
		_, err := chromedp.Run(bctx, chromedp.Evaluate[*runtime.RemoteObject](axeSource))
		require.NoError(t, err, name)
		res, err := chromedp.Run(bctx, chromedp.Evaluate[axeResult](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})`,
			chromedp.EvalAwaitPromise))
		require.NoError(t, err, name)
		for _, v := range res.Violations {
			targets, _ := json.Marshal(v.Nodes)
			t.Errorf("%s: axe %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, targets)
		}
		assert.NotEmpty(t, res.Passes, "%s: axe ran no rule", name)
	}
	shoot := func(t *testing.T, name string) {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}

	pages := []struct{ path, h1 string }{
		{"/", "Stronger Together in Thurrock"},
		{"/outcomes", "Outcome framework"},
		{"/timebank", "Time bank"},
		{"/hubs", "Community hubs"},
		{"/grants", "Small Sparks grants"},
		{"/giving", "Local Giving"},
		{"/prescribing", "Social prescribing"},
		{"/dementia", "Dementia Action Alliance"},
		{"/directory", "Directory"},
		{"/locality", "Locality programmes"},
		{"/wards", "Ward matrix"},
	}
	for _, p := range pages {
		name := strings.Trim(strings.ReplaceAll(p.path, "/", ""), " ")
		if name == "" {
			name = "overview"
		}
		t.Run(name, func(t *testing.T) {
			require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL+p.path)))
			h1, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("h1")))
			require.NoError(t, err)
			skip, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS(".govuk-skip-link"), "href"))
			require.NoError(t, err)
			assert.Equal(t, p.h1, strings.TrimSpace(h1))
			assert.Equal(t, "#main-content", skip.Value)
			shoot(t, name)
			audit(t, name)
		})
	}

	t.Run("outcome cards", func(t *testing.T) {
		require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/outcomes")))
		got, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll(".rag")].map(e => [e.dataset.indicator, e.textContent.trim()]))`))
		require.NoError(t, err)
		want := map[string]string{}
		for _, rep := range sum.Outcomes {
			for i := range rep.Rows {
				want[rep.Rows[i].Indicator.ID] = chart.Rating(&rep.Rows[i])
			}
		}
		assert.Equal(t, want, got)
		assert.Equal(t, "Red", got["timebank-hours"], "the time bank missed its +10% target")
		card, err := chromedp.Run(bctx, chromedp.Screenshot(chromedp.ID("card-timebank-hours")))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, "card-timebank-hours.png"), card, 0o644))
		for _, sel := range []string{".chart svg", ".chart svg > title", ".indicator-card table"} {
			n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("`+sel+`").length`))
			require.NoError(t, err)
			assert.Equal(t, len(want), n, sel)
		}
	})

	t.Run("local giving figures", func(t *testing.T) {
		require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/giving")))
		got, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("[data-figure]")].map(e => [e.dataset.figure, e.textContent.trim()]))`))
		require.NoError(t, err)
		r := sum.Giving
		pounds := func(d decimal.Decimal) string { return "£" + group(d.StringFixed(2)) }
		for fig, want := range map[string]string{
			"gifts": pounds(r.Gifts), "giftaid": pounds(r.GiftAid), "match": pounds(r.Match), "raised": pounds(r.Raised),
			"donors": group(strconv.Itoa(r.Individuals + r.Businesses)), "volunteers": group(strconv.Itoa(r.Volunteers)),
			"funded-people": group(strconv.Itoa(r.Funded.People)),
		} {
			assert.Equal(t, want, got[fig], fig)
		}
		nav, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#navigation a")].map(a => a.getAttribute("href"))`))
		require.NoError(t, err)
		assert.Contains(t, nav, "/giving")
	})

	t.Run("ward matrix cells", func(t *testing.T) {
		require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/wards")))
		got, err := chromedp.Run(bctx, chromedp.Evaluate[map[string][]int64](`Object.fromEntries([...document.querySelectorAll("#ward-matrix tr[data-ward]")].map(r => [r.dataset.ward, [...r.querySelectorAll("td[data-count]")].map(c => Number(c.dataset.count))]))`))
		require.NoError(t, err)
		m := sum.Matrix.Matrix
		want := map[string][]int64{}
		for i, w := range m.Wards {
			want[w] = m.Counts[i]
		}
		assert.Equal(t, want, got)
		heads, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#ward-matrix th[data-programme]")].map(h => h.dataset.programme)`))
		require.NoError(t, err)
		assert.Equal(t, m.Programmes, heads)
		// The matrix scrolls inside its region on a narrow screen, and the
		// region takes the keyboard's focus.
		focused, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { const r = document.querySelector(".table-scroll"); r.focus(); return document.activeElement.getAttribute("aria-labelledby"); })()`))
		require.NoError(t, err)
		assert.Equal(t, "ward-matrix-caption", focused)
	})

	t.Run("costs avoided", func(t *testing.T) {
		require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/locality")))
		got, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("#costs-total [data-figure]")].map(e => [e.dataset.figure, e.textContent.trim()]))`))
		require.NoError(t, err)
		c := sum.Costs
		pounds := func(d decimal.Decimal) string { return "£" + group(d.StringFixed(0)) }
		assert.Equal(t, map[string]string{"gross-low": pounds(c.Gross.Low), "gross-high": pounds(c.Gross.High),
			"net-low": pounds(c.Net.Low), "net-high": pounds(c.Net.High)}, got)
		steps, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("[data-step]")].map(r => r.dataset.step)`))
		require.NoError(t, err)
		assert.Len(t, steps, 5*len(c.Programmes), "gross, three adjustments and net for each programme")
		intro, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("#lac-caseloads tr[data-area]")].map(r => [r.dataset.area, r.querySelector("[data-figure=introduced]").textContent]))`))
		require.NoError(t, err)
		names := areaNames(sum.Locality)
		wantIntro := map[string]string{}
		for _, a := range sum.Locality.LAC {
			wantIntro[names[a.Area]] = strconv.Itoa(a.Introduced)
		}
		assert.Equal(t, wantIntro, intro)
	})

	t.Run("directory search", func(t *testing.T) {
		const q = "Benefits"
		hits, err := sum.Live.Hubs.Search(ctx, hubs.Query{Text: q, Limit: 50})
		require.NoError(t, err)
		require.NotEmpty(t, hits)
		require.NoError(t, chromedp.Do(bctx,
			chromedp.Navigate(srv.URL+"/directory"),
			chromedp.SendKeys(chromedp.ID("q"), q),
			chromedp.Click(chromedp.ID("search")),
			chromedp.WaitVisible(chromedp.ID("results-heading")),
		))
		heading, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("results-heading")))
		require.NoError(t, err)
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("#results li").length`))
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("%d results for “%s”", len(hits), q), heading)
		assert.Equal(t, len(hits), n)
		shoot(t, "directory-results")
		audit(t, "directory-results")
	})

	t.Run("360Giving download", func(t *testing.T) {
		require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/grants")))
		body, err := chromedp.Run(bctx, chromedp.Evaluate[string](`fetch(document.querySelector("#download-360").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		want, err := os.ReadFile(sum.ThreeSixty)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, []byte(body)), "the download is the package the app wrote")
		var pkg struct {
			Grants []json.RawMessage `json:"grants"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &pkg))
		assert.Len(t, pkg.Grants, sum.Grants.Awards)
	})
}
