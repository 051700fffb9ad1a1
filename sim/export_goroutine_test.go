package sim

// RaceEnabled tells the external tests whether the race detector is on,
// under which the calls that do not wait check their goroutine too.
const RaceEnabled = raceEnabled
