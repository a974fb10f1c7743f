package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Leaser hands out leases on jobs through a shared database, so that of
// several server nodes only one runs a job at a time. *sqlstore.Store
// implements it (table job_leases).
type Leaser interface {
	// AcquireLease takes or renews the lease name for holder until
	// now+ttl and reports whether holder has it.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives up holder's lease name.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Lease runs jobs under a lease. A node that finds the lease held skips the
// run (Run reports ran = false) and is expected to try again later; the
// holder renews the lease while its run lasts, so a long run keeps it,
// and a node that dies loses it after TTL.
type Lease struct {
	Leaser Leaser
	Holder string        // this node, e.g. host name, process ID and a random ID
	TTL    time.Duration // how long a lease lasts without renewal
	Logger *slog.Logger
}

// Run runs fn while holding the lease name. When another holder has it, Run
// returns (false, nil) without running fn. When a renewal fails or finds
// the lease taken (this node stalled longer than TTL), fn's context is
// cancelled.
func (l *Lease) Run(ctx context.Context, name string, fn func(ctx context.Context) error) (ran bool, err error) {
	ok, err := l.Leaser.AcquireLease(ctx, name, l.Holder, l.TTL)
	if err != nil || !ok {
		return false, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		tick := time.NewTicker(l.TTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				ok, err := l.Leaser.AcquireLease(ctx, name, l.Holder, l.TTL)
				if err != nil || !ok {
					if err == nil {
						err = fmt.Errorf("lease %s was taken by another node", name)
					}
					cancel(fmt.Errorf("renew lease: %w", err))
					return
				}
			}
		}
	}()
	err = fn(ctx)
	close(done)
	<-renewed
	if cause := context.Cause(ctx); err != nil && cause != nil && cause != context.Canceled && !errors.Is(err, cause) {
		err = fmt.Errorf("%w (%v)", err, cause)
	}
	// Release even when ctx was cancelled (the server is stopping), so the
	// next node need not wait for the lease to expire.
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer rcancel()
	if rerr := l.Leaser.ReleaseLease(rctx, name, l.Holder); rerr != nil && l.Logger != nil {
		l.Logger.Warn("release job lease", "lease", name, "err", rerr)
	}
	return true, err
}
