package sim_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestInlining pins the inlining that the engine's speed relies on, as the
// Go compiler's own inl_test.go does: the waits must inline into user code
// and the switch's helpers into the waits, so that after a coroutine switch
// the task returns to user code through one frame (each frame costs about
// 4 ns of a 90 ns switch: the returns after a switch are mispredicted).
// The run loop's dispatch and the event set's Next and Heap.Push must
// inline into the loop. A change that makes one of them too large fails
// here, naming it, instead of silently costing nanoseconds.
func TestInlining(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package with -gcflags=-m=2")
	}
	want := []string{
		"(*Proc).Sleep", "(*Proc).SleepUntil", "(*Proc).Yield",
		"(*Proc).suspend", "(*Proc).woke", "(*Proc).checkRunning", // CheckRunning also checks the goroutine (a call to assembly): it need not inline
		"(*Env).dispatch", "(*Env).deadline",
		"(*WaitQueue).Wait", "(*WaitQueue).WaitWith", "(*Proc).WatchEnd",
		"scheduler.(*Set[go.shape.func()]).Next",
		"scheduler.(*Set[go.shape.func()]).settle",
		"scheduler.(*Heap[go.shape.func()]).Push",
	}
	out, err := exec.Command("go", "build", "-gcflags=-m=2", "github.com/vtsim/vtsim/sim").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m=2: %v\n%s", err, out)
	}
	can := map[string]bool{}
	why := map[string]string{}
	re := regexp.MustCompile(`: (can|cannot) inline (\S+)(.*)`)
	for _, line := range strings.Split(string(out), "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			can[m[2]] = can[m[2]] || m[1] == "can"
			if m[1] == "cannot" {
				why[m[2]] = strings.TrimPrefix(m[3], ": ")
			}
		}
	}
	for _, fn := range want {
		if !can[fn] {
			t.Errorf("%s does not inline: %s", fn, why[fn])
		}
	}
}
