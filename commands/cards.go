package commands

import (
	"fmt"
	"sync"

	"github.com/tours-metropole/actionbot/store"
)

// maxCards bounds the cards kept; past it the cache starts afresh.
const maxCards = 4096

// cards keeps the rendered card of each action for the day it was
// rendered, under the store's generation: a card does not change between
// two changes of the plan (nor within a day), and rendering it — the
// catalogue's phrases, escaping, the Block Kit — was a quarter of a
// request's time under load. Any change empties it, through the
// generation.
type cards struct {
	mu  sync.Mutex
	gen uint64
	m   map[cardKey]Message
}

// cardKey is what a card depends on besides the plan.
type cardKey struct {
	number  int
	today   store.Date
	buttons bool
}

// get returns the card of key rendered under gen.
func (c *cards) get(gen uint64, key cardKey) (Message, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return Message{}, false
	}
	m, ok := c.m[key]
	return m, ok
}

// put keeps a card rendered from reads made after gen was taken.
func (c *cards) put(gen uint64, key cardKey, m Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.m == nil || len(c.m) >= maxCards {
		if gen < c.gen {
			return // rendered before a newer generation was seen
		}
		c.gen, c.m = gen, map[cardKey]Message{}
	}
	c.m[key] = m
}

// version names a card's content for the transport's cache of encoded
// answers: two cards with the same version are the same bytes.
func (k cardKey) version(lang string, gen uint64) string {
	return fmt.Sprintf("card/%s/%d/%d/%s/%t", lang, gen, k.number, k.today, k.buttons)
}
