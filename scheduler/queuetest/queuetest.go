package queuetest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

// A check is one rule of the kit: a name (the subtest's) and a function
// that exercises fresh queues from c.newQueue and calls c.failf at the first
// difference.
type check struct {
	name string
	run  func(c *checker)
}

// checks returns every check, in the order TestQueue runs them.
func checks() []check {
	cs := []check{
		{"Empty", checkEmpty},
		{"PeekPop", checkPeekPop},
		{"PopUntil", checkPopUntil},
		{"Filter", checkFilter},
		{"FilterKeys", checkFilterKeys},
	}
	for _, d := range timeDists() {
		cs = append(cs, check{"Order/" + d.name, func(c *checker) { checkOrder(c, d) }})
	}
	for _, d := range timeDists() {
		cs = append(cs, check{"Bulk/" + d.name, func(c *checker) { checkBulk(c, d) }})
	}
	for _, d := range increments() {
		cs = append(cs, check{"Hold/" + d.name, func(c *checker) { checkHold(c, d) }})
	}
	for _, tb := range []scheduler.TieBreak{scheduler.FIFO, scheduler.LIFO, scheduler.Random} {
		cs = append(cs, check{"Set/" + tb.String(), func(c *checker) { checkSet(c, tb) }})
	}
	cs = append(cs, check{"Set/cancel", checkSetCancel})
	return cs
}

// TestQueue runs the conformance checks on queues made by newQueue, each as
// a subtest of t named for its rule (for example "Order/ties" or
// "Set/lifo"), and reports each failure with the operations that led to it.
// Every call of newQueue must return a new, empty queue. It panics if
// newQueue is nil or returns nil.
func TestQueue(t *testing.T, newQueue func() scheduler.Queue[int]) {
	t.Helper()
	mustQueue("TestQueue", newQueue)
	for _, ch := range checks() {
		t.Run(ch.name, func(t *testing.T) {
			if err := runCheck(ch, newQueue); err != nil {
				t.Error(err)
			}
		})
	}
}

// Check runs the same checks as [TestQueue] without a testing.T and returns
// nil if the queues made by newQueue pass them all. Otherwise the error
// joins one error per failed check (see [errors.Join]); each reads
// "name: what differed" followed by the operations that led to it. It
// panics if newQueue is nil or returns nil.
func Check(newQueue func() scheduler.Queue[int]) error {
	mustQueue("Check", newQueue)
	var errs []error
	for _, ch := range checks() {
		if err := runCheck(ch, newQueue); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ch.name, err))
		}
	}
	return errors.Join(errs...)
}

func mustQueue(call string, newQueue func() scheduler.Queue[int]) {
	if newQueue == nil {
		panic("queuetest: " + call + ": nil newQueue")
	}
	if newQueue() == nil {
		panic("queuetest: " + call + ": newQueue returned nil")
	}
}

// failure is what checker.failf panics with, to end the check.
type failure struct{ msg string }

// checker runs one check: it makes queues, logs the operations applied to
// them, and turns the first difference, or an unexpected panic of the
// queue, into an error.
type checker struct {
	newQueue func() scheduler.Queue[int]
	log      []string // the most recent operations, at most logLen
	step     int      // operations so far
}

// logLen is the number of operations a failure message recalls.
const logLen = 8

// queue returns a new queue from newQueue.
func (c *checker) queue() scheduler.Queue[int] {
	q := c.newQueue()
	if q == nil {
		c.failf("newQueue returned nil")
	}
	if n := q.Len(); n != 0 {
		c.failf("newQueue returned a queue with %d entries, want a new, empty one", n)
	}
	return q
}

// op records one operation for the failure message.
func (c *checker) op(format string, args ...any) {
	c.step++
	if len(c.log) == logLen {
		copy(c.log, c.log[1:])
		c.log = c.log[:logLen-1]
	}
	c.log = append(c.log, fmt.Sprintf(format, args...))
}

// failf ends the check with a failure.
func (c *checker) failf(format string, args ...any) {
	panic(failure{fmt.Sprintf(format, args...)})
}

// reset forgets the operations logged so far, for a check that starts
// over on a new queue.
func (c *checker) reset() {
	c.log = c.log[:0]
	c.step = 0
}

// runCheck runs ch on queues from newQueue and returns its failure.
func runCheck(ch check, newQueue func() scheduler.Queue[int]) (err error) {
	c := &checker{newQueue: newQueue}
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		msg, ok := p.(failure)
		if !ok {
			msg = failure{fmt.Sprintf("unexpected panic: %v", p)}
		}
		err = c.errorf(msg.msg)
	}()
	ch.run(c)
	return nil
}

// errorf returns msg followed by the operations logged.
func (c *checker) errorf(msg string) error {
	if len(c.log) == 0 {
		return errors.New(msg)
	}
	first := c.step - len(c.log) + 1
	var b strings.Builder
	b.WriteString(msg)
	fmt.Fprintf(&b, "\n\toperations %d to %d: %s", first, c.step, strings.Join(c.log, "; "))
	return errors.New(b.String())
}

// show formats an entry compactly for messages.
func show(e scheduler.Entry[int]) string {
	return fmt.Sprintf("{At:%s Key:%#x Value:%d}", fmtAt(e.At), e.Key, e.Value)
}

// fmtAt formats a time as an integer, the ends of the range by name.
func fmtAt(t time.Duration) string {
	switch t {
	case math.MinInt64:
		return "MinInt64"
	case math.MaxInt64:
		return "MaxInt64"
	}
	return strconv.FormatInt(int64(t), 10)
}

// showPtr formats the result of Peek.
func showPtr(p *scheduler.Entry[int]) string {
	if p == nil {
		return "nil"
	}
	return show(*p)
}
