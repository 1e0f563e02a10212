package pgtest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithSearchPath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ base, want string }{
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres://postgres@127.0.0.1:5432/test?search_path=s1&sslmode=disable"},
		{"postgresql://u:p@db/x", "postgresql://u:p@db/x?search_path=s1"},
		{"host=127.0.0.1 user=postgres dbname=test", "host=127.0.0.1 user=postgres dbname=test search_path=s1"},
	} {
		got, err := withSearchPath(c.base, "s1")
		require.NoError(t, err, c.base)
		assert.Equal(t, c.want, got, c.base)
	}
}

func TestSchemaName(t *testing.T) {
	t.Parallel()
	a := schemaName("TestTimebankConformance/Bank Round-Trip")
	b := schemaName("TestTimebankConformance/Bank Round-Trip")
	assert.NotEqual(t, a, b, "names are unique")
	assert.True(t, strings.HasPrefix(a, "pgtest_testtimebankconformance_bank_round_"), a)
	long := schemaName(strings.Repeat("x", 500))
	assert.LessOrEqual(t, len(long), 63, "PostgreSQL truncates identifiers longer than 63 bytes")
	for _, c := range a + long {
		assert.True(t, c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9', "%q in %s", c, a)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "postgres://u:xxx@h/db", redact("postgres://u:secret@h/db"))
	assert.Equal(t, "postgres://u@h/db", redact("postgres://u@h/db"))
}

// recorder is a testing.TB that records Skip and Fatal instead of ending
// the test that runs it.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls Schema with r on a goroutine of its own, as the testing
// package would, so that Goexit ends only it.
func (r *recorder) run() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		Schema(r)
	}()
	<-done
}

func TestUnreachableServer(t *testing.T) {
	t.Setenv("STRONGER_PG_URL", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")

	t.Setenv("CI", "")
	r := &recorder{TB: t}
	r.run()
	assert.Empty(t, r.failed, "outside CI a missing server is not a failure")
	assert.Contains(t, r.skipped, "127.0.0.1:1")
	assert.Contains(t, r.skipped, "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")

	t.Setenv("CI", "true")
	r = &recorder{TB: t}
	r.run()
	assert.Empty(t, r.skipped, "in CI a missing server is not skipped")
	assert.Contains(t, r.failed, "127.0.0.1:1")
}
