# landlock-exec: applies a Landlock ruleset and resource limits to itself, then
# execve(argv[1], argv+1, envp).
# Data (appended by Java right after the code, at label "data"):
#   struct landlock_ruleset_attr: u64 handled_access_fs, u64 handled_access_net, u64 scoped
#   u64 size of that struct to pass (8, 16 or 24, by the kernel's ABI)
#   filesystem rules, repeated: u64 allowed_access (0 ends the list), NUL-terminated path
#   TCP ports, repeated: u64 port (all of handled_access_net allowed on it); -1 ends the list
#   resource limits, repeated: u64 resource, u64 soft, u64 hard (prlimit64 on itself); -1 ends
# Exit status 126, after writing "warden: landlock setup failed" to stderr, when the ruleset or a
# limit cannot be applied: the command never runs unconfined. Paths that do not exist are skipped.
# Exit status 127, after "warden: cannot execute the command", when the final execve fails.
        .intel_syntax noprefix
        .globl _start
_start:
        mov     rbx, rsp                    # argc, argv..., 0, envp...
        # landlock_create_ruleset(&attr, size, 0)
        lea     rdi, [rip + data]
        mov     rsi, [rip + data + 24]
        xor     edx, edx
        mov     eax, 444
        syscall
        test    rax, rax
        js      fail
        mov     r12, rax                    # ruleset fd
        lea     r13, [rip + data + 32]      # first rule
next_rule:
        mov     r14, [r13]                  # allowed_access
        test    r14, r14
        jz      rules_done
        lea     r15, [r13 + 8]              # path
        # openat(AT_FDCWD, path, O_PATH|O_CLOEXEC, 0)
        mov     edi, -100
        mov     rsi, r15
        mov     edx, 0x280000
        xor     r10d, r10d
        mov     eax, 257
        syscall
        mov     rbp, rax                    # fd or -errno
        # advance r13 past the NUL of the path
        mov     rdi, r15
find_nul:
        cmp     byte ptr [rdi], 0
        je      found_nul
        inc     rdi
        jmp     find_nul
found_nul:
        lea     r13, [rdi + 1]
        test    rbp, rbp
        js      next_rule                   # missing path: nothing to allow
        # landlock_add_rule(ruleset, LANDLOCK_RULE_PATH_BENEATH, &{allowed, fd}, 0)
        sub     rsp, 16
        mov     [rsp], r14
        mov     [rsp + 8], ebp
        mov     edi, r12d
        mov     esi, 1
        mov     rdx, rsp
        xor     r10d, r10d
        mov     eax, 445
        syscall
        add     rsp, 16
        mov     r14, rax
        mov     edi, ebp                    # close(fd)
        mov     eax, 3
        syscall
        test    r14, r14
        js      fail
        jmp     next_rule
rules_done:
        add     r13, 8                      # past the 0 that ended the rules: first port
next_port:
        mov     rax, [r13]
        cmp     rax, -1
        je      ports_done
        # landlock_add_rule(ruleset, LANDLOCK_RULE_NET_PORT, &{handled_access_net, port}, 0)
        sub     rsp, 16
        mov     rcx, [rip + data + 8]
        mov     [rsp], rcx
        mov     [rsp + 8], rax
        mov     edi, r12d
        mov     esi, 2
        mov     rdx, rsp
        xor     r10d, r10d
        mov     eax, 445
        syscall
        add     rsp, 16
        test    rax, rax
        js      fail
        add     r13, 8
        jmp     next_port
ports_done:
        add     r13, 8                      # past the -1 that ended the ports: first rlimit
next_rlimit:
        mov     rsi, [r13]                  # resource
        cmp     rsi, -1
        je      rlimits_done
        # prlimit64(0, resource, &{soft, hard}, NULL)
        xor     edi, edi
        lea     rdx, [r13 + 8]
        xor     r10d, r10d
        mov     eax, 302
        syscall
        test    rax, rax
        jnz     fail
        add     r13, 24
        jmp     next_rlimit
rlimits_done:
        # prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        mov     edi, 38
        mov     esi, 1
        xor     edx, edx
        xor     r10d, r10d
        xor     r8d, r8d
        mov     eax, 157
        syscall
        test    rax, rax
        jnz     fail
        # landlock_restrict_self(ruleset, 0)
        mov     edi, r12d
        xor     esi, esi
        mov     eax, 446
        syscall
        test    rax, rax
        jnz     fail
        mov     edi, r12d                   # close(ruleset)
        mov     eax, 3
        syscall
        # execve(argv[1], &argv[1], envp)
        mov     rcx, [rbx]                  # argc
        cmp     rcx, 2
        jl      fail
        lea     rsi, [rbx + 16]
        mov     rdi, [rsi]
        lea     rdx, [rbx + rcx*8 + 16]
        mov     eax, 59
        syscall
        # execve returned: the command cannot be executed (confined already; like a shell, 127)
        mov     edi, 2
        lea     rsi, [rip + exec_message]
        mov     edx, exec_message_end - exec_message
        mov     eax, 1
        syscall
        mov     edi, 127
        mov     eax, 231
        syscall
fail:
        mov     edi, 2                      # write(2, message, length)
        lea     rsi, [rip + message]
        mov     edx, message_end - message
        mov     eax, 1
        syscall
        mov     edi, 126
        mov     eax, 231                    # exit_group
        syscall
message:
        .ascii  "warden: landlock setup failed\n"
message_end:
exec_message:
        .ascii  "warden: cannot execute the command\n"
exec_message_end:
data:
