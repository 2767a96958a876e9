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

  it("shows the agent's reply within 2 s of the click, then the closed room", async () => {
    const visitorToken = `browser-${Date.now()}`;
    expect((await sandbox.api('POST', '/v1/visitors', { token: visitorToken, name: 'Maria' })).status).toBe(201);
    const room = await sandbox.api<RoomBody>('POST', '/v1/rooms', { visitorToken });
    expect(room.status).toBe(201);
    const stream = await sandbox.api<{ token: string }>('POST', `/v1/visitors/${visitorToken}/stream-tokens`, { ttlSeconds: 900 });
    expect(stream.body.token).toMatch(/^ogs_/);

    const agent = (pages['agent-console'] = await context.newPage());
    await agent.goto(sandbox.consoleUrl);
    await agent.getByTestId(`room-${room.body.rocketchatRoomId}`).click();
    await agent.getByTestId('room-detail').waitFor({ state: 'visible' });

    // the app's page: a stream token from the app's server, no API key
    const demo = (pages['demo-chat'] = await context.newPage());
    demo.on('pageerror', (error) => demoProblems.push(error.message));
    demo.on('console', (message) => message.text().includes('Content Security Policy') && demoProblems.push(message.text()));
    await demo.goto(`${sandbox.gatewayUrl}/demo?room=${room.body.id}&stream_token=${encodeURIComponent(stream.body.token)}`);
    await demo.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await demo.locator('[data-testid="room-status"][data-status="queued"]').waitFor();
    expect(demo.url()).not.toContain('stream_token');

    // a page in the background gets few animation frames, and Playwright's clicks wait for some
    await agent.bringToFront();
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

    await agent.getByTestId('close-button').click();
    await demo.locator('[data-testid="room-status"][data-status="closed"]').waitFor();
    expect(await demo.getByTestId('room-status').textContent()).toBe('closed');
    await agent.locator(`[data-testid="room-status-${room.body.rocketchatRoomId}"]`, { hasText: 'closed' }).waitFor();
    expect(demoProblems).toEqual([]);
  });
});
