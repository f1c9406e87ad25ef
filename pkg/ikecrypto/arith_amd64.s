//go:build !purego

#include "textflag.h"

// func cpuHasADX() bool: CPUID leaf 7 reports ADX (EBX bit 19) and BMI2
// (EBX bit 8, for MULX).
TEXT ·cpuHasADX(SB), NOSPLIT, $0-1
	MOVL $0, AX
	CPUID
	CMPL AX, $7
	JB   no
	MOVL $7, AX
	MOVL $0, CX
	CPUID
	ANDL $0x80100, BX
	CMPL BX, $0x80100
	JNE  no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET

// rowADX<> is the limb loop shared by the functions below, called with
// its own register convention to save Go call overhead per row:
// in DI = z, SI = x, DX = y, CX = len > 0; out BX = carry word of
// z += x*y. Clobbers CX, SI, DI, R8-R12 and the flags; reads AX only to
// clear the flags.
//
// MULX leaves the flags alone, so two carry chains run at once: CF adds
// the previous high word, OF adds z. Both are folded into the carry word
// at the end of each block, before SUBQ clobbers the flags; the sum cannot
// overflow a word.
TEXT rowADX<>(SB), NOSPLIT, $0-0
	XORQ BX, BX
	XORQ R8, R8
	MOVQ CX, R9
	SHRQ $3, R9
	ANDQ $7, CX
	TESTQ R9, R9
	JZ   tail

block:
	TESTQ AX, AX
	MULXQ 0(SI), R10, R11
	ADCXQ BX, R10
	ADOXQ 0(DI), R10
	MOVQ R10, 0(DI)
	MULXQ 8(SI), R12, BX
	ADCXQ R11, R12
	ADOXQ 8(DI), R12
	MOVQ R12, 8(DI)
	MULXQ 16(SI), R10, R11
	ADCXQ BX, R10
	ADOXQ 16(DI), R10
	MOVQ R10, 16(DI)
	MULXQ 24(SI), R12, BX
	ADCXQ R11, R12
	ADOXQ 24(DI), R12
	MOVQ R12, 24(DI)
	MULXQ 32(SI), R10, R11
	ADCXQ BX, R10
	ADOXQ 32(DI), R10
	MOVQ R10, 32(DI)
	MULXQ 40(SI), R12, BX
	ADCXQ R11, R12
	ADOXQ 40(DI), R12
	MOVQ R12, 40(DI)
	MULXQ 48(SI), R10, R11
	ADCXQ BX, R10
	ADOXQ 48(DI), R10
	MOVQ R10, 48(DI)
	MULXQ 56(SI), R12, BX
	ADCXQ R11, R12
	ADOXQ 56(DI), R12
	MOVQ R12, 56(DI)
	ADCXQ R8, BX
	ADOXQ R8, BX
	LEAQ 64(SI), SI
	LEAQ 64(DI), DI
	SUBQ $1, R9
	JNZ  block

tail:
	TESTQ CX, CX
	JZ   done

tail1:
	TESTQ AX, AX
	MULXQ 0(SI), R10, R11
	ADCXQ BX, R10
	ADOXQ 0(DI), R10
	MOVQ R10, 0(DI)
	MOVQ R11, BX
	ADCXQ R8, BX
	ADOXQ R8, BX
	LEAQ 8(SI), SI
	LEAQ 8(DI), DI
	SUBQ $1, CX
	JNZ  tail1

done:
	RET

// func addMulVVWADX(z, x []uint64, y uint64) (c uint64)
TEXT ·addMulVVWADX(SB), NOSPLIT, $0-64
	MOVQ z_base+0(FP), DI
	MOVQ z_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ y+48(FP), DX
	XORQ BX, BX
	TESTQ CX, CX
	JZ   empty
	CALL rowADX<>(SB)
empty:
	MOVQ BX, ret+56(FP)
	RET

// func mulRowsADX(t, x, y *uint64, n int)
// t[i:i+n] += x*y[i], t[i+n] = carry, for i < n: the product phase of a
// Montgomery multiplication into a zeroed t of 2n limbs.
TEXT ·mulRowsADX(SB), NOSPLIT, $0-32
	MOVQ t+0(FP), R13
	MOVQ y+16(FP), AX
	MOVQ n+24(FP), CX
	LEAQ (AX)(CX*8), R8
	MOVQ R8, y+16(FP) // end of y
rows:
	MOVQ (AX), DX
	MOVQ R13, DI
	MOVQ x+8(FP), SI
	MOVQ n+24(FP), CX
	CALL rowADX<>(SB)
	MOVQ n+24(FP), CX
	MOVQ BX, (R13)(CX*8)
	ADDQ $8, R13
	ADDQ $8, AX
	CMPQ AX, y+16(FP)
	JNE  rows
	RET

// func sqrRowsADX(t, x *uint64, n int)
// The cross products x_i*x_j, i < j, into a zeroed t of 2n limbs:
// row i adds x[i+1:]*x[i] at t[2i+1] and stores its carry at t[i+n].
TEXT ·sqrRowsADX(SB), NOSPLIT, $0-24
	MOVQ t+0(FP), R13
	ADDQ $8, R13
	MOVQ x+8(FP), AX
	SUBQ $1, n+16(FP) // row length
	JLE  sqrdone
sqrrows:
	MOVQ (AX), DX
	LEAQ 8(AX), SI
	MOVQ R13, DI
	MOVQ n+16(FP), CX
	CALL rowADX<>(SB)
	MOVQ n+16(FP), CX
	MOVQ BX, (R13)(CX*8)
	ADDQ $16, R13
	ADDQ $8, AX
	SUBQ $1, n+16(FP)
	JNZ  sqrrows
sqrdone:
	RET

// func reduceRowsADX(t, p *uint64, n int, m0inv uint64) (carry uint64)
// The Montgomery reduction rows over t of 2n limbs: afterwards the result
// is t[n:2n] plus carry*2^(64n).
TEXT ·reduceRowsADX(SB), NOSPLIT, $0-40
	MOVQ t+0(FP), R13
	XORQ AX, AX // carry between rows
	MOVQ n+16(FP), CX
	LEAQ (R13)(CX*8), R8
	MOVQ R8, t+0(FP) // end of the rows
redrows:
	MOVQ (R13), DX
	IMULQ m0inv+24(FP), DX
	MOVQ R13, DI
	MOVQ p+8(FP), SI
	MOVQ n+16(FP), CX
	CALL rowADX<>(SB)
	MOVQ n+16(FP), CX
	XORQ R10, R10
	MOVQ (R13)(CX*8), R9
	ADDQ BX, R9
	ADCQ $0, R10
	ADDQ AX, R9
	ADCQ $0, R10
	MOVQ R9, (R13)(CX*8)
	MOVQ R10, AX
	ADDQ $8, R13
	CMPQ R13, t+0(FP)
	JNE  redrows
	MOVQ AX, ret+32(FP)
	RET

// func sqrDiagADX(t, x *uint64, n int)
// t[0:2n] = 2*t + the squares x_i^2 at t[2i]: the rest of a squaring
// after sqrRowsADX. CF carries the doubling, OF the squares; the loop
// steps with LEAQ and JCXZQ, which leave both alone.
TEXT ·sqrDiagADX(SB), NOSPLIT, $0-24
	MOVQ t+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
diag:
	MOVQ (SI), DX
	MULXQ DX, R10, R11
	MOVQ 0(DI), R8
	ADCXQ R8, R8
	ADOXQ R10, R8
	MOVQ R8, 0(DI)
	MOVQ 8(DI), R9
	ADCXQ R9, R9
	ADOXQ R11, R9
	MOVQ R9, 8(DI)
	LEAQ 8(SI), SI
	LEAQ 16(DI), DI
	LEAQ -1(CX), CX
	JCXZQ diagdone
	JMP  diag
diagdone:
	RET
