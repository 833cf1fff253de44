// Hot loops that Swift cannot dispatch per CPU. Each kernel lives in its own file with its own
// header under include/; this file only keeps the target non-empty.
