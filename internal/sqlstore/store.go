// Package sqlstore implements tandem.Store once, on database/sql, for every
// SQL database Tandem supports. The packages sqlite and postgres open their
// database, apply their own migrations, and hand a Dialect to New: the
// queries are portable SQL written with $1, $2 placeholders, and the Dialect
// covers what differs (placeholder syntax, driver error codes, row locks).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tandem-pm/tandem"
)

// Dialect is what differs between the SQL databases.
type Dialect interface {
	// Name is the database's name, for messages ("sqlite", "postgres").
	Name() string
	// Rebind rewrites a query written with $1, $2 ... placeholders into the
	// driver's syntax. It is called once per distinct query; the result is cached.
	Rebind(query string) string
	// IsUniqueViolation reports whether err is a unique or primary key violation.
	IsUniqueViolation(err error) bool
	// IsForeignKeyViolation reports whether err is a foreign key violation.
	IsForeignKeyViolation(err error) bool
	// ForUpdate is the clause that locks the rows a SELECT in a write
	// transaction reads (" FOR UPDATE"), or "" where writes are serialised anyway.
	ForUpdate() string
	// ReadTxOptions are the options of transactions that only read but must
	// see one state of the database (a list and the goal links of its rows).
	ReadTxOptions() *sql.TxOptions
	// StringAgg is the aggregate that joins the values of col with ","
	// in the order of col.
	StringAgg(col string) string
}

// Store implements tandem.Store on database/sql.
type Store struct {
	read    *sql.DB // reads that need no transaction
	write   *sql.DB // every write transaction; may be the same pool as read
	dialect Dialect

	queries sync.Map // query with $n placeholders -> rebound query
	stmts   map[*sql.DB]*stmtCache

	// Now returns the current time; tests may replace it before use.
	Now func() time.Time

	migration Migration
	auth      *authCache
	hash      func(password string) string // nil: tandem.HashPassword
	dummyOnce sync.Once
	dummy     string
	closeOnce sync.Once
	closeErr  error
}

var _ tandem.Store = (*Store)(nil)

// New returns a Store that reads through read and writes through write.
// For SQLite, write must be a pool of one connection so that writers queue;
// for PostgreSQL both may be the same pool.
func New(read, write *sql.DB, d Dialect, m Migration) *Store {
	s := &Store{read: read, write: write, dialect: d, Now: time.Now, migration: m, auth: newAuthCache(),
		stmts: map[*sql.DB]*stmtCache{read: {db: read}}}
	if write != read {
		s.stmts[write] = &stmtCache{db: write}
	}
	return s
}

// Migration tells which schema version a store found when it opened and
// which it left the database at.
type Migration struct {
	From int // the schema version found (0 for a new database)
	To   int // the schema version after the migrations ran
}

// Migration returns what happened to the schema when the store opened.
func (s *Store) Migration() Migration { return s.migration }

// SchemaVersion returns the schema version recorded in the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return currentVersion(ctx, s.read)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", s.dialect.Name(), err)
	}
	return nil
}

// Close closes the database handles.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		for _, c := range s.stmts {
			errs = append(errs, c.close())
		}
		err := errors.Join(append(errs, s.read.Close())...)
		if s.write != s.read {
			err = errors.Join(err, s.write.Close())
		}
		s.closeErr = err
	})
	return s.closeErr
}

// DB returns the pool used for reads, for tools such as backups.
func (s *Store) DB() *sql.DB { return s.read }

func (s *Store) rebind(q string) string {
	if v, ok := s.queries.Load(q); ok {
		return v.(string)
	}
	r := s.dialect.Rebind(q)
	s.queries.Store(q, r)
	return r
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx is one unit of work: a write transaction on the writer, or plain reads
// on the reader pool. now is fixed when it starts, so that every row a
// change writes carries the same time.
type tx struct {
	s      *Store
	q      querier
	sqlTx  *sql.Tx
	write  bool     // a write transaction: rows read may be locked
	db     *sql.DB  // the pool t runs on
	misses []string // queries run unprepared, to prepare when t ends
	now    time.Time
	actor  string
}

func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// reader returns a tx for reads that need no transaction.
func (s *Store) reader(ctx context.Context) *tx {
	return &tx{s: s, q: s.read, db: s.read, now: s.now(), actor: tandem.ActorFrom(ctx)}
}

// inTx runs fn in a write transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(t *tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{s: s, q: sqlTx, sqlTx: sqlTx, write: true, db: s.write, now: s.now(), actor: tandem.ActorFrom(ctx)}
	defer s.prepareMisses(ctx, t)
	// Rolled back unless committed, even if fn panics: a transaction left
	// open would hold SQLite's one writer connection for good.
	defer sqlTx.Rollback()
	if err := fn(t); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// inReadTx runs fn in a read transaction, for reads that must see one state.
func (s *Store) inReadTx(ctx context.Context, fn func(t *tx) error) error {
	sqlTx, err := s.read.BeginTx(ctx, s.dialect.ReadTxOptions())
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{s: s, q: sqlTx, sqlTx: sqlTx, db: s.read, now: s.now(), actor: tandem.ActorFrom(ctx)}
	defer s.prepareMisses(ctx, t)
	defer sqlTx.Rollback()
	return fn(t)
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = t.s.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.q.ExecContext(ctx, q, args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = t.s.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.q.QueryContext(ctx, q, args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = t.s.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.q.QueryRowContext(ctx, q, args...)
}

// stmt returns the prepared statement of q for t, or nil to run q unprepared.
// Outside transactions a miss prepares q at once. Inside one it must not:
// preparing on the pool would wait for a free connection while t holds one
// (the writer has only one), so the miss is prepared when t ends.
func (t *tx) stmt(ctx context.Context, q string) *sql.Stmt {
	c := t.s.stmts[t.db]
	if st := c.get(q); st != nil {
		if t.sqlTx != nil {
			return t.sqlTx.StmtContext(ctx, st)
		}
		return st
	}
	if t.sqlTx == nil {
		return c.prepare(ctx, q)
	}
	t.misses = append(t.misses, q)
	return nil
}

// maxStmts bounds the statements kept prepared per pool: queries built
// with IN lists of many lengths are not all worth keeping.
const maxStmts = 1000

// stmtCache keeps the prepared statements of one pool. database/sql
// prepares each again on every connection that runs it, once.
type stmtCache struct {
	db *sql.DB
	m  sync.Map // query -> *sql.Stmt
	n  atomic.Int64
}

func (c *stmtCache) get(q string) *sql.Stmt {
	if v, ok := c.m.Load(q); ok {
		return v.(*sql.Stmt)
	}
	return nil
}

// prepare prepares q, or returns nil when it cannot or the cache is full.
func (c *stmtCache) prepare(ctx context.Context, q string) *sql.Stmt {
	if c.n.Load() >= maxStmts {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // running it unprepared reports the error
	}
	if v, loaded := c.m.LoadOrStore(q, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	c.n.Add(1)
	return st
}

func (c *stmtCache) close() error {
	var errs []error
	c.m.Range(func(_, v any) bool {
		errs = append(errs, v.(*sql.Stmt).Close())
		return true
	})
	return errors.Join(errs...)
}

// prepareMisses prepares the statements a transaction ran unprepared.
func (s *Store) prepareMisses(ctx context.Context, t *tx) {
	c := s.stmts[t.db]
	for _, q := range t.misses {
		if c.get(q) == nil {
			c.prepare(ctx, q)
		}
	}
}

// lock returns the row-locking clause for SELECTs in write transactions.
func (t *tx) lock() string {
	if !t.write {
		return ""
	}
	return t.s.dialect.ForUpdate()
}

// exists reports whether the query returns a row.
func (t *tx) exists(ctx context.Context, q string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(ctx, q, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// dbErr turns driver errors about constraints into domain errors.
func (t *tx) dbErr(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case t.s.dialect.IsUniqueViolation(err):
		return tandem.Errorf(tandem.EConflict, "The %s already exists.", what)
	case t.s.dialect.IsForeignKeyViolation(err):
		return tandem.Errorf(tandem.EInvalid, "The %s refers to something that does not exist.", what)
	}
	return err
}

// notFound returns the ENotFound error for an entity.
func notFound(what, id string) error {
	return tandem.Errorf(tandem.ENotFound, "There is no %s %s.", what, id)
}

// filter collects WHERE conditions and their arguments; %s in a condition
// is replaced by the argument's placeholder.
type filter struct {
	conds []string
	args  []any
}

func (f *filter) add(cond string, args ...any) {
	ph := make([]any, len(args))
	for i, a := range args {
		f.args = append(f.args, a)
		ph[i] = fmt.Sprintf("$%d", len(f.args))
	}
	f.conds = append(f.conds, fmt.Sprintf(cond, ph...))
}

func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}

// next returns the placeholder for one more argument.
func (f *filter) next(arg any) string {
	f.args = append(f.args, arg)
	return fmt.Sprintf("$%d", len(f.args))
}

// likeQ returns the LIKE pattern for a case-insensitive substring search.
func likeQ(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(q))) + "%"
}

// placeholders returns "$n, $n+1, ..." for args appended to f.
func (f *filter) in(ids []string) string {
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = f.next(id)
	}
	return strings.Join(ph, ", ")
}
