// Package queuetest is a conformance and benchmark kit for implementations
// of [scheduler.Queue], in the manner of testing/fstest: the checks and the
// workloads that [scheduler.Heap] and [scheduler.Calendar] pass and are
// measured with, for anyone's queue.
package queuetest
