//go:build !purego

#include "textflag.h"

// func curg() uintptr
//
// The address of the running goroutine's g, which the runtime keeps in
// thread-local storage on amd64 (the (TLS) pseudo-operand is what the
// runtime's get_tls macro reads).
TEXT ·curg(SB), NOSPLIT, $0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
