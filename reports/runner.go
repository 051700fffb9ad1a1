package reports

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// outcome is what one replication returned.
type outcome struct {
	metrics Metrics
	err     error
	done    bool
}

// runRange runs the replications from..to-1 on up to workers goroutines and
// stores each outcome at its index in out. Indices are handed out in
// increasing order; after a failure no new index is handed out, so every
// index below the first failure has run when runRange returns and the lowest
// failing index is the same whatever the number of workers. Cancelling ctx
// also stops handing out indices. Every goroutine has ended when runRange
// returns.
func runRange(ctx context.Context, model Model, root uint64, from, to, workers int, out []outcome) {
	var next atomic.Int64
	var failed atomic.Bool
	next.Store(int64(from))
	work := func() {
		for !failed.Load() && ctx.Err() == nil {
			i := int(next.Add(1) - 1)
			if i >= to {
				return
			}
			rep := Replication{Index: i, Seed: ReplicationSeed(root, i)}
			m, err := runModel(model, rep)
			out[i] = outcome{metrics: m, err: err, done: true}
			if err != nil {
				failed.Store(true)
			}
		}
	}
	workers = min(workers, to-from)
	if workers <= 1 {
		work() // no goroutine needed: run on the caller's
		return
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(work)
	}
	wg.Wait()
}

// runModel calls model, turning a panic into an error wrapping ErrPanic.
func runModel(model Model, rep Replication) (m Metrics, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%w: %v\n%s", ErrPanic, r, debug.Stack())
		}
	}()
	return model(rep)
}
