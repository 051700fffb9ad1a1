//go:build race

package sim

// raceEnabled says the race detector is on: every call that checks its
// task (checkRunning) also checks its goroutine (goroutine.go).
const raceEnabled = true
