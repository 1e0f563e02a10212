package crm

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Pusher is what PushWithRetry pushes to: a *Plugin.
type Pusher interface {
	Push(ctx context.Context, items []Item) ([]Result, error)
}

// Backoff says how often and how patiently to retry: Tries attempts in
// all, waiting First, then twice as long each time, at most Max.
type Backoff struct {
	Tries int
	First time.Duration
	Max   time.Duration
}

// PushWithRetry pushes items, retrying with backoff the items whose push
// failed (the whole call, or an item's result), so each is delivered at
// least once; the plugin SDK applies each id once. It returns the last
// result of every item, in order, and an error when some item still
// failed after the last try. A plugin that takes no pushes
// (ErrUnsupported) is not tried again.
func PushWithRetry(ctx context.Context, p Pusher, items []Item, b Backoff) ([]Result, error) {
	if b.Tries < 1 {
		b.Tries = 1
	}
	if b.First <= 0 {
		b.First = 100 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 10 * time.Second
	}
	out := make([]Result, len(items))
	todo := make([]int, len(items))
	for i := range items {
		todo[i] = i
		out[i] = Result{ID: items[i].ID, Error: "not pushed"}
	}
	wait := b.First
	var last error
	for try := 0; try < b.Tries && len(todo) > 0; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return out, fmt.Errorf("push: %w", ctx.Err())
			case <-time.After(wait):
			}
			wait = min(2*wait, b.Max)
		}
		batch := make([]Item, len(todo))
		for j, i := range todo {
			batch[j] = items[i]
		}
		res, err := p.Push(ctx, batch)
		if errors.Is(err, ErrUnsupported) {
			return out, fmt.Errorf("push: %d items not pushed: %w", len(todo), err)
		}
		if err != nil {
			last = err
			continue
		}
		var again []int
		for j, i := range todo {
			out[i] = res[j]
			if !res[j].OK {
				again = append(again, i)
			}
		}
		todo, last = again, nil
	}
	if len(todo) > 0 {
		if last == nil {
			last = errors.New(out[todo[0]].Error)
		}
		return out, fmt.Errorf("push: %d of %d items failed after %d tries: %w", len(todo), len(items), b.Tries, last)
	}
	return out, nil
}
