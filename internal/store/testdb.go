package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/notice"
)

// ExecRaw runs a statement outside the store's rules. It exists for tests
// that must tamper with rows (the audit-chain tests) and for operators'
// tools; capabilities never call it.
func (db *DB) ExecRaw(ctx context.Context, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.rebind(q), args...)
	if err != nil {
		return fmt.Errorf("exec raw: %w", err)
	}
	return nil
}

// CountRaw runs a COUNT query on the read pool; tests use it to look at
// rows no store method exposes.
func (db *DB) CountRaw(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.rebind(q), args...).Scan(&n)
	return n, err
}

// CreateNoticeForTest writes one notice inside tx; the group-commit tests
// use it as a small real write.
func (t *Tx) CreateNoticeForTest(ctx context.Context, userID app.ID, title string) error {
	return t.createNotices(ctx, []app.ID{userID}, notice.Notice{Kind: "test", Title: title})
}

// RawLoader queues rows for LoadRaw. Rows of one table are written in the
// order they were queued, a batch at a time: a multi-row INSERT through one
// prepared statement on SQLite, COPY on PostgreSQL.
type RawLoader struct {
	tables map[string]*rawTable
	batch  int
	flush  func(*rawTable) error
}

type rawTable struct {
	name string
	cols []string
	rows [][]any
	stmt *sql.Stmt // SQLite: the prepared INSERT of a full batch
}

// rawBatchRows is how many rows one SQLite INSERT writes; one COPY takes
// ten times as many.
const rawBatchRows = 256

// Insert queues one row of table, values in the order of cols, and writes
// the table's batch when it is full. Every row of a table names the same
// columns.
func (l *RawLoader) Insert(table string, cols []string, values ...any) error {
	t := l.tables[table]
	if t == nil {
		t = &rawTable{name: table, cols: cols}
		l.tables[table] = t
	}
	if len(values) != len(t.cols) {
		return fmt.Errorf("load raw %s: %d values for %d columns", table, len(values), len(t.cols))
	}
	t.rows = append(t.rows, values)
	if len(t.rows) >= l.batch {
		return l.flush(t)
	}
	return nil
}

// finish writes every table's last rows.
func (l *RawLoader) finish() error {
	for _, t := range l.tables {
		if len(t.rows) > 0 {
			if err := l.flush(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// LoadRaw runs fn, which queues rows with Insert, and writes them in one
// transaction outside the store's rules: nothing is validated, audited or
// encrypted. It exists for benchmark fixtures of millions of rows (see
// round_bench_test.go); capabilities never call it. Rows are written while
// fn runs, so memory holds one batch per table, not the whole load.
func (db *DB) LoadRaw(ctx context.Context, fn func(*RawLoader) error) error {
	if db.Dialect == Postgres {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
			if err != nil {
				return fmt.Errorf("load raw: begin: %w", err)
			}
			defer tx.Rollback(ctx)
			l := &RawLoader{tables: map[string]*rawTable{}, batch: 10 * rawBatchRows, flush: func(t *rawTable) error {
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
					return fmt.Errorf("load raw: copy into %s: %w", t.name, err)
				}
				t.rows = t.rows[:0]
				return nil
			}}
			if err := fn(l); err != nil {
				return err
			}
			if err := l.finish(); err != nil {
				return err
			}
			return tx.Commit(ctx)
		})
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("load raw: begin: %w", err)
	}
	defer tx.Rollback()
	var args []any
	l := &RawLoader{tables: map[string]*rawTable{}, batch: rawBatchRows, flush: func(t *rawTable) error {
		args = args[:0]
		for _, r := range t.rows {
			args = append(args, r...)
		}
		var err error
		switch {
		case len(t.rows) < rawBatchRows:
			_, err = tx.ExecContext(ctx, rawInsert(t.name, t.cols, len(t.rows)), args...)
		case t.stmt == nil:
			if t.stmt, err = tx.PrepareContext(ctx, rawInsert(t.name, t.cols, rawBatchRows)); err == nil {
				_, err = t.stmt.ExecContext(ctx, args...)
			}
		default:
			_, err = t.stmt.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("load raw: insert into %s: %w", t.name, err)
		}
		t.rows = t.rows[:0]
		return nil
	}}
	if err := fn(l); err != nil {
		return err
	}
	if err := l.finish(); err != nil {
		return err
	}
	return tx.Commit()
}

// rawInsert builds an INSERT of rows rows with ? placeholders.
func rawInsert(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// SheetInputsForTest encodes a sheet's inputs as SubmitSheet stores them,
// for fixtures that write sheets with LoadRaw.
func SheetInputsForTest(sh *assess.StoredSheet) (string, error) { return encodeInputs(sh) }
