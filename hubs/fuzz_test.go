package hubs_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// fuzzWorld is a store with a hub "HUB" opened on 1 March 2013 and a
// volunteer "VOL", and a recorder; ids are predictable.
func fuzzWorld(t *testing.T) (*hubs.Service, hubs.Store, call.Actor) {
	t.Helper()
	ctx := context.Background()
	st := memory.NewHubsStore()
	n := 0
	ids := []string{"HUB", "VOL"}
	svc := hubs.NewService(st, hubs.WithClock(func() time.Time { return time.Date(2014, 1, 1, 9, 0, 0, 0, time.UTC) }),
		hubs.WithIDs(func() string {
			n++
			if n <= len(ids) {
				return ids[n-1]
			}
			return hubs.NewUUID()
		}))
	admin, rec := call.As("admin"), call.As("rec")
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(svc.Bootstrap(ctx, admin))
	_, err := svc.Grant(ctx, admin.Key("1"), "admin", hubs.RoleAdmin)
	must(err)
	_, err = svc.Grant(ctx, admin.Key("2"), "rec", hubs.RoleRecorder)
	must(err)
	_, err = svc.CreateHub(ctx, admin.Key("3"), hubs.NewHub{Name: "Hub", Status: hubs.StatusOpen, On: time.Date(2013, 3, 1, 0, 0, 0, 0, time.UTC)})
	must(err)
	_, err = svc.RegisterVolunteer(ctx, admin.Key("4"), hubs.NewVolunteer{Hub: "HUB", Name: "V", Registered: time.Date(2013, 3, 1, 0, 0, 0, 0, time.UTC)})
	must(err)
	return svc, st, rec
}

// checkImport checks an import's answer: all rows written, or an error
// and none.
func checkImport(t *testing.T, n int, err error, stored int) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, hubs.ErrInvalid) && !errors.Is(err, hubs.ErrConflict) {
			t.Fatalf("an import failed with %v, not a refusal of its input", err)
		}
		if stored != 0 {
			t.Fatalf("a refused import wrote %d rows", stored)
		}
		return
	}
	if n != stored {
		t.Fatalf("the import said %d rows, the store holds %d", n, stored)
	}
}

func FuzzImportVisits(f *testing.F) {
	f.Add([]byte("hub,date,count,method\nHUB,2013-03-01,10,tally\nHUB,2013-03-02,12,door counter\n"))
	f.Add([]byte("hub,date,count\nHUB,2013-02-01,10\nNOPE,2013-03-01,-1\n"))
	f.Add([]byte("date,count,hub\n2013-03-05,\"7\",HUB\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, st, rec := fuzzWorld(t)
		ctx := context.Background()
		n, err := svc.ImportVisits(ctx, rec.Key("import"), bytes.NewReader(data))
		got, serr := st.Visits(ctx, hubs.Span{})
		if serr != nil {
			t.Fatal(serr)
		}
		checkImport(t, n, err, len(got))
	})
}

func FuzzImportSessions(f *testing.F) {
	f.Add([]byte("volunteer,date,minutes,role\nVOL,2013-03-01,120,welcome\n"))
	f.Add([]byte("volunteer,date,minutes\nVOL,2013-02-01,60\nNOBODY,2013-03-01,0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, st, rec := fuzzWorld(t)
		ctx := context.Background()
		n, err := svc.ImportSessions(ctx, rec.Key("import"), bytes.NewReader(data))
		got, serr := st.Sessions(ctx, hubs.Span{})
		if serr != nil {
			t.Fatal(serr)
		}
		checkImport(t, n, err, len(got))
	})
}

func FuzzImportEvents(f *testing.F) {
	f.Add([]byte("hub,kind,title,date,attendance,stalls\nHUB,fair,Learning Fair,2013-09-14,2010,31\n"))
	f.Add([]byte("hub,kind,title,date,attendance\nHUB,party,X,2013-06-01,1\nHUB,club,\x00,2013-06-01,-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, st, rec := fuzzWorld(t)
		ctx := context.Background()
		n, err := svc.ImportEvents(ctx, rec.Key("import"), bytes.NewReader(data))
		got, serr := st.Events(ctx, hubs.Span{})
		if serr != nil {
			t.Fatal(serr)
		}
		checkImport(t, n, err, len(got))
	})
}
