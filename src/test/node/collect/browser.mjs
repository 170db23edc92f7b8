// Opens the test page in headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser): the page loads
// the real analytics.js bundle, views a page, "logs in" (identify) and tracks. Prints the anonymousId the page's
// analytics.js reports, and the ajs_anonymous_id cookie and localStorage entry it keeps it in.
// Usage: node browser.mjs <page URL> <user data dir>
import { chromium } from 'playwright-core'

const [url, userDataDir] = process.argv.slice(2)
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  const page = await context.newPage()
  page.on('console', (m) => console.error('page: ' + m.text()))
  await page.goto(url)
  const anonymousId = await page.evaluate(() => window.runFlow())
  const stored = await page.evaluate(() => window.localStorage.getItem('ajs_anonymous_id'))
  const cookie = (await context.cookies(url)).find((c) => c.name === 'ajs_anonymous_id')
  console.log('anonymousId=' + anonymousId)
  console.log('localStorage=' + stored)
  console.log('cookie=' + (cookie ? decodeURIComponent(cookie.value) : ''))
} finally {
  await context.close()
}
