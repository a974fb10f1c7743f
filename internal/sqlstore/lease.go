package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// Leases on background jobs (table job_leases): several server nodes on one
// database agree through them which node runs a job. Times come from the
// store's clock (Now), so nodes' clocks must agree to well within a lease's
// time to live; NTP does that.

// AcquireLease takes the lease name for holder until now+ttl and reports
// whether holder has it. It succeeds when nobody holds the lease, when it
// has expired, or when holder holds it already (which renews it). Taking
// it is one statement, so two nodes can never both succeed.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, fmt.Errorf("acquire lease: name, holder and a positive ttl are required")
	}
	now := s.now()
	var got bool
	err := s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= $4`,
			name, holder, tsv(now.Add(ttl)), tsv(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		got = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	return got, nil
}

// ReleaseLease gives up holder's lease name, so that another node may take
// it at once. Releasing a lease one does not hold does nothing.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	err := s.inTx(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM job_leases WHERE name = $1 AND holder = $2`, name, holder)
		return err
	})
	if err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

// LeaseHolder returns who holds the lease name and until when; an empty
// holder when nobody does (an expired lease is reported as it is).
func (s *Store) LeaseHolder(ctx context.Context, name string) (string, time.Time, error) {
	var holder string
	var until time.Time
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT holder, expires_at FROM job_leases WHERE name = $1`), name)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("find lease %s: %w", name, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&holder, ts{&until}); err != nil {
			return "", time.Time{}, fmt.Errorf("find lease %s: %w", name, err)
		}
	}
	return holder, until, rows.Err()
}
