// Package timing is timing logic written against github.com/benbjohnson/clock
// (a retry loop with exponential backoff, a token bucket, a lease with
// heartbeats) and tested on vtsim's virtual clock: see its tests. Nothing
// here knows about vtsim.
package timing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/benbjohnson/clock"
)

// Backoff is a retry policy: the first wait is Base, each next one twice the
// last, at most Max, and each shortened by up to the fraction Jitter at
// random.
type Backoff struct {
	Base, Max time.Duration
	Jitter    float64
}

// Retry calls op until it returns nil, sleeping on clk between attempts as
// b says, and gives up with op's last error when the next attempt would come
// after ctx's deadline or ctx is done.
func Retry(ctx context.Context, clk clock.Clock, b Backoff, rng *rand.Rand, op func(attempt int) error) error {
	deadline, hasDeadline := ctx.Deadline()
	wait := b.Base
	for attempt := 1; ; attempt++ {
		err := op(attempt)
		if err == nil {
			return nil
		}
		d := wait - time.Duration(b.Jitter*rng.Float64()*float64(wait))
		if hasDeadline && clk.Now().Add(d).After(deadline) {
			return fmt.Errorf("retry: gave up after %d attempts: %w", attempt, err)
		}
		clk.Sleep(d)
		if ctx.Err() != nil {
			return fmt.Errorf("retry: %w after %d attempts: %w", ctx.Err(), attempt, err)
		}
		wait = min(2*wait, b.Max)
	}
}

// Bucket is a token bucket (as the generic cell rate algorithm): it admits
// one event per Interval on average, and up to Burst at once.
type Bucket struct {
	clk      clock.Clock
	interval time.Duration
	burst    int
	tat      time.Time // theoretical arrival time of the next event
}

// NewBucket returns a full bucket on clk.
func NewBucket(clk clock.Clock, interval time.Duration, burst int) *Bucket {
	return &Bucket{clk: clk, interval: interval, burst: burst, tat: clk.Now()}
}

// Allow takes a token if there is one.
func (b *Bucket) Allow() bool {
	now := b.clk.Now()
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	if tat.Sub(now) > time.Duration(b.burst-1)*b.interval {
		return false
	}
	b.tat = tat.Add(b.interval)
	return true
}

// Wait sleeps on the clock until a token is available, and takes it.
func (b *Bucket) Wait() {
	for !b.Allow() {
		b.clk.Sleep(b.tat.Sub(b.clk.Now()) - time.Duration(b.burst-1)*b.interval)
	}
}

// Lease is a lease that its holder keeps by renewing it within TTL.
type Lease struct {
	clk    clock.Clock
	ttl    time.Duration
	expiry time.Time
}

// NewLease returns a lease granted now.
func NewLease(clk clock.Clock, ttl time.Duration) *Lease {
	return &Lease{clk: clk, ttl: ttl, expiry: clk.Now().Add(ttl)}
}

// Renew extends the lease to TTL from now.
func (l *Lease) Renew() { l.expiry = l.clk.Now().Add(l.ttl) }

// Valid reports whether the lease has not expired.
func (l *Lease) Valid() bool { return l.clk.Now().Before(l.expiry) }

// Heartbeat renews the lease every interval until stop says to stop. With
// an interval equal to the TTL it is buggy: the renewal falls at the very
// instant the lease expires, and a check at that instant sees it expired or
// not depending on which runs first.
func Heartbeat(clk clock.Clock, l *Lease, interval time.Duration, stop func() bool) {
	for !stop() {
		clk.Sleep(interval)
		l.Renew()
	}
}
