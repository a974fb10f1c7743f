package sqlstore

import (
	"sync"
	"time"

	"github.com/tandem-pm/tandem"
)

// authCacheTTL bounds how long a change made by another process (another
// node, the CLI) may go unseen: a revoked token or a removed member keeps
// working on other nodes for at most this long. Changes made through this
// store take effect at once.
const authCacheTTL = 2 * time.Second

// authCacheMax bounds each map; a full map is simply emptied.
const authCacheMax = 10_000

// Entries expire by the store's clock (Store.Now), so tests with a fake clock
// see them expire too.
//
// authCache keeps what every request looks up before doing anything else —
// the caller's token or session, the workspace, the membership — so that an
// API read costs one query instead of four. Only found things are kept:
// a token or member created by another process is seen at once.
type authCache struct {
	mu         sync.RWMutex
	users      map[string]cached[tandem.User]      // "t:"/"s:" + secret hash
	workspaces map[string]cached[tandem.Workspace] // ID or slug
	members    map[[2]string]cached[tandem.Member] // workspace ID, user ID
}

type cached[T any] struct {
	v       T
	expires time.Time
}

func newAuthCache() *authCache {
	return &authCache{
		users:      map[string]cached[tandem.User]{},
		workspaces: map[string]cached[tandem.Workspace]{},
		members:    map[[2]string]cached[tandem.Member]{},
	}
}

func cacheGet[K comparable, T any](c *authCache, m map[K]cached[T], k K, now time.Time) (*T, bool) {
	c.mu.RLock()
	e, ok := m[k]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	v := e.v // a copy: callers may change what they get
	return &v, true
}

func cachePut[K comparable, T any](c *authCache, m map[K]cached[T], k K, v *T, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(m) >= authCacheMax {
		clear(m)
	}
	m[k] = cached[T]{v: *v, expires: now.Add(authCacheTTL)}
}

func (c *authCache) dropUser(key string) {
	c.mu.Lock()
	delete(c.users, key)
	c.mu.Unlock()
}

// dropUsers forgets every cached token and session: revoking a token knows
// only the token's ID, not its secret.
func (c *authCache) dropUsers() {
	c.mu.Lock()
	clear(c.users)
	c.mu.Unlock()
}

func (c *authCache) dropMember(ws, userID string) {
	c.mu.Lock()
	delete(c.members, [2]string{ws, userID})
	c.mu.Unlock()
}
