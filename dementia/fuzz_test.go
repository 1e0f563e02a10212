package dementia_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
)

// fuzzService is a Service over an empty memory store with a recorder.
func fuzzService(t *testing.T) (*dementia.Service, dementia.Store, call.Actor) {
	t.Helper()
	st := memory.NewDementiaStore()
	svc := dementia.NewService(st, dementia.WithClock(func() time.Time { return time.Date(2016, 6, 1, 9, 0, 0, 0, time.UTC) }))
	admin := call.As("admin")
	if err := svc.Bootstrap(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Grant(context.Background(), admin.Key("g"), "rec", dementia.RoleRecorder); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RegisterChampion(context.Background(), call.As("rec").Key("c"), dementia.NewChampion{ID: "ch1", Name: "Chris", Trained: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return svc, st, call.As("rec")
}

// checkRefusal checks a refused import: an *ImportError wrapping
// ErrInvalid, with at least one problem.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	var ie *dementia.ImportError
	if !errors.As(err, &ie) || !errors.Is(err, dementia.ErrInvalid) || len(ie.Problems) == 0 {
		t.Fatalf("a refused import is not an ImportError with problems: %v", err)
	}
}

func FuzzImportFriends(f *testing.F) {
	f.Add([]byte("date,source,champion,count\n2016-05-01,session,ch1,2000\n2016-05-02,online,,564\n"))
	f.Add([]byte("date,source,champion,count\n2016-05-01,session,,-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, st, rec := fuzzService(t)
		ctx := context.Background()
		n, err := svc.ImportFriends(ctx, rec.Key("i"), bytes.NewReader(data))
		all, rerr := st.Friends(ctx, time.Time{})
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			checkRefusal(t, err)
			if len(all) != 0 {
				t.Fatalf("a refused import wrote %d counts", len(all))
			}
			return
		}
		if n != len(all) {
			t.Fatalf("imported %d rows, stored %d", n, len(all))
		}
		for _, x := range all {
			if x.Count < 0 {
				t.Fatalf("a negative count was stored: %d", x.Count)
			}
		}
	})
}

func FuzzImportReviews(f *testing.F) {
	f.Add([]byte("practice,pcn,year,numerator,register,unsuitable,dissent,no_response,unavailable,new\nP1,Grays,2014/15,70,110,3,2,2,1,2\n"))
	f.Add([]byte("practice,pcn,year,numerator,register,unsuitable,dissent,no_response,unavailable,new\nP1,Grays,2014/15,70,60,0,0,0,0,0\nP1,Grays,2014/15,1,1,0,0,0,0,0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, st, rec := fuzzService(t)
		ctx := context.Background()
		_, err := svc.ImportReviews(ctx, rec.Key("i"), bytes.NewReader(data))
		all, rerr := st.Reviews(ctx, "")
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			checkRefusal(t, err)
			if len(all) != 0 {
				t.Fatalf("a refused import wrote %d reviews", len(all))
			}
			return
		}
		for _, x := range all {
			adj := x.Adjustments.Total()
			if x.Numerator < 0 || adj > x.Register || x.Numerator > x.Register-adj {
				t.Fatalf("impossible counts stored: %+v", *x)
			}
		}
	})
}

func FuzzImportRegisters(f *testing.F) {
	f.Add([]byte("practice,pcn,date,diagnosed,band,sex,count\nP1,Grays,2016-04-30,10,65-69,female,400\nP1,Grays,2016-04-30,10,65-69,male,380\n"))
	f.Add([]byte("practice,pcn,date,diagnosed,band,sex,count\nP1,Grays,2016-04-30,900,65-69,female,400\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, st, rec := fuzzService(t)
		ctx := context.Background()
		_, err := svc.ImportRegisters(ctx, rec.Key("i"), bytes.NewReader(data))
		all, rerr := st.Registers(ctx, time.Time{})
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			checkRefusal(t, err)
			if len(all) != 0 {
				t.Fatalf("a refused import wrote %d registers", len(all))
			}
			return
		}
		for _, x := range all {
			var pop int64
			for _, c := range x.Population {
				if c.Count < 0 {
					t.Fatalf("a negative count was stored")
				}
				pop += c.Count
			}
			if x.Diagnosed < 0 || x.Diagnosed > pop {
				t.Fatalf("diagnosed %d of %d stored", x.Diagnosed, pop)
			}
		}
	})
}
