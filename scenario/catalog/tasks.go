package catalog

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
)

// Tasks returns the tasks scenario: Python asyncio's "Coroutines and Tasks"
// example on virtual time, as examples/tasks plays it. A task announces that
// it will take work seconds, sleeps them and returns "task finished"; a
// second task, asleep for an hour, is cancelled after cancel_after, and the
// task awaiting it sees the cancellation. Replication 0 prints the log as
// the original does. The run is deterministic, so theory is exact: the result
// arrives at work, and the cancellation at work + cancel_after.
func Tasks() *scenario.Scenario {
	return &scenario.Scenario{
		Name:    "tasks",
		Summary: "asyncio's Tasks example: create a task, sleep, take its result, cancel another",
		Description: `Python asyncio's "Coroutines and Tasks" example on virtual time: create a task, let it
sleep, read its result, then cancel a task that sleeps for an hour and see its awaiter get the
cancellation error. The log of replication 0 is printed as examples/tasks prints it; the whole run
takes microseconds of real time.`,
		Reps: 3,
		Params: []scenario.Param{
			scenario.DurationParam("work", 2*time.Second, "how long the nested task sleeps").AtLeast(0),
			scenario.DurationParam("cancel_after", 10*time.Minute, "when the sleeper is cancelled, after the result").AtLeast(0).Below(float64(time.Hour)),
		},
		Metrics: []scenario.Metric{
			{Name: "result_at", Unit: "s", Help: "virtual time of the nested task's result",
				Theory: func(p scenario.Params) (float64, bool) { return p.Duration("work").Seconds(), true }},
			{Name: "cancelled_at", Unit: "s", Help: "virtual time the awaiter sees the cancellation",
				Theory: func(p scenario.Params) (float64, bool) {
					return (p.Duration("work") + p.Duration("cancel_after")).Seconds(), true
				}},
		},
		Run: runTasks,
	}
}

// runTasks plays the example.
func runTasks(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
	w := p.Log()
	work := p.Duration("work")
	logf := func(format string, args ...any) {
		fmt.Fprintf(w, "[%v] %s\n", env.Now(), fmt.Sprintf(format, args...))
	}
	task := sim.Go(env, "nested", func(q *sim.Proc) (string, error) {
		logf("nested: this will take %v", work)
		if err := q.Sleep(work); err != nil {
			return "", err
		}
		return "task finished", nil
	})
	res, err := sim.RunUntilComplete(env, task)
	if err != nil {
		return nil, err
	}
	logf("result: %s", res)
	resultAt := env.Now()

	sleeper := sim.Go(env, "sleeper", func(q *sim.Proc) (string, error) {
		logf("sleeper: sleeping for an hour")
		if err := q.Sleep(time.Hour); err != nil {
			logf("sleeper: woken by %v", err)
			return "", err
		}
		return "rested", nil
	})
	var cancelledAt time.Duration
	awaiter := sim.Go(env, "awaiter", func(q *sim.Proc) (string, error) {
		v, err := sim.Await(q, sleeper)
		if errors.Is(err, sim.ErrCancelled) {
			cancelledAt = q.Now()
			logf("awaiter: the sleeper was cancelled: %v", err)
			return "gave up", nil
		}
		return v, err
	})
	env.CallLater(p.Duration("cancel_after"), func() {
		logf("main: cancelling the sleeper: %v", sleeper.Cancel("no time to rest"))
	})
	res, err = sim.RunUntilComplete(env, awaiter)
	if err != nil {
		return nil, err
	}
	logf("awaiter returned %q; sleeper cancelled: %v", res, sleeper.Cancelled())
	return scenario.Observations{"result_at": resultAt.Seconds(), "cancelled_at": cancelledAt.Seconds()}, nil
}
