#!/usr/bin/env python3
"""Runs a command with io_uring refused, as Docker's default seccomp profile refuses it.

    python3 no-io-uring.py java -jar tpp-proxy.jar --config proxy.yaml

Installs a seccomp filter that makes io_uring_setup, io_uring_enter and io_uring_register (425-427
on every Linux architecture) fail with EPERM, then execs the command, which inherits the filter.
"""
import ctypes
import os
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_RET_K = 0x06
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO_EPERM = 0x00050000 | 1


def insn(code, jt, jf, k):
    return struct.pack("HBBI", code, jt, jf, k)


program = b"".join(
    [
        insn(BPF_LD_W_ABS, 0, 0, 0),  # the syscall number
        insn(BPF_JEQ_K, 3, 0, 425),
        insn(BPF_JEQ_K, 2, 0, 426),
        insn(BPF_JEQ_K, 1, 0, 427),
        insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        insn(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO_EPERM),
    ]
)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


libc = ctypes.CDLL(None, use_errno=True)
prog = SockFprog(len(program) // 8, program)
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_NO_NEW_PRIVS): " + os.strerror(ctypes.get_errno()))
if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
    sys.exit("prctl(PR_SET_SECCOMP): " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])
