package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/timebank"
)

func main() {
	db := flag.String("db", "", "SQLite file to use (default: a new file in a temporary folder)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *db); err != nil {
		fmt.Fprintln(os.Stderr, "timebank:", err)
		os.Exit(1)
	}
}

// clock is the example's clock: history is replayed at its own dates.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func run(ctx context.Context, w io.Writer, path string) error {
	if path == "" {
		dir, err := os.MkdirTemp("", "timebank-example-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "timebank.db")
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()

	c := &clock{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := timebank.NewService(sqlite.NewTimebankStore(db), timebank.WithClock(c.Now), timebank.WithLogger(log))
	// The council's time bank officer is the store's first administrator.
	officer := call.As("officer")
	from, to := borough.TimebankFrom, borough.TimebankTo
	bank, coord, err := borough.GenerateTimebank(ctx, svc, c.Set, officer, from, to, borough.ThurrockTimebank, 2016)
	if err != nil {
		return fmt.Errorf("build the example bank: %w", err)
	}

	r, err := svc.Report(ctx, bank.ID, from, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s — where we are now (%s to %s)\n\n", bank.Name, from.Format("January 2006"), to.AddDate(0, 0, -1).Format("January 2006"))
	fmt.Fprintf(w, "  %s hours exchanged\n  %d individual members\n  %d transactions\n  %d organisations\n\n",
		r.Hours().StringFixed(0), r.Individuals, r.Exchanges, r.Organisations)

	mid := time.Date(2015, 11, 1, 0, 0, 0, 0, time.UTC)
	g, err := svc.Growth(ctx, bank.ID, mid.AddDate(0, -6, 0), mid, mid, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Growth, May–Oct 2015 to Nov 2015–Apr 2016: hours %s%%, transactions %s%%\n",
		pct(g.Hours), pct(g.Transactions))
	fmt.Fprintf(w, "  (the action plan's target is +10%%: %s)\n\n", map[bool]string{true: "met", false: "not met"}[g.Met(decimalTen)])

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Category\tHours\t")
	for _, c := range r.ByCategory() {
		fmt.Fprintf(tw, "%s\t%s\t\n", c.Category, timebank.Hours(c.Minutes).StringFixed(2))
	}
	tw.Flush()

	// One member's statement: the busiest giver in the period, as the
	// coordinator, who may read their bank's members, sees it.
	cath := call.As(coord.ID)
	xs, err := svc.Exchanges(ctx, cath, timebank.ExchangeFilter{Banks: r.Banks, From: &from, To: &to})
	if err != nil {
		return err
	}
	count := map[string]int{}
	busiest := ""
	for _, x := range xs {
		if x.Status != timebank.Confirmed {
			continue
		}
		count[x.Giver]++
		if count[x.Giver] > count[busiest] || busiest == "" {
			busiest = x.Giver
		}
	}
	st, err := svc.Statement(ctx, cath, busiest, from, to, 0, 8)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nStatement of member %s (first %d entries; balances in hours)\n", busiest, len(st.Entries))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Date\tKind\tMemo\tHours\tBalance")
	fmt.Fprintf(tw, "%s\topening\t\t\t%s\n", st.From.Format("2006-01-02"), timebank.Hours(st.Opening))
	for _, e := range st.Entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.At.Format("2006-01-02"), e.Kind, e.Memo, timebank.Hours(e.Amount), timebank.Hours(e.Balance))
	}
	tw.Flush()
	for _, at := range []time.Time{mid, to} {
		b, err := svc.BalanceAt(ctx, cath, busiest, at)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Balance on %s: %s hours\n", at.Format("2 January 2006"), timebank.Hours(b))
	}
	fmt.Fprintf(w, "\nLedger: %s\n", path)
	return nil
}

var decimalTen = decimal.NewFromInt(10)

// pct shows a percentage change with its sign, or "n/a" when undefined.
func pct(d *decimal.Decimal) string {
	switch {
	case d == nil:
		return "n/a"
	case d.IsPositive():
		return "+" + d.String()
	}
	return d.String()
}
