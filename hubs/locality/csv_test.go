package locality_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/hubs/locality/localitytest"
)

const listeningCSV = "area,ward,from,to,conversations,themes\n" +
	"co-ngage,Tilbury St Chads,2014-03-01,2014-04-01,42,parking; youth\n" +
	"co-ngage,Chadwell St Mary,2014-03-01,2014-04-01,17,litter\n"

func TestImportListening(t *testing.T) {
	ctx := t.Context()
	s := memory.NewLocalityStore()
	w := localitytest.NewWorld(t, s)
	ls, err := w.Svc.ImportListening(ctx, w.Key(localitytest.Organiser), strings.NewReader(listeningCSV))
	require.NoError(t, err)
	require.Len(t, ls, 2)
	assert.Equal(t, []string{"parking", "youth"}, ls[0].Themes)
	r, err := w.Svc.OrganisersReport(ctx, ls[0].From, ls[0].To)
	require.NoError(t, err)
	require.Len(t, r, 2)
	assert.Equal(t, int64(17+42), r[0].Conversations+r[1].Conversations)

	// One bad row refuses the file, naming every problem, and writes nothing.
	bad := listeningCSV + "co-ngage,Tilbury St Chads,2014-04-01,2014-05-01,-4,\n" + "co-ngage,Tilbury St Chads,1 April,2014-05-01,4,\n"
	_, err = w.Svc.ImportListening(ctx, w.Key(localitytest.Organiser), strings.NewReader(bad))
	require.ErrorIs(t, err, locality.ErrInvalid)
	require.ErrorIs(t, err, locality.ErrNegative)
	var ie *locality.ImportError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []locality.Problem{{Line: 4, Field: "conversations", Reason: "is negative"}, {Line: 5, Field: "from", Reason: "is not a date as YYYY-MM-DD"}}, ie.Problems)
	// A ward outside the area refuses the whole file.
	_, err = w.Svc.ImportListening(ctx, w.Key(localitytest.Organiser), strings.NewReader(listeningCSV+"co-ngage,Aveley,2014-03-01,2014-04-01,1,\n"))
	require.ErrorIs(t, err, locality.ErrUnknownArea)
	all, err := s.Listening(ctx, locality.Query{})
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

func FuzzParseListening(f *testing.F) {
	f.Add([]byte(listeningCSV))
	f.Add([]byte("area,ward,from,to,conversations\nx,,2014-01-01,2014-01-01,1\n"))
	if seeds, err := filepath.Glob(filepath.Join("testdata", "*.csv")); err == nil {
		for _, p := range seeds {
			b, err := os.ReadFile(p)
			require.NoError(f, err)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := locality.ParseListening(bytes.NewReader(b))
		if err != nil {
			require.ErrorIs(t, err, locality.ErrInvalid)
			require.Nil(t, rows)
			return
		}
		for _, r := range rows {
			require.GreaterOrEqual(t, r.Conversations, int64(0))
			require.True(t, r.To.After(r.From))
			require.NotEmpty(t, r.Area)
		}
	})
}
