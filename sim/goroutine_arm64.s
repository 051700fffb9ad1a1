//go:build !purego

#include "textflag.h"

// func curg() uintptr
//
// The address of the running goroutine's g, which arm64 keeps in its g
// register (R28) in both of Go's calling conventions.
TEXT ·curg(SB), NOSPLIT, $0-8
	MOVD g, R0
	MOVD R0, ret+0(FP)
	RET
