package sim_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// A producer fills a queue of two places faster than a consumer empties it,
// so it waits for room; Shutdown stops the consumer once all is done.
func ExampleNewQueue() {
	env := sim.New()
	defer env.Close()
	q := sim.NewQueue[string](2)
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for _, item := range []string{"a", "b", "c", "d"} {
			if err := q.Put(p, item); err != nil {
				return 0, err
			}
			fmt.Println(p.Now(), "put", item)
		}
		if err := q.Join(p); err != nil { // until the consumer has done them all
			return 0, err
		}
		q.Shutdown(false)
		return 0, nil
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		for {
			item, err := q.Get(p)
			if errors.Is(err, sim.ErrQueueShutdown) {
				fmt.Println(p.Now(), "consumer stops")
				return 0, nil
			}
			if err != nil {
				return 0, err
			}
			err = p.Sleep(time.Second)
			fmt.Println(p.Now(), "done", item)
			q.TaskDone()
			if err != nil {
				return 0, err
			}
		}
	})
	fmt.Println(env.Run())
	// Output:
	// 0s put a
	// 0s put b
	// 0s put c
	// 1s done a
	// 1s put d
	// 2s done b
	// 3s done c
	// 4s done d
	// 4s consumer stops
	// <nil>
}

// Jobs leave a priority queue most urgent first; jobs of equal urgency leave
// in the order they were put.
func ExampleNewPriorityQueue() {
	type job struct {
		urgency int // 0 is the most urgent
		name    string
	}
	q := sim.NewPriorityQueue(0, func(a, b job) bool { return a.urgency < b.urgency })
	for _, j := range []job{{2, "report"}, {0, "outage"}, {1, "review"}, {0, "fire"}, {2, "lunch"}} {
		q.PutNowait(j)
	}
	for !q.Empty() {
		j, _ := q.GetNowait()
		fmt.Println(j.urgency, j.name)
	}
	// Output:
	// 0 outage
	// 0 fire
	// 1 review
	// 2 report
	// 2 lunch
}
