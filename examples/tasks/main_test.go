package main

import "os"

func Example() {
	if err := run(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// [0s] nested: this will take 2 seconds
	// [2s] result: task finished
	// [2s] sleeper: sleeping for an hour
	// [10m2s] main: cancelling the sleeper: true
	// [10m2s] sleeper: woken by cancelled: no time to rest
	// [10m2s] awaiter: the sleeper was cancelled: cancelled: no time to rest
	// [10m2s] awaiter returned "gave up"; sleeper cancelled: true
}
