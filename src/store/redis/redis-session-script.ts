/**
 * Appends to a session atomically. KEYS[1] = the message list (each element `<o200k tokens>|<message JSON>`),
 * KEYS[2] = the head hash (generation, expiresAt). ARGV: now, ttlMs, headTtlMs, maxMessages, maxTokens, expiresAt,
 * then the new elements. A session past its expiry (by the caller's clock) starts empty; the list keeps the last
 * maxMessages, then drops the oldest while the kept tokens exceed maxTokens. Native TTLs: the list lives ttlMs after
 * the write, the head (and so the generation counter) longer, so a generation never repeats while a cached
 * assembly could still name it. Returns { generation, elements }.
 */
export const APPEND_SESSION_SCRIPT = `
local list, head = KEYS[1], KEYS[2]
local now, ttl, headTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local maxMessages, maxTokens, expiresAt = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local previous = redis.call('HGET', head, 'expiresAt')
if (not previous) or previous <= now then redis.call('DEL', list) end
for index = 7, #ARGV do redis.call('RPUSH', list, ARGV[index]) end
redis.call('LTRIM', list, -maxMessages, -1)
local elements = redis.call('LRANGE', list, 0, -1)
local kept, tokens = 0, 0
for index = #elements, 1, -1 do
  local count = tonumber(string.match(elements[index], '^(%d+)|'))
  if tokens + count > maxTokens then break end
  tokens = tokens + count
  kept = kept + 1
end
if kept < #elements then
  if kept == 0 then redis.call('DEL', list) else redis.call('LTRIM', list, -kept, -1) end
end
local generation = redis.call('HINCRBY', head, 'generation', 1)
redis.call('HSET', head, 'expiresAt', expiresAt)
redis.call('PEXPIRE', list, ttl)
redis.call('PEXPIRE', head, headTtl)
return { generation, redis.call('LRANGE', list, 0, -1) }
`;
