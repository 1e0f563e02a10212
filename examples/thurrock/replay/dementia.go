package replay

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
)

// The Dementia Friends figures of seed 001 (action I): 2,564 in May 2016,
// 3,750 by 2021. They are the generator's inputs; every figure printed is
// counted from the records it makes.
const (
	friendsBaseline = 2564
	friendsTarget   = 3750
)

var (
	friendsOn       = time.Date(2016, 5, 31, 0, 0, 0, 0, time.UTC)
	friendsTargetOn = time.Date(2021, 3, 31, 0, 0, 0, 0, time.UTC)
)

// Dementia is what the dementia step printed.
type Dementia struct {
	Friends    *dementia.FriendsTotal
	Trajectory *dementia.Trajectory
	Membership *dementia.MembershipReport
}

// runDementia builds the Dementia Action Alliance and the Dementia
// Friends count (seed 001) and prints them. The dementia package has no
// SQLite or PostgreSQL store yet, so this step keeps its records in
// memory (adapters/memory), the one part of the run not in the database.
func (a *app) runDementia(ctx context.Context, w io.Writer, sum *Summary, _ string) error {
	now := time.Date(2016, 6, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	svc := dementia.NewService(memory.NewDementiaStore(), dementia.WithClock(func() time.Time { return now }),
		dementia.WithIDs(func(p string) string { n++; return fmt.Sprintf("%s-%d", p, n) }))
	admin, coord, rec := call.As("dementia-admin"), call.As("dementia-coordinator"), call.As("dementia-recorder")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		return fmt.Errorf("dementia: %w", err)
	}
	if _, err := svc.Grant(ctx, admin.Key("grant-coordinator"), coord.ID, dementia.RoleCoordinator); err != nil {
		return fmt.Errorf("dementia: %w", err)
	}
	if _, err := svc.Grant(ctx, admin.Key("grant-recorder"), rec.ID, dementia.RoleRecorder); err != nil {
		return fmt.Errorf("dementia: %w", err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := svc.RegisterChampion(ctx, rec.Key(fmt.Sprintf("champion-%d", i)), dementia.NewChampion{ID: fmt.Sprintf("champion-%d", i),
			Name: fmt.Sprintf("Champion %d", i), Trained: time.Date(2012, 5, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			return fmt.Errorf("dementia champions: %w", err)
		}
	}
	// Friends made from 2012 to May 2016, in sessions and online, in
	// monthly batches that add up to the seed's count.
	rng := rand.New(rand.NewPCG(2016, 1))
	start := time.Date(2012, 6, 1, 0, 0, 0, 0, time.UTC)
	months := 48
	weights := make([]float64, months)
	total := 0.0
	for i := range weights {
		weights[i] = 0.5 + rng.Float64()
		total += weights[i]
	}
	left := int64(friendsBaseline * a.scale)
	for i := range months {
		c := int64(float64(friendsBaseline*a.scale) * weights[i] / total)
		if i == months-1 {
			c = left
		}
		left -= c
		src := dementia.SourceSession
		if i%3 == 2 {
			src = dementia.SourceOnline
		}
		in := dementia.NewFriends{On: start.AddDate(0, i, 0), Source: src, Count: c}
		if src == dementia.SourceSession {
			in.Champion = fmt.Sprintf("champion-%d", i%5+1)
		}
		if _, err := svc.RecordFriends(ctx, rec.Key(fmt.Sprintf("friends-%d", i)), in); err != nil {
			return fmt.Errorf("dementia friends: %w", err)
		}
	}
	members := []dementia.NewMember{
		{Name: "Thurrock Council", Sector: dementia.SectorStatutory, Areas: []dementia.Area{dementia.AreaHealth, dementia.AreaHousing}},
		{Name: "Thurrock CVS", Sector: dementia.SectorVoluntary, Areas: []dementia.Area{dementia.AreaCommunity}},
		{Name: "Grays Library Friends", Sector: dementia.SectorCommunity, Areas: []dementia.Area{dementia.AreaArts}},
		{Name: "Thurrock Buses", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaTransport}},
		{Name: "Alzheimer's Society Thurrock", Sector: dementia.SectorVoluntary, Areas: []dementia.Area{dementia.AreaHealth, dementia.AreaCommunity}},
		{Name: "Tilbury Pharmacy", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaBusiness, dementia.AreaHealth}},
	}
	for i, m := range members {
		m.Joined = time.Date(2015, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
		m.Contact = dementia.Contact{Name: "Alliance contact"}
		if _, err := svc.Join(ctx, coord.Key(fmt.Sprintf("join-%d", i)), m); err != nil {
			return fmt.Errorf("dementia alliance: %w", err)
		}
	}
	f, err := svc.Friends(ctx, friendsOn)
	if err != nil {
		return err
	}
	tr, err := svc.FriendsTrajectory(ctx, friendsOn, friendsTargetOn, int64(friendsTarget*a.scale), friendsOn)
	if err != nil {
		return err
	}
	mr, err := svc.Membership(ctx)
	if err != nil {
		return err
	}
	sum.Dementia = &Dementia{Friends: f, Trajectory: tr, Membership: mr}

	heading(w, "DEMENTIA ACTION ALLIANCE — Dementia Friends and members")
	tw := table(w)
	fmt.Fprintf(tw, "  Dementia Friends by %s\t%d\t(sessions %d, online %d; %d Champions)\n", friendsOn.Format("2 January 2006"), f.Total,
		f.BySource[dementia.SourceSession], f.BySource[dementia.SourceOnline], f.Champions)
	fmt.Fprintf(tw, "  Target by %s\t%d\t(%d more than the count on %s)\n", friendsTargetOn.Format("January 2006"), tr.Target, tr.Increase, tr.From.Format("2 January 2006"))
	fmt.Fprintf(tw, "  Alliance members on %s\t%d\n", mr.On.Format("2 January 2006"), mr.Total.Members)
	sectors := make([]string, 0, len(mr.BySector))
	for s := range mr.BySector {
		sectors = append(sectors, string(s))
	}
	sort.Strings(sectors)
	for _, s := range sectors {
		fmt.Fprintf(tw, "    %s sector\t%d\n", s, mr.BySector[dementia.Sector(s)].Members)
	}
	tw.Flush()
	fmt.Fprintln(w, "  (The dementia records are kept in memory: the package has no SQLite or PostgreSQL store yet.)")
	return nil
}
