//go:build !race

package sim

// raceEnabled says the race detector is on (race.go).
const raceEnabled = false
