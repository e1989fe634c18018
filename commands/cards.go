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

type cardKey struct {
	number int
	today  store.Date
}

// get returns the card of number for today rendered under gen.
func (c *cards) get(gen uint64, number int, today store.Date) (Message, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return Message{}, false
	}
	m, ok := c.m[cardKey{number, today}]
	return m, ok
}

// put keeps a card rendered from reads made after gen was taken.
func (c *cards) put(gen uint64, number int, today store.Date, m Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.m == nil || len(c.m) >= maxCards {
		if gen < c.gen {
			return // rendered before a newer generation was seen
		}
		c.gen, c.m = gen, map[cardKey]Message{}
	}
	c.m[cardKey{number, today}] = m
}

// cardVersion names a card's content for the transport's cache of encoded
// answers: two cards with the same version are the same bytes.
func cardVersion(lang string, gen uint64, number int, today store.Date) string {
	return fmt.Sprintf("card/%s/%d/%d/%s", lang, gen, number, today)
}
