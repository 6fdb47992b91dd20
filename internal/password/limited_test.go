package password

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gaugeHasher is a fake for the Limited tests only: it records the highest
// number of calls running at once and can hold calls until released. A
// real hasher's timing would make the overlap depend on the machine.
type gaugeHasher struct {
	running, peak atomic.Int32
	started       chan struct{} // receives once per call that starts
	hold          chan struct{} // a call returns when this is closed
}

func newGaugeHasher() *gaugeHasher {
	return &gaugeHasher{started: make(chan struct{}, 100), hold: make(chan struct{})}
}

func (g *gaugeHasher) Hash(ctx context.Context, password string) (string, error) {
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	g.started <- struct{}{}
	<-g.hold
	return "$fake$" + password, nil
}

func (g *gaugeHasher) Verify(ctx context.Context, password, encoded string) (bool, bool, error) {
	enc, err := g.Hash(ctx, password)
	return enc == encoded, false, err
}

func TestLimited_BoundsConcurrency(t *testing.T) {
	g := newGaugeHasher()
	h := Limited(g, 2)
	ctx := context.Background()

	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := h.Hash(ctx, "pw"); err != nil {
				t.Error(err)
			}
		})
	}
	// Wait until two calls run, give the other eight every chance to
	// (wrongly) start as well, then let all of them finish.
	<-g.started
	<-g.started
	time.Sleep(50 * time.Millisecond)
	if n := len(g.started); n != 0 {
		t.Errorf("%d more calls started while 2 were running", n)
	}
	close(g.hold)
	wg.Wait()
	if got := g.peak.Load(); got != 2 {
		t.Errorf("peak concurrency = %d, want 2", got)
	}
	if got := len(g.started); got != 8 {
		t.Errorf("%d queued calls ran after release, want 8", got)
	}
}

func TestLimited_CancelWhileQueued(t *testing.T) {
	g := newGaugeHasher()
	h := Limited(g, 1)

	// Occupy the only slot.
	first := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "first")
		first <- err
	}()
	<-g.started

	ctx, cancel := context.WithCancel(context.Background())
	queued := make(chan error, 1)
	go func() {
		_, _, err := h.Verify(ctx, "second", "$fake$second")
		queued <- err
	}()
	select {
	case err := <-queued:
		t.Fatalf("queued call returned before cancel: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	cancel()
	select {
	case err := <-queued:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("queued call error = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("queued call did not return after its context was cancelled")
	}
	if n := len(g.started); n != 0 {
		t.Errorf("cancelled call reached the inner hasher")
	}

	close(g.hold)
	if err := <-first; err != nil {
		t.Errorf("running call: %v", err)
	}
	// The slot is free again.
	if _, err := h.Hash(context.Background(), "third"); err != nil {
		t.Errorf("after release: %v", err)
	}
}

func TestLimited_DeadlineWhileQueued(t *testing.T) {
	g := newGaugeHasher()
	h := Limited(g, 1)
	go h.Hash(context.Background(), "first")
	<-g.started
	defer close(g.hold)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "second"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want context.DeadlineExceeded", err)
	}
}
