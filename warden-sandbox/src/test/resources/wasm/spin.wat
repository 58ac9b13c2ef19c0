;; Loops forever: stopped by fuel or wall time.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $l (br $l))))
