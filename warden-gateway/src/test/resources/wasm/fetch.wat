;; Test WASM tool: reads an HTTP request ("METHOD URL\n\nbody") from stdin, sends it through
;; warden.http_request, and prints the response (or "error" when the kernel refused it).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "warden" "http_request" (func $http (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 96) "error\n")
  (func (export "_start")
    (local $n i32)
    (local $len i32)
    ;; iovec at 0: buf 256, len 2048; nread at 16
    (i32.store (i32.const 0) (i32.const 256))
    (i32.store (i32.const 4) (i32.const 2048))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
    (local.set $len (i32.load (i32.const 16)))
    (local.set $n (call $http (i32.const 256) (local.get $len) (i32.const 8192) (i32.const 8192)))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then
        (i32.store (i32.const 0) (i32.const 96))
        (i32.store (i32.const 4) (i32.const 6))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (return)))
    (i32.store (i32.const 0) (i32.const 8192))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
