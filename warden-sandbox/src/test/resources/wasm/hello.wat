;; WASI command: prints a line, then exits with the status given as its first argument's
;; length (no argument: 0). Used to test stdout capture and exit codes.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wasm\n")
  (func (export "_start")
    ;; iovec at 0: ptr 16, len 16
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ;; argc at 100, argv buffer size at 104; exit with argc - 1
    (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
    (call $proc_exit (i32.sub (i32.load (i32.const 100)) (i32.const 1)))))
