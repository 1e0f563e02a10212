package sqlite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// readPool holds read-only connections driven through SQLite's C API, for
// reads of many rows where database/sql's per-column cost would dominate
// (the outcome framework's report reads 240,000 measurements). At most
// max(4, GOMAXPROCS) reads run at once, like the database/sql reader pool;
// more wait their turn or their context. Close waits for reads in flight
// and closes every connection before the writer closes, so the writer's
// close still folds the WAL back into the file.
type readPool struct {
	path string
	sem  chan struct{} // a token per read in flight

	mu       sync.Mutex
	idle     []*conn
	shut     bool
	inflight sync.WaitGroup
}

func newReadPool(path string) *readPool {
	return &readPool{path: path, sem: make(chan struct{}, max(4, runtime.GOMAXPROCS(0)))}
}

// get waits for a turn and returns an idle connection, or opens one.
func (p *readPool) get(ctx context.Context) (*conn, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.mu.Lock()
	if p.shut {
		p.mu.Unlock()
		<-p.sem
		return nil, errors.New("sqlite: database is closed")
	}
	p.inflight.Add(1)
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	c, err := openConn(p.path)
	if err == nil {
		if err = c.exec(fmt.Sprintf(`PRAGMA busy_timeout = %d; PRAGMA query_only = 1;`, busyTimeout.Milliseconds())); err != nil {
			_ = c.close()
		}
	}
	if err != nil {
		p.inflight.Done()
		<-p.sem
		return nil, err
	}
	return c, nil
}

// put returns c, its statements reset, to the pool, or closes it if the
// pool is shut.
func (p *readPool) put(c *conn) {
	c.release()
	c.trim()
	p.mu.Lock()
	if p.shut {
		p.mu.Unlock()
		_ = c.close()
	} else {
		p.idle = append(p.idle, c)
		p.mu.Unlock()
	}
	p.inflight.Done()
	<-p.sem
}

// close refuses new reads, waits for those in flight and closes every
// connection.
func (p *readPool) close() error {
	p.mu.Lock()
	p.shut = true
	p.mu.Unlock()
	p.inflight.Wait()
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	var errs []error
	for _, c := range idle {
		errs = append(errs, c.close())
	}
	return errors.Join(errs...)
}

// query runs q with args on a pooled connection and calls row for each
// row; ctx ending interrupts it, and its error is then ctx's.
func (p *readPool) query(ctx context.Context, q string, args []any, row func(*stmt) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := p.get(ctx)
	if err != nil {
		return err
	}
	// The interrupt runs on its own TLS: a libc.TLS is not safe for
	// concurrent use. c goes back to the pool only once the interrupt,
	// if it fired, is over; SQLite clears it when the next statement
	// starts.
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(fired)
		tls := libc.NewTLS()
		sqlite3.Xsqlite3_interrupt(tls, c.db)
		tls.Close()
	})
	var s *stmt
	defer func() {
		if !stop() {
			<-fired
		}
		if s != nil {
			s.reset() // ends the read transaction, whatever happened
		}
		p.put(c)
	}()
	if s, err = c.prepare(q); err != nil {
		return cmp.Or(ctx.Err(), err)
	}
	if err := s.bind(args...); err != nil {
		return cmp.Or(ctx.Err(), err)
	}
	for n := 1; ; n++ {
		ok, err := s.next()
		if err != nil {
			return cmp.Or(ctx.Err(), err)
		}
		if !ok {
			return ctx.Err()
		}
		if err := row(s); err != nil {
			return err
		}
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
