package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// crashEnv names the database file TestCrashHelper writes to when the test
// binary is re-executed by TestCrash; without it the helper does nothing.
const crashEnv = "STRONGER_SQLITE_CRASH_DB"

const (
	crashAccounts = 16
	crashPerBatch = 16
	crashKillAt   = 400 // acknowledged transfers before the writer is killed
)

func crashAccount(i int) string { return fmt.Sprintf("crash-%02d", i) }

func crashBase() time.Time { return time.Date(2025, time.April, 1, 9, 0, 0, 0, time.UTC) }

// TestCrashHelper is the writer TestCrash kills: it posts batches of
// two-posting transfers for a minute at most and prints "ack <id>" for
// each transfer only after the Apply that wrote it returned nil.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		return
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	s := NewTimebankStore(db)
	rng := rand.New(rand.NewPCG(1, 2))
	deadline := time.Now().Add(time.Minute)
	var out bytes.Buffer
	for i := 0; time.Now().Before(deadline); i++ {
		b := &timebank.Batch{}
		for j := range crashPerBatch {
			from := rng.IntN(crashAccounts)
			to := (from + 1 + rng.IntN(crashAccounts-1)) % crashAccounts
			amount := int64(1 + rng.IntN(120))
			b.Transfers = append(b.Transfers, &timebank.Transfer{
				ID: fmt.Sprintf("tr-%06d-%d", i, j), Bank: "bank", Kind: timebank.KindExchange,
				At: crashBase().Add(time.Duration(i) * time.Millisecond),
				Postings: []timebank.Posting{
					{Account: crashAccount(from), Amount: -amount},
					{Account: crashAccount(to), Amount: amount},
				},
			})
		}
		if err := s.Apply(ctx, b); err != nil {
			fmt.Fprintln(os.Stderr, "apply:", err)
			os.Exit(2)
		}
		out.Reset()
		for _, tr := range b.Transfers {
			fmt.Fprintf(&out, "ack %s\n", tr.ID)
		}
		if _, err := os.Stdout.Write(out.Bytes()); err != nil {
			os.Exit(3)
		}
	}
	_ = db.Close()
}

// TestCrash kills a writer process with SIGKILL while it is writing, then
// checks that every transfer it acknowledged survived, that no transfer
// is torn and that the maintained balances agree with the postings.
func TestCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := Open(t.Context(), path)
	require.NoError(t, err)
	s := NewTimebankStore(db)
	setup := &timebank.Batch{Banks: []*timebank.Bank{{ID: "bank", Name: "Bank", Rounding: 1,
		Confirmation: timebank.ConfirmBoth, Version: 1}}}
	for i := range crashAccounts {
		setup.Accounts = append(setup.Accounts, &timebank.Account{ID: crashAccount(i), Bank: "bank", Kind: timebank.MemberAccount})
	}
	require.NoError(t, s.Apply(t.Context(), setup))
	require.NoError(t, db.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	// Past crashKillAt acknowledgements, kill the writer after a random
	// delay, so that it dies at any point of a later batch: building it,
	// inside Apply, committing, or printing.
	var acked []string
	kill := make(chan error, 1)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		id, ok := strings.CutPrefix(sc.Text(), "ack ")
		if !ok {
			continue
		}
		acked = append(acked, id)
		if len(acked) == crashKillAt {
			delay := time.Duration(rand.Int64N(int64(20 * time.Millisecond)))
			time.AfterFunc(delay, func() { kill <- cmd.Process.Signal(syscall.SIGKILL) })
		}
	}
	killed := len(acked) >= crashKillAt
	if killed {
		require.NoError(t, <-kill)
	}
	// Lines the writer printed before it died were acknowledged too.
	err = cmd.Wait()
	require.True(t, killed, "the writer stopped after %d acknowledged transfers: %v\n%s", len(acked), err, stderr.String())
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "the writer was not killed: %v", err)
	ws, ok := exit.Sys().(syscall.WaitStatus)
	require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL,
		"the writer ended otherwise than by SIGKILL: %v\n%s", err, stderr.String())
	t.Logf("writer killed after %d acknowledged transfers", len(acked))

	db, err = Open(t.Context(), path)
	require.NoError(t, err)
	defer func() { assert.NoError(t, db.Close()) }()
	s = NewTimebankStore(db)
	ctx := t.Context()

	var integrity string
	require.NoError(t, db.reader.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&integrity))
	assert.Equal(t, "ok", integrity)

	// Every acknowledged transfer is there with both postings.
	for _, id := range acked {
		tr, err := s.Transfer(ctx, id)
		if !assert.NoError(t, err, "acknowledged transfer %s is lost", id) {
			continue
		}
		if assert.Len(t, tr.Postings, 2, "transfer %s", id) {
			assert.Zero(t, tr.Postings[0].Amount+tr.Postings[1].Amount, "transfer %s", id)
		}
	}

	// Every transfer present is whole.
	var total, torn int
	require.NoError(t, db.reader.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(p.n IS NULL OR p.n != 2 OR p.total != 0), 0)
		FROM timebank_transfers t LEFT JOIN (SELECT seq, count(*) AS n, sum(amount) AS total FROM timebank_postings GROUP BY seq) p
		ON p.seq = t.tk`).Scan(&total, &torn))
	assert.Zero(t, torn, "transfers without exactly two postings summing to zero")
	assert.GreaterOrEqual(t, total, len(acked), "fewer transfers stored than acknowledged")
	// A batch is atomic: the writer's batches are all there or not at all,
	// so the transfers stored are whole batches, the acknowledged ones and
	// at most the one whose acknowledgement the kill cut off.
	assert.Zero(t, total%crashPerBatch, "%d transfers stored: a batch of %d was written in part", total, crashPerBatch)
	assert.LessOrEqual(t, total, len(acked)-len(acked)%crashPerBatch+crashPerBatch, "more than one unacknowledged batch stored")
	var batches int
	require.NoError(t, db.reader.QueryRowContext(ctx, `SELECT count(DISTINCT substr(id, 1, 9)) FROM timebank_transfers`).Scan(&batches))
	assert.Equal(t, total/crashPerBatch, batches, "each stored batch has all %d of its transfers", crashPerBatch)
	t.Logf("%d transfers stored", total)
	var orphans int
	require.NoError(t, db.reader.QueryRowContext(ctx,
		`SELECT count(*) FROM timebank_postings WHERE seq NOT IN (SELECT tk FROM timebank_transfers)`).Scan(&orphans))
	assert.Zero(t, orphans, "postings without a transfer")

	// Running balances, maintained balances and their sum.
	var sum int64
	for i := range crashAccounts {
		id := crashAccount(i)
		acc, err := s.Account(ctx, id)
		require.NoError(t, err)
		entries, err := s.Entries(ctx, timebank.EntryFilter{Account: id})
		require.NoError(t, err)
		var running int64
		var last time.Time
		for _, e := range entries {
			running += e.Amount
			if e.Balance != running {
				assert.Fail(t, "balance_after inconsistent", "account %s transfer %s: balance after %d, running sum %d", id, e.Transfer, e.Balance, running)
				break
			}
			last = e.At
		}
		assert.Equal(t, running, acc.Balance, "maintained balance of %s is not the sum of its postings", id)
		assert.True(t, last.Equal(acc.LastAt), "LastAt of %s is %s, latest posting %s", id, acc.LastAt, last)
		sum += acc.Balance
	}
	assert.Zero(t, sum, "balances do not sum to zero")

	// The database is writable again after the crash.
	require.NoError(t, s.Apply(ctx, &timebank.Batch{Transfers: []*timebank.Transfer{{
		ID: "after-crash", Bank: "bank", Kind: timebank.KindExchange, At: crashBase().Add(time.Hour),
		Postings: []timebank.Posting{{Account: crashAccount(0), Amount: -1}, {Account: crashAccount(1), Amount: 1}},
	}}}))
}
