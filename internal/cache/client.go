package cache

import "github.com/redis/go-redis/v9"

// Client is the Redis client, for stores that need more than a Cache
// (the reuse signals' HyperLogLogs).
func (r *Redis) Client() *redis.Client { return r.c }
