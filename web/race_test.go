//go:build race

package web_test

// raceEnabled: the browser test, which tests pages rather than
// concurrency, runs in the plain pass only (it is slow under -race).
const raceEnabled = true
