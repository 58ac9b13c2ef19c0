;; Sends the request in its data segment through warden.http_request and prints the response.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "warden" "http_request" (func $http (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 256) "POST http://api.example.test/v1/items\nX-Token: wdn-cred:api\nContent-Type: text/plain\n\nping")
  (data (i32.const 96) "error\n")
  (func (export "_start")
    (local $n i32)
    (local.set $n (call $http (i32.const 256) (i32.const 90) (i32.const 4096) (i32.const 4096)))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then
        (i32.store (i32.const 0) (i32.const 96))
        (i32.store (i32.const 4) (i32.const 6))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (return)))
    (i32.store (i32.const 0) (i32.const 4096))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
