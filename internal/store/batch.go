package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pufa/internal/app"
)

// Batcher is the group-commit writer for hot write paths such as exam
// answer saves. Callers hand it a write; one goroutine runs the queued
// writes in one transaction, each inside its own savepoint so one failing
// write does not fail its neighbours, and acknowledges every caller only
// after the commit has returned. On SQLite with synchronous=FULL that turns
// one fsync per write into one fsync per batch.
type Batcher struct {
	db    *DB
	opts  BatchOptions
	queue chan *batchItem
	stop  chan struct{}
	done  chan struct{}
}

// BatchOptions tune a Batcher.
type BatchOptions struct {
	// MaxBatch bounds how many writes share a transaction (default 256).
	MaxBatch int
	// QueueSize bounds waiting writes (default 4096); callers beyond it
	// block, which is the back-pressure we want.
	QueueSize int
	// BeforeCommit, when set, runs just before each commit with the batch
	// size; tests use it to hold a commit open.
	BeforeCommit func(n int)
}

type batchItem struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	errc chan error
	// single says fn is one statement (plus reads): it needs no savepoint
	// of its own, which on PostgreSQL saves two round trips per write.
	single bool
}

// ErrBatcherClosed is returned for writes handed to a closed Batcher.
var ErrBatcherClosed = errors.New("store: group-commit writer is closed")

// NewBatcher starts a group-commit writer on db's write connection. The DB
// has one already (GroupWrite); tests make their own to set options.
func (db *DB) NewBatcher(o BatchOptions) *Batcher {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 256
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 4096
	}
	b := &Batcher{db: db, opts: o, queue: make(chan *batchItem, o.QueueSize), stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

// GroupWrite runs fn through the group-commit writer and returns once the
// transaction holding it has committed (nil) or failed.
func (db *DB) GroupWrite(ctx context.Context, fn func(tx *Tx) error) error {
	return db.batch.Do(ctx, fn)
}

// GroupWriteOne is GroupWrite for a write of one statement: it runs
// without a savepoint. Should fn fail with anything but an *app.Error, the
// whole batch fails and every caller in it gets the error (none is
// acknowledged), since on PostgreSQL a failed statement aborts the
// transaction.
func (db *DB) GroupWriteOne(ctx context.Context, fn func(tx *Tx) error) error {
	return db.batch.DoOne(ctx, fn)
}

// DoOne is Do for a write of one statement (see GroupWriteOne). fn must not
// return an *app.Error after it has written: without a savepoint, nothing
// would undo the write.
func (b *Batcher) DoOne(ctx context.Context, fn func(tx *Tx) error) error {
	return b.do(ctx, fn, true)
}

// Do queues fn and waits for its commit. If ctx ends while fn is still
// queued, Do returns ctx.Err() and fn may or may not run; callers of hot
// paths make their writes idempotent for that reason.
func (b *Batcher) Do(ctx context.Context, fn func(tx *Tx) error) error {
	return b.do(ctx, fn, false)
}

func (b *Batcher) do(ctx context.Context, fn func(tx *Tx) error, single bool) error {
	it := &batchItem{ctx: ctx, fn: fn, errc: make(chan error, 1), single: single}
	select {
	case b.queue <- it:
	case <-b.stop:
		return ErrBatcherClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-it.errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting writes, finishes the queued ones, and returns.
func (b *Batcher) Close() {
	select {
	case <-b.stop:
	default:
		close(b.stop)
	}
	<-b.done
}

func (b *Batcher) loop() {
	defer close(b.done)
	batch := make([]*batchItem, 0, b.opts.MaxBatch)
	for {
		var first *batchItem
		select {
		case first = <-b.queue:
		case <-b.stop:
			// Drain what is already queued so no accepted write is lost.
			for {
				select {
				case it := <-b.queue:
					b.run([]*batchItem{it})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.opts.MaxBatch {
			select {
			case it := <-b.queue:
				batch = append(batch, it)
			default:
				break fill
			}
		}
		b.run(batch)
	}
}

// run commits one batch and acknowledges its callers after the commit.
func (b *Batcher) run(batch []*batchItem) {
	errs := make([]error, len(batch))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fail := func(err error) {
		for _, it := range batch {
			it.errc <- err
		}
	}
	b.db.stmts.prepareWanted(ctx)
	sqlTx, err := b.db.write.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("group commit begin: %w", err))
		return
	}
	tx := &Tx{db: b.db, tx: sqlTx, now: b.db.clock.Now()}
	for i, it := range batch {
		if err := it.ctx.Err(); err != nil {
			errs[i] = err // the caller has gone; don't write on its behalf
			continue
		}
		if it.single {
			if errs[i] = it.fn(tx); errs[i] != nil {
				var ae *app.Error
				if !errors.As(errs[i], &ae) {
					sqlTx.Rollback()
					fail(fmt.Errorf("group commit: %w", errs[i]))
					return
				}
			}
			continue
		}
		if _, err := tx.exec(ctx, "SAVEPOINT w"); err != nil {
			sqlTx.Rollback()
			fail(fmt.Errorf("group commit savepoint: %w", err))
			return
		}
		if errs[i] = it.fn(tx); errs[i] != nil {
			if _, err := tx.exec(ctx, "ROLLBACK TO SAVEPOINT w"); err != nil {
				sqlTx.Rollback()
				fail(fmt.Errorf("group commit rollback to savepoint: %w", err))
				return
			}
		}
		if _, err := tx.exec(ctx, "RELEASE SAVEPOINT w"); err != nil {
			sqlTx.Rollback()
			fail(fmt.Errorf("group commit release: %w", err))
			return
		}
	}
	if b.opts.BeforeCommit != nil {
		b.opts.BeforeCommit(len(batch))
	}
	b.db.commitDelay()
	if err := sqlTx.Commit(); err != nil {
		fail(fmt.Errorf("group commit: %w", err))
		return
	}
	for i, it := range batch {
		it.errc <- errs[i]
	}
}
