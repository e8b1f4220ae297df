// kith serve in a real browser, as a link worker uses it: Debian's chromium
// driven by playwright-core.  Fills the form for a sample person, reads the
// results and the map, asks why a group is missing, ticks two groups and
// prints the sheet to PDF (one A4 page), opens a group's page and the
// maintainers' page, checks every page with axe-core (no violations), and
// that the form works with JavaScript turned off.  Screenshots go to
// docs/ for the README.
//
// Usage: node tests/browser/run.mjs KITH-BINARY INDEX.db OUT-DIR
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [kith, db, out] = process.argv.slice(2);
let passed = 0, failed = 0;

function check(what, ok, detail) {
	if (ok) {
		passed++;
		console.log(`[       OK ] ${what}`);
	} else {
		failed++;
		console.log(`[  FAILED  ] ${what}${detail ? ': ' + detail : ''}`);
	}
}

function startServer() {
	return new Promise((resolve, reject) => {
		const server = spawn(kith, ['serve', db, '--port', '0', '--date', '2026-11-23', '--quiet'],
			{ stdio: ['ignore', 'pipe', 'inherit'] });
		server.stdout.once('data', (chunk) => resolve({ server, url: chunk.toString().trim() }));
		server.once('error', reject);
		server.once('exit', (code) => reject(new Error(`kith serve exited with ${code}`)));
	});
}

async function axe(page, name) {
	await page.evaluate(axeSource);
	const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	const found = result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help}`);
	check(`axe finds no violation on the ${name}`, found.length === 0, found.join('; '));
}

const { server, url } = await startServer();
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
	mkdirSync(out, { recursive: true });
	// axe is evaluated through the debugger protocol, which the page's strict CSP does not cover
	const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
	const page = await context.newPage();

	await page.goto(url);
	check('the form opens', (await page.locator('h1').textContent()).includes('Find groups'));
	await axe(page, 'person form');
	await page.check('#needs-loneliness');
	await page.check('#needs-purpose');
	await page.selectOption('#main-need', 'loneliness');
	await page.fill('#interests', 'used to have an allotment; fancy a natter and a cuppa');
	await page.fill('#postcode', 'LA9 4DH');
	await page.selectOption('#max-km', '3');
	await page.check('#no-car');
	await page.check('#wheelchair');
	await page.check('#when-tue-0');
	await page.check('#when-thu-0');
	await page.check('#free');
	await page.click('button[type=submit]');
	await page.waitForLoadState();
	const cards = await page.locator('.card').count();
	if (!cards) console.log(await page.textContent('main'));
	check('the results show cards', cards >= 3, `${cards} cards`);
	check('the first card says why', (await page.locator('.card .why li').first().textContent()).length > 10);
	check('the map is drawn', await page.locator('.map svg[role=img]').count() === 1);
	await page.screenshot({ path: `${out}/results.png`, fullPage: false });
	await axe(page, 'results page');

	await page.fill('#why', "Men's Shed");
	await page.click('form:has(#why) button');
	await page.waitForLoadState();
	const answer = await page.locator('#why-not-answer').textContent();
	check('why-not answers', /left out|breaks no constraint|is in the list/.test(answer), answer);

	await page.check('#pick-1');
	await page.check('#pick-2');
	await page.fill('#worker', 'Sam Jones');
	await page.fill('#worker-phone', '01632 960000');
	await page.click('form:has(#worker) button');
	await page.waitForLoadState();
	const sheetCards = await page.locator('.sheet .card').count();
	check('the sheet holds the two ticked groups', sheetCards === 2, `${sheetCards}`);
	check('the sheet names the link worker', (await page.textContent('.sheet')).includes('01632 960000'));
	await axe(page, 'sheet');
	await page.emulateMedia({ media: 'print' });
	await page.screenshot({ path: `${out}/sheet.png`, fullPage: true });
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	writeFileSync(`${out}/sheet.pdf`, pdf);
	const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
	check('the sheet prints on one A4 page', pages === 1, `${pages} pages`);
	await page.emulateMedia({ media: 'screen' });

	await page.goto(`${url}group/south-lakes-cvs/kendal-mens-shed`);
	check('a group page shows its other listings', (await page.textContent('main')).includes('Other listings'));
	await axe(page, 'group page');
	await page.goto(`${url}maintain`);
	check('the maintainers page lists the feeds', (await page.textContent('main')).includes('south-lakes-cvs'));
	check('the maintainers page lists the listings no one can be shown',
		(await page.locator('ul.gaps li a').count()) > 0 && (await page.textContent('main')).includes('Grange Men'));
	await axe(page, 'maintainers page');

	const plain = await browser.newContext({ javaScriptEnabled: false });
	const noScript = await plain.newPage();
	await noScript.goto(url);
	await noScript.check('#needs-loneliness');
	await noScript.fill('#postcode', 'LA9 4DH');
	await noScript.click('button[type=submit]');
	await noScript.waitForLoadState();
	check('the form works without JavaScript', await noScript.locator('.card').count() > 0);
	await plain.close();
	await context.close();
} catch (e) {
	check('the browser run finished', false, e.stack);
} finally {
	await browser.close();
	server.kill('SIGTERM');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
