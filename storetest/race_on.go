//go:build race

package storetest

// raceEnabled scales down the concurrency test: under the race detector
// the pure-Go SQLite runs tens of times slower.
const raceEnabled = true
