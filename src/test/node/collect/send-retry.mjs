// One track with the real @segment/analytics-node and its own retries (maxRetries, its backoff of 0.5 s doubling):
// prints "status=N" for every answer it gets and "ok" when the event was finally delivered.
// Usage: node send-retry.mjs <collector URL> <writeKey> <userId> <messageId>
import { Analytics } from '@segment/analytics-node'

const [host, writeKey, userId, messageId] = process.argv.slice(2)
const analytics = new Analytics({ writeKey, host, flushAt: 1, maxRetries: 8, httpRequestTimeout: 20000 })
const errors = []
analytics.on('error', (e) => errors.push(String(e?.reason ?? e?.code ?? e)))
analytics.on('http_response', (r) => console.log('status=' + r.status))

analytics.track({ userId, messageId, event: 'Order Completed', properties: { revenue: 42, currency: 'EUR' } })
await analytics.closeAndFlush({ timeout: 120000 })
if (errors.length) {
  console.error('errors: ' + errors.join('; '))
  process.exit(1)
}
console.log('ok')
