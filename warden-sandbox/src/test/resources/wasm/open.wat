;; Tries to open "secret.txt" in the first preopened directory (fd 3) and print it.
;; Prints "errno N\n" (N as one digit or two) when the open fails.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "secret.txt")
  (data (i32.const 96) "errno   \n")
  (func (export "_start")
    (local $err i32)
    ;; path_open(fd 3, dirflags 0, path 64, len 10, oflags 0, rights read (2), inheriting 0, fdflags 0, out fd at 200)
    (local.set $err (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 10)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200)))
    (if (i32.ne (local.get $err) (i32.const 0))
      (then
        ;; two decimal digits of errno at 102, 103
        (i32.store8 (i32.const 102) (i32.add (i32.const 48) (i32.div_u (local.get $err) (i32.const 10))))
        (i32.store8 (i32.const 103) (i32.add (i32.const 48) (i32.rem_u (local.get $err) (i32.const 10))))
        (i32.store (i32.const 0) (i32.const 96))
        (i32.store (i32.const 4) (i32.const 9))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (return)))
    ;; read up to 256 bytes into 1024 and print them
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 256))
    (drop (call $fd_read (i32.load (i32.const 200)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
