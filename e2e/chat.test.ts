import { describe, expect, test } from 'vitest';
import { createRoomByApi, postMessageByApi, registerByApi, roomBySlug } from './support/api.js';
import { chromiumAvailable } from './support/browser.js';
import { makePng } from './support/images.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import {
  attachFile,
  connectionStatus,
  messagesWith,
  openApp,
  sendMessage,
  signIn,
  signOut,
  signUp,
  waitForConnection,
  waitForImageLoaded,
  waitForMessage,
  waitForRoom,
  waitForSent,
  waitForSentImage,
} from './support/ui.js';

describe.skipIf(!chromiumAvailable())('chatting in the browser against the real server', () => {
  const suite = browserSuite();

  test('two people talk in #general, share an image, and the history survives a reload', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada');
    const ben = await suite.person('Ben');
    await openApp(ada.page, url);
    await ada.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshotIfAsked(ada.page, 'sign-in');
    await signUp(ada, url);
    await signUp(ben, url);

    const hello = `Hello from Ada ${Date.now()}`;
    await sendMessage(ada.page, hello);
    await waitForMessage(ben.page, hello);
    await waitForSent(ada.page, hello);

    const reply = `Hi Ada, Ben here ${Date.now()}`;
    await sendMessage(ben.page, reply);
    await waitForMessage(ada.page, reply);
    await waitForSent(ben.page, reply);

    const picture = { name: 'sunset.png', mimeType: 'image/png', buffer: await makePng(320, 200) };
    await attachFile(ada.page, picture);
    expect(await waitForImageLoaded(ben.page, picture.name)).toBeGreaterThan(0);
    await waitForSentImage(ada.page, picture.name);

    await ben.page.reload();
    await waitForRoom(ben.page, 'general');
    await waitForMessage(ben.page, reply);
    expect(await waitForImageLoaded(ben.page, picture.name)).toBeGreaterThan(0);
    for (const text of [hello, reply]) expect(await messagesWith(ben.page, text).count()).toBe(1);
    expect(await ben.page.getByRole('img', { name: picture.name, exact: true }).count()).toBe(1);
    // Ada, who sent them, sees each once too (no pending copy left next to the real message).
    for (const text of [hello, reply]) expect(await messagesWith(ada.page, text).count()).toBe(1);
    await screenshotIfAsked(ada.page, 'chat-sender');
    await screenshotIfAsked(ben.page, 'chat-reader');
  });

  test('the address names the open room, and a link to another public room opens and joins it', async () => {
    const { url } = suite.server;
    const cleo = await suite.person('Cleo');
    await signUp(cleo, url);
    expect(new URL(cleo.page.url()).pathname).toBe('/r/general');

    const finn = await registerByApi(url, 'Finn');
    const slug = `design-${Date.now()}`;
    const design = await createRoomByApi(url, finn, { name: 'Design crit', slug, visibility: 'public' });
    const before = `Posted before Cleo came in ${Date.now()}`;
    await postMessageByApi(url, finn, design.id, before);

    await openApp(cleo.page, url, `/r/${slug}`);
    await waitForRoom(cleo.page, 'Design crit');
    await waitForMessage(cleo.page, before);

    // Cleo is a member now: new messages in the room reach her live.
    const after = `Posted once Cleo was in ${Date.now()}`;
    await postMessageByApi(url, finn, design.id, after);
    await waitForMessage(cleo.page, after);
    expect(await messagesWith(cleo.page, before).count()).toBe(1);
    expect(new URL(cleo.page.url()).pathname).toBe(`/r/${slug}`);
  });

  test('a message sent while the browser is offline shows up once after reconnecting', async () => {
    const { url } = suite.server;
    const dora = await suite.person('Dora');
    await signUp(dora, url);
    const eli = await registerByApi(url, 'Eli');
    const general = await roomBySlug(url, eli, 'general');

    await dora.context.setOffline(true);
    await waitForConnection(dora.page, 'Offline');
    const text = `Sent while Dora was offline ${Date.now()}`;
    await postMessageByApi(url, eli, general.id, text);
    await dora.context.setOffline(false);

    await waitForConnection(dora.page, 'Connected');
    await waitForMessage(dora.page, text);
    expect(await connectionStatus(dora.page).textContent()).toBe('Connected');
    expect(await messagesWith(dora.page, text).count()).toBe(1);
  });

  test('signing out in one tab ends the session in the other, and signing in again works', async () => {
    const { url } = suite.server;
    const gus = await suite.person('Gus');
    await signUp(gus, url);
    const otherTab = await gus.context.newPage();
    await openApp(otherTab, url);
    await waitForRoom(otherTab, 'general');

    await signOut(gus.page);
    await otherTab.getByText('Your session ended').waitFor();

    await signIn(gus, url);
    const text = `Back again ${Date.now()}`;
    await sendMessage(gus.page, text);
    await waitForSent(gus.page, text);
  });
});
