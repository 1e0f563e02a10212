package hubs_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// endless is a reader of endless visit rows.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	const row = "HUB,2013-03-01,1,tally\n"
	for i := range p {
		p[i] = row[(e.n+i)%len(row)]
	}
	e.n += len(p)
	return len(p), nil
}

// TestImportCap checks that an import reads at most MaxImport bytes, and
// that a stranger's import is refused before anything is read.
func TestImportCap(t *testing.T) {
	svc, st, rec := fuzzWorld(t)
	ctx := context.Background()
	r := &endless{}
	_, err := svc.ImportVisits(ctx, call.As("stranger").Key("k"), io.MultiReader(strings.NewReader("hub,date,count,method\n"), r))
	assert.ErrorIs(t, err, hubs.ErrForbidden)
	assert.Zero(t, r.n, "a stranger's file was read")
	_, err = svc.ImportVisits(ctx, rec.Key("k"), io.MultiReader(strings.NewReader("hub,date,count,method\n"), r))
	var fe *hubs.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, fe.Reason, "64 MiB")
	assert.LessOrEqual(t, r.n, hubs.MaxImport+64<<10)
	got, err := st.Visits(ctx, hubs.Span{})
	require.NoError(t, err)
	assert.Empty(t, got)
}
