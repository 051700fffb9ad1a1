//go:build !(amd64 || arm64) || purego

package sim

import (
	"bytes"
	"runtime"
	"strconv"
)

// exactGoroutineCheck says that every wait checks its goroutine
// (goroutine.go): without an assembly curg, only race builds do.
const exactGoroutineCheck = raceEnabled

// curg returns a number unique to the running goroutine while it lives,
// or 0 where the goroutine check is off. Without assembly it is the
// goroutine's id, read from the header of runtime.Stack ("goroutine 12
// [running]:"), which costs about 1 µs: too much for every wait outside
// race builds, which are slow anyway.
func curg() uintptr {
	if !exactGoroutineCheck {
		return 0
	}
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		panic("sim: internal error: cannot read the goroutine id from runtime.Stack: " + err.Error())
	}
	return uintptr(id)
}
