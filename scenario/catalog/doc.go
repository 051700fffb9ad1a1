// Package catalog holds vtsim's built-in scenarios, written with the public
// API of package [scenario] exactly as a user's own scenarios are:
//
//   - tasks: Python asyncio's "Coroutines and Tasks" example (create, sleep,
//     result, cancel), its log printed as the original prints it;
//   - mm1: the M/M/1 queue, with Kleinrock's formulas as theory;
//   - mmc: the M/M/c queue, with Erlang C;
//   - mg1: the M/G/1 queue with exponential, deterministic, Erlang,
//     lognormal or hyperexponential service, with Pollaczek-Khinchine;
//   - sched: scheduling policies (FCFS, PS, SRPT, LAS and SRPT on noisy
//     estimates, a policy written as a user writes one) on the same jobs,
//     with Pollaczek-Khinchine for FCFS and E[S]/(1-rho) for PS; the
//     default experiment of the vtsim command;
//   - retry-storm: clients with timeouts and retries with exponential
//     backoff and jitter against a server of fixed capacity, which collapse
//     (a metastable failure) after a load spike unless retries are capped or
//     budgeted.
//
// Each function returns a new *scenario.Scenario; [All] returns them all in
// the order `vtsim list` shows them. An open queue at load 1 or more gets a
// warning and still ends: every queue scenario stops after a fixed number
// of arrivals, and retry-storm after a fixed virtual duration.
package catalog

import "github.com/vtsim/vtsim/scenario"

// All returns the built-in scenarios, new values on each call.
func All() []*scenario.Scenario {
	return []*scenario.Scenario{Tasks(), MM1(), MMC(), MG1(), Sched(), RetryStorm()}
}
