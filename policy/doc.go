// Package policy simulates scheduling policies on virtual time: the
// policies, the servers that run them and farms of servers behind a
// dispatcher. A run offers a stream of [workload.Job] values to a
// [System] on a [sim.Env] and yields one [workload.Record] per job.
//
// # Policies
//
// A [Ranker] is a rank-based policy in SOAP form (Scully, Harchol-Balter
// and Scheller-Wolf, SIGMETRICS 2018): the jobs with the lowest rank,
// computed from the job and its attained service, are served, preemptively
// or not; a [Changer] names the points where a served job's rank gets
// worse, so the server re-ranks it there. The built-in [Ranking] values
// are [FCFS], [LCFS], [LCFSPR], [SJF], [PSJF], [SRPT], [SRPTEstimate],
// [LAS], [EDF] and static priority ([Priority]); [Gittins] builds the
// Gittins-index policy of a discrete size distribution. A user's own
// policy is a [Ranked] value of a few functions, or any type with the
// Ranker methods.
// The rate-sharing built-ins are processor sharing ([PS]), discriminatory
// PS ([DPS]), weighted fair sharing between classes ([FairShare]) and
// round-robin with a quantum ([RR]).
//
// # Servers
//
// [NewServer] puts a policy on c identical servers of rate 1 with one
// central queue; [NewFarm] puts several servers, each with its own queue,
// behind a [Dispatcher] ([Random], [RoundRobinDispatch], [JSQ],
// [LeastWork], [PowerOfD]). Servers and farms hold no run state: one value
// serves any number of runs. [Run] calls a function per finished job, so
// a run of a million jobs keeps no slice; [Records] collects them.
//
// Each run works on the Env's callbacks, not on tasks: one event per
// arrival and one per completion, plus one per quantum under [RR] and one
// per decision point of a [Changer]; a pending completion is cancelled and
// rescheduled when the set of served jobs changes. Under the built-in
// rate-sharing policies and [LAS] the served jobs' progress is kept by
// virtual time, so no event touches every job.
//
// # Costs
//
// Per event: O(log n) for n jobs at a server under every [Ranker] on one
// server (O(log n + c) on c servers, since a preemption looks at every
// served job), [PS] and [DPS]; O(c + log n) amortised under [LAS] on c
// servers (merging levels of equal attained service, O(log² n)); O(1)
// under [RR]; O(K + log n) under [FairShare] with K active classes.
// Dispatching is O(k) for [JSQ] and [LeastWork] over k members, O(d) for
// [PowerOfD]. Job states are reused, so a run allocates nothing per job
// once its tables have grown.
//
// # Time and exactness
//
// Times are integer nanoseconds. Under rank-based policies and [RR] a
// served job progresses at rate 1 and every time is exact. Under [PS],
// [DPS], [FairShare] and [LAS] the shared progress is a float and a
// completion is rounded to the nanosecond, but each server's remaining
// work is kept exactly and the last job present finishes exactly when it
// is done, so busy periods are exact under every work-conserving policy.
//
// # Order
//
// At one instant, a server's own events (completions, quantum ends,
// decision points) run before arrivals, so an arriving job sees the jobs
// that leave at that instant gone (a dispatcher too), and joins a
// round-robin queue behind the job whose quantum ends then. Arrivals at
// one instant come in the source's order; equal ranks go to the earlier
// arrival.
//
// # Zero values, panics and errors
//
// The zero [Server], [Farm], [Ranked] and [Dispatch] are not usable: build
// them with [NewServer], [NewFarm], a Key function and the dispatcher
// functions. Nil arguments, a [Ranker] returning NaN, a [Changer] whose
// next point is not ahead, and a [Dispatcher] choosing a member that does
// not exist are programmer mistakes and panic naming the call. Bad
// configurations ([ErrServers], [ErrUnsupported], [ErrInvalid]) and bad
// jobs ([ErrBadJob]) are errors that say what was wrong and what is
// allowed; a run stopped by someone else returns [ErrIncomplete].
//
// Record.Server is the index of the server that finished the job under a
// [Ranker] or [RR] on c servers, the member's index in a [Farm], and 0
// under [PS], [DPS], [FairShare] and [LAS], where no job holds one server.
// Under those four Record.Preemptions is 0 too: service is shared, not
// held, so no preemption is counted.
package policy
