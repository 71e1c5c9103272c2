import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite, PHONE } from './support/suite.js';
import { TOUCH, touchProblems } from './support/touch.js';
import { closeDialog, sendMessage, signUp, waitForMessage } from './support/ui.js';

describe.skipIf(!chromiumAvailable())('the web app on a phone', () => {
  const suite = browserSuite();

  test('every control on the room, the menu and Settings is big enough for a finger', async () => {
    const ada = await suite.person('Ada', PHONE, TOUCH);
    await signUp(ada, suite.server.url);
    await sendMessage(ada.page, 'A message with its actions');
    const message = await waitForMessage(ada.page, 'A message with its actions');
    expect(await touchProblems(ada.page), 'the room').toEqual([]);

    // Reactions: the quick row, then the chips under the message (and the add chip after them).
    await ada.page.getByText('A message with its actions').tap();
    await message
      .getByRole('toolbar', { name: 'Actions' })
      .getByRole('button', { name: 'Add reaction' })
      .tap();
    const popover = ada.page.getByRole('dialog', { name: 'Add reaction' });
    await popover.waitFor();
    expect(await touchProblems(ada.page, '[data-testid="reaction-popover"]'), 'the quick row').toEqual([]);
    await popover.getByRole('button', { name: 'React with party popper' }).tap();
    await popover.waitFor({ state: 'detached' });
    await message.locator('[data-testid="reaction-chip"][data-emoji="🎉"]').waitFor();
    expect(await message.getByTestId('reaction-chip').count()).toBe(1);
    expect(await touchProblems(ada.page, '.reactions'), 'the reaction chips').toEqual([]);
    expect(await touchProblems(ada.page), 'the room with reactions').toEqual([]);

    await ada.page.getByRole('button', { name: 'Open rooms' }).tap();
    await ada.page.getByRole('button', { name: 'Settings', exact: true }).waitFor();
    // The drawer slides in: measure once it is all on screen, or half of it would be skipped.
    const drawer = ada.page.getByRole('navigation', { name: 'Rooms' });
    await expect.poll(async () => (await drawer.boundingBox())?.x).toBe(0);
    expect(await touchProblems(ada.page), 'the menu').toEqual([]);

    await ada.page.getByRole('button', { name: 'Settings', exact: true }).tap();
    await ada.page.getByRole('dialog', { name: 'Settings' }).getByRole('switch').first().waitFor();
    expect(await touchProblems(ada.page, '[role="dialog"]'), 'Settings').toEqual([]);
    await screenshotIfAsked(ada.page, 'phone-settings');
    await closeDialog(ada.page);
  });

  test('a message shows its actions when tapped, and only then', async () => {
    const ada = await suite.person('Ada', PHONE, TOUCH);
    await signUp(ada, suite.server.url);
    for (const text of ['First of two', 'Second of two']) {
      await sendMessage(ada.page, text);
      await waitForMessage(ada.page, text);
    }
    // Every own message has an Edit button; hidden ones are not in the accessibility tree.
    const edit = ada.page.locator('[data-testid="message"] button[aria-label="Edit"]');
    await expect.poll(() => edit.count()).toBe(2);
    expect(await edit.filter({ visible: true }).count(), 'no actions before a tap').toBe(0);

    await ada.page.getByText('First of two').tap();
    await expect.poll(() => edit.filter({ visible: true }).count()).toBe(1);
    await screenshotIfAsked(ada.page, 'phone-message-actions');
    await edit.filter({ visible: true }).tap();
    const field = ada.page.getByRole('textbox', { name: 'Edit text' });
    await expect.poll(() => field.inputValue()).toBe('First of two');
  });
});
