import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { seriousAxeViolations } from './support/axe.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import { messagesWith, sendMessage, signUp, waitForMessage, waitForSent } from './support/ui.js';

/** Opens the thread of the message with `text` through its "Reply in thread" action. */
async function replyInThread(page: Page, text: string) {
  const message = await waitForMessage(page, text);
  await message.hover();
  await message.getByRole('button', { name: 'Reply in thread' }).click();
  const panel = page.getByTestId('thread-panel');
  await panel.getByRole('heading', { name: 'Thread' }).waitFor();
  return panel;
}

async function sendReply(page: Page, text: string, options: { alsoToRoom?: boolean } = {}) {
  const panel = page.getByTestId('thread-panel');
  if (options.alsoToRoom) await panel.getByRole('checkbox', { name: /Also send to/ }).check();
  const box = panel.getByRole('textbox', { name: 'Reply', exact: true });
  await box.fill(text);
  await box.press('Enter');
}

describe.skipIf(!chromiumAvailable())('threads in the browser', () => {
  const suite = browserSuite();

  test('a reply in a thread shows as a count on the root, live; the other opens it and answers', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada Lovelace');
    const ben = await suite.person('Ben Okafor');
    await signUp(ada, url);
    await signUp(ben, url);

    const question = `Shall we ship on Friday? ${Date.now()}`;
    await sendMessage(ada.page, question);
    await waitForSent(ada.page, question);
    await waitForMessage(ben.page, question);

    // Ben answers in the thread only: the room does not show the reply, the root counts it.
    const answer = `Only if the tests are green ${Date.now()}`;
    const bensPanel = await replyInThread(ben.page, question);
    await sendReply(ben.page, answer);
    await bensPanel.getByTestId('message').filter({ hasText: answer }).waitFor();
    const adasRoot = messagesWith(ada.page, question).first();
    await adasRoot.getByTestId('thread-summary').filter({ hasText: '1 reply' }).waitFor();
    expect(
      await ada.page
        .getByRole('log', { name: /Conversation in/ })
        .getByText(answer)
        .count(),
    ).toBe(0);

    // Ada opens it from the count and answers; Ben sees it in his open panel, live.
    await adasRoot.getByTestId('thread-summary').click();
    const adasPanel = ada.page.getByTestId('thread-panel');
    await adasPanel.getByTestId('message').filter({ hasText: answer }).waitFor();
    const thanks = `They are, shipping it ${Date.now()}`;
    await sendReply(ada.page, thanks);
    await bensPanel.getByTestId('message').filter({ hasText: thanks }).waitFor();
    await messagesWith(ben.page, question)
      .first()
      .getByTestId('thread-summary')
      .filter({ hasText: '2 replies' })
      .waitFor();

    // A reply also sent to the room shows in the timeline with a quote of the original.
    const quoted = `Release notes are in the wiki ${Date.now()}`;
    await sendReply(ben.page, quoted, { alsoToRoom: true });
    const inRoom = ada.page
      .getByRole('log', { name: /Conversation in/ })
      .getByTestId('message')
      .filter({ hasText: quoted });
    await inRoom.waitFor();
    await expect.poll(() => inRoom.getByTestId('reply-quote').textContent()).toContain(question);
    await messagesWith(ada.page, question)
      .first()
      .getByTestId('thread-summary')
      .filter({ hasText: '3 replies' })
      .waitFor();

    // The quote leads back to the original.
    await adasPanel.getByRole('button', { name: 'Close thread' }).click();
    await expect.poll(() => ada.page.getByTestId('thread-panel').count()).toBe(0);
    await inRoom.getByTestId('reply-quote').click();
    await expect
      .poll(() => adasRoot.evaluate((element) => element.classList.contains('message--flash')))
      .toBe(true);

    if (process.env.E2E_SCREENSHOTS_DIR) {
      await replyInThread(ben.page, question);
      await bensPanel.getByTestId('message').filter({ hasText: quoted }).waitFor();
      await ben.page.emulateMedia({ colorScheme: 'light' });
      await screenshotIfAsked(ben.page, 'thread-light');
      await ben.page.emulateMedia({ colorScheme: 'dark' });
      await screenshotIfAsked(ben.page, 'thread-dark');
      await ben.page.getByRole('button', { name: 'Close thread' }).click();
      await screenshotIfAsked(ben.page, 'thread-root-dark');
    }
  });

  test('on a phone the thread covers the room and goes back to it', async () => {
    const { url } = suite.server;
    // axe is an injected script, which the app's CSP would refuse.
    const cleo = await suite.person('Cleo', { width: 390, height: 844 }, { bypassCSP: true });
    await signUp(cleo, url);
    const root = `Lunch at noon? ${Date.now()}`;
    await sendMessage(cleo.page, root);
    await waitForSent(cleo.page, root);

    const panel = await replyInThread(cleo.page, root);
    await sendReply(cleo.page, 'I will bring the salad');
    await panel.getByTestId('message').filter({ hasText: 'I will bring the salad' }).waitFor();
    const box = await panel.boundingBox();
    expect(box).toMatchObject({ x: 0, width: 390 });
    for (const theme of ['light', 'dark'] as const) {
      await cleo.page.emulateMedia({ colorScheme: theme });
      expect(await seriousAxeViolations(cleo.page), `thread panel (${theme})`).toEqual([]);
    }
    await cleo.page.setViewportSize({ width: 1280, height: 800 });
    expect(await seriousAxeViolations(cleo.page), 'thread panel beside the room').toEqual([]);
    await cleo.page.setViewportSize({ width: 390, height: 844 });
    await panel.getByRole('button', { name: 'Back to #general' }).click();
    await expect.poll(() => cleo.page.getByTestId('thread-panel').count()).toBe(0);
    await messagesWith(cleo.page, root)
      .first()
      .getByTestId('thread-summary')
      .filter({ hasText: '1 reply' })
      .waitFor();
  });
});
