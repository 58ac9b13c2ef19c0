;; Declares 1024 initial pages (64 MiB): more than the default cap allows.
(module
  (memory (export "memory") 1024)
  (func (export "_start")))
