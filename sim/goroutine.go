package sim

import "fmt"

// The goroutine check.
//
// A task's body runs on its coroutine's goroutine (an iter.Pull
// coroutine). If the task starts a goroutine and that goroutine calls a
// wait with the task's Proc, the checks of the task alone pass (the task is
// the one running: it is waiting for the goroutine, on a raw channel say),
// and iter.Pull switches from the wrong goroutine without a word: the run
// loop carries on while the task's own goroutine runs too, and the model's
// timing is silently wrong. So every wait, before it changes anything,
// compares the running goroutine with its task's coroutine's and panics,
// in the goroutine that called it, with a message naming the call, the
// task and the misuse.
//
// Go has no public goroutine identity, and runtime.Stack's "goroutine N"
// header costs about 1 µs, some ten times a task switch. On amd64 and
// arm64, curg reads the address of the running goroutine's runtime g
// instead, as the runtime's getg does, in two instructions of assembly
// (goroutine_amd64.s, goroutine_arm64.s): it costs a call, about 2 ns.
// The address is exact: a g is allocated once and never moves (a stack
// that grows or shrinks is copied, its g stays), and while the coroutine
// lives no other goroutine has its g. So the check never raises a false
// alarm and never misses a wait that would switch from another goroutine.
//
// What is checked, and when:
//   - On amd64 and arm64, every wait that may suspend the task (the timer
//     waits, Await of a future not done yet, and every WaitQueue wait)
//     checks its goroutine before it touches any state, for about 2 ns;
//     so does Proc.CheckRunning, the first call of every operation of the
//     primitives (this package's and package resource's), which therefore
//     refuse a foreign goroutine's call before they change anything, even
//     one that would not have waited. Await of a done future and a Release
//     are not checked: they do not switch, but they are a data race, which
//     the race detector reports.
//   - In race builds (go test -race), every call that checks its task
//     (Proc.CheckRunning and the like, the first thing every task-only
//     call does) checks its goroutine too, the calls that do not wait
//     as well.
//   - Elsewhere (386, arm, riscv64 and the rest, and with the build tag
//     purego), curg reads the goroutine id from runtime.Stack, and only
//     race builds check.
//
// The panic happens in the goroutine that made the call; unless that
// goroutine recovers it, it ends the program with the message.

// onOwnGoroutine reports whether the caller runs on the goroutine of p's
// coroutine; p must be the running task. It is true where the check is off
// (curg returns 0 for every goroutine).
func (p *Proc) onOwnGoroutine() bool {
	c := p.co
	return c == nil || curg() == c.g
}

// foreignGoroutine is the goroutine check's failure: op (for example
// "Proc.Sleep" or "Queue.Get") was called with p from a goroutine other
// than p's task's own. It is kept out of line, away from the waits' code.
//
//go:noinline
func (p *Proc) foreignGoroutine(op string) {
	panic(fmt.Sprintf("sim: %s of task %q called from a goroutine the task started; waits must be called from the task's own goroutine", op, p.name))
}
