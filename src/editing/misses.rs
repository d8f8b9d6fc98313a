//! Reading the miss log: see `misses` (issue 10, point 2).
