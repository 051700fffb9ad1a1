// Package scheduler is vtsim's event set: timestamped entries kept in a
// deterministic order, with pluggable queue implementations and tie-break
// policies.
//
// # Order
//
// Entries leave a [Set] in order of (time, priority, key). The key is
// assigned by the Set from its [TieBreak] policy when the entry is pushed:
//
//   - [FIFO] (the default): equal (time, priority) entries leave in the
//     order they were pushed.
//   - [LIFO]: equal (time, priority) entries leave in the reverse order.
//   - [Random]: equal (time, priority) entries leave in an order drawn from
//     a generator seeded by the Set's seed. Entries with different times or
//     priorities are never reordered, and the same seed and the same pushes
//     always give the same order.
//
// Lower priorities leave first; a priority is an int8, from -128 to 127.
// Nothing else (map order, goroutine scheduling, addresses) influences the
// order.
//
// # Queues
//
// A [Queue] stores entries and yields the least one. Two implementations
// are provided: [Heap] (a 4-ary min-heap of value entries; O(log n) push and
// pop, no allocation per entry once its slice has grown) and [Calendar] (a
// calendar queue after R. Brown, CACM 31(10), 1988; O(1) expected push and
// pop, staying flat as the number of pending entries grows). [New] picks one
// by [Kind].
//
// # Cancellation
//
// [Set.Push] returns a [Ticket]. [Set.Cancel] marks the entry dead in O(1);
// dead entries are skipped when they reach the front, and the queue is
// compacted in O(n) when dead entries outnumber live ones, so the amortised
// cost of a cancel is O(1) and no operation scans the queue per cancel.
//
// The zero value of Set is not usable; call [NewSet]. Nothing in this package
// is safe for concurrent use.
package scheduler
