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
	// Linger is how long a batch waits for more writes once the writer is
	// busy (the previous batch held at least lingerFrom writes); default
	// 1 ms, negative for none. Under load a commit's fixed cost then
	// serves more writes: measured with 200 examinees saving back to
	// back, the rate went up and p99 down (docs/BENCHMARKS.md). An idle
	// writer never lingers, so a lone write is not delayed.
	Linger time.Duration
}

// lingerFrom is the size of the previous batch from which a batch lingers.
const lingerFrom = 8

type batchItem struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	errc chan error
	// bulk, when set, is the kind of write this is, and row its data: the
	// batch runs all rows of a kind in one call instead of fn.
	bulk *Bulk
	row  any
}

// Bulk is a kind of write the group-commit writer merges: all writes of
// one Bulk in a batch are done by one call of Run, typically one
// statement for all of them, which on PostgreSQL turns a round trip per
// write into one per batch.
type Bulk struct {
	// Run writes rows and returns one error per row, nil when it is
	// written (or rightly ignored). Errors for single rows must be
	// *app.Error and leave nothing of that row written; any other error
	// fails the whole batch, so no caller is told its write is stored
	// when it is not.
	Run func(ctx context.Context, tx *Tx, rows []any) ([]error, error)
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
	if o.Linger == 0 {
		o.Linger = time.Millisecond
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

// shortWrite runs a small, frequent write (a session touch, an exam
// start): through the group-commit writer on SQLite, whose one connection
// would otherwise commit them one after another, and in a transaction of
// its own on PostgreSQL, where the pool runs many at once and the server
// flushes their commits together (the writer's one goroutine, a few round
// trips per write, was the bottleneck there: 3,000 starts took 4.5 s).
func (db *DB) shortWrite(ctx context.Context, fn func(tx *Tx) error) error {
	if db.Dialect == Postgres {
		return db.update(ctx, fn)
	}
	return db.GroupWrite(ctx, fn)
}

// GroupWriteBulk queues one row of a Bulk write and waits for the commit
// of the batch that wrote it.
func (db *DB) GroupWriteBulk(ctx context.Context, bulk *Bulk, row any) error {
	return db.batch.DoBulk(ctx, bulk, row)
}

// DoBulk is Do for one row of a Bulk write.
func (b *Batcher) DoBulk(ctx context.Context, bulk *Bulk, row any) error {
	return b.enqueue(ctx, &batchItem{ctx: ctx, bulk: bulk, row: row, errc: make(chan error, 1)})
}

// Do queues fn and waits for its commit. If ctx ends while fn is still
// queued, Do returns ctx.Err() and fn may or may not run; callers of hot
// paths make their writes idempotent for that reason.
func (b *Batcher) Do(ctx context.Context, fn func(tx *Tx) error) error {
	return b.enqueue(ctx, &batchItem{ctx: ctx, fn: fn, errc: make(chan error, 1)})
}

func (b *Batcher) enqueue(ctx context.Context, it *batchItem) error {
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
	last := 0 // the previous batch's size
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
		if b.opts.Linger > 0 && last >= lingerFrom && len(batch) < b.opts.MaxBatch {
			t := time.NewTimer(b.opts.Linger)
		linger:
			for len(batch) < b.opts.MaxBatch {
				select {
				case it := <-b.queue:
					batch = append(batch, it)
				case <-t.C:
					break linger
				case <-b.stop:
					break linger
				}
			}
			t.Stop()
		}
		last = len(batch)
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
	bulks := map[*Bulk][]int{}
	for i, it := range batch {
		if err := it.ctx.Err(); err != nil {
			errs[i] = err // the caller has gone; don't write on its behalf
			continue
		}
		if it.bulk != nil {
			bulks[it.bulk] = append(bulks[it.bulk], i)
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
	for bulk, idx := range bulks {
		rows := make([]any, len(idx))
		for k, i := range idx {
			rows[k] = batch[i].row
		}
		rowErrs, err := bulk.Run(ctx, tx, rows)
		if err == nil && len(rowErrs) != len(rows) {
			err = fmt.Errorf("bulk write answered %d results for %d rows", len(rowErrs), len(rows))
		}
		for k, e := range rowErrs {
			var ae *app.Error
			if err == nil && e != nil && !errors.As(e, &ae) {
				err = e
			}
			if err == nil {
				errs[idx[k]] = e
			}
		}
		if err != nil {
			sqlTx.Rollback()
			fail(fmt.Errorf("group commit: %w", err))
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
