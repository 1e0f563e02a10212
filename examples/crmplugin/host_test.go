package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/strongertogether/community/adapters/crm"
	crmv1 "github.com/strongertogether/community/adapters/crm/proto/v1"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

var (
	buildOnce sync.Once
	binPath   string
	binSum    []byte
	buildErr  error
	binDir    string
)

// TestMain builds the plugin once for the package's tests into a
// temporary folder.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// pluginBinary builds this package with go build and returns the binary
// and its SHA-256.
func pluginBinary(t testing.TB) (string, []byte) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "crmplugin-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "crmplugin")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		binSum, buildErr = crm.ChecksumFile(binPath)
	})
	require.NoError(t, buildErr)
	return binPath, binSum
}

func start(t testing.TB, dir string) *crm.Plugin {
	t.Helper()
	bin, sum := pluginBinary(t)
	p, err := crm.Start(context.Background(), crm.Config{Path: bin, Args: []string{"-dir", dir}, SHA256: sum,
		CallTimeout: 5 * time.Second, BatchTimeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

// volunteer is one synthetic volunteer row.
type volunteer struct {
	id, version, name, email, phone, roles, registered string
}

// writeVolunteers writes n volunteers, then a second version of every
// tenth, then bad rows, and returns the rows a correct sync stores
// (the latest version of each good record), keyed by external id.
func writeVolunteers(t testing.TB, dir string, n int) (map[string]volunteer, int) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "volunteers.csv"))
	require.NoError(t, err)
	defer f.Close()
	w := csv.NewWriter(f)
	require.NoError(t, w.Write([]string{"external_id", "version", "name", "email", "phone", "roles", "registered"}))
	want := map[string]volunteer{}
	put := func(v volunteer) {
		require.NoError(t, w.Write([]string{v.id, v.version, v.name, v.email, v.phone, v.roles, v.registered}))
	}
	for i := range n {
		v := volunteer{fmt.Sprintf("CRM-V%06d", i), "1", fmt.Sprintf("Volunteer %d", i), fmt.Sprintf("v%d@example.invalid", i),
			"", "welcome desk", "2014-01-02"}
		put(v)
		want[v.id] = v
	}
	for i := 0; i < n; i += 10 {
		v := want[fmt.Sprintf("CRM-V%06d", i)]
		v.version, v.email, v.roles = "2", fmt.Sprintf("v%d.new@example.invalid", i), "welcome desk;cafe"
		put(v)
		want[v.id] = v
	}
	bad := 0
	for i := range 3 {
		put(volunteer{fmt.Sprintf("CRM-BAD%d", i), "1", "", "", "", "", "2014-01-02"}) // no name: hubs refuses it
		bad++
	}
	put(volunteer{"CRM-BADDATE", "1", "Volunteer bad date", "", "", "", "not a date"})
	bad++
	w.Flush()
	require.NoError(t, w.Error())
	return want, bad
}

// checksum is a digest of volunteers as stored or wanted: sorted
// "name|email|roles" lines.
func checksum(lines []string) string {
	slices.Sort(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(h[:])
}

type world struct {
	svc   *hubs.Service
	coord call.Actor
	hub   string
	db    *sqlite.DB
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "community.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	now := time.Date(2014, 2, 1, 9, 0, 0, 0, time.UTC)
	svc := hubs.NewService(sqlite.NewHubsStore(db), hubs.WithClock(func() time.Time { return now }))
	admin, coord := call.As("admin"), call.As("coord")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err = svc.Grant(ctx, admin.Key("grant-coord"), coord.ID, hubs.RoleCoordinator)
	require.NoError(t, err)
	h, err := svc.CreateHub(ctx, coord.Key("hub"), hubs.NewHub{Name: "Tilbury Hub", Ward: "Tilbury", PCN: "TIL",
		Status: hubs.StatusOpen, On: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	return &world{svc: svc, coord: coord, hub: h.ID, db: db}
}

// state returns the sync state of source in the world's database.
func (w *world) state(t testing.TB, source string) *sqlite.CRMState {
	t.Helper()
	s, err := sqlite.NewCRMState(w.db, source)
	require.NoError(t, err)
	return s
}

func (w *world) engine(src crm.Source, state crm.State) *crm.Engine {
	e := crm.NewEngine(src, state, map[crm.Kind]crm.Applier{crm.Volunteer: crm.HubsVolunteers(w.svc, w.coord, w.hub)}, nil)
	e.SetBatchSize(100)
	return e
}

func (w *world) stored(t testing.TB) []string {
	t.Helper()
	vs, err := w.svc.Volunteers(context.Background(), w.coord, hubs.Span{})
	require.NoError(t, err)
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name + "|" + v.Email + "|" + strings.Join(v.Roles, ";")
	}
	return out
}

// killAfter is a Source that SIGKILLs the plugin process after n batches.
type killAfter struct {
	p   *crm.Plugin
	n   int
	got int
}

func (k *killAfter) Pull(ctx context.Context, req crm.PullRequest, send func(crm.Batch) error) error {
	return k.p.Pull(ctx, req, func(b crm.Batch) error {
		if err := send(b); err != nil {
			return err
		}
		k.got++
		if k.got == k.n {
			if err := syscall.Kill(k.p.ReattachConfig().Pid, syscall.SIGKILL); err != nil {
				return err
			}
		}
		return nil
	})
}

// The example plugin, built with go build and run as a real subprocess,
// syncs thousands of volunteers into SQLite through the hubs Service; it
// is killed with SIGKILL mid-sync, restarted, and the sync finishes with
// nothing lost or duplicated. A re-run from the start with no memory of
// the first changes nothing either.
func TestSyncSubprocessCrashRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const n = 3000
	want, bad := writeVolunteers(t, dir, n)
	w := newWorld(t)
	state := w.state(t, "csv-folder")

	p := start(t, dir)
	d, err := p.Describe(ctx)
	require.NoError(t, err)
	assert.Equal(t, "csv-folder", d.Name)
	require.NoError(t, p.Ping(ctx))

	// Batches that wait while the engine stores are stored together
	// (SetGroup), as in a real sync.
	e := w.engine(&killAfter{p: p, n: 7}, state)
	e.SetGroup(1000)
	rep, err := e.Sync(ctx)
	require.Error(t, err, "the plugin died mid-sync")
	assert.ErrorIs(t, err, crm.ErrPlugin)
	// Batches the plugin had sent before it died are stored too.
	assert.GreaterOrEqual(t, rep.Batches, 7, "the batches stored before the kill")
	cur, err := state.Cursor(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, cur, "the cursor advanced past the stored batches")
	assert.Less(t, len(w.stored(t)), n, "the sync stopped part way")

	p2 := start(t, dir)
	e = w.engine(p2, state)
	e.SetGroup(1000)
	rep, err = e.Sync(ctx)
	require.NoError(t, err)
	assert.Len(t, rep.Errors, bad, "each bad record is reported")
	for _, e := range rep.Errors {
		assert.True(t, strings.HasPrefix(e.ExternalID, "CRM-BAD"), e.ExternalID)
	}

	var wantLines []string
	for _, v := range want {
		wantLines = append(wantLines, v.name+"|"+v.email+"|"+v.roles)
	}
	got := w.stored(t)
	assert.Len(t, got, n, "each volunteer stored once")
	assert.Equal(t, checksum(wantLines), checksum(got), "the stored volunteers are the CRM's latest versions")

	rep, err = w.engine(p2, state).Sync(ctx)
	require.NoError(t, err)
	assert.Zero(t, rep.Created+rep.Updated+len(rep.Errors), "nothing new since the cursor")

	// A sync from the start with a fresh state: every batch again, and
	// the Services' idempotency keys make each write a replay.
	rep, err = w.engine(p2, w.state(t, "fresh")).Sync(ctx)
	require.NoError(t, err)
	assert.Len(t, w.stored(t), n)
	assert.Equal(t, checksum(wantLines), checksum(w.stored(t)))
	assert.Equal(t, n, rep.Created, "every record replayed to its first id")
}

// Grant awards pushed to the plugin appear in its awards.csv, each id
// once however often it is pushed.
func TestPushAwards(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := start(t, dir)
	award := func(id string) crm.Item {
		return crm.Item{ID: id, Record: crm.Record{Kind: crm.GrantAward, ExternalID: "APP-" + id, Version: 1,
			Fields: map[string]string{"application": "APP-" + id, "amount": "2500.00"}}}
	}
	res, err := crm.PushWithRetry(ctx, p, []crm.Item{award("a1"), award("a2"), award("a3")}, crm.Backoff{Tries: 3, First: 10 * time.Millisecond})
	require.NoError(t, err)
	for _, r := range res {
		assert.True(t, r.OK, r.Error)
		assert.False(t, r.Duplicate)
	}
	res, err = p.Push(ctx, []crm.Item{award("a2"), award("a4")})
	require.NoError(t, err)
	assert.True(t, res[0].Duplicate)
	assert.True(t, res[1].OK && !res[1].Duplicate)

	// A restarted plugin still knows a2.
	p.Close()
	p2 := start(t, dir)
	res, err = p2.Push(ctx, []crm.Item{award("a2")})
	require.NoError(t, err)
	assert.True(t, res[0].Duplicate)

	b, err := os.ReadFile(filepath.Join(dir, "awards.csv"))
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	require.NoError(t, err)
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	assert.Equal(t, []string{"a1", "a2", "a3", "a4"}, ids)

	res, err = p2.Push(ctx, []crm.Item{{ID: "x", Record: crm.Record{Kind: crm.Person, ExternalID: "P1", Version: 1}}})
	require.NoError(t, err)
	assert.False(t, res[0].OK)
	assert.Contains(t, res[0].Error, "not person")
}

// A binary that does not match its checksum is refused before it runs.
func TestChecksumMismatch(t *testing.T) {
	bin, sum := pluginBinary(t)
	wrong := slices.Clone(sum)
	wrong[0] ^= 0xff
	_, err := crm.Start(context.Background(), crm.Config{Path: bin, Args: []string{"-dir", t.TempDir()}, SHA256: wrong})
	require.ErrorIs(t, err, crm.ErrChecksum)

	_, err = crm.Start(context.Background(), crm.Config{Path: bin, Args: []string{"-dir", t.TempDir()}})
	require.ErrorContains(t, err, "SHA256")
}

// A plugin that writes to stdout before the handshake is refused with
// an error that says so.
func TestStdoutBeforeHandshake(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "chatty")
	require.NoError(t, os.WriteFile(bin, []byte("#!/bin/sh\necho starting our-crm\nsleep 5\n"), 0o700))
	sum, err := crm.ChecksumFile(bin)
	require.NoError(t, err)
	_, err = crm.Start(context.Background(), crm.Config{Path: bin, SHA256: sum, StartTimeout: 3 * time.Second})
	require.ErrorIs(t, err, crm.ErrPlugin)
	assert.ErrorContains(t, err, "a plugin must not write to stdout")
}

// The plugin serves mutual TLS only: a client without the host's
// certificate is refused.
func TestMTLSRefusesPlainClient(t *testing.T) {
	p := start(t, t.TempDir())
	rc := p.ReattachConfig()
	require.NotNil(t, rc.Addr)
	conn, err := grpc.NewClient("unix://"+rc.Addr.String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err = crmv1.NewCRMClient(conn).Describe(ctx, &crmv1.DescribeRequest{})
	require.Error(t, err, "a plaintext client must not be served")

	// The host's own client, with the certificates it made, is served.
	_, err = p.Describe(context.Background())
	require.NoError(t, err)
}

// The host dies from SIGKILL; the plugin notices, exits and removes its
// socket within two seconds.
func TestNoOrphanAfterHostSIGKILL(t *testing.T) {
	if os.Getenv("CRMPLUGIN_HOST_HELPER") == "1" {
		return
	}
	bin, sum := pluginBinary(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOrphanHostHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "CRMPLUGIN_HOST_HELPER=1", "CRMPLUGIN_BIN="+bin, "CRMPLUGIN_SUM="+hex.EncodeToString(sum),
		"CRMPLUGIN_DIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(out)
	var pid int
	var sock string
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "PLUGIN %d %s", &pid, &sock); err == nil {
			break
		}
	}
	require.NotZero(t, pid, "the helper host started a plugin")
	require.FileExists(t, sock)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && (alive(pid) || exists(sock)) {
		time.Sleep(50 * time.Millisecond)
	}
	assert.False(t, alive(pid), "the plugin outlived its host")
	assert.False(t, exists(sock), "the plugin's socket outlived it")
	if alive(pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// TestOrphanHostHelper is the host TestNoOrphanAfterHostSIGKILL kills: it
// starts the plugin, prints its pid and socket, and waits.
func TestOrphanHostHelper(t *testing.T) {
	if os.Getenv("CRMPLUGIN_HOST_HELPER") != "1" {
		return
	}
	sum, err := hex.DecodeString(os.Getenv("CRMPLUGIN_SUM"))
	require.NoError(t, err)
	p, err := crm.Start(context.Background(), crm.Config{Path: os.Getenv("CRMPLUGIN_BIN"),
		Args: []string{"-dir", os.Getenv("CRMPLUGIN_DIR")}, SHA256: sum})
	require.NoError(t, err)
	rc := p.ReattachConfig()
	fmt.Printf("PLUGIN %d %s\n", rc.Pid, rc.Addr.String())
	time.Sleep(time.Minute)
}

// alive reports whether pid runs (a zombie counts as gone).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}

// In debug mode the plugin is started by hand (as under a debugger) and
// the host reattaches to it.
func TestDebugReattach(t *testing.T) {
	bin, _ := pluginBinary(t)
	cmd := exec.Command(bin, "-debug", "-dir", t.TempDir())
	errPipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(errPipe)
	var network, addr string
	var pid int
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "CRMPLUGIN_REATTACH=%s %s %d", &network, &addr, &pid); err == nil {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	require.NotEmpty(t, addr, "the plugin printed its reattach config")
	rc, err := crm.Reattach(network, addr, pid)
	require.NoError(t, err)
	p, err := crm.Start(context.Background(), crm.Config{Reattach: rc, CallTimeout: 5 * time.Second})
	require.NoError(t, err)
	d, err := p.Describe(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "csv-folder", d.Name)
}

// commitFails is a State whose Commit fails once, after n commits: the
// batch it was to commit is stored in the hubs store, but neither its
// links nor its cursor are.
type commitFails struct {
	crm.State
	n, done int
}

var errCommit = errors.New("the state's database went away")

func (c *commitFails) Commit(ctx context.Context, cursor string, links map[crm.LinkKey]crm.Link) error {
	c.done++
	if c.done == c.n+1 {
		return errCommit
	}
	return c.State.Commit(ctx, cursor, links)
}

func (c *commitFails) Links(ctx context.Context, k crm.Kind, ids []string) (map[string]crm.Link, error) {
	return c.State.(crm.LinkReader).Links(ctx, k, ids)
}

// The hubs store and the sync state are two transactions. When a batch
// is stored but its links and cursor are not (the process dies between
// the two), the cursor stays before the batch, never past a record not
// stored; the next sync pulls the batch again, and each record's key
// replays it to the volunteer stored the first time: nothing is lost or
// duplicated.
func TestSyncStoredButNotCommitted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const n = 2500
	want, bad := writeVolunteers(t, dir, n)
	w := newWorld(t)
	state := w.state(t, "csv-folder")
	p := start(t, dir)

	_, err := w.engine(p, &commitFails{State: state, n: 3}).Sync(ctx)
	require.ErrorIs(t, err, errCommit)
	cur, err := state.Cursor(ctx)
	require.NoError(t, err)
	c, err := parseCursor(cur)
	require.NoError(t, err)
	assert.Equal(t, 300, c[crm.Volunteer], "the cursor after the three committed batches of 100")
	stored := len(w.stored(t))
	assert.Equal(t, 400, stored, "the fourth batch is stored, though not committed")
	links, err := state.Links(ctx, crm.Volunteer, []string{"CRM-V000299", "CRM-V000300", "CRM-V000399"})
	require.NoError(t, err)
	assert.Len(t, links, 1, "only the committed batches are linked")

	rep, err := w.engine(p, state).Sync(ctx)
	require.NoError(t, err)
	assert.Len(t, rep.Errors, bad)
	var wantLines []string
	for _, v := range want {
		wantLines = append(wantLines, v.name+"|"+v.email+"|"+v.roles)
	}
	got := w.stored(t)
	assert.Len(t, got, n, "each volunteer stored once")
	assert.Equal(t, checksum(wantLines), checksum(got))
	links, err = state.Links(ctx, crm.Volunteer, []string{"CRM-V000300", "CRM-V000399"})
	require.NoError(t, err)
	assert.Len(t, links, 2, "the replayed batch is linked")
}
