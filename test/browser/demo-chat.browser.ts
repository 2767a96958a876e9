import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { SandboxProcess } from './support/sandbox-process';
import { markAppearance, markClick, readMark } from './support/timing';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

interface RoomBody {
  id: string;
  rocketchatRoomId: string;
  status: string;
}

describe('demo chat page on the sandbox (real Chromium)', () => {
  let sandbox: SandboxProcess;
  let browser: Browser;
  let context: BrowserContext;
  const pages: Record<string, Page> = {};
  const demoProblems: string[] = [];

  beforeAll(async () => {
    [sandbox, browser] = await Promise.all([SandboxProcess.start(), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(15_000);
  });

  afterEach(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [name, page] of Object.entries(pages)) await page.screenshot({ path: join(ARTIFACTS, `browser-${name}.png`), fullPage: true, timeout: 10_000 });
  });

  afterAll(async () => {
    await browser?.close();
    const exitCode = await sandbox?.stop();
    expect(exitCode).toBe(0);
  });

  it("chats on a visitor session alone: sends, sees the agent's reply within 2 s, sends a file, closes and rates", async () => {
    const visitorToken = `browser-${Date.now()}`;
    expect((await sandbox.api('POST', '/v1/visitors', { token: visitorToken, name: 'Maria' })).status).toBe(201);
    const room = await sandbox.api<RoomBody>('POST', '/v1/rooms', { visitorToken });
    expect(room.status).toBe(201);
    // what the app's server does with its API key: a session for the visitor's page
    const session = await sandbox.api<{ token: string }>('POST', `/v1/visitors/${visitorToken}/sessions`, { ttlSeconds: 900, maxAgeSeconds: 3600 });
    expect(session.status).toBe(201);
    expect(session.body.token).toMatch(/^ogs_/);

    const agent = (pages['agent-console'] = await context.newPage());
    await agent.goto(sandbox.consoleUrl);
    await agent.getByTestId(`room-${room.body.rocketchatRoomId}`).click();
    await agent.getByTestId('room-detail').waitFor({ state: 'visible' });

    // the app's page: a session token from the app's server, no API key
    const demo = (pages['demo-chat'] = await context.newPage());
    demo.on('pageerror', (error) => demoProblems.push(error.message));
    demo.on('console', (message) => message.text().includes('Content Security Policy') && demoProblems.push(message.text()));
    await demo.goto(`${sandbox.gatewayUrl}/demo?room=${room.body.id}&session=${encodeURIComponent(session.body.token)}`);
    await demo.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await demo.locator('[data-testid="room-status"][data-status="queued"]').waitFor();
    expect(demo.url()).not.toContain('session=');

    // the visitor writes: delivered to Rocket.Chat under omnigate's id, seen in the agents' console
    await demo.getByTestId('message-input').fill('Olá, meu pedido 48213 não chegou');
    await demo.getByTestId('send-button').click();
    const sent = demo.locator('[data-testid="message"][data-author-type="visitor"][data-delivery="sent"]');
    await sent.waitFor();
    expect(await sent.getByTestId('message-text').textContent()).toBe('Olá, meu pedido 48213 não chegou');
    expect(await demo.locator('[data-testid="message"][data-author-type="visitor"]').count()).toBe(1);
    const messageId = await sent.getAttribute('data-message-id');
    await agent.bringToFront();
    await agent.getByTestId(`message-${messageId}`).waitFor();

    // a page in the background gets few animation frames, and Playwright's clicks wait for some
    // the console's agent list starts with nothing selected
    await agent.getByTestId('take-agent').selectOption('ana.agent');
    await agent.getByTestId('take-button').click();
    await demo.locator('[data-testid="room-status"][data-status="open"]').waitFor();

    const reply = 'Hello Maria, <b>how</b> can I help?';
    await agent.getByTestId('reply-input').fill(reply);
    const agentReply = '[data-testid="message"][data-author-type="agent"]';
    await markClick(agent, 'reply-button', 'replyClicked');
    await markAppearance(demo, agentReply, 'replyShown');
    await agent.getByTestId('reply-button').click();
    const agentMessage = demo.locator(agentReply);
    await agentMessage.waitFor({ timeout: 2_000 });
    const shownAfterMs = (await readMark(demo, 'replyShown'))! - (await readMark(agent, 'replyClicked'))!;
    expect(shownAfterMs).toBeGreaterThanOrEqual(0);
    expect(shownAfterMs).toBeLessThanOrEqual(2_000);
    expect(await agentMessage.getByTestId('message-text').textContent()).toBe(reply);
    expect(await demo.locator('[data-testid="messages"] b').count()).toBe(0);

    // a file from the page, through omnigate to Rocket.Chat
    await demo.bringToFront();
    await demo.getByTestId('file-input').setInputFiles({ name: 'recibo.txt', mimeType: 'text/plain', buffer: Buffer.from('pedido 48213') });
    const file = demo.locator('[data-testid="message"][data-author-type="visitor"] [data-testid="message-file"]');
    await file.waitFor();
    expect(await file.textContent()).toContain('recibo.txt');
    const download = await context.request.get(new URL((await file.getAttribute('href'))!, sandbox.gatewayUrl).toString());
    expect({ status: download.status(), body: download.status() === 200 ? '' : await download.text() }).toEqual({ status: 200, body: '' });
    expect(await download.text()).toBe('pedido 48213');

    // the visitor ends the chat and rates it
    await demo.getByTestId('close-button').click();
    await demo.locator('[data-testid="room-status"][data-status="closed"]').waitFor();
    await demo.getByTestId('survey').waitFor({ state: 'visible' });
    expect(await demo.getByTestId('composer').isHidden()).toBe(true);
    await demo.getByTestId('rating-5').check();
    await demo.getByTestId('survey-comment').fill('Resolvido rápido, obrigado!');
    await demo.getByTestId('survey-submit').click();
    await demo.getByTestId('survey-done').filter({ hasText: 'Thank you' }).waitFor();
    expect(await demo.getByTestId('error').textContent()).toBe('');

    await agent.bringToFront();
    await agent.locator(`[data-testid="room-status-${room.body.rocketchatRoomId}"]`, { hasText: 'closed' }).waitFor();
    const period = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const metrics = await sandbox.api<{ rooms: Array<{ roomId: string; surveyRating: number | null }> }>('GET', `/v1/metrics/rooms?${period}&limit=100`);
    expect(metrics.body.rooms.find((r) => r.roomId === room.body.id)?.surveyRating).toBe(5);
    expect(demoProblems).toEqual([]);
  });
});
