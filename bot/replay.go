package bot

import (
	"strings"
	"sync"
	"time"
)

// maxReplayMemory bounds the signatures remembered: Slack sends far fewer
// in five minutes; past it, the oldest second is forgotten first.
const maxReplayMemory = 1 << 20

// replays remembers the signatures of the requests accepted while their
// timestamp is within MaxSkew, so that each signed request is accepted
// once: a replay within the window is refused, and past it Verify refuses
// the stale timestamp. Signatures are kept by their timestamp's second, so
// that forgetting the expired ones drops whole seconds.
//
// The memory is per process: with several replicas behind a load
// balancer, a replay sent to another replica within the window is not
// caught here.
type replays struct {
	mu      sync.Mutex
	seconds map[int64]map[[32]byte]struct{}
	n, max  int
	pruned  int64 // the second of now when expired seconds were last dropped
	// lastSecond is the most requests one second has had: a new
	// second's map is made that big.
	lastSecond int
}

func newReplays(max int) *replays {
	return &replays{seconds: map[int64]map[[32]byte]struct{}{}, max: max}
}

// first reports whether the signature sig of a request stamped ts (Unix
// seconds) is seen for the first time, and remembers it. now is the clock
// Verify used.
func (r *replays) first(ts int64, sig string, now time.Time) bool {
	key, ok := signatureOf(sig)
	return ok && r.firstKey(ts, key, now)
}

// signatureOf reads the HMAC of a signature "v0=<64 hex digits>".
func signatureOf(sig string) (key [32]byte, ok bool) {
	h, ok := strings.CutPrefix(sig, "v0=")
	if !ok || len(h) != 2*len(key) {
		return key, false
	}
	for i := range key {
		hi, ok1 := unhex(h[2*i])
		lo, ok2 := unhex(h[2*i+1])
		if !ok1 || !ok2 {
			return key, false
		}
		key[i] = hi<<4 | lo
	}
	return key, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// firstKey is first with the signature read by signatureOf.
func (r *replays) firstKey(ts int64, key [32]byte, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if sec := now.Unix(); sec != r.pruned || r.n >= r.max {
		r.prune(sec)
	}
	sigs := r.seconds[ts]
	if _, dup := sigs[key]; dup {
		return false
	}
	if sigs == nil {
		// Sized as the last second was: at thousands a second, growing
		// the map step by step was a tenth of the check.
		sigs = make(map[[32]byte]struct{}, r.lastSecond)
		r.seconds[ts] = sigs
	}
	if len(sigs) >= r.lastSecond {
		r.lastSecond = len(sigs) + 1
	}
	sigs[key] = struct{}{}
	r.n++
	return true
}

// prune drops the seconds whose requests Verify now refuses as stale and,
// while the memory is full, the oldest second left.
func (r *replays) prune(now int64) {
	r.pruned = now
	oldest := now - int64(MaxSkew/time.Second) - 1
	for sec, sigs := range r.seconds {
		if sec < oldest {
			r.n -= len(sigs)
			delete(r.seconds, sec)
		}
	}
	for r.n >= r.max && len(r.seconds) > 0 {
		first := int64(0)
		for sec := range r.seconds {
			if first == 0 || sec < first {
				first = sec
			}
		}
		r.n -= len(r.seconds[first])
		delete(r.seconds, first)
	}
}
