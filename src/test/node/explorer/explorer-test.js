// Opens the profile explorer in headless Chromium, searches an e-mail and checks the profile and its segments.
// Usage: node explorer-test.js BASE_URL API_KEY EMAIL SCREENSHOT (MODULES: the node_modules that has playwright-core)
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const {chromium} = require(path.join(process.env.MODULES, 'playwright-core'));

const [base, key, email, screenshot] = process.argv.slice(2);

(async () => {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdp-chromium-'));
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: {width: 1200, height: 900},
  });
  try {
    const page = browser.pages()[0] || await browser.newPage();
    await page.goto(base + '/explorer/');
    await page.fill('#apikey', key);
    await page.fill('#query', email);
    await page.click('button[type=submit]');
    await page.waitForSelector('#profile-id', {timeout: 15000});
    const result = {
      profileId: await page.textContent('#profile-id'),
      segments: await page.$$eval('#segments a.seg', (as) => as.map((a) => a.textContent)),
      facts: await page.$$eval('#segments li.held', (lis) => lis.map((li) => li.textContent)),
      identifiers: await page.$$eval('.card:first-child td', (tds) => tds.map((td) => td.textContent)),
    };
    await page.screenshot({path: screenshot, fullPage: true});
    // the segment page lists its members
    await page.click('#segments a.seg');
    await page.waitForSelector('#segment h2', {timeout: 15000});
    result.segmentPage = await page.textContent('#segment h2');
    result.members = await page.$$eval('#segment td a', (as) => as.map((a) => a.textContent));
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    fs.rmSync(profileDir, {recursive: true, force: true});
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
