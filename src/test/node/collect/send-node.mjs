// Sends identify, track, page, alias, group and a batch flush with the real @segment/analytics-node. The CRM-style
// trait intent_to_cancel and the page view put her into the retail demo's retention-offer segment.
// Usage: node send-node.mjs <collector URL> <writeKey>; prints "ok" when every event was acknowledged.
import { Analytics } from '@segment/analytics-node'

const [host, writeKey] = process.argv.slice(2)
const analytics = new Analytics({ writeKey, host, flushAt: 6, maxRetries: 5 })
const errors = []
analytics.on('error', (e) => errors.push(String(e?.reason ?? e?.code ?? e)))

analytics.identify({ anonymousId: 'node-anon-1', traits: { email: 'node.user@example.com' } })
analytics.alias({ userId: 'node-user-1', previousId: 'node-anon-1' })
analytics.identify({ userId: 'node-user-1', traits: { email: 'node.user@example.com', plan: 'gold', intent_to_cancel: true } })
analytics.track({ userId: 'node-user-1', event: 'Order Completed', properties: { revenue: 120, currency: 'USD' } })
analytics.page({ userId: 'node-user-1', name: 'Checkout', properties: { url: 'https://shop.example/checkout' } })
analytics.group({ userId: 'node-user-1', groupId: 'acme', traits: { name: 'Acme' } })
await analytics.closeAndFlush({ timeout: 30000 })
if (errors.length) {
  console.error('errors: ' + errors.join('; '))
  process.exit(1)
}
console.log('ok')
