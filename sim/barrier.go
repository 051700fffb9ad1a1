package sim

import (
	"errors"
	"fmt"
)

// ErrBrokenBarrier is returned by Barrier.Wait when the barrier is broken
// by Abort, or reset by Reset while the task waits (asyncio's
// BrokenBarrierError).
var ErrBrokenBarrier = errors.New("sim: Barrier is broken")

// barrierState is asyncio's _BarrierState.
type barrierState uint8

const (
	barrierFilling   barrierState = iota // tasks arrive and wait
	barrierDraining                      // released; the tasks are leaving
	barrierResetting                     // reset; the tasks are leaving with ErrBrokenBarrier
	barrierBroken                        // aborted, until Reset
)

// Barrier is asyncio's Barrier (Python 3.11 and later) on virtual time:
// tasks that call Wait wait until parties of them have, then all go on.
// It is reusable: once every released task has left, the next ones fill it
// again. Tasks that arrive while the released ones are still leaving
// (draining) wait for that to end first. The zero Barrier is not usable;
// create one with NewBarrier. Its methods must be called on the Env's
// goroutine.
//
// A task cancelled while it waits for the barrier to fill leaves it as if
// it had never arrived: NWaiting drops back by one. Reset and Abort take
// effect at once (in asyncio they are coroutines that take an internal
// lock) and may be called from a task or a callback.
//
// Wait is O(1) for every task but the last, which wakes the others in
// O(parties).
type Barrier struct {
	parties int
	count   int // tasks in the barrier: waiting, or released and not left yet
	state   barrierState
	q       WaitQueue // tasks waiting for the barrier to fill
	blocked WaitQueue // tasks waiting for draining or resetting to end
}

// NewBarrier returns a Barrier for parties tasks. It panics if parties is
// less than 1.
func NewBarrier(parties int) *Barrier {
	if parties < 1 {
		panic(fmt.Sprintf("sim: NewBarrier(%d): parties must be 1 or more", parties))
	}
	return &Barrier{
		parties: parties,
		q:       WaitQueue{what: "a Barrier"},
		blocked: WaitQueue{what: "a draining Barrier"},
	}
}

// Wait suspends p's task until parties tasks wait at the barrier; the task
// that arrives last releases them all and does not suspend. Wait returns
// the arrival index, as asyncio does: the number of tasks in the barrier
// when p's task arrived, so 0 for the first and parties-1 for the one that
// released the barrier (indexes can repeat in a round where a waiter was
// cancelled, since that waiter's leaving lowers the count).
//
// Wait returns ErrBrokenBarrier if the barrier is broken (by Abort) when
// the task arrives or while it waits, or if it is reset while the task
// waits; and a *CancelledError if the task is cancelled while it waits,
// also just after it was released (the others are released all the same).
// It panics if it is called outside p's task.
func (b *Barrier) Wait(p *Proc) (index int, err error) {
	p.CheckRunning("Barrier.Wait")
	b.q.Claim(p, "Barrier.Wait")
	for b.state == barrierDraining || b.state == barrierResetting {
		if _, err := b.blocked.park(p, nil, "Barrier.Wait", false); err != nil {
			return 0, err
		}
	}
	if b.state == barrierBroken {
		return 0, ErrBrokenBarrier
	}
	index = b.count
	b.count++
	if b.count == b.parties {
		b.state = barrierDraining
		b.q.WakeAll()
	} else {
		for b.state == barrierFilling && err == nil {
			_, err = b.q.park(p, nil, "Barrier.Wait", false)
		}
		if err == nil && b.state != barrierDraining {
			err = ErrBrokenBarrier // broken or resetting
		}
	}
	b.count--
	b.exit()
	if err != nil {
		return 0, err
	}
	return index, nil
}

// exit ends draining or resetting when the last task has left, and lets
// the tasks blocked meanwhile go on.
func (b *Barrier) exit() {
	if b.count == 0 {
		if b.state == barrierDraining || b.state == barrierResetting {
			b.state = barrierFilling
		}
		b.blocked.WakeAll()
	}
}

// Reset returns the barrier to its empty, filling state. Tasks waiting in
// it get ErrBrokenBarrier; until they have all left, tasks that arrive wait
// for them. Reset also repairs a broken barrier.
func (b *Barrier) Reset() {
	if b.count > 0 {
		b.state = barrierResetting
	} else {
		b.state = barrierFilling
	}
	b.q.WakeAll()
	b.blocked.WakeAll()
}

// Abort breaks the barrier: tasks waiting in it, or arriving until the next
// Reset, get ErrBrokenBarrier.
func (b *Barrier) Abort() {
	b.state = barrierBroken
	b.q.WakeAll()
	b.blocked.WakeAll()
}

// Parties returns the number of tasks needed to pass the barrier.
func (b *Barrier) Parties() int { return b.parties }

// NWaiting returns the number of tasks waiting for the barrier to fill (0
// while it drains, resets or is broken).
func (b *Barrier) NWaiting() int {
	if b.state == barrierFilling {
		return b.count
	}
	return 0
}

// Broken reports whether the barrier is broken (by Abort, until Reset).
func (b *Barrier) Broken() bool { return b.state == barrierBroken }
